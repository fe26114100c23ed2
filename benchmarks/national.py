"""Benchmark: a national plan — 290 municipalities, 10 million citizens, every calendar and draft.

    python benchmarks/national.py            # 290 members, 10M rows (a few minutes with generation)
    python benchmarks/national.py --small    # 12 members, 200 000 rows: a quick check
    python benchmarks/national.py --plan-only --pdf  # skip `segments fit` (reuse the segment set); time PDFs too

Generates (seeded) a region of N member municipalities whose populations sum to 10.5 million
(Zipf-like sizes; the members are Sweden's real municipalities, as the gate requires), a campaign with the bundled
channels and e-services of the Värmland sample, and citizen rows drawn from the project's
personas (`segments.synthetic`) spread over the members. Then runs, each as a whole process as a
user would: `python -m segments fit CITIZENS --k auto` and `python -m campaigns plan` with that
segment set, and prints wall seconds and peak memory (max RSS of the process, from wait4) per
stage and the total. Generated files go to benchmarks/_data/national-<members>-<rows>/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import yaml

from common.municipality_list import official_municipalities

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "benchmarks" / "_data"


def members(n: int, total: int = 10_500_000) -> list[tuple[str, str, int]]:
    """(kommunkod, name, population) for n of Sweden's 290 municipalities (the gate takes no other),
    picked evenly over the list; sizes Zipf-like, summing to `total`."""
    official = official_municipalities()
    if not 1 <= n <= len(official):
        raise SystemExit(f"--members must be 1–{len(official)}: the region's members are real municipalities")
    rng = np.random.default_rng(290)
    picked = [official[i] for i in sorted(rng.permutation(len(official))[:n])]
    sizes = 1.0 / np.arange(1, n + 1) ** 0.9
    pops = np.maximum((sizes / sizes.sum() * total).round(-2).astype(int), 2500)
    pops[0] += total - pops.sum()
    return [(m.code, m.name, int(pops[i])) for i, m in enumerate(picked)]


def write_region(folder: Path, n: int) -> Path:
    """Region and campaign YAML: the Värmland sample's channels and e-services, n generated members."""
    region = yaml.safe_load((ROOT / "data" / "regions" / "varmland.yaml").read_text(encoding="utf-8"))
    template = region["municipalities"][0]
    munis = []
    for code, name, pop in members(n):
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("å", "a").replace("ä", "a").replace("ö", "o")).strip("-")
        munis.append({**template, "code": code, "name": name, "population": pop, "households": pop * 10 // 21,
                      "website": f"https://www.{slug}.se", "help_venue": f"Biblioteket i {name}",
                      "email": f"kommun@{slug}.se", "visiting_address": f"Storgatan 1, {name}",
                      "staff": [{"role": "Kommunikatör", "hours_per_week": 8.0}]})
    region.update(key="national", name="Riket (genererat)", description=f"{n} genererade kommuner.",
                  leader=munis[0]["code"], municipalities=munis)
    region.pop("sample_citizens", None)
    (folder / "regions").mkdir(parents=True, exist_ok=True)
    (folder / "regions" / "national.yaml").write_text(yaml.safe_dump(region, allow_unicode=True, sort_keys=False),
                                                      encoding="utf-8")
    campaign = yaml.safe_load((ROOT / "data" / "campaigns" / "varmland_2027.yaml").read_text(encoding="utf-8"))
    for e in campaign["e_services"]:
        e.pop("local_go_live", None)
    campaign.update(key="national_2027", name="Nationell lansering 2027", region="national", budget_sek=0.0)
    (folder / "campaigns").mkdir(parents=True, exist_ok=True)
    path = folder / "campaigns" / "national_2027.yaml"
    path.write_text(yaml.safe_dump(campaign, allow_unicode=True, sort_keys=False, default_flow_style=False),
                    encoding="utf-8")
    return path


