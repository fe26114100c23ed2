"""One cell's size, checked the same way by every table reader: the csv module's field size limit
set from common.limits (its own default, 128 KiB, raised a bare _csv.Error), and the longest cell of
an Arrow column, so that a CSV, Excel or Parquet cell over MAX_FIELD_BYTES is refused with its row.
"""

from __future__ import annotations

import csv

import pyarrow as pa
import pyarrow.compute as pc

from .catalogue import Raw
from .errors import InputError, problem
from .limits import MAX_FIELD_BYTES, set_csv_field_limit

__all__ = ["cell_too_long", "column_too_long", "csv_rows", "long_cells", "longest"]


def longest(column: pa.Array) -> int:
    """The longest cell of a text column in bytes (a dictionary column: its distinct values only)."""
    values = column.dictionary if pa.types.is_dictionary(column.type) else column
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)) or len(values) == 0:
        return 0
    size = pc.max(pc.binary_length(values)).as_py()
    return int(size or 0)


def long_cells(column: pa.Array) -> list[int]:
    """Positions of the cells longer than MAX_FIELD_BYTES."""
    values = column.dictionary_decode() if pa.types.is_dictionary(column.type) else column
    mask = pc.fill_null(pc.greater(pc.binary_length(values), MAX_FIELD_BYTES), False)
    return [int(i) for i in pc.indices_nonzero(mask).to_pylist()]


def column_too_long(header: str, rows: list[int]) -> InputError:
    return InputError([problem("cell_too_long_in_column", column=header, rows=rows, header=Raw(header),
                               limit=MAX_FIELD_BYTES // 1024, hint="hint_limits")])


def cell_too_long(name: str, line: int) -> InputError:
    return InputError([problem("cell_too_long", rows=[line], limit=MAX_FIELD_BYTES // 1024,
                               hint="hint_limits")])


def csv_rows(lines: list[str], delimiter: str, name: str, first: int = 1) -> list[list[str]]:
    """Lines parsed by the csv module within the one field size limit (common.limits); a longer
    cell is refused with its row number (`first` numbers the first line) instead of a bare _csv.Error."""
    set_csv_field_limit()
    rows: list[list[str]] = []
    try:
        rows.extend(list(r) for r in csv.reader(lines, delimiter=delimiter))
    except csv.Error:
        raise cell_too_long(name, first + len(rows)) from None
    return rows


