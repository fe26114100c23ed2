"""The launch-model scheduler: a deterministic greedy planner that explains every move.

For each e-service (in file order, so earlier ones get first claim on staff time) and each
participating municipality it places, in this order:

1. `go_live` — the joint regional date (or a local one), moved off holidays and blackouts;
2. `internal_marketing` — an intranet briefing and a staff training before go-live;
3. `external_marketing` — waves per segment × suitable channel; for a joint e-service each wave
   falls on one common date in every participating municipality and all channels at once, and a
   member that launches later gets its own catch-up wave;
4. `evaluation` — a usage review and a citizen survey some weeks later.

Each placement searches day by day from its target date for the first day where every rule
holds (holidays, weekends, blackouts, distribution days, print lead time, channel caps per week
and month, each municipality's weekly hours). Whatever moves gets a `Change` saying which rule
moved it; whatever cannot be placed is listed as unplaced with the rule that blocked it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from segments.segmentset import Segment, SegmentSet

from .channels import affinity, channels_for
from .mix import ChannelMix
from .model import WEEKDAYS, Campaign, Channel, EService, Municipality, Region
from .workdays import DayRules, add_working_days, monday_of

__all__ = ["Activity", "CampaignPlan", "Change", "MoveRefused", "move_activity", "plan_campaign", "PHASES", "KIND_SV"]

PHASES = ("internal_marketing", "go_live", "external_marketing", "evaluation")
PHASE_SV = {"internal_marketing": "Intern marknadsföring", "go_live": "Lansering",
            "external_marketing": "Extern marknadsföring", "evaluation": "Utvärdering"}
KIND_SV = {
    "briefing": "Information till personalen", "staff_training": "Personalutbildning",
    "go_live": "E-tjänsten öppnar", "publish": "Publicering", "flyer_order": "Beställ tryck",
    "flyer_distribution": "Utdelning av flygblad", "session": "Visning för invånare",
    "usage_review": "Uppföljning av användningen", "citizen_survey": "Medborgarenkät",
}
WEEKDAY_SV = {"mon": "måndagar", "tue": "tisdagar", "wed": "onsdagar", "thu": "torsdagar", "fri": "fredagar",
              "sat": "lördagar", "sun": "söndagar"}
CATCH_UP_WAVE = -1  # the wave index of a late member's own catch-up wave
EVALUATION_HOURS = {"usage_review": 2.0, "citizen_survey": 1.0}
FLYER_ORDER_HOURS = 0.5


@dataclass(frozen=True)
class Activity:
    id: str
    municipality: str  # kommunkod
    municipality_name: str
    e_service: str
    e_service_name: str
    phase: str
    kind: str
    channel: str | None
    segment: int | None
    segment_name: str | None
    start: dt.date
    end: dt.date  # inclusive
    title: str
    coordination: str  # "regional" or "local"
    hours: float
    wave: int | None = None
    reason: str = ""  # why this channel for this segment


@dataclass(frozen=True)
class Change:
    """Something that did not happen as first asked, and the rule that decided it."""

    e_service: str
    municipality: str | None  # None: the whole region
    what: str
    constraint: str  # holiday | weekend | blackout | distribution_day | lead_time | cap | workload | coordination
    requested: dt.date
    placed: dt.date | None  # None: could not be placed
    sv: str
    en: str


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

    def workload(self) -> list[dict[str, object]]:
        """Hours booked per municipality and ISO week, against the hours that municipality has."""
        hours: dict[tuple[str, dt.date], float] = defaultdict(float)
        for a in self.activities:
            hours[(a.municipality, monday_of(a.start))] += a.hours
        rows = []
        for m in self.region.municipalities:
            for (code, week), h in sorted(hours.items()):
                if code == m.code:
                    rows.append({"municipality": m.name, "code": m.code, "week": week,
                                 "iso_week": f"{week.isocalendar()[0]}-V{week.isocalendar()[1]:02d}",
                                 "hours": round(h, 2), "capacity": m.weekly_hours})
        return rows


# ---------------------------------------------------------------- internals


@dataclass
class _Task:
    muni: Municipality
    e: EService
    phase: str
    kind: str
    channel: Channel | None
    segment: Segment | None
    hours: float
    coordination: str
    wave: int | None = None
    reason: str = ""

    @property
    def in_person(self) -> bool:
        return self.channel is not None and self.channel.kind == "in_person"

    def label(self) -> str:
        what = KIND_SV[self.kind]
        if self.channel is not None and self.kind == "publish":
            what = self.channel.name
        if self.segment is not None:
            what += f" för {self.segment.name}"
        if self.wave == CATCH_UP_WAVE:
            what += " (uppsamlingsvåg)"
        elif self.wave is not None:
            what += f" (våg {self.wave + 1})"
        return what


@dataclass
class _Ledger:
    region: Region
    rules: DayRules
    planning_start: dt.date
    hours: dict[tuple[str, dt.date], float] = field(default_factory=lambda: defaultdict(float))
    weekly: dict[tuple[str, str, dt.date], int] = field(default_factory=lambda: defaultdict(int))
    monthly: dict[tuple[str, str, tuple[int, int]], int] = field(default_factory=lambda: defaultdict(int))

    def order_day(self, task: _Task, day: dt.date) -> dt.date | None:
        ch = task.channel
        if ch is None or ch.lead_working_days == 0 or task.kind != "flyer_distribution":
            return None
        return add_working_days(self.rules, day, -ch.lead_working_days)

    def problem(self, muni: Municipality, tasks: list[_Task], day: dt.date) -> tuple[str, str, str] | None:
        """(constraint, sv, en) for the first rule that stops these tasks on this day, else None."""
        blocked = self.rules.blocked(day, in_person=any(t.in_person for t in tasks))
        if blocked:
            kind = "holiday" if self.rules.holiday(day) else ("weekend" if day.weekday() >= 5 else "blackout")
            return kind, blocked.sv, blocked.en
        if day < self.planning_start:
            return ("lead_time", f"{day} är före planeringsstart ({self.planning_start})",
                    f"{day} is before the planning start ({self.planning_start})")
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
                    sv_days = " och ".join(WEEKDAY_SV[d] for d in days)
                    return ("distribution_day", f"{ch.name} delas bara ut på {sv_days} i {muni.name}",
                            f"{ch.name} is only distributed on {'/'.join(days)} in {muni.name}")
            order = self.order_day(t, day)
            if order is not None:
                if order < self.planning_start:
                    return ("lead_time", f"trycket måste beställas {ch.lead_working_days} arbetsdagar före "
                            f"utdelning, senast {order}, men planeringen börjar {self.planning_start}",
                            f"print must be ordered {ch.lead_working_days} working days ahead ({order}), "
                            f"before the planning start")
                extra_hours[monday_of(order)] += FLYER_ORDER_HOURS
            counts[("week", ch.key)] += 1
            counts[("month", ch.key)] += 1
        for (span, key), n in counts.items():
            ch = self.region.channel(key)
            if span == "week" and ch.max_per_week is not None:
                if self.weekly[(muni.code, key, monday_of(day))] + n > ch.max_per_week:
                    return ("cap", f"högst {ch.max_per_week} {ch.name.lower()} per vecka i {muni.name}",
                            f"at most {ch.max_per_week} {ch.name} per week in {muni.name}")
            if span == "month" and ch.max_per_month is not None:
                if self.monthly[(muni.code, key, (day.year, day.month))] + n > ch.max_per_month:
                    return ("cap", f"högst {ch.max_per_month} {ch.name.lower()} per månad i {muni.name}",
                            f"at most {ch.max_per_month} {ch.name} per month in {muni.name}")
        for week, h in extra_hours.items():
            if h and self.hours[(muni.code, week)] + h > muni.weekly_hours + 1e-9:
                return ("workload", f"{muni.name} har {muni.weekly_hours:g} timmar i veckan för kampanjer och "
                        f"vecka {week.isocalendar()[1]} är redan full",
                        f"{muni.name} has {muni.weekly_hours:g} campaign hours a week and week "
                        f"{week.isocalendar()[1]} is full")
        return None

    def book(self, muni: Municipality, tasks: list[_Task], day: dt.date) -> None:
        for t in tasks:
            self.hours[(muni.code, monday_of(day))] += t.hours
            order = self.order_day(t, day)
            if order is not None:
                self.hours[(muni.code, monday_of(order))] += FLYER_ORDER_HOURS
            if t.channel is not None:
                self.weekly[(muni.code, t.channel.key, monday_of(day))] += 1
                self.monthly[(muni.code, t.channel.key, (day.year, day.month))] += 1


class _Planner:
    def __init__(self, campaign: Campaign, region: Region, segment_set: SegmentSet, mix: ChannelMix | None):
        self.mix = mix
        self.c = campaign
        self.r = region
        self.ss = segment_set
        dates = [campaign.planning_start] + [d for e in campaign.e_services
                                             for d in [e.go_live, *e.local_go_live.values()] if d]
        self.rules = DayRules(tuple(region.blackouts) + tuple(campaign.blackouts),
                              min(dates).year, max(dates).year + 2)
        self.ledger = _Ledger(region, self.rules, campaign.planning_start)
        self.activities: list[Activity] = []
        self.changes: list[Change] = []
        self.search = campaign.offsets.search_days

    # -------------------------------------------------- recording

    def _activity(self, t: _Task, day: dt.date) -> None:
        ch = t.channel.key if t.channel else None
        seg = t.segment.id if t.segment else None
        wave = "-" if t.wave is None else t.wave
        aid = f"{self.c.key}:{t.e.key}:{t.muni.code}:{t.kind}:{wave}:{ch or '-'}:{seg or '-'}"
        title = f"{t.e.name}: {t.label()}"
        self.activities.append(Activity(
            aid, t.muni.code, t.muni.name, t.e.key, t.e.name, t.phase, t.kind, ch, seg,
            t.segment.name if t.segment else None, day, day, title, t.coordination, round(t.hours, 2),
            t.wave, t.reason))
        order = self.ledger.order_day(t, day)
        if order is not None and t.channel is not None:
            self.activities.append(Activity(
                aid.replace(":flyer_distribution:", ":flyer_order:"), t.muni.code, t.muni.name, t.e.key, t.e.name,
                t.phase, "flyer_order", ch, seg, t.segment.name if t.segment else None, order, order,
                f"{t.e.name}: {KIND_SV['flyer_order']} för utdelning {day.isoformat()}"
                + (f" för {t.segment.name}" if t.segment else ""),
                t.coordination, FLYER_ORDER_HOURS, t.wave))

    def _change(self, e: EService, muni: Municipality | None, what: str, why: tuple[str, str, str],
                requested: dt.date, placed: dt.date | None) -> None:
        constraint, sv, en = why
        where = f" i {muni.name}" if muni else ""
        where_en = f" in {muni.name}" if muni else ""
        if placed is None:
            text_sv = f"{what}{where} kunde inte planeras ({sv}); den behöver ett beslut."
            text_en = f"{what}{where_en} could not be placed ({en}); it needs a decision."
        else:
            text_sv = f"{what}{where} flyttad från {requested} till {placed}: {sv}."
            text_en = f"{what}{where_en} moved from {requested} to {placed}: {en}."
        self.changes.append(Change(e.key, muni.code if muni else None, what, constraint, requested, placed,
                                   text_sv, text_en))

    # -------------------------------------------------- searching

    def _days(self, start: dt.date, step: int, limit: dt.date | None = None) -> list[dt.date]:
        days = []
        for i in range(self.search + 1):
            d = start + dt.timedelta(days=step * i)
            if limit is not None and ((step > 0 and d >= limit) or (step < 0 and d < limit)):
                break
            days.append(d)
        return days

    def _first_fit(self, muni: Municipality, tasks: list[_Task], days: list[dt.date]
                   ) -> tuple[dt.date | None, tuple[str, str, str] | None]:
        reasons: list[tuple[str, str, str]] = []
        for d in days:
            why = self.ledger.problem(muni, tasks, d)
            if why is None:
                return d, _combine(reasons)
            reasons.append(why)
        return None, _combine(reasons)

    def _place_alone(self, tasks: list[_Task], target: dt.date, *, backward: bool = False,
                     before: dt.date | None = None, explain: bool = True, label: str | None = None
                     ) -> dt.date | None:
        """Place one municipality's tasks together on the first day that fits; the day, or None."""
        muni = tasks[0].muni
        if backward:
            days = self._days(target, -1, limit=self.c.planning_start)
            days += [d for d in self._days(target + dt.timedelta(days=1), 1, limit=before) if d not in days]
        else:
            days = self._days(target, 1, limit=before)
        day, why = self._first_fit(muni, tasks, days)
        what = label or (f"{tasks[0].e.name}: {tasks[0].label()}" if len(tasks) == 1
                         else f"{tasks[0].e.name}: {KIND_SV[tasks[0].kind]} m.fl.")
        if day is None:
            if explain:
                self._change(tasks[0].e, muni, what, why or ("workload", "ingen ledig dag", "no free day"),
                             target, None)
            return None
        if day != target and why and explain:
            self._change(tasks[0].e, muni, what, why, target, day)
        self.ledger.book(muni, tasks, day)
        for t in tasks:
            self._activity(t, day)
        return day

    def _place_overflow(self, t: _Task, target: dt.date) -> None:
        """A post beyond a channel's cap goes to the next day that allows it, and says so."""
        assert t.channel is not None
        weekly = t.channel.max_per_week is not None
        cap = t.channel.max_per_week if weekly else t.channel.max_per_month
        t.coordination = "local"  # it no longer shares the wave's common date
        day = self._place_alone([t], target + dt.timedelta(days=1), explain=False)
        self._change(t.e, t.muni, f"{t.e.name}: {t.label()}",
                     ("cap", f"högst {cap} {t.channel.name.lower()} per {'vecka' if weekly else 'månad'}",
                      f"at most {cap} {t.channel.name} per {'week' if weekly else 'month'}"), target, day)

    def _split_caps(self, tasks: list[_Task]) -> tuple[list[_Task], list[_Task]]:
        """Keep what a channel's weekly/monthly cap allows on one day; the rest goes after."""
        keep, later = [], []
        seen: dict[str, int] = defaultdict(int)
        for t in tasks:
            ch = t.channel
            cap = min(x for x in (ch.max_per_week, ch.max_per_month, 10 ** 6) if x is not None) if ch else 10 ** 6
            key = ch.key if ch else "-"
            if seen[key] < cap:
                seen[key] += 1
                keep.append(t)
            else:
                later.append(t)
        return keep, later

    def _place_together(self, e: EService, groups: dict[str, list[_Task]], target: dt.date, label: str) -> None:
        """One common date for every municipality's tasks (a regional wave); those that cannot
        follow get their own date, and the plan says why."""
        munis = {code: tasks[0].muni for code, tasks in groups.items() if tasks}
        core: dict[str, list[_Task]] = {}
        overflow: list[_Task] = []
        for code, tasks in groups.items():
            keep, later = self._split_caps(tasks)
            core[code] = keep
            overflow += later
        days = self._days(target, 1)
        chosen = None
        reasons: list[tuple[str, str, str]] = []
        best: tuple[int, dt.date] | None = None
        for d in days:
            failing = [(code, why) for code, ts in core.items() if ts
                       if (why := self.ledger.problem(munis[code], ts, d)) is not None]
            if not failing:
                chosen = d
                break
            reasons.append(failing[0][1])
            ok = len(core) - len(failing)
            if best is None or ok > best[0]:
                best = (ok, d)
        if chosen is not None:
            why = _combine(reasons)
            if chosen != target and why:
                self._change(e, None, label, why, target, chosen)
            for code, ts in core.items():
                if ts:
                    self.ledger.book(munis[code], ts, chosen)
                    for t in ts:
                        self._activity(t, chosen)
        else:
            # No common day: the most members share the best day, the others get their own.
            common = best[1] if best else target
            for code, ts in core.items():
                if not ts:
                    continue
                why = self.ledger.problem(munis[code], ts, common)
                if why is None:
                    self.ledger.book(munis[code], ts, common)
                    for t in ts:
                        self._activity(t, common)
                else:
                    self._change(e, munis[code], f"{label} (gemensamt datum {common})",
                                 ("coordination", f"kommunen kan inte följa det gemensamma datumet: {why[1]}",
                                  f"the municipality cannot keep the common date: {why[2]}"), common, None)
                    self._place_alone(ts, common)
        for t in overflow:
            self._place_overflow(t, target)

    # -------------------------------------------------- the launch model

    def _go_live(self, e: EService, target: dt.date, muni: Municipality | None) -> dt.date:
        day, why = target, None
        for d in (target + dt.timedelta(days=i) for i in range(366)):  # a launch may wait out a long blackout
            b = self.rules.blocked(d)
            if b is None:
                day = d
                break
            why = why or (("holiday" if self.rules.holiday(d) else "weekend" if d.weekday() >= 5 else "blackout"),
                          b.sv, b.en)
        if day != target and why:
            self._change(e, muni, f"{e.name}: lansering", why, target, day)
        return day

    def _segments(self, e: EService) -> list[Segment]:
        if e.segments == "all":
            return list(self.ss.segments)
        wanted = set(e.segments)
        return [s for s in self.ss.segments if s.id in wanted]

    def _wave_tasks(self, e: EService, muni: Municipality, wave: int, coordination: str) -> list[_Task]:
        channels = [self.r.channel(k) for k in e.channels]
        factor = self.r.shared_material_factor if (coordination == "regional" and muni.code != self.r.leader) else 1.0
        tasks = []
        for seg in self._segments(e):
            wanted = (self.mix.channels_for(seg.id) if self.mix is not None else
                      [a.channel for a in channels_for(seg, channels)])
            for ch in channels:
                if ch.key not in wanted or (ch.max_waves is not None and wave >= ch.max_waves):
                    continue
                aff = affinity(seg, ch)
                kind = {"print": "flyer_distribution", "in_person": "session"}.get(ch.kind, "publish")
                tasks.append(_Task(muni, e, "external_marketing", kind, ch, seg, ch.hours * factor,
                                   coordination, wave, aff.reason))
        return tasks

    def _place_local_wave(self, e: EService, m: Municipality, wave: int, target: dt.date) -> None:
        tasks = self._wave_tasks(e, m, wave, "local")
        if not tasks:
            return
        keep, later = self._split_caps(tasks)
        name = "uppsamlingsvåg" if wave == CATCH_UP_WAVE else f"våg {wave + 1}"
        self._place_alone(keep, target, label=f"{e.name}: {name}")
        for t in later:
            self._place_overflow(t, target)

    def plan_e_service(self, e: EService) -> None:
        o = self.c.offsets
        members = self.r.participants(e)
        local_dates = {self.r.municipality(ref).code: d for ref, d in e.local_go_live.items()}
        joint = self._go_live(e, e.go_live, None) if e.go_live else None
        go_live: dict[str, dt.date] = {}
        for m in members:
            if m.code in local_dates:
                go_live[m.code] = self._go_live(e, local_dates[m.code], m)
            elif joint is not None:
                go_live[m.code] = joint
        for m in members:
            if m.code not in go_live:
                continue
            coordination = "regional" if joint is not None and go_live[m.code] == joint else "local"
            gl = _Task(m, e, "go_live", "go_live", None, None, 0.0, coordination)
            self.ledger.book(m, [gl], go_live[m.code])
            self._activity(gl, go_live[m.code])

        # Internal marketing: before go-live, never after it.
        for m in members:
            if m.code not in go_live:
                continue
            day = go_live[m.code]
            shared = joint is not None and day == joint  # the leader's material is reused by the others
            factor = self.r.shared_material_factor if (shared and m.code != self.r.leader) else 1.0
            for key, weeks in zip(self.c.internal_channels,
                                  (o.internal_briefing_weeks_before, o.staff_training_weeks_before)):
                ch = self.r.channel(key)
                kind = "staff_training" if ch.kind == "in_person" else "briefing"
                task = _Task(m, e, "internal_marketing", kind, ch, None, ch.hours * factor, "local")
                self._place_alone([task], day - dt.timedelta(weeks=weeks), backward=True, before=day)

        # External waves. A joint e-service has one common date per wave; a member with its own
        # go-live date gets a local wave on that date (a catch-up wave when it launches later)
        # and joins the regional waves that fall after it. Local-only e-services run every wave
        # from each member's own date.
        for w, weeks in enumerate(o.external_waves_weeks):
            if joint is None:
                for m in members:
                    if m.code in go_live:
                        self._place_local_wave(e, m, w, go_live[m.code] + dt.timedelta(weeks=weeks))
                continue
            target = joint + dt.timedelta(weeks=weeks)
            groups = {m.code: self._wave_tasks(e, m, w, "regional") for m in members
                      if m.code in go_live and go_live[m.code] <= target}
            self._place_together(e, groups, target, f"{e.name}: våg {w + 1}")
        if joint is not None:
            for m in members:
                if m.code in go_live and go_live[m.code] != joint:
                    self._place_local_wave(e, m, CATCH_UP_WAVE, go_live[m.code])

        # Evaluation: the same weeks later everywhere a date is shared.
        groups_eval: dict[dt.date, dict[str, list[_Task]]] = defaultdict(dict)
        for m in members:
            if m.code not in go_live:
                continue
            coordination = "regional" if joint is not None and go_live[m.code] == joint else "local"
            groups_eval[go_live[m.code]][m.code] = [
                _Task(m, e, "evaluation", kind, None, None, hours, coordination)
                for kind, hours in EVALUATION_HOURS.items()]
        for day, groups in sorted(groups_eval.items()):
            self._place_together(e, groups, day + dt.timedelta(weeks=o.evaluation_weeks_after),
                                 f"{e.name}: utvärdering")

    def run(self) -> CampaignPlan:
        for e in self.c.e_services:
            self.plan_e_service(e)
        phase_order = {p: i for i, p in enumerate(PHASES)}
        acts = sorted(self.activities, key=lambda a: (a.start, phase_order[a.phase], a.municipality, a.id))
        return CampaignPlan(self.c, self.r, tuple(self.ss.segments), tuple(acts), tuple(self.changes))


