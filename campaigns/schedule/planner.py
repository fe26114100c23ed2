"""The launch-model scheduler: a deterministic greedy planner that explains every move.

For each e-service (in file order, so earlier ones get first claim on staff time) and each
participating municipality it places, in this order:

1. `go_live` — the joint regional date (or a local one), moved off holidays and blackouts;
2. `internal_marketing` — an intranet briefing and a staff training before go-live;
3. `external_marketing` — waves per segment the service concerns (`campaigns.relevance`) ×
   suitable channel (the budgeted mix's choice for that service); for a joint e-service each wave
   falls on one common date in every participating municipality and all channels at once, and a
   member that launches later gets its own catch-up wave;
4. `evaluation` — a usage review and a citizen survey some weeks later.

Each placement searches day by day from its target date for the first day where every rule of
the ledger holds. Whatever moves gets a `Change` with the `Reason` that moved it; whatever cannot
be placed is listed as unplaced with the rule that blocked it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from common.catalogue import Day, Msg
from segments.segmentset import Segment, SegmentSet

from ..channels import affinity, channels_for
from ..definitions import Campaign, EService, Municipality, Region
from ..mix import ChannelMix
from ..relevance import relevant_segments
from .ledger import FLYER_ORDER_HOURS, Ledger, Task
from .plan import CATCH_UP_WAVE, PHASES, Activity, ActivityKind, CampaignPlan, Change, Coordination
from .reasons import Reason, combine
from .workdays import DayRules

__all__ = ["EVALUATION_HOURS", "plan_campaign", "sort_activities"]

EVALUATION_HOURS: dict[ActivityKind, float] = {"usage_review": 2.0, "citizen_survey": 1.0}


def sort_activities(activities: list[Activity]) -> list[Activity]:
    """Date, then phase order, then municipality: the order every view and export uses."""
    phase_order = {p: i for i, p in enumerate(PHASES)}
    return sorted(activities, key=lambda a: (a.start, phase_order[a.phase], a.municipality, a.id))


class _Planner:
    def __init__(self, campaign: Campaign, region: Region, segment_set: SegmentSet, mix: ChannelMix | None):
        self.mix = mix
        self.campaign = campaign
        self.region = region
        self.segment_set = segment_set
        dates = [campaign.planning_start] + [d for e in campaign.e_services
                                             for d in [e.go_live, *e.local_go_live.values()] if d]
        self.rules = DayRules(tuple(region.blackouts) + tuple(campaign.blackouts),
                              min(dates).year, max(dates).year + 2)
        self.ledger = Ledger(region, self.rules, campaign.planning_start)
        self.activities: list[Activity] = []
        self.changes: list[Change] = []
        self.search = campaign.offsets.search_days

    # -------------------------------------------------- recording

    def _activity(self, t: Task, day: dt.date) -> None:
        ch = t.channel.key if t.channel else None
        seg = t.segment.id if t.segment else None
        wave = "-" if t.wave is None else t.wave
        aid = f"{self.campaign.key}:{t.e.key}:{t.muni.code}:{t.kind}:{wave}:{ch or '-'}:{seg or '-'}"
        self.activities.append(Activity(
            aid, t.muni.code, t.muni.name, t.e.key, t.e.name, t.phase, t.kind, ch, seg,
            t.segment.name if t.segment else None, day, day, t.label(), t.coordination, round(t.hours, 2),
            t.wave, t.reason))
        order = self.ledger.order_day(t, day)
        if order is not None and t.channel is not None:
            self.activities.append(Activity(
                aid.replace(":flyer_distribution:", ":flyer_order:"), t.muni.code, t.muni.name, t.e.key, t.e.name,
                t.phase, "flyer_order", ch, seg, t.segment.name if t.segment else None, order, order,
                t.label(order_for=day), t.coordination, FLYER_ORDER_HOURS, t.wave))

    def _change(self, e: EService, muni: Municipality | None, what: Msg, why: Reason,
                requested: dt.date, placed: dt.date | None) -> None:
        self.changes.append(Change(e.key, muni.code if muni else None, muni.name if muni else None, what, why,
                                   requested, placed))

    # -------------------------------------------------- searching

    def _days(self, start: dt.date, step: int, limit: dt.date | None = None) -> list[dt.date]:
        days = []
        for i in range(self.search + 1):
            d = start + dt.timedelta(days=step * i)
            if limit is not None and ((step > 0 and d >= limit) or (step < 0 and d < limit)):
                break
            days.append(d)
        return days

    def _first_fit(self, muni: Municipality, tasks: list[Task], days: list[dt.date]
                   ) -> tuple[dt.date | None, Reason | None]:
        reasons: list[Reason] = []
        for d in days:
            why = self.ledger.problem(muni, tasks, d)
            if why is None:
                return d, combine(reasons)
            reasons.append(why)
        return None, combine(reasons)

    def _place_alone(self, tasks: list[Task], target: dt.date, *, backward: bool = False,
                     before: dt.date | None = None, explain: bool = True, label: Msg | None = None
                     ) -> dt.date | None:
        """Place one municipality's tasks together on the first day that fits; the day, or None."""
        muni = tasks[0].muni
        if backward:
            days = self._days(target, -1, limit=self.campaign.planning_start)
            days += [d for d in self._days(target + dt.timedelta(days=1), 1, limit=before) if d not in days]
        else:
            days = self._days(target, 1, limit=before)
        day, why = self._first_fit(muni, tasks, days)
        what = label or (tasks[0].label() if len(tasks) == 1 else
                         Msg("label.several", e_service=tasks[0].e.title, what=Msg(f"kind.{tasks[0].kind}")))
        if day is None:
            if explain:
                self._change(tasks[0].e, muni, what, why or Reason("workload", Msg("reason.no_free_day")),
                             target, None)
            return None
        if day != target and why and explain:
            self._change(tasks[0].e, muni, what, why, target, day)
        self.ledger.book(muni, tasks, day)
        for t in tasks:
            self._activity(t, day)
        return day

    def _place_overflow(self, t: Task, target: dt.date) -> None:
        """A post beyond a channel's cap goes to the next day that allows it, and says so."""
        assert t.channel is not None
        weekly = t.channel.max_per_week is not None
        cap = t.channel.max_per_week if weekly else t.channel.max_per_month
        t.coordination = "local"  # it no longer shares the wave's common date
        day = self._place_alone([t], target + dt.timedelta(days=1), explain=False)
        self._change(t.e, t.muni, t.label(),
                     Reason("cap", Msg("reason.cap_week_short" if weekly else "reason.cap_month_short", cap=cap,
                                       channel=t.channel.title)), target, day)

    def _split_caps(self, tasks: list[Task]) -> tuple[list[Task], list[Task]]:
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

    def _common_day(self, core: dict[str, list[Task]], munis: dict[str, Municipality], target: dt.date
                    ) -> tuple[dt.date | None, list[Reason], dt.date | None]:
        """The first day every member's tasks fit, the reasons met before it, and (if none) the
        day that suits the most members."""
        reasons: list[Reason] = []
        best: tuple[int, dt.date] | None = None
        for d in self._days(target, 1):
            failing = [why for code, ts in core.items() if ts
                       if (why := self.ledger.problem(munis[code], ts, d)) is not None]
            if not failing:
                return d, reasons, None
            reasons.append(failing[0])
            ok = len(core) - len(failing)
            if best is None or ok > best[0]:
                best = (ok, d)
        return None, reasons, best[1] if best else None

    def _place_together(self, e: EService, groups: dict[str, list[Task]], target: dt.date, label: Msg) -> None:
        """One common date for every municipality's tasks (a regional wave); those that cannot
        follow get their own date, and the plan says why."""
        munis = {code: tasks[0].muni for code, tasks in groups.items() if tasks}
        core: dict[str, list[Task]] = {}
        overflow: list[Task] = []
        for code, tasks in groups.items():
            keep, later = self._split_caps(tasks)
            core[code] = keep
            overflow += later
        chosen, reasons, best = self._common_day(core, munis, target)
        if chosen is not None:
            why = combine(reasons)
            if chosen != target and why:
                self._change(e, None, label, why, target, chosen)
            for code, ts in core.items():
                if ts:
                    self.ledger.book(munis[code], ts, chosen)
                    for t in ts:
                        self._activity(t, chosen)
        else:
            # No common day: the most members share the best day, the others get their own.
            common = best or target
            for code, ts in core.items():
                if not ts:
                    continue
                problem = self.ledger.problem(munis[code], ts, common)
                if problem is None:
                    self.ledger.book(munis[code], ts, common)
                    for t in ts:
                        self._activity(t, common)
                else:
                    self._change(e, munis[code], Msg("label.common_date", label=label, day=Day(common, "short")),
                                 Reason("coordination", Msg("reason.cannot_follow", why=problem.msg)), common, None)
                    self._place_alone(ts, common)
        for t in overflow:
            self._place_overflow(t, target)

    # -------------------------------------------------- the launch model

    def _go_live(self, e: EService, target: dt.date, muni: Municipality | None) -> dt.date:
        day, why = target, None
        for d in (target + dt.timedelta(days=i) for i in range(366)):  # a launch may wait out a long blackout
            blocked = self.rules.blocked(d)
            if blocked is None:
                day = d
                break
            why = why or blocked
        if day != target and why:
            self._change(e, muni, Msg("label.go_live", e_service=e.name), why, target, day)
        return day

    def _segments(self, e: EService) -> list[Segment]:
        """The segments the e-service names (or all) that its audience concerns enough."""
        named = [s for s in self.segment_set.segments if e.segments == "all" or s.id in e.segments]
        return relevant_segments(e, named)

    def _wave_tasks(self, e: EService, muni: Municipality, wave: int, coordination: Coordination) -> list[Task]:
        channels = [self.region.channel(k) for k in e.channels]
        shared = coordination == "regional" and muni.code != self.region.leader
        factor = self.region.shared_material_factor if shared else 1.0
        tasks = []
        for seg in self._segments(e):
            wanted = (self.mix.channels_for(seg.id, e.key) if self.mix is not None else
                      [a.channel for a in channels_for(seg, channels)])
            for ch in channels:
                if ch.key not in wanted or (ch.max_waves is not None and wave >= ch.max_waves):
                    continue
                aff = affinity(seg, ch)
                kind: ActivityKind = {"print": "flyer_distribution", "in_person": "session"}.get(  # type: ignore[assignment]
                    ch.kind, "publish")
                tasks.append(Task(muni, e, "external_marketing", kind, ch, seg, ch.hours * factor,
                                  coordination, wave, aff.reason))
        return tasks

    def _place_local_wave(self, e: EService, m: Municipality, wave: int, target: dt.date) -> None:
        tasks = self._wave_tasks(e, m, wave, "local")
        if not tasks:
            return
        keep, later = self._split_caps(tasks)
        label = (Msg("label.catch_up", e_service=e.name) if wave == CATCH_UP_WAVE
                 else Msg("label.wave", e_service=e.name, wave=wave + 1))
        self._place_alone(keep, target, label=label)
        for t in later:
            self._place_overflow(t, target)

    def _go_live_dates(self, e: EService, members: list[Municipality]) -> tuple[dict[str, dt.date], dt.date | None]:
        local_dates = {self.region.municipality(ref).code: d for ref, d in e.local_go_live.items()}
        joint = self._go_live(e, e.go_live, None) if e.go_live else None
        go_live: dict[str, dt.date] = {}
        for m in members:
            if m.code in local_dates:
                go_live[m.code] = self._go_live(e, local_dates[m.code], m)
            elif joint is not None:
                go_live[m.code] = joint
        return go_live, joint

    def _internal(self, e: EService, members: list[Municipality], go_live: dict[str, dt.date],
                  joint: dt.date | None) -> None:
        """Internal marketing: before go-live, never after it; the leader's material is reused."""
        o = self.campaign.offsets
        for m in members:
            if m.code not in go_live:
                continue
            day = go_live[m.code]
            shared = joint is not None and day == joint
            factor = self.region.shared_material_factor if (shared and m.code != self.region.leader) else 1.0
            for key, weeks in zip(self.campaign.internal_channels,
                                  (o.internal_briefing_weeks_before, o.staff_training_weeks_before)):
                ch = self.region.channel(key)
                kind: ActivityKind = "staff_training" if ch.kind == "in_person" else "briefing"
                task = Task(m, e, "internal_marketing", kind, ch, None, ch.hours * factor, "local")
                self._place_alone([task], day - dt.timedelta(weeks=weeks), backward=True, before=day)

    def _external(self, e: EService, members: list[Municipality], go_live: dict[str, dt.date],
                  joint: dt.date | None) -> None:
        """A joint e-service has one common date per wave; a member with its own go-live date gets
        a local wave on that date (a catch-up wave when it launches later) and joins the regional
        waves that fall after it. Local-only e-services run every wave from each member's own date."""
        for w, weeks in enumerate(self.campaign.offsets.external_waves_weeks):
            if joint is None:
                for m in members:
                    if m.code in go_live:
                        self._place_local_wave(e, m, w, go_live[m.code] + dt.timedelta(weeks=weeks))
                continue
            target = joint + dt.timedelta(weeks=weeks)
            groups = {m.code: self._wave_tasks(e, m, w, "regional") for m in members
                      if m.code in go_live and go_live[m.code] <= target}
            self._place_together(e, groups, target, Msg("label.wave", e_service=e.name, wave=w + 1))
        if joint is not None:
            for m in members:
                if m.code in go_live and go_live[m.code] != joint:
                    self._place_local_wave(e, m, CATCH_UP_WAVE, go_live[m.code])

    def _evaluation(self, e: EService, members: list[Municipality], go_live: dict[str, dt.date],
                    joint: dt.date | None) -> None:
        """The same weeks later everywhere a date is shared."""
        groups_eval: dict[dt.date, dict[str, list[Task]]] = defaultdict(dict)
        for m in members:
            if m.code not in go_live:
                continue
            coordination: Coordination = "regional" if joint is not None and go_live[m.code] == joint else "local"
            groups_eval[go_live[m.code]][m.code] = [
                Task(m, e, "evaluation", kind, None, None, hours, coordination)
                for kind, hours in EVALUATION_HOURS.items()]
        weeks = self.campaign.offsets.evaluation_weeks_after
        for day, groups in sorted(groups_eval.items()):
            self._place_together(e, groups, day + dt.timedelta(weeks=weeks),
                                 Msg("label.evaluation", e_service=e.name))

    def plan_e_service(self, e: EService) -> None:
        members = self.region.participants(e)
        go_live, joint = self._go_live_dates(e, members)
        for m in members:
            if m.code not in go_live:
                continue
            coordination: Coordination = "regional" if joint is not None and go_live[m.code] == joint else "local"
            gl = Task(m, e, "go_live", "go_live", None, None, 0.0, coordination)
            self.ledger.book(m, [gl], go_live[m.code])
            self._activity(gl, go_live[m.code])
        self._internal(e, members, go_live, joint)
        self._external(e, members, go_live, joint)
        self._evaluation(e, members, go_live, joint)

    def run(self) -> CampaignPlan:
        for e in self.campaign.e_services:
            self.plan_e_service(e)
        return CampaignPlan(self.campaign, self.region, tuple(self.segment_set.segments),
                            tuple(sort_activities(self.activities)), tuple(self.changes))


def plan_campaign(campaign: Campaign, region: Region, segment_set: SegmentSet,
                  mix: ChannelMix | None = None) -> CampaignPlan:
    """Schedule the whole campaign; deterministic for the same inputs.

    With a `mix` (from `optimise_mix`) each segment gets the channels the budget allows;
    without one, every channel whose affinity for the segment is high enough.
    """
    return _Planner(campaign, region, segment_set, mix).run()
