"""Checking parsed citizen columns and assembling the table segmentation works on.

Every problem names the column, the rows (as the file numbers them) and what was expected —
never the values themselves, which could identify someone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from common.catalogue import Msg, Raw
from common.errors import Problem, problem
from common.table_files import parse_number

from .columns import ColumnPlan
from .schema import CATEGORICAL_FIELDS, FIELD_BY_NAME, category_values
from .values import CategoryColumn, CodeColumn, NumberColumn

__all__ = ["MAX_EXTRA_LEVELS", "MAX_EXTRA_NUMBER", "Reader", "citizen_frame", "value_problems"]

MAX_EXTRA_LEVELS = 30  # an extra feature is a low-cardinality category (or a number with few values)
MAX_EXTRA_NUMBER = 1e9  # larger (or infinite) levels make the feature a category: scaling them would overflow
FLOAT32_FIELDS = ("age", "has_bankid", "uses_facebook", "prefers_paper", "eservice_uses_12m")

Reader = NumberColumn | CategoryColumn | CodeColumn


def value_problems(readers: Mapping[str, Reader]) -> list[Problem]:
    """Which columns have cells that cannot be read, in which rows, and what was expected."""
    problems = []
    for header, reader in readers.items():
        if not reader.bad.count:
            continue
        if reader.name == "municipality":
            problems.append(problem("missing_municipality", column=header, rows=reader.bad.rows,
                                    row_count=reader.bad.count, header=Raw(header), hint="hint_fill_municipality"))
            continue
        expected = Msg(f"field.{reader.name}") if reader.name in FIELD_BY_NAME else Msg("field.any")
        problems.append(problem("bad_value", column=header, rows=reader.bad.rows, row_count=reader.bad.count,
                                header=Raw(header), expected=expected, hint="hint_fix_cells"))
    return problems


def _age(data: dict[str, Any], readers: Mapping[str, Reader], plan: ColumnPlan) -> list[Problem]:
    """One age column from `age` and/or `age_band`; rows with neither are a problem."""
    if "age" in data and "age_band" in data:
        data["age"] = np.where(np.isnan(data["age"]), data["age_band"], data["age"])
    elif "age_band" in data:
        data["age"] = data["age_band"]
    data.pop("age_band", None)
    age_headers = [h for h, f in plan.fields.items() if f in ("age", "age_band") and h in readers]
    if not age_headers or any(readers[h].bad.count for h in age_headers):
        return []  # unreadable ages are already reported as such
    missing_rows = np.flatnonzero(np.isnan(data["age"]))
    if not len(missing_rows):
        return []
    return [problem("missing_age", column=age_headers[0], rows=(int(r) + 2 for r in missing_rows[:5]),
                    row_count=len(missing_rows), header=Raw(age_headers[0]), hint="hint_fill_age")]


def _extra(header: str, reader: CategoryColumn) -> tuple[Any, Problem | None]:
    """An extra feature: numbers when every level is one, else a category — with few levels."""
    levels = list(reader.categories)
    if reader.bad.count:
        return None, problem("gate.feature_free_text", column=header, rows=reader.bad.rows, row_count=reader.bad.count,
                             header=Raw(header), hint="hint_group_values")
    if reader.overflow or len(levels) > MAX_EXTRA_LEVELS:
        return None, problem("too_many_levels", column=header, header=Raw(header), limit=MAX_EXTRA_LEVELS,
                             hint="hint_group_values")
    numbers = [parse_number(v) for v in levels]
    if levels and all(n is not None and abs(n) <= MAX_EXTRA_NUMBER for n in numbers):
        return np.array([*numbers, np.nan], dtype=np.float64)[reader.codes()], None
    return reader.categorical(), None


def citizen_frame(readers: Mapping[str, Reader], plan: ColumnPlan) -> tuple[pd.DataFrame, list[Problem]]:
    """The compact citizen table (float32 habits, categoricals, weight), and its problems."""
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    for header, field_name in plan.fields.items():
        reader = readers[header]
        if isinstance(reader, CategoryColumn):
            fixed = category_values(field_name) if field_name in CATEGORICAL_FIELDS else ()
            data[field_name] = reader.categorical(fixed)
        elif isinstance(reader, CodeColumn):
            data[field_name] = pd.arrays.ArrowStringArray(reader.values())
        else:
            data[field_name] = reader.values()
    problems += _age(data, readers, plan)
    for header in plan.features:
        reader = readers[header]
        assert isinstance(reader, CategoryColumn)
        values, trouble = _extra(header, reader)
        if trouble:
            problems.append(trouble)
        else:
            data[header] = values
    frame = pd.DataFrame(data)
    for c in FLOAT32_FIELDS:
        if c in frame:
            frame[c] = frame[c].astype(np.float32)
    frame["weight"] = frame["weight"].astype(np.float64) if "weight" in frame else 1.0
    return frame, problems