def write_citizens(folder: Path, n_members: int, rows: int, seed: int = 10) -> Path:
    """`rows` citizen rows (Parquet), the personas of segments.synthetic, spread over the members
    by the square root of their populations (as a survey over-samples small municipalities)."""
    import pandas as pd

    from segments.synthetic import generate_citizens

    path = folder / "citizens.parquet"
    if path.exists():
        return path
    table = members(n_members)
    frame = generate_citizens("varmland", rows, seed=seed)
    rng = np.random.default_rng(seed)
    pops = np.array([p for _, _, p in table], dtype=float)
    alloc = np.sqrt(pops) / np.sqrt(pops).sum()
    which = rng.choice(len(table), size=rows, p=alloc)
    names = np.array([name for _, name, _ in table], dtype=object)
    frame["municipality"] = pd.Categorical.from_codes(which, categories=list(names))
    frame["weight"] = (pops[which] * 0.82 / np.bincount(which, minlength=len(table))[which]).round(1)
    frame.to_parquet(path, index=False)
    return path


def _tree_memory(root: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of a process and all its descendants. Forked workers share pages with
    their parent: the summed RSS counts those once per process, PSS splits them (the true total)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    rss, pss, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
        except OSError:
            continue
    return rss, pss


def run(stage: str, argv: list[str]) -> tuple[float, float, float, float]:
    """Run one stage as a whole process: wall seconds, CPU seconds (its workers included), and the
    peak summed RSS and peak PSS of its process tree in MiB, sampled every 0.2 s. (wait4's
    ru_maxrss is not used: it keeps the high-water mark from before exec, i.e. this script's
    own memory after generating 10M rows.)"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *argv], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    peak = [0, 0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.2):
            rss, pss = _tree_memory(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    stop.set()
    watcher.join()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{stage} failed with exit code {code}")
    return seconds, usage.ru_utime + usage.ru_stime, peak[0] / 2**20, peak[1] / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=290)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--small", action="store_true", help="12 members, 200 000 rows")
    parser.add_argument("--plan-only", action="store_true", help="skip fit when a segment set is there")
    parser.add_argument("--lang", default="sv")
    parser.add_argument("--pdf", action="store_true", help="also time `campaigns plan --pdf` (every flyer's PDF)")
    args = parser.parse_args()
    if args.small:
        args.members, args.rows = 12, 200_000
    folder = DATA_DIR / f"national-{args.members}-{args.rows}"
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    campaign = write_region(folder, args.members)
    citizens = write_citizens(folder, args.members, args.rows)
    print(f"generated {args.members} members, {args.rows:,} rows in {time.perf_counter() - t0:.1f} s ({folder})")
    segments = folder / "segments.yaml"
    results = []
    if not (args.plan_only and segments.exists()):
        results.append(("segments fit --k auto", *run("fit", ["-m", "segments", "fit", str(citizens), "--k", "auto",
                                                               "--out", str(segments)])))
    out = folder / "plan"
    plan = ["-m", "campaigns", "plan", str(campaign), "--segments", str(segments), "--out", str(out), "--no-edits",
            "--lang", args.lang]
    results.append(("campaigns plan", *run("plan", plan)))
    if args.pdf:
        results.append(("campaigns plan --pdf", *run("plan --pdf", [*plan, "--pdf"])))
    files = [p for p in out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"\n{'stage':<24}{'wall s':>8}{'CPU s':>8}{'peak RSS MiB':>13}{'tree PSS MiB':>14}")
    for stage, seconds, cpu, rss, pss in results:
        print(f"{stage:<24}{seconds:>8.1f}{cpu:>8.1f}{rss:>13.0f}{pss:>14.0f}")
    print(f"{'total':<24}{sum(r[1] for r in results):>8.1f}{sum(r[2] for r in results):>8.1f}"
          f"{max(r[3] for r in results):>13.0f}{max(r[4] for r in results):>14.0f}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work shares them)")
    print(f"output: {len(files):,} files, {size / 1e6:.0f} MB, "
          f"{sum(1 for p in files if p.suffix == '.pdf'):,} PDFs, {sum(1 for p in files if p.suffix == '.ics'):,} "
          f"calendars ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)")


if __name__ == "__main__":
    main()
