"""Choose how many segments: the number of groups a latent class model finds worth its cost.

For k = 2…8 the answers of a fixed-size sample (drawn in proportion to the survey weights) are
fitted with a latent class model started from k-means groups; BIC weighs how much better k
groups explain the answers against the extra shares each group needs. The k in 3–8 with the
lowest BIC is chosen. The sample size does not grow with the file, so the choice means the same
on 600 rows and on ten million, and costs about the same. `benchmarks/auto_k.py` compares this
criterion with the silhouette and with bootstrap stability on planted data sets.

Each candidate also gets one sentence on what it separates compared with one group fewer, so an
officer can see what a different choice would mean before clicking it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from common.messages import Msg, Num, Pct, Raw

from .features import FeatureSpec
from .kmeans import KMeansFit, kmeans
from .mixture import MixedData, MixtureFit, fit_mixture
from .schema import CATEGORICAL_FIELDS, FIELD_BY_NAME
from .segmentset import KCandidate

__all__ = ["AUTO_K_RANGE", "KSearch", "SAMPLE_ROWS", "answer_label", "question_label", "sample_rows",
           "search_k"]

AUTO_K_RANGE = range(3, 9)
SAMPLE_ROWS = 3000


@dataclass(frozen=True)
class KSearch:
    chosen: int
    candidates: tuple[KCandidate, ...]
    sample: int  # answers the choice was made on
    fits: dict[int, KMeansFit]  # k-means on the sample, per k (what each k separates is read from them)
    index: np.ndarray  # the distinct profiles in the sample
    weights: np.ndarray  # and how many answers each stands for


def sample_rows(weights: np.ndarray, rows: np.ndarray, seed: int, size: int = SAMPLE_ROWS
                ) -> tuple[np.ndarray, np.ndarray, int]:
    """Distinct profiles to judge k on, how many answers each stands for, and their total.

    Small files are used whole, weights rescaled to the number of rows (a survey weight says how
    many persons a row stands for, not how much we know). From big ones `size` rows are drawn
    without replacement in proportion to weight (Efraimidis–Spirakis keys): drawing with
    replacement would repeat answers exactly, which a latent class model reads as a group.
    """
    n_rows = int(rows.sum())
    if n_rows <= size:
        return np.arange(len(weights)), weights / weights.sum() * n_rows, n_rows
    rng = np.random.default_rng(seed)
    profile = np.repeat(np.arange(len(weights)), rows)
    per_row = (weights / np.maximum(rows, 1))[profile]
    keys = np.log(rng.random(len(profile))) / np.maximum(per_row, 1e-300)
    drawn = profile[np.argpartition(-keys, size - 1)[:size]]
    idx, counts = np.unique(drawn, return_counts=True)
    return idx, counts.astype(np.float64), size


def search_k(X: np.ndarray, data: MixedData, weights: np.ndarray, rows: np.ndarray, spec: FeatureSpec,
             seed: int) -> KSearch:
    """Fit k = 1…8 on a sample and choose the k in 3–8 with the lowest BIC."""
    idx, w, n = sample_rows(weights, rows, seed)
    Xs, ds = X[idx], data.take(idx)
    distinct = len(idx)
    best = fit_mixture(ds, w, np.zeros(distinct, dtype=np.int64), 1)
    bic = {1: best.bic(n)}
    fits: dict[int, KMeansFit] = {}
    for k in range(2, AUTO_K_RANGE.stop):
        if k > distinct:
            break
        fits[k] = kmeans(Xs, w, k, seed, n_init=4)
        best = _best_mixture(ds, Xs, w, k, fits[k].labels, best.resp.argmax(axis=1), seed)
        bic[k] = best.bic(n)
    tried = [k for k in AUTO_K_RANGE if k in bic]
    if not tried:
        return KSearch(min(AUTO_K_RANGE.start, distinct), (), n, fits, idx, w)
    chosen = min(tried, key=lambda k: (bic[k], k))
    gain = bic[1] - bic[chosen]
    candidates = tuple(
        KCandidate(k=k, bic=round(bic[k], 1),
                   quality=round(max(0.0, (bic[1] - bic[k]) / gain) if gain > 0 else 0.0, 4),
                   split=_split(w, fits.get(k - 1), fits[k], spec, k))
        for k in tried)
    return KSearch(chosen, candidates, n, fits, idx, w)


def _best_mixture(data: MixedData, X: np.ndarray, w: np.ndarray, k: int, kmeans_labels: np.ndarray,
                  previous: np.ndarray, seed: int) -> MixtureFit:
    """EM from the k-means groups and from the k-1 model with one of its two heaviest groups split
    in two; the best likelihood wins. EM finds a local optimum only, and the starts k-means
    gives for k and k-1 can disagree, which would make BIC zigzag between neighbouring k."""
    fits = [fit_mixture(data, w, kmeans_labels, k)]
    mass = np.bincount(previous, weights=w, minlength=k - 1)
    for c in np.argsort(mass)[::-1][:2]:
        members = np.flatnonzero(previous == c)
        if len(members) < 2:
            continue
        halves = kmeans(X[members], w[members], 2, seed, n_init=2).labels
        start = previous.copy()
        start[members[halves == 1]] = k - 1
        fits.append(fit_mixture(data, w, start, k))
    return max(fits, key=lambda f: f.loglik)


# ---------------------------------------------------------------- what a split separates


def _columns(spec: FeatureSpec) -> list[tuple[str, str, str | None]]:
    """(kind, question, answer) for each column of the clustering space."""
    cols: list[tuple[str, str, str | None]] = [("number", f.name, None) for f in spec.numeric]
    cols += [("yes", b.name, None) for b in spec.binary]
    cols += [("answer", c.name, v) for c in spec.categorical for v in c.categories]
    return cols


def question_label(name: str) -> Msg | Raw:
    """A question's name in the catalogue (`question.<field>`), or the user's own column name."""
    return Msg(f"question.{name}") if name in FIELD_BY_NAME else Raw(name)


def answer_label(question: str, answer: str) -> Msg | Raw:
    """An answer's wording (`answer.<field>.<value>`), or the file's own text for a user's column."""
    return Msg(f"answer.{question}.{answer}") if question in CATEGORICAL_FIELDS else Raw(answer)


