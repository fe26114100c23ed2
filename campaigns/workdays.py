"""Which days work can happen on: Swedish holidays, weekends and blackout periods, with reasons.

Holidays come from the `holidays` package (Sweden, public and de-facto holidays such as
midsommarafton, julafton and nyårsafton, in Swedish), so nothing here is a hand-kept list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import holidays

from .model import Blackout

__all__ = ["DayRules", "Blocked", "monday_of", "add_working_days"]


@dataclass(frozen=True)
class Blocked:
    """Why a day cannot hold an activity, in Swedish and English."""

    sv: str
    en: str


@dataclass(frozen=True)
class DayRules:
    blackouts: tuple[Blackout, ...]
    first_year: int
    last_year: int

    @cached_property
    def holidays(self) -> dict[dt.date, str]:
        se = holidays.country_holidays("SE", years=range(self.first_year, self.last_year + 1),
                                       categories=("public", "de_facto"), language="sv")
        return {d: name for d, name in se.items()}

    def holiday(self, day: dt.date) -> str | None:
        return self.holidays.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def blocked(self, day: dt.date, in_person: bool = False) -> Blocked | None:
        """None when an activity may be placed on this day, else the reason it may not."""
        name = self.holiday(day)
        if name:
            return Blocked(f"{day.isoformat()} är {name.lower()}", f"{day.isoformat()} is a holiday ({name})")
        if day.weekday() >= 5:
            what = "fysiska aktiviteter hålls inte på helger" if in_person else "ingen kampanjaktivitet på helger"
            return Blocked(what, "no in-person activity at weekends" if in_person else "no campaign work at weekends")
        for b in self.blackouts:
            if b.covers(day) and (in_person or not b.in_person_only):
                span = f"{_month_day_sv(b.start)}–{_month_day_sv(b.end)}"
                return Blocked(f"perioden {b.name.lower()} ({span}) är spärrad",
                               f"the blackout '{b.name}' ({b.start} to {b.end})")
        return None


_MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
              "november", "december")


def _month_day_sv(md: str) -> str:
    month, day = md.split("-")
    return f"{int(day)} {_MONTHS_SV[int(month) - 1]}"


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
