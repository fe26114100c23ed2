"""Roles enforced on every write (issue #11): each write the app makes, driven as each role, for the
writer's own municipality and another; a refused write changes nothing in the database."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, inspect, select, table

from campaigns.access import ACTIONS, PERMISSIONS, ROLES, Actor, Forbidden, allowed, require
from campaigns.drafts import load_edits, preview
from campaigns.drafts.edits import DraftKey
from campaigns.feedback import FeedbackItem
from campaigns.kit import KitImport
from campaigns.shared_work import SharedWork
from campaigns.sign_off import SignOffChanged, sha256
from campaigns.store import Store
from common.errors import InputError

from .conftest import ROOT

ACTORS = {
    "coordinator": Actor("anna@karlstad.se", "coordinator"),
    "officer": Actor("bo@forshaga.se", "officer", "Forshaga", "1763"),
    "viewer": Actor("cecilia@kil.se", "viewer"),
}
# (role, action, own municipality?) -> allowed; the roles table as the README states it
EXPECTED = {
    ("coordinator", a, own): True for a in ACTIONS for own in (True, False)
} | {
    ("officer", a, own): a in ("sign_off", "feedback", "edit_draft", "set_go_live") and own
    for a in ACTIONS for own in (True, False)
} | {
    ("viewer", a, own): False for a in ACTIONS for own in (True, False)
}


def _rows(store: Store) -> dict[str, int]:
    """Rows per table, every table in the database (also those of other modules, e.g. draft edits)."""
    with store.engine.begin() as con:
        return {name: con.execute(select(func.count()).select_from(table(name))).scalar_one()
                for name in inspect(con).get_table_names()}


def _draft(varmland, municipality: str, e_key: str = "vigsel", channel: str = "web"):
    campaign, region, ss = varmland
    return next(d for d in preview(region, campaign, ss, municipality, e_key, channels=[channel]) if d.variant != "b")


@pytest.fixture(scope="module")
def kit(varmland):
    from campaigns.campaign_files import load_region
    from campaigns.kit import export_kit, import_kit

    from .conftest import DATA

    campaign, region, _ = varmland
    return import_kit(export_kit(campaign, region), load_region(DATA / "regions" / "atvidaberg.yaml"), key="k",
                      planning_start=dt.date(2027, 2, 1))


def _write(work: SharedWork, action: str, municipality: str, kit: KitImport, varmland) -> None:
    """The app's write for `action`, as the Samarbete and Utvärdering pages make it."""
    if action == "save_plan":
        work.save_edits("varmland_2027", "budget_sek: 1.0\n", based_on=0)
    elif action == "merge_plan":
        work.merge_edits("varmland_2027", "budget_sek: 1.0\n", based_on=0)
    elif action == "sign_off":
        campaign, region, _ = varmland
        draft = _draft(varmland, municipality)
        work.sign_off(campaign, region, draft, shown_sha256=sha256(draft.text))
    elif action == "feedback":
        work.add_feedback(FeedbackItem("varmland_2027", dt.date(2027, 3, 1), municipality, "vigsel", "web",
                                       "question", "Hur loggar jag in?"))
    elif action == "edit_draft":
        key = DraftKey("varmland_2027", "1763" if municipality == "Forshaga" else "1715", "vigsel", 1, "web", "a")
        work.save_draft_edit(key, "# Egen rubrik\n\nEgen text.\n", based_on=0)
    elif action == "import_kit":
        work.apply_kit(kit, based_on=0)
    elif action == "cost_settings":
        work.set_cost_method("varmland_2027", "equal", based_on=0)
    elif action in ("edit_campaign", "set_go_live"):  # a campaign document (Start page)
        from campaigns.campaign_docs import bundled_campaigns, read_campaign, set_local_go_live
        from campaigns.campaign_files import dump_yaml, load_region

        from .conftest import DATA

        campaign = read_campaign(bundled_campaigns()["varmland_2027"].read_text("utf-8"), "varmland_2027")
        changed = (campaign.model_copy(update={"budget_sek": 1.0}) if action == "edit_campaign" else
                   set_local_go_live(campaign, load_region(DATA / "regions" / "varmland.yaml"), "vigsel",
                                     municipality, dt.date(2027, 4, 6)))
        work.save_campaign("varmland_2027", dump_yaml(changed), based_on=0)
    else:  # pragma: no cover - a new action must be added here (and to the README's table)
        raise AssertionError(action)


