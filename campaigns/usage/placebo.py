"""The own-trend fallback, calibrated on in-time placebos.

When every member starts together there is no comparison group, only each member's own trend
and season before its start. Whether that model's stated error is honest is checked where the
truth is known: fake start dates inside the pre-period, where nothing happened. Each placebo
estimate divided by its stated standard error should look like a draw from N(0, 1); the root mean
square of those ratios over the placebo dates says how much the model understates its error, and
the interval is widened by that factor (never narrowed). This is the in-time placebo check of the
synthetic-control literature (Abadie, Diamond & Hainmueller 2015) used as a calibration, in the
spirit of Ferman & Pinto (2019) on inference from placebo distributions with few treated units.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from math import erf, sqrt

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

from .estimators import Z95, Fit, own_trend_fit

__all__ = ["MIN_PLACEBO_PRE", "Calibration", "calibrated_own_trend_fit", "placebo_ratios"]

MIN_PLACEBO_PRE = 6  # months before a fake start needed to fit a member's trend and season
MIN_PLACEBO_POST = 3  # months after a fake start (still before the real one) that it is judged on


@dataclass(frozen=True)
class Calibration:
    placebos: int  # fake start dates the model was checked on
    factor: float  # how many times its stated error the model actually missed by (root mean square)
    widening: float  # how many times wider the interval was made (the factor, ≥ 1, and Student's t)


def placebo_ratios(panel: pd.DataFrame) -> list[float]:
    """Placebo estimate ÷ its standard error at each fake start date in the pre-period."""
    first = int(panel["g"].min())
    before = panel[panel["t"] < first]
    t0 = int(before["t"].min()) if not before.empty else first
    ratios = []
    for fake in range(t0 + MIN_PLACEBO_PRE, first - MIN_PLACEBO_POST + 1):
        fake_panel = before.assign(g=fake, rel=before["t"] - fake, treat=before["t"] >= fake)
        fit = own_trend_fit(fake_panel, n_boot=100, seed=fake)
        if fit is not None and fit.se > 0:
            ratios.append(fit.estimate / fit.se)
    return ratios


def _normal_p(z: float) -> float:
    return float(1 - erf(abs(z) / sqrt(2)))


def calibrated_own_trend_fit(panel: pd.DataFrame, *, n_boot: int = 300, seed: int = 0
                             ) -> tuple[Fit, Calibration] | None:
    """The own-trend fit with its interval widened to what the in-time placebos show."""
    fit = own_trend_fit(panel, n_boot=n_boot, seed=seed)
    if fit is None:
        return None
    ratios = placebo_ratios(panel)
    factor = float(np.sqrt(np.mean(np.square(ratios)))) if ratios else 1.0
    # the scale is itself estimated from len(ratios) placebos: Student's t with that many degrees
    # of freedom instead of the normal 1.96
    crit = float(student_t.ppf(0.975, len(ratios))) if ratios else Z95
    widen = max(1.0, factor) * crit / Z95
    se = fit.se * widen
    half_low, half_high = (fit.estimate - fit.low) * widen, (fit.high - fit.estimate) * widen
    if half_low <= 0 or half_high <= 0:
        half_low = half_high = Z95 * se
    study = tuple(replace(e, low=e.estimate - (e.estimate - e.low) * widen,
                          high=e.estimate + (e.high - e.estimate) * widen) for e in fit.event_study)
    calibrated = replace(fit, low=fit.estimate - half_low, high=fit.estimate + half_high, se=se,
                         event_study=study, p_value=_normal_p(fit.estimate / se) if se > 0 else None)
    return calibrated, Calibration(len(ratios), factor, widen)
