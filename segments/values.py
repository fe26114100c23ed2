"""Turning the text of one citizen-file column into typed values, one distinct value at a time.

A parser takes one cell's text and returns its value — NaN (numbers) or None (categories) when
the cell is empty or says "no answer" — and raises ValueError when the text cannot be read.
The column readers below parse each *distinct* value of a batch once (a million ages hold about
a hundred distinct strings) and keep compact arrays plus the rows that could not be read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from common.table_files import clean_text, parse_number

from .municipalities import municipality_name
from .schema import FALSE_WORDS, MISSING_WORDS, TRUE_WORDS, category_lookup

__all__ = [
    "MAX_COUNT", "MAX_WEIGHT", "BadCells", "CategoryColumn", "CodeColumn", "NumberColumn", "category_parser",
    "parse_age", "parse_age_band", "parse_bool", "parse_count", "parse_municipality", "parse_text", "parse_weight",
]

NumberParser = Callable[[str], float]
CategoryParser = Callable[[str], str | None]

MAX_WEIGHT = 100_000_000.0  # one row may stand for a group, but not for more people than exist
MAX_COUNT = 100_000.0  # e-service uses in a year


def _is_missing(value: str) -> bool:
    return clean_text(value).lower() in MISSING_WORDS


def _finite_number(value: str) -> float:
    n = parse_number(value)
    if n is None or not math.isfinite(n):
        raise ValueError("not a number")
    return n


def parse_age(value: str) -> float:
    """Whole years 0–120."""
    if _is_missing(value):
        return math.nan
    n = _finite_number(value)
    if not n.is_integer() or not 0 <= n <= 120:
        raise ValueError("not an age")
    return n


_BAND = re.compile(r"^\s*(\d{1,3})\s*(?:[-–]\s*(\d{1,3})?|\+)\s*(?:år)?\s*$")


def parse_age_band(value: str) -> float:
    """Midpoint of an age band: '65-79' -> 72, '80+' -> 85."""
    if _is_missing(value):
        return math.nan
    m = _BAND.match(value)
    if not m:
        raise ValueError("not an age band")
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) else low + 10
    if high < low or high > 120:
        raise ValueError("not an age band")
    return float((low + high) // 2)


def parse_bool(value: str) -> float:
    """1.0 for yes, 0.0 for no."""
    text = clean_text(value).lower()
    if text in MISSING_WORDS:
        return math.nan
    if text in TRUE_WORDS:
        return 1.0
    if text in FALSE_WORDS:
        return 0.0
    raise ValueError("not yes or no")


def parse_count(value: str) -> float:
    """A count ≥ 0 (uses in a year), at most MAX_COUNT."""
    if _is_missing(value):
        return math.nan
    n = _finite_number(value)
    if not 0 <= n <= MAX_COUNT:
        raise ValueError("not a count")
    return n


def parse_weight(value: str) -> float:
    """A weight > 0 and at most MAX_WEIGHT; an empty cell weighs 1."""
    if _is_missing(value):
        return 1.0
    n = _finite_number(value)
    if not 0 < n <= MAX_WEIGHT:
        raise ValueError("not a weight")
    return n


def parse_municipality(value: str) -> str:
    """One of Sweden's 290 municipalities, by name or kommunkod, as its name; every row needs one.
    Anything else (a person's name, free text) is unreadable and refused by row, never kept."""
    if _is_missing(value):
        raise ValueError("no municipality")
    name = municipality_name(clean_text(value))
    if name is None:
        raise ValueError("not a municipality")
    return name


def category_parser(field_name: str) -> CategoryParser:
    """The parser of one categorical schema field: any accepted spelling -> the canonical value."""
    lookup = category_lookup(field_name)

    def parse(value: str) -> str | None:
        text = re.sub(r"\s+", " ", clean_text(value).lower())
        if text in MISSING_WORDS:
            return None
        if text not in lookup:
            raise ValueError("not an accepted value")
        return lookup[text]

    return parse


_NAME_LIKE = re.compile(r"[A-ZÅÄÖÉÜ][a-zåäöéü]+[ -]+[A-ZÅÄÖÉÜ][a-zåäöéü]+")
MAX_LEVEL_CHARS = 40
MAX_LEVEL_WORDS = 4


def parse_text(value: str) -> str | None:
    """An extra feature's level, trimmed: a short category, not a name or free text (two
    capitalised words, more than four words or 40 characters are refused by row, never kept)."""
    if _is_missing(value):
        return None
    text = clean_text(value)
    if len(text) > MAX_LEVEL_CHARS or len(text.split()) > MAX_LEVEL_WORDS or _NAME_LIKE.search(text):
        raise ValueError("not a category")
    return text


@dataclass
class BadCells:
    """Where a column's values could not be read: the first rows (as in the file) and how many."""

    rows: list[int] = field(default_factory=list)
    count: int = 0

    def add(self, rows: np.ndarray, first_row: int) -> None:
        self.count += len(rows)
        self.rows.extend(int(r) + first_row for r in rows[: max(0, 5 - len(self.rows))])


def _distinct(column: pa.Array) -> tuple[list[str], np.ndarray]:
    """A column's distinct values and, per row, the index of its value among them."""
    encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(pc.fill_null(column, ""))
    return encoded.dictionary.to_pylist(), encoded.indices.to_numpy(zero_copy_only=False)


@dataclass
class NumberColumn:
    """A numeric field: float64 values, NaN where empty or unreadable."""

    name: str  # the schema field (or the extra feature's header)
    parse: NumberParser
    parts: list[np.ndarray] = field(default_factory=list)
    bad: BadCells = field(default_factory=BadCells)

    def add(self, column: pa.Array, first_row: int) -> None:
        distinct, indices = _distinct(column)
        lut = np.empty(len(distinct), dtype=np.float64)
        unreadable = np.zeros(len(distinct), dtype=bool)
        for i, text in enumerate(distinct):
            try:
                lut[i] = self.parse(text)
            except ValueError:
                lut[i], unreadable[i] = math.nan, True
        self.parts.append(lut[indices])
        if unreadable.any():
            self.bad.add(np.flatnonzero(unreadable[indices]), first_row)

    def values(self) -> np.ndarray:
        return np.concatenate(self.parts) if self.parts else np.array([], dtype=np.float64)


@dataclass
class CategoryColumn:
    """A categorical field: integer codes into `categories` (-1 where empty or unreadable)."""

    name: str  # the schema field (or the extra feature's header)
    parse: CategoryParser
    max_levels: int | None = None  # stop parsing once a column has more distinct values than this
    categories: dict[str, int] = field(default_factory=dict)
    parts: list[np.ndarray] = field(default_factory=list)
    bad: BadCells = field(default_factory=BadCells)
    overflow: bool = False

    def add(self, column: pa.Array, first_row: int) -> None:
        if self.overflow:
            return
        distinct, indices = _distinct(column)
        if self.max_levels is not None and len(distinct) > self.max_levels + len(MISSING_WORDS):
            self.overflow = True  # too many levels for sure: no need to look at each
            return
        lut = np.full(len(distinct), -1, dtype=np.int32)
        unreadable = np.zeros(len(distinct), dtype=bool)
        for i, text in enumerate(distinct):
            try:
                value = self.parse(text)
            except ValueError:
                unreadable[i] = True
                continue
            if value is not None:
                lut[i] = self.categories.setdefault(value, len(self.categories))
        self.parts.append(lut[indices])
        if unreadable.any():
            self.bad.add(np.flatnonzero(unreadable[indices]), first_row)
        self.overflow = self.max_levels is not None and len(self.categories) > self.max_levels

    def codes(self) -> np.ndarray:
        return np.concatenate(self.parts) if self.parts else np.array([], dtype=np.int32)

    def categorical(self, fixed: tuple[str, ...] = ()) -> pd.Categorical:
        """Codes as a pandas Categorical: the schema's order for fixed fields, else sorted."""
        names = list(self.categories)
        order = list(fixed) if fixed else sorted(names)
        position = {c: i for i, c in enumerate(order)}
        remap = np.array([position[c] for c in names] + [-1], dtype=np.int32)
        codes = np.asarray(remap[self.codes()], dtype=np.int32)
        return pd.Categorical.from_codes(codes, categories=order)  # type: ignore[call-overload]


@dataclass
class CodeColumn:
    """A respondent code, kept as Arrow text (never parsed value by value: they are all distinct)."""

    name: str  # the schema field (or the extra feature's header)
    parts: list[pa.Array] = field(default_factory=list)
    bad: BadCells = field(default_factory=BadCells)

    def add(self, column: pa.Array, first_row: int) -> None:
        self.parts.append(pc.utf8_trim_whitespace(pc.cast(column, pa.string())))

    def values(self) -> pa.ChunkedArray:
        return pa.chunked_array(self.parts, type=pa.string())
