"""Usage counts as evidence: calibrate the e-service habit per municipality.

National rates say how many of each age use e-services; a municipality's own usage statistics
say whether its inhabitants use them more or less than their neighbours'. Each municipality's
uses per inhabitant over the last twelve months are compared with the region's (the usage file
rarely covers every e-service, so only the comparison means something), shrunk towards the
regional level when counts are small, and the e-service share of every age band is shifted (on
the log-odds scale, so it stays a share) until the municipality's overall share moves by that
ratio.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from common.catalogue import ListOf, Msg, Num, Pct, Raw

from .labels import Place

__all__ = ["PSEUDO_USES", "UsageEvidence", "calibrated_shares", "usage_evidence"]

PSEUDO_USES = 30.0  # how many uses' worth of "like the region" a municipality's own count is weighed against
WINDOW_MONTHS = 12


@dataclass(frozen=True)
class UsageEvidence:
    """Uses per municipality over a window of months (keys are kommunkod or lower-case name)."""

    uses: dict[str, float]
    names: dict[str, str]
    months: int
    first: str  # "2026-03"
    last: str


def usage_evidence(frame: pd.DataFrame, names: Mapping[str, str] | None = None,
                   months: int = WINDOW_MONTHS) -> UsageEvidence:
    """The adapter from imported usage statistics (`campaigns.usage.load_usage(...).frame`: month,
    municipality as kommunkod, uses) to evidence: all e-services and channels summed over the
    last `months` months in the file. `names` maps kommunkod to the municipality's name."""
    df = frame[["month", "municipality", "uses"]].copy()
    df["month"] = pd.to_datetime(df["month"])
    last = df["month"].max()
    window = df[df["month"] > last - pd.DateOffset(months=months)]
    sums = window.groupby("municipality")["uses"].sum()
    covered = window["month"].nunique()
    names = dict(names or {})
    return UsageEvidence(
        uses={str(code): float(v) for code, v in sums.items()},
        names={str(code): names.get(str(code), str(code)) for code in sums.index},
        months=int(covered), first=window["month"].min().strftime("%Y-%m"), last=last.strftime("%Y-%m"))


def _match(evidence: UsageEvidence, place: Place) -> float | None:
    if place.code and place.code in evidence.uses:
        return evidence.uses[place.code]
    for key, name in evidence.names.items():
        if name.casefold() == place.name.casefold():
            return evidence.uses[key]
    return None


def _shift(persons: np.ndarray, shares: np.ndarray, target: float) -> np.ndarray:
    """Shares moved by one log-odds step so that their persons-weighted mean is `target`."""
    from scipy.optimize import brentq  # imported when calibrating, not whenever `segments fit` starts
    from scipy.special import expit, logit

    fixed = (shares <= 0) | (shares >= 1)
    odds = logit(np.clip(shares, 1e-9, 1 - 1e-9))

    def mean(delta: float) -> float:
        moved = np.where(fixed, shares, expit(odds + delta))
        return float(np.average(moved, weights=persons)) - target

    lo, hi = mean(-12.0), mean(12.0)
    if lo > 0 or hi < 0:
        return shares
    delta = brentq(mean, -12.0, 12.0, xtol=1e-10)
    return np.where(fixed, shares, expit(odds + delta))


def calibrated_shares(evidence: UsageEvidence, inhabitants: Mapping[Place, float],
                      bands: Mapping[Place, tuple[np.ndarray, np.ndarray]]
                      ) -> tuple[dict[Place, np.ndarray], tuple[Msg, ...]]:
    """New e-service shares per band for each municipality the usage statistics cover.

    `inhabitants` is every inhabitant per municipality (usage is per inhabitant); `bands` gives
    per municipality the persons and the national e-service share of each age band.
    """
    matched = {p: u for p in inhabitants if (u := _match(evidence, p)) is not None and inhabitants[p] > 0}
    if len(matched) < 2:
        return {}, (Msg("statistics.calibration_needs_two", n=len(matched)),)
    regional = sum(matched.values()) / sum(inhabitants[p] for p in matched)
    out: dict[Place, np.ndarray] = {}
    notes: list[Msg] = [Msg("statistics.calibration_summary", n=len(matched), months=evidence.months,
                            first=evidence.first, last=evidence.last)]
    for place, uses in sorted(matched.items(), key=lambda kv: kv[0].name):
        expected = regional * inhabitants[place]
        ratio = (uses + PSEUDO_USES) / (expected + PSEUDO_USES)
        persons, shares = bands[place]
        before = float(np.average(shares, weights=persons)) if persons.sum() > 0 else 0.0
        target = float(np.clip(before * ratio, 0.01, 0.99))
        out[place] = _shift(persons, shares, target)
        after = float(np.average(out[place], weights=persons)) if persons.sum() > 0 else 0.0
        notes.append(Msg("statistics.calibrated", municipality=Raw(place.name), ratio=Num(ratio, 2),
                         before=Pct(before), after=Pct(after)))
    unmatched = [p.name for p in inhabitants if p not in matched]
    if unmatched:
        notes.append(Msg("statistics.not_calibrated", n=len(unmatched),
                         municipalities=ListOf(tuple(Raw(n) for n in sorted(unmatched)))))
    return out, tuple(notes)
