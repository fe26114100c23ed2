"""What spreadsheet safety costs: 1M per-row assignments written with `common.spreadsheet.arrow_csv`
(every text cell checked for a leading = + - @ TAB CR) against pyarrow's plain CSV writer, in one run.

    python benchmarks/safe_outputs.py [rows]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from common.spreadsheet import arrow_csv


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(rows: int = 1_000_000) -> None:
    rng = np.random.default_rng(0)
    names = np.array(["Digitalt vana yrkesverksamma", "Äldre seniorer som föredrar papper", "=HYPERLINK(1)",
                      "Seniorer som sällan använder e-tjänster", "Unga vuxna"])
    table = pa.table({"respondent_id": pa.array([f"R{i:07d}" for i in range(rows)]),
                      "segment": pa.array(rng.integers(1, 6, rows)),
                      "segment_name": pa.array(names[rng.integers(0, len(names), rows)])})
    # as `segments fit --assign` writes them: names as a dictionary column (one entry per segment)
    as_fit = table.set_column(2, "segment_name", table.column("segment_name").dictionary_encode())
    with tempfile.TemporaryDirectory() as tmp:
        for label, data in (("names as text, 1 in 5 risky", table), ("as segments fit writes them", as_fit)):
            plain = _best(lambda data=data: pacsv.write_csv(data, Path(tmp) / "plain.csv"))
            safe = _best(lambda data=data: arrow_csv(data, Path(tmp) / "safe.csv"))
            size = (Path(tmp) / "safe.csv").stat().st_size
            print(f"{rows:,} assignment rows ({size / 2**20:.0f} MiB, {label}): pyarrow plain {plain:.3f} s, "
                  f"spreadsheet-safe {safe:.3f} s ({safe / plain:.2f}× plain, +{safe - plain:.3f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
