"""Which days work can happen on: Swedish holidays, weekends and blackout periods, with reasons.

Holidays come from the `holidays` package (Sweden, public and de-facto holidays such as
midsommarafton, julafton and nyårsafton, named in Swedish and English), so nothing here is a
hand-kept list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import holidays

from common.catalogue import ByLang, Day, Msg, Raw

from ..definitions import Blackout
from .reasons import Reason

__all__ = ["DayRules", "monday_of", "add_working_days", "first_open_day"]


@dataclass(frozen=True)
class DayRules:
    blackouts: tuple[Blackout, ...]
    first_year: int
    last_year: int

    def _calendar(self, language: str) -> dict[dt.date, str]:
        se = holidays.country_holidays("SE", years=range(self.first_year, self.last_year + 1),
                                       categories=("public", "de_facto"), language=language)
        return {d: name for d, name in se.items()}

    @cached_property
    def holidays(self) -> dict[dt.date, str]:
        """Holiday names in Swedish, by date."""
        return self._calendar("sv")

    @cached_property
    def _holidays_en(self) -> dict[dt.date, str]:
        return self._calendar("en_US")

    def holiday(self, day: dt.date) -> str | None:
        return self.holidays.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def blocked(self, day: dt.date, in_person: bool = False) -> Reason | None:
        """None when an activity may be placed on this day, else the reason it may not."""
        name = self.holiday(day)
        if name:
            en = self._holidays_en.get(day, name)
            return Reason("holiday", Msg("blocked.holiday", day=Day(day, "short"),
                                         name=ByLang.of(sv=name.lower(), en=en)))
        if day.weekday() >= 5:
            return Reason("weekend", Msg("blocked.weekend_in_person" if in_person else "blocked.weekend"))
        for b in self.blackouts:
            if b.covers(day) and (in_person or not b.in_person_only):
                return Reason("blackout", Msg("blocked.blackout", name=Raw(b.name),
                                              start=_month_day(b.start), end=_month_day(b.end)))
        return None


def _month_day(md: str) -> Day:
    """A blackout's month-day as a date-less short date ('1 juli'); the year does not matter."""
    month, day = md.split("-")
    return Day(dt.date(2000, int(month), int(day)), "short")


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def add_working_days(rules: DayRules, day: dt.date, n: int) -> dt.date:
    """The working day n working days before (n < 0) or after (n > 0) `day`."""
    step = 1 if n > 0 else -1
    remaining = abs(n)
    current = day
    while remaining:
        current += dt.timedelta(days=step)
        if rules.is_working_day(current):
            remaining -= 1
    return current


def first_open_day(rules: DayRules, day: dt.date) -> dt.date:
    """The first day on or after `day` an activity may be placed on (no weekend, holiday or blackout):
    a proposed go-live date is never a Sunday."""
    for _ in range(120):
        if rules.blocked(day) is None:
            return day
        day += dt.timedelta(days=1)
    return day
