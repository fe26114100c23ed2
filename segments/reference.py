"""The scikit-learn ColumnTransformer that `segments.features` reproduces, kept as a reference.

Runs never import scikit-learn (it costs a second of start-up); the tests fit this transformer
with survey weights and check that the numpy fit in `fit_feature_spec` learns the same values
and `FeatureSpec.transform` gives the same numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import sklearn
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from .features import BinaryFeature, CategoricalFeature, FeatureSpec, NumericFeature, category_list, feature_columns

__all__ = ["WeightedImputer", "build_transformer", "fit_transformer", "prepare", "transformer_output"]


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


def build_transformer(df: pd.DataFrame, groups: dict[str, list[str]]) -> ColumnTransformer:
    """The scikit-learn ColumnTransformer: weighted median/mean/mode imputation and scaling, one-hot."""
    steps = []
    if groups["numeric"]:
        steps.append(("numeric", Pipeline([
            ("impute", WeightedImputer("median").set_fit_request(sample_weight=True)),
            ("scale", StandardScaler().set_fit_request(sample_weight=True)),
        ]), groups["numeric"]))
    if groups["log"]:
        steps.append(("log", Pipeline([
            ("log1p", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
            ("impute", WeightedImputer("median").set_fit_request(sample_weight=True)),
            ("scale", StandardScaler().set_fit_request(sample_weight=True)),
        ]), groups["log"]))
    if groups["binary"]:
        steps.append(("binary", WeightedImputer("mean").set_fit_request(sample_weight=True), groups["binary"]))
    if groups["categorical"]:
        steps.append(("categorical", Pipeline([
            ("impute", WeightedImputer("most_frequent").set_fit_request(sample_weight=True)),
            ("onehot", OneHotEncoder(categories=[category_list(df, c) for c in groups["categorical"]],
                                     handle_unknown="ignore", sparse_output=False)),
        ]), groups["categorical"]))
    return ColumnTransformer(steps, remainder="drop")


def fit_transformer(
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
                numeric.append(NumericFeature(name=c, fill=float(imp.statistics_[i]), mean=float(sc.mean_[i]),
                                              scale=scale, log=log))
    binary = []
    if groups["binary"]:
        imp = ct.named_transformers_["binary"]
        binary = [BinaryFeature(name=c, fill=float(imp.statistics_[i])) for i, c in enumerate(groups["binary"])]
    categorical = []
    if groups["categorical"]:
        pipe = ct.named_transformers_["categorical"]
        imp, enc = pipe.named_steps["impute"], pipe.named_steps["onehot"]
        categorical = [CategoricalFeature(name=c, fill=str(imp.statistics_[i]),
                                          categories=tuple(str(v) for v in enc.categories_[i]))
                       for i, c in enumerate(groups["categorical"])]
    return FeatureSpec(numeric=tuple(numeric), binary=tuple(binary), categorical=tuple(categorical)), ct


def transformer_output(ct: ColumnTransformer, df: pd.DataFrame, spec: FeatureSpec) -> np.ndarray:
    """What the fitted ColumnTransformer itself produces, in spec column order (for checks)."""
    groups = {name: cols for name, _, cols in ct.transformers_ if name != "remainder"}
    cols = [c for g in groups.values() for c in g]
    return np.asarray(ct.transform(prepare(df, cols)), dtype=np.float64)
