"""Find segments: rule-based groups first, then weighted k-means on the rest.

Identical answer profiles are clustered once with their summed weight (a million survey rows
hold far fewer distinct profiles), which gives the same k-means objective at a fraction of the
cost. When k is "auto", `segments.choosek` judges k = 3…8 with a latent class model on a
sample; every cluster segment is then checked for stability across bootstrap resamples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from common.errors import InputError, Notice, problem
from common.messages import Num, Raw, render

from .choosek import sample_rows, search_k
from .features import FeatureSpec, feature_columns, fit_feature_spec
from .kmeans import kmeans, nearest
from .mixture import mixed_data
from .naming import NAME_LANG, describe, name_segments
from .profile import MIN_CELL, compute_profiles, municipality_cells, population_habits
from .rules import Rule, rule_mask
from .segmentset import KChoice, Segment, SegmentSet
from .stability import segment_stability

__all__ = ["FitResult", "fit_segments"]

RULE_BASE, CLUSTER_BASE = -1, 1_000  # temporary label ranges before the final numbering


@dataclass(frozen=True)
class FitResult:
    segment_set: SegmentSet
    labels: np.ndarray  # segment id per input row
    notices: tuple[Notice, ...]


@dataclass(frozen=True)
class _Clusters:
    groups: list[list[int]]  # centroid indices per cluster segment (small ones merged)
    centroids: np.ndarray
    group_of_row: np.ndarray  # group index per free distinct profile
    choice: KChoice
    stability: dict[int, float]  # per group index


def _codes(s: pd.Series) -> np.ndarray:
    """Small non-negative integer codes for a column, missing values included as their own code."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64) + 1
    return pd.factorize(s.to_numpy(), use_na_sentinel=False)[0].astype(np.int64)


