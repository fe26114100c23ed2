"""Load benchmark: N simulated officers use the app at once over websockets on loopback.

    python benchmarks/load.py                      # starts `deploy/serve.py` itself, runs, stops it
    python benchmarks/load.py --workers 1 2        # one, then two server processes behind the proxy
    python benchmarks/load.py --url http://127.0.0.1:8501 --run-dir /tmp/kampanjplaneraren-serve  # `make serve`
    python benchmarks/load.py --scenarios burst --n 10 --quick

Each officer is a thin client: it speaks Streamlit's websocket protocol (protobuf BackMsg and
ForwardMsg, as the browser does) and renders nothing. A page is *ready* when the server has sent
the whole page and says the script finished; the time from the request to that message is the
page-ready time measured here (server side, without the browser's drawing time).

Scenarios (each bounded: a fixed number of officers, a deadline, a timeout per page):

- ``burst``  N officers click through Start, Segment, Kanaler, Kalender, Budskap and Export at
  once, with no pauses (the worst case: everyone clicks at the same moment).
- ``think``  N officers work for ``--duration`` seconds with 5–25 s pauses between pages; a fifth
  of their actions change the budget on Kanaler (typed value, applied), the rest open pages.
- ``budget`` 10 officers change the budget at the same moment, while ``think`` officers work.

For each it prints p50/p95/max page-ready time, pages per second, the server's resident memory
(the sum over the proxy and every server process, sampled every half second) and the bytes sent
per view of each page (Kalender must stay under 150 kB).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy import serve  # noqa: E402  (the repository root is not always on sys.path)
from deploy.client import PAGE_TIMEOUT, TOUR, Officer, PageFailed, Sample  # noqa: E402

# ---------------------------------------------------------------- scenarios


async def in_session(url: str, samples: list[Sample], work: Callable[[Officer], Awaitable[None]]) -> None:
    """One officer's connection running `work`: a failed page is recorded by the page itself, a
    connection that fails (opening or later) as a failed 'connect' sample; the socket is closed
    either way and the other officers go on."""
    o = Officer(url, samples)
    try:
        await o.connect()
        await work(o)
    except PageFailed:
        pass
    except (ConnectionError, OSError, TimeoutError, websockets.WebSocketException) as exc:
        samples.append(Sample("connect", 0, 0, False, str(exc)[:80]))
    finally:
        await o.close()


_BUDGETS = iter(random.Random(0).sample(range(20_000, 200_001, 20), k=5_001))


def new_budget() -> int:
    """A budget no officer has tried before in this run (officers type their own figures), so each
    change is a new mix, never one another officer's change left cached. Most of the range is below
    what the sample campaign's useful channels cost (about 98 000 kr), so most changes also change
    the mix's choice and need a new plan; above it the plan is the same and found made."""
    return next(_BUDGETS)


async def officer_burst(url: str, samples: list[Sample], deadline: float) -> None:
    async def work(o: Officer) -> None:
        for page in TOUR:
            if time.monotonic() > deadline:
                break
            await o.view(page)

    await in_session(url, samples, work)


async def officer_think(url: str, samples: list[Sample], deadline: float, rng: random.Random,
                        pause: tuple[float, float], budget_share: float) -> None:
    async def work(o: Officer) -> None:
        await o.view(rng.choice(TOUR))
        while True:
            wait = rng.uniform(*pause)
            if time.monotonic() + wait > deadline:
                break
            await asyncio.sleep(wait)
            if rng.random() < budget_share:
                await o.change_budget(new_budget())
            else:
                await o.view(rng.choice(TOUR))

    await asyncio.sleep(rng.uniform(0, pause[0]))  # officers arrive over the first seconds
    await in_session(url, samples, work)


async def officer_budget(url: str, samples: list[Sample], start: asyncio.Event, rounds: int) -> None:
    async def work(o: Officer) -> None:
        await o.view("kanaler", "kanaler (before)")
        for _ in range(rounds):
            await start.wait()
            await o.change_budget(new_budget())
            start.clear()

    await in_session(url, samples, work)


# ---------------------------------------------------------------- measuring


