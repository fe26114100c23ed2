"""Choose how many segments: the number of latent classes worth their cost, from 1 to 8.

For k = 1…8 the latent class model (`segments.mixture`) is fitted to a properly weighted sample
of the answers and judged by BIC (Schwarz 1978): how much better k classes explain the answers
against the extra answer shares each class needs. BIC is consistent for the number of classes of
a latent class model and is what poLCA (Linzer & Lewis 2011) and StepMix (Morin et al. 2023)
report for this choice; ICL would in addition punish overlapping classes, which we show instead
as each segment's certainty. k = 1 is a possible answer: "no groups that differ".

The sample keeps every row's survey weight (rows are drawn with equal probability and keep their
weight), and the weights are scaled to sum to Kish's effective sample size, which is also BIC's n:
a file whose weight sits on a few rows holds few answers' worth of information, and the model
must not invent classes from it. The sample size does not grow with the file, so the choice means
the same on 600 rows and on ten million, and costs about the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from common.catalogue import Msg, Pct, Raw

from .kmeans import kmeans
from .mixture import ColumnCoding, MixedData, MixtureFit, fit_mixture
from .schema import CATEGORICAL_FIELDS, FIELD_BY_NAME
from .segmentset import KCandidate

__all__ = ["AUTO_K_RANGE", "KSearch", "SAMPLE_ROWS", "answer_label", "best_fit", "question_label", "sample_rows",
           "search_k"]

AUTO_K_RANGE = range(1, 9)
SAMPLE_ROWS = 4000
MAX_PROFILES = 8000  # up to this many distinct answer profiles, all of them are used


@dataclass(frozen=True)
class KSearch:
    chosen: int
    candidates: tuple[KCandidate, ...]
    fits: dict[int, MixtureFit]  # the model per k, fitted on the sample


def sample_rows(weights: np.ndarray, rows: np.ndarray, n_eff: float, seed: int, size: int = SAMPLE_ROWS
                ) -> tuple[np.ndarray, np.ndarray, float]:
    """Distinct profiles to judge k on, their weights, and the effective size they stand for.

    Files with few distinct profiles are used whole. From others about `size` rows are drawn with
    equal probability
    (each profile keeps a binomial share of its rows and the matching share of its weight), so
    the sample is weighted as the file is. Weights are scaled to sum to the sample's share of
    Kish's effective size.
    """
    n_rows = float(rows.sum())
    if n_rows <= size or len(weights) <= MAX_PROFILES:
        idx, w, f = np.arange(len(weights)), weights.astype(np.float64), 1.0
    else:
        rng = np.random.default_rng(seed)
        f = size / n_rows
        kept = rng.binomial(rows.astype(np.int64), f)
        idx = np.flatnonzero(kept > 0)
        w = weights[idx] * kept[idx] / rows[idx]
    n = max(2.0, n_eff * f)
    return idx, w / w.sum() * n, n


def _starts(data: MixedData, w: np.ndarray, k: int, previous: MixtureFit | None, seed: int) -> list[np.ndarray]:
    """Starting labels: k-means groups of the answers, the k-1 model with a heavy class split in two,
    and a random partition. EM finds a local optimum only; the best likelihood of these wins."""
    rng = np.random.default_rng(seed + k)
    out = [kmeans(data.indicators, w, k, seed, n_init=2).labels]
    if previous is not None:
        labels = previous.resp.argmax(axis=1)
        mass = np.bincount(labels, weights=w, minlength=k - 1)
        for c in np.argsort(mass)[::-1][:2]:
            members = np.flatnonzero(labels == c)
            if len(members) < 2:
                continue
            halves = kmeans(data.indicators[members], w[members], 2, seed, n_init=2).labels
            start = labels.copy()
            start[members[halves == 1]] = k - 1
            out.append(start)
    out.append(rng.integers(0, k, len(w)))
    return out


def best_fit(data: MixedData, w: np.ndarray, k: int, seed: int, previous: MixtureFit | None = None,
             start: np.ndarray | None = None) -> MixtureFit:
    """The best of several EM runs at k (`start`: one more starting partition to try)."""
    if k == 1:
        return fit_mixture(data, w, np.zeros(len(w), dtype=np.int64), 1)
    starts = _starts(data, w, k, previous, seed) + ([start] if start is not None else [])
    fits = [fit_mixture(data, w, s, k) for s in starts]
    return max(fits, key=lambda f: f.loglik)


def search_k(data: MixedData, w: np.ndarray, n: float, codings: tuple[ColumnCoding, ...], seed: int) -> KSearch:
    """Fit k = 1…8 on the sample and choose the k with the lowest BIC (ties: fewer classes)."""
    fits: dict[int, MixtureFit] = {}
    bic: dict[int, float] = {}
    previous: MixtureFit | None = None
    for k in AUTO_K_RANGE:
        if k > len(w):
            break
        previous = fits[k] = best_fit(data, w, k, seed, previous)
        bic[k] = previous.bic(n)
        if k >= 3 and bic[k] > bic[k - 1] and bic[k - 1] > bic[k - 2]:
            break  # BIC has risen twice: more classes only cost more
    chosen = min(bic, key=lambda k: (bic[k], k))
    gain = bic[1] - bic[chosen]
    candidates = tuple(
        KCandidate(k=k, bic=round(bic[k], 1),
                   quality=round(max(0.0, (bic[1] - bic[k]) / gain) if gain > 0 else (1.0 if k == 1 else 0.0), 4),
                   split=_split(w, fits.get(k - 1), fits[k], codings, k))
        for k in sorted(bic))
    return KSearch(chosen, candidates, fits)


# ---------------------------------------------------------------- what a split separates


def question_label(name: str) -> Msg | Raw:
    """A question's name in the catalogue (`question.<field>`), or the user's own column name."""
    return Msg(f"question.{name}") if name in FIELD_BY_NAME else Raw(name)


def answer_label(question: str, answer: str) -> Msg | Raw:
    """An answer's wording (`answer.<field>.<value>`), or the file's own text for a user's column."""
    return Msg(f"answer.{question}.{answer}") if question in CATEGORICAL_FIELDS else Raw(answer)


