"""Read a table file (CSV, Excel, Parquet; path or bytes) as text columns, sniffing Swedish formats.

CSV is read by pyarrow's threaded parser, dictionary-encoded (each distinct value kept once) and
streamed in batches when large; the encoding (UTF-8 or the cp1252 that Swedish Excel writes) and
the separator (; tab ,) are sniffed. Nothing is validated here: that is the caller's job.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .catalogue import Num
from .cells import cell_too_long, column_too_long, csv_rows, long_cells, longest
from .errors import InputError, problem, unreadable
from .limits import MAX_COUNT, MAX_FIELD_BYTES, Limits, set_csv_field_limit
from .workbooks import excel_cell, first_sheet

__all__ = ["MISSING_WORDS", "RawTable", "SUPPORTED_SUFFIXES", "Source", "clean_text", "parse_count", "parse_number",
           "read_raw", "read_rows", "sniff_delimiter", "unreadable"]

SUPPORTED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet", ".pq")
BATCH_BYTES = 8 << 20
STREAM_ABOVE_BYTES = 256 << 20

Source = str | Path | bytes
# SCB writes ".." for a missing value; Excel users leave cells empty or write "-".
MISSING_WORDS = frozenset({"", "..", "-", "na", "n/a", "nan", "none", "null", "saknas", "uppgift saknas", "vet ej"})


@dataclass
class RawTable:
    """A file's columns as text, batch by batch, before any validation.

    `batches(text_columns)` yields record batches whose columns are dictionary-encoded text (an
    empty cell is ""), except `text_columns` (respondent codes: nearly all distinct), plain text.
    """

    headers: list[str]
    batches: Callable[..., Iterator[pa.RecordBatch]]
    description: str
    invalid_rows: list[int] = field(default_factory=list)
    locate_invalid: Callable[[], list[int]] | None = None


def _sniff_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"  # what Swedish Excel writes for "CSV (semikolonavgränsad)"


SNIFF_LINES = 50  # lines the separator is judged on


def _width(line: str, delimiter: str) -> int:
    """How many cells one line splits into (1 when the csv module cannot split it: a cell past its limit)."""
    try:
        return len(next(csv.reader([line], delimiter=delimiter)))
    except csv.Error:
        return 1


def sniff_delimiter(lines: list[str]) -> str:
    """The separator most lines agree on: for each of ';', TAB and ',' the number of lines (of the
    first SNIFF_LINES, quotes honoured) that split into the most common width above one column.
    Swedish Excel's ';' with decimal commas ('Kil;34;3,5') wins as its header agrees too, ties go
    to ';' then TAB, a title line above the header is outvoted, and one column gives ','."""
    best, best_score = ",", 0
    for d in (";", "\t", ","):
        widths = [_width(line, d) for line in lines[:SNIFF_LINES] if line.strip()]
        wide = [w for w in widths if w > 1]
        score = max((wide.count(w) for w in set(wide)), default=0)
        if score > best_score:
            best, best_score = d, score
    return best


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        h = h.strip() or "kolumn"
        if h in seen:
            seen[h] += 1
            out.append(f"{h}.{seen[h]}")
        else:
            seen[h] = 0
            out.append(h)
    return out


def _read_csv(data: bytes | Path, name: str) -> RawTable:
    # Small files are checked whole for UTF-8 (a single å late in the file decides cp1252);
    # big streamed files by their first 64 KiB.
    size = data.stat().st_size if isinstance(data, Path) else len(data)
    if isinstance(data, Path):
        with open(data, "rb") as fh:
            sample = fh.read(size if size <= STREAM_ABOVE_BYTES else 1 << 16)
    else:
        sample = data if size <= STREAM_ABOVE_BYTES else data[: 1 << 16]
    if not sample.strip():
        raise unreadable(name, "unreadable.empty")
    if sample[:4] == b"PK\x03\x04":
        raise unreadable(name, "unreadable.excel_wrong_suffix")
    encoding = _sniff_encoding(sample)
    text = sample[: 1 << 16].decode(encoding, errors="replace")
    lines = text.splitlines()
    first_line = lines[0] if lines else ""
    delimiter = sniff_delimiter(lines)
    headers = _unique_headers(next(iter(csv_rows([first_line], delimiter, name)), []))
    invalid: list[int] = []

    def on_invalid(row: Any) -> str:
        invalid.append(int(row.number) if row.number is not None else -1)
        return "skip"

    def locate_invalid() -> list[int]:
        """pyarrow does not always know line numbers; find the bad rows with the csv module."""
        if not invalid or min(invalid) > 0:
            return invalid
        raw = data.read_bytes() if isinstance(data, Path) else data
        set_csv_field_limit()
        reader = csv.reader(io.StringIO(raw.decode(encoding, errors="replace")), delimiter=delimiter)
        try:
            return [reader.line_num for fields in reader if fields and len(fields) != len(headers)]
        except csv.Error:
            raise cell_too_long(name, reader.line_num) from None

    def batches(text_columns: frozenset[str] = frozenset()) -> Iterator[pa.RecordBatch]:
        # Columns other than identifiers come dictionary-encoded straight from the threaded parser.
        types = {h: pa.string() if h in text_columns else pa.dictionary(pa.int32(), pa.string()) for h in headers}
        stream = size > STREAM_ABOVE_BYTES  # big files are streamed so memory stays flat
        source = pa.OSFile(str(data)) if isinstance(data, Path) else pa.BufferReader(data)
        read_options = pacsv.ReadOptions(
            encoding="utf8" if encoding == "utf-8-sig" else encoding, column_names=headers, skip_rows=1,
            block_size=BATCH_BYTES, use_threads=not stream)
        parse_options = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                           invalid_row_handler=on_invalid)
        convert_options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=False)
        if stream:
            yield from pacsv.open_csv(source, read_options, parse_options, convert_options)
        else:
            yield from pacsv.read_csv(source, read_options, parse_options, convert_options).to_batches()

    return RawTable(headers, batches, f"CSV ({encoding}, {SEPARATOR_SHOWN[delimiter]})", invalid, locate_invalid)


SEPARATOR_SHOWN = {";": "';'", "\t": "TAB", ",": "','"}  # the same in every language


def _decoded(column: pa.Array) -> pa.Array:
    """A dictionary column as its plain values (a categorical of numbers or with nulls)."""
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    return column if pa.types.is_string(column.type) else _text_column(column)


def _text_column(column: pa.Array) -> pa.Array:
    """Any Arrow column as text: numbers and dates by Arrow's cast; lists, structs and anything
    else Arrow cannot cast as JSON-like text, so nothing in them goes unseen."""
    if pa.types.is_string(column.type) or _plain_dictionary(column):
        return column
    if pa.types.is_dictionary(column.type):
        return _decoded(column)
    try:
        return pc.cast(column, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return pa.array([None if v is None else json.dumps(v, default=str, ensure_ascii=False)
                         for v in column.to_pylist()], type=pa.string())


def _plain_dictionary(column: pa.Array) -> bool:
    """A dictionary column the readers can use as it is: text values and no null (pandas writes a
    categorical's missing values as null indices, which would index nothing)."""
    return (pa.types.is_dictionary(column.type) and pa.types.is_string(column.type.value_type)
            and column.null_count == 0 and column.dictionary.null_count == 0)


def _encoded(batch: pa.RecordBatch, text_columns: frozenset[str]) -> pa.RecordBatch:
    """Every column but `text_columns` dictionary-encoded, as the CSV reader delivers them: each
    distinct value is then parsed and searched once; an empty cell is "", never null."""
    columns = [c if name in text_columns or _plain_dictionary(c) else
               pc.dictionary_encode(pc.fill_null(_decoded(c), ""))
               for name, c in zip(batch.schema.names, batch.columns)]
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def _read_excel(data: bytes | Path, name: str, limits: Limits) -> RawTable:
    rows = first_sheet(data, name, limits)
    headers = _unique_headers([excel_cell(c) or "" for c in next(rows, ())])
    width = len(headers)

    def batches(text_columns: frozenset[str] = frozenset()) -> Iterator[pa.RecordBatch]:
        chunk: list[tuple[Any, ...]] = []
        blank: list[tuple[Any, ...]] = []  # empty rows count only when a filled one follows
        for row in rows:
            if all(v is None for v in row):
                blank.append(row)
                continue
            chunk.extend(blank)
            blank = []
            chunk.append(row)
            if len(chunk) >= 50_000:
                yield _encoded(_excel_batch(chunk, headers, width), text_columns)
                chunk = []
        if chunk:
            yield _encoded(_excel_batch(chunk, headers, width), text_columns)

    return RawTable(headers, batches, "Excel (.xlsx)")


def _excel_batch(chunk: list[tuple[Any, ...]], headers: list[str], width: int) -> pa.RecordBatch:
    columns = [[excel_cell(row[i]) if i < len(row) else None for row in chunk] for i in range(width)]
    return pa.RecordBatch.from_arrays([pa.array(c, type=pa.string()) for c in columns], names=headers)


def _read_parquet(data: bytes | Path, name: str, limits: Limits) -> RawTable:
    try:
        pf = pq.ParquetFile(str(data) if isinstance(data, Path) else pa.BufferReader(data))
    except Exception:
        raise unreadable(name, "unreadable.not_parquet") from None
    if pf.metadata.num_rows > limits.max_rows:
        raise _too_many_rows(name, limits)
    headers = _unique_headers(pf.schema_arrow.names)

    def batches(text_columns: frozenset[str] = frozenset()) -> Iterator[pa.RecordBatch]:
        for batch in pf.iter_batches(batch_size=500_000):
            text = pa.RecordBatch.from_arrays([_text_column(c) for c in batch.columns], names=headers)
            yield _encoded(text, text_columns)

    return RawTable(headers, batches, "Parquet")


def _too_many_rows(name: str, limits: Limits) -> InputError:
    return InputError([problem("too_many_rows", limit=Num(limits.max_rows), hint="hint_limits")])


def _bounded(table: RawTable, name: str, limits: Limits) -> RawTable:
    """The same table whose batches stop with a clear refusal past the row and cell limits, and
    turn Arrow's parse errors into a message instead of a traceback."""
    if any(len(h.encode("utf-8", errors="replace")) > MAX_FIELD_BYTES for h in table.headers):
        raise cell_too_long(name, 1)
    if len(table.headers) > limits.max_columns:
        raise InputError([problem("too_many_columns", columns=Num(len(table.headers)),
                                  limit=limits.max_columns, hint="hint_limits")])
    inner = table.batches
    width = max(len(table.headers), 1)

    def batches(*args: Any, **kwargs: Any) -> Iterator[pa.RecordBatch]:
        rows = 0
        try:
            for batch in inner(*args, **kwargs):
                rows += batch.num_rows
                if rows > limits.max_rows:
                    raise _too_many_rows(name, limits)
                if rows * width > limits.max_cells:
                    raise InputError([problem("too_many_cells", limit=Num(limits.max_cells),
                                              hint="hint_limits")])
                for header, column in zip(batch.schema.names, batch.columns):
                    if longest(column) > MAX_FIELD_BYTES:  # rows as the file numbers them (header = 1)
                        raise column_too_long(header, [rows - batch.num_rows + i + 2 for i in long_cells(column)])
                yield batch
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, UnicodeDecodeError) as exc:
            raise unreadable(name, "unreadable.format", detail=type(exc).__name__) from None

    table.batches = batches
    return table