class RssSampler:
    """Peak resident memory of the serving processes (proxy and app servers, with children)."""

    def __init__(self, pids: list[int]) -> None:
        self.pids, self.peak, self._task = pids, 0, None

    def now(self) -> int:
        return sum(_rss(p) for p in _tree(self.pids))

    async def _loop(self) -> None:
        while True:
            self.peak = max(self.peak, self.now())
            await asyncio.sleep(0.5)

    def __enter__(self) -> RssSampler:
        self.peak = self.now()
        self._task = asyncio.get_running_loop().create_task(self._loop())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


def _tree(pids: list[int]) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    seen, todo = set(), list(pids)
    while todo:
        p = todo.pop()
        if p not in seen and Path(f"/proc/{p}").exists():
            seen.add(p)
            todo.extend(children.get(p, []))
    return seen


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _cpu_load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min) {five:.1f} (5 min) on {os.cpu_count()} cores"


def report(name: str, n: int, samples: list[Sample], seconds: float, rss_peak: int) -> dict[str, object]:
    ok = [s for s in samples if s.ok and s.label != "kanaler (before)"]
    times = sorted(s.seconds for s in ok)
    failed = [s for s in samples if not s.ok]
    row = {"scenario": name, "n": n, "views": len(ok), "failed": len(failed),
           "p50": _pct(times, 50), "p95": _pct(times, 95), "max": times[-1] if times else float("nan"),
           "pages_per_s": len(ok) / seconds if seconds else 0.0, "rss_mib": rss_peak / 2**20}
    print(f"{name:<8} N={n:<3} views={len(ok):<4} failed={len(failed):<3} p50={row['p50']:6.2f} s  "
          f"p95={row['p95']:6.2f} s  max={row['max']:6.2f} s  {row['pages_per_s']:5.2f} pages/s  "
          f"server RSS {row['rss_mib']:6.0f} MiB", flush=True)
    for label in sorted({s.label for s in ok}):
        these = [s for s in ok if s.label == label]
        t = sorted(s.seconds for s in these)
        kb = sorted(s.nbytes / 1000 for s in these)
        print(f"           {label:<18} n={len(these):<4} p50={_pct(t, 50):6.2f} s  p95={_pct(t, 95):6.2f} s  "
              f"{statistics.median(kb):7.1f} kB per view (max {kb[-1]:.1f})")
    for error in sorted({s.error for s in failed})[:5]:
        print(f"           failure: {error}")
    return row


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    k = (len(values) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


async def run_burst(url: str, n: int, pids: list[int], limit: float) -> dict[str, object]:
    samples: list[Sample] = []
    with RssSampler(pids) as rss:
        t0 = time.monotonic()
        await asyncio.gather(*(officer_burst(url, samples, t0 + limit) for _ in range(n)))
        elapsed = time.monotonic() - t0
    return report("burst", n, samples, elapsed, rss.peak)


async def run_think(url: str, n: int, pids: list[int], duration: float, seed: int,
                    pause: tuple[float, float]) -> dict[str, object]:
    samples: list[Sample] = []
    rng = random.Random(seed)
    with RssSampler(pids) as rss:
        t0 = time.monotonic()
        await asyncio.gather(*(officer_think(url, samples, t0 + duration, random.Random(rng.random()), pause, 0.2)
                               for _ in range(n)))
        elapsed = time.monotonic() - t0
    return report("think", n, samples, elapsed, rss.peak)


async def run_budget(url: str, n: int, background: int, pids: list[int], duration: float, seed: int,
                     pause: tuple[float, float], rounds: int = 3) -> dict[str, object]:
    """`n` officers change the budget at the same moment, `rounds` times, while others work."""
    samples: list[Sample] = []
    noise: list[Sample] = []
    rng = random.Random(seed)
    go = [asyncio.Event() for _ in range(n)]
    with RssSampler(pids) as rss:
        t0 = time.monotonic()
        workers = [asyncio.ensure_future(officer_think(url, noise, t0 + duration, random.Random(rng.random()), pause,
                                                       0.2)) for _ in range(background)]
        changers = [asyncio.ensure_future(officer_budget(url, samples, ev, rounds))
                    for ev in go]
        for _ in range(rounds):
            await asyncio.sleep(min(pause[1], duration / (rounds + 1)))
            for ev in go:
                ev.set()
        await asyncio.wait_for(asyncio.gather(*changers), duration + PAGE_TIMEOUT * (rounds + 1))
        await asyncio.wait_for(asyncio.gather(*workers), duration + PAGE_TIMEOUT * 2)
        elapsed = time.monotonic() - t0
    row = report("budget", n, samples, elapsed, rss.peak)
    report(" (load)", background, noise, elapsed, rss.peak)
    return row


async def main_async(args: argparse.Namespace, url: str, pids: list[int], workers: int | None
                     ) -> list[dict[str, object]]:
    pause = (args.pause_min, args.pause_max)
    rows = []
    print(f"# {url} · {workers or '?'} server processes · {_cpu_load()}", flush=True)
    # A short burst first (two officers per process), not counted: every process has run every
    # page once, as after the warm-up of `make serve`, and the client side is warm too.
    await run_burst(url, 2 * max(1, workers or 1), pids, args.duration)
    print("# measured:", flush=True)
    for scenario in args.scenarios:
        for n in args.n:
            if scenario == "burst":
                row = await run_burst(url, n, pids, args.duration * 2)
            elif scenario == "think":
                row = await run_think(url, n, pids, args.duration, args.seed, pause)
            else:
                row = await run_budget(url, min(n, 10), max(0, n - 10), pids, args.duration, args.seed, pause)
            rows.append({**row, "workers": workers or "?", "load": os.getloadavg()[0]})
            print(f"#   ({_cpu_load()})", flush=True)
    return rows


def summary(rows: list[dict[str, object]]) -> None:
    """All runs as one Markdown table (the README's figures come from it)."""
    print("\n| processes | scenario | officers | views | failed | p50 (s) | p95 (s) | max (s) | pages/s | RSS (MiB) "
          "| load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['workers']} | {r['scenario']} | {r['n']} | {r['views']} | {r['failed']} | {r['p50']:.2f} "
              f"| {r['p95']:.2f} | {r['max']:.2f} | {r['pages_per_s']:.1f} | {r['rss_mib']:.0f} | {r['load']:.1f} |")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", help="a running stack (default: start deploy/serve.py on --port)")
    p.add_argument("--run-dir", default="/tmp/kampanj-load", help="where the started stack keeps pids and logs")
    p.add_argument("--port", type=int, default=8501, help="proxy port of the stack this script starts")
    p.add_argument("--backend-port", type=int, default=8511, help="first app server port of that stack")
    p.add_argument("--workers", nargs="+", type=int, default=[serve.default_workers()],
                   help="app server processes; several values run everything once per value (e.g. 1 2)")
    p.add_argument("--scenarios", nargs="+", default=["burst", "think", "budget"],
                   choices=["burst", "think", "budget"])
    p.add_argument("--n", nargs="+", type=int, default=[1, 10, 30], help="officers at once (at most 60)")
    p.add_argument("--duration", type=float, default=90.0, help="seconds per think scenario (at most 600)")
    p.add_argument("--pause-min", type=float, default=5.0)
    p.add_argument("--pause-max", type=float, default=25.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--quick", action="store_true", help="N=1,10 and 40 s think time: a smoke run")
    args = p.parse_args(argv)
    if args.quick:
        args.n, args.duration = [1, 10], 40.0
    if max(args.n) > 60 or args.duration > 600 or max(args.workers) > 8:
        p.error("bounded on purpose: at most 60 officers, 600 s per scenario and 8 processes")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # A hard ceiling on each stack's run, whatever happens inside it.
    ceiling = 300 + len(args.scenarios) * len(args.n) * (args.duration + 3 * PAGE_TIMEOUT)
    rows: list[dict[str, object]] = []
    if args.url:
        pids = serve.running_pids(Path(args.run_dir))
        rows += asyncio.run(asyncio.wait_for(main_async(args, args.url.rstrip("/"), pids, None), ceiling))
    for workers in [] if args.url else args.workers:
        stack = serve.Stack(Path(args.run_dir), args.port, args.backend_port, workers)
        stack.start()
        try:
            rows += asyncio.run(asyncio.wait_for(
                main_async(args, stack.url, serve.running_pids(stack.run_dir), workers), ceiling))
        finally:
            stack.stop()
    summary(rows)


if __name__ == "__main__":
    main()
