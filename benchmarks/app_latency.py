"""Benchmark: how long an officer waits in the app, from upload to segments on screen.

    python benchmarks/app_latency.py                      # 200 000 and 1 000 000 planted rows
    python benchmarks/app_latency.py --rows 200000 --runs 3

Streamlit's AppTest runs the real app (app.py and its pages) in this process, without a
browser: the upload on the Data page (reading, checking, fitting and describing under the
progress bar), then the Segment page drawn from the cache, then a rerun of the Segment page as
any click causes. Each script run is timed inside Streamlit's script thread: wall time is what
the officer waits (on a shared machine it includes other people's load), CPU time what the
script itself used. Goals (issue #14): 200 000 rows
< 5 s and 1M rows < 15 s from upload to segments; a cached rerun at 1M rows < 300 ms.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _csv(rows: int) -> bytes:
    from segments.synthetic import generate_planted

    df, _ = generate_planted(rows, seed=7)
    buf = io.BytesIO()
    df.to_csv(buf, index=False)
    return buf.getvalue()


SCRIPT_RUNS: list[tuple[float, float]] = []  # (wall, thread CPU) of each script run


def _record_script_time() -> None:
    """Time each script run inside Streamlit's script thread (AppTest itself polls and sleeps,
    so timing `at.run()` from outside would add its own waiting)."""
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    original = ScriptRunner._run_script

    def timed(self, rerun_data):  # noqa: ANN001, ANN202
        w, c = time.perf_counter(), time.thread_time()
        try:
            return original(self, rerun_data)
        finally:
            SCRIPT_RUNS.append((time.perf_counter() - w, time.thread_time() - c))

    ScriptRunner._run_script = timed


def _timed(step) -> tuple[float, float]:  # noqa: ANN001 - a zero-argument callable
    """Script wall and CPU seconds of every script run the step caused (an upload reruns once)."""
    before = len(SCRIPT_RUNS)
    step()
    runs = SCRIPT_RUNS[before:]
    return sum(r[0] for r in runs), sum(r[1] for r in runs)


def measure(content: bytes) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds for: upload → segments, and a cached rerun of the Segment page."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="uploader").set_value(("enkät.csv", content, "text/csv"))
    upload = _timed(at.run)
    assert not at.exception, at.exception
    assert any("Filen är inläst" in s.value for s in at.success), [e.value for e in at.error]
    at.switch_page("app_pages/segments_page.py")
    show = _timed(at.run)
    assert not at.exception and len([s for s in at.subheader if s.value[:1].isdigit()]) >= 3
    rerun = _timed(at.run)
    return {"upload → segments": (upload[0] + show[0], upload[1] + show[1]), "of which upload": upload,
            "cached rerun": rerun}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[200_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=1, help="fresh app sessions per size (the median is printed)")
    args = parser.parse_args()
    os.environ.setdefault("KAMPANJ_DATA_DIR", tempfile.mkdtemp(prefix="kampanj-latency-"))
    sys.path.insert(0, str(ROOT))
    _record_script_time()
    goals = {200_000: 5.0, 1_000_000: 15.0}
    print(f"{'rows':>10}  {'step':<18} {'wall s':>7} {'CPU s':>7}  goal")
    for rows in args.rows:
        content = _csv(rows)
        results = []
        for _ in range(args.runs):
            from streamlit.runtime.caching import cache_data_api, cache_resource_api

            cache_data_api.get_data_cache_stats_provider().clear_all()  # every run starts cold
            cache_resource_api.get_resource_cache_stats_provider().clear_all()
            results.append(measure(content))
        for step in results[0]:
            wall = statistics.median(r[step][0] for r in results)
            cpu = statistics.median(r[step][1] for r in results)
            goal = {"upload → segments": f"< {goals.get(rows, 15.0):.0f} s", "cached rerun": "< 0.3 s"}.get(step, "")
            print(f"{rows:>10,}  {step:<18} {wall:>7.2f} {cpu:>7.2f}  {goal}", flush=True)


if __name__ == "__main__":
    main()
