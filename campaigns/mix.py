"""Reach, cost and a budgeted channel mix per segment.

For every segment × channel the model estimates how many persons the campaign would reach and
what it would cost, then a mixed-integer program (scipy `milp`) picks the combinations that
maximise reach weighted by need — segments that use e-services least count more — within the
budget and the channels' capacities, while every segment gets at least a minimum coverage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from common.messages import Money, Msg, Num, Pct, Raw
from segments.segmentset import Segment, SegmentSet

from .channels import MIN_AFFINITY, affinity
from .definitions import Campaign, Channel, Municipality, Region

__all__ = ["ChannelMix", "Option", "channel_options", "optimise_mix", "persons_in", "PERSONS_PER_HOUSEHOLD"]

PERSONS_PER_HOUSEHOLD = 2.1
ADULT_SHARE = 0.82


@dataclass(frozen=True)
class Option:
    """One segment × channel: how well it fits, how many it reaches over the campaign, what it costs."""

    segment: int
    segment_name: str
    channel: str
    channel_name: str
    affinity: float
    reason: Msg
    persons: float  # segment members in the participating municipalities
    reach: float  # persons reached at least once, summed over e-services
    activities: int
    cost: float  # SEK for the whole campaign
    need: float  # weight: higher for segments that use e-services less

    @property
    def cost_per_person(self) -> float:
        return self.cost / self.reach if self.reach > 0 else float("inf")

    @property
    def eligible(self) -> bool:
        return self.affinity >= MIN_AFFINITY


@dataclass(frozen=True)
class ChannelMix:
    budget: float
    options: tuple[Option, ...]
    chosen: tuple[tuple[int, str], ...]  # (segment, channel)
    feasible: bool  # False when the budget could not give every segment its minimum coverage
    min_coverage: float
    explanation: tuple[Msg, ...]  # worded at the edges

    def channels_for(self, segment: int) -> list[str]:
        return [c for s, c in self.chosen if s == segment]

    @property
    def total_cost(self) -> float:
        return sum(o.cost for o in self.options if (o.segment, o.channel) in self.chosen)

    @property
    def total_reach(self) -> float:
        return sum(o.reach for o in self.options if (o.segment, o.channel) in self.chosen)

    def coverage(self, segment: int) -> float:
        persons = next((o.persons for o in self.options if o.segment == segment), 0.0)
        reached = sum(o.reach for o in self.options if o.segment == segment and (o.segment, o.channel) in self.chosen)
        return min(1.0, reached / persons) if persons else 0.0


def persons_in(segment: Segment, municipality: Municipality, segment_set: SegmentSet) -> float:
    """Segment members living in one municipality: the profile's count where the data has it,
    else the segment's overall share of the municipality's adults."""
    count = segment.profile.by_municipality.get(municipality.name)
    if isinstance(count, int):
        counts = [s.profile.by_municipality.get(municipality.name) for s in segment_set.segments]
        total = sum(c for c in counts if isinstance(c, int))
        share = count / total if total else segment.profile.share
        return share * municipality.population * ADULT_SHARE
    if count is not None:  # suppressed small cell
        return 2.0
    return segment.profile.share * municipality.population * ADULT_SHARE


def _need(segment: Segment, segment_set: SegmentSet) -> float:
    pop = segment_set.population.eservice_mean
    own = segment.profile.habits.eservice_mean
    if not pop or own is None:
        return 1.0
    return float(np.clip(pop / max(own, 0.05 * pop), 0.5, 3.0))


def _variable_cost(ch: Channel, reached: float, targeted: float) -> float:
    """Cost in one municipality for one wave, beyond the fixed cost (copies, sessions, boosting)."""
    units = {"print": targeted / PERSONS_PER_HOUSEHOLD, "in_person": 1.0}.get(ch.kind, 0.0)
    return ch.cost_per_unit * units + ch.cost_per_1000 * reached / 1000


def channel_options(campaign: Campaign, region: Region, segment_set: SegmentSet) -> list[Option]:
    """Reach and cost of every segment × citizen channel the campaign's e-services use."""
    all_waves = len(campaign.offsets.external_waves_weeks)
    keys = list(dict.fromkeys(k for e in campaign.e_services for k in e.channels))
    channels = [region.channel(k) for k in keys if not region.channel(k).internal]
    options = []
    for seg in segment_set.segments:
        for ch in channels:
            aff = affinity(seg, ch)
            persons = reach = cost = 0.0
            activities = 0
            waves = min(all_waves, ch.max_waves or all_waves)
            for e in campaign.e_services:
                if ch.key not in e.channels or (e.segments != "all" and seg.id not in e.segments):
                    continue
                members_of = region.participants(e)
                # Joint launches share one design (fixed cost once per wave); local ones pay it each.
                cost += waves * ch.cost_fixed * (1 if e.go_live is not None else len(members_of))
                for m in members_of:
                    members = persons_in(seg, m, segment_set)
                    targeted = members * aff.score
                    per_wave = targeted * ch.reach_rate
                    if ch.venue_capacity:
                        per_wave = min(per_wave, ch.venue_capacity)
                    reached = min(targeted, per_wave * waves) if ch.venue_capacity else \
                        targeted * (1 - (1 - ch.reach_rate) ** waves)
                    persons += members
                    reach += reached
                    cost += waves * _variable_cost(ch, per_wave, targeted)
                    activities += waves
            if activities:
                options.append(Option(seg.id, seg.name, ch.key, ch.name, aff.score, aff.reason,
                                       round(persons / max(1, len(campaign.e_services)), 1), round(reach, 1),
                                       activities, round(cost, 2), round(_need(seg, segment_set), 3)))
    return options


