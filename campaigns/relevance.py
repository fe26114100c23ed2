"""How much each segment is concerned by each e-service, computed from the segment's profile.

The profile holds shares, not people, so a segment's relevance is an upper bound: the largest
share of it that could meet *every* criterion of the audience (the smallest of the criteria's
shares). A segment of pensioners in which at most 4 % have children at home cannot be the
audience of school choice, whatever the campaign spends; a segment below the audience's
`min_relevance` gets no citizen-facing activity for that service, and the reason says which
criterion ruled it out. A criterion the data cannot answer is left out and said so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from common.catalogue import ListOf, Msg, Pct
from segments.profile import Profile
from segments.segmentset import Segment, SegmentSet

from .definitions import Campaign, EService
from .services import Audience

__all__ = ["Relevance", "age_share", "relevance", "relevance_table", "relevant_segments", "excluded"]

CHILD_HOUSEHOLDS = ("family_with_children", "single_parent")
OLDEST = 100  # the top age band ("80+") is read as 80–100


@dataclass(frozen=True)
class Relevance:
    e_service: str
    segment: int
    score: float  # 0–1: at most this share of the segment is in the audience
    threshold: float
    reason: Msg  # what decided the score, worded at the edges
    unknown: tuple[str, ...] = ()  # criteria the data could not answer

    @property
    def relevant(self) -> bool:
        return self.score >= self.threshold


def _band(label: str) -> tuple[int, int] | None:
    """'16–29' -> (16, 29); '80+' -> (80, OLDEST)."""
    text = label.replace("-", "–").strip()
    try:
        if text.endswith("+"):
            return int(text[:-1]), OLDEST
        lo, hi = text.split("–")
        return int(lo), int(hi)
    except ValueError:
        return None


def age_share(profile: Profile, lo: int, hi: int) -> float:
    """Share of the segment aged lo–hi, taking ages as evenly spread within each band."""
    total = 0.0
    for label, share in profile.age_bands.items():
        band = _band(label)
        if band is None:
            continue
        b_lo, b_hi = band
        overlap = min(hi, b_hi) - max(lo, b_lo) + 1
        if overlap > 0:
            total += share * overlap / (b_hi - b_lo + 1)
    return min(1.0, total)


def _criteria(audience: Audience, p: Profile) -> tuple[list[tuple[float, Msg]], list[str]]:
    """(share, what it means) for every criterion the profile can answer; the names of the others."""
    known: list[tuple[float, Msg]] = []
    unknown: list[str] = []
    if audience.ages is not None:
        lo, hi = audience.ages
        if p.age_bands:
            share = age_share(p, lo, hi)
            known.append((share, Msg("relevance.ages", share=Pct(share), lo=lo, hi=hi)))
        else:
            unknown.append("ages")
    if audience.children is not None:
        household = p.shares.get("household")
        if household:
            with_children = sum(household.get(k, 0.0) for k in CHILD_HOUSEHOLDS)
            share = with_children if audience.children else 1 - with_children
            known.append((share, Msg("relevance.children" if audience.children else "relevance.no_children",
                                     share=Pct(share))))
        else:
            unknown.append("children")
    if audience.occupations:
        occupation = p.shares.get("occupation")
        if occupation:
            share = sum(occupation.get(k, 0.0) for k in audience.occupations)
            known.append((share, Msg("relevance.occupations", share=Pct(share),
                                     occupations=ListOf(tuple(Msg(f"occupation.{k}") for k in audience.occupations),
                                                        "or"))))
        else:
            unknown.append("occupations")
    if audience.homeowners is not None:
        housing = p.shares.get("housing")
        if housing and "owner" in housing:
            share = housing["owner"] if audience.homeowners else 1 - housing["owner"]
            known.append((share, Msg("relevance.homeowners", share=Pct(share))))
        else:
            unknown.append("homeowners")
    return known, unknown


def relevance(e: EService, segment: Segment) -> Relevance:
    """The segment's relevance to the e-service, with the criterion that decided it."""
    audience = e.target_audience()
    threshold = audience.min_relevance
    if audience.is_everyone:
        return Relevance(e.key, segment.id, 1.0, threshold, Msg("relevance.everyone"))
    known, unknown = _criteria(audience, segment.profile)
    unknown_msg: Msg | str = (Msg("relevance.unknown", criteria=ListOf(tuple(Msg(f"criterion.{c}") for c in unknown)))
                              if unknown else "")
    if not known:
        return Relevance(e.key, segment.id, 1.0, threshold, Msg("relevance.not_answerable", unknown=unknown_msg),
                         tuple(unknown))
    share, why = min(known, key=lambda x: x[0])
    code = "relevance.in_audience" if share >= threshold else "relevance.outside"
    return Relevance(e.key, segment.id, round(share, 4), threshold,
                     Msg(code, why=why, threshold=Pct(threshold), unknown=unknown_msg), tuple(unknown))


def relevance_table(campaign: Campaign, segment_set: SegmentSet) -> dict[tuple[str, int], Relevance]:
    """(e-service, segment) -> relevance, for every e-service and segment of the campaign."""
    return {(e.key, s.id): relevance(e, s) for e in campaign.e_services for s in segment_set.segments}


def relevant_segments(e: EService, segments: Iterable[Segment]) -> list[Segment]:
    """The segments the e-service concerns enough to get citizen-facing activities."""
    return [s for s in segments if relevance(e, s).relevant]


def excluded(campaign: Campaign, segment_set: SegmentSet) -> list[Msg]:
    """One message per e-service that leaves segments out: which, and why (for Kanaler and Kalender)."""
    out = []
    for e in campaign.e_services:
        left_out = [(s, relevance(e, s)) for s in segment_set.segments if not relevance(e, s).relevant]
        if left_out:
            out.append(Msg("relevance.excluded", e_service=e.title, n=len(left_out),
                           segments=ListOf(tuple(Msg("relevance.excluded_one", segment=s.title, why=r.reason)
                                                 for s, r in left_out), "semicolon")))
    return out
