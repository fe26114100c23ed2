"""AppTest on every page: each renders from a fresh session, and its main interaction works."""

import io

import pandas as pd
import pytest

from common.catalogue import render
from common.uploads import neutral_name
from tests.conftest import DATA

pytestmark = pytest.mark.slow  # over ~5 s a test: `make test-fast` leaves these out


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.subheader] + [e.value for e in at.error]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [s.value for s in at.success]
    parts += [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts).replace("\xa0", " ")


def _success(at) -> str:
    return "\n".join(s.value for s in at.success).replace("\xa0", " ")


def test_start_opens_on_the_sample_region(app):
    at = app()
    assert at.title[0].value == "Kampanjplaneraren för e-tjänster"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kommuner"] == "16" and int(metrics["Segment"]) >= 3
    assert "Gemensam lansering av e-tjänster i Värmland 2027" in at.success[0].value


def test_english_is_available(app):
    at = app()
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "E-service campaign planner"
    assert "Municipalities" in [m.label for m in at.metric]


def test_switching_campaign_switches_region(app):
    at = app()
    box = at.selectbox(key="campaign_pick")
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith("Skolval"))).run()
    assert {m.label: m.value for m in at.metric}["Kommuner"] == "6"


def _skolval(at):
    box = at.selectbox(key="campaign_pick")
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith("Skolval"))).run()
    return at


def test_data_page_loads_a_swedish_excel_export(app):
    at = _skolval(app("data"))
    content = (DATA / "citizens" / "atvidaberg_excel.csv").read_bytes()
    at.file_uploader(key="uploader").set_value(("Anna 570428-9999.csv", content, "text/csv")).run()
    assert not at.exception
    assert "Filen är inläst: 1 500 rader" in _success(at)
    label = neutral_name("x.csv", content)
    assert label in _texts(at)  # the sidebar/data label names the upload by its content ...
    assert "Anna" not in _texts(at) and "570428" not in _texts(at)  # ... never by its file name
    at.text_input(key="upload_label").set_value("Enkät hösten 2026").run()
    assert "Enkät hösten 2026" in _texts(at) and label not in _texts(at)  # the officer may name it
    at.text_input(key="upload_label").set_value("Anna Andersson").run()
    assert any("personuppgifter" in w.value for w in at.warning) and "Enkät hösten 2026" in _texts(at)


def test_data_page_leaves_personal_data_out_with_a_warning(app, citizens):
    at = _skolval(app("data"))
    df = citizens.assign(Personnummer="19121212-1212", kommentar="ring 070-123 45 67")
    df["respondent_id"] = "19121212-1212"  # an id that is no code: left out, rows numbered instead
    at.file_uploader(key="uploader").set_value(("pnr.csv", df.to_csv(index=False).encode(), "text/csv")).run()
    assert not at.exception and not at.error
    assert "Filen är inläst" in _success(at)
    warning = "\n".join(w.value for w in at.warning)
    assert "Personnummer" in warning and "kommentar" in warning and "respondent_id" in warning
    assert "numreras" in warning  # assignments get sequence numbers instead of the id
    assert "1212" not in _texts(at) and "070" not in _texts(at)  # no value is ever shown


def test_data_page_maps_unknown_headers(app):
    at = app("data")
    df = pd.DataFrame({"Ort": ["Kil"] * 40, "Levnadsår": list(range(20, 60))})
    at.file_uploader(key="uploader").set_value(("okänd.csv", df.to_csv(index=False).encode(), "text/csv")).run()
    assert any("Koppla kolumner" in s.value for s in at.subheader)
    boxes = {b.label: b for b in at.selectbox if b.key.startswith("colmap_")}
    assert boxes["Ort"].value == "municipality"  # suggested from the answers (municipality names)
    boxes["Levnadsår"].set_value("age")
    next(b for b in at.button if b.key.startswith("colmap_apply_")).click().run()
    assert "Filen är inläst: 40 rader" in _success(at)


def test_a_broken_upload_keeps_the_earlier_data(app):
    at = _skolval(app("data"))
    content = (DATA / "citizens" / "atvidaberg_excel.csv").read_bytes()
    at.file_uploader(key="uploader").set_value(("bra.csv", content, "text/csv")).run()
    at.file_uploader(key="uploader").set_value(("trasig.xlsx", b"not excel", "application/octet-stream")).run()
    assert any("kunde inte läsas" in e.value for e in at.error)
    assert neutral_name("bra.csv", content) in _texts(at) and not at.exception


