"""Read a citizen data file into the table segmentation works on, or refuse it with reasons.

`load_citizens` is five steps, each in its own module: read the file as text columns within
bounds (`common.table_files`), decide from the header which columns may be read (`segments.columns`),
stream the values through the allow-list gate that looks for personal data in every column
(`common.screening`) while parsing the kept ones (`segments.values`), refuse personal data or
leave it out, and check and assemble the table (`segments.validate`). Nothing is written anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd

from common.catalogue import Raw
from common.errors import InputError, Notice, Problem, problem
from common.limits import Limits
from common.screening import Finding, Screen, check_header_row, personal_notice, personal_problems
from common.table_files import RawTable, Source, clean_text, read_raw

from .columns import ColumnPlan, plan_columns
from .schema import canonical_name, schema_help
from .validate import MAX_EXTRA_LEVELS, Reader, citizen_frame, value_problems
from .values import (
    CategoryColumn,
    CodeColumn,
    NumberColumn,
    category_parser,
    parse_age,
    parse_age_band,
    parse_bool,
    parse_count,
    parse_municipality,
    parse_text,
    parse_weight,
)

__all__ = ["LoadResult", "load_citizens"]

T = TypeVar("T")

_NUMBER_PARSERS = {"age": parse_age, "age_band": parse_age_band, "has_bankid": parse_bool,
                   "uses_facebook": parse_bool, "prefers_paper": parse_bool, "eservice_uses_12m": parse_count,
                   "weight": parse_weight}


@dataclass(frozen=True)
class LoadResult:
    """A validated citizen table plus what the user should be told about it."""

    table: pd.DataFrame
    notices: tuple[Notice, ...]
    description: str
    dropped_personal_columns: tuple[str, ...] = ()  # left out because they hold personal data
    ignored_columns: tuple[str, ...] = ()  # not part of the data contract: never read


def _translated(parse: Callable[[str], T], answers: Mapping[str, str] | None) -> Callable[[str], T]:
    """A parser that first reads the officer's confirmed answer mapping ('brev' -> 'true')."""
    if not answers:
        return parse
    return lambda value: parse(answers.get(clean_text(value).lower(), value))


def _reader(field_name: str, answers: Mapping[str, str] | None = None) -> Reader:
    if field_name == "respondent_id":
        return CodeColumn(field_name)
    if field_name in _NUMBER_PARSERS:
        return NumberColumn(field_name, _translated(_NUMBER_PARSERS[field_name], answers))
    if field_name == "municipality":
        return CategoryColumn(field_name, _translated(parse_municipality, answers))
    return CategoryColumn(field_name, _translated(category_parser(field_name), answers))


def _read_columns(screen: Screen, plan: ColumnPlan,
                  value_map: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Reader]:
    """Stream the file through the gate, parsing each kept column batch by batch."""
    readers: dict[str, Reader] = {h: _reader(f, (value_map or {}).get(h)) for h, f in plan.fields.items()}
    readers.update({h: CategoryColumn(h, parse_text, max_levels=MAX_EXTRA_LEVELS) for h in plan.features})
    for first_row, kept in screen.batches():
        for header, column in kept.items():
            readers[header].add(column, first_row)
    return readers


def _personal_data(findings: tuple[Finding, ...], plan: ColumnPlan, drop: bool) -> tuple[ColumnPlan, list[Notice]]:
    """Refuse the file (InputError), or leave those columns out with a notice (`drop`)."""
    if not findings:
        return plan, []
    if not drop:
        raise InputError(personal_problems(findings))
    notices = [n for n in (personal_notice(findings),) if n]
    for f in findings:
        if plan.fields.get(f.column) == "respondent_id":
            notices.append(Notice("notice.id_dropped", header=Raw(f.column)))
    return plan.without({f.column for f in findings}), notices


def _file_problems(raw: RawTable, rows: int) -> list[Problem]:
    problems = []
    if raw.invalid_rows:
        located = raw.locate_invalid() if raw.locate_invalid else raw.invalid_rows
        problems.append(problem("bad_row", rows=located[:5], row_count=len(located), hint="hint_quote_separator"))
    if rows == 0:
        problems.append(problem("no_rows", hint="hint_right_file"))
    return problems


def load_citizens(
    source: Source,
    filename: str | None = None,
    *,
    features: tuple[str, ...] = (),
    drop_personal: bool = False,
    column_map: Mapping[str, str] | None = None,
    value_map: Mapping[str, Mapping[str, str]] | None = None,
    limits: Limits | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Read and validate a citizen file into a compact table, or raise InputError.

    `features` names extra columns to use for segmentation (low-cardinality); `column_map` maps
    a file's own headers to schema fields (the app's mapping step) and `value_map` a mapped column's
    answers to the field's values (`segments.mapping`); `drop_personal` leaves out
    columns with personal data instead of refusing the file (in memory only); `limits` bounds
    the file (`common.limits.Limits`, from the environment by default); `progress` is told
    "checking" once the file has been read (the app's staged progress bar).
    """
    raw = read_raw(source, filename, limits=limits)
    check_header_row(raw.headers, [h for h in raw.headers if canonical_name(h) or (column_map or {}).get(h)])
    plan = plan_columns(raw.headers, column_map=column_map, features=features)
    screen = Screen(raw, plan.allow_list())
    readers = _read_columns(screen, plan, value_map)
    if progress:
        progress("checking")
    plan, notices = _personal_data(screen.findings, plan, drop_personal)
    missing = plan.missing_required()  # a required column may have been left out just now
    if missing:
        raise InputError([missing], schema_help())
    problems = _file_problems(raw, screen.rows) + value_problems({h: readers[h] for h in plan.fields})
    table, more = citizen_frame(readers, plan)
    if problems or more:
        raise InputError(problems + more)
    personal = {f.column for f in screen.findings}
    notices += [n for n in (plan.ignored_notice(personal),) if n]
    if "weight" not in plan.fields.values():
        notices.append(Notice("notice.no_weight"))
    return LoadResult(table, tuple(notices), raw.description, tuple(sorted(personal, key=raw.headers.index)),
                      tuple(h for h in plan.ignored if h not in personal))
