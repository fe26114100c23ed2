"""The staggered estimator: on planted data with staggered starts and growing effects its band
covers the planted effect, where the plain two-way fixed-effects fit is biased; power before the
campaign for both sample regions."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from campaigns.definitions import EService
from campaigns.planning import default_plan
from campaigns.schedule import plan_campaign
from campaigns.usage import (
    SAMPLE_BASELINE,
    SAMPLE_EFFECTS,
    estimate_uplift,
    generate_usage,
    load_usage,
    planted_effect,
    planted_panel,
    staggered_fit,
    twfe_fit,
)
from campaigns.usage.power import minimum_detectable_effect
from common.catalogue import render

from .conftest import DATA


def _truth(panel):
    """The planted effect averaged over the started member-months that still had a comparison."""
    open_months = panel.groupby("t")["treat"].transform("min") == 0
    return float(panel.loc[open_months & panel["treat"], "effect"].mean())


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_band_covers_a_growing_planted_effect_where_twfe_misses(seed):
    panel = planted_panel(seed=seed)
    truth = _truth(panel)
    fit = staggered_fit(panel)
    assert fit.low <= truth <= fit.high, (truth, fit)
    twfe = twfe_fit(panel)
    assert twfe.estimate < truth - 0.05  # biased towards zero: started members serve as comparison
    assert not twfe.low <= truth <= twfe.high, (truth, twfe)


def test_the_event_study_shows_flat_pre_periods_and_the_growth():
    fit = staggered_fit(planted_panel(seed=3, noise=0.05))
    before = [e for e in fit.event_study if e.months < -1]
    after = {e.months: e for e in fit.event_study if e.months >= 0}
    assert before and all(abs(e.estimate) < 0.1 for e in before)
    assert after[0].estimate < after[6].estimate < after[max(after)].estimate
    for months, e in after.items():  # each month's band covers that month's planted effect
        assert e.low - 0.05 <= 0.1 + 0.05 * months <= e.high + 0.05, (months, e)


def test_a_staggered_plan_with_a_growing_effect_is_recovered_through_the_whole_pipeline(varmland):
    campaign, region, ss = varmland
    late = {m.name: dt.date(2027, 9, 14) for m in region.municipalities[:8]}
    e = EService(key="vigsel", name="Boka vigsel", link="https://example.se/v", go_live=dt.date(2027, 3, 16),
                 local_go_live=late)
    plan = plan_campaign(campaign.model_copy(update={"e_services": [e]}), region, ss)
    frame = generate_usage(plan, SAMPLE_EFFECTS, baseline=SAMPLE_BASELINE, seed=3, ramp_months=6)
    usage = load_usage(frame.to_csv(index=False).encode(), "u.csv", region, plan.campaign)
    up = estimate_uplift(usage, plan, "vigsel")
    months = sorted(usage.frame["month"].unique())
    truth = planted_effect(plan, SAMPLE_EFFECTS, "vigsel", ramp_months=6, months=months)
    assert up.method == "staggered" and up.comparisons == 8
    assert up.low <= truth <= up.high, (truth, up)
    text = render(up.conclusion, "sv")
    assert "ännu inte hade startat" in text and "8 kommuner startade senare" in text
    assert any(e.months < -1 for e in up.event_study)  # pre-periods are there to judge
    assert "not started yet" in render(up.conclusion, "en")


def test_everyone_together_falls_back_to_the_own_trend_and_says_it_is_weak(varmland_plan, varmland):
    frame = generate_usage(varmland_plan, SAMPLE_EFFECTS, baseline=SAMPLE_BASELINE, seed=5)
    usage = load_usage(frame.to_csv(index=False).encode(), "u.csv", varmland_plan.region, varmland_plan.campaign)
    up = estimate_uplift(usage, varmland_plan, "bygglov")
    assert up.method == "own_trend"
    assert "påhittade startdatum" in render(up.conclusion, "sv") and "made-up start date" in render(up.conclusion, "en")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["varmland_2027", "atvidaberg_2027"])
def test_power_figures_for_both_sample_regions(name):
    plan, _ = default_plan(str(DATA / "campaigns" / f"{name}.yaml"))
    usage = load_usage(DATA / "usage" / f"{name}.csv", None, plan.region, plan.campaign)
    first = plan.campaign.e_services[0].key
    with_history = minimum_detectable_effect(plan, first, usage)
    default = minimum_detectable_effect(plan, first, None)
    assert with_history.source == "history" and default.source == "default"
    planned = with_history.scenarios[0]
    assert planned.key == "as_planned" and planned.mde is not None and 0 < planned.mde < 2 * with_history.level + 1
    keys = {s.key for s in with_history.scenarios}
    if with_history.members >= 4:  # Värmland: staggered alternatives with a real comparison
        assert {"two_waves_3", "two_waves_6"} <= keys
        waves = next(s for s in with_history.scenarios if s.key == "two_waves_6")
        assert waves.method == "staggered" and waves.delayed == with_history.members // 2 and waves.months_later == 6
    else:  # Åtvidaberg's three members are too few to compare rounds
        assert keys == {"as_planned"}


def test_smaller_members_mean_a_larger_minimum_detectable_effect(varmland_plan):
    """Without statistics the noise is counting noise: a tenth of the inhabitants, about √10 × the MDE."""
    region = varmland_plan.region
    small = region.model_copy(update={"municipalities": [
        m.model_copy(update={"population": max(1, m.population // 10)}) for m in region.municipalities]})
    big = minimum_detectable_effect(varmland_plan, "vigsel", None).scenarios[0].mde
    tiny = minimum_detectable_effect(dataclasses.replace(varmland_plan, region=small), "vigsel", None).scenarios[0].mde
    assert 2.0 < tiny / big < 4.5
