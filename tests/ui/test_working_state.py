"""The officer's work lasts: every choice is saved as they work and restored on reload, undo, a
visible saved state, uploads that must fit the campaign, and two editors merged field by field."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from campaigns.store import Store
from common.uploads import neutral_name
from tests.conftest import DATA
from tests.language import Checker
from tests.ui.conftest import reload_app
from tests.ui.test_language import check_page

pytestmark = pytest.mark.slow  # over ~5 s a test: `make test-fast` leaves these out

REVIEW = "varmland_2027:vigsel:1763:usage_review:-:-:-"  # Forshaga's look at the usage figures, 8 June




def _texts(at) -> str:
    parts = [x.value for kind in ("markdown", "caption", "info", "success", "warning", "error", "subheader")
             for x in getattr(at, kind)]
    return "\n".join(str(p) for p in parts).replace("\xa0", " ")


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value.replace("\xa0", " ") for m in at.metric}


def _stored(tmp_path) -> dict:
    doc = Store().load("edits", "varmland_2027")
    return yaml.safe_load(doc.content) if doc else {}


def _move(at, activity: str, day: str):
    at.switch_page("app_pages/calendar_page.py").run()
    at.selectbox(key="edit_muni").set_value("1763").run()
    at.selectbox(key="edit_pick_1763").set_value(activity).run()
    next(d for d in at.date_input if d.key.startswith(f"edit_date_{activity}_")).set_value(
        pd.Timestamp(day).date()).run()
    next(b for b in at.button if b.label == "Flytta").click().run()


def test_a_reload_keeps_every_choice(app, tmp_path):
    at = app("segments_page")
    at.selectbox(key="k").set_value(4).run()
    next(b for b in at.button if b.label == "Lägg till regeln").click().run()
    seniors = next(s.value for s in at.subheader if s.value.endswith("Seniorer som sällan använder e-tjänster"))
    sid = int(seniors.split(".")[0])
    at.text_input(key=f"rename_{sid}").set_value("Våra seniorer").run()
    at.button(key=f"do_rename_{sid}").click().run()
    at.switch_page("app_pages/channels.py").run()
    at.text_input(key="budget_text").set_value("180 000").run()
    _move(at, REVIEW, "2027-06-09")
    assert "Sparat" in _texts(at)

    again = reload_app(at, "segments_page")
    assert again.selectbox(key="k").value == 4
    assert any(s.value == f"{_segment_of(again, 'Våra seniorer')}. Våra seniorer" for s in again.subheader)
    assert "Äldre seniorer" in _texts(again)  # the rule is active again
    again.switch_page("app_pages/channels.py").run()
    assert _metrics(again)["Budget"] == "180 000 kr"
    again.switch_page("app_pages/calendar_page.py").run()
    assert any("9 juni" in m.value and "Forshaga" in m.value for m in again.markdown)  # the move is back
    stored = _stored(tmp_path)
    assert stored["segmentation"]["k"] == 4 and stored["budget_sek"] == 180000 and stored["moves"]


def _segment_of(at, name: str) -> int:
    works = at.session_state["works"]["varmland_2027"]
    return next(sid for sid, n in works.state.names.items() if n == name)


def test_undo_takes_back_the_last_change(app):
    at = app("channels")
    at.text_input(key="budget_text").set_value("150 000").run()
    assert _metrics(at)["Budget"] == "150 000 kr"
    undo = at.button(key="undo")
    assert "Budget: 240 000 kr → 150 000 kr" in (undo.help or "").replace("\xa0", " ")
    undo.click().run()
    assert _metrics(at)["Budget"] == "240 000 kr"
    assert reload_app(at, "channels") and _metrics(reload_app(at, "channels"))["Budget"] == "240 000 kr"


def test_a_budget_change_on_kanaler_does_not_schedule_the_plan(app, monkeypatch):
    """The Undo button names the last change; only a move needs the plan's activity titles, so a
    budget change re-solves the mix and nothing else (the plan waits for a page that shows it)."""
    from app_pages import _cached

    scheduled = []
    real = _cached.plan_campaign
    monkeypatch.setattr(_cached, "plan_campaign", lambda *a, **kw: scheduled.append(a[3].budget) or real(*a, **kw))
    at = app("channels")
    at.text_input(key="budget_text").set_value("73 000").run()
    assert _metrics(at)["Budget"] == "73 000 kr"
    assert "Budget: 240 000 kr → 73 000 kr" in (at.button(key="undo").help or "").replace("\xa0", " ")
    assert 73000.0 not in scheduled
    _move(at, REVIEW, "2027-06-09")
    assert 73000.0 in scheduled  # the Kalender needs it
    help_ = (at.button(key="undo").help or "").replace("\xa0", " ")
    assert "Forshaga" in help_ and "9 juni 2027" in help_  # a move is still named by its activity


def test_an_upload_reloads_as_saved_profiles_and_its_mapping_is_kept(app):
    at = app("data")
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"Ort": rng.choice(["Kil", "Forshaga", "Karlstad"], 300),
                       "Levnadsår": rng.integers(18, 95, 300)})
    content = df.to_csv(index=False).encode()
    at.file_uploader(key="uploader").set_value(("egen.csv", content, "text/csv")).run()
    boxes = {b.label: b for b in at.selectbox if b.key.startswith("colmap_")}
    boxes["Ort"].set_value("municipality")
    boxes["Levnadsår"].set_value("age")
    next(b for b in at.button if b.label == "Använd kopplingen").click().run()
    assert "Filen är inläst: 300 rader" in _texts(at)
    at.switch_page("app_pages/start.py").run()
    persons = _metrics(at)["Invånare i underlaget"]

    again = reload_app(at, "start")
    assert neutral_name("egen.csv", content) in _texts(again) and "egen.csv" not in _texts(again)
    assert _metrics(again)["Invånare i underlaget"] == persons  # no rows were stored
    again.switch_page("app_pages/segments_page.py").run()
    assert again.selectbox(key="k").disabled and "Ladda upp filen igen" in _texts(again)
    again.switch_page("app_pages/data.py").run()
    again.file_uploader(key="uploader").set_value(("egen.csv", content, "text/csv")).run()
    assert "Filen är inläst: 300 rader" in _texts(again)  # the saved mapping was applied: nothing asked
    boxes = {b.label: b.value for b in again.selectbox if b.key.startswith("colmap_")}
    assert boxes == {"Ort": "municipality", "Levnadsår": "age"}  # still shown, as the officer chose


def test_an_upload_from_another_region_is_caught_and_the_right_campaign_offered(app):
    at = app("data")
    content = (DATA / "citizens" / "atvidaberg_excel.csv").read_bytes()
    at.file_uploader(key="uploader").set_value(("atvidaberg.csv", content, "text/csv")).run()
    assert any("Ingen i filen bor i Värmland" in e.value for e in at.error)
    assert "Data: exempeldata" in _texts(at)  # not used: the plan still comes from the sample
    switch = at.button(key="fit_switch")
    assert switch.label.startswith("Byt till kampanjen Skolval")
    switch.click().run()
    assert at.selectbox(key="campaign_pick").value == "atvidaberg_2027"
    assert "Filen är inläst: 1 500 rader" in _texts(at) and neutral_name("x.csv", content) in _texts(at)


def test_a_partly_matching_upload_can_keep_only_the_regions_municipalities(app):
    at = app("data")
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"kommun": ["Kil"] * 150 + ["Forshaga"] * 100 + ["Ydre"] * 50,
                       "ålder": rng.integers(18, 95, 300)})
    content = df.to_csv(index=False).encode()
    at.file_uploader(key="uploader").set_value(("blandad.csv", content, "text/csv")).run()
    warning = " ".join(w.value for w in at.warning).replace("\xa0", " ")
    assert "Bara 83 % av personerna" in warning and "Ydre" in warning and "(2 kommuner)" in warning
    check = Checker("sv")
    check_page(at, check, "data")
    assert not check.problems, check.problems
    at.button(key="fit_keep").click().run()
    assert "Filen är inläst: 250 rader" in _texts(at) and _metrics(at)["Kommuner"] == "2"


def test_two_editors_are_merged_field_by_field_with_both_edits_kept(app):
    anna = app("channels")
    bo = app("segments_page")  # both have version 0 of the plan open
    anna.sidebar.text_input(key="name_input").set_value("Anna").run()
    bo.sidebar.text_input(key="name_input").set_value("Bo").run()
    first = next(s.value for s in bo.subheader if s.value[:1].isdigit())
    sid = int(first.split(".")[0])
    bo.text_input(key=f"rename_{sid}").set_value("Yrkesfolk").run()
    bo.button(key=f"do_rename_{sid}").click().run()
    assert Store().load("edits", "varmland_2027").updated_by == "Bo"
    anna.text_input(key="budget_text").set_value("180 000").run()  # saved from version 0: Bo's is newer
    assert any("Bo har ändrat planen" in w.value for w in anna.sidebar.warning)  # nothing overwritten
    assert yaml.safe_load(Store().load("edits", "varmland_2027").content)["budget_sek"] == 240000

    anna.switch_page("app_pages/collaboration.py").run()
    text = _texts(anna)
    assert "Bo ändrade: föreslaget namn → Yrkesfolk" in text and "Du ändrade: 240 000 kr → 180 000 kr" in text
    assert "@@" not in text and "budget_sek" not in text  # plain language, not a YAML diff
    assert "Budget: 180 000 kr" in text and f"Namn på segment {sid}" in text  # the result, before saving
    check = Checker("sv")
    check.add_data(["Yrkesfolk", "Anna", "Bo"])
    check_page(anna, check, "collaboration")
    assert not check.problems, check.problems
    anna.button(key="merge_save").click().run()
    assert any("Sammanslagningen är sparad som version 2" in s.value for s in anna.success)
    assert not any("har ändrat planen" in w.value for w in anna.sidebar.warning)  # the conflict is cleared
    final = yaml.safe_load(Store().load("edits", "varmland_2027").content)
    assert final["budget_sek"] == 180000 and final["names"] == {str(sid): "Yrkesfolk"}  # both edits kept
    bo.run()  # Bo's next page view takes in the merge
    assert bo.session_state["works"]["varmland_2027"].state.budget_sek == 180000


def test_a_field_both_editors_changed_waits_for_a_choice(app):
    anna, bo = app("channels"), app("channels")
    anna.text_input(key="budget_text").set_value("180 000").run()
    bo.text_input(key="budget_text").set_value("150 000").run()
    bo.switch_page("app_pages/collaboration.py").run()
    assert bo.button(key="merge_save").disabled and "Välj vad som ska gälla för 1 ändring" in _texts(bo)
    radio = next(r for r in bo.radio if r.key.endswith("budget_sek"))
    assert radio.value is None
    radio.set_value("yours").run()
    bo.button(key="merge_save").click().run()
    assert yaml.safe_load(Store().load("edits", "varmland_2027").content)["budget_sek"] == 150000


def test_a_display_name_is_asked_once_in_local_mode(app):
    at = app()
    assert at.sidebar.text_input(key="name_input").label == "Ditt namn"
    at.sidebar.text_input(key="name_input").set_value("Anna").run()
    assert not [x for x in at.sidebar.text_input if x.key == "name_input"]
    assert "du ändrar som Anna" in _texts(at.sidebar) and at.query_params["namn"] in ("Anna", ["Anna"])
    again = reload_app(at)
    assert not [x for x in again.sidebar.text_input if x.key == "name_input"]  # not asked again after a reload



def test_a_budget_that_changes_no_choice_finds_the_plan_made(app, monkeypatch):
    """The plan depends on the budget only through the mix's choice: above what the useful channels
    cost, another figure shows the same plan without scheduling it again; a lower one replans."""
    from app_pages import _cached

    scheduled = []
    real = _cached.plan_campaign
    monkeypatch.setattr(_cached, "plan_campaign", lambda *a, **kw: scheduled.append(a[3].budget) or real(*a, **kw))
    at = app("calendar_page")  # the plan for the file's 240 000 kr
    at.switch_page("app_pages/channels.py").run()
    at.text_input(key="budget_text").set_value("1 000 000").run()
    at.switch_page("app_pages/calendar_page.py").run()
    assert not at.exception and 1_000_000.0 not in scheduled
    at.switch_page("app_pages/channels.py").run()
    at.text_input(key="budget_text").set_value("50 000").run()
    at.switch_page("app_pages/calendar_page.py").run()
    assert not at.exception and 50_000.0 in scheduled


def test_the_same_file_again_after_a_reload_asks_nothing(app):
    """A renamed segment would be touched by a new data source, but the same file again is no new
    source: after F5 the officer uploads it again and the segments carry on without a question."""
    at = app("data")
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"kommun": rng.choice(["Kil", "Forshaga", "Karlstad"], 300), "ålder": rng.integers(18, 95, 300),
                       "bankid": rng.choice(["ja", "nej"], 300)})
    content = df.to_csv(index=False).encode()
    at.file_uploader(key="uploader").set_value(("egen.csv", content, "text/csv")).run()
    assert "Filen är inläst: 300 rader" in _texts(at)
    at.switch_page("app_pages/segments_page.py").run()
    sid = int(next(s.value for s in at.subheader if s.value[:1].isdigit()).split(".")[0])
    at.text_input(key=f"rename_{sid}").set_value("Våra egna").run()
    at.button(key=f"do_rename_{sid}").click().run()

    again = reload_app(at, "data")
    again.file_uploader(key="uploader").set_value(("egen.csv", content, "text/csv")).run()
    assert not any(s.value.startswith("Innan") for s in again.subheader), _texts(again)
    again.switch_page("app_pages/segments_page.py").run()
    assert any(s.value.endswith(". Våra egna") for s in again.subheader)  # the name is still on its group
