"""The month view as one small HTML table: each day names its first activities (escaped: segment
names and titles can hold anything a user typed) and says how many more there are."""

from __future__ import annotations

import html

import pandas as pd
from babel.dates import get_day_names

from app_pages.i18n import t
from campaigns.schedule.views import DayCell
from common.catalogue import locale_for, render, shorten

__all__ = ["month_html"]

SHOWN = 3  # activities named per day; the rest are counted
LABEL_CHARS = 70

_STYLE = """<style>
.kp-month { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 0.8rem; }
.kp-month th { text-align: left; padding: 4px; border-bottom: 2px solid #ccc; }
.kp-month td { vertical-align: top; border: 1px solid #ddd; padding: 4px; height: 5.5rem; overflow: hidden; }
.kp-month td.wk { width: 3.2rem; color: #555; }
.kp-month .d { font-weight: bold; }
.kp-month ul { margin: 0; padding-left: 1rem; }
.kp-month li { margin: 0; line-height: 1.25; }
.kp-month .more { color: #555; list-style: none; margin-left: -1rem; }
</style>"""


def _label(row: pd.Series, lang: str) -> str:
    text = f"{row['municipality_name']}: {render(row['title'], lang)}"
    return html.escape(shorten(text, LABEL_CHARS))


def month_html(grid: list[list[DayCell]], table: pd.DataFrame, lang: str) -> str:
    days = get_day_names("abbreviated", locale=locale_for(lang))
    head = "".join(f"<th>{html.escape(days[i])}</th>" for i in range(7))
    rows = []
    for week in grid:
        monday = next(c.day for c in week if c.day is not None)
        cells = [f"<td class='wk'>{html.escape(t('week_short', week=monday.isocalendar()[1]))}</td>"]
        for cell in week:
            if cell.day is None:
                cells.append("<td></td>")
                continue
            items = "".join(f"<li>{_label(table.iloc[pos], lang)}</li>" for pos in cell.rows[:SHOWN])
            if len(cell.rows) > SHOWN:
                items += f"<li class='more'>{html.escape(t('month_more', n=len(cell.rows) - SHOWN))}</li>"
            cells.append(f"<td><div class='d'>{cell.day.day}</div><ul>{items}</ul></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f"{_STYLE}<table class='kp-month'><thead><tr><th>{html.escape(t('week'))}</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")