def test_segments_page_reacts_to_k(app):
    at = app("segments_page")
    at.selectbox(key="k").set_value(5).run()
    cards = [s for s in at.subheader if s.value[:1].isdigit()]
    assert len(cards) == 5


def test_segments_page_shows_k_candidates_and_picks_one_with_a_click(app):
    at = app("segments_page")
    assert any("BIC" in i.value and "bland 1–" in i.value for i in at.info)
    assert any(m.value.startswith("Med 6 segment delas en grupp upp efter") for m in at.markdown)
    assert any(c.value.startswith("Segmenten skiljs åt av:") for c in at.caption)
    next(b for b in at.button if b.label == "Välj 6").click().run()
    assert at.session_state["k"] == 6
    cards = len([s for s in at.subheader if s.value[:1].isdigit()])  # a class under the minimum size is merged
    assert cards == 6 or (cards == 5 and any("slogs ihop" in w.value for w in at.warning))
    assert any("stabil" in m.value or "osäker" in m.value for m in at.markdown)
    assert any("Det automatiska valet skulle vara" in c.value for c in at.caption)


def test_segments_page_in_english_words_generated_names_and_keeps_renames(app):
    at = app("segments_page")
    at.radio(key="lang").set_value("en").run()
    names = [s.value for s in at.subheader if s.value[:1].isdigit()]
    assert any("Older seniors" in n for n in names), names


def test_segments_page_rule_with_live_size_and_rename(app):
    at = app("segments_page")
    assert any("Regeln gäller just nu omkring" in i.value for i in at.info)
    add = next(b for b in at.button if b.label == "Lägg till regeln")
    add.click().run()
    assert any(s.value == "1. Äldre seniorer" for s in at.subheader)
    at.text_input(key="rename_2").set_value("Vardagsdigitala").run()
    at.button(key="do_rename_2").click().run()
    assert any(s.value == "2. Vardagsdigitala" for s in at.subheader)


def test_channels_page_budget_is_typed_in_kronor_with_an_explicit_no_limit(app):
    at = app("channels")
    cost_before = {m.label: m.value for m in at.metric}["Kostnad"]
    assert at.text_input(key="budget_text").value == "240\xa0000 kr"
    at.text_input(key="budget_text").set_value("20 000").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kostnad"] != cost_before and metrics["Budget"] == "20\xa0000 kr"
    assert "av budgeten 20 000 kr" in _texts(at)
    assert at.text_input(key="budget_text").value == "20\xa0000 kr"  # shown as the language writes it
    at.text_input(key="budget_text").set_value("tjugo").run()
    assert any("ska vara ett belopp" in e.value for e in at.error)
    assert {m.label: m.value for m in at.metric}["Budget"] == "20\xa0000 kr"  # nothing changed
    at.toggle(key="budget_unlimited").set_value(True).run()
    assert {m.label: m.value for m in at.metric}["Budget"] == "Ingen gräns"
    assert "Utan budgetgräns" in _texts(at) and at.text_input(key="budget_text").disabled
    unique, contacts = (int(m.value.replace("\xa0", "")) for m in at.metric if m.label in (
        "Når (unika personer)", "Kontakter"))
    assert unique < contacts


FACEBOOK_1 = "varmland_2027:vigsel:1763:publish:0:facebook:1"


def _move(at, activity: str, day: str):
    at.selectbox(key="edit_muni").set_value("1763").run()
    at.selectbox(key="edit_pick_1763").set_value(activity).run()
    box = next(d for d in at.date_input if d.key.startswith(f"edit_date_{activity}_"))
    box.set_value(pd.Timestamp(day).date()).run()
    next(b for b in at.button if b.label == "Flytta").click().run()
    return at


