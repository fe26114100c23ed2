"""Write the weighted population, and carry the word "estimated" along with it.

The rows go to Parquet (or CSV) in the citizen schema, so `segments fit` and the app read them as
any citizen file. Parquet keeps the provenance in its metadata; a segment set fitted from such a
file gets it too, and every profile view can then say that habits are estimated from national
rates, not measured in the municipality.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from common.catalogue import ListOf, Msg, Raw
from common.spreadsheet import frame_csv
from segments.segmentset import SegmentSet

from .population import StatisticsPopulation

__all__ = ["METADATA_KEY", "STATISTICS_DRIVERS", "citizens_bytes", "describe_only",
           "estimated_note", "mark_estimated", "read_provenance",
           "write_citizens"]

METADATA_KEY = b"kampanj.provenance"
# On rows built from statistics the habits vary by age band only (the habit tables have no sex or
# household dimension), so only these columns may split segments; the others describe them.
STATISTICS_DRIVERS = ("age", "internet_use", "has_bankid", "uses_facebook", "prefers_paper", "eservice_uses_12m")
DESCRIBED_ONLY = ("sex", "household", "occupation")


def describe_only(provenance: dict[str, Any] | None) -> tuple[str, ...]:
    """Columns that may describe but not split segments, given where the rows came from."""
    return DESCRIBED_ONLY if provenance and provenance.get("kind") == "statistics" else ()


def _arrow(population: StatisticsPopulation) -> pa.Table:
    table = pa.Table.from_pandas(population.table, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[METADATA_KEY] = json.dumps(population.provenance, ensure_ascii=False).encode("utf-8")
    return table.replace_schema_metadata(meta)


def citizens_bytes(population: StatisticsPopulation) -> bytes:
    """The rows as a Parquet file in memory (what the app hands to `load_citizens`)."""
    buf = io.BytesIO()
    pq.write_table(_arrow(population), buf)
    return buf.getvalue()


def write_citizens(population: StatisticsPopulation, path: str | Path, *, as_csv: bool | None = None) -> None:
    """Parquet (provenance kept in its metadata) or, for a .csv name (or `as_csv`), UTF-8 CSV, into
    `path` as it is (a command stages it with `common.outputs.output_files`, all or nothing)."""
    if as_csv is None:
        as_csv = Path(path).suffix.lower() == ".csv"
    if as_csv:
        frame_csv(population.table, path, encoding="utf-8", lineterminator="\n")
    else:
        pq.write_table(_arrow(population), str(path))


def read_provenance(path: str | Path) -> dict[str, Any] | None:
    """The provenance a Parquet file written here carries; None for any other file."""
    p = Path(path)
    if p.suffix.lower() not in (".parquet", ".pq") or not p.is_file():
        return None
    try:
        meta = pq.read_schema(p).metadata or {}
        value = json.loads(meta[METADATA_KEY].decode("utf-8")) if METADATA_KEY in meta else None
    except (OSError, ValueError, pa.ArrowInvalid):
        return None
    return value if isinstance(value, dict) else None


def mark_estimated(segment_set: SegmentSet, provenance: dict[str, Any] | None) -> SegmentSet:
    """The segment set, saying where its rows came from."""
    if not provenance:
        return segment_set
    return segment_set.model_copy(update={"provenance": dict(provenance)})


def estimated_note(provenance: dict[str, Any] | None) -> Msg | None:
    """The plain sentence every profile view shows for segments built from statistics."""
    if not provenance or provenance.get("kind") != "statistics":
        return None
    habits = provenance.get("habits", {})
    source = " ".join(str(habits.get("source", "")).split())[:120]  # the officer's own citation, not citizen data
    calibrated = provenance.get("calibrated") or []
    if calibrated:
        return Msg("statistics.profile_estimated_calibrated", source=source, n=len(calibrated),
                   municipalities=ListOf(tuple(Raw(m) for m in calibrated)))
    return Msg("statistics.profile_estimated", source=source)
