"""How big a table from a user may be, so that a hostile or mistaken file is refused in a second
instead of filling the memory for minutes.

Defaults suit a municipality's survey or register extract with room to spare (the whole of
Sweden, one row per person, fits); each can be changed with an environment variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["MAX_COUNT", "MAX_FIELD_BYTES", "MAX_POPULATION", "MAX_YAML_NUMBER", "Limits", "set_csv_field_limit"]

# Numbers a user's file may hold. Nothing the product counts (inhabitants, households, uses of an
# e-service in a month) comes near ten times Sweden's population; a larger figure is a mistake (or
# an identity number in the wrong column) and is refused with its row, never summed.
MAX_COUNT = 100_000_000
MAX_POPULATION = 11_000_000  # one municipality, or one region's members together: Sweden has 10.6 million
# A number in a YAML file (budgets, hours, shares, weights): a 5,000-digit integer or 1e308 is a mistake,
# not a budget; 10^15 is far above any kronor, hours or counts the files hold.
MAX_YAML_NUMBER = 10**15
# One cell of a CSV (or an Excel or Parquet cell): Excel holds 32,767 characters per cell; a cell of
# a megabyte is not data a plan needs. The csv module is set to the same limit (its default, 128 KiB,
# raised a bare _csv.Error).
MAX_FIELD_BYTES = 1 << 20

_ENV = {
    "max_file_mb": "KAMPANJ_MAX_FILE_MB",
    "max_rows": "KAMPANJ_MAX_ROWS",
    "max_cells": "KAMPANJ_MAX_CELLS",
    "max_columns": "KAMPANJ_MAX_COLUMNS",
    "max_xlsx_mb": "KAMPANJ_MAX_XLSX_MB",
}


@dataclass(frozen=True)
class Limits:
    """Bounds on one table file; `Limits.from_env()` reads overrides from the environment."""

    max_file_mb: int = 2048  # bytes on disk (CSV, Parquet, the .xlsx archive itself)
    max_rows: int = 20_000_000  # data rows
    max_cells: int = 250_000_000  # rows × columns
    max_columns: int = 500
    max_xlsx_mb: int = 50  # an .xlsx unpacked (its XML), checked before any parsing: ~80,000 rows × 12 columns

    @classmethod
    def from_env(cls) -> Limits:
        values = {}
        for name, var in _ENV.items():
            text = os.environ.get(var, "").strip()
            if text.isdigit() and int(text) > 0:
                values[name] = int(text)
        return cls(**values)

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb << 20

    @property
    def max_xlsx_bytes(self) -> int:
        return self.max_xlsx_mb << 20


def set_csv_field_limit() -> int:
    """The csv module's field size limit set to MAX_FIELD_BYTES (it is process-wide; every reader
    calls this before it parses, so the limit is the same whoever set it first)."""
    import csv

    csv.field_size_limit(MAX_FIELD_BYTES)
    return MAX_FIELD_BYTES
