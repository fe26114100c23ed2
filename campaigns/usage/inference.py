"""Randomization inference over the start dates for the staggered two-stage DiD.

Why not cluster-robust standard errors: with 3–16 members they are too small (Cameron, Gelbach &
Miller 2008; MacKinnon & Webb 2017), and the campaign claimed effects in 14 % of panels where none
was planted. Here the estimate itself is Gardner's (2022) two-stage / Borusyak, Jaravel & Spiess
(2024) imputation estimator — month and member effects learnt from member-months not yet started,
the effect the mean of what is left in the started ones — computed with numpy so that it can be
recomputed for many assignments. Its uncertainty comes from permuting which member starts when
(the set of start months stays the plan's): if the campaign did nothing, any member could have
had any start, so the estimate under the actual starts is one draw among the permuted ones
(Fisher; MacKinnon & Webb 2020 for DiD with few treated clusters). The 95 % interval inverts the
test of "the effect was τ in every started month", the p-value is that test at τ = 0, and with
few members the number of distinct assignments itself says that no effect can be told from
noise: with 3 members there are at most 6, so p ≥ 1/6.
Pre-trends: lead coefficients for the months just before each start, fitted on not-yet-started
member-months, judged jointly by the same permutations (Borusyak et al. 2024; Roth 2022).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["ALPHA", "LEAD_MONTHS", "MIN_ASSIGNMENTS", "N_PERMUTATIONS", "Permutation", "distinct_assignments",
           "permutation_inference"]

ALPHA = 0.05
N_PERMUTATIONS = 499  # random assignments drawn when there are more distinct ones than this
MIN_ASSIGNMENTS = 2 / ALPHA  # fewer distinct assignments (40): too coarse a test to claim anything
LEAD_MONTHS = 6  # months before each start whose coefficients the pre-trend test judges


@dataclass(frozen=True)
class Permutation:
    """The estimate, its permutation interval and p-value, the pre-trend test, the event study."""

    estimate: float
    low: float  # -inf/inf when no interval can be bounded (too few assignments)
    high: float
    p_value: float
    assignments: int  # distinct start assignments (the observed one included) the p-value is over
    exact: bool  # every distinct assignment enumerated (else a random sample of them)
    pretrend_p: float | None  # joint test of the lead coefficients; None when there are no leads
    months_after: int
    horizons: tuple[tuple[int, float, float, float], ...]  # (months since start, estimate, low, high)


def distinct_assignments(starts: list[int]) -> int:
    """How many different ways the start months can be spread over the members: n! / Π k!."""
    return math.factorial(len(starts)) // math.prod(math.factorial(k) for k in Counter(starts).values())


class _Panel:
    """Arrays of the comparable months (at least one member not yet started) and the FE design."""

    def __init__(self, panel: pd.DataFrame) -> None:
        starts = panel.groupby("unit")["g"].first()
        self.units = list(starts.index)
        self.g = starts.to_numpy(dtype=int)
        data = panel[panel["t"] < self.g.max()]
        self.u = pd.Categorical(data["unit"], categories=self.units).codes.astype(int)
        times = np.sort(data["t"].unique())
        self.t = np.searchsorted(times, data["t"].to_numpy())
        self.time = data["t"].to_numpy(dtype=int)
        self.y = data["y"].to_numpy(dtype=float)
        x = np.zeros((len(self.y), len(self.units) + len(times) - 1))
        x[np.arange(len(self.y)), self.u] = 1.0
        later = self.t > 0
        x[np.flatnonzero(later), len(self.units) + self.t[later] - 1] = 1.0
        self.x = x

    def treated(self, g: np.ndarray) -> np.ndarray:
        return self.time >= g[self.u]

    def rel(self, g: np.ndarray) -> np.ndarray:
        return self.time - g[self.u]

    def residuals(self, targets: np.ndarray, treated: np.ndarray) -> np.ndarray:
        """Each target column minus its member and month effects learnt on the untreated rows."""
        return targets - self.x @ _solve(self.x, targets, ~treated)

    def leads(self, target: np.ndarray, g: np.ndarray, k: int) -> np.ndarray:
        """Coefficients of the k months before the start, on untreated rows (months further back
        are the reference)."""
        treated, rel = self.treated(g), self.rel(g)
        lead = np.stack([(rel == -m).astype(float) for m in range(1, k + 1)], axis=1)
        return np.asarray(_solve(np.hstack([self.x, lead]), target, ~treated)[-k:])


def _solve(x: np.ndarray, target: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Least squares on the selected rows through the (small) normal equations: fast enough to
    repeat for hundreds of assignments."""
    w = rows.astype(float)
    gram = x.T @ (x * w[:, None])
    rhs = x.T @ (target * (w if target.ndim == 1 else w[:, None]))
    try:
        return np.linalg.solve(gram, rhs)
    except np.linalg.LinAlgError:  # a month or member with no untreated row: the minimum-norm fit
        return np.linalg.lstsq(gram, rhs, rcond=None)[0]


