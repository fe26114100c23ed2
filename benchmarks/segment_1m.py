"""Benchmark: segment N planted rows end to end, against the plain script an analyst would write.

    python benchmarks/segment_1m.py                  # 1M rows, ours vs baseline
    python benchmarks/segment_1m.py --rows 10000000 --skip-baseline   # memory check at 10M

Each contender runs in its own process so that its peak memory (max RSS) is its own; its work is
timed after the libraries are imported (the whole process time is printed too). Both read
the same CSV, fit 5 segments and write one assignment per row; the adjusted Rand index against
the planted personas shows that speed was not bought with quality.
"""

from __future__ import annotations

import argparse
import json
import os
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


def ours(src: Path, out: Path) -> None:
    """The project's path: python -m segments fit … --assign (profiles and YAML included)."""
    from segments.__main__ import main

    with open(os.devnull, "w") as devnull:
        stdout, sys.stdout = sys.stdout, devnull
        try:
            rc = main(["fit", str(src), "--out", str(out.with_suffix(".yaml")), "--k", "5", "--assign", str(out)])
        finally:
            sys.stdout = stdout
    if rc != 0:
        raise SystemExit(rc)


def _import_everything(kind: str) -> None:
    """Imports happen before the clock starts, so both contenders are timed on their work alone."""
    import pandas  # noqa: F401
    import sklearn.cluster  # noqa: F401
    import sklearn.preprocessing  # noqa: F401

    if kind == "ours":
        import segments.__main__  # noqa: F401


def _run(kind: str, src: Path, out: Path) -> dict[str, float]:
    """Run one contender in a child process: work time (after imports), whole-process time, peak memory."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, str(src), str(out)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    work = float(proc.stdout.read().decode().strip().splitlines()[-1])
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{kind} failed with status {status}")
    return {"seconds": work, "process_seconds": time.perf_counter() - t0, "peak_gib": usage.ru_maxrss / 1024 ** 2}


def _ari(out: Path, truth_path: Path) -> float:
    import numpy as np
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score

    labels = pd.read_csv(out, usecols=["segment"])["segment"].to_numpy()
    return float(adjusted_rand_score(np.load(truth_path), labels))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "SRC", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, src, out = args.child
        _import_everything(kind)
        t0 = time.perf_counter()
        (baseline if kind == "baseline" else ours)(Path(src), Path(out))
        print(time.perf_counter() - t0)
        return

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    src = DATA_DIR / f"planted_{args.rows}.csv"
    truth = src.with_suffix(".truth.npy")
    if not src.exists() or not truth.exists():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "segments", "sample", "varmland", "--planted",
                        "--rows", str(args.rows), "--out", str(src)], check=True, cwd=ROOT)
        print(f"generated {args.rows:,} planted rows in {time.perf_counter() - t0:.1f} s "
              f"({src.stat().st_size / 1024 ** 2:.0f} MiB)")
    results: dict[str, dict[str, float]] = {}
    for kind in (("ours",) if args.skip_baseline else ("ours", "baseline")):
        out = DATA_DIR / f"assign_{kind}_{args.rows}.csv"
        results[kind] = _run(kind, src, out)
        results[kind]["ari"] = _ari(out, truth)
    print(f"\nrows: {args.rows:,}")
    print(f"{'contender':<10} {'work s':>7} {'process s':>10} {'peak GiB':>9} {'ARI':>6}")
    for kind, r in results.items():
        print(f"{kind:<10} {r['seconds']:>7.2f} {r['process_seconds']:>10.2f} {r['peak_gib']:>9.2f} {r['ari']:>6.3f}")
    if "baseline" in results:
        speedup = results["baseline"]["seconds"] / results["ours"]["seconds"]
        delta = results["ours"]["ari"] - results["baseline"]["ari"]
        whole = results["baseline"]["process_seconds"] / results["ours"]["process_seconds"]
        print(f"speed-up on the work: {speedup:.1f}x (goal ≥ 3x); whole process incl. start-up: {whole:.1f}x")
        print(f"ARI difference: {delta:+.3f} (goal: no worse than -0.02)")
    print(json.dumps({"rows": args.rows, **results}))


if __name__ == "__main__":
    main()
