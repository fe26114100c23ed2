"""Two officers on one draft in two sessions (AppTest): the second's typed text survives the first's
save, the conflict shows both texts, and a merge keeps both; sign-off archives the shown text."""

import pytest

from app_pages import _cached
from campaigns.sign_off import sha256


def _open_draft(at):
    at.selectbox(key="msg_e").set_value("felanmalan").run()
    at.selectbox(key="msg_muni").set_value("Forshaga").run()
    at.selectbox(key="msg_channel").set_value("web").run()
    return next(a for a in at.text_area if a.key.startswith("src_1763_felanmalan_"))


@pytest.mark.slow
def test_two_sessions_conflicting_edits_are_both_kept(app):
    anna, bo = app("drafts_page"), app("drafts_page")
    area_a, area_b = _open_draft(anna), _open_draft(bo)
    draft_id = area_a.key.removeprefix("src_")
    template = area_a.value
    area_a.set_value(template.replace("## Frågor?", "## Frågor till Anna?")).run()
    area_b.set_value(template.replace("## Frågor?", "## Frågor till Bo?")).run()
    anna.button(key=f"save_{draft_id}").click().run()
    assert not anna.exception and not anna.warning

    bo.run()  # Anna's save reaches Bo's page: his typed text stays in the box
    assert "Frågor till Bo?" in bo.text_area(key=f"src_{draft_id}").value
    assert any("sedan du började skriva" in i.value for i in bo.info)
    bo.button(key=f"save_{draft_id}").click().run()
    assert any("sparade det här utkastet" in w.value for w in bo.warning)
    shown = [x.value for x in bo.text]
    assert any("Frågor till Bo?" in x for x in shown) and any("Frågor till Anna?" in x for x in shown)

    bo.button(key=f"mergebtn_{draft_id}").click().run()
    merged = bo.text_area(key=f"merge_{draft_id}").value
    assert "Frågor till Bo?" in merged and "Frågor till Anna?" in merged
    bo.button(key=f"savemerge_{draft_id}").click().run()
    assert not bo.exception and not bo.warning

    later = _open_draft(app("drafts_page")).value
    assert "Frågor till Bo?" in later and "Frågor till Anna?" in later


@pytest.mark.slow
def test_a_revert_then_a_save_needs_no_conflict_and_a_stale_revert_is_refused(app):
    anna = app("drafts_page")
    area = _open_draft(anna)
    draft_id = area.key.removeprefix("src_")
    area.set_value(area.value.replace("## Frågor?", "## Första?")).run()
    anna.button(key=f"save_{draft_id}").click().run()
    bo = app("drafts_page")
    _open_draft(bo)
    anna.button(key=f"revert_{draft_id}").click().run()
    assert not anna.warning
    area = anna.text_area(key=f"src_{draft_id}")
    assert "Första?" not in area.value  # the box follows the stored (template) text
    area.set_value(area.value.replace("## Frågor?", "## Andra?")).run()
    anna.button(key=f"save_{draft_id}").click().run()
    assert not anna.warning and not anna.error  # no conflict with nothing to show
    bo.button(key=f"revert_{draft_id}").click().run()  # Bo still sees the first edit
    assert any("sparade det här utkastet" in w.value for w in bo.warning)
    assert "Andra?" in _open_draft(app("drafts_page")).value  # nothing was removed


@pytest.mark.slow
def test_sign_off_archives_exactly_the_text_shown(app):
    at = app("collaboration")
    at.selectbox(key="so_muni").set_value("Forshaga").run()
    at.selectbox(key="so_e").set_value("felanmalan").run()
    segment = at.selectbox(key="so_segment")
    assert segment.value == "1"  # segment ids (as text; "None" is the staff briefing)
    name = segment.options[1]  # the second segment, picked explicitly (there was no segment picker)
    segment.set_value("2").run()
    at.selectbox(key="so_channel").set_value("web").run()
    at.selectbox(key="so_variant").set_value("b").run()
    shown = at.text[0].value
    assert [c.value for c in at.code] == [sha256(shown)]
    at.button(key="so_sign").click().run()
    assert any("Godkänt och arkiverat" in s.value for s in at.success)
    assert sha256(shown) in [c.value for c in at.code]
    archived = _cached.store().archived("varmland_2027")
    assert [(a.municipality, a.segment, a.channel, a.variant, a.text, a.text_sha256) for a in archived] == [
        ("Forshaga", name, "web", "b", shown, sha256(shown))]
