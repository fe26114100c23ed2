"""Find segments: rule-based groups first, then weighted k-means on the rest.

Identical answer profiles are clustered once with their summed weight (a million survey rows
hold far fewer distinct profiles), which gives the same k-means objective at a fraction of the
cost. k can be chosen automatically by the silhouette score, which a user can read as "how
clearly the groups are separated".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from common.errors import InputError, Notice, problem
from common.messages import Num, Raw

from .features import feature_columns, fit_feature_spec
from .profile import MIN_CELL, compute_profiles, describe, municipality_cells, name_segments, population_habits
from .rules import Rule, rule_mask
from .segmentset import KChoice, Segment, SegmentSet, nearest_centroid

__all__ = ["FitResult", "fit_segments", "AUTO_K_RANGE"]

AUTO_K_RANGE = range(3, 9)
SILHOUETTE_SAMPLE = 3000


@dataclass(frozen=True)
class FitResult:
    segment_set: SegmentSet
    labels: np.ndarray  # segment id per input row
    notices: tuple[Notice, ...]


def _codes(s: pd.Series) -> np.ndarray:
    """Small non-negative integer codes for a column, missing values included as their own code."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64) + 1
    return pd.factorize(s.to_numpy(), use_na_sentinel=False)[0].astype(np.int64)


def _dedupe(df: pd.DataFrame, cols: list[str], w: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Distinct answer profiles, their summed weights, and each row's profile index.

    Columns are packed into one integer key (mixed radix) and sorted once, which is several
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
    _, first, gid = np.unique(key, return_index=True, return_inverse=True)
    unique = df.iloc[first][cols].reset_index(drop=True)
    return unique, np.bincount(gid, weights=w), gid.ravel()


def _kmeans(X: np.ndarray, w: np.ndarray, k: int, seed: int) -> KMeans:
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit(X, sample_weight=w)


def _choose_k(X: np.ndarray, w: np.ndarray, seed: int) -> tuple[int, dict[int, float], dict[int, KMeans]]:
    """The k with the clearest separation, its scores, and the fits (so the winner is not fitted twice)."""
    rng = np.random.default_rng(seed)
    n = len(X)
    size = min(SILHOUETTE_SAMPLE, n)
    sample = rng.choice(n, size=size, replace=False, p=w / w.sum())
    scores: dict[int, float] = {}
    fits: dict[int, KMeans] = {}
    for k in AUTO_K_RANGE:
        if k >= n:
            break
        fits[k] = _kmeans(X, w, k, seed)
        labels = fits[k].predict(X[sample])
        if len(set(labels)) < 2:
            continue
        scores[k] = round(float(silhouette_score(X[sample], labels, random_state=seed)), 4)
    if not scores:
        return min(3, n), {}, fits
    best = max(scores, key=lambda k: (scores[k], -k))
    return best, scores, fits


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


def fit_segments(
    df: pd.DataFrame,
    k: int | str = "auto",
    *,
    min_size: float = 30,
    seed: int = 0,
    rules: tuple[Rule, ...] = (),
    extra_features: tuple[str, ...] = (),
) -> FitResult:
    """Segment a validated citizen table (from `load_citizens`) into named, described segments."""
    w = df["weight"].to_numpy(dtype=np.float64)
    total = float(w.sum())
    notices: list[Notice] = []
    if total < min_size or len(df) < MIN_CELL:
        raise InputError([problem("too_small", persons=Num(total), minimum=Num(min_size), hint="hint_more_data")])

    # Every computation below runs on distinct answer profiles; `gid` maps rows to them.
    cols = [c for g in feature_columns(df, extra_features).values() for c in g]
    unique, uw, gid = _dedupe(df, cols, w)
    urows = np.bincount(gid, minlength=len(unique))
    spec, _ = fit_feature_spec(unique, uw, extra_features)

    ulabels = np.zeros(len(unique), dtype=np.int64)  # 0 = not yet assigned
    kept_rules: list[Rule] = []
    free = np.ones(len(unique), dtype=bool)
    for rule in rules:
        m = rule_mask(rule, unique) & free
        if uw[m].sum() < min_size or urows[m].sum() < MIN_CELL:
            notices.append(Notice("notice.rule_too_small", rule=Raw(rule.name), persons=Num(uw[m].sum()),
                                  minimum=Num(min_size)))
            continue
        kept_rules.append(rule)
        ulabels[m] = -len(kept_rules)  # temporary negative ids for rules
        free &= ~m

    groups: list[list[int]] = []
    centroids = np.zeros((0, len(spec.output_names)))
    k_choice = KChoice(str(k), 0, {}, "")
    if free.any() and uw[free].sum() >= min_size:
        X = spec.transform(unique.loc[free])
        fw = uw[free]
        fits: dict[int, KMeans] = {}
        if k == "auto":
            k_int, scores, fits = _choose_k(X, fw, seed)
            k_choice = KChoice("auto", k_int, scores, "silhouette")
        else:
            k_int = int(k)
            k_choice = KChoice(str(k_int), k_int, {}, "")
        k_int = max(1, min(k_int, int(free.sum())))
        model = fits.get(k_int) or _kmeans(X, fw, k_int, seed)
        centroids = np.round(model.cluster_centers_, 10)
        nearest = nearest_centroid(X, centroids)
        groups = _merge_small(centroids, nearest, fw, min_size, urows[free])
        if len(groups) < k_int:
            notices.append(Notice("notice.small_merged", n=k_int - len(groups), minimum=Num(min_size)))
        group_of_centroid = np.empty(len(centroids), dtype=np.int64)
        for gi, g in enumerate(groups):
            group_of_centroid[g] = gi
        ulabels[free] = 1_000 + group_of_centroid[nearest]  # temporary ids for clusters
    elif free.any():
        notices.append(Notice("notice.rest_to_rule", persons=Num(uw[free].sum())))
        biggest = max(range(len(kept_rules)), key=lambda i: uw[ulabels == -(i + 1)].sum())
        ulabels[free] = -(biggest + 1)
    # Final ids: rules first in their order, then clusters by size (largest first).
    cluster_sizes = [(float(uw[ulabels == 1_000 + gi].sum()), gi) for gi in range(len(groups))]
    order = [gi for _, gi in sorted(cluster_sizes, key=lambda t: (-t[0], t[1]))]
    temp_ids = [-(i + 1) for i in range(len(kept_rules))] + [1_000 + gi for gi in order]
    ids = list(range(1, len(temp_ids) + 1))
    cluster_id = {gi: ids[len(kept_rules) + i] for i, gi in enumerate(order)}
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
        segments.append(Segment(sid, rule.name, describe(profiles[sid], pop), "rule", profiles[sid], rule, ()))
    for gi in order:
        sid = cluster_id[gi]
        cents = tuple(tuple(float(v) for v in centroids[c]) for c in groups[gi])
        segments.append(Segment(sid, names[sid], describe(profiles[sid], pop), "cluster", profiles[sid], None, cents))
    segment_set = SegmentSet(
        seed=seed, min_size=float(min_size), k=k_choice, features=spec, extra_features=tuple(extra_features),
        total_weight=round(total, 2), population=pop,
        municipalities=tuple(str(m) for m in df["municipality"].cat.categories),
        segments=tuple(segments),
    )
    return FitResult(segment_set, final, tuple(notices))
