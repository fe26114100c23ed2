"""The scheduler: holidays, order of phases, regional waves, caps and workload, explanations."""

import datetime as dt
from collections import defaultdict

import pytest

from campaigns.definitions import WEEKDAYS, EService, Staff
from campaigns.schedule import CATCH_UP_WAVE, plan_campaign
from campaigns.schedule.workdays import DayRules, add_working_days, monday_of
from common.catalogue import render


def sv(msg):
    return render(msg, "sv")


def _with(campaign, *e_services, **changes):
    update = dict(changes)
    if e_services:
        update["e_services"] = [EService.model_validate(e) for e in e_services]
    return campaign.model_copy(update=update)


def _one(key="vigsel", go_live="2027-03-16", **extra):
    """One e-service for every segment (vigsel's own audience leaves the seniors out)."""
    return {"key": key, "name": "Boka vigsel", "link": "https://example.se/vigsel", "go_live": go_live,
            "audience": {"everyone": True}, **extra}


def test_go_live_on_midsommarafton_moves_to_the_next_working_day(varmland):
    campaign, region, ss = varmland
    plan = plan_campaign(_with(campaign, _one(go_live="2027-06-25")), region, ss)
    go = {a.start for a in plan.activities if a.kind == "go_live"}
    assert go == {dt.date(2027, 6, 28)}  # Friday is midsommarafton, then a weekend
    moved = [c for c in plan.changes if c.what.code == "label.go_live"]
    assert moved and "midsommarafton" in sv(moved[0].message) and moved[0].constraint == "holiday"


def test_go_live_in_july_waits_for_the_summer_blackout_to_end(varmland):
    campaign, region, ss = varmland
    plan = plan_campaign(_with(campaign, _one(go_live="2027-07-06")), region, ss)
    assert {a.start for a in plan.activities if a.kind == "go_live"} == {dt.date(2027, 8, 10)}
    assert any("sommaruppehåll" in sv(c.message).lower() for c in plan.changes)


def test_nothing_is_placed_on_a_holiday_weekend_or_blackout(varmland_plan):
    plan = varmland_plan
    rules = DayRules(tuple(plan.region.blackouts), 2027, 2029)
    for a in plan.activities:
        assert rules.blocked(a.start, in_person=True) is None, (a.title, a.start)


def test_internal_marketing_precedes_go_live_everywhere(varmland_plan):
    go_live = {(a.municipality, a.e_service): a.start for a in varmland_plan.activities if a.kind == "go_live"}
    internal = [a for a in varmland_plan.activities if a.phase == "internal_marketing"]
    assert len(internal) == 2 * len(go_live)
    for a in internal:
        assert a.start < go_live[(a.municipality, a.e_service)]
    for a in varmland_plan.activities:
        if a.phase in ("external_marketing", "evaluation") and a.kind != "flyer_order":
            assert a.start >= go_live[(a.municipality, a.e_service)]


def test_regional_waves_coincide_across_members_and_channels(varmland_plan):
    dates = defaultdict(set)
    members = defaultdict(set)
    for a in varmland_plan.activities:
        if a.phase == "external_marketing" and a.coordination == "regional" and a.kind != "flyer_order":
            dates[(a.e_service, a.wave)].add(a.start)
            members[(a.e_service, a.wave)].add(a.municipality)
    assert len(dates) == 9  # three e-services, three waves each
    for key, ds in dates.items():
        assert len(ds) == 1, key
    assert len(members[("vigsel", 0)]) == 16


def test_a_late_member_gets_its_own_catch_up_wave(varmland_plan):
    munkfors = "1762"
    acts = [a for a in varmland_plan.activities if a.e_service == "felanmalan" and a.municipality == munkfors]
    go = next(a.start for a in acts if a.kind == "go_live")
    assert go == dt.date(2027, 5, 18)
    catch_up = [a for a in acts if a.wave == CATCH_UP_WAVE and a.kind != "flyer_order"]
    assert catch_up and all(a.start >= go and a.coordination == "local" for a in catch_up)
    regional = {a.wave for a in acts if a.coordination == "regional" and a.phase == "external_marketing"}
    assert 0 not in regional and 2 in regional  # skips the wave before its launch, joins the later one


def test_capacity_workload_and_print_rules_hold(varmland_plan):
    plan = varmland_plan
    region = plan.region
    rules = DayRules(tuple(region.blackouts), 2027, 2029)
    for row in plan.workload():
        assert row.hours <= row.capacity + 1e-9, row
    weekly, monthly = defaultdict(int), defaultdict(int)
    for a in plan.activities:
        if a.channel and a.kind != "flyer_order":
            weekly[(a.municipality, a.channel, monday_of(a.start))] += 1
            monthly[(a.municipality, a.channel, a.start.year, a.start.month)] += 1
        if a.kind == "flyer_distribution":
            m = region.municipality(a.municipality)
            assert WEEKDAYS[a.start.weekday()] in region.distribution_days_for(m)
            order = next(o for o in plan.activities if o.kind == "flyer_order" and o.id.replace(
                ":flyer_order:", ":flyer_distribution:") == a.id)
            assert order.start == add_working_days(rules, a.start, -region.channel("flyer").lead_working_days)
            assert order.start >= plan.campaign.planning_start
    for (_, key, _), n in weekly.items():
        cap = region.channel(key).max_per_week
        assert cap is None or n <= cap
    for (_, key, *_), n in monthly.items():
        cap = region.channel(key).max_per_month
        assert cap is None or n <= cap