@pytest.mark.parametrize("own", [True, False], ids=["own", "other"])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_each_write_as_each_role(store, kit, varmland, role, action, own):
    actor = ACTORS[role]
    municipality = "Forshaga" if own else "Kil"
    before = _rows(store)
    if EXPECTED[(role, action, own)]:
        _write(SharedWork(store, actor), action, municipality, kit, varmland)
        assert _rows(store) != before
    else:
        with pytest.raises(Forbidden) as info:
            _write(SharedWork(store, actor), action, municipality, kit, varmland)
        assert _rows(store) == before  # nothing written
        text = info.value.text("sv")
        assert "får inte" in text and "samordnaren" in text


def test_the_table_and_the_check_agree():
    for (role, action, own), expected in EXPECTED.items():
        actor = ACTORS[role]
        assert allowed(actor, action, "forshaga" if own else "Kil") is expected, (role, action, own)  # any case
    assert set(PERMISSIONS) == set(ACTIONS)
    with pytest.raises(Forbidden):
        require(Actor("x@y.se", "officer", None), "sign_off", "Forshaga")  # an officer with no municipality


def test_the_archive_records_who_really_signed_and_the_texts_hash(store, varmland):
    campaign, region, _ = varmland
    draft = _draft(varmland, "Forshaga")
    SharedWork(store, ACTORS["officer"]).sign_off(campaign, region, draft, shown_sha256=sha256(draft.text))
    row = store.archived(campaign.key)[0]
    assert row.signed_off_by == "bo@forshaga.se" and row.signed_off_at.year > 2000
    assert (row.municipality, row.text, row.text_sha256) == ("Forshaga", draft.text, sha256(draft.text))
    assert row.variant == draft.variant and row.segment == draft.segment_name


# ------------------------------------------------ role checks bound to the row (issue #24, item 5)

def test_an_officer_cannot_write_another_municipalitys_draft_through_the_core(store):
    """The reported defect: the check used the municipality name passed beside the key, so an officer
    of Forshaga wrote Kil's draft by passing municipality="Forshaga". There is no such argument now:
    the key's own kommunkod decides."""
    officer = SharedWork(store, ACTORS["officer"])
    kil = DraftKey("varmland_2027", "1715", "vigsel", 1, "web", "a")
    with pytest.raises(Forbidden):
        officer.save_draft_edit(kil, "# Kils text\n", based_on=0)
    with pytest.raises(TypeError):
        officer.save_draft_edit(kil, "# Kils text\n", municipality="Forshaga", based_on=0)  # type: ignore[call-arg]
    assert len(load_edits(store, "varmland_2027")) == 0
    SharedWork(store, ACTORS["coordinator"]).save_draft_edit(kil, "# Kils text\n", based_on=0)
    before = _rows(store)
    with pytest.raises(Forbidden):
        officer.revert_draft_edit(kil, based_on=1)
    assert _rows(store) == before and load_edits(store, "varmland_2027").get(kil).text == "# Kils text\n"


def test_an_officer_without_a_code_is_refused_drafts(store):
    """Fail closed: an officer whose municipality was not resolved to a kommunkod writes no draft."""
    key = DraftKey("varmland_2027", "1763", "vigsel", 1, "web", "a")
    with pytest.raises(Forbidden):
        SharedWork(store, Actor("bo@forshaga.se", "officer", "Forshaga")).save_draft_edit(key, "# X\n", based_on=0)
    assert len(load_edits(store, "varmland_2027")) == 0


