"""Turn a citizen table into numbers for clustering.

A scikit-learn ColumnTransformer learns imputation, weighted scaling and one-hot categories;
its learnt values are then kept as a plain `FeatureSpec`, which is what a saved SegmentSet
stores (YAML, no pickle) and what assigns new rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from .schema import BOOLEAN_FIELDS, CATEGORICAL_FIELDS, category_values

__all__ = [
    "BinaryFeature", "build_transformer", "CategoricalFeature", "feature_columns", "FeatureSpec",
    "fit_feature_spec", "NumericFeature", "prepare", "transformer_output", "WeightedImputer"
]

NUMERIC = ("age",)
LOG_COUNTS = ("eservice_uses_12m",)


@dataclass(frozen=True)
class NumericFeature:
    name: str
    fill: float
    mean: float
    scale: float
    log: bool = False


@dataclass(frozen=True)
class BinaryFeature:
    name: str
    fill: float


@dataclass(frozen=True)
class CategoricalFeature:
    name: str
    fill: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class FeatureSpec:
    """Everything needed to turn a row into the clustering space, learnt once at fit time."""

    numeric: tuple[NumericFeature, ...]
    binary: tuple[BinaryFeature, ...]
    categorical: tuple[CategoricalFeature, ...]

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
        parts = []
        for f in self.numeric:
            x = df[f.name].to_numpy(dtype=np.float64)
            if f.log:
                x = np.log1p(x)
            x = np.where(np.isnan(x), f.fill, x)
            parts.append(((x - f.mean) / f.scale)[:, None])
        for b in self.binary:
            x = df[b.name].to_numpy(dtype=np.float64)
            parts.append(np.where(np.isnan(x), b.fill, x)[:, None])
        for c in self.categorical:
            values = df[c.name].astype(object).where(df[c.name].notna(), c.fill).to_numpy()
            onehot = np.zeros((len(df), len(c.categories)))
            for j, cat in enumerate(c.categories):
                onehot[:, j] = values == cat
            parts.append(onehot)
        return np.hstack(parts) if parts else np.zeros((len(df), 0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "numeric": [{"name": f.name, "fill": f.fill, "mean": f.mean, "scale": f.scale, "log": f.log}
                        for f in self.numeric],
            "binary": [{"name": b.name, "fill": b.fill} for b in self.binary],
            "categorical": [{"name": c.name, "fill": c.fill, "categories": list(c.categories)}
                            for c in self.categorical],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureSpec:
        return cls(
            tuple(NumericFeature(**f) for f in data.get("numeric", [])),
            tuple(BinaryFeature(**b) for b in data.get("binary", [])),
            tuple(CategoricalFeature(c["name"], c["fill"], tuple(c["categories"]))
                  for c in data.get("categorical", [])),
        )


class WeightedImputer(TransformerMixin, BaseEstimator):
    """SimpleImputer's median / mean / most_frequent, but honouring survey weights.

    Rows here are distinct answer profiles carrying summed weights, so an unweighted statistic
    would count a profile shared by a thousand people once.
    """

    def __init__(self, strategy: str = "median"):
        self.strategy = strategy

    def fit(self, X: Any, y: Any = None, sample_weight: np.ndarray | None = None) -> WeightedImputer:
        frame = pd.DataFrame(X)
        w = np.ones(len(frame)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        stats = []
        for c in frame.columns:
            col = frame[c]
            ok = col.notna().to_numpy()
            if not ok.any():
                stats.append(np.nan if self.strategy != "most_frequent" else "missing")
            elif self.strategy == "most_frequent":
                sums = pd.Series(w[ok]).groupby(col[ok].astype(str).to_numpy()).sum()
                stats.append(str(sums.sort_index().idxmax()))
            else:
                x = col[ok].to_numpy(dtype=np.float64)
                if self.strategy == "mean":
                    stats.append(float(np.average(x, weights=w[ok])))
                else:
                    order = np.argsort(x, kind="stable")
                    cw = np.cumsum(w[ok][order])
                    stats.append(float(x[order][np.searchsorted(cw, cw[-1] / 2)]))
        self.statistics_ = np.array(stats, dtype=object if self.strategy == "most_frequent" else np.float64)
        self.n_features_in_ = frame.shape[1]
        return self

    def transform(self, X: Any) -> np.ndarray:
        frame = pd.DataFrame(X).copy()
        for i, c in enumerate(frame.columns):
            frame[c] = frame[c].where(frame[c].notna(), self.statistics_[i])
        return frame.to_numpy(dtype=object if self.strategy == "most_frequent" else np.float64)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(input_features, dtype=object)


def _imputer(strategy: str) -> WeightedImputer:
    return WeightedImputer(strategy).set_fit_request(sample_weight=True)


def feature_columns(df: pd.DataFrame, extra: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Which present columns feed which kind of transformer."""
    groups: dict[str, list[str]] = {"numeric": [], "log": [], "binary": [], "categorical": []}
    for c in NUMERIC:
        if c in df and df[c].notna().any():
            groups["numeric"].append(c)
    for c in LOG_COUNTS:
        if c in df and df[c].notna().any():
            groups["log"].append(c)
    for c in BOOLEAN_FIELDS:
        if c in df and df[c].notna().any():
            groups["binary"].append(c)
    for c in CATEGORICAL_FIELDS:
        if c in df and df[c].notna().any():
            groups["categorical"].append(c)
    for c in extra:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            groups["categorical"].append(c)
        else:
            groups["numeric"].append(c)
    return groups


