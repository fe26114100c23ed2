"""What a schedule is: phases, activities, changes with their reasons, and the plan itself.

Everything here is a record. Titles and explanations are messages (`common.catalogue.Msg`) that
the app, the CLI and the exports word in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from common.catalogue import ByLang, Day, Msg, Raw
from segments.segmentset import Segment

from ..definitions import Campaign, Region
from .reasons import Constraint, Reason
from .workdays import monday_of

__all__ = ["PHASES", "Activity", "ActivityKind", "CampaignPlan", "Change", "Constraint", "Coordination", "Phase",
           "Reason", "WorkloadRow", "CATCH_UP_WAVE", "activity_label"]

Phase = Literal["internal_marketing", "go_live", "external_marketing", "evaluation"]
PHASES: tuple[Phase, ...] = ("internal_marketing", "go_live", "external_marketing", "evaluation")
ActivityKind = Literal["briefing", "staff_training", "go_live", "publish", "flyer_order", "flyer_distribution",
                       "session", "usage_review", "citizen_survey"]
Coordination = Literal["regional", "local"]
CATCH_UP_WAVE = -1  # the wave index of a late member's own catch-up wave


def activity_label(kind: str, e_service: str | ByLang, channel_name: str | ByLang | None,
                   segment_name: str | Msg | None, wave: int | None, order_for: dt.date | None = None) -> Msg:
    """'Vigsel: Facebook för Seniorer (våg 1)' as a message. Names may come in both languages (a
    region's `name_en`, a generated segment name), so an English table reads English."""
    what: Msg | Raw | ByLang = (_named(channel_name) if (kind == "publish" and channel_name)
                                else Msg(f"kind.{kind}"))
    wave_part: Msg | str = ""
    if wave == CATCH_UP_WAVE:
        wave_part = Msg("wave.catch_up")
    elif wave is not None:
        wave_part = Msg("wave.n", wave=wave + 1)
    return Msg("activity.title", e_service=e_service, what=what,
               order=Msg("activity.for_distribution", day=Day(order_for, "short")) if order_for else "",
               segment=Msg("activity.for_segment", segment=_named(segment_name)) if segment_name else "",
               wave=wave_part)


def _named(name: str | ByLang | Msg) -> Raw | ByLang | Msg:
    """A plain name from a file is Raw (shortened between words if very long); others as they are."""
    return Raw(name) if isinstance(name, str) else name


@dataclass(frozen=True)
class Activity:
    id: str
    municipality: str  # kommunkod
    municipality_name: str
    e_service: str
    e_service_name: str
    phase: Phase
    kind: ActivityKind
    channel: str | None
    segment: int | None
    segment_name: str | None
    start: dt.date
    end: dt.date  # inclusive
    title: Msg
    coordination: Coordination
    hours: float
    wave: int | None = None
    reason: Msg | None = None  # why this channel for this segment


@dataclass(frozen=True)
class Change:
    """Something that did not happen as first asked, and the rule that decided it."""

    e_service: str
    municipality: str | None  # kommunkod; None: the whole region
    municipality_name: str | None
    what: Msg
    reason: Reason
    requested: dt.date
    placed: dt.date | None  # None: could not be placed

    @property
    def constraint(self) -> Constraint:
        return self.reason.constraint

    @property
    def message(self) -> Msg:
        where: Msg | str = Msg("change.in", municipality=self.municipality_name) if self.municipality_name else ""
        if self.reason.constraint == "manual":
            return self.reason.msg
        if self.placed is None:
            return Msg("change.unplaced", what=self.what, where=where, why=self.reason.msg)
        return Msg("change.moved", what=self.what, where=where, requested=Day(self.requested, "short"),
                   placed=Day(self.placed, "short"), why=self.reason.msg)


@dataclass(frozen=True)
class WorkloadRow:
    """Hours booked in one municipality's ISO week, against the hours it has a week."""

    municipality: str
    code: str
    week: dt.date  # the Monday
    hours: float
    capacity: float

    @property
    def iso_week(self) -> tuple[int, int]:
        year, week, _ = self.week.isocalendar()
        return year, week


@dataclass(frozen=True)
class CampaignPlan:
    campaign: Campaign
    region: Region
    segments: tuple[Segment, ...]
    activities: tuple[Activity, ...]
    changes: tuple[Change, ...]

    @property
    def unplaced(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.placed is None)

    @property
    def moved(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.placed is not None)

    def workload(self) -> list[WorkloadRow]:
        """Hours booked per municipality and ISO week, against the hours that municipality has."""
        hours: dict[tuple[str, dt.date], float] = defaultdict(float)
        for a in self.activities:
            hours[(a.municipality, monday_of(a.start))] += a.hours
        by_member: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
        for (code, week), h in sorted(hours.items()):  # one pass, not one per member
            by_member[code].append((week, h))
        return [WorkloadRow(m.name, m.code, week, round(h, 2), m.weekly_hours)
                for m in self.region.municipalities for week, h in by_member.get(m.code, [])]
