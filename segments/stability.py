"""How stable each segment is: does it come back when the answers are resampled?

The bootstrap of Hennig's clusterboot: draw the sample again with replacement, fit k-means
anew, and find for each segment the new group that overlaps it most (Jaccard index of the
members). A segment that keeps a mean overlap of at least 0.75 is "stabil"; below that it
depends on which persons happened to answer and is shown as "osäker", so it is checked
before it drives a campaign.
"""

from __future__ import annotations

import numpy as np

from .kmeans import kmeans, nearest

__all__ = ["RESAMPLES", "STABLE", "segment_stability"]

RESAMPLES = 8
STABLE = 0.75  # Hennig (2007): below 0.75 a cluster is a pattern of the sample rather than a group


def segment_stability(X: np.ndarray, w: np.ndarray, labels: np.ndarray, k: int, seed: int,
                      resamples: int = RESAMPLES) -> dict[int, float]:
    """Mean best Jaccard overlap per label over `resamples` bootstrap refits (labels ≥ 0 only).

    `w` counts answers (it sums to the sample size), so each resample draws as many again.
    """
    rng = np.random.default_rng(seed + 1)
    segments = [int(s) for s in np.unique(labels) if s >= 0]
    scores: dict[int, list[float]] = {s: [] for s in segments}
    p = w / w.sum()
    for r in range(resamples):
        drawn = rng.choice(len(X), size=max(1, int(round(w.sum()))), p=p)
        idx, counts = np.unique(drawn, return_counts=True)
        fit = kmeans(X[idx], counts.astype(np.float64), k, seed + 100 + r, n_init=2)
        new = nearest(X[idx], fit.centers)
        old = labels[idx]
        for s in segments:
            members = old == s
            size = counts[members].sum()
            if size == 0:
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
