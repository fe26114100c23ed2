"""An officer plans their own launch in the app (issue #26): a new Värmland campaign with skolval from
the catalogue and one new e-service, planned, skolval's drafts on Budskap, everything found again after
a reload and by a second session; changing the data source asks first; headers read "Karlstads kommun"."""

import datetime as dt

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from campaigns.store import Store
from tests.conftest import ROOT
from tests.ui.conftest import reload_app

pytestmark = pytest.mark.slow




def _create_skolval_campaign(at: AppTest) -> AppTest:
    at.text_input(key="new_name").set_value("Skolval i Värmland").run()
    at.button(key="new_create").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.text_input(key="new_name").value == "" and at.button(key="new_create").disabled  # no second copy
    at.radio(key="svc_source").set_value("new").run()
    at.text_input(key="svc_name").set_value("Ansök om hemtjänst").run()
    at.text_input(key="svc_link").set_value("https://www.karlstad.se/e-tjanster/hemtjanst").run()
    at.text_input(key="svc_desc").set_value("Ansök om hjälp i hemmet.").run()
    at.checkbox(key="svc_aud_everyone").uncheck().run()
    at.slider(key="svc_aud_ages").set_value((65, 110)).run()
    at.text_input(key="svc_aud_note").set_value("Äldre som bor hemma.").run()
    at.text_input(key="svc_block_action").set_value("Ansök om hemtjänst").run()
    at.multiselect(key="svc_local").set_value(["Kil"]).run()
    at.button(key="svc_add_new").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def _services(at: AppTest) -> list[str]:
    return [m.value.split("**")[1] for m in at.markdown if m.value.startswith("**") and " · " in m.value]