def _solve(options: list[Option], budget: float, region: Region, coverage: dict[int, float] | None
           ) -> np.ndarray | None:
    n = len(options)
    c = -np.array([o.need * o.reach for o in options])
    rows, lo, hi = [np.array([o.cost for o in options])], [0.0], [budget]
    for key in {o.channel for o in options}:
        ch = region.channel(key)
        cap = min(x for x in (ch.max_per_week, ch.max_per_month, 10 ** 6) if x is not None)
        if cap < 10 ** 6:  # a wave holds at most `cap` of these per municipality
            rows.append(np.array([1.0 if o.channel == key else 0.0 for o in options]))
            lo.append(0.0)
            hi.append(float(cap))
    if coverage:
        for seg, need_reach in coverage.items():
            rows.append(np.array([o.reach if o.segment == seg else 0.0 for o in options]))
            lo.append(need_reach)
            hi.append(np.inf)
    ub = np.array([1.0 if o.eligible else 0.0 for o in options])
    res = milp(c, constraints=LinearConstraint(np.vstack(rows), lo, hi), integrality=np.ones(n),
               bounds=Bounds(np.zeros(n), ub))
    if res.status != 0 or res.x is None:
        return None
    return np.round(res.x).astype(bool)


def optimise_mix(campaign: Campaign, region: Region, segment_set: SegmentSet, budget: float | None = None,
                 min_coverage: float = 0.1) -> ChannelMix:
    """The budgeted channel mix, with an explanation (messages) of what was chosen and why not."""
    budget = float(campaign.budget_sek if budget is None else budget)
    options = channel_options(campaign, region, segment_set)
    segments = sorted({o.segment for o in options})
    # Each segment must reach min_coverage of its members, or as much as its channels allow.
    best = {s: sum(o.reach for o in options if o.segment == s and o.eligible) for s in segments}
    persons = {s: next(o.persons for o in options if o.segment == s) for s in segments}
    coverage = {s: min(min_coverage * persons[s], 0.99 * best[s]) for s in segments if best[s] > 0}
    pick = _solve(options, budget, region, coverage)
    feasible = pick is not None
    explanation: list[Msg] = []
    if not feasible:
        cheapest = _solve(options, 1e12, region, coverage)
        needed = sum(o.cost for o, x in zip(options, cheapest) if x) if cheapest is not None else None
        explanation.append(Msg("mix.infeasible", budget=Money(budget), coverage=Pct(min_coverage),
                               needed=Msg("mix.needed", needed=Money(needed)) if needed else ""))
        pick = _solve(options, budget, region, None)
        if pick is None:
            pick = np.zeros(len(options), dtype=bool)
    assert pick is not None
    chosen = tuple((o.segment, o.channel) for o, x in zip(options, pick) if x)
    mix = ChannelMix(budget, tuple(options), chosen, feasible, min_coverage, ())
    left = budget - mix.total_cost
    explanation.append(Msg("mix.summary", cost=Money(mix.total_cost), budget=Money(budget),
                           reach=Num(mix.total_reach)))
    for o, x in zip(options, pick):
        common = {"segment": Raw(o.segment_name), "channel": Raw(o.channel_name), "reason": o.reason,
                  "reach": Num(o.reach), "cost": Money(o.cost), "per_person": Num(o.cost_per_person, 1)}
        if x:
            explanation.append(Msg("mix.chosen", **common))
        elif o.eligible:
            why = Msg("mix.no_budget_left", left=Money(left)) if o.cost > left else Msg("mix.no_room_in_wave")
            explanation.append(Msg("mix.not_chosen", why=why, **common))
        else:
            explanation.append(Msg("mix.unsuitable", **common))
    for seg in segments:
        cov = mix.coverage(seg)
        name = next(o.segment_name for o in options if o.segment == seg)
        if cov < min_coverage:
            explanation.append(Msg("mix.low_coverage", segment=Raw(name), coverage=Pct(cov)))
    return ChannelMix(budget, tuple(options), chosen, feasible, min_coverage, tuple(explanation))
