"""Is the evaluation's uncertainty honest? Bias, 95 % coverage and false-claim rate per method.

Runs, on the same planted panels (generators written here, unlike the bundled sample data and
unlike `planted_panel`): the tool as `campaigns evaluate` decides (two-stage DiD with permutation
inference over the start dates when members start at different times; the own-trend model
calibrated on in-time placebos when they start together; descriptive only below MIN_MEMBERS),
Callaway & Sant'Anna (2021) via `csdid` (not-yet-started comparison, multiplier bootstrap), and
the plain two-way fixed-effects regression with cluster-robust errors (pyfixest, CRV1).

A "claim" is a 95 % interval that excludes zero; with no planted effect every claim is false.

    OMP_NUM_THREADS=1 nice -n 10 python benchmarks/evaluation_inference.py [--runs 100]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from campaigns.usage import staggered_fit, twfe_fit
from campaigns.usage.inference import MIN_ASSIGNMENTS
from campaigns.usage.placebo import calibrated_own_trend_fit
from campaigns.usage.uplift import MIN_MEMBERS, is_staggered

warnings.filterwarnings("ignore")


def usage_panel(*, members: int = 16, cohorts: tuple[int, ...] = (14, 18, 22, 26), months: int = 34,
                effect: Callable[[int], float] = lambda since: 0.0, shock: float = 0.0, seed: int = 0) -> pd.DataFrame:
    """Monthly uses per 1,000 inhabitants from Poisson counts: members of different size and level,
    a shared season, trend and month-to-month shocks (AR(1), every member sees them), each member's
    own persistent deviations (AR(1)), and `effect(months since start)` from each member's start;
    `shock` is a common jump from the first start on (something else that happened then)."""
    rng = np.random.default_rng(seed)
    starts = [cohorts[k % len(cohorts)] for k in range(members)]
    common = np.zeros(months)
    for t in range(1, months):
        common[t] = 0.5 * common[t - 1] + rng.normal(0, 0.06)
    rows = []
    first = pd.Timestamp(2025, 1, 1)
    for k, g in enumerate(starts):
        population = float(rng.choice([4_000, 8_000, 15_000, 30_000, 60_000]))
        level = rng.lognormal(np.log(1.5), 0.3)
        own = 0.0
        for t in range(months):
            own = 0.6 * own + rng.normal(0, 0.05)
            truth = effect(t - g) if t >= g else 0.0
            rate = max(0.01, level * (1 + 0.12 * np.sin(2 * np.pi * (t + 3) / 12) + 0.004 * t)
                       + common[t] + own + truth + (shock if t >= min(starts) else 0.0))
            y = rng.poisson(rate * population / 1000) / (population / 1000)
            rows.append((f"k{k:02d}", t, first + pd.DateOffset(months=t), y, g, t - g, t >= g, truth))
    return pd.DataFrame(rows, columns=["unit", "t", "month", "y", "g", "rel", "treat", "effect"])


GENERATORS: dict[str, dict[str, object]] = {
    "placebo (staggered, no effect)": {},
    "constant 0.3": {"effect": lambda s: 0.3},
    "growing 0.1 + 0.04/month": {"effect": lambda s: 0.1 + 0.04 * s},
    "8 members, 2 cohorts, constant 0.3": {"members": 8, "cohorts": (14, 22), "effect": lambda s: 0.3},
    "together, no effect": {"cohorts": (20,)},
    "together 0.3 + common shock 0.2": {"cohorts": (20,), "effect": lambda s: 0.3, "shock": 0.2},
    "3 members, constant 0.3": {"members": 3, "cohorts": (14, 18, 22), "effect": lambda s: 0.3},
}


def truth_of(panel: pd.DataFrame) -> float:
    """The estimand: the mean planted effect over started member-months that still had a comparison
    (for everyone-together panels: over all started member-months)."""
    comparable = panel.groupby("t")["treat"].transform("min") == 0
    cells = panel["treat"] & (comparable if comparable[panel["treat"]].any() else True)
    return float(panel.loc[cells, "effect"].mean())


def tool(panel: pd.DataFrame, seed: int = 0) -> tuple[float, float, float, bool] | None:
    """(estimate, low, high, claims) as estimate_uplift decides them."""
    starts = {u: pd.Timestamp(2025, 1, 1) + pd.DateOffset(months=int(g))
              for u, g in panel.groupby("unit")["g"].first().items()}
    if is_staggered(starts):
        fit = staggered_fit(panel, event_study=False, seed=seed)  # fresh permutations per panel
        if fit is None:
            return None
        few = len(starts) < MIN_MEMBERS or fit.assignments < MIN_ASSIGNMENTS
    else:
        calibrated = calibrated_own_trend_fit(panel, seed=seed)
        if calibrated is None:
            return None
        fit, few = calibrated[0], len(starts) < MIN_MEMBERS
    return fit.estimate, fit.low, fit.high, (not few) and (fit.low > 0 or fit.high < 0)


def csdid(panel: pd.DataFrame, seed: int = 0) -> tuple[float, float, float, bool] | None:
    from csdid.att_gt import ATTgt

    if panel["g"].nunique() < 2:
        return None  # no member that has not started yet: nothing to compare with
    data = panel.assign(id=panel["unit"].str[1:].astype(int) + 1, g=panel["g"] + 1, t=panel["t"] + 1)
    with contextlib.redirect_stdout(io.StringIO()):
        out = ATTgt(yname="y", gname="g", idname="id", tname="t", data=data[["id", "t", "g", "y"]],
                    control_group="notyettreated").fit(est_method="reg", bstrap=True)
        out.aggte(typec="simple")
    att, se = float(out.atte["overall_att"]), float(np.ravel(out.atte["overall_se"])[0])
    low, high = att - 1.959964 * se, att + 1.959964 * se
    return att, low, high, low > 0 or high < 0


def twfe(panel: pd.DataFrame, seed: int = 0) -> tuple[float, float, float, bool] | None:
    if panel["g"].nunique() < 2:
        return None
    fit = twfe_fit(panel)
    return None if fit is None else (fit.estimate, fit.low, fit.high, fit.low > 0 or fit.high < 0)


METHODS = {"tool": tool, "csdid": csdid, "TWFE": twfe}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100, help="panels per generator")
    parser.add_argument("--first-seed", type=int, default=0, help="seed of the first panel (to extend a run)")
    parser.add_argument("--only", help="run only generators whose name starts with one of these (comma-separated)")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated: " + ", ".join(METHODS))
    args = parser.parse_args()
    methods = {m: METHODS[m] for m in args.methods.split(",")}
    print(f"{args.runs} panels per generator (seeds {args.first_seed}–{args.first_seed + args.runs - 1}); "
          "claim = 95 % interval excludes 0\n")
    print(f"{'generator':36} {'method':6} {'truth':>6} {'bias':>7} {'cover':>6} {'claims':>7} {'s/fit':>6}")
    for name, params in GENERATORS.items():
        if args.only and not any(name.startswith(part) for part in args.only.split(",")):
            continue
        results: dict[str, list[tuple[float, float, float, bool, float, float]]] = {m: [] for m in methods}
        for seed in range(args.first_seed, args.first_seed + args.runs):
            panel = usage_panel(seed=seed, **params)  # type: ignore[arg-type]
            truth = truth_of(panel)
            for method, fn in methods.items():
                t0 = time.perf_counter()
                got = fn(panel, seed)
                if got is not None:
                    results[method].append((*got, truth, time.perf_counter() - t0))
        for method, rows in results.items():
            if not rows:
                print(f"{name:36} {method:6} {'(not applicable)':>30}")
                continue
            est, low, high, claim, truth, secs = (np.array(c, dtype=float) for c in zip(*rows))
            cover = np.mean((low <= truth) & (truth <= high))
            print(f"{name:36} {method:6} {truth.mean():6.3f} {np.mean(est - truth):+7.3f} {cover:6.1%} "
                  f"{claim.mean():7.1%} {secs.mean():6.2f}", flush=True)


if __name__ == "__main__":
    main()
