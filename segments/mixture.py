"""The segment model: a latent class model of the survey answers (Lazarsfeld; Linzer & Lewis 2011).

Each class has its own share of every answer to every question, and answers are independent
within a class. Numbers (ages, counts, a user's own numeric column) are read as ordered answers,
cut into at most eight bins at their weighted quantiles, so no class has to be a normal curve or a
Poisson count — real ages are clipped and lumpy and real counts overdispersed, and a curve that
does not fit would be patched with extra classes. A missing answer leaves that question out of
that person's likelihood (nothing is imputed), and survey weights multiply each person's
log-likelihood (a pseudo-likelihood, as StepMix's `sample_weight`).

The same fitted model chooses k (BIC, `segments.choosek`) and assigns every person to the class
with the highest posterior probability; that probability is kept as the person's certainty.
EM runs on distinct answer profiles with summed weights, so a million rows cost what their few
thousand distinct profiles cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from .features import FeatureSpec

__all__ = ["ColumnCoding", "LatentClassParams", "MixedData", "MixtureFit", "column_gain", "e_step", "fit_codings",
           "fit_mixture", "mixed_data", "posterior"]

BINS = 8  # a number column becomes at most this many answer bins
SMOOTH = 0.5  # pseudo-count per answer, so a share is never exactly 0 or 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ColumnCoding(_Frozen):
    """How one column becomes answer codes: bins of a number, yes/no, or named answers."""

    name: str
    kind: Literal["bins", "binary", "categories"]
    edges: tuple[float, ...] = ()  # bins: a value ≥ edges[i] falls in bin i + 1
    categories: tuple[str, ...] = ()
    log: bool = False

    @property
    def levels(self) -> int:
        return {"bins": len(self.edges) + 1, "binary": 2}.get(self.kind, len(self.categories))

    def codes(self, df: pd.DataFrame) -> np.ndarray:
        """Answer code per row, -1 where the answer is missing or unknown."""
        col = df[self.name]
        if self.kind == "categories":
            if isinstance(col.dtype, pd.CategoricalDtype):
                position = {v: i for i, v in enumerate(self.categories)}
                lut = np.array([position.get(str(v), -1) for v in col.cat.categories] + [-1], dtype=np.int64)
                return lut[col.cat.codes.to_numpy()]
            values = col.astype(object).to_numpy()
            out = np.full(len(df), -1, dtype=np.int64)
            for j, cat in enumerate(self.categories):
                out[values == cat] = j
            return out
        x = col.to_numpy(dtype=np.float64)
        if self.kind == "binary":
            return np.where(np.isnan(x), -1, x != 0).astype(np.int64)
        return np.where(np.isnan(x), -1, np.searchsorted(np.array(self.edges), x, side="right")).astype(np.int64)


def _edges(x: np.ndarray, w: np.ndarray) -> tuple[float, ...]:
    ok = ~np.isnan(x)
    distinct = np.unique(x[ok])
    if len(distinct) <= BINS:
        return tuple(float(v) for v in distinct[1:])
    order = np.argsort(x[ok], kind="stable")
    cw = np.cumsum(w[ok][order])
    cuts = np.searchsorted(cw, cw[-1] * np.arange(1, BINS) / BINS)
    edges = np.unique(x[ok][order][np.minimum(cuts, len(order) - 1)])
    return tuple(float(v) for v in edges[edges > distinct[0]])


def fit_codings(df: pd.DataFrame, spec: FeatureSpec, weights: np.ndarray) -> tuple[ColumnCoding, ...]:
    """The spec's questions as answer codings, numbers binned at weighted quantiles."""
    w = np.asarray(weights, dtype=np.float64)
    out = [ColumnCoding(name=f.name, kind="bins", edges=_edges(df[f.name].to_numpy(dtype=np.float64), w))
           for f in spec.numeric]
    out += [ColumnCoding(name=b.name, kind="binary") for b in spec.binary]
    out += [ColumnCoding(name=c.name, kind="categories", categories=c.categories) for c in spec.categorical]
    return tuple(out)


@dataclass(frozen=True)
class MixedData:
    """Answers as one block of 0/1 indicator columns per question; a missing answer is a row of
    zeros in its block, so both steps of EM are matrix products."""

    indicators: np.ndarray  # rows × (sum of levels)
    levels: tuple[int, ...]

    def take(self, idx: np.ndarray) -> MixedData:
        return MixedData(self.indicators[idx], self.levels)

    def only(self, keep: list[int]) -> MixedData:
        """The same rows with only the questions at positions `keep`."""
        starts = np.concatenate([[0], np.cumsum(self.levels)])
        cols = np.concatenate([np.arange(starts[j], starts[j + 1]) for j in keep]) if keep else np.zeros(0, int)
        return MixedData(self.indicators[:, cols], tuple(self.levels[j] for j in keep))


