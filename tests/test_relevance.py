"""Audience per e-service: defaults for common services, relevance from the segment profiles with
its reason, and no citizen activity or money for segments a service does not concern."""

import pytest

from campaigns.definitions import EService
from campaigns.mix import optimise_mix
from campaigns.planning import default_plan
from campaigns.relevance import age_share, excluded, relevance
from campaigns.services import Audience, defaults_for, load_defaults
from common.catalogue import render

from .conftest import DATA

COMMON = ["skolval", "forskola", "bygglov", "vigsel", "felanmalan", "synpunkter", "ekonomiskt_bistand", "fardtjanst"]


def _children(segment):
    household = segment.profile.shares.get("household", {})
    return household.get("family_with_children", 0) + household.get("single_parent", 0)


@pytest.fixture(scope="module")
def atvidaberg():
    return default_plan(DATA / "campaigns" / "atvidaberg_2027.yaml")


def test_common_services_have_audiences_and_content_in_the_defaults_file():
    keys = {s.key for s in load_defaults()}
    assert set(COMMON) <= keys
    for s in load_defaults():
        assert s.audience.note and s.content.action and s.content.task and s.content.what and s.content.needs
    assert defaults_for("vigsel_2027", "Borgerlig vigsel").key == "vigsel"  # by a word in key or name
    assert defaults_for("x", "Ansök om förskoleplats").key == "forskola"
    assert defaults_for("x", "Boka padelbana") is None


def test_skolval_reaches_no_older_segment_without_children(atvidaberg):
    """Done when: skolval reaches no segment whose median age is ≥ 70 with under 10 % children."""
    plan, ss = atvidaberg
    old = [s for s in ss.segments if s.profile.age_median >= 70 and _children(s) < 0.1]
    assert old, "the sample should have such segments"
    targeted = {a.segment for a in plan.activities if a.e_service == "skolval" and a.segment is not None}
    assert targeted and not targeted & {s.id for s in old}
    mix = optimise_mix(plan.campaign, plan.region, ss)
    assert not [k for k in mix.picked if k[0] == "skolval" and k[1] in {s.id for s in old}]
    assert any(k[0] == "skolval" for k in mix.picked)  # the families still get it
    for s in old:
        r = relevance(plan.campaign.e_service("skolval"), s)
        assert not r.relevant and r.score < 0.1
        text = render(r.reason, "sv")
        assert text.startswith("utanför målgruppen") and ("barn hemma" in text or "25–60 år" in text)
        assert "outside the audience" in render(r.reason, "en")


def test_services_for_everyone_reach_every_segment(atvidaberg):
    plan, ss = atvidaberg
    targeted = {a.segment for a in plan.activities if a.e_service == "synpunkter" and a.segment is not None}
    assert targeted == {s.id for s in ss.segments}
    assert all(render(relevance(plan.campaign.e_service("synpunkter"), s).reason, "sv") == "e-tjänsten gäller alla"
               for s in ss.segments)


def test_the_kanaler_and_kalender_explanation_names_segment_and_reason(atvidaberg):
    plan, ss = atvidaberg
    skolval = plan.campaign.e_service("skolval")
    left_out = [s for s in ss.segments if not relevance(skolval, s).relevant]
    lines = [render(m, "sv") for m in excluded(plan.campaign, ss)]
    assert len(left_out) >= 2 and len(lines) == 1  # lämna synpunkt concerns everyone
    assert lines[0].startswith(f"Skolval: inga aktiviteter för invånare i {len(left_out)} segment")
    assert all(s.name in lines[0] for s in left_out) and "högst" in lines[0]
    assert f"no citizen activities for {len(left_out)} segments" in render(excluded(plan.campaign, ss)[0], "en")


def test_age_share_reads_bands_as_evenly_spread(atvidaberg):
    _, ss = atvidaberg
    p = ss.segments[0].profile.model_copy(update={"age_bands": {"16–29": 0.5, "30–44": 0.5}})
    assert age_share(p, 16, 44) == pytest.approx(1.0)
    assert age_share(p, 25, 34) == pytest.approx(0.5 * 5 / 14 + 0.5 * 5 / 15)
    assert age_share(p, 80, 120) == 0.0


def test_a_criterion_the_data_cannot_answer_is_said_not_guessed(atvidaberg):
    plan, ss = atvidaberg
    e = EService(key="bygglov", name="Ansök om bygglov", link="https://example.se/b", go_live="2027-05-04")
    r = relevance(e, ss.segments[0])
    assert r.unknown == ("homeowners",) and "boendeform" in render(r.reason, "sv")
    only_unknown = e.model_copy(update={"audience": Audience(homeowners=True)})
    r = relevance(only_unknown, ss.segments[-1])
    assert r.relevant and "datan kan inte avgöra" in render(r.reason, "sv")


def test_the_campaign_file_can_state_its_own_audience(atvidaberg):
    plan, ss = atvidaberg
    seniors = max(ss.segments, key=lambda s: s.profile.age_median)
    own = EService.model_validate({"key": "skolval", "name": "Skolval", "link": "https://example.se/s",
                                   "go_live": "2027-02-09", "audience": {"everyone": True}})
    assert relevance(own, seniors).relevant
    strict = own.model_copy(update={"audience": Audience(ages=(90, 120), min_relevance=0.9)})
    assert not relevance(strict, seniors).relevant
    with pytest.raises(ValueError):
        Audience(ages=(60, 20))


def test_a_campaign_kit_carries_the_audience_and_content_it_sets(atvidaberg, varmland):
    import datetime as dt

    from campaigns.kit import export_kit, import_kit

    plan, _ = atvidaberg
    kit = export_kit(plan.campaign, plan.region)
    _, target, _ = varmland
    result = import_kit(kit, target, key="kit", planning_start=dt.date(2027, 1, 4))
    skolval = result.campaign.e_service("skolval")
    assert skolval.service_content().opens.startswith("Skolvalet är öppet från 9 februari")
    assert skolval.target_audience().children is True  # the common service's audience, found by key
