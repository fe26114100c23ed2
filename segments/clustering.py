"""Find segments: rule-based groups first, then the latent class model on the rest.

Identical answer profiles are handled once with their summed weight (a million survey rows hold
far fewer distinct profiles). One model does everything after the rules: it chooses k (1–8, BIC,
`segments.choosek`) or takes the officer's k, keeps only the questions that separate its classes
(the others describe segments but do not split them), assigns each person to the class with the
highest posterior probability and keeps that probability as the person's certainty. Every
segment is then checked for stability across bootstrap refits of the same model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from common.catalogue import Msg, Num, Pct, Raw, render
from common.errors import InputError, Notice, problem

from .choosek import best_fit, sample_rows, search_k
from .features import FeatureSpec, feature_columns, fit_feature_spec
from .mixture import LatentClassParams, MixtureFit, column_gain, e_step, fit_codings, fit_mixture, mixed_data
from .naming import NAME_LANG, describe, name_segments
from .profile import MIN_CELL, compute_profiles, municipality_cells, population_habits
from .rules import Rule, rule_mask
from .segmentset import UNCERTAIN, KChoice, Segment, SegmentSet
from .stability import segment_stability
from .weights import heavy_rows, kish

__all__ = ["FitResult", "fit_segments"]

RULE_BASE, CLUSTER_BASE = -1, 1_000  # temporary label ranges before the final numbering


@dataclass(frozen=True)
class FitResult:
    segment_set: SegmentSet
    labels: np.ndarray  # segment id per input row
    notices: tuple[Notice, ...]


@dataclass(frozen=True)
class _Clusters:
    group_of_row: np.ndarray  # segment group index per free distinct profile
    certainty: np.ndarray  # posterior probability of that group per free distinct profile
    choice: KChoice
    stability: dict[int, float]  # per group index
    params: LatentClassParams | None  # classes in group order
    drivers: tuple[str, ...]  # the questions that separate the classes

    @property
    def n_groups(self) -> int:
        return 0 if self.params is None else len(self.params.log_prior)


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


def _compact(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of an answer-code matrix and each row's index among them."""
    key = np.zeros(len(codes), dtype=np.int64)
    for j in range(codes.shape[1]):
        key = key * (int(codes[:, j].max()) + 2) + codes[:, j] + 1
    gid, distinct = pd.factorize(key)
    first = np.empty(len(distinct), dtype=np.int64)
    first[gid[::-1]] = np.arange(len(key) - 1, -1, -1)
    return codes[first], gid.ravel()


def _drop_small(resp: np.ndarray, w: np.ndarray, rows: np.ndarray, min_size: float) -> list[int]:
    """The classes kept: the smallest class under the minimum size (weighted persons, or fewer than
    MIN_CELL rows) is dropped and its members go to their next most probable class, until none is."""
    alive = list(range(resp.shape[1]))
    while len(alive) > 1:
        labels = np.array(alive)[resp[:, alive].argmax(axis=1)]
        size = np.bincount(labels, weights=w, minlength=resp.shape[1])
        nrows = np.bincount(labels, weights=rows, minlength=resp.shape[1])
        small = [c for c in alive if size[c] < min_size or nrows[c] < MIN_CELL]
        if not small:
            break
        alive.remove(min(small, key=lambda c: (size[c], c)))
    return alive


