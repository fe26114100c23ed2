"""One gate for every table the product reads: personal data screened, every label checked.

A reader declares a `Contract`: the fields it reads (each with the headers that spell it), which
of them hold respondent codes, and for each *label* field what it may hold (a `Label`: the
official municipalities, optionally only a region's members; the region's channels; the
campaign's e-services; a segment number). `gate_table` then

1. reads only those fields (`common.screening`: every column, kept or not, is searched for
   personal data by value, every dropped column by its header; a header row that is data is
   refused),
2. checks every label value against its `Label`; a value that is not on the list is unknown.

A refusal (CLI: exit 2) names the column, the kind of label or personal data, and the rows —
never the value. With `drop=True` (the app) the personal columns are left out and rows with an
unknown label are dropped, each with a notice that gives the rows. Labels come out in canonical
form (a municipality as its kommunkod, a channel as its key), so nothing a user typed in a label
column reaches an output unless it was on the list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from .catalogue import ListOf, Msg, Raw
from .errors import MAX_ROWS_SHOWN, InputError, Notice, Problem, problem
from .municipality_list import lookup
from .personal_detection import KINDS, header_kind, personal_values
from .screening import FIRST_ROW, AllowList, Finding, personal_problems, screen_table
from .table_files import RawTable

__all__ = ["Contract", "Gated", "Label", "check_labels", "gate_table", "municipality_label", "number_label",
           "one_of", "pattern_label", "screen_cells", "withheld"]


@dataclass(frozen=True)
class Label:
    """What one label column may hold: `accept` maps a value to its canonical form, or None when
    the value is not on the list; `kind` names the list in messages (`gate.kind.<kind>`);
    `blank` is the canonical form of an empty cell, None when a value is required; `unknown`, when
    set, is what a value not on the list is read as (an optional context label whose list may have
    changed since the file was made: a survey's segment names after a refit) — the value itself is
    still never kept."""

    kind: str
    accept: Callable[[str], str | None]
    blank: str | None = None
    unknown: str | None = None  # when set, a value not on the list is read as this (with a notice), not refused

    def canonical(self, value: str) -> str | None:
        text = value.strip()
        return self.blank if not text else self.accept(text)


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def municipality_label(members: Iterable[str] | None = None, *, blank: str | None = None) -> Label:
    """A name or kommunkod of one of Sweden's 290 municipalities (of `members` when given: a
    region's kommunkoder), as its four-digit code."""
    allowed = frozenset(members) if members is not None else None

    def accept(value: str) -> str | None:
        found = lookup(value)
        return found.code if found and (allowed is None or found.code in allowed) else None

    return Label("municipality" if allowed is None else "member", accept, blank)


def one_of(kind: str, names: Mapping[str, str], *, blank: str | None = None) -> Label:
    """One of a fixed set: `names` maps each accepted spelling (key or display name; case and
    spacing do not matter) to the canonical key."""
    table = {_key(k): v for k, v in names.items()}
    return Label(kind, lambda value: table.get(_key(value)), blank)


def number_label(kind: str, low: int, high: int, *, blank: str | None = None) -> Label:
    """A whole number from `low` to `high` (a segment number), as its decimal text."""
    def accept(value: str) -> str | None:
        text = value.strip().removesuffix(".0")
        if re.fullmatch(r"[+-]?\d{1,6}", text) and low <= int(text) <= high:
            return str(int(text))
        return None

    return Label(kind, accept, blank)


def pattern_label(kind: str, pattern: str, *, blank: str | None = None) -> Label:
    """A value of a fixed shape (a tracked link's `utm_content`), lower-cased."""
    compiled = re.compile(pattern)
    return Label(kind, lambda value: value.lower() if compiled.fullmatch(value.lower()) else None, blank)


@dataclass(frozen=True)
class Contract:
    """What a reader reads: field -> accepted headers; which fields are respondent codes; and the
    `Label` of every label field. Other fields (counts, dates, answers) are screened only."""

    fields: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, Label] = field(default_factory=dict)
    codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Gated:
    """A table after the gate: one text column per field found, labels in canonical form."""

    frame: pd.DataFrame  # columns are field names; rows with an unknown label already dropped
    rows: np.ndarray  # each kept row's number in the file (the header is row 1)
    headers: Mapping[str, str]  # field -> the header the file spells it with
    findings: tuple[Finding, ...] = ()
    notices: tuple[Notice, ...] = ()
    dropped: tuple[str, ...] = ()  # headers not read
    problems: tuple[Problem, ...] = ()  # unknown labels, when the caller collects them (`collect=True`)

    def refuse(self, more: Iterable[Problem] = ()) -> None:
        """Raise every problem found, the gate's and the caller's own, in one refusal."""
        problems = [*self.problems, *more]
        if problems:
            raise InputError(problems)


def withheld(value: object, known: Iterable[str] = ()) -> Raw | Msg:
    """A value from a user's file for a message: itself when it is on the `known` list (then it is
    ours, not theirs), else a placeholder. An unknown label, key or path is located, never quoted."""
    text = str(value)
    return Raw(text) if text in set(known) else Msg("gate.withheld")


