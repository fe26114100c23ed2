"""Benchmark: does the automatic k (latent class model, BIC over k = 1…8) hold on data the project
was not tuned on, and what does it cost against a fixed k?

    python benchmarks/auto_k.py                 # 6 000 rows per planted design, 2 seeds
    python benchmarks/auto_k.py --rows 20000 --seeds 1

Data sets: the planted designs of `segments.planted` (3–8 groups; unequal sizes, survey weights,
questions unrelated to the groups, missing answers, categories only), the test generators of
`tests/lca_generators.py` (two groups 70/30, nine groups, one big + four of 3 %, habits only, 40 %
missing, Likert items, heavy weights, pure noise, a continuum) and the bundled planted personas.
For each it prints the chosen k, the adjusted Rand index (ARI) against the planted groups, and
the CPU seconds of `fit_segments` with `k="auto"` and with the planted k (the ratio's goal: ≤ 2×;
CPU, not wall time, because the machine is shared).
`benchmarks/AUTO_K.md` records a run.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from segments.clustering import fit_segments  # noqa: E402
from segments.io import load_citizens  # noqa: E402
from segments.planted import DESIGNS, HARD_DESIGNS, generate_design  # noqa: E402
from segments.synthetic import generate_planted  # noqa: E402
from tests import lca_generators as G  # noqa: E402


def _table(df, extra):
    buf = io.BytesIO()
    df.to_csv(buf, index=False, sep=";")
    return load_citizens(buf.getvalue(), "data.csv", features=extra).table


def datasets(rows, seed):
    for design in DESIGNS + HARD_DESIGNS:
        df, truth = generate_design(design, rows, seed=seed)
        yield design.name, df, truth, design.groups, design.extra_features
    for gen in G.ALL:
        g = gen(seed)
        yield g.name, g.frame, g.truth, g.groups, g.extra_features
    df, truth = generate_planted(rows, seed=seed)
    yield "bundled_planted", df, truth, 5, ()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=6000)
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()
    hits = total = 0
    ratios = []
    print("| data | seed | planted k | auto k | ARI auto | ARI fixed | auto s | fixed s |")
    print("|---|---|---|---|---|---|---|---|")
    for seed in range(args.seeds):
        for name, df, truth, planted, extra in datasets(args.rows, seed):
            table = _table(df, extra)
            t0 = time.process_time()
            auto = fit_segments(table, "auto", seed=seed, extra_features=extra)
            t1 = time.process_time()
            fixed = fit_segments(table, planted or 3, seed=seed, extra_features=extra)
            t2 = time.process_time()
            k = auto.segment_set.k.chosen
            ratios.append((t1 - t0) / (t2 - t1))
            if truth is None:
                ari_a = ari_f = "–"
                ok = k == 1 if name == "pure_noise" else True
            else:
                ari_a = f"{adjusted_rand_score(truth, auto.labels):.2f}"
                ari_f = f"{adjusted_rand_score(truth, fixed.labels):.2f}"
                ok = abs(k - planted) <= 1 if name != "heavy_weights" else k <= planted + 1
            total += 1
            hits += ok
            print(f"| {name} | {seed} | {planted or '–'} | {k} | {ari_a} | {ari_f} | {t1 - t0:.2f} | {t2 - t1:.2f} |",
                  flush=True)
    print()
    print(f"k as planted (±1; exactly 1 on pure noise): {hits}/{total}")
    print(f"auto / fixed time: median {statistics.median(ratios):.2f}x, max {max(ratios):.2f}x (goal ≤ 2x)")
    print(f"ARI median over planted sets: see table; fits used one BLAS thread ({np.__version__=})")


if __name__ == "__main__":
    main()