def _cluster(free_rows: pd.DataFrame, fw: np.ndarray, frows: np.ndarray, spec: FeatureSpec, k: int | str,
             min_size: float, seed: int, eff_ratio: float, describe_only: tuple[str, ...],
             notices: list[Notice]) -> _Clusters:
    """The latent class model on the free profiles: k chosen (or given), drivers kept, small
    classes dropped, each profile assigned by posterior, stability measured."""
    codings = tuple(c for c in fit_codings(free_rows, spec, fw) if c.name not in describe_only)
    codes = np.column_stack([c.codes(free_rows) for c in codings]) if codings \
        else np.zeros((len(free_rows), 0), dtype=np.int64)
    cp, inv = _compact(codes)
    cw, crow = np.bincount(inv, weights=fw), np.bincount(inv, weights=frows)
    n_eff = max(2.0, eff_ratio * float(crow.sum()))
    data = mixed_data(cp, codings)
    idx, sw, n = sample_rows(cw, crow, n_eff, seed)
    ds = data.take(idx)
    fit: MixtureFit
    if k == "auto":
        search = search_k(ds, sw, n, codings, seed)
        k_int, fit = search.chosen, search.fits[search.chosen]
        choice = KChoice(requested="auto", chosen=k_int, criterion="bic", sample=int(round(n)),
                         candidates=search.candidates)
    else:
        k_int = max(1, min(int(k), len(idx)))
        previous: MixtureFit | None = None
        for j in range(1, k_int + 1):  # the same chain of starts as the automatic choice: the same optimum
            previous = best_fit(ds, sw, j, seed, previous)
        assert previous is not None
        fit = previous
        choice = KChoice(requested=str(k_int), chosen=k_int)
    keep = [j for j, g in enumerate(column_gain(ds, sw, fit.resp, n)) if g > 0]
    if k_int > 1 and keep and len(keep) < len(codings):  # refit on the questions that separate
        codings, data, ds = tuple(codings[j] for j in keep), data.only(keep), ds.only(keep)
        fit = fit_mixture(ds, sw, fit.resp, k_int)
    full_w = cw / cw.sum() * n_eff
    if len(idx) < len(cw):  # the sample's model, refined on every profile
        fit = fit_mixture(data, full_w, e_step(data.indicators, fit.log_prior, fit.log_share)[0], k_int,
                          max_iter=100)
        sample_resp = fit.resp[idx]
    else:
        sample_resp = fit.resp
    alive = _drop_small(fit.resp, cw, crow, min_size)
    if len(alive) < k_int:
        notices.append(Notice("notice.small_merged", n=k_int - len(alive), minimum=Num(min_size)))
    resp = fit.resp[:, alive] / np.maximum(fit.resp[:, alive].sum(axis=1, keepdims=True), 1e-300)
    group = resp.argmax(axis=1)
    certainty = resp.max(axis=1)
    sample_group = sample_resp[:, alive].argmax(axis=1)
    stability = segment_stability(ds, sw, sample_group, len(alive), seed) if len(alive) > 1 else {}
    prior = fit.log_prior[alive] - np.log(np.exp(fit.log_prior[alive]).sum())
    params = LatentClassParams(columns=codings, log_prior=tuple(float(v) for v in prior),
                               log_share=tuple(tuple(float(v) for v in row) for row in fit.log_share[alive]),
                               segment_of_class=tuple(range(len(alive))))
    drivers = tuple(c.name for c in codings) if len(alive) > 1 else ()
    return _Clusters(group[inv], certainty[inv], choice, stability, params, drivers)


def fit_segments(
    df: pd.DataFrame,
    k: int | str = "auto",
    *,
    min_size: float = 30,
    seed: int = 0,
    rules: tuple[Rule, ...] = (),
    extra_features: tuple[str, ...] = (),
    describe_only: tuple[str, ...] = (),
    progress: Callable[[str], None] | None = None,
) -> FitResult:
    """Segment a validated citizen table (from `load_citizens`) into named, described segments.

    `describe_only` names columns that describe segments but may not split them (on rows built
    from statistics: every column the habit tables do not vary by).
    `progress` is told "fitting" and then "describing" (the app's staged progress bar).
    The matrices here are thin (thousands of rows × a few classes), where a multi-threaded BLAS
    spends far more time waking its threads than computing, so the work runs with one BLAS thread.
    """
    with threadpool_limits(1, user_api="blas"):
        return _fit(df, k, min_size, seed, rules, extra_features, describe_only, progress)


def _fit(df: pd.DataFrame, k: int | str, min_size: float, seed: int, rules: tuple[Rule, ...],
         extra_features: tuple[str, ...], describe_only: tuple[str, ...],
         progress: Callable[[str], None] | None) -> FitResult:
    w = df["weight"].to_numpy(dtype=np.float64)
    total = float(w.sum())
    notices: list[Notice] = []
    if total < min_size or len(df) < MIN_CELL:
        raise InputError([problem("too_small", persons=Num(total), minimum=Num(min_size), hint="hint_more_data")])
    if progress:
        progress("fitting")
    n_eff = kish(w)
    heavy = heavy_rows(w)
    if heavy is not None:
        notices.append(Notice("notice.heavy_weights", rows=Num(heavy.rows), share=Pct(heavy.share),
                              effective=Num(n_eff), total=Num(len(w))))

    # Every computation below runs on distinct answer profiles; `gid` maps rows to them.
    cols = [c for g in feature_columns(df, extra_features).values() for c in g]
    unique, uw, gid = _dedupe(df, cols, w)
    urows = np.bincount(gid, minlength=len(unique))
    spec = fit_feature_spec(unique, uw, extra_features)
    ulabels, kept_rules = _carve_rules(rules, unique, uw, urows, min_size, notices)
    free = ulabels == 0
    ucert = np.ones(len(unique))

    clusters = _Clusters(np.zeros(0, dtype=np.int64), np.zeros(0), KChoice(requested=str(k), chosen=0), {}, None, ())
    if free.any() and uw[free].sum() >= min_size:
        clusters = _cluster(unique.loc[free].reset_index(drop=True), uw[free], urows[free], spec, k, min_size,
                            seed, n_eff / len(w), describe_only, notices)
        ulabels[free] = CLUSTER_BASE + clusters.group_of_row
        ucert[free] = clusters.certainty
        if k == "auto" and clusters.choice.chosen == 1:
            notices.append(Notice("notice.no_groups"))
    elif free.any():
        notices.append(Notice("notice.rest_to_rule", persons=Num(uw[free].sum())))
        biggest = max(range(len(kept_rules)), key=lambda i: uw[ulabels == RULE_BASE - i].sum())
        ulabels[free] = RULE_BASE - biggest
    if progress:
        progress("describing")
    return _build(df, unique, uw=uw, urows=urows, gid=gid, ulabels=ulabels, ucert=ucert, kept_rules=kept_rules,
                  clusters=clusters, spec=spec, seed=seed, min_size=min_size, extra_features=extra_features,
                  describe_only=describe_only, notices=tuple(notices))