def test_channels_and_calendar_pages_say_which_segments_a_service_leaves_out(app):
    at = app("channels")
    table = next(d.value for d in at.dataframe if "Hör till målgruppen" in d.value.columns)
    vigsel = table[table["E-tjänst"] == "Boka vigsel"]
    assert set(vigsel["Får aktiviteter"]) == {"ja", "nej"} and vigsel["Varför"].str.contains("18–64 år").all()
    assert any(i.value.startswith("Boka vigsel: inga aktiviteter för invånare") for i in at.info)
    mix = next(d.value for d in at.dataframe if "Vald" in d.value.columns)
    assert "E-tjänst" in mix.columns
    cal = app("calendar_page")
    assert any("Boka vigsel: inga aktiviteter för invånare" in m.value for m in cal.markdown)


def test_calendar_page_explains_moves_and_refuses_a_holiday(app):
    at = app("calendar_page")
    assert any("flyttad från 20 april till 22 april" in m.value for m in at.markdown)  # dates as words, not ISO
    assert any("Ingen kommun är bokad över sina timmar" in s.value for s in at.success)
    _move(at, FACEBOOK_1, "2027-06-25")
    assert [e.value for e in at.error] == ["- 25 juni 2027 går inte: 25 juni är midsommarafton."]
    assert not at.session_state["works"]["varmland_2027"].state.moves  # nothing was saved


def test_calendar_page_confirms_a_move_and_shows_the_new_date(app):
    at = _move(app("calendar_page"), FACEBOOK_1, "2027-03-19")
    assert any("Flyttad:" in s.value and "19 mars 2027" in s.value for s in at.success)
    box = next(d for d in at.date_input if d.key.startswith(f"edit_date_{FACEBOOK_1}_"))
    assert str(box.value) == "2027-03-19"  # the picker shows the new date, not the old one
    assert any("Forshaga" in m.value and "19 mars" in m.value for m in at.markdown)  # listed as moved


def test_calendar_page_filters_every_list_by_municipality(app):
    at = app("calendar_page")
    assert "uppsamlingsvåg i Munkfors" in "\n".join(w.value for w in at.warning)  # could not be placed
    at.multiselect(key="f_munis").set_value(["1763"]).run()
    assert not at.exception
    tables = [d.value for d in at.dataframe if "Aktivitet" in d.value.columns]
    assert tables and all(set(t["Kommun"]) == {"Forshaga"} for t in tables)
    moved = "\n".join(m.value for m in at.markdown)
    assert "våg 1 flyttad" in moved  # a change to a regional wave concerns Forshaga too
    assert "uppsamlingsvåg i Munkfors" not in "\n".join(w.value for w in at.warning)  # another's does not
    load = next(d.value for d in at.dataframe if "Timmar per vecka" in d.value.columns)
    assert set(load["Kommun"]) == {"Forshaga"}
    assert "Forshaga:" in next(h.proto.body for h in at.get("html") if "kp-month" in h.proto.body)


def test_calendar_table_is_shown_a_page_at_a_time(app):
    at = app("calendar_page")
    table = max((d for d in at.dataframe if "Aktivitet" in d.value.columns), key=lambda d: len(d.value))
    assert len(table.value) == 50 and any("Rad 1–50 av" in c.value for c in at.caption)
    at.number_input(key="table_page").set_value(2).run()
    assert any("Rad 51–100 av" in c.value for c in at.caption)


def test_drafts_page_shows_each_segments_draft(app):
    at = app("drafts_page")
    at.selectbox(key="msg_e").set_value("felanmalan").run()
    at.selectbox(key="msg_muni").set_value("Forshaga").run()
    at.selectbox(key="msg_channel").set_value("flyer").run()
    assert not at.exception
    picker = at.segmented_control(key="msg_segment")
    texts = []
    ids = [v for v in range(10) if picker.format_func(v) in picker.options]  # the options are segment numbers
    for option in ids:
        picker.set_value(option).run()
        texts += [a.value for a in at.text_area if a.key.startswith("src_")]
        picker = at.segmented_control(key="msg_segment")
    assert len(texts) == len(picker.options) >= 3  # felanmälan concerns every segment
    assert all("Forshaga" in x for x in texts) and len(set(texts)) == len(texts)
    assert any("LIX" == m.label for m in at.metric)
    assert any("Felanmälan är till för" in i.value for i in at.info)
    at.radio(key="msg_variant").set_value("b").run()
    assert [a.value for a in at.text_area if a.key.startswith("src_")] != texts[-1:]  # the other headline


