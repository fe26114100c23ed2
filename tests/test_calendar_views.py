"""Calendar views: vectorised filters, a month grid that names each day's activities, a workload
table with every week and municipality, a timeline aggregated per day; reach as unique persons."""

from __future__ import annotations

import datetime as dt
import math

from campaigns.mix import optimise_mix
from campaigns.schedule.views import activity_table, month_grid, months, select, timeline_counts, workload_table


def test_filters_match_a_plain_loop(varmland_plan):
    table = activity_table(varmland_plan)
    picked = select(table, ["1763", "1780"], ["vigsel"], ["flyer", "facebook"])
    expected = [a.id for a in varmland_plan.activities if a.municipality in ("1763", "1780")
                and a.e_service == "vigsel" and a.channel in ("flyer", "facebook")]
    assert list(picked["id"]) == expected and expected
    assert len(select(table)) == len(varmland_plan.activities)


def test_the_month_grid_holds_every_activity_of_the_month_on_its_day(varmland_plan):
    table = activity_table(varmland_plan)
    year, month = months(table)[0]
    grid = month_grid(table, year, month)
    assert all(len(week) == 7 for week in grid)
    first = next(c.day for c in grid[0] if c.day is not None)
    assert first.day == 1 and grid[0][first.weekday()].day == first  # Monday first
    for week in grid:
        for cell in week:
            if cell.day is None:
                assert cell.rows == ()
                continue
            expected = [i for i, a in enumerate(varmland_plan.activities) if a.start == cell.day]
            assert list(cell.rows) == expected
    in_month = sum(1 for a in varmland_plan.activities if (a.start.year, a.start.month) == (year, month))
    assert sum(len(c.rows) for w in grid for c in w) == in_month > 0


def test_the_timeline_is_aggregated_per_municipality_day_and_phase(varmland_plan):
    counts = timeline_counts(activity_table(varmland_plan))
    assert counts["count"].sum() == len(varmland_plan.activities)
    assert len(counts) < len(varmland_plan.activities) / 2  # far fewer marks to draw and send


def test_workload_has_every_week_and_every_chosen_municipality(varmland_plan):
    load = workload_table(varmland_plan)
    weeks = sorted(set(load["week"]))
    assert all((b - a) == dt.timedelta(days=7) for a, b in zip(weeks, weeks[1:]))  # no week left out
    assert set(load["municipality"]) == {m.name for m in varmland_plan.region.municipalities}
    assert (load["hours"] == 0).any()  # empty weeks are there, as 0
    booked = {(r.code, r.week): r.hours for r in varmland_plan.workload()}
    for row in load.itertuples():
        assert row.hours == booked.get((row.code, row.week.date()), 0.0)
    three = workload_table(varmland_plan, ["1763", "1780", "1715"])
    assert set(three["municipality"]) == {"Forshaga", "Karlstad", "Kil"} and len(set(three["week"])) == len(weeks)


def test_reach_counts_each_person_once_and_contacts_each_time(varmland):
    campaign, region, ss = varmland
    mix = optimise_mix(campaign, region, ss)
    adults = sum(m.population for m in region.municipalities) * 0.82
    assert mix.unique_reach < mix.total_reach and mix.unique_reach <= adults
    assert mix.unique_reach >= max(o.reach for o in mix.options if mix.is_chosen(o))  # one service, one channel


def test_no_limit_is_a_budget_of_its_own(varmland):
    mix = optimise_mix(*varmland, budget=math.inf)
    assert mix.unlimited and mix.feasible and mix.explanation[0].code == "mix.summary_unlimited"
    assert len(mix.picked) >= len(optimise_mix(*varmland, budget=20_000).picked)
