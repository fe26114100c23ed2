"""How big a table from a user may be, so that a hostile or mistaken file is refused in a second
instead of filling the memory for minutes.

Defaults suit a municipality's survey or register extract with room to spare (the whole of
Sweden, one row per person, fits); each can be changed with an environment variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["Limits"]

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
