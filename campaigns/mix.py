"""Reach, cost and a budgeted channel mix per e-service × segment × channel.

For every e-service × segment × channel the model estimates how many persons the campaign would
reach and what it would cost, then a mixed-integer program (scipy `milp`) picks the combinations
that maximise the reach of each service's audience (reach × the segment's relevance to the
service), weighted by need — segments that use e-services least count more — within the budget
and the channels' capacities, while every segment a service concerns gets a minimum coverage.
A segment the service does not concern (`campaigns.relevance`) is never paid for.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from common.catalogue import ByLang, Money, Msg, Num, Pct, Raw
from segments.segmentset import Segment, SegmentSet

from .channels import MIN_AFFINITY, affinity
from .definitions import Campaign, Channel, EService, Municipality, Region
from .relevance import relevance

__all__ = ["ChannelMix", "Option", "channel_options", "optimise_mix", "persons_in", "PERSONS_PER_HOUSEHOLD"]

PERSONS_PER_HOUSEHOLD = 2.1
ADULT_SHARE = 0.82


@dataclass(frozen=True)
class Option:
    """One e-service × segment × channel: how well the channel fits the segment, how much the
    service concerns the segment, how many it reaches over the campaign and what it costs."""

    e_service: str
    e_service_name: str
    segment: int
    segment_name: str
    channel: str
    channel_name: str
    affinity: float
    reason: Msg
    relevance: float  # at most this share of the segment is the service's audience
    relevance_reason: Msg
    relevant: bool
    persons: float  # segment members in the municipalities taking part in the e-service
    reach: float  # persons reached at least once
    activities: int
    cost: float  # SEK for the whole campaign
    need: float  # weight: higher for segments that use e-services less
    members: float = 0.0  # segment members in every municipality that takes part in any e-service
    # e-service, segment and channel named for every language (name_en, a generated segment name):
    # the *_name fields above are what plans carry, these what a table or file in a language shows
    titles: tuple[ByLang | Msg | str, ...] = ()

    @property
    def cost_per_person(self) -> float:
        return self.cost / self.reach if self.reach > 0 else float("inf")

    @property
    def audience_reach(self) -> float:
        """Reached persons who are (at most) in the service's audience: what the mix maximises."""
        return self.reach * self.relevance

    @property
    def eligible(self) -> bool:
        return self.affinity >= MIN_AFFINITY and self.relevant

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.e_service, self.segment, self.channel)


@dataclass(frozen=True)
class ChannelMix:
    budget: float
    options: tuple[Option, ...]
    picked: tuple[tuple[str, int, str], ...]  # (e-service, segment, channel) the budget pays for
    feasible: bool  # False when the budget could not give every segment its minimum coverage
    min_coverage: float
    explanation: tuple[Msg, ...]  # worded at the edges

    def is_chosen(self, option: Option) -> bool:
        return option.key in self.picked

    def channels_for(self, segment: int, e_service: str | None = None) -> list[str]:
        """Channels chosen for a segment: for one e-service, or for any (in option order)."""
        return list(dict.fromkeys(c for e, s, c in self.picked if s == segment and e_service in (None, e)))

    @property
    def total_cost(self) -> float:
        return sum(o.cost for o in self.options if self.is_chosen(o))

    @property
    def unlimited(self) -> bool:
        return math.isinf(self.budget)

    @property
    def total_reach(self) -> float:
        """Contacts: a person reached by two channels, or for two e-services, counts each time."""
        return sum(o.reach for o in self.options if self.is_chosen(o))

    @property
    def unique_reach(self) -> float:
        """Persons reached at least once, estimated: each chosen e-service × channel reaches a
        member independently of the others, so overlaps are counted once."""
        total = 0.0
        for seg in dict.fromkeys(o.segment for o in self.options):
            chosen = [o for o in self.options if o.segment == seg and self.is_chosen(o)]
            members = max((o.members for o in self.options if o.segment == seg), default=0.0)
            if not chosen or members <= 0:
                continue
            missed = 1.0
            for o in chosen:
                if o.persons > 0:
                    missed *= (1 - min(1.0, o.reach / o.persons)) ** (o.persons / members)
            total += members * (1 - missed)
        return total

    def coverage(self, segment: int, e_service: str | None = None) -> float:
        """Share of the segment reached for one e-service; without one, the lowest over the
        e-services that concern the segment (1.0 when none does)."""
        services = [e_service] if e_service else list(dict.fromkeys(
            o.e_service for o in self.options if o.segment == segment and o.relevant))
        shares = []
        for e in services:
            opts = [o for o in self.options if o.segment == segment and o.e_service == e]
            persons = opts[0].persons if opts else 0.0
            reached = sum(o.reach for o in opts if self.is_chosen(o))
            shares.append(min(1.0, reached / persons) if persons else 0.0)
        return min(shares) if shares else 1.0


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


