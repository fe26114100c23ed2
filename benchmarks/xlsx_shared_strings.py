"""Benchmark: an .xlsx whose rows all refer to one 32,000-character shared string.

    python benchmarks/xlsx_shared_strings.py [ROWS ...]

The file is small on disk (the sheet repeats only the string's number) but holds ROWS × 32,000
characters once every row has its own copy. Prints, per size (each in a fresh process), the file
size, the outcome (rows read or the refusal), the time, Python's peak allocation (tracemalloc), the
peak of Arrow's memory pool and the process's peak resident memory. Run it on a branch without the
bound to see the cost it prevents.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common.errors import InputError  # noqa: E402
from common.table_files import read_raw  # noqa: E402
from tests.test_bounds import shared_string_workbook  # noqa: E402  (the builder the test uses)


def measure(rows: int) -> None:
    data = shared_string_workbook(rows)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        batches = list(read_raw(data, "stor.xlsx").batches())
        outcome = f"read {sum(b.num_rows for b in batches):,} rows"
        del batches
    except InputError as err:
        outcome = f"refused ({', '.join(sorted(err.codes))}) at row {err.problems[0].rows[:1]}"
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    arrow = pa.default_memory_pool().max_memory()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"{rows:>7,} rows  {len(data) / 1024:5.0f} KB  {outcome:<44} {seconds:6.2f} s  python peak "
          f"{peak / 2**20:5.1f} MB  arrow peak {arrow / 2**20:7.1f} MB  process peak {rss / 2**20:7.1f} MB", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        measure(int(sys.argv[2]))
    else:
        for n in [int(a) for a in sys.argv[1:]] or [1_000, 5_000, 20_000]:
            subprocess.run([sys.executable, __file__, "--one", str(n)], check=False)
