"""Which segment of a refit is which segment of before: matching by profile similarity.

When the officer changes k, the minimum size or a rule, the segments are fitted anew and their
ids follow size order, so "segment 3" may now be another group. Matching their profiles —
age bands, answer shares, habits — tells which new segment carries on which old one, so names
the officer gave can follow their group (and a group that is gone is not silently renamed).
"""

from __future__ import annotations

import numpy as np

from .profile import Profile
from .segmentset import Segment, SegmentSet

__all__ = ["MATCH_AT", "match_segments", "profile_similarity"]

MATCH_AT = 0.8  # similarity from which a new segment counts as the same group


def _distributions(p: Profile) -> dict[str, dict[str, float]]:
    out = {"age": dict(p.age_bands)}
    for field, shares in p.shares.items():
        out[field] = dict(shares) if len(shares) > 1 or "true" not in shares else {
            "true": shares["true"], "false": 1.0 - shares["true"]}
    return out


def profile_similarity(a: Profile, b: Profile) -> float:
    """1 minus the mean total-variation distance over age bands and every question both hold (0–1)."""
    da, db = _distributions(a), _distributions(b)
    common = sorted(set(da) & set(db))
    if not common:
        return 0.0
    tv = [0.5 * sum(abs(da[f].get(v, 0.0) - db[f].get(v, 0.0)) for v in set(da[f]) | set(db[f])) for f in common]
    return round(1.0 - float(np.mean(tv)), 4)


def _score(old: Segment, new: Segment) -> float:
    if (old.rule is None) != (new.rule is None):
        return 0.0  # a rule segment only carries on as the same rule
    if old.rule is not None and new.rule is not None:
        return 1.0 if old.rule == new.rule else 0.0
    return profile_similarity(old.profile, new.profile)


def match_segments(old: SegmentSet, new: SegmentSet, at: float = MATCH_AT) -> dict[int, int | None]:
    """Old segment id -> the new segment id that carries it on, or None when none is similar enough.

    Each new segment carries on at most one old one: the pairing with the highest total
    similarity (Hungarian algorithm) among pairs at least `at` alike. Pairs below `at` count as
    nothing, so two weak pairings never outweigh a strong one (which left a group unmatched).
    """
    from scipy.optimize import linear_sum_assignment  # only when matching: SciPy is slow to import

    if not old.segments or not new.segments:
        return {s.id: None for s in old.segments}
    sim = np.array([[_score(o, n) for n in new.segments] for o in old.segments])
    alike = sim >= at
    rows, cols = linear_sum_assignment(-np.where(alike, sim, 0.0))
    out: dict[int, int | None] = {s.id: None for s in old.segments}
    for r, c in zip(rows, cols):
        if alike[r, c]:
            out[old.segments[r].id] = new.segments[c].id
    return out
