"""The constraint ledger: what is already booked, and the first rule a new booking would break.

The planner books every placement here, and a manual move rebuilds the same ledger from the
plan's activities, so both judge a day by exactly the same rules.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from common.catalogue import Day, ListOf, Msg
from segments.segmentset import Segment

from ..definitions import WEEKDAYS, Channel, EService, Municipality, Region
from .plan import Activity, ActivityKind, Coordination, Phase, activity_label
from .reasons import Reason
from .workdays import DayRules, add_working_days, monday_of

__all__ = ["FLYER_ORDER_HOURS", "Ledger", "Task"]

FLYER_ORDER_HOURS = 0.5


@dataclass
class Task:
    """Something to place: one municipality, one e-service, one kind of work."""

    muni: Municipality
    e: EService
    phase: Phase
    kind: ActivityKind
    channel: Channel | None
    segment: Segment | None
    hours: float
    coordination: Coordination
    wave: int | None = None
    reason: Msg | None = None

    @property
    def in_person(self) -> bool:
        return self.channel is not None and self.channel.kind == "in_person"

    def label(self, order_for: dt.date | None = None) -> Msg:
        return activity_label("flyer_order" if order_for else self.kind, self.e.title,
                              self.channel.title if self.channel else None,
                              self.segment.title if self.segment else None,
                              None if order_for else self.wave, order_for)


@dataclass
class Ledger:
    region: Region
    rules: DayRules
    planning_start: dt.date
    hours: dict[tuple[str, dt.date], float] = field(default_factory=lambda: defaultdict(float))
    weekly: dict[tuple[str, str, dt.date], int] = field(default_factory=lambda: defaultdict(int))
    monthly: dict[tuple[str, str, tuple[int, int]], int] = field(default_factory=lambda: defaultdict(int))

    @classmethod
    def of_activities(cls, region: Region, rules: DayRules, planning_start: dt.date,
                      activities: list[Activity]) -> Ledger:
        """The ledger a finished plan implies (flyer orders count as hours, not as channel uses)."""
        ledger = cls(region, rules, planning_start)
        for a in activities:
            ledger.hours[(a.municipality, monday_of(a.start))] += a.hours
            if a.channel and a.kind != "flyer_order":
                ledger.count(a.municipality, a.channel, a.start)
        return ledger

    def order_day(self, task: Task, day: dt.date) -> dt.date | None:
        ch = task.channel
        if ch is None or ch.lead_working_days == 0 or task.kind != "flyer_distribution":
            return None
        return add_working_days(self.rules, day, -ch.lead_working_days)

    def problem(self, muni: Municipality, tasks: list[Task], day: dt.date) -> Reason | None:
        """The first rule that stops these tasks on this day, else None."""
        blocked = self.rules.blocked(day, in_person=any(t.in_person for t in tasks))
        if blocked:
            return blocked
        if day < self.planning_start:
            return Reason("lead_time", Msg("reason.before_start", day=Day(day, "short"),
                                           start=Day(self.planning_start)))
        extra_hours: dict[dt.date, float] = defaultdict(float)
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for t in tasks:
            extra_hours[monday_of(day)] += t.hours
            ch = t.channel
            if ch is None:
                continue
            if ch.distribution_days_only:
                days = self.region.distribution_days_for(muni)
                if WEEKDAYS[day.weekday()] not in days:
                    return Reason("distribution_day", Msg(
                        "reason.distribution_day", channel=ch.title, municipality=muni.name,
                        days=ListOf(tuple(Msg(f"weekdays.{d}") for d in days))))
            order = self.order_day(t, day)
            if order is not None:
                if order < self.planning_start:
                    return Reason("lead_time", Msg("reason.print_lead", days=ch.lead_working_days,
                                                   order=Day(order, "short"), start=Day(self.planning_start)))
                extra_hours[monday_of(order)] += FLYER_ORDER_HOURS
            counts[("week", ch.key)] += 1
            counts[("month", ch.key)] += 1
        for (span, key), n in counts.items():
            ch = self.region.channel(key)
            if span == "week" and ch.max_per_week is not None:
                if self.weekly[(muni.code, key, monday_of(day))] + n > ch.max_per_week:
                    return Reason("cap", Msg("reason.cap_week", cap=ch.max_per_week, channel=ch.title,
                                             municipality=muni.name))
            if span == "month" and ch.max_per_month is not None:
                if self.monthly[(muni.code, key, (day.year, day.month))] + n > ch.max_per_month:
                    return Reason("cap", Msg("reason.cap_month", cap=ch.max_per_month, channel=ch.title,
                                             municipality=muni.name))
        for week, h in extra_hours.items():
            if h and self.hours[(muni.code, week)] + h > muni.weekly_hours + 1e-9:
                return Reason("workload", Msg("reason.workload", municipality=muni.name,
                                              hours=float(muni.weekly_hours),
                                              week=week.isocalendar()[1]))
        return None

    def count(self, code: str, channel: str, day: dt.date) -> None:
        self.weekly[(code, channel, monday_of(day))] += 1
        self.monthly[(code, channel, (day.year, day.month))] += 1

    def book(self, muni: Municipality, tasks: list[Task], day: dt.date) -> None:
        for t in tasks:
            self.hours[(muni.code, monday_of(day))] += t.hours
            order = self.order_day(t, day)
            if order is not None:
                self.hours[(muni.code, monday_of(order))] += FLYER_ORDER_HOURS
            if t.channel is not None:
                self.count(muni.code, t.channel.key, day)

