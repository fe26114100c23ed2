"""Benchmark: what the personal-data scan costs inside `segments fit` on 1M rows.

    python benchmarks/privacy_scan.py                 # 1M planted rows (the file segment_1m.py uses)
    python benchmarks/privacy_scan.py --rows 200000 --repeat 5

Runs the real command (`python -m segments fit … --k 5 --assign …`) in-process, after the
imports, with a timer around every call of the value scan (`common.screening.personal_values`,
which looks at each distinct value of every column). Prints the scan's share of the whole fit.
A second run adds what makes scanning expensive — a 10-digit numeric respondent code (every
value distinct, every one a candidate identity number) and a free-text column — to show the
bound when the cheap byte-level filter cannot rule values out.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "benchmarks" / "_data"


def _timed_fit(src: Path, out: Path) -> tuple[float, float]:
    """(seconds of the whole fit, seconds spent in the value scan)."""
    import common.screening as screening
    from segments.__main__ import main

    scan = 0.0
    original = screening.personal_values

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal scan
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            scan += time.perf_counter() - t0

    screening.personal_values = timed
    try:
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            rc = main(["fit", str(src), "--out", str(out.with_suffix(".yaml")), "--k", "5", "--assign", str(out)])
        total = time.perf_counter() - t0
    finally:
        screening.personal_values = original
    if rc != 0:
        raise SystemExit(f"segments fit exited {rc}")
    return total, scan


def _hard_variant(src: Path, dst: Path) -> None:
    """The same rows with a 10-digit numeric code and a comment column (one value in 50 distinct)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(src)
    n = table.num_rows
    codes = (np.arange(n, dtype=np.int64) + 3_000_000_000).astype(str)
    comments = np.where(np.arange(n) % 50 == 0, np.char.add("svar nummer ", np.arange(n).astype(str)), "")
    table = table.set_column(0, "respondent_id", pa.array(codes)).append_column("kommentar", pa.array(comments))
    pacsv.write_csv(table, dst)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    src = DATA_DIR / f"planted_{args.rows}.csv"
    if not src.exists():
        subprocess.run([sys.executable, "-m", "segments", "sample", "varmland", "--planted", "--rows",
                        str(args.rows), "--out", str(src)], check=True, cwd=ROOT)
    hard = DATA_DIR / f"planted_{args.rows}_codes.csv"
    if not hard.exists():
        _hard_variant(src, hard)
    import segments.__main__  # noqa: F401  (imports before the clock)

    print(f"rows: {args.rows:,}; median of {args.repeat} runs each")
    for label, path in (("planted file (P-codes)", src), ("10-digit codes + comments", hard)):
        runs = sorted((_timed_fit(path, DATA_DIR / f"assign_scan_{args.rows}.csv") for _ in range(args.repeat)),
                      key=lambda r: r[1] / r[0])
        total, scan = runs[len(runs) // 2]
        print(f"{label:<27} segments fit {total:6.2f} s, value scan {scan:5.2f} s = {scan / total:5.1%} "
              f"(goal < 15 % on the planted file)")


if __name__ == "__main__":
    main()
