"""Read citizen data files: sniff Swedish formats, validate, refuse personal identifiers.

The reader streams CSV and Parquet in batches and turns every column into a compact typed array
by parsing each *distinct* value once (a column of a million ages has about a hundred distinct
strings), so large files stay fast and small in memory. Nothing is written anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from common.errors import InputError, Notice, Problem, problem
from common.messages import ListOf, Msg, Raw
from common.tables import Source, clean_text, parse_number, read_raw, unreadable

from .municipalities import municipality_label
from .pii import PersonalColumn, personal_column_reason, scan_column
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

__all__ = ["LoadResult", "load_citizens"]

MAX_EXTRA_LEVELS = 30
_BAD = object()


@dataclass(frozen=True)
class LoadResult:
    """A validated citizen table plus what the user should be told about it."""

    table: pd.DataFrame
    notices: tuple[Notice, ...]
    description: str
    dropped_personal_columns: tuple[str, ...] = ()


# ---------------------------------------------------------------- parsing values


def _is_missing(value: str) -> bool:
    return clean_text(value).lower() in MISSING_WORDS


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
    text = clean_text(value).lower()
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
    return municipality_label(clean_text(value))


def _category_parser(field_name: str) -> Callable[[str], Any]:
    lookup = category_lookup(field_name)

    def parse(value: str) -> Any:
        text = re.sub(r"\s+", " ", clean_text(value).lower())
        if text in MISSING_WORDS:
            return None
        return lookup.get(text, _BAD)

    return parse


def _parse_text(value: str) -> str | None:
    return None if _is_missing(value) else clean_text(value)


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
    """Which column and rows cannot be read, and what was expected — never the values themselves."""
    if col.name == "municipality":
        return problem("missing_municipality", column=header, rows=col.bad_rows, row_count=col.bad_count,
                       header=Raw(header), hint="hint_fill_municipality")
    expected = Msg(f"field.{col.name}") if col.name in FIELD_BY_NAME else Msg("field.any")
    return problem("bad_value", column=header, rows=col.bad_rows, row_count=col.bad_count, header=Raw(header),
                   expected=expected, hint="hint_fix_cells")


# ---------------------------------------------------------------- the public loader


def load_citizens(
    source: Source,
    filename: str | None = None,
    *,
    features: tuple[str, ...] = (),
    drop_personal: bool = False,
    column_map: dict[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Read and validate a citizen file into a compact table, or raise InputError.

    `features` names extra columns to use for segmentation; `column_map` maps a file's own
    headers to canonical fields (the app's mapping step); `drop_personal` leaves out columns
    with personal identifiers instead of refusing the file (in memory only); `progress` is told
    "checking" once the file has been read (the app's staged progress bar).
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
                problems.append(problem("duplicate_column", column=h, first=Raw(first), second=Raw(h),
                                        field=canonical, hint="hint_remove_one"))
                continue
            mapping[h] = canonical
    wanted_extras = [h for h in features if h in raw.headers and h not in mapping]
    for h in features:
        if h not in raw.headers:
            problems.append(problem("unknown_feature", column=h, header=Raw(h), hint="hint_feature_names"))
    ignored = [h for h in raw.headers
               if h not in mapping and h not in wanted_extras and h not in {p.column for p in personal}]

    canon = set(mapping.values())
    if "municipality" not in canon or not ({"age", "age_band"} & canon):
        missing = [Msg(f"column.{n}") for n, present in (("municipality", "municipality" in canon),
                                                         ("age", bool({"age", "age_band"} & canon))) if not present]
        problems.append(problem("missing_column", n=len(missing), columns=ListOf(tuple(missing)),
                                hint="hint_rename_column"))
    if problems:
        raise InputError(problems, schema_help())

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
        raise unreadable(filename or "filen", "unreadable.format", detail=type(exc).__name__) from None

    if progress:
        progress("checking")
    personal.extend(value_pii.values())
    if personal and not drop_personal:
        for p in personal:
            problems.append(problem("personal_data", column=p.column, rows=p.rows, row_count=len(p.rows),
                                    header=Raw(p.column), kind=Msg(f"pii.{p.kind}"), by=Msg(f"pii.by_{p.by}"),
                                    hint="hint_remove_personal"))
        raise InputError(problems)
    dropped = tuple(p.column for p in personal)
    if dropped:
        notices.append(Notice("notice.personal_dropped", n=len(dropped),
                              columns=ListOf(tuple(Raw(c) for c in dropped))))

    if raw.invalid_rows:
        located = raw.locate_invalid() if raw.locate_invalid else raw.invalid_rows
        rows = tuple(located[:5])
        problems.append(problem("bad_row", rows=rows, row_count=len(located), hint="hint_quote_separator"))
    if n_rows == 0:
        problems.append(problem("no_rows", hint="hint_right_file"))

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
        problems.append(problem("missing_age", column=age_header, rows=(int(r) + 2 for r in missing_rows[:5]),
                                row_count=len(missing_rows), header=Raw(age_header), hint="hint_fill_age"))

    for h, col in extras.items():
        levels = list(col.categories)
        numbers = [parse_number(v) for v in levels]
        if levels and all(n is not None for n in numbers):
            lut = np.array([*numbers, np.nan], dtype=np.float64)
            data[h] = lut[col.values()]
        elif len(levels) > MAX_EXTRA_LEVELS:
            problems.append(problem("too_many_levels", column=h, header=Raw(h), levels=len(levels),
                                    limit=MAX_EXTRA_LEVELS, hint="hint_group_values"))
        else:
            data[h] = col.categorical()

    if problems:
        raise InputError(problems)

    if ignored:
        notices.append(Notice("notice.columns_ignored", n=len(ignored),
                              columns=ListOf(tuple(Raw(c) for c in ignored))))
    if "weight" not in canon:
        notices.append(Notice("notice.no_weight"))

    if "respondent_id" in data:
        data["respondent_id"] = pd.arrays.ArrowStringArray(data["respondent_id"])
    frame = pd.DataFrame(data)
    for c in ("age", "has_bankid", "uses_facebook", "prefers_paper", "eservice_uses_12m"):
        if c in frame:
            frame[c] = frame[c].astype(np.float32)
    frame["weight"] = frame["weight"].astype(np.float64) if "weight" in frame else 1.0
    return LoadResult(frame, tuple(notices), raw.description, dropped)
