"""Weighted k-means in plain numpy: k-means++ starts, Lloyd iterations, the best of several starts.

The rows are distinct answer profiles carrying summed weights, so there are thousands of them
rather than millions, and a small numpy loop is as fast as scikit-learn's KMeans here while
sparing every run the second it takes to import scikit-learn and SciPy. The objective is the
same (weighted within-group sum of squares); a test checks it against scikit-learn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["KMeansFit", "kmeans", "nearest", "sq_distances"]

START_SAMPLE = 5_000  # the starts compete on a weighted sample; the winner is refined on all rows


@dataclass(frozen=True)
class KMeansFit:
    centers: np.ndarray  # k × d
    labels: np.ndarray  # nearest center per row
    inertia: float  # weighted within-group sum of squares


def sq_distances(X: np.ndarray, centers: np.ndarray, xx: np.ndarray | None = None) -> np.ndarray:
    """Squared Euclidean distances, rows × centers (never negative); `xx` = row norms if known."""
    if xx is None:
        xx = np.einsum("ij,ij->i", X, X)
    d = xx[:, None] - 2.0 * X @ centers.T + np.einsum("ij,ij->i", centers, centers)[None, :]
    return np.maximum(d, 0.0)


def nearest(X: np.ndarray, centers: np.ndarray, chunk: int = 200_000) -> np.ndarray:
    """Index of the nearest center for each row (in chunks, so memory stays flat)."""
    out = np.empty(len(X), dtype=np.int64)
    c2 = (centers * centers).sum(axis=1)
    for start in range(0, len(X), chunk):
        x = X[start:start + chunk]
        out[start:start + chunk] = np.argmin(c2[None, :] - 2.0 * x @ centers.T, axis=1)
    return out


def _plus_plus(X: np.ndarray, w: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ starting centers, drawn in proportion to weight × squared distance."""
    centers = np.empty((k, X.shape[1]))
    centers[0] = X[rng.choice(len(X), p=w / w.sum())]
    xx = np.einsum("ij,ij->i", X, X)
    closest = sq_distances(X, centers[:1], xx)[:, 0]
    for i in range(1, k):
        p = w * closest
        total = p.sum()
        if total <= 0:  # fewer distinct points than k: repeat one, Lloyd leaves it empty
            centers[i:] = centers[0]
            break
        # a few candidates, keep the one that lowers the objective most (greedy k-means++)
        cands = rng.choice(len(X), size=min(len(X), 2 + int(np.log(k))), p=p / total)
        dists = np.minimum(closest[None, :], sq_distances(X, X[cands], xx).T)
        best = int(np.argmin(dists @ w))
        centers[i] = X[cands[best]]
        closest = dists[best]
    return centers


def _lloyd(X: np.ndarray, w: np.ndarray, centers: np.ndarray, max_iter: int
           ) -> tuple[np.ndarray, np.ndarray, float]:
    """Lloyd iterations until no row changes group (or max_iter)."""
    k = len(centers)
    rows = np.arange(len(X))
    labels = np.full(len(X), -1, dtype=np.int64)
    member = np.zeros((len(X), k))
    xx = np.einsum("ij,ij->i", X, X)
    for _ in range(max_iter):
        new = np.argmin(X @ centers.T * -2.0 + np.einsum("ij,ij->i", centers, centers)[None, :], axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        member[:] = 0.0
        member[rows, labels] = w
        mass = member.sum(axis=0)
        filled = mass > 0
        centers = centers.copy()
        centers[filled] = (member.T @ X)[filled] / mass[filled, None]
    d = sq_distances(X, centers, xx)
    labels = np.argmin(d, axis=1)
    return centers, labels, float(w @ d[rows, labels])


def kmeans(X: np.ndarray, w: np.ndarray, k: int, seed: int = 0, *, n_init: int = 10, max_iter: int = 300,
           init: np.ndarray | None = None) -> KMeansFit:
    """The best of `n_init` weighted k-means++ runs (or one run from `init`).

    With many rows the starts compete on a weighted sample of START_SAMPLE rows and only the
    winner is iterated on all of them: the same optimum in a fraction of the time.
    """
    w = np.asarray(w, dtype=np.float64)
    rng = np.random.default_rng(seed)
    k = max(1, min(k, len(X)))
    if init is None:
        if len(X) > START_SAMPLE:
            idx = rng.choice(len(X), size=START_SAMPLE, replace=False, p=w / w.sum())
            Xs, ws = X[idx], np.full(START_SAMPLE, w.sum() / START_SAMPLE)
        else:
            Xs, ws = X, w
        best: tuple[np.ndarray, np.ndarray, float] | None = None
        for _ in range(n_init):
            run = _lloyd(Xs, ws, _plus_plus(Xs, ws, k, rng), max_iter)
            if best is None or run[2] < best[2]:
                best = run
        assert best is not None
        init = best[0]
        if Xs is X:
            return KMeansFit(best[0], best[1], best[2])
    centers, labels, inertia = _lloyd(X, w, np.asarray(init, dtype=np.float64), max_iter)
    return KMeansFit(centers, labels, inertia)
