"""A latent class model for mixed survey answers, used to judge how many groups the data holds.

Each group has its own answer distribution per question — categories and yes/no answers as
shares, counts as a Poisson rate, ages and other numbers as a normal curve — and answers are
independent within a group (the classic latent class model of survey research, extended to
numbers). A missing answer simply leaves that question out of the person's likelihood.

Why a mixture and not k-means for the choice of k: a question that is unrelated to the groups
(sex, say) makes k-means happy to split every group in two, since a man and a woman are far
apart in one-hot space; a mixture gains no likelihood from such a split and BIC penalises it.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import lgamma

import numpy as np
import pandas as pd

from .features import FeatureSpec

__all__ = ["MixedData", "MixtureFit", "fit_mixture", "mixed_data"]

VAR_FLOOR = 0.01  # variance floor in standardised units: no group collapses onto one age
SMOOTH = 0.5
FEW_VALUES = 12  # a number column with at most this many distinct values is read as categories  # pseudo-count for shares, so a share is never exactly 0 or 1


@dataclass(frozen=True)
class MixedData:
    """Answers of distinct profiles by kind; NaN or -1 where the answer is missing."""

    gaussian: np.ndarray  # rows × g, standardised
    counts: np.ndarray  # rows × p, raw counts
    binary: np.ndarray  # rows × b, 0/1
    categorical: tuple[np.ndarray, ...]  # codes per question, -1 missing
    levels: tuple[int, ...]

    def take(self, idx: np.ndarray) -> MixedData:
        return MixedData(self.gaussian[idx], self.counts[idx], self.binary[idx],
                         tuple(c[idx] for c in self.categorical), self.levels)

    @property
    def n_questions(self) -> int:
        return self.gaussian.shape[1] + self.counts.shape[1] + self.binary.shape[1] + len(self.categorical)


def mixed_data(df: pd.DataFrame, spec: FeatureSpec) -> MixedData:
    """The spec's questions as the mixture reads them (raw, not imputed)."""
    n = len(df)
    gauss, cats, levels = [], [], []
    for f in spec.numeric:
        if f.log:
            continue
        x = df[f.name].to_numpy(dtype=np.float64)
        distinct = np.unique(x[~np.isnan(x)])
        if len(distinct) <= FEW_VALUES:  # an age given as bands is a category, not a normal curve
            codes = np.searchsorted(distinct, x)
            cats.append(np.where(np.isnan(x), -1, codes).astype(np.int64))
            levels.append(len(distinct))
        else:
            gauss.append((x - f.mean) / f.scale)
    counts = [df[f.name].to_numpy(dtype=np.float64) for f in spec.numeric if f.log]
    binary = [df[b.name].to_numpy(dtype=np.float64) for b in spec.binary]
    for c in spec.categorical:
        values = df[c.name].astype(object).to_numpy()
        codes = np.full(n, -1, dtype=np.int64)
        for j, cat in enumerate(c.categories):
            codes[values == cat] = j
        cats.append(codes)
        levels.append(len(c.categories))

    def stack(cols: list[np.ndarray]) -> np.ndarray:
        return np.column_stack(cols) if cols else np.zeros((n, 0))

    return MixedData(stack(gauss), stack(counts), stack(binary), tuple(cats), tuple(levels))


@dataclass(frozen=True)
class MixtureFit:
    k: int
    loglik: float
    n_params: int
    resp: np.ndarray  # rows × k, each row's probability of each group

    def bic(self, n: float) -> float:
        return -2.0 * self.loglik + self.n_params * float(np.log(n))


def _n_params(data: MixedData, k: int) -> int:
    per_group = 2 * data.gaussian.shape[1] + data.counts.shape[1] + data.binary.shape[1]
    per_group += sum(lv - 1 for lv in data.levels)
    return (k - 1) + k * per_group


