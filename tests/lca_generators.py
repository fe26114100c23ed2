"""Citizen files for testing the segment model, written for that purpose and unlike the bundled sample.

Each generator returns a `Generated`: rows in the input format (Swedish headers for municipality,
age and weight, as a user's export has them), the planted group of every row (None where nothing
was planted), the planted number of groups and the extra feature columns. Groups differ by
answer probabilities drawn here from their own seeds, not by the bundled personas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from segments.schema import category_values

HABITS = ("internet_use", "has_bankid", "uses_facebook", "prefers_paper", "eservice_uses_12m")
BACKGROUND = ("household", "occupation", "age")
MUNICIPALITIES = ("Karlstad", "Arvika", "Kil", "Hammarö", "Torsby")


@dataclass(frozen=True)
class Generated:
    name: str
    frame: pd.DataFrame
    truth: np.ndarray | None
    groups: int | None  # None: no groups were planted
    extra_features: tuple[str, ...] = ()


def _levels(q: str) -> list[object]:
    if q in ("has_bankid", "uses_facebook", "prefers_paper"):
        return [True, False]
    if q == "age":
        return [(16, 29), (30, 44), (45, 64), (65, 79), (80, 95)]
    if q == "eservice_uses_12m":
        return [0.2, 2.0, 7.0, 15.0]
    return list(category_values(q))


def _profile(q: str, rng: np.random.Generator, crisp: float) -> np.ndarray:
    """An answer distribution with one typical answer taking `crisp` of the mass."""
    n = len(_levels(q))
    p = rng.dirichlet(np.ones(n)) * (1 - crisp)
    p[rng.integers(n)] += crisp
    return p


def _answers(q: str, p: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    levels = _levels(q)
    pick = rng.choice(len(levels), size=n, p=p)
    if q == "age":
        lo = np.array([lv[0] for lv in levels])[pick]  # type: ignore[index]
        hi = np.array([lv[1] for lv in levels])[pick]  # type: ignore[index]
        return rng.integers(lo, hi + 1)
    if q == "eservice_uses_12m":
        return rng.poisson(np.array(levels, dtype=float)[pick])
    return np.array(levels, dtype=object)[pick]


def _frame(cols: dict[str, np.ndarray], n: int, rng: np.random.Generator, weights: np.ndarray | None = None
           ) -> pd.DataFrame:
    df = pd.DataFrame({"kommun": rng.choice(np.array(MUNICIPALITIES, dtype=object), size=n), **cols})
    if "sex" not in df:
        df["sex"] = rng.choice(np.array(["female", "male"], dtype=object), size=n)
    if weights is not None:
        df["vikt"] = np.round(weights, 4)
    return df.rename(columns={"age": "ålder"})


def planted(name: str, sizes: list[float], n: int, seed: int, *, crisp: float = 0.8,
            questions: tuple[str, ...] = HABITS + BACKGROUND, min_differ: int = 3) -> Generated:
    """Groups of the given relative sizes, each with its own typical answers to `questions`;
    the other schema questions follow one distribution for everyone."""
    rng = np.random.default_rng(seed)
    k = len(sizes)
    truth = rng.choice(k, size=n, p=np.array(sizes) / sum(sizes))
    for _ in range(2000):
        profiles = [{q: _profile(q, rng, crisp) for q in questions} for _ in range(k)]
        modes = [{q: int(np.argmax(p[q])) for q in questions} for p in profiles]
        if all(sum(a[q] != b[q] for q in questions) >= min_differ for i, a in enumerate(modes) for b in modes[i + 1:]):
            break
    else:
        raise ValueError("cannot plant distinct groups")
    shared = {q: _profile(q, rng, 0.4) for q in HABITS + BACKGROUND if q not in questions}
    cols: dict[str, np.ndarray] = {}
    for q in HABITS + BACKGROUND:
        col = np.empty(n, dtype=object)
        for g in range(k):
            rows = np.flatnonzero(truth == g)
            col[rows] = _answers(q, profiles[g][q] if q in questions else shared[q], len(rows), rng)
        cols[q] = col
    return Generated(name, _frame(cols, n, rng), truth, k)


def two_groups(seed: int = 0) -> Generated:
    return planted("two_groups", [0.7, 0.3], 3000, seed)


def nine_groups(seed: int = 0) -> Generated:
    return planted("nine_groups", [1.0] * 9, 6000, seed, crisp=0.85, min_differ=4)


def one_big_four_small(seed: int = 0) -> Generated:
    return planted("one_big_four_small", [0.88, 0.03, 0.03, 0.03, 0.03], 6000, seed, crisp=0.9, min_differ=5)


def habits_only(seed: int = 0) -> Generated:
    """Groups that differ only in habits; age, household, occupation and sex are alike in all."""
    return planted("habits_only", [0.4, 0.35, 0.25], 3000, seed, crisp=0.85, questions=HABITS)


def missing_answers(seed: int = 0) -> Generated:
    """Four groups, 40 % of the answers missing in five columns."""
    g = planted("missing_answers", [0.3, 0.3, 0.2, 0.2], 4000, seed)
    rng = np.random.default_rng(seed + 7)
    df = g.frame.copy()
    for c in ("internet_use", "has_bankid", "prefers_paper", "household", "occupation"):
        df.loc[rng.random(len(df)) < 0.4, c] = None
    return Generated(g.name, df, g.truth, g.groups)


def heavy_weights(seed: int = 0) -> Generated:
    """Four groups; 12 of 2,500 rows carry 71 % of the weight."""
    g = planted("heavy_weights", [0.4, 0.3, 0.2, 0.1], 2500, seed)
    w = np.ones(2500)
    heavy = np.random.default_rng(seed + 3).choice(2500, size=12, replace=False)
    w[heavy] = 0.71 * (2500 - 12) / (0.29 * 12)
    df = g.frame.copy()
    df["vikt"] = np.round(w, 4)
    return Generated(g.name, df, g.truth, g.groups)


def likert_items(seed: int = 0) -> Generated:
    """Three groups that differ in four agreement statements (1–5) as much as in habits."""
    g = planted("likert_items", [0.5, 0.3, 0.2], 3000, seed, crisp=0.6)
    rng = np.random.default_rng(seed + 11)
    df = g.frame.copy()
    names = tuple(f"påstående_{i + 1}" for i in range(4))
    assert g.truth is not None
    for name in names:
        centre = rng.choice([1, 3, 5], size=3, replace=False)
        score = np.clip(np.rint(rng.normal(centre[g.truth], 0.7)), 1, 5).astype(int)
        df[name] = score.astype(str)
    return Generated(g.name, df, g.truth, g.groups, names)


def pure_noise(seed: int = 0) -> Generated:
    """Every column drawn on its own: there are no groups."""
    rng = np.random.default_rng(seed)
    n = 3000
    cols = {q: _answers(q, _profile(q, rng, 0.4), n, rng) for q in HABITS + BACKGROUND}
    return Generated("pure_noise", _frame(cols, n, rng), None, None)


def continuum(seed: int = 0) -> Generated:
    """One hidden digital-habit score, smooth from low to high: a gradient, not groups."""
    rng = np.random.default_rng(seed)
    n = 3000
    z = rng.uniform(-2, 2, n)
    p = 1 / (1 + np.exp(-z))
    uses = np.array(category_values("internet_use"), dtype=object)
    cols = {
        "age": np.clip(np.rint(55 - 12 * z + rng.normal(0, 8, n)), 16, 95).astype(int),
        "has_bankid": rng.random(n) < p, "uses_facebook": rng.random(n) < 0.3 + 0.4 * p,
        "prefers_paper": rng.random(n) < 1 - p,
        "internet_use": uses[np.clip(np.rint((1 - p) * (len(uses) - 1) + rng.normal(0, 0.6, n)), 0,
                                     len(uses) - 1).astype(int)],
        "eservice_uses_12m": rng.poisson(8 * p),
    }
    return Generated("continuum", _frame(cols, n, rng), None, None)


PLANTED = (two_groups, nine_groups, one_big_four_small, habits_only, missing_answers, likert_items)
ALL = (*PLANTED, heavy_weights, pure_noise, continuum)
