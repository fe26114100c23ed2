"""Every CSV and XLSX file the project writes is made here, so that no cell can become a formula.

Names in our files come from users and from other municipalities' kits: a segment renamed to
`=HYPERLINK("http://evil.example","x")` must reach Excel as text. Following OWASP's CSV-injection
guidance, text that begins with `= + - @`, TAB, CR or LF gets a leading `'` (spreadsheet programs
show such a cell as text), while real numbers and dates stay numbers and dates. A CR inside text
becomes LF: pandas and the csv module quote a field holding the line terminator but leave a bare CR
unquoted when lines end in LF, so `Kinda\r=HYPERLINK(…)` would otherwise open as two rows, the
second a live formula. In xlsx files every text
cell is written as a string cell (openpyxl would otherwise store `=…` as a formula), characters
xlsx cannot hold are dropped, and sheet titles are made legal and unique.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import numbers
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from babel.numbers import get_decimal_symbol
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from .catalogue import locale_for

__all__ = ["FORMULA_START", "add_sheet", "append_row", "arrow_csv", "csv_bytes", "csv_text", "decimal_sign",
           "frame_csv", "safe_cell", "semicolon_csv", "safe_text", "sheet_title", "workbook", "xlsx_bytes"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
_NUMBER_REGEX = r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$"
MAX_XLSX_TEXT = 32_767  # Excel's limit for one cell
MAX_TITLE = 31  # Excel's limit for a sheet title


def safe_text(text: str) -> str:
    """Text a spreadsheet program shows as text: `'=1+1` for `=1+1`; `-12,5` (a number) unchanged;
    every CR (and CRLF) as LF, which every writer quotes."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text and text[0] in FORMULA_START and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_cell(value: Any) -> Any:
    """A value for a CSV cell: numbers, booleans and dates as they are, anything else as safe text."""
    if value is None:
        return ""
    if isinstance(value, (numbers.Real, dt.date)):  # numpy numbers too
        return value
    return safe_text(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ",",
             quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL) -> str:
    """CSV text (CRLF line ends, as Excel writes them) with every cell made safe; `quoting` as in
    the csv module (QUOTE_NONNUMERIC quotes all text and leaves numbers bare, as PX-Web does)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=quoting)
    writer.writerow([safe_cell(c) for c in header])
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    return buf.getvalue()


def semicolon_csv(lang: str) -> bool:
    """Excel separates CSV fields with ';' where the language writes decimals with a comma (sv)."""
    return decimal_sign(lang) == ","


def decimal_sign(lang: str) -> str:
    return get_decimal_symbol(locale_for(lang))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, swedish_excel: bool = False) -> bytes:
    """UTF-8 CSV; `swedish_excel` gives semicolons and a byte-order mark, so a double-click opens it
    in columns in Swedish Excel."""
    if swedish_excel:
        return csv_text(header, rows, delimiter=";").encode("utf-8-sig")
    return csv_text(header, rows).encode("utf-8")


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [safe_cell(c) for c in out.columns]
    for col in out.columns:
        series = out[col]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series)):
            out[col] = series.map(safe_cell, na_action="ignore")
    return out


def frame_csv(frame: pd.DataFrame, target: str | Path | IO[str] | None = None, *, sep: str = ",",
              encoding: str = "utf-8", decimal: str = ".", lineterminator: str = "\r\n") -> bytes | None:
    """A pandas frame as safe CSV: bytes, or written to `target` (a path or an open text file)."""
    safe = _safe_frame(frame)
    if target is None:
        return safe.to_csv(index=False, sep=sep, decimal=decimal, lineterminator=lineterminator).encode(encoding)
    safe.to_csv(target, index=False, sep=sep, decimal=decimal, encoding=encoding, lineterminator=lineterminator)
    return None


def _first_bytes(array: pa.Array) -> np.ndarray:
    """The first byte of every string, straight from Arrow's buffers (0 for empty and null)."""
    kind = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=kind)[array.offset: array.offset + len(array) + 1]
    data = array.buffers()[2]
    first = np.zeros(len(array), dtype=np.uint8)
    if data is None or len(array) == 0:
        return first
    nonempty = np.diff(offsets) > 0
    first[nonempty] = np.frombuffer(data, dtype=np.uint8)[offsets[:-1][nonempty]]
    return first


_FORMULA_BYTES = np.array([ord(c) for c in FORMULA_START], dtype=np.uint8)


