"""The evaluation's estimates as a file a spreadsheet opens in the reader's language.

`campaigns.evaluation_run.estimates_csv` writes the machine-readable table (identifier headers,
comma and decimal point) for scripts. The app's download is for Excel: headers from the
catalogue, and in Swedish semicolons between fields and decimal commas (as Swedish Excel reads a
double-clicked CSV), UTF-8 with a byte-order mark so å, ä and ö survive.
"""

from __future__ import annotations

import pandas as pd

from common.catalogue import render
from common.spreadsheet import decimal_sign, frame_csv, semicolon_csv

from .evaluation import ESTIMATE_COLUMNS

OBJECTIVE_EXTRA = ("objective", "target", "verdict")  # campaigns.evaluation_run.with_objectives adds these

__all__ = ["estimates_for_excel"]


def estimates_for_excel(table: pd.DataFrame, lang: str, names: tuple[tuple[str, str], ...] = ()) -> bytes:
    """`table` is `campaigns.evaluation.estimates_table(…, lang)`: its columns get their names in
    `lang`, and the names it carries their form in `lang` (`names`: carried -> shown)."""
    shown = dict(names)
    table = table.assign(**{c: table[c].map(lambda x: shown.get(x, x)) for c in ("e_service", "channel", "segment")})
    columns = [*ESTIMATE_COLUMNS, *(c for c in OBJECTIVE_EXTRA if c in table)]  # objectives when the campaign has them
    named = table[columns].rename(columns={c: render(f"polish.est.col.{c}", lang) for c in columns})
    return frame_csv(named, sep=";" if semicolon_csv(lang) else ",", decimal=decimal_sign(lang),
                     encoding="utf-8-sig") or b""