def _build(df: pd.DataFrame, unique: pd.DataFrame, *, uw: np.ndarray, urows: np.ndarray, gid: np.ndarray,
           ulabels: np.ndarray, ucert: np.ndarray, kept_rules: list[Rule], clusters: _Clusters, spec: FeatureSpec,
           seed: int, min_size: float, extra_features: tuple[str, ...], describe_only: tuple[str, ...],
           notices: tuple[Notice, ...]) -> FitResult:
    """Final ids (rules first in their order, then clusters largest first), profiles and names."""
    n_groups = clusters.n_groups
    sizes = [(float(uw[ulabels == CLUSTER_BASE + gi].sum()), gi) for gi in range(n_groups)]
    order = [gi for _, gi in sorted(sizes, key=lambda t: (-t[0], t[1]))]
    temp_ids = [RULE_BASE - i for i in range(len(kept_rules))] + [CLUSTER_BASE + gi for gi in order]
    ids = list(range(1, len(temp_ids) + 1))
    ufinal = np.zeros_like(ulabels)
    for temp, sid in zip(temp_ids, ids):
        ufinal[ulabels == temp] = sid
    final = ufinal[gid]
    w = df["weight"].to_numpy(dtype=np.float64)
    top = int(ufinal.max()) + 1 if len(ufinal) else 1
    sum_w, sum_w2 = np.bincount(final, weights=w, minlength=top), np.bincount(final, weights=w * w, minlength=top)
    unsure = np.bincount(ufinal, weights=uw * (ucert < UNCERTAIN), minlength=top)
    mean_cert = np.bincount(ufinal, weights=uw * ucert, minlength=top)

    profiles = compute_profiles(unique, ufinal, uw, urows, ids, municipality_cells(df, final, ids))
    pop = population_habits(unique, uw)
    names = name_segments(profiles, pop)
    if clusters.choice.chosen == 1 and not kept_rules and len(order) == 1:
        names[1] = Msg("segname.everyone")  # no groups that differ: one segment for everyone
    segments = []
    for i, rule in enumerate(kept_rules):
        sid = i + 1
        segments.append(Segment(id=sid, name=rule.name, description=describe(profiles[sid], pop), source="rule",
                                profile=profiles[sid], rule=rule,
                                effective_size=round(sum_w[sid] ** 2 / max(sum_w2[sid], 1e-300), 1)))
    for pos, gi in enumerate(order):
        sid = len(kept_rules) + pos + 1
        segments.append(Segment(id=sid, name=render(names[sid], NAME_LANG), label=names[sid],
                                description=describe(profiles[sid], pop), source="cluster",
                                stability=clusters.stability.get(gi), profile=profiles[sid],
                                certainty=round(float(mean_cert[sid] / max(uw[ufinal == sid].sum(), 1e-300)), 3),
                                uncertain_share=round(float(unsure[sid] / max(uw[ufinal == sid].sum(), 1e-300)), 3),
                                effective_size=round(sum_w[sid] ** 2 / max(sum_w2[sid], 1e-300), 1)))
    params = None
    if clusters.params is not None:
        seg_of = [0] * n_groups
        for pos, gi in enumerate(order):
            seg_of[gi] = len(kept_rules) + pos + 1
        params = clusters.params.model_copy(update={"segment_of_class": tuple(seg_of)})
    segment_set = SegmentSet(
        seed=seed, min_size=float(min_size), k=clusters.choice, features=spec, extra_features=tuple(extra_features),
        total_weight=round(float(uw.sum()), 2), population=pop,
        municipalities=tuple(str(m) for m in df["municipality"].cat.categories), segments=tuple(segments),
        model=params, drivers=clusters.drivers,
        described_only=tuple(c for c in spec.columns if c not in clusters.drivers),
        effective_size=round(kish(w), 1),
    )
    return FitResult(segment_set, final, notices)