def test_sign_off_refuses_a_municipality_outside_the_campaigns_region(store, varmland):
    """The reported defect: sign_off archived a message for a municipality in no region of the campaign."""
    from campaigns.campaign_files import load_campaign

    from .conftest import DATA

    campaign, region, _ = varmland
    other_campaign, other_region = load_campaign(DATA / "campaigns" / "atvidaberg_2027.yaml")
    coordinator = SharedWork(store, ACTORS["coordinator"])
    kil = _draft(varmland, "Kil")
    before = _rows(store)
    for args in [(campaign, other_region, kil), (other_campaign, other_region, kil), (other_campaign, region, kil)]:
        with pytest.raises(InputError):
            coordinator.sign_off(*args, shown_sha256=sha256(kil.text))
    stranger = dataclasses.replace(kil, municipality_code="0561", municipality="Åtvidaberg")
    with pytest.raises(InputError):
        coordinator.sign_off(campaign, region, stranger, shown_sha256=sha256(stranger.text))
    renamed = dataclasses.replace(kil, municipality="Forshaga")  # the name beside the code decides nothing
    with pytest.raises(Forbidden):
        SharedWork(store, ACTORS["officer"]).sign_off(campaign, region, renamed, shown_sha256=sha256(kil.text))
    assert _rows(store) == before


def test_sign_off_archives_nothing_when_the_text_changed_since_it_was_shown(store, varmland):
    campaign, region, ss = varmland
    coordinator = SharedWork(store, ACTORS["coordinator"])
    shown = _draft(varmland, "Kil")
    before = _rows(store)
    with pytest.raises(SignOffChanged):  # the hash shown is not the text's
        coordinator.sign_off(campaign, region, shown, shown_sha256=sha256(shown.text + " "))
    coordinator.save_draft_edit(shown.key, "# Ny rubrik\n\nNy text från en kollega.\n", based_on=0)
    after_edit = _rows(store)
    with pytest.raises(SignOffChanged):  # someone saved an edit after it was shown
        coordinator.sign_off(campaign, region, shown, shown_sha256=sha256(shown.text))
    assert _rows(store) == after_edit and after_edit["message_archive"] == before["message_archive"]
    fresh = next(d for d in preview(region, campaign, ss, "Kil", "vigsel", channels=["web"],
                                    edits=load_edits(store, campaign.key)) if d.key == shown.key)
    archived = coordinator.sign_off(campaign, region, fresh, shown_sha256=sha256(fresh.text))
    assert archived.text == fresh.text and "Ny text från en kollega" in archived.text


def test_officers_sign_off_and_give_feedback_only_for_their_own_municipality(store):
    """The two defects reported: an officer saving the regional plan, and feedback for any municipality."""
    officer = SharedWork(store, ACTORS["officer"])
    with pytest.raises(Forbidden):
        officer.save_edits("varmland_2027", "budget_sek: 1.0\n", based_on=0)
    assert store.load("edits", "varmland_2027") is None
    with pytest.raises(Forbidden):
        officer.add_feedback(FeedbackItem("c", dt.date(2027, 1, 1), "Kil", "e", "web", "idea", "x"))
    officer.add_feedback(FeedbackItem("c", dt.date(2027, 1, 1), "Forshaga", "e", "web", "idea", "x"))


def test_pages_never_write_to_the_store_directly():
    """Every write goes through SharedWork (auth.shared_work()), so no page can skip the role check."""
    offenders = []
    for path in sorted((ROOT / "app_pages").glob("*.py")) + [ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = ast.unparse(node.func.value)
                if node.func.attr in ("save", "archive", "append", "add") and (
                        "store" in receiver.lower() or "Store(" in receiver):
                    offenders.append(f"{path.name}:{node.lineno} {receiver}.{node.func.attr}")
    assert offenders == []
