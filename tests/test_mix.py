"""The budgeted channel mix: budget, coverage, capacities, and who gets paper and training."""

import math

import pytest

from campaigns.channels import affinity
from campaigns.mix import channel_options, optimise_mix
from common.catalogue import render


def test_budget_is_respected_and_explained(varmland):
    campaign, region, ss = varmland
    for budget in (5_000, 60_000, 240_000):
        mix = optimise_mix(campaign, region, ss, budget)
        assert mix.total_cost <= budget + 1e-6
        assert any("av budgeten" in render(line, "sv") for line in mix.explanation)
        assert any("of the budget" in render(line, "en") for line in mix.explanation)


def test_every_segment_gets_its_minimum_coverage_when_the_budget_allows(varmland):
    campaign, region, ss = varmland
    mix = optimise_mix(campaign, region, ss, 240_000, min_coverage=0.1)
    assert mix.feasible
    for o in mix.options:
        if o.relevant:
            assert mix.coverage(o.segment, o.e_service) >= 0.1 - 1e-9, (o.e_service, o.segment_name)


def test_too_small_a_budget_says_what_coverage_would_cost(varmland):
    campaign, region, ss = varmland
    mix = optimise_mix(campaign, region, ss, 5_000, min_coverage=0.1)
    assert not mix.feasible
    first = render(mix.explanation[0], "sv")
    assert "räcker inte" in first and "kräver omkring" in first


@pytest.mark.parametrize("budget", [math.inf, 240_000])
def test_coverage_the_channels_caps_cannot_give_is_said_without_quoting_a_budget(varmland, budget):
    """Asking 90 % of every segment is more than the channels' weekly and monthly caps allow at any
    cost: the mix says so (no "the budget is not enough"), in both languages, even with no limit."""
    campaign, region, ss = varmland
    mix = optimise_mix(campaign, region, ss, budget, min_coverage=0.9)
    assert not mix.feasible and mix.explanation[0].code == "mix.infeasible_unlimited"
    assert "utan budgetgräns" in render(mix.explanation[0], "sv") and "90" in render(mix.explanation[0], "en")
    assert mix.total_cost <= budget


def test_low_digital_segments_are_steered_to_paper_and_training(varmland):
    campaign, region, ss = varmland
    mix = optimise_mix(campaign, region, ss, 240_000)
    offline = next(s for s in ss.segments if "papper" in s.name)
    assert set(mix.channels_for(offline.id)) == {"flyer", "training"}
    digital = max(ss.segments, key=lambda s: s.profile.habits.daily_internet)
    assert "web" in mix.channels_for(digital.id) and "training" not in mix.channels_for(digital.id)


def test_need_weights_favour_segments_that_use_e_services_least(varmland):
    campaign, region, ss = varmland
    options = channel_options(campaign, region, ss)
    need = {o.segment: o.need for o in options}
    uses = {s.id: s.profile.habits.eservice_mean for s in ss.segments}
    assert max(need, key=need.get) == min(uses, key=uses.get)


def test_channel_capacity_limits_the_mix(varmland):
    campaign, region, ss = varmland
    # Training suits every segment here, so that capacity, not affinity, is what limits it.
    loose = [c.model_copy(update={"affinity_habit": "everyone", "max_per_month": None, "max_per_week": None})
             if c.key == "training" else c for c in region.channels]
    tight = [c.model_copy(update={"max_per_month": 1}) if c.key == "training" else c for c in loose]
    free = optimise_mix(campaign, region.model_copy(update={"channels": loose}), ss, 10_000_000, min_coverage=0.0)
    capped = optimise_mix(campaign, region.model_copy(update={"channels": tight}), ss, 10_000_000, min_coverage=0.0)
    def per_service(mix):
        return max(sum(1 for e, _, c in mix.picked if c == "training" and e == key) for key in mix_services(mix))

    assert per_service(free) > 1  # without the cap it is chosen for several segments of one service
    assert per_service(capped) <= 1


def mix_services(mix):
    return {e for e, _, _ in mix.picked}


def test_the_mix_pays_only_for_segments_a_service_concerns(varmland):
    campaign, region, ss = varmland
    mix = optimise_mix(campaign, region, ss, 240_000)
    seniors = [s for s in ss.segments if s.profile.age_median >= 65]
    assert seniors and all(s.id not in {seg for e, seg, _ in mix.picked if e == "vigsel"} for s in seniors)
    assert any(e == "felanmalan" and seg == seniors[0].id for e, seg, _ in mix.picked)  # everyone's service
    lines = [render(m, "sv") for m in mix.explanation if m.code == "mix.not_in_audience"]
    assert lines and all("Boka vigsel" in line and "år" in line for line in lines)
    relevance = {(o.e_service, o.segment): o.relevance for o in mix.options}
    assert relevance[("vigsel", seniors[0].id)] < 0.1 <= relevance[("felanmalan", seniors[0].id)]


@pytest.mark.parametrize("channel,phrase", [("facebook", "använder Facebook"), ("flyer", "papper"),
                                            ("web", "internet dagligen")])
def test_affinity_reasons_are_plain_swedish(varmland, channel, phrase):
    campaign, region, ss = varmland
    a = affinity(ss.segments[0], region.channel(channel))
    text = render(a.reason, "sv")
    assert phrase in text and "%" in text and "i segmentet" in text and 0 <= a.score <= 1