def _m_step(data: MixedData, w: np.ndarray, resp: np.ndarray) -> dict[str, object]:
    rw = resp * w[:, None]  # rows × k
    mass = rw.sum(axis=0) + 1e-12
    params: dict[str, object] = {"log_pi": np.log(mass / mass.sum())}
    for key in ("gaussian", "counts", "binary"):
        x = getattr(data, key)
        ok = ~np.isnan(x)
        x0 = np.where(ok, x, 0.0)
        denom = rw.T @ ok  # k × q
        s1 = rw.T @ x0
        if key == "gaussian":
            mean = s1 / np.maximum(denom, 1e-12)
            s2 = rw.T @ (x0 * x0)
            var = np.maximum(s2 / np.maximum(denom, 1e-12) - mean ** 2, VAR_FLOOR)
            params[key] = (mean, var)
        elif key == "counts":
            params[key] = (s1 + 0.01) / (denom + 0.01)  # Poisson rate per group
        else:
            params[key] = (s1 + SMOOTH) / (denom + 2 * SMOOTH)
    tables = []
    for codes, lv in zip(data.categorical, data.levels):
        counts = np.zeros((resp.shape[1], lv))
        for j in range(lv):
            counts[:, j] = rw[codes == j].sum(axis=0)
        tables.append(np.log((counts + SMOOTH) / (counts.sum(axis=1, keepdims=True) + SMOOTH * lv)))
    params["categorical"] = tables
    return params


def _log_lik(data: MixedData, params: dict[str, object]) -> np.ndarray:
    """log p(answers, group) for each row and group (missing answers contribute nothing)."""
    out = np.tile(np.asarray(params["log_pi"]), (len(data.gaussian), 1))
    if data.gaussian.shape[1]:
        mean, var = params["gaussian"]  # type: ignore[misc]
        x = data.gaussian
        for q in range(x.shape[1]):
            ok = ~np.isnan(x[:, q])
            d = (x[ok, q][:, None] - mean[None, :, q]) ** 2 / var[None, :, q]
            out[ok] -= 0.5 * (d + np.log(2 * np.pi * var[None, :, q]))
    if data.counts.shape[1]:
        rate = np.asarray(params["counts"])
        x = data.counts
        for q in range(x.shape[1]):
            ok = ~np.isnan(x[:, q])
            xv = x[ok, q]
            lg = _log_factorial(xv)
            out[ok] += xv[:, None] * np.log(rate[None, :, q]) - rate[None, :, q] - lg[:, None]
    if data.binary.shape[1]:
        p = np.asarray(params["binary"])
        x = data.binary
        for q in range(x.shape[1]):
            ok = ~np.isnan(x[:, q])
            xv = x[ok, q][:, None]
            out[ok] += xv * np.log(p[None, :, q]) + (1 - xv) * np.log1p(-p[None, :, q])
    for codes, table in zip(data.categorical, params["categorical"]):  # type: ignore[call-overload]
        ok = codes >= 0
        out[ok] += table.T[codes[ok]]
    return out


def _log_factorial(x: np.ndarray) -> np.ndarray:
    """log(x!) for non-negative counts, computed once per distinct value."""
    values, inverse = np.unique(x, return_inverse=True)
    return np.array([lgamma(v + 1.0) for v in values])[inverse]


def fit_mixture(data: MixedData, w: np.ndarray, init_labels: np.ndarray, k: int, *,
                max_iter: int = 200, tol: float = 1e-7) -> MixtureFit:
    """EM from a hard start (usually k-means groups); weights count as persons."""
    w = np.asarray(w, dtype=np.float64)
    resp = np.zeros((len(w), k))
    resp[np.arange(len(w)), np.clip(init_labels, 0, k - 1)] = 1.0
    loglik = -np.inf
    for _ in range(max_iter):
        params = _m_step(data, w, resp)
        joint = _log_lik(data, params)
        top = joint.max(axis=1, keepdims=True)
        norm = top[:, 0] + np.log(np.exp(joint - top).sum(axis=1))
        resp = np.exp(joint - norm[:, None])
        new = float(w @ norm)
        if abs(new - loglik) <= tol * abs(new):
            loglik = new
            break
        loglik = new
    return MixtureFit(k, loglik, _n_params(data, k), resp)
