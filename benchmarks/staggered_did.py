"""Staggered starts with growing effects: does the 95 % band cover the planted effect?

Compares the evaluation's estimator (Gardner's two-stage DiD, pyfixest `did2s`, not-yet-started
members as comparison) with the plain two-way fixed-effects regression on the same panels, over
several generators that differ from the bundled sample data. Prints, per generator: the planted
effect, each estimator's mean estimate, how often its band covers the truth, and time per fit.

    python benchmarks/staggered_did.py [--runs 40]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from campaigns.usage import planted_panel, staggered_fit, twfe_fit

GENERATORS = {
    "4 cohorts, linear growth": {},
    "3 cohorts 6 months apart, growth capped": {"cohorts": (10, 16, 22), "members_per_cohort": 6, "months": 32,
                                                "growth": 0.08, "cap": 0.6},
    "first wave strongest, noisy": {"cohort_decline": 0.3, "noise": 0.3, "members_per_cohort": 8},
    "2 cohorts, slow growth": {"cohorts": (12, 18), "members_per_cohort": 8, "months": 24, "growth": 0.03},
}


def _truth(panel) -> float:
    open_months = panel.groupby("t")["treat"].transform("min") == 0
    return float(panel.loc[open_months & panel["treat"], "effect"].mean())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    runs = parser.parse_args().runs
    staggered_fit(planted_panel(seed=999), event_study=False)  # load pyfixest before timing
    print(f"{'generator':42} {'truth':>6} | {'DiD2s est':>9} {'cover':>6} {'s/fit':>6} | "
          f"{'TWFE est':>8} {'cover':>6} {'s/fit':>6}")
    for name, params in GENERATORS.items():
        truths, new, old, new_cover, old_cover, new_time, old_time = [], [], [], [], [], [], []
        for seed in range(runs):
            panel = planted_panel(seed=seed, **params)  # type: ignore[arg-type]
            truth = _truth(panel)
            t0 = time.perf_counter()
            fit = staggered_fit(panel, event_study=False)
            t1 = time.perf_counter()
            plain = twfe_fit(panel)
            t2 = time.perf_counter()
            assert fit is not None and plain is not None
            truths.append(truth)
            new.append(fit.estimate)
            old.append(plain.estimate)
            new_cover.append(fit.low <= truth <= fit.high)
            old_cover.append(plain.low <= truth <= plain.high)
            new_time.append(t1 - t0)
            old_time.append(t2 - t1)
        print(f"{name:42} {np.mean(truths):6.3f} | {np.mean(new):9.3f} {np.mean(new_cover):6.0%} "
              f"{np.mean(new_time):6.3f} | {np.mean(old):8.3f} {np.mean(old_cover):6.0%} {np.mean(old_time):6.3f}")


if __name__ == "__main__":
    main()
