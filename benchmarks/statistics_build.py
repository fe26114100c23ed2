"""Benchmark: segments from statistics for a country-sized export, end to end.

    python benchmarks/statistics_build.py [municipalities]

Writes a PX-Web CSV of population by single-year age and sex (synthetic figures) for N of Sweden's
municipalities (default all 290) and a household table, then times reading both, building the
weighted rows, reading them back as citizens (`load_citizens` on the Parquet bytes) and fitting
segments (k chosen automatically). Prints rows, seconds per step and the process's peak memory.
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np
import pandas as pd

from common.municipality_list import official_municipalities
from segments.clustering import fit_segments
from segments.io import load_citizens
from segments.statistics import build_population, citizens_bytes, load_habits, read_households, read_population
from segments.statistics.synthetic import households_frame, population_frame, pxweb_csv, single_years
from segments.synthetic import Municipality


def main(n: int = 290) -> None:
    rng = np.random.default_rng(0)
    official = official_municipalities()[:n]  # real municipalities: the gate refuses any other region label
    munis = [Municipality(m.code, m.name, int(rng.integers(2_500, 150_000)), float(rng.uniform(0.15, 0.32)))
             for m in official]
    pop = pxweb_csv(single_years(pd.concat([population_frame(m) for m in munis])),
                    title="Folkmängden efter region, ålder, kön och år", sep=";", encoding="cp1252")
    hh = pxweb_csv(pd.concat([households_frame(m) for m in munis]))
    steps: list[tuple[str, float]] = []
    t = time.perf_counter()
    population = read_population(pop, "befolkning.csv")
    households = read_households(hh, "hushall.csv")
    steps.append(("read both exports", time.perf_counter() - t))
    t = time.perf_counter()
    built = build_population(population, load_habits(), households)
    steps.append(("build weighted rows", time.perf_counter() - t))
    t = time.perf_counter()
    loaded = load_citizens(citizens_bytes(built), "rows.parquet")
    steps.append(("write + read as citizens", time.perf_counter() - t))
    t = time.perf_counter()
    result = fit_segments(loaded.table, "auto", seed=0)
    steps.append(("fit segments (auto k)", time.perf_counter() - t))
    print(f"{n} municipalities, {len(population.frame):,} population rows ({len(pop) / 1e6:.1f} MB CSV), "
          f"{len(built.table):,} weighted rows, {built.table['weight'].sum():,.0f} persons, "
          f"{len(result.segment_set.segments)} segments")
    for name, seconds in steps:
        print(f"  {name:<26} {seconds:6.2f} s")
    print(f"  {'total':<26} {sum(s for _, s in steps):6.2f} s")
    print(f"  peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 290)