def _combine(reasons: list[tuple[str, str, str]]) -> tuple[str, str, str] | None:
    """The distinct reasons met on the days that were skipped, first one's constraint leading."""
    if not reasons:
        return None
    seen_sv: list[str] = []
    seen_en: list[str] = []
    for _, sv, en in reasons:
        if sv not in seen_sv and len(seen_sv) < 3:
            seen_sv.append(sv)
            seen_en.append(en)
    return reasons[0][0], "; ".join(seen_sv), "; ".join(seen_en)


def plan_campaign(campaign: Campaign, region: Region, segment_set: SegmentSet,
                  mix: ChannelMix | None = None) -> CampaignPlan:
    """Schedule the whole campaign; deterministic for the same inputs.

    With a `mix` (from `optimise_mix`) each segment gets the channels the budget allows;
    without one, every channel whose affinity for the segment is high enough.
    """
    return _Planner(campaign, region, segment_set, mix).run()


class MoveRefused(ValueError):
    """A manual date change that would break a rule; `sv`/`en` say which."""

    def __init__(self, sv: str, en: str):
        super().__init__(en)
        self.sv = sv
        self.en = en


def move_activity(plan: CampaignPlan, activity_id: str, day: dt.date) -> CampaignPlan:
    """The plan with one activity moved by hand, checked against the same rules the scheduler uses.

    Raises MoveRefused with the rule when the day is not allowed. A flyer's print order moves
    with its distribution; an activity taken out of a regional wave becomes local, and the plan's
    list of changes records the manual move.
    """
    a = next((x for x in plan.activities if x.id == activity_id), None)
    if a is None:
        raise MoveRefused("Aktiviteten finns inte i planen.", "No such activity in the plan.")
    if a.kind == "flyer_order":
        raise MoveRefused("Flytta utdelningen i stället; beställningen följer med.",
                          "Move the distribution instead; the print order follows it.")
    region, campaign = plan.region, plan.campaign
    muni = region.municipality(a.municipality)
    channel = region.channel(a.channel) if a.channel else None
    order_id = a.id.replace(":flyer_distribution:", ":flyer_order:") if a.kind == "flyer_distribution" else None
    others = [x for x in plan.activities if x.id not in (a.id, order_id)]
    years = [x.start.year for x in plan.activities] + [day.year]
    ledger = _Ledger(region, DayRules(tuple(region.blackouts) + tuple(campaign.blackouts), min(years),
                                      max(years) + 1), campaign.planning_start)
    for x in others:
        ledger.hours[(x.municipality, monday_of(x.start))] += x.hours
        if x.channel and x.kind != "flyer_order":
            ledger.weekly[(x.municipality, x.channel, monday_of(x.start))] += 1
            ledger.monthly[(x.municipality, x.channel, (x.start.year, x.start.month))] += 1
    go_live = next((x.start for x in others if x.kind == "go_live" and x.municipality == a.municipality
                    and x.e_service == a.e_service), None)
    if a.kind == "go_live":
        go_live = None
        firsts = [x.start for x in others if x.municipality == a.municipality and x.e_service == a.e_service
                  and x.phase != "internal_marketing" and x.kind != "flyer_order"]
        lasts = [x.start for x in others if x.municipality == a.municipality and x.e_service == a.e_service
                 and x.phase == "internal_marketing"]
        if (firsts and day > min(firsts)) or (lasts and day <= max(lasts)):
            raise MoveRefused("Lanseringen måste ligga efter den interna marknadsföringen och före den externa.",
                              "Go-live must fall after internal and before external marketing.")
    if go_live is not None and a.phase == "internal_marketing" and day >= go_live:
        raise MoveRefused(f"Intern marknadsföring måste ske före lanseringen ({go_live}).",
                          f"Internal marketing must happen before go-live ({go_live}).")
    if go_live is not None and a.phase in ("external_marketing", "evaluation") and day < go_live:
        raise MoveRefused(f"{PHASE_SV[a.phase]} kan inte ske före lanseringen ({go_live}).",
                          f"{a.phase} cannot happen before go-live ({go_live}).")
    e = next(x for x in campaign.e_services if x.key == a.e_service)
    task = _Task(muni, e, a.phase, a.kind, channel, None, a.hours, a.coordination, a.wave)
    why = ledger.problem(muni, [task], day)
    if why is not None:
        raise MoveRefused(f"{day} går inte: {why[1]}.", f"{day} is not possible: {why[2]}.")
    moved = dataclasses.replace(a, start=day, end=day, coordination="local")
    activities = [moved if x.id == a.id else x for x in plan.activities]
    if order_id is not None and channel is not None:
        order_day = add_working_days(ledger.rules, day, -channel.lead_working_days)
        activities = [dataclasses.replace(x, start=order_day, end=order_day,
                                          title=x.title.replace(a.start.isoformat(), day.isoformat()))
                      if x.id == order_id else x for x in activities]
    phase_order = {p: i for i, p in enumerate(PHASES)}
    activities.sort(key=lambda x: (x.start, phase_order[x.phase], x.municipality, x.id))
    note = Change(a.e_service, a.municipality, a.title, "manual", a.start, day,
                  f"{a.title} i {muni.name} flyttad för hand från {a.start} till {day}"
                  + (" (följer inte längre den regionala vågen)." if a.coordination == "regional" else "."),
                  f"{a.title} in {muni.name} moved by hand from {a.start} to {day}.")
    return dataclasses.replace(plan, activities=tuple(activities), changes=(*plan.changes, note))