def test_drafts_page_explains_segments_a_service_leaves_out(app):
    at = app("drafts_page")
    at.selectbox(key="msg_e").set_value("vigsel").run()
    assert any("Inga utkast för" in c.value and "utanför målgruppen" in c.value for c in at.caption)


def test_an_edit_is_kept_for_a_new_session_and_in_the_exported_zip(app):
    """Done when: an edit made in one AppTest session is shown in a new session and in the zip."""
    def open_draft(at):
        at.selectbox(key="msg_e").set_value("felanmalan").run()
        at.selectbox(key="msg_muni").set_value("Forshaga").run()
        at.selectbox(key="msg_channel").set_value("web").run()
        return next(a for a in at.text_area if a.key.startswith("src_1763_felanmalan_"))

    at = app("drafts_page")
    area = open_draft(at)
    draft_id = area.key.removeprefix("src_")
    edited = area.value.replace("## Frågor?", "## Frågor om felanmälan?")
    area.set_value(edited).run()
    assert any("Inte sparad än" in c.value for c in at.caption)  # LIX and warnings follow the typed text
    at.button(key=f"save_{draft_id}").click().run()
    assert not at.exception and not at.error

    again = app("drafts_page")
    area = open_draft(again)
    assert "Frågor om felanmälan?" in area.value
    assert any(c.value.startswith("Lokal ändring för Forshaga") for c in again.caption)  # a local override

    export = app("export")
    next(b for b in export.button if b.label == "Skapa alla utkast").click().run()
    import zipfile

    with zipfile.ZipFile(io.BytesIO(export.session_state["drafts_zip"])) as zf:
        edited_files = [n for n in zf.namelist() if b"Fr\xc3\xa5gor om felanm\xc3\xa4lan?" in zf.read(n)]
    assert edited_files and all("forshaga/felanmalan/" in n and n.endswith("-web-a.html") for n in edited_files)

    again.button(key=f"revert_{draft_id}").click().run()
    assert "Frågor om felanmälan?" not in open_draft(app("drafts_page")).value  # back to the template


def test_export_page_makes_the_drafts_zip(app):
    at = app("export")
    next(b for b in at.button if b.label == "Skapa alla utkast").click().run()
    assert not at.exception
    import zipfile

    data = at.session_state["drafts_zip"]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
    assert any(n.endswith(".pdf") for n in names) and any(n.endswith(".html") for n in names)


def test_evaluation_page_shows_uplift_and_keeps_feedback(app, tmp_path):
    at = app("evaluation")
    assert any("Efter kampanjen ökade användningen av Boka vigsel" in s.value for s in at.success)
    at.selectbox(key="eval_e").set_value("felanmalan").run()
    assert any(i.value.startswith("Ingen mätbar effekt") for i in at.info)
    at.text_area[0].set_value("Många frågade om inloggning på biblioteket.")
    submit = next(b for b in at.button if b.label == "Spara synpunkten")
    submit.click().run()
    assert any("Sparad" in s.value for s in at.success)
    again = app("evaluation")
    again.selectbox(key="eval_e").set_value("felanmalan").run()
    table = [d.value for d in again.dataframe if "Synpunkter" in d.value.columns]
    assert table and "Många frågade om inloggning på biblioteket." in list(table[0]["Synpunkter"])


def test_evaluation_page_refuses_bad_statistics_clearly(app):
    at = app("evaluation")
    bad = "månad;kommun;e-tjänst;antal\n2027-13;Forshaga;Boka vigsel;1\n".encode()
    at.file_uploader(key="usage_upload").set_value(("stat.csv", bad, "text/csv")).run()
    assert not at.exception
    assert any("Månaden går inte att läsa" in e.value for e in at.error)


def test_collaboration_page_signs_off_shares_costs_and_offers_a_kit(app):
    at = app("collaboration")
    next(b for b in at.button if b.label == "Godkänn och arkivera").click().run()
    assert any("Godkänt och arkiverat" in s.value for s in at.success)
    assert any("Kommun" in d.value.columns and "Godkänt av" in d.value.columns for d in at.dataframe)
    costs = next(d for d in at.dataframe if "Att fakturera (kr)" in d.value.columns)
    assert len(costs.value) == 16
    at.radio(key="cost_method").set_value("equal").run()
    costs = next(d for d in at.dataframe if "Att fakturera (kr)" in d.value.columns)
    totals = [int(x.replace("\xa0", "")) for x in costs.value["Att fakturera (kr)"]]  # shown with separators
    assert max(totals) - min(totals) <= 16