def _option(e: EService, seg: Segment, ch: Channel, region: Region, segment_set: SegmentSet, waves: int,
            all_members: float) -> Option:
    """Reach and cost of one channel for one segment and e-service over its waves."""
    aff = affinity(seg, ch)
    rel = relevance(e, seg)
    members_of = region.participants(e)
    # Joint launches share one design (fixed cost once per wave); local ones pay it each.
    cost = waves * ch.cost_fixed * (1 if e.go_live is not None else len(members_of))
    persons = reach = 0.0
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
    return Option(e.key, e.name, seg.id, seg.name, ch.key, ch.name, aff.score, aff.reason, rel.score, rel.reason,
                  rel.relevant, round(persons, 1), round(reach, 1), waves * len(members_of), round(cost, 2),
                  round(_need(seg, segment_set), 3), all_members, (e.title, seg.title, ch.title))


def channel_options(campaign: Campaign, region: Region, segment_set: SegmentSet) -> list[Option]:
    """Reach and cost of every e-service × segment × citizen channel the campaign uses."""
    all_waves = len(campaign.offsets.external_waves_weeks)
    options = []
    taking_part = {m.code: m for e in campaign.e_services for m in region.participants(e)}
    members = {seg.id: round(sum(persons_in(seg, m, segment_set) for m in taking_part.values()), 1)
               for seg in segment_set.segments}
    for e in campaign.e_services:
        channels = [region.channel(k) for k in e.channels if not region.channel(k).internal]
        for seg in segment_set.segments:
            if e.segments != "all" and seg.id not in e.segments:
                continue
            for ch in channels:
                options.append(_option(e, seg, ch, region, segment_set, min(all_waves, ch.max_waves or all_waves),
                                       members[seg.id]))
    return options


def _solve(options: list[Option], budget: float, region: Region, coverage: dict[tuple[str, int], float] | None
           ) -> np.ndarray | None:
    n = len(options)
    c = -np.array([o.need * o.audience_reach for o in options])
    rows, lo, hi = [np.array([o.cost for o in options])], [0.0], [budget]
    for e_key, key in sorted({(o.e_service, o.channel) for o in options}):
        ch = region.channel(key)
        cap = min(x for x in (ch.max_per_week, ch.max_per_month, 10 ** 6) if x is not None)
        if cap < 10 ** 6:  # a wave of one e-service holds at most `cap` of these per municipality
            rows.append(np.array([1.0 if (o.e_service, o.channel) == (e_key, key) else 0.0 for o in options]))
            lo.append(0.0)
            hi.append(float(cap))
    if coverage:
        for (e_key, seg), need_reach in coverage.items():
            rows.append(np.array([o.reach if (o.e_service, o.segment) == (e_key, seg) else 0.0 for o in options]))
            lo.append(need_reach)
            hi.append(np.inf)
    ub = np.array([1.0 if o.eligible else 0.0 for o in options])
    # A sparse matrix: for a dense one scipy briefly turns every warning into an error process-wide
    # (warnings.catch_warnings is not thread-safe), which broke other officers' pages under load.
    res = milp(c, constraints=LinearConstraint(csr_array(np.vstack(rows)), lo, hi), integrality=np.ones(n),
               bounds=Bounds(np.zeros(n), ub))
    if res.status != 0 or res.x is None:
        return None
    return np.round(res.x).astype(bool)


