"""Campaign documents officers make on screen: made, changed, validated like files, role-checked,
versioned with undo and conflicts through the working-session engine, YAML in and out, kits."""

import datetime as dt

import pytest
import yaml

from campaigns.access import Actor, Forbidden
from campaigns.campaign_docs import (
    CAMPAIGN,
    add_service,
    bundled_campaigns,
    catalogue,
    catalogue_service,
    kit_into,
    new_campaign,
    new_key,
    read_campaign,
    remove_service,
    set_local_go_live,
)
from campaigns.campaign_files import dump_yaml, load_region
from campaigns.campaign_session import CAMPAIGN_DOC
from campaigns.definitions import EService
from campaigns.shared_work import UNDO, SharedWork, undo_key
from campaigns.store import Conflict, Store
from campaigns.working_session import WorkingSession
from common.errors import InputError

from .conftest import DATA

COORDINATOR = Actor("anna@karlstad.se", "coordinator")
OFFICER = Actor("bo@forshaga.se", "officer", "Forshaga")
VIEWER = Actor("cecilia@kil.se", "viewer")


@pytest.fixture(scope="module")
def region():
    return load_region(DATA / "regions" / "varmland.yaml")


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'shared.sqlite'}")


def _own_service(go_live=dt.date(2027, 5, 4)) -> EService:
    return EService.model_validate({
        "key": "hemtjanst", "name": "Ansök om hemtjänst", "description": "Ansök om hjälp i hemmet.",
        "link": "https://e-tjanster.varmland.se/hemtjanst", "go_live": go_live,
        "local_go_live": {"Kil": dt.date(2027, 6, 1)},
        "audience": {"ages": [65, 110], "note": "Äldre som bor hemma."},
        "content": {"action": "Ansök om hemtjänst", "needs": ["BankID"], "duration": "Det tar fem minuter."}})


@pytest.fixture
def skolval(region):
    first = catalogue_service("skolval", region, dt.date(2027, 3, 1))
    return new_campaign("Skolval i Värmland", region, dt.date(2027, 1, 11), 50000, first, bundled_campaigns())