def test_a_new_campaign_is_made_planned_drafted_kept_and_shared(app, tmp_path):
    at = _create_skolval_campaign(app())
    assert at.selectbox(key="campaign_pick").value == "skolval_i_varmland_2027"
    assert _services(at) == ["Välj skola", "Ansök om hemtjänst"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["E-tjänster"] == "2" and int(metrics["Aktiviteter"].replace("\u00a0", "").replace(" ", "")) > 0
    assert "skolval_i_varmland_2027" in at.query_params["kampanj"]

    # planned: the calendar has skolval's activities
    at.switch_page("app_pages/calendar_page.py").run()
    assert not at.exception
    assert any("Välj skola" in str(d.value.to_string()) for d in at.dataframe)

    # skolval's drafts on Budskap, for the audience the catalogue knows; the header is the official name
    at.switch_page("app_pages/drafts_page.py").run()
    at.selectbox(key="msg_e").set_value("skolval").run()
    at.selectbox(key="msg_muni").set_value("Kil").run()
    at.selectbox(key="msg_channel").set_value("facebook").run()
    assert any("Välj skola är till för" in i.value and "Vårdnadshavare" in i.value for i in at.info)
    texts = [a.value for a in at.text_area if a.key.startswith("src_")]
    assert texts and "skola" in texts[0].lower()
    picker = at.segmented_control(key="msg_segment")
    ids = [v for v in range(10) if picker.format_func(v) in picker.options]
    picker.set_value(ids[-1]).run()
    at.selectbox(key="msg_channel").set_value("web").run()  # another channel keeps the segment
    assert at.segmented_control(key="msg_segment").value == ids[-1]
    assert any('<div class="kp-bar">Kils kommun · Nyheter' in h.proto.body for h in at.get("html"))

    # F5: the campaign, its e-services and the place on Budskap are back
    again = reload_app(at, "drafts_page")  # (a browser reopens the same page: /budskap)
    assert again.selectbox(key="campaign_pick").value == "skolval_i_varmland_2027"
    assert again.selectbox(key="msg_e").value == "skolval" and again.selectbox(key="msg_muni").value == "Kil"
    assert again.selectbox(key="msg_channel").value == "web"
    assert again.segmented_control(key="msg_segment").value == ids[-1]
    start = reload_app(at.switch_page("app_pages/start.py").run())
    assert _services(start) == ["Välj skola", "Ansök om hemtjänst"]

    # a second session (another officer, no address) sees the campaign in the list
    other = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    box = other.selectbox(key="campaign_pick")
    assert "Skolval i Värmland" in box.options
    box.set_value("skolval_i_varmland_2027").run()
    assert _services(other) == ["Välj skola", "Ansök om hemtjänst"]

    # stored in the schema of data/campaigns/, and it reads back as a campaign file does
    from campaigns.campaign_docs import read_campaign

    stored = yaml.safe_load(Store().load("campaign", "skolval_i_varmland_2027").content)
    assert stored["region"] == "varmland"
    assert [e["key"] for e in stored["e_services"]] == ["skolval", "ansok_om_hemtjanst"]
    assert stored["e_services"][1]["local_go_live"].keys() == {"Kil"}
    assert read_campaign(yaml.safe_dump(stored, allow_unicode=True), "x").e_service("skolval").name == "Välj skola"


def test_undo_in_the_campaign_survives_a_reload(app):
    at = _create_skolval_campaign(app())
    assert at.button(key="ed_undo").help.startswith("lade till e-tjänsten Ansök om hemtjänst")
    again = reload_app(at)
    again.button(key="ed_undo").click().run()
    assert _services(again) == ["Välj skola"]


def test_changing_the_data_source_asks_first(app):
    at = app("segments_page")
    sid = int(next(s.value for s in at.subheader if s.value[:1].isdigit()).split(".")[0])
    at.text_input(key=f"rename_{sid}").set_value("Våra seniorer").run()
    at.button(key=f"do_rename_{sid}").click().run()
    at.switch_page("app_pages/data.py").run()
    at.button(key="stats_sample").click().run()
    assert any(s.value == "Innan du byter till SCB-statistik" for s in at.subheader)
    assert any("Våra seniorer" in m.value for m in at.markdown)
    assert any("exempeldata" in c.value for c in at.caption)  # nothing changed yet
    at.button(key="confirm_cancel").click().run()
    assert not any(s.value.startswith("Innan") for s in at.subheader)
    assert any("exempeldata" in c.value for c in at.caption)
    at.button(key="stats_sample").click().run()
    at.button(key="confirm_apply").click().run()
    assert not any("exempeldata" in c.value for c in at.caption)
    at.switch_page("app_pages/segments_page.py").run()
    assert any(s.value.endswith(". Våra seniorer") for s in at.subheader)  # the name followed its group


def test_an_officer_may_only_set_their_own_go_live(app, monkeypatch):
    from app_pages import auth

    at = _create_skolval_campaign(app())
    monkeypatch.setattr(auth, "current_user", lambda: auth.User("Bo", "bo@forshaga.se", "officer", "Forshaga",
                                                                 False))
    again = reload_app(at)
    assert not [b for b in again.button if b.key == "new_create"]  # no "Ny kampanj" for an officer
    assert not [b for b in again.button if b.key and b.key.startswith("rm_")]
    assert [d.key for d in again.date_input if d.key.startswith("own_")] == ["own_skolval", "own_ansok_om_hemtjanst"]
    again.date_input(key="own_skolval").set_value(dt.date(2027, 4, 6)).run()
    again.button(key="own_save_skolval").click().run()
    assert not again.error, [e.value for e in again.error]
    stored = yaml.safe_load(Store().load("campaign", "skolval_i_varmland_2027").content)
    assert stored["e_services"][0]["local_go_live"] == {"Forshaga": dt.date(2027, 4, 6)}
    assert stored["name"] == "Skolval i Värmland" and Store().load("campaign", "skolval_i_varmland_2027").updated_by \
        == "bo@forshaga.se"


def test_a_kit_import_creates_a_campaign_in_the_list(app):
    from campaigns.campaign_files import load_campaign
    from campaigns.kit import export_kit
    from tests.conftest import DATA

    campaign, region = load_campaign(DATA / "campaigns" / "atvidaberg_2027.yaml")
    at = app("collaboration")
    at.file_uploader(key="kit_upload").set_value(
        ("kit.yaml", export_kit(campaign, region).encode(), "application/x-yaml")).run()
    preview = "\n".join(x.value for x in at.text)
    assert "Webb (nyhet och e-tjänstsida), Facebookinlägg" in preview and "web, facebook" not in preview
    next(b for b in at.button if b.label == "Använd kitet i regionen").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any(s.value.startswith("Kitet är sparat") and "finns i kampanjlistan" in s.value for s in at.success)
    box = at.selectbox(key="campaign_pick")
    assert box.value == "varmland_kit" and any("IT-förbundet" not in o and "Värmland" in o for o in box.options)
    stored = yaml.safe_load(Store().load("campaign", "varmland_kit").content)
    assert stored["region"] == "varmland" and {e["key"] for e in stored["e_services"]} == {
        e.key for e in campaign.e_services}


def test_two_coordinators_changing_one_campaign_merge_instead_of_overwriting(app):
    anna = app()
    anna.text_input(key="new_name").set_value("Skolval i Värmland").run()
    anna.button(key="new_create").click().run()
    bo = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()  # opens it before Anna's next change
    bo.selectbox(key="campaign_pick").set_value("skolval_i_varmland_2027").run()
    anna.selectbox(key="svc_cat").set_value("bygglov").run()
    anna.button(key="svc_add_cat").click().run()
    assert _services(anna) == ["Välj skola", "Ansök om bygglov"]
    bo.selectbox(key="svc_cat").set_value("forskola")  # chosen on the page Bo still has (version 1)
    bo.button(key="svc_add_cat").click().run()  # saved from version 1: a conflict, nothing overwritten
    assert any("har sparat kampanjen medan du ändrade den" in w.value for w in bo.warning)
    stored = yaml.safe_load(Store().load("campaign", "skolval_i_varmland_2027").content)
    assert [e["key"] for e in stored["e_services"]] == ["skolval", "bygglov"]
    bo.button(key="ed_merge").click().run()
    assert _services(bo) == ["Välj skola", "Ansök om bygglov", "Ansök om förskoleplats"]
    stored = yaml.safe_load(Store().load("campaign", "skolval_i_varmland_2027").content)
    assert [e["key"] for e in stored["e_services"]] == ["skolval", "bygglov", "forskola"]


def test_the_plans_undo_history_survives_a_reload(app):
    at = app("channels")
    at.text_input(key="budget_text").set_value("180 000").run()
    at.text_input(key="budget_text").set_value("150 000").run()
    again = reload_app(at, "channels")
    def budget(x):
        return x.text_input(key="budget_text").value.replace("\xa0", " ")

    assert budget(again) == "150 000 kr"
    again.sidebar.button(key="undo").click().run()  # the step made before the reload
    assert budget(again) == "180 000 kr"
    again.sidebar.button(key="undo").click().run()
    assert budget(again) == "240 000 kr"  # back to the campaign's own budget


def test_a_campaign_file_is_read_in_as_a_campaign(app):
    from campaigns.campaign_files import dump_yaml, load_campaign
    from tests.conftest import DATA

    campaign, _ = load_campaign(DATA / "campaigns" / "varmland_2027.yaml")
    mine = campaign.model_copy(update={"key": "varmland_2028", "name": "Värmland 2028", "budget_sek": 1000.0})
    at = app()
    at.file_uploader(key="ed_yaml_up").set_value(("k.yaml", dump_yaml(mine).encode(), "application/x-yaml")).run()
    at.button(key="ed_yaml_apply").click().run()
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="campaign_pick").value == "varmland_2028"
    assert Store().load("campaign", "varmland_2028").content == dump_yaml(mine)  # stored as read: load -> save
    bad = dump_yaml(mine).replace("https://e-tjanster.varmland.se/vigsel", "javascript:alert(1)")
    at.file_uploader(key="ed_yaml_up").set_value(("k.yaml", bad.encode(), "application/x-yaml")).run()
    at.button(key="ed_yaml_apply").click().run()
    assert any("k.yaml, e_services[0].link" in e.value for e in at.error)
    assert Store().load("campaign", "varmland_2028").version == 1  # nothing written on refusal


def test_a_coordinator_sets_and_removes_an_objective_on_start(app):
    """Objectives are part of the campaign document: added on screen, kept after a reload, removable."""
    at = app()
    at.selectbox(key="obj_service").set_value("felanmalan").run()
    before = [m.value for m in at.markdown if m.value.startswith("- ")]
    at.selectbox(key="obj_metric").set_value("uses_per_1000").run()
    at.selectbox(key="obj_kind").set_value("change").run()
    at.number_input(key="obj_target").set_value(0.45).run()
    at.date_input(key="obj_by").set_value(dt.date(2027, 11, 30)).run()
    at.button(key="obj_add").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    label = "Användningar per 1 000 invånare och månad: en ökning med 0,45 senast 30 november 2027"
    added = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert added == [*before, f"- {label}"]
    again = reload_app(at)
    again.selectbox(key="obj_service").set_value("felanmalan").run()
    assert f"- {label}" in [m.value for m in again.markdown]  # stored in the campaign document
    assert any(label in str(t.value.to_dict()) for t in again.table)  # and in the objectives table with its baseline
    again.button(key=f"obj_rm_felanmalan_{len(before)}").click().run()
    assert [m.value for m in again.markdown if m.value.startswith("- ")] == before