def mixed_data(codes: np.ndarray, codings: tuple[ColumnCoding, ...]) -> MixedData:
    """Indicator blocks from a rows × questions matrix of answer codes (-1 = missing)."""
    levels = tuple(c.levels for c in codings)
    out = np.zeros((len(codes), sum(levels)))
    start = 0
    for j, lv in enumerate(levels):
        ok = np.flatnonzero(codes[:, j] >= 0)
        out[ok, start + codes[ok, j]] = 1.0
        start += lv
    return MixedData(out, levels)


@dataclass(frozen=True)
class MixtureFit:
    k: int
    loglik: float
    n_params: int
    resp: np.ndarray  # rows × k, each row's probability of each class
    log_prior: np.ndarray  # k
    log_share: np.ndarray  # k × all levels

    def bic(self, n: float) -> float:
        """Schwarz's criterion; n is the effective number of answers the weights stand for."""
        return -2.0 * self.loglik + self.n_params * float(np.log(max(n, 2.0)))


def _m_step(data: MixedData, w: np.ndarray, resp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def e_step(indicators: np.ndarray, log_prior: np.ndarray, log_share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Posterior class probabilities and each row's log-likelihood."""
    joint = indicators @ log_share.T + log_prior[None, :]
    top = joint.max(axis=1, keepdims=True)
    norm = top[:, 0] + np.log(np.exp(joint - top).sum(axis=1))
    return np.exp(joint - norm[:, None]), norm


def fit_mixture(data: MixedData, w: np.ndarray, start: np.ndarray, k: int, *,
                max_iter: int = 300, tol: float = 1e-7) -> MixtureFit:
    """EM from a start: class labels (hard) or a rows × k responsibility matrix."""
    w = np.asarray(w, dtype=np.float64)
    if start.ndim == 1:
        resp = np.zeros((len(w), k))
        resp[np.arange(len(w)), np.clip(start, 0, k - 1)] = 1.0
    else:
        resp = start
    loglik = -np.inf
    log_prior, log_share = _m_step(data, w, resp)
    for _ in range(max_iter):
        resp, norm = e_step(data.indicators, log_prior, log_share)
        new = float(w @ norm)
        log_prior, log_share = _m_step(data, w, resp)
        if abs(new - loglik) <= tol * abs(new):
            loglik = new
            break
        loglik = new
    resp, norm = e_step(data.indicators, log_prior, log_share)
    n_params = (k - 1) + k * sum(lv - 1 for lv in data.levels)
    return MixtureFit(k, float(w @ norm), n_params, resp, log_prior, log_share)


def column_gain(data: MixedData, w: np.ndarray, resp: np.ndarray, n: float) -> list[float]:
    """Per question: how much better class-specific answer shares explain it than one shared set,
    as a BIC difference (> 0: the question separates the classes, worth its extra shares).

    This is the likelihood-ratio statistic of the question's answers against class membership
    (Dean & Raftery 2010 compare the same two models to select variables for latent classes).
    """
    k = resp.shape[1]
    rw = resp * w[:, None]
    out, start = [], 0
    for lv in data.levels:
        block = rw.T @ data.indicators[:, start:start + lv]  # k × lv weighted answer counts
        start += lv
        total = block.sum()
        if total <= 0 or k < 2:
            out.append(0.0)
            continue
        pooled = block.sum(axis=0) / total
        per = block / np.maximum(block.sum(axis=1, keepdims=True), 1e-300)
        with np.errstate(divide="ignore", invalid="ignore"):
            g = 2.0 * np.nansum(np.where(block > 0, block * np.log(per / pooled[None, :]), 0.0))
        out.append(float(g - (k - 1) * (lv - 1) * np.log(max(n, 2.0))))
    return out


class LatentClassParams(_Frozen):
    """The fitted model, saved in the segment set so new rows are assigned by the same posterior."""

    columns: tuple[ColumnCoding, ...]
    log_prior: tuple[float, ...]
    log_share: tuple[tuple[float, ...], ...]  # class × all answer levels of `columns`
    segment_of_class: tuple[int, ...]  # segment id per class


def posterior(params: LatentClassParams, df: pd.DataFrame) -> np.ndarray:
    """Rows × classes posterior probabilities of new rows (missing answers left out)."""
    codes = np.column_stack([c.codes(df) for c in params.columns]) if params.columns \
        else np.zeros((len(df), 0), dtype=np.int64)
    data = mixed_data(codes, params.columns)
    return e_step(data.indicators, np.array(params.log_prior), np.array(params.log_share).reshape(
        len(params.log_prior), -1))[0]
