"""How stable each segment is: does it come back when the answers are resampled?

The bootstrap of Hennig's clusterboot: draw the (weighted) sample again with replacement, fit the
latent class model anew at the same k (from fresh starts and from the original partition; the
best likelihood on the resample wins), and find for each segment the new class that overlaps it
most (Jaccard index of the members). A segment that keeps a mean overlap of at least 0.75 is
"stabil"; below that it depends on which persons happened to answer and is shown as "osäker", so
it is checked before it drives a campaign.
"""

from __future__ import annotations

import numpy as np

from .mixture import MixedData
from .segmentset import STABLE

__all__ = ["RESAMPLES", "STABLE", "segment_stability"]

RESAMPLES = 8


def segment_stability(data: MixedData, w: np.ndarray, labels: np.ndarray, k: int, seed: int,
                      resamples: int = RESAMPLES) -> dict[int, float]:
    """Mean best Jaccard overlap per label over `resamples` bootstrap refits (labels ≥ 0 only).

    `w` counts effective answers (it sums to Kish's effective size), so each resample draws as
    many again: a file whose weight sits on few rows is resampled as the few answers it holds.
    """
    from .choosek import best_fit  # choosek imports segmentset, which imports this module

    rng = np.random.default_rng(seed + 1)
    segments = [int(s) for s in np.unique(labels) if s >= 0]
    scores: dict[int, list[float]] = {s: [] for s in segments}
    p = w / w.sum()
    for r in range(resamples):
        drawn = rng.multinomial(max(2, int(round(w.sum()))), p)  # as many draws again, counted per profile
        idx = np.flatnonzero(drawn)
        counts = drawn[idx]
        sub = data.take(idx)
        fit = best_fit(sub, counts.astype(np.float64), k, seed + 100 + r, start=labels[idx])
        # the overlap is measured on the rows the resample drew, counted as often as drawn
        new = fit.resp.argmax(axis=1)
        old = labels[idx]
        for s in segments:
            members = old == s
            if counts[members].sum() == 0:
                scores[s].append(0.0)
                continue
            best = 0.0
            for g in np.unique(new[members]):
                theirs = new == g
                inter = counts[members & theirs].sum()
                union = counts[members | theirs].sum()
                best = max(best, float(inter / union))
            scores[s].append(best)
    return {s: round(float(np.mean(v)), 3) for s, v in scores.items()}
