"""The one place evaluation inputs (survey answers) are checked for personal data.

Survey answers are refused exactly like citizen files: a column whose header announces personal
data, or any of whose values holds an identity number, phone number, e-mail or street address
(`common.personal_data`, the same detection the allow-list gate uses), is named with its rows and
kinds, never with a value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from common.errors import MAX_ROWS_SHOWN, InputError
from common.personal_data import KINDS, header_kind, personal_values
from common.screening import Finding, personal_problems

__all__ = ["personal_columns", "refuse_personal_data"]


def personal_columns(frame: pd.DataFrame, first_row: int = 2) -> list[Finding]:
    """Columns of a text table that identify people: by header first, else by their values."""
    found = []
    for header in frame.columns:
        kind = header_kind(str(header))
        if kind:
            found.append(Finding(str(header), (kind,), "name"))
            continue
        masks = personal_values(pa.array(frame[header].fillna("").astype(str).tolist(), type=pa.string()))
        if masks:
            rows = np.flatnonzero(np.logical_or.reduce(list(masks.values())))
            found.append(Finding(str(header), tuple(k for k in KINDS if k in masks), "value",
                                 tuple(int(r) + first_row for r in rows[:MAX_ROWS_SHOWN]), len(rows)))
    return found


def refuse_personal_data(frame: pd.DataFrame, first_row: int = 2, code: str = "personal_data") -> None:
    """Raise the same located refusal as for citizen files; the values themselves are never shown."""
    found = personal_columns(frame, first_row)
    if found:
        raise InputError(personal_problems(tuple(found), code))
