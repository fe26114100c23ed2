"""The allow-list gate: what of a user's table may be kept, and what personal data it holds.

Every table a user hands over (citizen data, survey answers) passes through here before any
value is kept. Only the columns on the allow-list come out; every other column is dropped as it
is read. On the way each column — kept or dropped — is searched for personal data by value
(`common.personal_detection`), dropped columns are also judged by their header, and a header row
that is itself data (a file without headers) is refused without quoting it.

What happens to the findings is the caller's choice: refuse the file (`InputError`, the
command line) or leave those columns out with a notice (the app). `screen_table` does the
whole job for a small table; `Screen` streams a large one batch by batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .catalogue import ListOf, Msg, Raw
from .errors import MAX_ROWS_SHOWN, InputError, Notice, Problem, problem
from .headers import compact_header
from .personal_detection import KINDS, PersonalKind, header_kind, looks_like_data, personal_values
from .table_files import MISSING_WORDS, RawTable

__all__ = ["AllowList", "Finding", "Screen", "Screened", "check_header_row", "personal_notice", "personal_problems",
           "quoted", "screen_table"]

FIRST_ROW = 2  # the file's row number of the first data row (the header is row 1)


@dataclass(frozen=True)
class AllowList:
    """The columns that may be read: header as the file spells it -> the field it is read as.

    `codes` are the headers whose values must be non-identifying codes (a respondent id): there a
    value without any digit counts as a name. `missing` are the words that mean "no answer".
    """

    columns: Mapping[str, str]
    codes: frozenset[str] = frozenset()
    missing: frozenset[str] = MISSING_WORDS

    @classmethod
    def matching(cls, headers: Iterable[str], fields: Mapping[str, Iterable[str]], *, codes: Iterable[str] = (),
                 missing: frozenset[str] = MISSING_WORDS) -> AllowList:
        """The headers that spell one of `fields` (field -> accepted names; case, accents, spaces and
        punctuation do not matter); `codes` names the fields that hold respondent codes."""
        spelling = {compact_header(name): f for f, names in fields.items() for name in (f, *names)}
        columns: dict[str, str] = {}
        for h in headers:
            f = spelling.get(compact_header(h))
            if f and f not in columns.values():
                columns[h] = f
        code_fields = set(codes)
        return cls(columns, frozenset(h for h, f in columns.items() if f in code_fields), missing)


@dataclass(frozen=True)
class Finding:
    """Personal data in one column: which kinds, found by the header or by the values, where."""

    column: str
    kinds: tuple[PersonalKind, ...]
    by: Literal["name", "value"]
    rows: tuple[int, ...] = ()  # the first rows, numbered as in the file
    row_count: int = 0
    kept: bool = False  # the column was on the allow-list


@dataclass
class _Hits:
    kinds: set[PersonalKind] = field(default_factory=set)
    rows: list[int] = field(default_factory=list)
    count: int = 0


def quoted(text: str) -> Raw | Msg:
    """User text for a message (at most 40 characters), or a placeholder when it is personal data.
    Lone surrogates (YAML's "\\ud800") are replaced first: they cannot be screened or shown."""
    text = str(text).encode("utf-8", errors="replace").decode("utf-8")
    return Msg("pii.withheld") if personal_values(pa.array([text], type=pa.string())) else Raw(text)


def check_header_row(headers: list[str], known: Iterable[str]) -> None:
    """Refuse a header row that is data, quoting nothing (the "headers" may be someone's identity
    number or name): it holds personal data, or none of it is a `known` column while some of it
    is a number or a date."""
    if personal_values(pa.array(headers, type=pa.string())) or (
            not set(known) & set(headers) and any(looks_like_data(h) for h in headers)):
        raise InputError([problem("headerless", hint="hint_add_header")])


class Screen:
    """Streams a table through the allow-list: `batches()` yields the kept columns only;
    afterwards `findings` lists the personal data seen in any column."""

    def __init__(self, raw: RawTable, allow: AllowList):
        check_header_row(raw.headers, allow.columns)
        self.raw = raw
        self.allow = allow
        self.dropped = tuple(h for h in raw.headers if h not in allow.columns)
        self.rows = 0
        self._by_name = {h: kind for h in self.dropped if (kind := header_kind(h))}
        self._hits: dict[str, _Hits] = {}

    def batches(self) -> Iterator[tuple[int, dict[str, pa.Array]]]:
        """(file row of the batch's first row, {header: text values}) for the kept columns."""
        for batch in self.raw.batches(frozenset(self.allow.codes)):
            first = FIRST_ROW + self.rows
            kept = {}
            for header, column in zip(batch.schema.names, batch.columns):
                if header not in self._by_name:
                    self._scan(header, column, first)
                if header in self.allow.columns:
                    kept[header] = column
            self.rows += batch.num_rows
            yield first, kept

    def _scan(self, header: str, column: pa.Array, first: int) -> None:
        if pa.types.is_dictionary(column.type):
            values, indices = column.dictionary, column.indices.to_numpy(zero_copy_only=False)
        else:
            values, indices = column, None
        found = personal_values(values, code=header in self.allow.codes, missing=self.allow.missing)
        if not found:
            return
        hits = self._hits.setdefault(header, _Hits())
        hits.kinds.update(found)
        where = np.flatnonzero(np.logical_or.reduce(list(found.values())))
        rows = where if indices is None else np.flatnonzero(np.isin(indices, where))
        hits.count += len(rows)
        hits.rows.extend(int(r) + first for r in rows[: MAX_ROWS_SHOWN - len(hits.rows)])

    @property
    def findings(self) -> tuple[Finding, ...]:
        by_name = [Finding(h, (kind,), "name") for h, kind in self._by_name.items()]
        by_value = [Finding(h, tuple(k for k in KINDS if k in hits.kinds), "value", tuple(hits.rows), hits.count,
                            kept=h in self.allow.columns)
                    for h, hits in self._hits.items()]
        order = {h: i for i, h in enumerate(self.raw.headers)}
        return tuple(sorted(by_name + by_value, key=lambda f: order[f.column]))


def personal_problems(findings: tuple[Finding, ...], code: str = "personal_data") -> list[Problem]:
    """One refusal per column: its name, the kinds and the rows — never a value."""
    return [problem(code, column=f.column, rows=f.rows, row_count=f.row_count, header=Raw(f.column),
                    kinds=ListOf(tuple(Msg(f"pii.{k}") for k in f.kinds)), by=Msg(f"pii.by_{f.by}"),
                    hint="hint_remove_personal")
            for f in findings]


def personal_notice(findings: tuple[Finding, ...]) -> Notice | None:
    """What the app says when it left personal data out instead of refusing the file."""
    if not findings:
        return None
    return Notice("notice.personal_dropped", n=len(findings), columns=ListOf(tuple(Raw(f.column) for f in findings)))


@dataclass(frozen=True)
class Screened:
    """A small table after the gate: the kept columns as text, what was dropped and why."""

    columns: dict[str, pa.ChunkedArray]  # header -> values, allow-listed and free of personal data
    findings: tuple[Finding, ...]  # personal data seen (all of it left out)
    dropped: tuple[str, ...]  # headers not on the allow-list
    rows: int
    notices: tuple[Notice, ...] = ()


def screen_table(raw: RawTable, allow: AllowList, *, drop_personal: bool = False) -> Screened:
    """Keep only the allow-listed columns of `raw`; refuse personal data anywhere in it.

    Raises InputError (`personal_data`, one problem per column, nothing quoted) when any column
    holds personal data, unless `drop_personal`: then the kept columns with personal data are
    left out too and the result carries a notice saying so. Row and size limits come with `raw`
    (`common.table_files.read_raw`).
    """
    screen = Screen(raw, allow)
    parts: dict[str, list[pa.Array]] = {h: [] for h in allow.columns if h in raw.headers}
    for _, kept in screen.batches():
        for header, column in kept.items():
            parts[header].append(pc.cast(column, pa.string()))
    findings = screen.findings
    if findings and not drop_personal:
        raise InputError(personal_problems(findings))
    personal = {f.column for f in findings}
    columns = {h: pa.chunked_array(p, type=pa.string()) for h, p in parts.items() if h not in personal}
    notice = personal_notice(findings)
    return Screened(columns, findings, screen.dropped, screen.rows, (notice,) if notice else ())