def _safe_arrow_column(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Vectorised safe_text for a text column: a first-byte test over every row (numpy, on Arrow's
    buffers); the number check and the quoting only for rows that begin like a formula. For a
    dictionary column only the dictionary is made safe."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_dictionary(column.type):
        return pa.DictionaryArray.from_arrays(column.indices, _safe_arrow_column(column.dictionary))
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column
    if pc.any(pc.match_substring(column, "\r")).as_py():
        column = pc.replace_substring(pc.replace_substring(column, "\r\n", "\n"), "\r", "\n")
    candidates = np.flatnonzero(np.isin(_first_bytes(column), _FORMULA_BYTES))
    if len(candidates) == 0:
        return column
    sub = pc.take(column, pa.array(candidates))
    numeric = pc.fill_null(pc.match_substring_regex(sub, _NUMBER_REGEX), False).to_numpy(zero_copy_only=False)
    risky = candidates[~numeric]
    if len(risky) == 0:
        return column
    mask = np.zeros(len(column), dtype=bool)
    mask[risky] = True
    quote, empty = pa.scalar("'", column.type), pa.scalar("", column.type)
    quoted = pc.binary_join_element_wise(quote, pc.take(column, pa.array(risky)), empty)
    return pc.replace_with_mask(column, pa.array(mask), quoted)


def arrow_csv(table: pa.Table, target: str | Path | IO[bytes], *, quoting: str = "needed") -> None:
    """A pyarrow table as safe CSV (the fast path for per-row files such as assignments)."""
    safe = pa.table({safe_text(name): _safe_arrow_column(table.column(name)) for name in table.column_names})
    pacsv.write_csv(safe, target, pacsv.WriteOptions(quoting_style=quoting))


# ---------------------------------------------------------------- xlsx


def workbook(*, streaming: bool = False) -> Workbook:
    """An empty workbook (its first sheet removed: `add_sheet` makes every sheet). `streaming`
    gives openpyxl's write-only mode: rows go to disk as they are added (constant memory, no
    look-ups over the sheet), for sheets of tens of thousands of rows; such a sheet is written
    once, top to bottom."""
    if streaming:
        return Workbook(write_only=True)
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """A legal, unique sheet title: no `[ ] : * ? / \\`, no leading/trailing `'`, at most 31
    characters, ' (2)', ' (3)' … added when another sheet already has it (Excel ignores case)."""
    clean = ILLEGAL_CHARACTERS_RE.sub("", " ".join(str(name).split()))
    clean = re.sub(r"[\[\]:*?/\\]", "-", clean).strip("'").strip() or "Blad"
    used = {t.lower() for t in taken}
    title, n = clean[:MAX_TITLE], 1
    while title.lower() in used:
        n += 1
        suffix = f" ({n})"
        title = clean[: MAX_TITLE - len(suffix)] + suffix
    return title


def _xlsx_value(value: Any) -> Any:
    if value is None or isinstance(value, (numbers.Real, dt.date)):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_XLSX_TEXT]


CellStyle = Callable[[Cell], None]


def _cell(ws: Any, column: int, value: Any, style: CellStyle | None) -> Cell:
    cell = Cell(ws, row=1, column=column, value=_xlsx_value(value))  # the sheet sets the row
    if cell.data_type == "f":  # text that begins with '=' stays text
        cell.data_type = "s"
    if style is not None:
        style(cell)
    return cell


def append_row(ws: Worksheet | WriteOnlyWorksheet, values: Sequence[Any], style: CellStyle | None = None) -> None:
    """One row; text is always a string cell, never a formula, whatever it begins with. The cells
    are made here (not looked up after appending: `max_row` walks the whole sheet, which made
    writing a sheet quadratic); `style`, when given, formats each cell of the row."""
    ws.append([_cell(ws, i, v, style) for i, v in enumerate(values, start=1)])


def add_sheet(wb: Workbook, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
              header_style: CellStyle | None = None, row_style: CellStyle | None = None,
              prepare: Callable[[Any], None] | None = None) -> Any:
    """A new sheet with a safe, unique title, the header row and the rows (all written safely).
    In a streaming workbook `prepare(ws)` sets the sheet's layout (widths, panes, filter, page
    setup) before the first row, since a write-only sheet cannot be changed afterwards."""
    ws = wb.create_sheet(sheet_title(name, wb.sheetnames))
    if prepare is not None:
        prepare(ws)
    append_row(ws, header, header_style)
    for row in rows:
        append_row(ws, row, row_style)
    return ws


def xlsx_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