def _checked(source: Source, filename: str | None, limits: Limits) -> tuple[bytes | Path, str]:
    """The file (a regular file, or bytes) and its name, refused when missing or too large."""
    data: bytes | Path = source if isinstance(source, bytes) else Path(source)
    name = filename or (data.name if isinstance(data, Path) else "filen")
    try:
        if isinstance(data, Path) and not data.exists():
            raise unreadable(name, "unreadable.missing")
        if isinstance(data, Path) and not data.is_file():
            raise unreadable(name, "unreadable.not_a_file")
        size = data.stat().st_size if isinstance(data, Path) else len(data)
    except OSError as exc:
        raise unreadable(name, "unreadable.os", detail=exc.strerror or type(exc).__name__) from None
    if size > limits.max_file_bytes:
        raise InputError([problem("table_too_large", size=Num(size / (1 << 20)),
                                  limit=limits.max_file_mb, hint="hint_limits")])
    return data, name


def read_raw(source: Source, filename: str | None = None, *, limits: Limits | None = None) -> RawTable:
    """Open a CSV, Excel or Parquet file (path or bytes) as text columns, sniffing its format.

    Refused with a message (InputError) when it is not a readable file or exceeds `limits`
    (`Limits.from_env()` by default): file size at once, columns from the header, rows and cells
    as the batches are read, an .xlsx by its unpacked size before it is parsed.
    """
    limits = limits or Limits.from_env()
    data, name = _checked(source, filename, limits)
    try:
        suffix = Path(name).suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            table = _read_excel(data, name, limits)
        elif suffix in (".parquet", ".pq"):
            table = _read_parquet(data, name, limits)
        elif suffix == ".xls":
            raise unreadable(name, "unreadable.xls")
        else:
            table = _read_csv(data, name)
    except OSError as exc:
        raise unreadable(name, "unreadable.os", detail=exc.strerror or type(exc).__name__) from None
    return _bounded(table, name, limits)