def prepare(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Plain float/object columns that scikit-learn's imputers accept."""
    out = {}
    for c in columns:
        s = df[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            out[c] = s.astype(object).where(s.notna(), np.nan)
        else:
            out[c] = s.astype(np.float64)
    return pd.DataFrame(out, index=df.index)


def _categories(df: pd.DataFrame, c: str) -> list[str]:
    try:
        return list(category_values(c))
    except KeyError:
        return [str(v) for v in df[c].cat.categories]


def build_transformer(df: pd.DataFrame, groups: dict[str, list[str]]) -> ColumnTransformer:
    """The scikit-learn ColumnTransformer: weighted median/mean/mode imputation and scaling, one-hot."""
    steps = []
    if groups["numeric"]:
        steps.append(("numeric", Pipeline([
            ("impute", _imputer("median")),
            ("scale", StandardScaler().set_fit_request(sample_weight=True)),
        ]), groups["numeric"]))
    if groups["log"]:
        steps.append(("log", Pipeline([
            ("log1p", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
            ("impute", _imputer("median")),
            ("scale", StandardScaler().set_fit_request(sample_weight=True)),
        ]), groups["log"]))
    if groups["binary"]:
        steps.append(("binary", _imputer("mean"), groups["binary"]))
    if groups["categorical"]:
        steps.append(("categorical", Pipeline([
            ("impute", _imputer("most_frequent")),
            ("onehot", OneHotEncoder(categories=[_categories(df, c) for c in groups["categorical"]],
                                     handle_unknown="ignore", sparse_output=False)),
        ]), groups["categorical"]))
    return ColumnTransformer(steps, remainder="drop")


def fit_feature_spec(
    df: pd.DataFrame, weights: np.ndarray, extra: tuple[str, ...] = ()
) -> tuple[FeatureSpec, ColumnTransformer]:
    """Fit the ColumnTransformer with survey weights and read its learnt values into a spec."""
    groups = feature_columns(df, extra)
    cols = [c for g in groups.values() for c in g]
    with sklearn.config_context(enable_metadata_routing=True):
        ct = build_transformer(df, groups)
        ct.fit(prepare(df, cols), sample_weight=weights)
    numeric: list[NumericFeature] = []
    for key, log in (("numeric", False), ("log", True)):
        if groups[key]:
            pipe = ct.named_transformers_[key]
            imp, sc = pipe.named_steps["impute"], pipe.named_steps["scale"]
            for i, c in enumerate(groups[key]):
                scale = float(sc.scale_[i]) if sc.scale_[i] > 0 else 1.0
                numeric.append(NumericFeature(c, float(imp.statistics_[i]), float(sc.mean_[i]), scale, log))
    binary = []
    if groups["binary"]:
        imp = ct.named_transformers_["binary"]
        binary = [BinaryFeature(c, float(imp.statistics_[i])) for i, c in enumerate(groups["binary"])]
    categorical = []
    if groups["categorical"]:
        pipe = ct.named_transformers_["categorical"]
        imp, enc = pipe.named_steps["impute"], pipe.named_steps["onehot"]
        categorical = [CategoricalFeature(c, str(imp.statistics_[i]), tuple(str(v) for v in enc.categories_[i]))
                       for i, c in enumerate(groups["categorical"])]
    return FeatureSpec(tuple(numeric), tuple(binary), tuple(categorical)), ct


def transformer_output(ct: ColumnTransformer, df: pd.DataFrame, spec: FeatureSpec) -> np.ndarray:
    """What the fitted ColumnTransformer itself produces, in spec column order (for checks)."""
    groups = {name: cols for name, _, cols in ct.transformers_ if name != "remainder"}
    cols = [c for g in groups.values() for c in g]
    return np.asarray(ct.transform(prepare(df, cols)), dtype=np.float64)
