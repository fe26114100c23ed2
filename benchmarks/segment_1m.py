"""Benchmark: `python -m segments fit` on N planted rows, whole process, against an analyst's script.

    python benchmarks/segment_1m.py                  # 1M rows: fixed k, auto k and the baseline
    python benchmarks/segment_1m.py --rows 10000000 --skip-baseline --runs 1   # memory at 10M

Every contender is a whole process, timed from start to exit as a user would time it — Python
start-up and imports included: the project's CLI with `--k 5` and with `--k auto` (reading,
checking, the latent class model, profiles, YAML and per-row assignments), and the plain script an analyst
would write (`pd.read_csv`, one-hot + scaling, `KMeans(n_init=10)`, write assignments). They run
in turns, `--runs` times each, and the median is reported, because this machine is shared; the
CPU seconds each process used are printed too (less sensitive to other load). The adjusted
Rand index against the planted personas shows that speed was not bought with quality. The
start-up line is a process that only imports what the CLI imports.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "benchmarks" / "_data"


def baseline(src: Path, out: Path) -> None:
    """What an analyst would write: read_csv, one-hot + scaling, KMeans(n_init=10), write."""
    import pandas as pd
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler

    df = pd.read_csv(src)
    num = ["age", "eservice_uses_12m", "has_bankid", "uses_facebook", "prefers_paper"]
    cat = ["sex", "household", "occupation", "internet_use"]
    X = pd.concat([pd.DataFrame(StandardScaler().fit_transform(df[num]), columns=num),
                   pd.get_dummies(df[cat]).astype(float)], axis=1).to_numpy()
    km = KMeans(n_clusters=5, n_init=10, random_state=0).fit(X)
    pd.DataFrame({"respondent_id": df["respondent_id"], "segment": km.labels_}).to_csv(out, index=False)


def _command(kind: str, src: Path, out: Path) -> list[str]:
    if kind == "baseline":
        return [sys.executable, __file__, "--baseline", str(src), str(out)]
    if kind == "start-up":
        return [sys.executable, "-c", "import segments.__main__"]
    k = "5" if kind == "fixed k=5" else "auto"
    return [sys.executable, "-m", "segments", "fit", str(src), "--out", str(out.with_suffix(".yaml")),
            "--k", k, "--assign", str(out)]


def _run(kind: str, src: Path, out: Path) -> dict[str, float]:
    """One whole process: wall seconds, CPU seconds, peak memory."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(_command(kind, src, out), stdout=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"{kind} failed with status {status}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "gib": usage.ru_maxrss / 1024 ** 2}


def _ari(out: Path, truth_path: Path) -> float:
    import numpy as np
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score

    labels = pd.read_csv(out, usecols=["segment"])["segment"].to_numpy()
    return float(adjusted_rand_score(np.load(truth_path), labels))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--baseline", nargs=2, metavar=("SRC", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        baseline(Path(args.baseline[0]), Path(args.baseline[1]))
        return

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    src = DATA_DIR / f"planted_{args.rows}.csv"
    truth = src.with_suffix(".truth.npy")
    if not src.exists() or not truth.exists():
        subprocess.run([sys.executable, "-m", "segments", "sample", "varmland", "--planted",
                        "--rows", str(args.rows), "--out", str(src)], check=True, cwd=ROOT)
    kinds = ["start-up", "fixed k=5", "auto k"] + ([] if args.skip_baseline else ["baseline"])
    runs: dict[str, list[dict[str, float]]] = {k: [] for k in kinds}
    for _ in range(args.runs):
        for kind in kinds:
            runs[kind].append(_run(kind, src, DATA_DIR / f"assign_{kind.split()[0]}_{args.rows}.csv"))
    aris = {k: _ari(DATA_DIR / f"assign_{k.split()[0]}_{args.rows}.csv", truth) for k in kinds if k != "start-up"}
    med = {k: {m: statistics.median(r[m] for r in v) for m in ("wall", "cpu", "gib")} for k, v in runs.items()}
    print(f"\nrows: {args.rows:,}; median of {args.runs} runs per contender, whole process")
    print(f"{'contender':<10} {'wall s':>7} {'CPU s':>7} {'peak GiB':>9} {'ARI':>6}")
    for kind in kinds:
        m = med[kind]
        ari = "" if kind == "start-up" else f"{aris[kind]:6.3f}"
        print(f"{kind:<10} {m['wall']:>7.2f} {m['cpu']:>7.2f} {m['gib']:>9.2f} {ari:>6}")
    fixed, auto = med["fixed k=5"], med["auto k"]
    print(f"auto k / fixed k: {auto['wall'] / fixed['wall']:.2f}x wall, {auto['cpu'] / fixed['cpu']:.2f}x CPU "
          "(goal ≤ 2x)")
    if "baseline" in med:
        b = med["baseline"]
        print(f"speed-up over the baseline, fixed k: {b['wall'] / fixed['wall']:.1f}x wall, "
              f"{b['cpu'] / fixed['cpu']:.1f}x CPU; auto k: {b['wall'] / auto['wall']:.1f}x wall, "
              f"{b['cpu'] / auto['cpu']:.1f}x CPU (goal ≥ 3x)")
        print(f"ARI against the planted personas: fixed k {aris['fixed k=5']:.3f}, auto k {aris['auto k']:.3f}, "
              f"baseline {aris['baseline']:.3f} (goal: no lower than the baseline)")


if __name__ == "__main__":
    main()