def test_segments_get_channels_that_suit_them(varmland_plan):
    paper = [a for a in varmland_plan.activities if a.kind == "flyer_distribution"]
    offline = next(s for s in varmland_plan.segments if "papper" in s.name)
    most_digital = min(varmland_plan.segments, key=lambda s: s.profile.habits.paper)
    assert offline.id in {a.segment for a in paper} and most_digital.id not in {a.segment for a in paper}
    sessions = {a.segment for a in varmland_plan.activities if a.kind == "session"}
    assert offline.id in sessions and most_digital.id not in sessions
    assert all("papper" in sv(a.reason) or "internet" in sv(a.reason) for a in paper)
    digital = max(varmland_plan.segments, key=lambda s: s.profile.habits.facebook or 0)
    assert any(a.segment == digital.id and a.channel == "facebook" for a in varmland_plan.activities)


def test_a_facebook_cap_moves_the_extra_post_and_says_so(varmland):
    campaign, region, ss = varmland
    channels = [c.model_copy(update={"max_per_week": 1}) if c.key == "facebook" else c for c in region.channels]
    tight = region.model_copy(update={"channels": channels})
    plan = plan_campaign(_with(campaign, _one()), tight, ss)
    fb = [a for a in plan.activities if a.channel == "facebook"]
    per_week = defaultdict(int)
    for a in fb:
        per_week[(a.municipality, monday_of(a.start))] += 1
    assert max(per_week.values()) == 1
    caps = [c for c in plan.changes if c.constraint == "cap"]
    assert caps and "högst 1 facebookinlägg per vecka" in sv(caps[0].message).lower()


@pytest.mark.slow
def test_an_impossible_request_is_explained_not_dropped(varmland):
    campaign, region, ss = varmland
    munis = [m.model_copy(update={"staff": [Staff(role="Ingen", hours_per_week=0.2)]}) if m.name == "Ydre" or
             m.name == "Munkfors" else m for m in region.municipalities]
    plan = plan_campaign(_with(campaign, _one()), region.model_copy(update={"municipalities": munis}), ss)
    unplaced = [c for c in plan.unplaced if c.municipality == "1762"]
    assert unplaced and any("Munkfors har 0,2 timmar" in sv(c.message) for c in unplaced)
    assert all("behöver ett beslut" in sv(c.message) for c in unplaced)


def test_print_lead_time_before_the_planning_start_is_explained(varmland):
    campaign, region, ss = varmland
    plan = plan_campaign(_with(campaign, _one(go_live="2027-01-19"), planning_start=dt.date(2027, 1, 11)),
                         region, ss)
    first_wave = [c for c in plan.changes if c.what.code == "label.wave" and c.what.values["wave"] == 1]
    assert first_wave and "beställas 10 arbetsdagar" in sv(first_wave[0].message)


def test_the_plan_is_deterministic(varmland, varmland_plan):
    again = plan_campaign(*varmland)
    assert again.activities == varmland_plan.activities and again.changes == varmland_plan.changes


@pytest.mark.slow
def test_only_the_members_that_join_get_activities(tmp_path):
    from campaigns.campaign_files import load_campaign
    from campaigns.sources import segments_for

    from .conftest import DATA
    path = DATA / "campaigns" / "atvidaberg_2027.yaml"
    campaign, region = load_campaign(path)
    plan = plan_campaign(campaign, region, segments_for(campaign, region, path))
    skolval = {a.municipality_name for a in plan.activities if a.e_service == "skolval"}
    assert skolval == {"Åtvidaberg", "Kinda", "Ydre"}
    assert {a.municipality_name for a in plan.activities if a.e_service == "synpunkter"} == {"Åtvidaberg"}


@pytest.mark.parametrize("day,expected", [("2027-06-25", "midsommarafton"), ("2027-12-24", "julafton"),
                                          ("2027-12-31", "nyårsafton"), ("2027-06-06", "nationaldagen")])
def test_de_facto_holidays_are_known_by_their_swedish_names(day, expected):
    rules = DayRules((), 2027, 2027)
    assert expected in sv(rules.blocked(dt.date.fromisoformat(day)).msg)


def test_moving_an_activity_by_hand_is_checked_against_the_rules(varmland_plan):
    from campaigns.schedule import MoveRefused, move_activity

    plan = varmland_plan
    post = next(a for a in plan.activities if a.channel == "facebook" and a.municipality == "1763")
    with pytest.raises(MoveRefused) as info:
        move_activity(plan, post.id, dt.date(2027, 6, 25))
    assert "midsommarafton" in info.value.text("sv")
    with pytest.raises(MoveRefused):
        move_activity(plan, post.id, post.start - dt.timedelta(days=30))  # before go-live
    moved = move_activity(plan, post.id, post.start + dt.timedelta(days=1))
    new = next(a for a in moved.activities if a.id == post.id)
    assert new.start == post.start + dt.timedelta(days=1) and new.coordination == "local"
    assert moved.changes[-1].constraint == "manual" and "för hand" in sv(moved.changes[-1].message)


def test_moving_a_flyer_takes_its_print_order_along(varmland_plan):
    from campaigns.schedule import MoveRefused, move_activity

    plan = varmland_plan
    flyer = next(a for a in plan.activities if a.kind == "flyer_distribution" and a.municipality == "1780")
    with pytest.raises(MoveRefused) as info:
        move_activity(plan, flyer.id, flyer.start + dt.timedelta(days=1))  # Karlstad: tue/thu only
    assert "tisdagar och torsdagar" in info.value.text("sv")
    later = flyer.start + dt.timedelta(days=7)
    moved = move_activity(plan, flyer.id, later)
    order = next(a for a in moved.activities if a.id == flyer.id.replace(":flyer_distribution:", ":flyer_order:"))
    rules = DayRules(tuple(plan.region.blackouts), 2027, 2028)
    assert order.start == add_working_days(rules, later, -10)