def clean_text(value: str) -> str:
    return value.replace("\u00a0", " ").strip()


def parse_number(value: str) -> float | None:
    """A finite number as Swedish files write it ('1 234', '3,5' or '3.5'), or None when it is not
    one ('inf', 'nan' and 1e999 are not numbers a file means)."""
    text = clean_text(value).replace(" ", "")
    if len(text) > 64:  # no figure in a table is written with more characters
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_count(value: str, limit: float = MAX_COUNT) -> float | None:
    """A count of people, households or uses: a number from 0 to `limit` (common.limits.MAX_COUNT),
    else None — 1e308 or 5 704 289 999 is a mistake, not a count to sum."""
    number = parse_number(value)
    return number if number is not None and 0 <= number <= limit else None


MAX_GRID_ROWS = 1_000_000  # a statistics export of every municipality × single-year age × sex has ~60,000


def read_rows(source: Source, filename: str | None = None) -> tuple[list[list[str]], str]:
    """Every row of a small CSV or Excel file as text, blank rows kept so that row i is the file's
    row i + 1 — for exports whose header is not the first row (statistics tables with a title
    line, footnotes). Encoding and separator are sniffed as in `read_raw`."""
    limits = Limits.from_env()
    data, name = _checked(source, filename, limits)
    suffix = Path(name).suffix.lower()
    if suffix == ".xls":
        raise unreadable(name, "unreadable.xls")
    if suffix in (".xlsx", ".xlsm"):
        rows = [["" if v is None else str(v) for v in row]
                for _, row in zip(range(MAX_GRID_ROWS), first_sheet(data, name, limits))]
        return rows, "Excel (.xlsx)"
    try:
        raw = data.read_bytes() if isinstance(data, Path) else data
    except OSError as exc:
        raise unreadable(name, "unreadable.os", detail=exc.strerror or type(exc).__name__) from None
    if not raw.strip():
        raise unreadable(name, "unreadable.empty")
    if raw[:4] == b"PK\x03\x04":
        raise unreadable(name, "unreadable.excel_wrong_suffix")
    encoding = _sniff_encoding(raw)
    text = raw.decode(encoding, errors="replace")
    lines = text.splitlines()[:MAX_GRID_ROWS]
    delimiter = sniff_delimiter(lines)
    rows = csv_rows(lines, delimiter, name)
    return rows, f"CSV ({encoding.replace('-sig', '')}, {SEPARATOR_SHOWN[delimiter]})"
