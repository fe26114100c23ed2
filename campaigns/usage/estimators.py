"""The three ways the evaluation can estimate an effect from a member × month panel.

- `staggered_fit`: Gardner's two-stage difference-in-differences (the imputation estimator). The
  month and member effects are learnt only from members that have not started yet; the effect is
  what is left in the started months. Unlike a plain two-way fixed-effects regression it never
  uses members that already started as a comparison, so effects that differ between members and
  grow over time do not bias it (Gardner 2022; Borusyak, Jaravel & Spiess 2024). Its interval and
  p-value come from permuting the start dates (`inference`), not from cluster-robust errors.
- `twfe_fit`: the plain two-way fixed-effects regression, kept for the benchmark that shows its bias.
- `own_trend_fit`: each member against its own trend and season before its start — the fallback
  when everyone started together, weak because anything else that happened then plays in
  (`placebo` calibrates its interval on fake start dates in the pre-period).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .inference import N_PERMUTATIONS, permutation_inference

__all__ = ["EVENT_MONTHS_BEFORE", "MIN_FOR_BOOTSTRAP", "EventTime", "Fit", "own_trend_fit", "staggered_fit",
           "twfe_fit"]

EVENT_MONTHS_BEFORE = 12  # pre-periods shown in the event study; earlier months are pooled into one
# pyfixest's notes on the fit (and pandas' on pyfixest) are not for an officer: silenced once for the
# process, never with warnings.catch_warnings, which is not thread-safe in a server with many sessions.
warnings.filterwarnings("ignore", module=r"pyfixest(\.|$)")
warnings.filterwarnings("ignore", message=r".*inplace keyword.*")
MIN_FOR_BOOTSTRAP = 5  # members needed before resampling them says anything about uncertainty
Z95 = 1.959964


@dataclass(frozen=True)
class EventTime:
    """The effect a number of months from the start (negative: before it; −1 is the reference)."""

    months: int
    estimate: float
    low: float
    high: float


@dataclass(frozen=True)
class Fit:
    estimate: float  # mean extra uses per 1,000 inhabitants a month over the started member-months used
    low: float
    high: float
    se: float
    months_after: int  # the longest stretch after a start that the estimate covers
    event_study: tuple[EventTime, ...] = ()
    p_value: float | None = None  # of "no effect"
    pretrend_p: float | None = None  # joint test of the months before the starts (None: not tested)
    assignments: int = 0  # distinct start assignments the permutation inference ran over


def _comparable(panel: pd.DataFrame) -> pd.DataFrame:
    """Months in which at least one member had not started: the only ones with a comparison."""
    open_months = panel.groupby("t")["treat"].transform("min") == 0
    return panel[open_months].assign(unit=lambda d: d["unit"].astype(str),
                                     rel=lambda d: d["rel"].clip(lower=-EVENT_MONTHS_BEFORE - 1))


def staggered_fit(panel: pd.DataFrame, *, event_study: bool = True, n_permutations: int = N_PERMUTATIONS,
                  seed: int = 0) -> Fit | None:
    """Two-stage DiD with not-yet-started members as comparison, inference by permuting the
    start dates; None when there is no started member-month with a comparison."""
    result = permutation_inference(panel, n_permutations=n_permutations, seed=seed, event_study=event_study)
    if result is None:
        return None
    study = tuple(EventTime(h, est, low, high) for h, est, low, high in result.horizons
                  if h >= -EVENT_MONTHS_BEFORE)
    half = max(result.high - result.estimate, result.estimate - result.low)
    return Fit(result.estimate, result.low, result.high, half / Z95, result.months_after, study,
               p_value=result.p_value, pretrend_p=result.pretrend_p, assignments=result.assignments)


def twfe_fit(panel: pd.DataFrame) -> Fit | None:
    """The plain two-way fixed-effects regression y ~ treat | member + month (clustered by member)."""
    import pyfixest as pf

    data = _comparable(panel)
    if data.empty or not data["treat"].any():
        return None
    row = pf.feols("y ~ treat | unit + t", data=data, vcov={"CRV1": "unit"}).tidy().iloc[0]
    return Fit(float(row["Estimate"]), float(row["2.5%"]), float(row["97.5%"]), float(row["Std. Error"]),
               int(data.loc[data["treat"], "rel"].max()) + 1)


def _own_trend(series: np.ndarray, after: np.ndarray, calendar_month: np.ndarray
               ) -> tuple[np.ndarray, float, float]:
    """One member: the months before its start give a linear trend and, from the residuals, a
    seasonal pattern. Returns each month's deviation from that line (before: the fit's residuals),
    the mean deviation after the start, and its standard error."""
    t = np.arange(len(series), dtype=float)
    pre = ~after
    n_post, n_pre = int(after.sum()), int(pre.sum())
    seen = sorted(set(calendar_month[pre].tolist()))
    if len(seen) == 12 and n_pre >= 16:
        # a year or more before the start: trend and season fitted together, so that a season cut
        # off mid-year does not tilt the trend (fitted apart: +0.12 on the benchmark's no-effect panels)
        x = np.column_stack([t, *((calendar_month == c).astype(float) for c in seen)])
        beta = np.linalg.lstsq(x[pre], series[pre], rcond=None)[0]
        expected = x @ beta
        residual = series[pre] - expected[pre]
        noise_pre = float((residual ** 2).sum() / (n_pre - 13))
    else:
        slope, intercept = np.polyfit(t[pre], series[pre], 1)
        residual = series[pre] - (intercept + slope * t[pre])
        season = {c: residual[calendar_month[pre] == c].mean() for c in seen}
        expected = intercept + slope * t + np.array([season.get(c, 0.0) for c in calendar_month])
        noise_pre = residual.var(ddof=1) if n_pre > 2 else 0.0
    deviation = series - expected
    # Error of the mean deviation: noise after, the season estimated from single months before,
    # the level, and the trend extrapolated from the months before into the months after.
    per_month = np.bincount(calendar_month[after], minlength=13)
    t_pre = t[pre]
    leverage = (t[after].mean() - t_pre.mean()) ** 2 / max(((t_pre - t_pre.mean()) ** 2).sum(), 1e-9)
    variance = (deviation[after].var(ddof=1) / n_post if n_post > 1 else 0.0) + noise_pre * (
        (per_month ** 2).sum() / n_post ** 2 + 1 / n_pre + leverage)
    return deviation, float(deviation[after].mean()), float(np.sqrt(variance))


def _common_se(panel: pd.DataFrame) -> float:
    """The own-trend error of the members' mean series when they all start together: resampling
    members cannot see shocks they share, this series' month-to-month noise and trend leverage can."""
    if panel["g"].nunique() != 1:
        return 0.0
    mean = panel.groupby("t").agg(y=("y", "mean"), treat=("treat", "first"), month=("month", "first"))
    after = mean["treat"].to_numpy(dtype=bool)
    if after.all() or not after.any() or (~after).sum() < 3:
        return 0.0
    return _own_trend(mean["y"].to_numpy(), after, mean["month"].dt.month.to_numpy())[2]