def _split(w: np.ndarray, before: KMeansFit | None, after: KMeansFit, spec: FeatureSpec, k: int) -> Msg:
    """The question that best tells apart the two groups one group splits into at k."""
    if before is None:
        return Msg("k.split.first", k=k)
    k0 = len(before.centers)
    table = np.zeros((k0, k))
    np.add.at(table, (before.labels, after.labels), w)
    # the group whose answers spread most evenly over two new groups is the one that splits
    top2 = np.sort(table, axis=1)[:, -2:]
    parent = int(np.argmax(top2[:, 0]))
    a, b = np.argsort(table[parent])[-2:][::-1]
    diffs = np.abs(after.centers[a] - after.centers[b])
    cols = _columns(spec)
    j = int(np.argmax(diffs))
    kind, question, answer = cols[j]
    ca, cb = sorted((after.centers[a, j], after.centers[b, j]), reverse=True)  # "90 % against 10 %"
    if kind == "number":
        f = next(f for f in spec.numeric if f.name == question)
        va, vb = ca * f.scale + f.mean, cb * f.scale + f.mean
        if f.log:
            va, vb = np.expm1(va), np.expm1(vb)
        return Msg("k.split.number", k=k, question=question_label(question), a=Num(float(va), 0 if abs(va) >= 10
                   else 1), b=Num(float(vb), 0 if abs(vb) >= 10 else 1))
    if kind == "yes":
        return Msg("k.split.yes", k=k, question=question_label(question), a=Pct(float(ca)), b=Pct(float(cb)))
    assert answer is not None
    return Msg("k.split.answer", k=k, question=question_label(question), answer=answer_label(question, answer),
               a=Pct(float(ca)), b=Pct(float(cb)))
