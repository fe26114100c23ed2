"""Benchmark: plan a region of 22 municipalities × 5 joint e-services and write every export.

    python benchmarks/plan_region.py

The region is both sample regions joined (16 + 6 members); segments are 8 clusters of the
Värmland sample citizens. Prints the time to plan and the time to export.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from campaigns.campaign_files import load_region
from campaigns.definitions import Campaign, EService
from campaigns.export import write_plan_files
from campaigns.schedule import plan_campaign
from segments.clustering import fit_segments
from segments.io import load_citizens

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    v = load_region(ROOT / "data" / "regions" / "varmland.yaml")
    a = load_region(ROOT / "data" / "regions" / "atvidaberg.yaml")
    region = v.model_copy(update={"key": "big", "name": "Storregion",
                                  "municipalities": v.municipalities + a.municipalities})
    services = [EService(key=f"e{i}", name=f"E-tjänst {i}", link=f"https://example.se/e{i}",
                         go_live=dt.date(2027, 2, 2) + dt.timedelta(weeks=5 * i)) for i in range(5)]
    campaign = Campaign(key="bench", name="Benchmark", region="big", planning_start=dt.date(2027, 1, 4),
                        e_services=services)
    segment_set = fit_segments(load_citizens(ROOT / "data" / "citizens" / "varmland.csv").table, 8, seed=0).segment_set
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        plan = plan_campaign(campaign, region, segment_set)
        runs.append(time.perf_counter() - t0)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        files = write_plan_files(plan, Path(tmp))
        export_s = time.perf_counter() - t0
    print(f"municipalities: {len(region.municipalities)}, e-services: {len(services)}, "
          f"segments: {len(segment_set.segments)}")
    print(f"activities: {len(plan.activities)}, moved: {sum(c.placed is not None for c in plan.changes)}, "
          f"not placed: {len(plan.unplaced)}")
    print(f"plan: best {min(runs):.2f} s of 3 (goal: a few seconds)")
    print(f"exports ({len(files)} files: .ics per municipality and region, .xlsx, .csv): {export_s:.2f} s")


if __name__ == "__main__":
    main()
