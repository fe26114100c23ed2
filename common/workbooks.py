"""Excel workbooks (.xlsx) from users: sized up before they are opened, then streamed.

An .xlsx is a zip archive; a few hundred kilobytes can unpack to gigabytes of sheet XML (3M
rows from 718 KB). The archive's directory says how big each part unpacks to, so the workbook
is refused from that alone — in milliseconds — before openpyxl parses anything.

The unpacked size does not bound what the rows hold: a cell refers to a shared string by number,
so one 32,000-character string referred to by 100,000 rows is 46 KB packed and 3.2 GB once each
row holds its own copy (in an Arrow column, a CSV, a frame). The rows are therefore streamed
(openpyxl's read-only mode keeps each shared string once) and the text they carry is counted as
it is read: past `limits.max_xlsx_mb` of cell text, or one cell past MAX_FIELD_BYTES, the workbook
is refused — so memory stays bounded by the limits whatever the archive says.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl

from .catalogue import Num
from .errors import InputError, problem, unreadable
from .limits import MAX_FIELD_BYTES, Limits

__all__ = ["excel_cell", "first_sheet"]


def first_sheet(data: bytes | Path, name: str, limits: Limits) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows (header first) as cell values, streamed in read-only mode;
    InputError when the workbook unpacks to more than `limits.max_xlsx_mb` or is damaged."""
    handle = data if isinstance(data, Path) else io.BytesIO(data)
    try:
        with zipfile.ZipFile(handle) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise unreadable(name, "unreadable.not_excel") from None
    if unpacked > limits.max_xlsx_bytes:
        raise InputError([problem("xlsx_too_large", size=Num(unpacked / (1 << 20)),
                                  limit=limits.max_xlsx_mb, hint="hint_save_csv")])
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        first = next(rows, ())
    except Exception:  # openpyxl raises many types for a damaged file
        raise unreadable(name, "unreadable.not_excel") from None
    return _chain(first, rows, name, limits)


def _text_size(row: tuple[Any, ...], name: str, number: int) -> int:
    """Characters of text in one row; a cell longer than MAX_FIELD_BYTES is refused at once."""
    size = 0
    for value in row:
        if isinstance(value, str):
            if len(value) > MAX_FIELD_BYTES:
                raise InputError([problem("cell_too_long", rows=[number],
                                          limit=MAX_FIELD_BYTES // 1024, hint="hint_limits")])
            size += len(value)
    return size


def _chain(first: tuple[Any, ...], rows: Iterator[tuple[Any, ...]], name: str, limits: Limits
           ) -> Iterator[tuple[Any, ...]]:
    total = _text_size(first, name, 1)
    yield first
    number = 1
    try:
        for row in rows:
            number += 1
            total += _text_size(row, name, number)
            if total > limits.max_xlsx_bytes:
                raise InputError([problem("xlsx_text_too_large", rows=[number],
                                          limit=limits.max_xlsx_mb, hint="hint_save_csv")])
            yield row
    except InputError:
        raise
    except Exception:  # a sheet can be damaged past its first row
        raise unreadable(name, "unreadable.not_excel") from None


def excel_cell(value: object) -> str | None:
    """A cell as text: numbers as Python writes them (`34`, `36.55`, `191212121212`), empty as None."""
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)
