"""Roles enforced on every write (issue #11): each write the app makes, driven as each role, for the
writer's own municipality and another; a refused write changes nothing in the database."""

from __future__ import annotations

import ast
import datetime as dt

import pytest
from sqlalchemy import func, inspect, select, table

from campaigns.access import ACTIONS, PERMISSIONS, ROLES, Actor, Forbidden, allowed, require
from campaigns.drafts.edits import DraftKey
from campaigns.feedback import FeedbackItem
from campaigns.kit import KitImport
from campaigns.shared_work import SharedWork
from campaigns.store import ArchivedMessage, Store

from .conftest import ROOT

ACTORS = {
    "coordinator": Actor("anna@karlstad.se", "coordinator"),
    "officer": Actor("bo@forshaga.se", "officer", "Forshaga"),
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


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'shared.sqlite'}")


def _rows(store: Store) -> dict[str, int]:
    """Rows per table, every table in the database (also those of other modules, e.g. draft edits)."""
    with store.engine.begin() as con:
        return {name: con.execute(select(func.count()).select_from(table(name))).scalar_one()
                for name in inspect(con).get_table_names()}


@pytest.fixture(scope="module")
def kit(varmland):
    from campaigns.definitions import load_region
    from campaigns.kit import export_kit, import_kit

    from .conftest import DATA

    campaign, region, _ = varmland
    return import_kit(export_kit(campaign, region), load_region(DATA / "regions" / "atvidaberg.yaml"), key="k",
                      planning_start=dt.date(2027, 2, 1))


def _write(work: SharedWork, action: str, municipality: str, kit: KitImport) -> None:
    """The app's write for `action`, as the Samarbete and Utvärdering pages make it."""
    if action == "save_plan":
        work.save_edits("varmland_2027", "budget_sek: 1.0\n", based_on=0)
    elif action == "merge_plan":
        work.merge_edits("varmland_2027", "budget_sek: 1.0\n", based_on=0)
    elif action == "sign_off":
        work.sign_off(ArchivedMessage("varmland_2027", municipality, "Boka vigsel", "Seniorer", "flyer", "Text",
                                      "<p>Text</p>", "someone@else.se", dt.datetime(2027, 1, 1, tzinfo=dt.UTC)))
    elif action == "feedback":
        work.add_feedback(FeedbackItem("varmland_2027", dt.date(2027, 3, 1), municipality, "vigsel", "web",
                                       "question", "Hur loggar jag in?"))
    elif action == "edit_draft":
        key = DraftKey("varmland_2027", "1763" if municipality == "Forshaga" else "1715", "vigsel", 1, "web", "a")
        work.save_draft_edit(key, "# Egen rubrik\n\nEgen text.\n", municipality=municipality, based_on=0)
    elif action == "import_kit":
        work.apply_kit(kit, based_on=0)
    elif action == "cost_settings":
        work.set_cost_method("varmland_2027", "equal", based_on=0)
    elif action in ("edit_campaign", "set_go_live"):  # a campaign document (Start page)
        from campaigns.campaign_docs import bundled_campaigns, read_campaign, set_local_go_live
        from campaigns.definitions import dump_yaml, load_region

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
def test_each_write_as_each_role(store, kit, role, action, own):
    actor = ACTORS[role]
    municipality = "Forshaga" if own else "Kil"
    before = _rows(store)
    if EXPECTED[(role, action, own)]:
        _write(SharedWork(store, actor), action, municipality, kit)
        assert _rows(store) != before
    else:
        with pytest.raises(Forbidden) as info:
            _write(SharedWork(store, actor), action, municipality, kit)
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


def test_the_archive_records_who_really_signed(store):
    work = SharedWork(store, ACTORS["officer"])
    work.sign_off(ArchivedMessage("c", "Forshaga", "e", "s", "web", "t", "b", "forged@evil.example",
                                  dt.datetime(2000, 1, 1, tzinfo=dt.UTC)))
    row = store.archived("c")[0]
    assert row.signed_off_by == "bo@forshaga.se" and row.signed_off_at.year > 2000


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