def _dedupe(df: pd.DataFrame, cols: list[str], w: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Distinct answer profiles, their summed weights, and each row's profile index.

    Columns are packed into one integer key (mixed radix) and hashed once, which is several
    times faster than a multi-column groupby on a million rows.
    """
    key = np.zeros(len(df), dtype=np.int64)
    span = 1
    for c in cols:
        codes = _codes(df[c])
        radix = int(codes.max()) + 1 if len(codes) else 1
        if span * radix >= 2 ** 62:  # too many combinations to pack: re-key what we have
            key = np.unique(key, return_inverse=True)[1].astype(np.int64)
            span = int(key.max()) + 1
        key = key * radix + codes
        span *= radix
    gid, distinct = pd.factorize(key)  # hashing, not sorting: one pass over a million keys
    first = np.empty(len(distinct), dtype=np.int64)
    first[gid[::-1]] = np.arange(len(key) - 1, -1, -1)  # each profile's first row
    unique = df.iloc[first][cols].reset_index(drop=True)
    return unique, np.bincount(gid, weights=w), gid.ravel()


def _merge_small(centroids: np.ndarray, labels: np.ndarray, w: np.ndarray, min_size: float,
                 rows: np.ndarray) -> list[list[int]]:
    """Groups of k-means centroids; a group under the minimum size joins its nearest neighbour."""
    groups = [[i] for i in range(len(centroids))]
    size = np.bincount(labels, weights=w, minlength=len(centroids))
    nrows = np.bincount(labels, weights=rows, minlength=len(centroids))

    def g_size(g: list[int]) -> float:
        return float(size[g].sum())

    def g_center(g: list[int]) -> np.ndarray:
        s = size[g]
        return np.average(centroids[g], axis=0, weights=s) if s.sum() > 0 else centroids[g].mean(axis=0)

    while len(groups) > 1:
        small = [i for i, g in enumerate(groups) if g_size(g) < min_size or nrows[g].sum() < MIN_CELL]
        if not small:
            break
        i = min(small, key=lambda j: (g_size(groups[j]), groups[j][0]))
        ci = g_center(groups[i])
        others = [j for j in range(len(groups)) if j != i]
        j = min(others, key=lambda o: (float(np.linalg.norm(g_center(groups[o]) - ci)), groups[o][0]))
        groups[j] = sorted(groups[j] + groups[i])
        del groups[i]
    return groups


def _carve_rules(rules: tuple[Rule, ...], unique: pd.DataFrame, uw: np.ndarray, urows: np.ndarray,
                 min_size: float, notices: list[Notice]) -> tuple[np.ndarray, list[Rule]]:
    """Temporary labels (RULE_BASE - i for the i-th kept rule, 0 = free) and the rules kept."""
    ulabels = np.zeros(len(unique), dtype=np.int64)
    kept: list[Rule] = []
    for rule in rules:
        m = rule_mask(rule, unique) & (ulabels == 0)
        if uw[m].sum() < min_size or urows[m].sum() < MIN_CELL:
            notices.append(Notice("notice.rule_too_small", rule=Raw(rule.name), persons=Num(uw[m].sum()),
                                  minimum=Num(min_size)))
            continue
        kept.append(rule)
        ulabels[m] = RULE_BASE - (len(kept) - 1)
    return ulabels, kept


def _cluster(free_rows: pd.DataFrame, fw: np.ndarray, frows: np.ndarray, spec: FeatureSpec, k: int | str,
             min_size: float, seed: int, notices: list[Notice]) -> _Clusters:
    """k-means on the free profiles (k chosen when "auto"), small groups merged, stability measured."""
    X = spec.transform(free_rows)
    if k == "auto":
        search = search_k(X, mixed_data(free_rows, spec, fw), fw, frows, spec, seed)
        k_int = search.chosen
        choice = KChoice(requested="auto", chosen=k_int, criterion="bic", sample=search.sample,
                         candidates=search.candidates)
        idx, sw = search.index, search.weights
    else:
        k_int = int(k)
        choice = KChoice(requested=str(k_int), chosen=k_int)
        idx, sw, _ = sample_rows(fw, frows, seed)
    k_int = max(1, min(k_int, len(free_rows)))
    fit = kmeans(X, fw, k_int, seed, n_init=10)
    centroids = np.round(fit.centers, 10)
    closest = nearest(X, centroids)
    groups = _merge_small(centroids, closest, fw, min_size, frows)
    if len(groups) < k_int:
        notices.append(Notice("notice.small_merged", n=k_int - len(groups), minimum=Num(min_size)))
    group_of_centroid = np.empty(len(centroids), dtype=np.int64)
    for gi, g in enumerate(groups):
        group_of_centroid[g] = gi
    group_of_row = group_of_centroid[closest]
    stability = segment_stability(X[idx], sw, group_of_row[idx], k_int, seed) if k_int > 1 else {}
    return _Clusters(groups, centroids, group_of_row, choice, stability)


def fit_segments(
    df: pd.DataFrame,
    k: int | str = "auto",
    *,
    min_size: float = 30,
    seed: int = 0,
    rules: tuple[Rule, ...] = (),
    extra_features: tuple[str, ...] = (),
    progress: Callable[[str], None] | None = None,
) -> FitResult:
    """Segment a validated citizen table (from `load_citizens`) into named, described segments.

    `progress` is told "fitting" and then "describing" (the app's staged progress bar).
    The matrices here are thin (thousands of rows × a few groups), where a multi-threaded BLAS
    spends far more time waking its threads than computing — on a busy machine a hundred times
    more — so the work runs with one BLAS thread.
    """
    with threadpool_limits(1, user_api="blas"):
        return _fit(df, k, min_size, seed, rules, extra_features, progress)


def _fit(df: pd.DataFrame, k: int | str, min_size: float, seed: int, rules: tuple[Rule, ...],
         extra_features: tuple[str, ...], progress: Callable[[str], None] | None) -> FitResult:
    w = df["weight"].to_numpy(dtype=np.float64)
    total = float(w.sum())
    notices: list[Notice] = []
    if total < min_size or len(df) < MIN_CELL:
        raise InputError([problem("too_small", persons=Num(total), minimum=Num(min_size), hint="hint_more_data")])
    if progress:
        progress("fitting")

    # Every computation below runs on distinct answer profiles; `gid` maps rows to them.
    cols = [c for g in feature_columns(df, extra_features).values() for c in g]
    unique, uw, gid = _dedupe(df, cols, w)
    urows = np.bincount(gid, minlength=len(unique))
    spec = fit_feature_spec(unique, uw, extra_features)
    ulabels, kept_rules = _carve_rules(rules, unique, uw, urows, min_size, notices)
    free = ulabels == 0

    clusters = _Clusters([], np.zeros((0, len(spec.output_names))), np.zeros(0, dtype=np.int64),
                         KChoice(requested=str(k), chosen=0), {})
    if free.any() and uw[free].sum() >= min_size:
        clusters = _cluster(unique.loc[free].reset_index(drop=True), uw[free], urows[free], spec, k, min_size,
                            seed, notices)
        ulabels[free] = CLUSTER_BASE + clusters.group_of_row
    elif free.any():
        notices.append(Notice("notice.rest_to_rule", persons=Num(uw[free].sum())))
        biggest = max(range(len(kept_rules)), key=lambda i: uw[ulabels == RULE_BASE - i].sum())
        ulabels[free] = RULE_BASE - biggest
    if progress:
        progress("describing")
    return _build(df, unique, uw, urows, gid, ulabels, kept_rules, clusters, spec, seed, min_size, extra_features,
                  tuple(notices))


def _build(df: pd.DataFrame, unique: pd.DataFrame, uw: np.ndarray, urows: np.ndarray, gid: np.ndarray,
           ulabels: np.ndarray, kept_rules: list[Rule], clusters: _Clusters, spec: FeatureSpec, seed: int,
           min_size: float, extra_features: tuple[str, ...], notices: tuple[Notice, ...]) -> FitResult:
    """Final ids (rules first in their order, then clusters largest first), profiles and names."""
    n_groups = len(clusters.groups)
    sizes = [(float(uw[ulabels == CLUSTER_BASE + gi].sum()), gi) for gi in range(n_groups)]
    order = [gi for _, gi in sorted(sizes, key=lambda t: (-t[0], t[1]))]
    temp_ids = [RULE_BASE - i for i in range(len(kept_rules))] + [CLUSTER_BASE + gi for gi in order]
    ids = list(range(1, len(temp_ids) + 1))
    ufinal = np.zeros_like(ulabels)
    for temp, sid in zip(temp_ids, ids):
        ufinal[ulabels == temp] = sid
    final = ufinal[gid]

    profiles = compute_profiles(unique, ufinal, uw, urows, ids, municipality_cells(df, final, ids))
    pop = population_habits(unique, uw)
    names = name_segments(profiles, pop)
    segments = []
    for i, rule in enumerate(kept_rules):
        sid = i + 1
        segments.append(Segment(id=sid, name=rule.name, description=describe(profiles[sid], pop), source="rule",
                                profile=profiles[sid], rule=rule))
    for pos, gi in enumerate(order):
        sid = len(kept_rules) + pos + 1
        cents = tuple(tuple(float(v) for v in clusters.centroids[c]) for c in clusters.groups[gi])
        segments.append(Segment(id=sid, name=render(names[sid], NAME_LANG), label=names[sid],
                                description=describe(profiles[sid], pop), source="cluster",
                                stability=clusters.stability.get(gi), profile=profiles[sid], centroids=cents))
    segment_set = SegmentSet(
        seed=seed, min_size=float(min_size), k=clusters.choice, features=spec, extra_features=tuple(extra_features),
        total_weight=round(float(uw.sum()), 2), population=pop,
        municipalities=tuple(str(m) for m in df["municipality"].cat.categories), segments=tuple(segments),
    )
    return FitResult(segment_set, final, notices)
