"""Turn a citizen table into numbers for clustering.

The encoding is what scikit-learn's ColumnTransformer would learn — weighted median/mean/mode
imputation, weighted standard scaling, one-hot categories — computed here with numpy from the
distinct answer profiles and their weights (`segments.reference` holds the ColumnTransformer
itself, and a test checks both agree). The learnt values are a `FeatureSpec`, which a saved
SegmentSet stores (YAML, no pickle) and which assigns new rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from .schema import BOOLEAN_FIELDS, CATEGORICAL_FIELDS, category_values

__all__ = [
    "BinaryFeature", "CategoricalFeature", "category_list", "feature_columns", "FeatureSpec", "fit_feature_spec",
    "NumericFeature", "weighted_median",
]

NUMERIC = ("age",)
LOG_COUNTS = ("eservice_uses_12m",)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NumericFeature(_Frozen):
    name: str
    fill: float
    mean: float
    scale: float
    log: bool = False


class BinaryFeature(_Frozen):
    name: str
    fill: float


class CategoricalFeature(_Frozen):
    name: str
    fill: str
    categories: tuple[str, ...]


class FeatureSpec(_Frozen):
    """Everything needed to turn a row into the clustering space, learnt once at fit time."""

    numeric: tuple[NumericFeature, ...] = ()
    binary: tuple[BinaryFeature, ...] = ()
    categorical: tuple[CategoricalFeature, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        names = [f.name for f in self.numeric] + [b.name for b in self.binary]
        return tuple(names + [c.name for c in self.categorical])

    @property
    def output_names(self) -> tuple[str, ...]:
        names = [f.name for f in self.numeric] + [f.name for f in self.binary]
        for c in self.categorical:
            names += [f"{c.name}={v}" for v in c.categories]
        return tuple(names)

    def transform(self, df: pd.DataFrame) -> np.ndarray:
        """The same numbers the fitted ColumnTransformer gives, computed from the spec alone."""
        out = np.zeros((len(df), len(self.output_names)))
        j = 0
        for f in self.numeric:
            x = df[f.name].to_numpy(dtype=np.float64)
            if f.log:
                x = np.log1p(x)
            out[:, j] = (np.where(np.isnan(x), f.fill, x) - f.mean) / f.scale
            j += 1
        for b in self.binary:
            x = df[b.name].to_numpy(dtype=np.float64)
            out[:, j] = np.where(np.isnan(x), b.fill, x)
            j += 1
        for c in self.categorical:
            col = df[c.name]
            if isinstance(col.dtype, pd.CategoricalDtype):
                # one comparison per category level, not per row: codes index a small lookup
                names = [str(v) for v in col.cat.categories]
                position = {v: i for i, v in enumerate(c.categories)}
                fill = position.get(c.fill, -1)
                lut = np.array([position.get(v, -1) for v in names] + [fill], dtype=np.int64)
                codes = lut[col.cat.codes.to_numpy()]
            else:
                values = col.astype(object).where(col.notna(), c.fill).to_numpy()
                codes = np.full(len(df), -1, dtype=np.int64)
                for i, cat in enumerate(c.categories):
                    codes[values == cat] = i
            rows = np.flatnonzero(codes >= 0)
            out[rows, j + codes[rows]] = 1.0
            j += len(c.categories)
        return out


def feature_columns(df: pd.DataFrame, extra: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Which present columns feed which kind of transformer."""
    groups: dict[str, list[str]] = {"numeric": [], "log": [], "binary": [], "categorical": []}
    for key, names in (("numeric", NUMERIC), ("log", LOG_COUNTS), ("binary", BOOLEAN_FIELDS),
                       ("categorical", CATEGORICAL_FIELDS)):
        groups[key] += [c for c in names if c in df and df[c].notna().any()]
    for c in extra:
        groups["categorical" if isinstance(df[c].dtype, pd.CategoricalDtype) else "numeric"].append(c)
    return groups


def category_list(df: pd.DataFrame, c: str) -> list[str]:
    """A categorical column's levels: the schema's order for known fields, else the file's."""
    try:
        return list(category_values(c))
    except KeyError:
        return [str(v) for v in df[c].cat.categories]


def weighted_median(x: np.ndarray, w: np.ndarray) -> float:
    order = np.argsort(x, kind="stable")
    cw = np.cumsum(w[order])
    return float(x[order][np.searchsorted(cw, cw[-1] / 2)])


def _numeric(df: pd.DataFrame, c: str, w: np.ndarray, log: bool) -> NumericFeature:
    x = df[c].to_numpy(dtype=np.float64)
    if log:
        x = np.log1p(x)
    ok = ~np.isnan(x)
    fill = weighted_median(x[ok], w[ok]) if ok.any() else 0.0
    filled = np.where(ok, x, fill)
    mean = float(np.average(filled, weights=w))
    scale = float(np.sqrt(np.average((filled - mean) ** 2, weights=w)))
    return NumericFeature(name=c, fill=fill, mean=mean, scale=scale if scale > 0 else 1.0, log=log)


def _mode(df: pd.DataFrame, c: str, w: np.ndarray) -> str:
    """Weighted most frequent answer; ties go to the first in sorted order (as the reference)."""
    col = df[c]
    codes = col.cat.codes.to_numpy()
    ok = codes >= 0
    if not ok.any():
        return "missing"
    names = [str(v) for v in col.cat.categories]
    sums = np.bincount(codes[ok], weights=w[ok], minlength=len(names))
    best = max(sums[sums > 0])
    return min(n for n, s in zip(names, sums) if s == best)


def fit_feature_spec(df: pd.DataFrame, weights: np.ndarray, extra: tuple[str, ...] = ()) -> FeatureSpec:
    """Learn imputation, scaling and categories from (distinct) rows and their survey weights."""
    groups = feature_columns(df, extra)
    w = np.asarray(weights, dtype=np.float64)
    numeric = [_numeric(df, c, w, False) for c in groups["numeric"]]
    numeric += [_numeric(df, c, w, True) for c in groups["log"]]
    binary = []
    for c in groups["binary"]:
        x = df[c].to_numpy(dtype=np.float64)
        ok = ~np.isnan(x)
        binary.append(BinaryFeature(name=c, fill=float(np.average(x[ok], weights=w[ok]))))
    categorical = [CategoricalFeature(name=c, fill=_mode(df, c, w), categories=tuple(category_list(df, c)))
                   for c in groups["categorical"]]
    return FeatureSpec(numeric=tuple(numeric), binary=tuple(binary), categorical=tuple(categorical))