def test_every_page_works_with_only_municipality_and_age(app):
    import numpy as np

    rng = np.random.default_rng(0)
    df = pd.DataFrame({"kommun": rng.choice(["Kil", "Forshaga", "Karlstad"], 300), "ålder": rng.integers(18, 95, 300)})
    at = app("data")
    data = df.to_csv(index=False).encode()
    at.file_uploader(key="uploader").set_value(("min.csv", data, "text/csv")).run()
    assert "Filen är inläst: 300 rader" in _success(at)
    label = neutral_name("min.csv", data)  # the upload is known by a neutral label, never its file name
    titles = {"segments_page": "segments_title", "channels": "channels_title", "calendar_page": "calendar_title",
              "drafts_page": "messages_title", "evaluation": "evaluation_title", "collaboration": "collab_title",
              "export": "export_title", "start": "start_title"}
    for page, title in titles.items():
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception and not at.error, (page, [e.value for e in at.error])
        assert [x.value for x in at.title] == [render(title, "sv")], page  # the page itself ran to its title
        assert label in _texts(at) and "min.csv" not in _texts(at), page  # on the upload, not back on the sample


def test_a_kit_is_previewed_as_plain_text_and_applied_on_request(app):
    """A channel name written as a Markdown link and image stays text; nothing is kept before Apply."""
    import yaml

    from campaigns.campaign_files import load_campaign
    from campaigns.kit import export_kit

    campaign, region = load_campaign(DATA / "campaigns" / "atvidaberg_2027.yaml")
    kit = yaml.safe_load(export_kit(campaign, region))
    evil = "[Klicka här](https://evil.example) ![x](https://evil.example/i.png)"
    kit["channels"].append({"key": "poddradio", "name": evil, "kind": "digital"})
    kit["skeleton"]["e_services"][0]["channels"].append("poddradio")
    at = app("collaboration")
    at.file_uploader(key="kit_upload").set_value(
        ("kit.yaml", yaml.safe_dump(kit, allow_unicode=True).encode(), "application/x-yaml")).run()
    assert not at.exception and not at.error
    assert any("Ny kanal i regionen: [Klicka här](https://evil.example)" in x.value for x in at.text)
    assert not any("evil.example" in m.value for m in at.markdown)  # never interpreted as Markdown
    assert not any(s.value.startswith("Kitet är sparat") for s in at.success)
    next(b for b in at.button if b.label == "Använd kitet i regionen").click().run()
    assert any(s.value.startswith("Kitet är sparat") for s in at.success)


def test_the_agreed_cost_sharing_is_saved_and_used(app):
    at = app("collaboration")
    at.radio(key="cost_method").set_value("equal").run()
    next(b for b in at.button if b.label == "Spara som överenskommen fördelning").click().run()
    assert any("Fördelningen är sparad som version 1" in s.value for s in at.success)
    again = app("collaboration")
    assert again.radio(key="cost_method").value == "equal"
    assert any("Överenskommen fördelning: lika delar (version 1)" in c.value for c in again.caption)


def test_evaluation_page_reads_survey_answers_and_refuses_personal_data(app):
    at = app("evaluation")
    assert any("svar inlästa" in c.value for c in at.caption)  # the bundled sample answers
    assert any("Fick veta via" in d.value.columns for d in at.dataframe)
    assert any("Minsta mätbara effekt" in " ".join(d.value.columns) for d in at.table)
    bad = "kommun;E-post;Var fick du veta att e-tjänsten finns?\nKil;anna@example.se;Facebook\n".encode()
    at.file_uploader(key="survey_upload").set_value(("svar.csv", bad, "text/csv")).run()
    assert not at.exception
    assert any("E-post" in e.value and "anonyma" in e.value for e in at.error)
    assert not any("anna@example.se" in e.value for e in at.error)


def test_calendar_page_shows_power_before_the_campaign(app):
    at = app("calendar_page")
    power = [d.value for d in at.table if "Jämförelse" in d.value.columns]
    assert power and "Som planerat" in list(power[0].index)
    assert any("Två omgångar" in v for v in power[0].index)
    assert any("8 kommuner startar" in v for v in power[0]["Vad det kostar"])
