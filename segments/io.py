"""Read citizen data files: sniff Swedish formats, validate, refuse personal identifiers.

The reader streams CSV and Parquet in batches and turns every column into a compact typed array
by parsing each *distinct* value once (a column of a million ages has about a hundred distinct
strings), so large files stay fast and small in memory. Nothing is written anywhere.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .errors import InputError, Notice, Problem
from .municipalities import municipality_label
from .pii import KIND_EN, KIND_SV, PersonalColumn, personal_column_reason, scan_column
from .schema import (
    CATEGORICAL_FIELDS,
    FALSE_WORDS,
    FIELD_BY_NAME,
    MISSING_WORDS,
    TRUE_WORDS,
    canonical_name,
    category_lookup,
    category_values,
    schema_help,
)

__all__ = ["LoadResult", "load_citizens", "parse_number", "read_raw", "RawTable", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet", ".pq")
BATCH_BYTES = 8 << 20
STREAM_ABOVE_BYTES = 256 << 20
MAX_EXTRA_LEVELS = 30
_BAD = object()

Source = str | Path | bytes


@dataclass
class RawTable:
    """A file's columns as text, batch by batch, before any validation."""

    headers: list[str]
    batches: Callable[..., Iterator[pa.RecordBatch]]
    description: str
    invalid_rows: list[int] = field(default_factory=list)
    locate_invalid: Callable[[], list[int]] | None = None


@dataclass(frozen=True)
class LoadResult:
    """A validated citizen table plus what the user should be told about it."""

    table: pd.DataFrame
    notices: tuple[Notice, ...]
    description: str
    dropped_personal_columns: tuple[str, ...] = ()


# ---------------------------------------------------------------- reading


def _unreadable(name: str, detail_sv: str, detail_en: str) -> InputError:
    return InputError([Problem(
        "unreadable",
        f"Filen {name} kunde inte läsas: {detail_sv}.",
        f"The file {name} could not be read: {detail_en}.",
        hint_sv="Spara den som CSV (semikolonavgränsad), Excel (.xlsx) eller Parquet och försök igen.",
        hint_en="Save it as CSV (comma or semicolon separated), Excel (.xlsx) or Parquet and try again.",
    )])


def _sniff_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"  # what Swedish Excel writes for "CSV (semikolonavgränsad)"


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", "\t", ",")}
    best = max(counts.values())
    if best == 0:
        return ","
    return next(d for d in (";", "\t", ",") if counts[d] == best)


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
        raise _unreadable(name, "den är tom", "it is empty")
    if sample[:4] == b"PK\x03\x04":
        raise _unreadable(name, "den är en Excel-fil men har fel filändelse",
                          "it is an Excel file with the wrong extension")
    encoding = _sniff_encoding(sample)
    text = sample[: 1 << 16].decode(encoding, errors="replace")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = _sniff_delimiter(first_line)
    headers = _unique_headers(next(csv.reader([first_line], delimiter=delimiter)))
    invalid: list[int] = []

    def on_invalid(row: Any) -> str:
        invalid.append(int(row.number) if row.number is not None else -1)
        return "skip"

    def locate_invalid() -> list[int]:
        """pyarrow does not always know line numbers; find the bad rows with the csv module."""
        if not invalid or min(invalid) > 0:
            return invalid
        raw = data.read_bytes() if isinstance(data, Path) else data
        reader = csv.reader(io.StringIO(raw.decode(encoding, errors="replace")), delimiter=delimiter)
        return [reader.line_num for fields in reader if fields and len(fields) != len(headers)]

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

    sep_name = {";": "semikolon", "\t": "tabb", ",": "komma"}[delimiter]
    return RawTable(headers, batches, f"CSV ({encoding}, {sep_name})", invalid, locate_invalid)


def _frame_to_batch(df: pd.DataFrame, headers: list[str]) -> pa.RecordBatch:
    arrays = []
    for col in df.columns:
        values = [None if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v)
                  for v in df[col].tolist()]
        arrays.append(pa.array(values, type=pa.string()))
    return pa.RecordBatch.from_arrays(arrays, names=headers)