def _coverage_targets(options: list[Option], min_coverage: float) -> dict[tuple[str, int], float]:
    """Each relevant e-service × segment must reach min_coverage of its members, or as much as its
    channels allow."""
    targets = {}
    for pair in dict.fromkeys((o.e_service, o.segment) for o in options if o.relevant):
        opts = [o for o in options if (o.e_service, o.segment) == pair]
        best = sum(o.reach for o in opts if o.eligible)
        if best > 0:
            targets[pair] = min(min_coverage * opts[0].persons, 0.99 * best)
    return targets


def _names(o: Option, *which: str) -> dict[str, object]:
    """The option's e-service, segment and channel as message values, in every language they have."""
    carried = (Raw(o.e_service_name), Raw(o.segment_name), Raw(o.channel_name))
    named = dict(zip(("e_service", "segment", "channel"), o.titles or carried, strict=True))
    return {k: v for k, v in named.items() if not which or k in which}


def _explain(mix: ChannelMix, options: list[Option], pick: np.ndarray) -> list[Msg]:
    left = mix.budget - mix.total_cost
    lines = [Msg("mix.summary_unlimited" if mix.unlimited else "mix.summary", cost=Money(mix.total_cost),
                 budget="" if mix.unlimited else Money(mix.budget), reach=Num(mix.unique_reach),
                 contacts=Num(mix.total_reach))]
    for o, x in zip(options, pick):
        common = {**_names(o), "reason": o.reason, "reach": Num(o.reach), "cost": Money(o.cost),
                  "per_person": Num(o.cost_per_person, 1)}
        if not o.relevant:
            continue  # said once per e-service and segment below
        if x:
            lines.append(Msg("mix.chosen", **common))
        elif o.eligible:
            why = Msg("mix.no_budget_left", left=Money(left)) if o.cost > left else Msg("mix.no_room_in_wave")
            lines.append(Msg("mix.not_chosen", why=why, **common))
        else:
            lines.append(Msg("mix.unsuitable", **common))
    for o in {(o.e_service, o.segment): o for o in options if not o.relevant}.values():
        lines.append(Msg("mix.not_in_audience", **_names(o, "e_service", "segment"), why=o.relevance_reason))
    for e_key, seg in dict.fromkeys((o.e_service, o.segment) for o in options if o.relevant):
        cov = mix.coverage(seg, e_key)
        if cov < mix.min_coverage:
            o = next(o for o in options if (o.e_service, o.segment) == (e_key, seg))
            lines.append(Msg("mix.low_coverage", **_names(o, "e_service", "segment"), coverage=Pct(cov)))
    return lines


def optimise_mix(campaign: Campaign, region: Region, segment_set: SegmentSet, budget: float | None = None,
                 min_coverage: float = 0.1, options: Sequence[Option] | None = None) -> ChannelMix:
    """The budgeted mix per e-service × segment × channel, with an explanation (messages) of what
    was chosen and why not. Segments an e-service does not concern are never paid for.

    `budget=math.inf` means no limit: every suitable channel the capacities allow. `options` are
    `channel_options` of the same campaign and segments when the caller keeps them: they do not
    depend on the budget, so an officer trying budgets only pays for the solve."""
    budget = float(campaign.budget_sek if budget is None else budget)
    options = list(channel_options(campaign, region, segment_set) if options is None else options)
    coverage = _coverage_targets(options, min_coverage)
    pick = _solve(options, budget, region, coverage)
    feasible = pick is not None
    head: list[Msg] = []
    if not feasible:
        cheapest = _solve(options, 1e12, region, coverage)
        if cheapest is None:  # no budget reaches it (nor "no limit"): the channels' caps do not allow it
            head.append(Msg("mix.infeasible_unlimited", coverage=Pct(min_coverage)))
        else:
            needed = sum(o.cost for o, x in zip(options, cheapest) if x)
            head.append(Msg("mix.infeasible", budget=Money(budget), coverage=Pct(min_coverage),
                            needed=Msg("mix.needed", needed=Money(needed)) if needed else ""))
        pick = _solve(options, budget, region, None)
        if pick is None:
            pick = np.zeros(len(options), dtype=bool)
    assert pick is not None
    picked = tuple(o.key for o, x in zip(options, pick) if x)
    mix = ChannelMix(budget, tuple(options), picked, feasible, min_coverage, ())
    return ChannelMix(budget, tuple(options), picked, feasible, min_coverage,
                      tuple(head + _explain(mix, options, pick)))