def own_trend_fit(panel: pd.DataFrame, *, n_boot: int = 300, seed: int = 0) -> Fit | None:
    """Each member against its own trend and season before its start; the band from resampling
    members (or, with fewer than MIN_FOR_BOOTSTRAP, from the month-to-month noise)."""
    per_unit = []
    for _, d in panel.sort_values("t").groupby("unit", sort=True):
        after = d["treat"].to_numpy()
        if after.all() or not after.any() or (~after).sum() < 3:
            continue
        deviation, mean, se = _own_trend(d["y"].to_numpy(), after, d["month"].dt.month.to_numpy())
        per_unit.append((d["rel"].to_numpy(), deviation, mean, se))
    if not per_unit:
        return None
    means = np.array([p[2] for p in per_unit])
    estimate = float(means.mean())
    if len(per_unit) >= MIN_FOR_BOOTSTRAP:
        rng = np.random.default_rng(seed)
        boots = [means[rng.integers(0, len(means), len(means))].mean() for _ in range(n_boot)]
        low, high = float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))
        se = float(np.std(boots, ddof=1))
    else:
        se = float(np.sqrt(sum(p[3] ** 2 for p in per_unit)) / len(per_unit))
        low, high = estimate - Z95 * se, estimate + Z95 * se
    common = _common_se(panel)
    if common > se:  # what every member shares (month shocks, the extrapolated trend) dominates
        se, low, high = common, estimate - Z95 * common, estimate + Z95 * common
    rel = np.concatenate([p[0] for p in per_unit])
    dev = np.concatenate([p[1] for p in per_unit])
    study = []
    for months in sorted(set(rel[rel >= -EVENT_MONTHS_BEFORE])):
        values = dev[rel == months]
        spread = Z95 * values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0.0
        study.append(EventTime(int(months), float(values.mean()), float(values.mean() - spread),
                               float(values.mean() + spread)))
    return Fit(estimate, low, high, se, int(rel.max()) + 1, tuple(study))
