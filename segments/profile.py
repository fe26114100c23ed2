"""Describe segments: weighted size, habits and the traits that set each one apart.

Small per-municipality cells are suppressed here, before anything leaves the core. Names and
descriptions are derived from these profiles in `segments.naming`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from .features import weighted_median
from .schema import BOOLEAN_FIELDS, CATEGORICAL_FIELDS

__all__ = [
    "MIN_CELL", "SUPPRESSED", "compute_profiles", "Habits", "municipality_cells", "population_habits", "Profile",
    "Trait",
]

MIN_CELL = 5
SUPPRESSED = "<5"
AGE_BANDS = ((0, 15, "0–15"), (16, 29, "16–29"), (30, 44, "30–44"), (45, 64, "45–64"),
             (65, 79, "65–79"), (80, 200, "80+"))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Habits(_Frozen):
    """Channel-relevant habits as weighted shares (None when the data has no such column)."""

    daily_internet: float | None = None
    facebook: float | None = None
    bankid: float | None = None
    paper: float | None = None
    eservice_mean: float | None = None
    eservice_none: float | None = None


class Trait(_Frozen):
    """A share that sets the segment apart from the whole population."""

    field: str
    value: str
    share: float
    population_share: float

    @property
    def lift(self) -> float:
        return self.share / self.population_share if self.population_share > 0 else 0.0


class Profile(_Frozen):
    size: float
    rows: int
    share: float
    age_mean: float
    age_median: float
    age_bands: dict[str, float]
    by_municipality: dict[str, int | str]
    habits: Habits
    shares: dict[str, dict[str, float]] = {}  # field -> value -> share
    traits: tuple[Trait, ...] = ()


def _wmean(x: np.ndarray, w: np.ndarray) -> float | None:
    ok = ~np.isnan(x)
    if not ok.any() or w[ok].sum() == 0:
        return None
    return float(np.average(x[ok], weights=w[ok]))


def _shares(df: pd.DataFrame, w: np.ndarray) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for c in CATEGORICAL_FIELDS:
        if c in df:
            codes = df[c].cat.codes.to_numpy()
            ok = codes >= 0
            total = w[ok].sum()
            if total > 0:
                sums = np.bincount(codes[ok], weights=w[ok], minlength=len(df[c].cat.categories))
                out[c] = {str(cat): float(s / total) for cat, s in zip(df[c].cat.categories, sums)}
    for c in BOOLEAN_FIELDS:
        if c in df:
            m = _wmean(df[c].to_numpy(dtype=np.float64), w)
            if m is not None:
                out[c] = {"true": m}
    return out


def population_habits(df: pd.DataFrame, w: np.ndarray) -> Habits:
    """Habits of a group of rows (a segment, or everyone)."""
    def share(col: str) -> float | None:
        return _wmean(df[col].to_numpy(dtype=np.float64), w) if col in df else None

    daily = None
    if "internet_use" in df:
        x = df["internet_use"].astype(object)
        known = x.notna().to_numpy()
        if known.any():
            daily = float(np.average((x[known] == "daily").to_numpy(dtype=float), weights=w[known]))
    uses = df["eservice_uses_12m"].to_numpy(dtype=np.float64) if "eservice_uses_12m" in df else None
    return _rounded(
        daily_internet=daily,
        facebook=share("uses_facebook"),
        bankid=share("has_bankid"),
        paper=share("prefers_paper"),
        eservice_mean=_wmean(uses, w) if uses is not None else None,
        eservice_none=_wmean((uses == 0).astype(float) + np.where(np.isnan(uses), np.nan, 0), w)
        if uses is not None else None,
    )


def _rounded(**values: float | None) -> Habits:
    return Habits(**{k: (None if v is None else round(float(v), 4)) for k, v in values.items()})


def _traits(shares: dict[str, dict[str, float]], population: dict[str, dict[str, float]]) -> tuple[Trait, ...]:
    traits = []
    for f, values in shares.items():
        for v, s in values.items():
            p = population.get(f, {}).get(v, 0.0)
            if p > 0 and s >= 0.25:
                traits.append(Trait(field=f, value=v, share=round(s, 4), population_share=round(p, 4)))
    traits.sort(key=lambda t: (-t.lift, t.field, t.value))
    return tuple(t for t in traits if t.lift >= 1.2)[:6]


def municipality_cells(df: pd.DataFrame, labels: np.ndarray, segment_ids: list[int]) -> dict[int, dict[str, int | str]]:
    """Persons per municipality in each segment; cells under five persons or rows become '<5'."""
    w = df["weight"].to_numpy(dtype=np.float64)
    codes = df["municipality"].cat.codes.to_numpy().astype(np.int64)
    munis = [str(m) for m in df["municipality"].cat.categories]
    position = {sid: i for i, sid in enumerate(segment_ids)}
    seg = np.array([position.get(int(x), -1) for x in range(labels.max() + 1)])[labels]
    key = seg * len(munis) + codes
    size = len(segment_ids) * len(munis)
    persons = np.bincount(key, weights=w, minlength=size).reshape(len(segment_ids), len(munis))
    rows = np.bincount(key, minlength=size).reshape(len(segment_ids), len(munis))
    out: dict[int, dict[str, int | str]] = {}
    for i, sid in enumerate(segment_ids):
        out[sid] = {name: SUPPRESSED if (persons[i, j] < MIN_CELL or rows[i, j] < MIN_CELL)
                    else int(round(persons[i, j]))
                    for j, name in enumerate(munis) if rows[i, j] > 0}
    return out


def compute_profiles(df: pd.DataFrame, labels: np.ndarray, w: np.ndarray, rows: np.ndarray,
                     segment_ids: list[int], by_municipality: dict[int, dict[str, int | str]]) -> dict[int, Profile]:
    """Weighted profiles per segment.

    `df` may hold one row per person or one row per distinct answer profile: `w` carries the
    weights and `rows` how many input rows each line stands for, so both give the same result.
    """
    total = w.sum()
    population = _shares(df, w)
    age = df["age"].to_numpy(dtype=np.float64)
    out = {}
    for sid in segment_ids:
        m = labels == sid
        ws = w[m]
        size = float(ws.sum())
        sub = df.loc[m]
        a = age[m]
        bands = {}
        for lo, hi, label in AGE_BANDS:
            share = float(ws[(a >= lo) & (a <= hi)].sum() / size) if size else 0.0
            if share > 0:
                bands[label] = round(share, 4)
        shares = _shares(sub, ws)
        out[sid] = Profile(
            size=round(size, 2), rows=int(rows[m].sum()), share=round(float(size / total), 4),
            age_mean=round(float(np.average(a, weights=ws)), 1), age_median=weighted_median(a, ws),
            age_bands=bands, by_municipality=by_municipality[sid], habits=population_habits(sub, ws),
            shares={f: {v: round(s, 4) for v, s in vals.items()} for f, vals in shares.items()},
            traits=_traits(shares, population),
        )
    return out