def screen_cells(columns: Mapping[str, Sequence[str]], rows: Sequence[int], *,
                 title: Sequence[str] = ()) -> None:
    """The same screening for a table read as cells (an SCB export): every column's values by
    value, every header by name, and the title lines above the table; refused, nothing quoted."""
    findings = []
    for header, values in columns.items():
        kind = header_kind(header)
        if kind:
            findings.append(Finding(header, (kind,), "name"))
            continue
        distinct, where = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
        masks = personal_values(pa.array(distinct.tolist(), type=pa.string()))
        if masks:
            hit = np.logical_or.reduce(list(masks.values()))[where]
            found = [rows[int(i)] for i in np.flatnonzero(hit)]
            findings.append(Finding(header, tuple(k for k in KINDS if k in masks), "value",
                                    tuple(found[:MAX_ROWS_SHOWN]), len(found)))
    problems = personal_problems(tuple(findings))
    if title and (kinds := personal_values(pa.array(list(title), type=pa.string()))):
        named = ListOf(tuple(Msg(f"pii.{k}") for k in KINDS if k in kinds))
        problems.append(problem("gate.personal_title", kinds=named, hint="hint_remove_personal"))
    if problems:
        raise InputError(problems)


def check_labels(frame: pd.DataFrame, labels: Mapping[str, Label]) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Canonical labels and, per field, a mask of the rows whose value is not on its list.
    Each distinct value is judged once."""
    out = frame.copy()
    unknown: dict[str, np.ndarray] = {}
    for name, label in labels.items():
        if name not in frame:
            continue
        values = frame[name].fillna("").astype(str)
        judged = {v: label.canonical(v) for v in values.unique()}
        mapped = values.map(judged)
        bad = mapped.isna().to_numpy()
        if bad.any():
            unknown[name] = bad
        out[name] = mapped
    return out, unknown


def _label_problem(header: str, label: Label, rows: np.ndarray) -> Problem:
    return problem("gate.unknown_label", column=header, rows=[int(r) for r in rows[:MAX_ROWS_SHOWN]],
                   row_count=len(rows), header=Raw(header), kind=Msg(f"gate.kind.{label.kind}"),
                   hint=f"hint_gate_{label.kind}")


def gate_table(raw: RawTable, contract: Contract, *, drop: bool = False, collect: bool = False,
               personal_code: str = "personal_data") -> Gated:
    """Read `raw` through `contract`: refuse (InputError, nothing quoted) personal data anywhere
    and any label not on its list; with `drop`, leave those columns and rows out with notices.

    With `collect` the unknown labels are returned in `Gated.problems` instead of raised, so a
    reader can add its own (bad dates, counts) and refuse once with `Gated.refuse`; the rows with
    unknown labels are then still in the frame, their label None. `personal_code` is the
    catalogue id of a personal-data refusal (survey answers say why they must be anonymous).
    """
    allow = AllowList.matching(raw.headers, contract.fields, codes=contract.codes)
    screened = screen_table(raw, allow, drop_personal=True)
    if screened.findings and not drop:
        raise InputError(personal_problems(screened.findings, personal_code))
    headers = {allow.columns[h]: h for h in screened.columns}
    frame = pd.DataFrame({allow.columns[h]: col.to_pandas() for h, col in screened.columns.items()})
    rows = np.arange(FIRST_ROW, FIRST_ROW + screened.rows)
    frame, unknown = check_labels(frame, contract.labels)
    notices = list(screened.notices)
    for f in [f for f in unknown if contract.labels[f].unknown is not None]:
        label, mask = contract.labels[f], unknown.pop(f)
        frame.loc[mask, f] = label.unknown
        notices.append(Msg("gate.read_as_unknown", column=Raw(headers[f]), kind=Msg(f"gate.kind.{label.kind}"),
                           n=int(mask.sum()), rows=ListOf(tuple(str(r) for r in rows[mask][:MAX_ROWS_SHOWN]))))
    if unknown and not drop:
        problems = [_label_problem(headers[f], contract.labels[f], rows[bad]) for f, bad in unknown.items()]
        if not collect:
            raise InputError(problems)
        return Gated(frame, rows, headers, screened.findings, tuple(notices), screened.dropped, tuple(problems))
    if unknown:
        bad = np.logical_or.reduce(list(unknown.values()))
        for f, mask in unknown.items():
            where = rows[mask]
            kind = Msg(f"gate.kind.{contract.labels[f].kind}")
            notices.append(Msg("gate.rows_dropped", column=Raw(headers[f]), kind=kind, n=len(where),
                               rows=ListOf(tuple(str(r) for r in where[:MAX_ROWS_SHOWN]))))
        frame, rows = frame.loc[~bad].reset_index(drop=True), rows[~bad]
    return Gated(frame, rows, headers, screened.findings, tuple(notices), screened.dropped)
