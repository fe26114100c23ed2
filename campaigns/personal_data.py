"""The one place evaluation inputs (survey answers) are checked for personal data.

A thin adapter over `segments.pii` so that survey answers are refused exactly like citizen files
(a column whose name announces, or whose values hold, personnummer or e-mail addresses). When
the shared allow-list reader lands, only `personal_columns` changes.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from common.errors import InputError, problem
from common.messages import Msg, Raw
from segments.pii import PersonalColumn, personal_column_reason, scan_column

__all__ = ["personal_columns", "refuse_personal_data"]


def personal_columns(frame: pd.DataFrame, first_row: int = 2) -> list[PersonalColumn]:
    """Columns of a text table that identify people: by header first, else by their values."""
    found = []
    for header in frame.columns:
        kind = personal_column_reason(str(header))
        if kind:
            found.append(PersonalColumn(str(header), kind, "name"))
            continue
        values = pa.array(frame[header].fillna("").astype(str).tolist(), type=pa.string()).dictionary_encode()
        hit = scan_column(str(header), values, first_row)
        if hit:
            found.append(hit)
    return found


def refuse_personal_data(frame: pd.DataFrame, first_row: int = 2, code: str = "personal_data") -> None:
    """Raise the same located refusal as for citizen files; the values themselves are never shown."""
    found = personal_columns(frame, first_row)
    if found:
        raise InputError([problem(code, column=p.column, rows=p.rows, row_count=len(p.rows),
                                  header=Raw(p.column), kind=Msg(f"pii.{p.kind}"), by=Msg(f"pii.by_{p.by}"),
                                  hint="hint_remove_personal") for p in found])
