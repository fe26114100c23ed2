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

from .errors import InputError, Notice, Problem
from .features import feature_columns, fit_feature_spec
from .profile import MIN_CELL, compute_profiles, describe, name_segments, population_habits
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


def _dedupe(df: pd.DataFrame, cols: list[str], w: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Distinct answer profiles, their summed weights, and each row's profile index."""
    gid = df.groupby(cols, dropna=False, observed=True, sort=False).ngroup().to_numpy()
    first = np.unique(gid, return_index=True)[1]
    unique = df.iloc[first][cols].reset_index(drop=True)
    weights = np.bincount(gid, weights=w)
    return unique, weights, gid


def _kmeans(X: np.ndarray, w: np.ndarray, k: int, seed: int) -> KMeans:
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit(X, sample_weight=w)


def _choose_k(X: np.ndarray, w: np.ndarray, seed: int) -> tuple[int, dict[int, float]]:
    rng = np.random.default_rng(seed)
    n = len(X)
    size = min(SILHOUETTE_SAMPLE, n)
    sample = rng.choice(n, size=size, replace=False, p=w / w.sum())
    scores: dict[int, float] = {}
    for k in AUTO_K_RANGE:
        if k >= n:
            break
        labels = _kmeans(X, w, k, seed).predict(X[sample])
        if len(set(labels)) < 2:
            continue
        scores[k] = round(float(silhouette_score(X[sample], labels, random_state=seed)), 4)
    if not scores:
        return min(3, n), {}
    best = max(scores, key=lambda k: (scores[k], -k))
    return best, scores


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
        raise InputError([Problem(
            "too_small", f"Underlaget är för litet: {total:.0f} personer, minst {min_size:.0f} behövs.",
            f"Too little data: {total:.0f} persons, at least {min_size:.0f} needed.",
            hint_sv="Använd en större fil eller sänk minsta segmentstorlek.",
            hint_en="Use a larger file or lower --min-size.")])

    labels = np.zeros(len(df), dtype=np.int64)  # 0 = not yet assigned
    kept_rules: list[Rule] = []
    free = np.ones(len(df), dtype=bool)
    for rule in rules:
        m = rule_mask(rule, df) & free
        if w[m].sum() < min_size or m.sum() < MIN_CELL:
            notices.append(Notice(
                f"Regeln '{rule.name}' gäller bara {w[m].sum():.0f} personer (minst {min_size:.0f}); "
                "de ingår i stället i de beräknade segmenten.",
                f"Rule '{rule.name}' matches only {w[m].sum():.0f} persons (minimum {min_size:.0f}); "
                "they are clustered with the rest instead."))
            continue
        kept_rules.append(rule)
        labels[m] = -len(kept_rules)  # temporary negative ids for rules
        free &= ~m

    rest = df.loc[free]
    w_rest = w[free]
    spec, _ = fit_feature_spec(df, w, extra_features)
    groups: list[list[int]] = []
    centroids = np.zeros((0, len(spec.output_names)))
    k_choice = KChoice(str(k), 0, {}, "")
    if len(rest) and w_rest.sum() >= min_size:
        cols = [c for g in feature_columns(df, extra_features).values() for c in g]
        unique, uw, gid = _dedupe(rest, cols, w_rest)
        X = spec.transform(unique)
        if k == "auto":
            k_int, scores = _choose_k(X, uw, seed)
            k_choice = KChoice("auto", k_int, scores, "silhouette")
        else:
            k_int = int(k)
            k_choice = KChoice(str(k_int), k_int, {}, "")
        k_int = max(1, min(k_int, len(unique)))
        km = _kmeans(X, uw, k_int, seed)
        centroids = np.round(km.cluster_centers_, 10)
        ulabels = nearest_centroid(X, centroids)
        groups = _merge_small(centroids, ulabels, uw, min_size, np.bincount(gid, minlength=len(unique)))
        if len(groups) < k_int:
            notices.append(Notice(
                f"{k_int - len(groups)} små grupper (under {min_size:.0f} personer) slogs ihop med "
                "den mest lika gruppen, så att ingen enskild person kan pekas ut.",
                f"{k_int - len(groups)} small groups (under {min_size:.0f} persons) were merged into their "
                "nearest neighbour so that nobody can be singled out."))
        centroid_group = {c: gi for gi, g in enumerate(groups) for c in g}
        row_cluster = ulabels[gid]
        group_of_row = np.array([centroid_group[c] for c in range(len(centroids))])[row_cluster]
        labels[free] = 1_000 + group_of_row  # temporary ids for clusters
    elif len(rest):
        notices.append(Notice(
            f"Efter reglerna återstår bara {w_rest.sum():.0f} personer; de läggs i den största regelgruppen.",
            f"After the rules only {w_rest.sum():.0f} persons remain; they join the largest rule group."))
        biggest = max(range(len(kept_rules)), key=lambda i: w[labels == -(i + 1)].sum())
        labels[free] = -(biggest + 1)

    # Final ids: rules first in their order, then clusters by size (largest first).
    cluster_sizes = [(float(w[labels == 1_000 + gi].sum()), gi) for gi in range(len(groups))]
    order = [gi for _, gi in sorted(cluster_sizes, key=lambda t: (-t[0], t[1]))]
    final = np.zeros_like(labels)
    ids: list[int] = []
    next_id = 1
    for i in range(len(kept_rules)):
        final[labels == -(i + 1)] = next_id
        ids.append(next_id)
        next_id += 1
    cluster_id: dict[int, int] = {}
    for gi in order:
        final[labels == 1_000 + gi] = next_id
        cluster_id[gi] = next_id
        ids.append(next_id)
        next_id += 1

    profiles = compute_profiles(df, final, ids)
    pop = population_habits(df, w)
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
