"""Survey weights made visible: Kish's effective sample size and the rows that carry the weight.

A weighted file of 2,500 rows where 12 rows carry 71 % of the weight holds about as much
information as two dozen answers (Kish 1965: n_eff = (Σw)² / Σw²). The segment model judges k
and stability on that effective size, and the officer is told which few rows dominate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["HEAVY_FACTOR", "HEAVY_SHARE", "HeavyRows", "heavy_rows", "kish"]

HEAVY_FACTOR = 10.0  # a row weighing more than ten times the median row is "heavy"
HEAVY_SHARE = 0.25  # warn when the heavy rows carry at least a quarter of the weight ...
HEAVY_ROWS = 0.02  # ... and are at most 2 % of the rows


def kish(w: np.ndarray) -> float:
    """Kish's effective sample size of weights `w` (one weight per row)."""
    w = np.asarray(w, dtype=np.float64)
    s2 = float((w * w).sum())
    return float(w.sum()) ** 2 / s2 if s2 > 0 else 0.0


@dataclass(frozen=True)
class HeavyRows:
    rows: int
    share: float  # of the total weight


def heavy_rows(w: np.ndarray) -> HeavyRows | None:
    """The few rows that carry much of the weight, when there are such rows (else None)."""
    w = np.asarray(w, dtype=np.float64)
    if len(w) == 0 or w.sum() <= 0:
        return None
    heavy = w > HEAVY_FACTOR * float(np.median(w))
    share = float(w[heavy].sum() / w.sum())
    if heavy.sum() == 0 or share < HEAVY_SHARE or heavy.sum() > HEAVY_ROWS * len(w):
        return None
    return HeavyRows(int(heavy.sum()), share)