def _bin_label(edges: tuple[float, ...], i: int) -> Raw:
    def num(v: float) -> str:
        return f"{v:g}"
    if i == 0:
        return Raw(f"< {num(edges[0])}")
    if i == len(edges):
        return Raw(f"≥ {num(edges[-1])}")
    return Raw(f"{num(edges[i - 1])}–{num(edges[i])}")


def _split(w: np.ndarray, before: MixtureFit | None, after: MixtureFit, codings: tuple[ColumnCoding, ...],
           k: int) -> Msg:
    """The answer that best tells apart the two classes one class splits into at k."""
    if before is None or k < 2:
        return Msg("k.split.none") if k == 1 else Msg("k.split.first", k=k)
    table = np.zeros((before.k, k))
    np.add.at(table, (before.resp.argmax(axis=1), after.resp.argmax(axis=1)), w)
    top2 = np.sort(table, axis=1)[:, -2:]
    parent = int(np.argmax(top2[:, 0]))
    a, b = np.argsort(table[parent])[-2:][::-1]
    shares = np.exp(after.log_share)
    diffs = np.abs(shares[a] - shares[b])
    if len(diffs) == 0:
        return Msg("k.split.first", k=k)
    j = int(np.argmax(diffs))
    start = 0
    for coding in codings:
        if j < start + coding.levels:
            break
        start += coding.levels
    level = j - start
    ca, cb = sorted((float(shares[a, j]), float(shares[b, j])), reverse=True)  # "90 % against 10 %"
    q = question_label(coding.name)
    if coding.kind == "binary":
        ca, cb = sorted((float(shares[a, start + 1]), float(shares[b, start + 1])), reverse=True)
        return Msg("k.split.yes", k=k, question=q, a=Pct(ca), b=Pct(cb))
    answer = _bin_label(coding.edges, level) if coding.kind == "bins" else answer_label(
        coding.name, coding.categories[level])
    return Msg("k.split.answer", k=k, question=q, answer=answer, a=Pct(ca), b=Pct(cb))