def _read_excel(data: bytes | Path, name: str) -> RawTable:
    try:
        df = pd.read_excel(data if isinstance(data, Path) else io.BytesIO(data),
                           sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _unreadable(name, f"den är inte en giltig Excel-fil ({type(exc).__name__})",
                          f"it is not a valid Excel file ({type(exc).__name__})") from None
    df = df.dropna(how="all")
    headers = _unique_headers([str(c) for c in df.columns])
    batch = _frame_to_batch(df, headers)
    return RawTable(headers, lambda *_: iter([batch]), "Excel (.xlsx)")


def _read_parquet(data: bytes | Path, name: str) -> RawTable:
    try:
        pf = pq.ParquetFile(str(data) if isinstance(data, Path) else pa.BufferReader(data))
    except Exception:
        raise _unreadable(name, "den är inte en giltig Parquet-fil",
                          "it is not a valid Parquet file") from None
    headers = _unique_headers(pf.schema_arrow.names)

    def batches(*_: object) -> Iterator[pa.RecordBatch]:
        for batch in pf.iter_batches(batch_size=500_000):
            cols = [pc.cast(c, pa.string()) for c in batch.columns]
            yield pa.RecordBatch.from_arrays(cols, names=headers)

    return RawTable(headers, batches, "Parquet")


def read_raw(source: Source, filename: str | None = None) -> RawTable:
    """Open a CSV, Excel or Parquet file (path or bytes) as text columns, sniffing its format."""
    data: bytes | Path = source if isinstance(source, bytes) else Path(source)
    name = filename or (data.name if isinstance(data, Path) else "filen")
    if isinstance(data, Path) and not data.exists():
        raise _unreadable(name, "filen finns inte", "the file does not exist")
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(data, name)
    if suffix in (".parquet", ".pq"):
        return _read_parquet(data, name)
    if suffix == ".xls":
        raise _unreadable(name, "det gamla Excel-formatet .xls stöds inte",
                          "the old Excel format .xls is not supported")
    return _read_csv(data, name)


# ---------------------------------------------------------------- parsing values


def _clean(value: str) -> str:
    return value.replace("\u00a0", " ").strip()


def _is_missing(value: str) -> bool:
    return _clean(value).lower() in MISSING_WORDS


def parse_number(value: str) -> float | None:
    """A number as Swedish files write it ('1 234', '3,5' or '3.5'), or None when it is not one."""
    text = _clean(value).replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma
    try:
        return float(text)
    except ValueError:
        return None


def _parse_age(value: str) -> float | object:
    if _is_missing(value):
        return np.nan
    n = parse_number(value)
    if n is None or not n.is_integer() or not 0 <= n <= 120:
        return _BAD
    return n


_BAND = re.compile(r"^\s*(\d{1,3})\s*(?:[-–]\s*(\d{1,3})?|\+)\s*(?:år)?\s*$")


def _parse_age_band(value: str) -> float | object:
    """Midpoint of an age band: '65-79' -> 72, '80+' -> 85."""
    if _is_missing(value):
        return np.nan
    m = _BAND.match(value)
    if not m:
        return _BAD
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) else low + 10
    if high < low or high > 120:
        return _BAD
    return float((low + high) // 2)


def _parse_bool(value: str) -> float | object:
    text = _clean(value).lower()
    if text in MISSING_WORDS:
        return np.nan
    if text in TRUE_WORDS:
        return 1.0
    if text in FALSE_WORDS:
        return 0.0
    return _BAD


def _parse_count(value: str) -> float | object:
    if _is_missing(value):
        return np.nan
    n = parse_number(value)
    if n is None or n < 0:
        return _BAD
    return n


def _parse_weight(value: str) -> float | object:
    if _is_missing(value):
        return 1.0
    n = parse_number(value)
    if n is None or not n > 0 or not np.isfinite(n):
        return _BAD
    return n


def _parse_municipality(value: str) -> str | object:
    if _is_missing(value):
        return _BAD
    return municipality_label(_clean(value))


def _category_parser(field_name: str) -> Callable[[str], Any]:
    lookup = category_lookup(field_name)

    def parse(value: str) -> Any:
        text = re.sub(r"\s+", " ", _clean(value).lower())
        if text in MISSING_WORDS:
            return None
        return lookup.get(text, _BAD)

    return parse


def _parse_text(value: str) -> str | None:
    return None if _is_missing(value) else _clean(value)


@dataclass
class _Column:
    """Accumulates one output column across batches, with the rows that failed to parse.

    Kinds: "float" (numbers, NaN for missing), "category" (integer codes into `categories`,
    -1 for missing) and "id" (text kept as Arrow strings, never parsed value by value).
    """

    name: str
    parse: Callable[[str], Any]
    kind: str
    categories: dict[str, int] = field(default_factory=dict)
    parts: list[Any] = field(default_factory=list)
    bad_rows: list[int] = field(default_factory=list)
    bad_count: int = 0
    bad_values: list[str] = field(default_factory=list)

    def add(self, encoded: pa.DictionaryArray, raw: pa.Array, row_offset: int) -> None:
        if self.kind == "id":
            self.parts.append(pc.utf8_trim_whitespace(raw))
            return
        dictionary = encoded.dictionary.to_pylist()
        parsed = [self.parse(v) for v in dictionary]
        bad = np.array([p is _BAD for p in parsed], dtype=bool)
        if self.kind == "float":
            lut = np.array([np.nan if p is _BAD else p for p in parsed], dtype=np.float64)
        else:
            codes = []
            for p in parsed:
                if p is _BAD or p is None:
                    codes.append(-1)
                else:
                    codes.append(self.categories.setdefault(p, len(self.categories)))
            lut = np.array(codes, dtype=np.int32)
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        self.parts.append(lut[indices])
        if bad.any():
            rows = np.flatnonzero(bad[indices])
            self.bad_count += len(rows)
            if len(self.bad_rows) < 5:
                self.bad_rows.extend(int(r) + row_offset for r in rows[: 5 - len(self.bad_rows)])
            for i in np.flatnonzero(bad):
                if len(self.bad_values) < 3 and dictionary[i] not in self.bad_values:
                    self.bad_values.append(dictionary[i])

    def values(self) -> Any:
        if self.kind == "id":
            return pa.chunked_array(self.parts, type=pa.string())
        if not self.parts:
            return np.array([], dtype=np.float64 if self.kind == "float" else np.int32)
        return np.concatenate(self.parts)

    def categorical(self, fixed: tuple[str, ...] = ()) -> pd.Categorical:
        """Codes as a pandas Categorical: the schema's order for fixed fields, else sorted."""
        names = list(self.categories)
        order = list(fixed) if fixed else sorted(names)
        position = {c: i for i, c in enumerate(order)}
        remap = np.array([position[c] for c in names] + [-1], dtype=np.int32)
        codes = np.asarray(remap[self.values()], dtype=np.int32)
        return pd.Categorical.from_codes(codes, categories=order)  # type: ignore[call-overload]


_PARSERS: dict[str, tuple[Callable[[str], Any], str]] = {
    "respondent_id": (_parse_text, "id"),
    "municipality": (_parse_municipality, "category"),
    "age": (_parse_age, "float"),
    "age_band": (_parse_age_band, "float"),
    "has_bankid": (_parse_bool, "float"),
    "uses_facebook": (_parse_bool, "float"),
    "prefers_paper": (_parse_bool, "float"),
    "eservice_uses_12m": (_parse_count, "float"),
    "weight": (_parse_weight, "float"),
}


def _value_problem(col: _Column, header: str) -> Problem:
    f = FIELD_BY_NAME.get(col.name)
    examples = ", ".join(repr(v) for v in col.bad_values)
    if col.name == "municipality":
        return Problem("missing_value", f"Kolumnen '{header}' saknar kommun.",
                       f"Column '{header}' has no municipality.", header,
                       tuple(col.bad_rows), col.bad_count,
                       "Fyll i kommunnamn eller kommunkod på alla rader.",
                       "Fill in a municipality name or code on every row.")
    expected_sv = f.description_sv if f else "ett värde"
    expected_en = f.description_en if f else "a value"
    return Problem(
        "bad_value",
        f"Kolumnen '{header}' har värden som inte går att tolka ({examples}); väntat: {expected_sv}.",
        f"Column '{header}' has values that cannot be read ({examples}); expected: {expected_en}.",
        header, tuple(col.bad_rows), col.bad_count,
        "Rätta eller töm cellerna och läs in filen igen.",
        "Correct or empty those cells and load the file again.",
    )


# ---------------------------------------------------------------- the public loader


def load_citizens(
    source: Source,
    filename: str | None = None,
    *,
    features: tuple[str, ...] = (),
    drop_personal: bool = False,
    column_map: dict[str, str] | None = None,
) -> LoadResult:
    """Read and validate a citizen file into a compact table, or raise InputError.

    `features` names extra columns to use for segmentation; `column_map` maps a file's own
    headers to canonical fields (the app's mapping step); `drop_personal` leaves out columns
    with personal identifiers instead of refusing the file (in memory only).
    """
    raw = read_raw(source, filename)
    problems: list[Problem] = []
    notices: list[Notice] = []
    column_map = {k: v for k, v in (column_map or {}).items() if v}

    mapping: dict[str, str] = {}  # header -> canonical
    personal: list[PersonalColumn] = []
    for h in raw.headers:
        canonical = column_map.get(h) or canonical_name(h)
        kind = personal_column_reason(h)
        if kind and h not in column_map:
            personal.append(PersonalColumn(h, kind, "name"))
            continue
        if canonical:
            if canonical in mapping.values():
                first = next(k for k, v in mapping.items() if v == canonical)
                problems.append(Problem(
                    "duplicate_column",
                    f"Kolumnerna '{first}' och '{h}' betyder båda {canonical}.",
                    f"Columns '{first}' and '{h}' both mean {canonical}.", h,
                    hint_sv="Ta bort eller döp om en av dem.", hint_en="Remove or rename one of them."))
                continue
            mapping[h] = canonical
    wanted_extras = [h for h in features if h in raw.headers and h not in mapping]
    for h in features:
        if h not in raw.headers:
            problems.append(Problem(
                "unknown_feature", f"Kolumnen '{h}' som ska användas för segmentering finns inte i filen.",
                f"Column '{h}' named as a feature is not in the file.", h,
                hint_sv=f"Kolumner i filen: {', '.join(raw.headers)}.",
                hint_en=f"Columns in the file: {', '.join(raw.headers)}."))
    ignored = [h for h in raw.headers
               if h not in mapping and h not in wanted_extras and h not in {p.column for p in personal}]

    canon = set(mapping.values())
    if "municipality" not in canon or not ({"age", "age_band"} & canon):
        missing = [n for n, present in (("municipality (kommun)", "municipality" in canon),
                                        ("age (ålder)", bool({"age", "age_band"} & canon))) if not present]
        problems.append(Problem(
            "missing_column",
            f"Filen saknar den obligatoriska kolumnen {' och '.join(missing)}. "
            f"Kolumner i filen: {', '.join(raw.headers)}.",
            f"The file lacks the required column {' and '.join(missing)}. "
            f"Columns in the file: {', '.join(raw.headers)}.",
            hint_sv="Döp om kolumnen så att den heter som i listan nedan.",
            hint_en="Rename the column to one of the names listed below."))
    if problems:
        raise InputError(problems, schema_help("sv"), schema_help("en"))

    columns: dict[str, _Column] = {}
    for h, c in mapping.items():
        if c in _PARSERS:
            parse, kind = _PARSERS[c]
        else:
            parse, kind = _category_parser(c), "category"
        columns[h] = _Column(c, parse, kind)
    extras = {h: _Column(h, _parse_text, "category") for h in wanted_extras}

    value_pii: dict[str, PersonalColumn] = {}
    row_offset = 2  # file row of the first data row (row 1 is the header)
    n_rows = 0
    personal_names = {p.column for p in personal}
    try:
        id_columns = frozenset(h for h, c in mapping.items() if c == "respondent_id")
        for batch in raw.batches(id_columns):
            for h, arr in zip(batch.schema.names, batch.columns):
                if h in personal_names:
                    continue
                encoded = arr if pa.types.is_dictionary(arr.type) else pc.dictionary_encode(pc.fill_null(arr, ""))
                if h not in value_pii:
                    found = scan_column(h, encoded, row_offset)
                    if found:
                        value_pii[h] = found
                if h in columns:
                    columns[h].add(encoded, arr, row_offset)
                elif h in extras:
                    extras[h].add(encoded, arr, row_offset)
            row_offset += batch.num_rows
            n_rows += batch.num_rows
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise _unreadable(filename or str(source)[:80], f"formatfel ({str(exc).splitlines()[0][:120]})",
                          f"format error ({str(exc).splitlines()[0][:120]})") from None

    personal.extend(value_pii.values())
    if personal and not drop_personal:
        for p in personal:
            how_sv = "namnet" if p.by == "name" else "innehållet"
            how_en = "its name" if p.by == "name" else "its values"
            problems.append(Problem(
                "personal_data",
                f"Kolumnen '{p.column}' innehåller {KIND_SV[p.kind]} (känt på {how_sv}). "
                "Segmentering behöver inga uppgifter som pekar ut personer.",
                f"Column '{p.column}' holds {KIND_EN[p.kind]} (recognised by {how_en}). "
                "Segmentation needs nothing that identifies people.",
                p.column, tuple(r for r in p.rows[:5]), len(p.rows),
                "Ta bort kolumnen ur filen och läs in den igen. Filen har inte sparats någonstans.",
                "Remove the column from the file and load it again. The file has not been stored."))
        raise InputError(problems)
    dropped = tuple(p.column for p in personal)
    if dropped:
        notices.append(Notice(
            f"Kolumnerna {', '.join(dropped)} innehåller personuppgifter och har lämnats utanför "
            "(bara i minnet, filen är oförändrad).",
            f"Columns {', '.join(dropped)} hold personal data and were left out (in memory only)."))

    if raw.invalid_rows:
        located = raw.locate_invalid() if raw.locate_invalid else raw.invalid_rows
        rows = tuple(located[:5])
        problems.append(Problem(
            "bad_row", "Några rader har fler eller färre fält än rubrikraden.",
            "Some rows have more or fewer fields than the header row.",
            rows=rows, row_count=len(located),
            hint_sv="Ofta innehåller ett värde avgränsaren (; eller ,). Sätt värdet inom citattecken.",
            hint_en="Often a value contains the separator (; or ,). Quote that value."))
    if n_rows == 0:
        problems.append(Problem("no_rows", "Filen har rubriker men inga rader.",
                                "The file has headers but no rows.",
                                hint_sv="Kontrollera att du valt rätt fil.",
                                hint_en="Check that you chose the right file."))

    for h, col in columns.items():
        if col.bad_count:
            problems.append(_value_problem(col, h))

    data: dict[str, Any] = {}
    for col in columns.values():
        if col.kind == "category":
            fixed = category_values(col.name) if col.name in CATEGORICAL_FIELDS else ()
            data[col.name] = col.categorical(fixed)
        else:
            data[col.name] = col.values()
    if "age" in data and "age_band" in data:
        data["age"] = np.where(np.isnan(data["age"]), data["age_band"], data["age"])
    elif "age_band" in data:
        data["age"] = data["age_band"]
    data.pop("age_band", None)
    age_headers = [h for h, c in mapping.items() if c in ("age", "age_band")]
    age_unreadable = any(columns[h].bad_count for h in age_headers)  # already reported as bad values
    if n_rows and np.isnan(data["age"]).any() and not age_unreadable:
        missing_rows = np.flatnonzero(np.isnan(data["age"]))
        age_header = age_headers[0]
        problems.append(Problem(
            "missing_value", f"Kolumnen '{age_header}' saknar ålder.",
            f"Column '{age_header}' has no age.", age_header,
            tuple(int(r) + 2 for r in missing_rows[:5]), len(missing_rows),
            "Fyll i åldern eller ta bort raderna; ålder behövs för segmenteringen.",
            "Fill in the age or remove those rows; segmentation needs it."))

    for h, col in extras.items():
        levels = list(col.categories)
        numbers = [parse_number(v) for v in levels]
        if levels and all(n is not None for n in numbers):
            lut = np.array([*numbers, np.nan], dtype=np.float64)
            data[h] = lut[col.values()]
        elif len(levels) > MAX_EXTRA_LEVELS:
            problems.append(Problem(
                "too_many_levels",
                f"Kolumnen '{h}' har {len(levels)} olika värden; en egen segmenteringskolumn får ha "
                f"högst {MAX_EXTRA_LEVELS}.",
                f"Column '{h}' has {len(levels)} distinct values; an extra feature may have at most "
                f"{MAX_EXTRA_LEVELS}.", h,
                hint_sv="Gruppera värdena eller använd inte kolumnen.",
                hint_en="Group the values or leave the column out."))
        else:
            data[h] = col.categorical()

    if problems:
        raise InputError(problems)

    if ignored:
        notices.append(Notice(
            f"Kolumnerna {', '.join(ignored)} används inte (de finns inte i schemat). "
            "Välj dem som egna segmenteringskolumner om de ska användas.",
            f"Columns {', '.join(ignored)} are ignored (not in the schema). "
            "Name them as features to use them."))
    if "weight" not in canon:
        notices.append(Notice("Ingen viktkolumn: varje rad räknas som en person.",
                              "No weight column: every row counts as one person."))

    if "respondent_id" in data:
        data["respondent_id"] = pd.arrays.ArrowStringArray(data["respondent_id"])
    frame = pd.DataFrame(data)
    for c in ("age", "has_bankid", "uses_facebook", "prefers_paper", "eservice_uses_12m"):
        if c in frame:
            frame[c] = frame[c].astype(np.float32)
    frame["weight"] = frame["weight"].astype(np.float64) if "weight" in frame else 1.0
    return LoadResult(frame, tuple(notices), raw.description, dropped)
