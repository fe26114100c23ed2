"""A latent class model of the survey answers, used to judge how many groups the data holds.

Each group has its own share of every answer to every question, and answers are independent
within a group: the classic latent class model of survey research. Numbers (ages, counts, a
user's own numeric column) are read as answers too, cut into at most eight bins at their
weighted quantiles, so no group has to be a normal curve or a Poisson count to fit — real ages
are clipped and lumpy and real counts overdispersed, and a curve that does not fit would be
patched with extra groups. A missing answer simply leaves that question out for that person.

Why a mixture and not k-means for the choice of k: a question that is unrelated to the groups
(sex, say) makes k-means happy to split every group in two, since a man and a woman are far
apart in one-hot space; a mixture gains no likelihood from such a split and BIC penalises it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .features import FeatureSpec

__all__ = ["MixedData", "MixtureFit", "fit_mixture", "mixed_data"]

BINS = 8  # a number column becomes at most this many answer bins
SMOOTH = 0.5  # pseudo-count per answer, so a share is never exactly 0 or 1


@dataclass(frozen=True)
class MixedData:
    """Answers of distinct profiles as one block of 0/1 indicator columns per question.

    A missing answer is a row of zeros in its block, so both steps of EM are matrix products.
    """

    indicators: np.ndarray  # rows × (sum of levels)
    levels: tuple[int, ...]

    def take(self, idx: np.ndarray) -> MixedData:
        return MixedData(self.indicators[idx], self.levels)


def _indicators(codes: np.ndarray, levels: int) -> np.ndarray:
    out = np.zeros((len(codes), levels))
    ok = codes >= 0
    out[np.flatnonzero(ok), codes[ok]] = 1.0
    return out


def _bin_codes(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Codes of a number column: its own values when few, else weighted-quantile bins; -1 missing."""
    ok = ~np.isnan(x)
    distinct = np.unique(x[ok])
    if len(distinct) <= BINS:
        edges = distinct[1:]
    else:
        order = np.argsort(x[ok], kind="stable")
        cw = np.cumsum(w[ok][order])
        cuts = np.searchsorted(cw, cw[-1] * np.arange(1, BINS) / BINS)
        edges = np.unique(x[ok][order][np.minimum(cuts, len(order) - 1)])
        edges = edges[edges > distinct[0]]
    return np.where(ok, np.searchsorted(edges, x, side="right"), -1).astype(np.int64)


def mixed_data(df: pd.DataFrame, spec: FeatureSpec, weights: np.ndarray) -> MixedData:
    """The spec's questions as answers (raw, not imputed), numbers binned by weighted quantiles."""
    n = len(df)
    w = np.asarray(weights, dtype=np.float64)
    blocks, levels = [], []
    for f in spec.numeric:
        codes = _bin_codes(df[f.name].to_numpy(dtype=np.float64), w)
        lv = int(codes.max()) + 1 if (codes >= 0).any() else 1
        blocks.append(_indicators(codes, lv))
        levels.append(lv)
    for b in spec.binary:
        x = df[b.name].to_numpy(dtype=np.float64)
        blocks.append(_indicators(np.where(np.isnan(x), -1, x).astype(np.int64), 2))
        levels.append(2)
    for c in spec.categorical:
        values = df[c.name].astype(object).to_numpy()
        codes = np.full(n, -1, dtype=np.int64)
        for j, cat in enumerate(c.categories):
            codes[values == cat] = j
        blocks.append(_indicators(codes, len(c.categories)))
        levels.append(len(c.categories))
    return MixedData(np.hstack(blocks) if blocks else np.zeros((n, 0)), tuple(levels))


@dataclass(frozen=True)
class MixtureFit:
    k: int
    loglik: float
    n_params: int
    resp: np.ndarray  # rows × k, each row's probability of each group

    def bic(self, n: float) -> float:
        return -2.0 * self.loglik + self.n_params * float(np.log(n))


def _log_shares(data: MixedData, w: np.ndarray, resp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """M-step: log group sizes and log answer shares per group (k × all levels)."""
    rw = resp * w[:, None]
    mass = rw.sum(axis=0) + 1e-12
    counts = rw.T @ data.indicators + SMOOTH
    log_share = np.empty_like(counts)
    start = 0
    for lv in data.levels:
        block = counts[:, start:start + lv]
        log_share[:, start:start + lv] = np.log(block / block.sum(axis=1, keepdims=True))
        start += lv
    return np.log(mass / mass.sum()), log_share


def fit_mixture(data: MixedData, w: np.ndarray, init_labels: np.ndarray, k: int, *,
                max_iter: int = 200, tol: float = 1e-6) -> MixtureFit:
    """EM from a hard start (usually k-means groups); weights count answers."""
    w = np.asarray(w, dtype=np.float64)
    resp = np.zeros((len(w), k))
    resp[np.arange(len(w)), np.clip(init_labels, 0, k - 1)] = 1.0
    loglik = -np.inf
    for _ in range(max_iter):
        log_pi, log_share = _log_shares(data, w, resp)
        joint = data.indicators @ log_share.T + log_pi[None, :]  # log p(answers, group)
        top = joint.max(axis=1, keepdims=True)
        norm = top[:, 0] + np.log(np.exp(joint - top).sum(axis=1))
        resp = np.exp(joint - norm[:, None])
        new = float(w @ norm)
        if abs(new - loglik) <= tol * abs(new):
            loglik = new
            break
        loglik = new
    n_params = (k - 1) + k * sum(lv - 1 for lv in data.levels)
    return MixtureFit(k, loglik, n_params, resp)