def _assignments(g: np.ndarray, n: int, seed: int) -> tuple[list[np.ndarray], bool]:
    """Every distinct permutation of the start months (observed first), or the observed plus n random."""
    total = distinct_assignments(list(g))
    if total <= n + 1:
        seen = {tuple(g)}
        out = [g]
        for p in itertools.permutations(g.tolist()):
            if p not in seen:
                seen.add(p)
                out.append(np.array(p))
        return out, True
    rng = np.random.default_rng(seed)
    return [g, *(rng.permutation(g) for _ in range(n))], False


def _inverted(a: float, a_perm: np.ndarray, b_perm: np.ndarray) -> tuple[float, float]:
    """The τ whose test ("effect τ in every started month") is not rejected at ALPHA: the permuted
    statistic is a_π − τ b_π, the observed one a − τ (b = 1 under the actual starts)."""
    spread = float(np.std(a_perm)) or abs(a) or 1.0
    grid = np.linspace(a - 12 * spread, a + 12 * spread, 2401)
    grid = np.sort(np.append(grid, 0.0))  # "no effect" itself is always tried: the interval agrees with the p-value
    stat = np.abs(a - grid)
    extreme = (np.abs(a_perm[:, None] - grid[None, :] * b_perm[:, None]) >= stat[None, :] - 1e-12).sum(axis=0)
    kept = grid[(extreme + 1) / (len(a_perm) + 1) > ALPHA]
    if kept.size == 0:
        return a, a
    low = -np.inf if kept[0] <= grid[0] else float(kept[0])
    high = np.inf if kept[-1] >= grid[-1] else float(kept[-1])
    return low, high


def permutation_inference(panel: pd.DataFrame, *, n_permutations: int = N_PERMUTATIONS, seed: int = 0,
                          event_study: bool = True) -> Permutation | None:
    """The imputation estimate with its permutation interval, p-value and pre-trend test; None
    when no member-month has started within the comparable months."""
    p = _Panel(panel)
    treated = p.treated(p.g)
    if not treated.any() or treated.all():
        return None
    rel = p.rel(p.g)
    r = p.residuals(p.y[:, None], treated)[:, 0]
    estimate = float(r[treated].mean())
    horizons = sorted(set(rel[treated].tolist()))
    effect_at = {h: float(r[treated & (rel == h)].mean()) for h in horizons}
    # the estimated growth pattern, for the noise bands of the event study only: removing it from
    # the tested outcome would remove noise from the started months and make the test too bold
    shape = np.where(treated, np.array([effect_at.get(int(h), 0.0) for h in rel]) - estimate, 0.0)
    z = p.y
    d = treated.astype(float)
    assignments, exact = _assignments(p.g, n_permutations, seed)
    others = assignments[1:]
    a_perm, b_perm = np.empty(len(others)), np.empty(len(others))
    noise = {h: np.empty(len(others)) for h in horizons} if event_study else {}
    pre_k = int(min(LEAD_MONTHS, max(0, int(p.g.min() - p.time.min()) - 2)))
    y0 = p.y - estimate * d - shape  # every started month's estimated effect removed
    leads_perm = np.empty((len(others), pre_k))
    for i, g in enumerate(others):
        tr = p.treated(g)
        res = p.residuals(np.column_stack([z, d, y0]), tr)
        a_perm[i], b_perm[i] = res[tr, 0].mean(), res[tr, 1].mean()
        rel_g = p.rel(g)
        for h in noise:
            cells = tr & (rel_g == h)
            noise[h][i] = res[cells, 2].mean() if cells.any() else 0.0
        if pre_k:
            leads_perm[i] = p.leads(y0, g, pre_k)
    low, high = _inverted(estimate, a_perm, b_perm)
    extreme = int((np.abs(a_perm) >= abs(estimate) - 1e-12).sum())
    p_value = (extreme + 1) / (len(others) + 1)
    pretrend_p: float | None = None
    study: list[tuple[int, float, float, float]] = []
    if pre_k:
        leads = p.leads(p.y, p.g, pre_k)
        stat = float((leads ** 2).sum())
        pretrend_p = float(((leads_perm ** 2).sum(axis=1) >= stat - 1e-12).sum() + 1) / (len(others) + 1)
        if event_study:
            for m in range(pre_k, 0, -1):
                half = float(np.quantile(np.abs(leads_perm[:, m - 1]), 1 - ALPHA))
                study.append((-m, float(leads[m - 1]), float(leads[m - 1]) - half, float(leads[m - 1]) + half))
    for h in noise:
        half = float(np.quantile(np.abs(noise[h]), 1 - ALPHA))
        study.append((int(h), effect_at[h], effect_at[h] - half, effect_at[h] + half))
    return Permutation(estimate, low, high, float(p_value), len(assignments), exact, pretrend_p,
                       int(rel[treated].max()) + 1, tuple(study))