@pytest.mark.parametrize("path", sorted((DATA / "campaigns").glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_files_round_trip_as_documents(path):
    text = path.read_text(encoding="utf-8")
    campaign = read_campaign(text, str(path))
    assert dump_yaml(campaign) == text  # load -> save gives the same file
    assert read_campaign(dump_yaml(campaign), "again") == campaign


def test_a_new_campaign_with_skolval_from_the_catalogue_knows_its_audience_and_content(skolval):
    assert skolval.key == "skolval_i_varmland_2027" and skolval.region == "varmland"
    e = skolval.e_service("skolval")
    assert e.name == "Välj skola" and e.link == "https://www.karlstad.se/e-tjanster/skolval"
    assert e.target_audience().children is True and e.target_audience().ages == (25, 60)
    assert e.service_content().task == "välja skola för ditt barn"
    assert "skolval" in catalogue() and catalogue()["skolval"] == "Välj skola"
    assert read_campaign(dump_yaml(skolval), "doc") == skolval  # the exported YAML reads back the same


def test_an_own_e_service_with_audience_content_and_a_members_go_live_round_trips(skolval, region):
    both = add_service(skolval, region, _own_service())
    text = dump_yaml(both)
    assert "local_go_live:\n    Kil: 2027-06-01" in text and "ages:\n    - 65\n    - 110" in text
    again = read_campaign(text, "doc")
    assert again == both and again.e_service("hemtjanst").target_audience().ages == (65, 110)
    assert [e.key for e in remove_service(both, region, "skolval").e_services] == ["hemtjanst"]


def test_refusals_are_located_and_change_nothing(skolval, region):
    with pytest.raises(InputError) as info:
        add_service(skolval, region, catalogue_service("skolval", region, dt.date(2027, 3, 1)))
    assert info.value.codes == {"campaign.duplicate_service"}
    with pytest.raises(InputError) as info:
        remove_service(skolval, region, "skolval")
    assert info.value.codes == {"campaign.last_service"}
    with pytest.raises(InputError) as info:
        catalogue_service("nope", region, dt.date(2027, 3, 1))
    assert info.value.codes == {"unknown_reference"}
    with pytest.raises(InputError) as info:
        add_service(skolval, region, _own_service().model_copy(update={"channels": ["web", "tv"]}))
    assert info.value.codes == {"unknown_channel"} and "e_services[1].channels[1]" in info.value.problems[0].where
    assert [e.key for e in skolval.e_services] == ["skolval"]


@pytest.mark.parametrize(("change", "code"), [
    (lambda d: d.update(budget_sek="mycket"), "schema.float_parsing"),
    (lambda d: d.update(region="../../etc/passwd"), "unknown_reference"),
    (lambda d: d["e_services"][0].update(link="javascript:alert(1)"), "schema.web_link"),
    (lambda d: d["e_services"][0].update(local_go_live={"Oslo": "2027-04-01"}), "not_a_member"),
    (lambda d: d.update(extra="x"), "schema.extra_forbidden"),
])
def test_documents_pass_the_same_validation_as_campaign_files(skolval, change, code):
    data = yaml.safe_load(dump_yaml(skolval))
    change(data)
    with pytest.raises(InputError) as info:
        read_campaign(yaml.safe_dump(data, allow_unicode=True), "campaign/skolval")
    assert code in info.value.codes
    assert all(p.where and p.where.startswith(("campaign/skolval", "region")) for p in info.value.problems)


def test_a_huge_or_deep_document_is_refused_before_it_is_parsed():
    with pytest.raises(InputError) as info:
        read_campaign("a: " + "[" * 100 + "]" * 100, "campaign/x")
    assert info.value.codes == {"yaml_too_deep"}


def test_new_keys_are_unique_and_plain():
    assert new_key("Skolval i Värmland 2027", ["skolval_i_varmland_2027"]) == "skolval_i_varmland_2027_2"
    assert new_key("2027 års kampanj", []) == "k_2027_ars_kampanj"


def test_who_may_write_a_campaign(store, skolval, region):
    text = dump_yaml(skolval)
    with pytest.raises(Forbidden):
        SharedWork(store, OFFICER).save_campaign(skolval.key, text, based_on=0)
    with pytest.raises(Forbidden):
        SharedWork(store, VIEWER).save_campaign(skolval.key, text, based_on=0)
    assert store.load(CAMPAIGN, skolval.key) is None
    doc = SharedWork(store, COORDINATOR).save_campaign(skolval.key, text, based_on=0)
    assert doc.version == 1 and doc.updated_by == COORDINATOR.email
    # an officer sets their own municipality's go-live date, and only that
    own = set_local_go_live(skolval, region, "skolval", "Forshaga", dt.date(2027, 3, 15))
    assert SharedWork(store, OFFICER).save_campaign(skolval.key, dump_yaml(own), based_on=1).version == 2
    other = set_local_go_live(own, region, "skolval", "Kil", dt.date(2027, 3, 15))
    renamed = own.model_copy(update={"name": "Annat namn"})
    for forbidden in (other, renamed):
        with pytest.raises(Forbidden):
            SharedWork(store, OFFICER).save_campaign(skolval.key, dump_yaml(forbidden), based_on=2)
    assert store.load(CAMPAIGN, skolval.key).version == 2
    with pytest.raises(InputError) as info:  # a document is validated before it is stored
        SharedWork(store, COORDINATOR).save_campaign(skolval.key, text.replace("varmland", "nowhere"), based_on=2)
    assert store.load(CAMPAIGN, skolval.key).version == 2 and info.value.codes


def test_an_officer_sets_their_own_go_live_in_a_bundled_campaign(store, region):
    path = bundled_campaigns()["varmland_2027"]
    campaign = read_campaign(path.read_text(encoding="utf-8"), str(path))
    own = set_local_go_live(campaign, region, "vigsel", "1763", dt.date(2027, 4, 6))  # Forshaga by its code
    assert own.e_service("vigsel").local_go_live == {"Forshaga": dt.date(2027, 4, 6)}
    SharedWork(store, OFFICER).save_campaign("varmland_2027", dump_yaml(own), based_on=0)
    assert read_campaign(store.load(CAMPAIGN, "varmland_2027").content, "doc") == own


def _session(store, actor, fresh, key):
    work = SharedWork(store, actor)
    return WorkingSession(CAMPAIGN_DOC, key, fresh, store=lambda: store,
                          save=lambda content, based_on: work.save_campaign(key, content, based_on=based_on),
                          merge=lambda content, based_on: work.save_campaign(key, content, based_on=based_on),
                          may_save=lambda: actor.role == "coordinator",
                          remember=lambda steps: work.keep_undo(CAMPAIGN, key, steps)).open()


def test_campaign_documents_have_autosave_undo_conflicts_and_merge(store, skolval, region):
    SharedWork(store, COORDINATOR).save_campaign(skolval.key, dump_yaml(skolval), based_on=0)
    mine = _session(store, COORDINATOR, skolval, skolval.key)
    theirs = _session(store, Actor("dag@arvika.se", "coordinator"), skolval, skolval.key)
    assert mine.state == skolval and mine.version == 1
    mine.change(add_service(mine.state, region, _own_service()))
    assert mine.status()[0] == "saved" and store.load(CAMPAIGN, skolval.key).version == 2
    assert mine.last_change().code == "campaign.change.added"
    # the other session changes the budget without having seen the new e-service: a conflict, merged
    theirs.change(theirs.state.model_copy(update={"budget_sek": 90000.0}))
    assert theirs.conflict is not None
    merged = read_campaign(
        __import__("campaigns.store", fromlist=["merge_documents"]).merge_documents(
            dump_yaml(theirs.base()), dump_yaml(mine.state), dump_yaml(theirs.state))[0], "merge")
    theirs.resolve(merged)
    assert {e.key for e in merged.e_services} == {"skolval", "hemtjanst"} and merged.budget_sek == 90000
    assert mine.sync() is not None and mine.state == merged  # the first session takes it in
    # undo, and the undo steps survive a reload (a new session of the same person)
    again = _session(store, COORDINATOR, skolval, skolval.key)
    kept = yaml.safe_load(store.load(UNDO, undo_key(CAMPAIGN, skolval.key, COORDINATOR.email)).content)
    again.restore_undo(kept)
    assert len(again.undo_stack) == 1 and again.undo_stack[0] == skolval
    again.undo()
    assert again.state == skolval and store.load(CAMPAIGN, skolval.key).content == dump_yaml(skolval)


def test_a_role_that_may_not_save_keeps_its_changes_in_the_session(store, skolval, region):
    SharedWork(store, COORDINATOR).save_campaign(skolval.key, dump_yaml(skolval), based_on=0)
    viewer = _session(store, VIEWER, skolval, skolval.key)
    viewer.change(viewer.state.model_copy(update={"budget_sek": 1.0}))
    assert viewer.status()[0] == "read_only" and store.load(CAMPAIGN, skolval.key).version == 1


def test_a_stale_save_is_a_conflict_not_an_overwrite(store, skolval):
    work = SharedWork(store, COORDINATOR)
    work.save_campaign(skolval.key, dump_yaml(skolval), based_on=0)
    with pytest.raises(Conflict):
        work.save_campaign(skolval.key, dump_yaml(skolval.model_copy(update={"budget_sek": 2.0})), based_on=0)


def test_a_kit_creates_a_campaign_or_adds_to_one(skolval, region):
    from campaigns.kit import export_kit, import_kit

    at_campaign, at_region = read_campaign((DATA / "campaigns" / "atvidaberg_2027.yaml").read_text("utf-8"),
                                           "atvidaberg"), load_region(DATA / "regions" / "atvidaberg.yaml")
    kit = import_kit(export_kit(at_campaign, at_region), region, key="varmland_kit",
                     planning_start=dt.date(2027, 1, 4))
    made = kit_into(None, kit.campaign, region, ["varmland_kit"])
    assert made.key == "varmland_kit_2" and made.region == "varmland"
    assert read_campaign(dump_yaml(made), "kit") == made
    added = kit_into(skolval, kit.campaign, region, [])
    assert [e.key for e in added.e_services][0] == "skolval"
    assert {e.key for e in added.e_services} == {"skolval"} | {e.key for e in kit.campaign.e_services}


def test_a_kit_preview_names_channels_and_proposes_working_days(region):
    from campaigns.kit import export_kit, import_kit
    from campaigns.schedule.workdays import DayRules
    from common.catalogue import render

    at_campaign = read_campaign((DATA / "campaigns" / "atvidaberg_2027.yaml").read_text("utf-8"), "atvidaberg")
    at_region = load_region(DATA / "regions" / "atvidaberg.yaml")
    # 2027-01-03 is a Sunday: the old proposal (start + 8 weeks, then every 4 weeks) fell on Sundays
    kit = import_kit(export_kit(at_campaign, at_region), region, key="k", planning_start=dt.date(2027, 1, 3))
    rules = DayRules((), 2027, 2028)
    days = [e.go_live for e in kit.campaign.e_services]
    assert days and all(rules.is_working_day(d) for d in days)
    assert days[0] == dt.date(2027, 3, 1)  # the Monday after Sunday 28 February
    preview = " ".join(render(m, "sv") for m in kit.changes)
    assert "Webb (nyhet och e-tjänstsida), Facebookinlägg och Flygblad (A5)" in preview
    assert "web, facebook" not in preview and "flyer och training" not in preview


def test_two_editors_each_adding_an_e_service_keep_both(skolval, region):
    from campaigns.campaign_docs import merge_campaigns

    theirs = add_service(skolval, region, catalogue_service("bygglov", region, dt.date(2027, 4, 6)))
    yours = add_service(skolval.model_copy(update={"budget_sek": 75000.0}), region, _own_service())
    merged, clashes = merge_campaigns(skolval, theirs, yours)
    assert [e.key for e in merged.e_services] == ["skolval", "bygglov", "hemtjanst"] and merged.budget_sek == 75000
    assert clashes == []
    both = theirs.model_copy(update={"budget_sek": 1.0})  # both changed the budget: theirs kept, path listed
    merged, clashes = merge_campaigns(skolval, both, yours)
    assert merged.budget_sek == 1.0 and clashes == ["budget_sek"]
    removed = remove_service(add_service(skolval, region, _own_service()), region, "skolval")
    merged, _ = merge_campaigns(add_service(skolval, region, _own_service()), removed,
                                add_service(skolval, region, _own_service()))
    assert [e.key for e in merged.e_services] == ["hemtjanst"]  # a removal on one side stays removed


def test_objectives_set_on_screen_round_trip_through_the_campaign_yaml():
    from campaigns.campaign_docs import set_objectives
    from campaigns.campaign_files import dump_yaml, load_campaign
    from campaigns.definitions import Campaign, Objective

    campaign, region = load_campaign(DATA / "campaigns" / "varmland_2027.yaml")
    goal = Objective(metric="heard_of", kind="level", target=0.6, by=dt.date(2027, 10, 31))
    changed = set_objectives(campaign, region, "bygglov", [goal])
    assert changed.e_service("bygglov").objectives == [goal]
    again = Campaign.model_validate(yaml.safe_load(dump_yaml(changed)))
    assert again.e_service("bygglov").objectives == [goal]
    cleared = set_objectives(changed, region, "bygglov", [])
    assert cleared.e_service("bygglov").objectives == [] and "objectives" not in dump_yaml(
        cleared.e_service("bygglov"))
