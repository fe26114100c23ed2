"""Statistics as a data source the app keeps in its session: the files as bytes, built on demand.

A spec is a plain dict — `population` and optional `households` and `usage` as (file name,
bytes), `habits` as YAML text (None: the bundled national rates), `year` — so it can live in
the session, be hashed for caching, and be rebuilt into the same rows any time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from segments.io import LoadResult, load_citizens

from .calibration import usage_evidence
from .habits import BUNDLED_HABITS, load_habits, parse_habits
from .output import citizens_bytes
from .population import StatisticsPopulation, build_population
from .readers import read_households, read_population

__all__ = ["build_from_spec", "sample_spec", "spec_key"]

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data"


def spec_key(spec: Mapping[str, Any]) -> str:
    """A short digest that changes whenever anything in the spec does."""
    h = hashlib.sha1()
    for key in ("population", "households", "usage"):
        part = spec.get(key)
        h.update(key.encode())
        if part:
            h.update(str(part[0]).encode() + b"\0" + part[1])
    h.update((spec.get("habits") or "").encode("utf-8"))
    h.update(str(spec.get("year")).encode() + str(spec.get("campaign")).encode())
    return h.hexdigest()[:16]


def build_from_spec(spec: Mapping[str, Any], read_usage: Callable[[bytes, str], Any] | None = None,
                    names: Mapping[str, str] | None = None) -> tuple[StatisticsPopulation, LoadResult]:
    """The weighted population and the citizen table it reads as (through `load_citizens`, as any
    upload). `read_usage(data, name)` imports usage statistics (the campaign's usage import)."""
    name, data = spec["population"]
    population = read_population(data, name, year=spec.get("year"))
    households = read_households(spec["households"][1], spec["households"][0]) if spec.get("households") else None
    habits = parse_habits(spec["habits"], "habits.yaml") if spec.get("habits") else load_habits()
    usage = None
    if spec.get("usage") and read_usage is not None:
        imported = read_usage(spec["usage"][1], spec["usage"][0])
        usage = usage_evidence(imported.frame, names)
    built = build_population(population, habits, households, usage)
    return built, load_citizens(citizens_bytes(built), "scb-statistik.parquet")


def sample_spec(region_key: str, campaign_key: str | None = None, data_dir: Path = SAMPLE_DIR) -> dict[str, Any] | None:
    """The bundled sample exports for a region (and its campaign's sample usage), if there are any."""
    folder = data_dir / "statistics"
    population = sorted(folder.glob(f"{region_key}_befolkning.*"))
    if not population:
        return None
    households = sorted(folder.glob(f"{region_key}_hushall.*"))
    usage = data_dir / "usage" / f"{campaign_key}.csv" if campaign_key else None
    return {
        "population": (population[0].name, population[0].read_bytes()),
        "households": (households[0].name, households[0].read_bytes()) if households else None,
        "habits": BUNDLED_HABITS.read_text(encoding="utf-8"),
        "usage": (usage.name, usage.read_bytes()) if usage is not None and usage.is_file() else None,
        "year": None,
    }
