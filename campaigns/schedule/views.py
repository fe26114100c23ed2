"""The plan as tables for a calendar view: filtered, aggregated for a timeline, a month grid and
the weekly workload. Pure pandas, language-neutral (titles stay messages), vectorised, so a page
that shows 5,000 activities does not loop over days in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .plan import CampaignPlan

__all__ = ["DayCell", "activity_table", "month_grid", "months", "select", "timeline_counts", "workload_table"]


def activity_table(plan: CampaignPlan) -> pd.DataFrame:
    """One row per activity; `title` holds the message, `start`/`end` are dates (end inclusive)."""
    acts = plan.activities
    return pd.DataFrame({
        "id": [a.id for a in acts],
        "start": pd.to_datetime([a.start for a in acts]),
        "end": pd.to_datetime([a.end for a in acts]),
        "municipality": [a.municipality for a in acts],
        "municipality_name": [a.municipality_name for a in acts],
        "e_service": [a.e_service for a in acts],
        "e_service_name": [a.e_service_name for a in acts],
        "phase": [a.phase for a in acts],
        "kind": [a.kind for a in acts],
        "channel": [a.channel or "" for a in acts],
        "segment_name": [a.segment_name or "" for a in acts],
        "coordination": [a.coordination for a in acts],
        "hours": [a.hours for a in acts],
        "title": [a.title for a in acts],
    })


def select(table: pd.DataFrame, municipalities: Collection[str] = (), e_services: Collection[str] = (),
           channels: Collection[str] = ()) -> pd.DataFrame:
    """The rows for the chosen municipalities (kommunkod), e-services and channels (keys); an empty
    choice means all."""
    mask = np.ones(len(table), dtype=bool)
    for column, wanted in (("municipality", municipalities), ("e_service", e_services), ("channel", channels)):
        if wanted:
            mask &= table[column].isin(list(wanted)).to_numpy()
    return table[mask]


def timeline_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Activities per municipality, day and phase: what a timeline draws (one mark per row)."""
    if table.empty:
        return pd.DataFrame(columns=["municipality_name", "start", "phase", "count"])
    return (table.groupby(["municipality_name", "start", "phase"], observed=True).size()
            .rename("count").reset_index())


def months(table: pd.DataFrame) -> list[tuple[int, int]]:
    """(year, month) of every month with an activity, in order."""
    stamps = table["start"].dt.to_period("M").unique()
    return sorted((p.year, p.month) for p in stamps)


@dataclass(frozen=True)
class DayCell:
    """One day of a month grid: the date (None outside the month) and the rows of its activities."""

    day: dt.date | None
    rows: tuple[int, ...]  # positions in the table given to month_grid


def month_grid(table: pd.DataFrame, year: int, month: int) -> list[list[DayCell]]:
    """Weeks (Monday first) of one month, each day with the activities that start on it."""
    first = dt.date(year, month, 1)
    last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
    starts = table["start"].dt.date.to_numpy()
    in_month = np.flatnonzero((starts >= first) & (starts <= last))
    by_day: dict[dt.date, list[int]] = {}
    for pos in in_month:  # one pass over the month's rows, not one per day
        by_day.setdefault(starts[pos], []).append(int(pos))
    weeks = []
    monday = first - dt.timedelta(days=first.weekday())
    while monday <= last:
        week = []
        for i in range(7):
            d = monday + dt.timedelta(days=i)
            week.append(DayCell(d if d.month == month else None, tuple(by_day.get(d, ()))))  # by_day: this month
        weeks.append(week)
        monday += dt.timedelta(days=7)
    return weeks


def workload_table(plan: CampaignPlan, municipalities: Collection[str] = ()) -> pd.DataFrame:
    """Hours booked per municipality and ISO week, every week from the first to the last activity
    (empty weeks as 0), against the hours the municipality has a week."""
    rows = plan.workload()
    members = [m for m in plan.region.municipalities if not municipalities or m.code in municipalities]
    if not rows or not members:
        return pd.DataFrame(columns=["municipality", "code", "week", "hours", "capacity", "share"])
    weeks = pd.date_range(min(r.week for r in rows), max(r.week for r in rows), freq="7D")
    grid = pd.MultiIndex.from_product([[m.code for m in members], weeks], names=["code", "week"])
    booked = pd.Series({(r.code, pd.Timestamp(r.week)): r.hours for r in rows}, dtype=float)
    frame = booked.reindex(grid, fill_value=0.0).rename("hours").reset_index()
    names = {m.code: m.name for m in members}
    capacity = {m.code: m.weekly_hours for m in members}
    frame["municipality"] = frame["code"].map(names)
    frame["capacity"] = frame["code"].map(capacity).astype(float)
    frame["share"] = (frame["hours"] / frame["capacity"]).where(frame["capacity"] > 0, 0.0)
    return frame[["municipality", "code", "week", "hours", "capacity", "share"]]
