"""Editing that lasts: edits stored per campaign × municipality × e-service × segment × channel ×
variant, a regional edit flowing to the members unless they have their own, versions that refuse
silent overwrites, the role check, and edits in every export (files, zip, flyer PDF)."""

import datetime as dt
import io
import zipfile

import pytest

from campaigns.access import Actor
from campaigns.drafts import (
    EditConflict,
    abstract,
    drafts_for_plan,
    field_values,
    fill,
    flyer_pdf,
    load_edits,
    preview,
)
from campaigns.drafts.edits import merge_start
from campaigns.export import write_drafts
from campaigns.shared_work import SharedWork
from campaigns.store import Store
from common.errors import InputError

COORDINATOR = Actor("anna@karlstad.se", "coordinator")


def _web(region, campaign, ss, muni, e_key="felanmalan", **kw):
    return next(d for d in preview(region, campaign, ss, muni, e_key, channels=["web"], **kw)
                if d.variant == "a" and d.segment == ss.segments[0].id)


def _save(store, region, draft, new_text, editor=COORDINATOR, based_on=0):
    """What the Budskap page does: the officer's text with the municipality's values made fields."""
    return SharedWork(store, editor).save_draft_edit(draft.key, draft.storable(new_text), based_on=based_on)


def test_fields_carry_a_leaders_text_to_a_member(varmland):
    _, region, _ = varmland
    import datetime as dt

    karlstad = field_values(region.municipality("Karlstad"), dt.date(2027, 4, 20))
    forshaga = field_values(region.municipality("Forshaga"), dt.date(2027, 5, 18))
    leader = ("Karlstads nya e-tjänst öppnar 20 april 2027. Ring 054-540 00 00 eller mejla "
              "kontaktcenter@karlstad.se. Välkommen till biblioteket i Karlstad.")
    template = abstract(leader, karlstad)
    assert "Karlstad" not in template and "054-540" not in template and "[[kommun]]s" in template
    member = fill(template, forshaga)
    assert member == ("Forshagas nya e-tjänst öppnar 18 maj 2027. Ring 054-17 20 00 eller mejla "
                      "kontaktcenter@forshaga.se. Välkommen till biblioteket i Forshaga.")


def test_an_edit_survives_a_new_store_and_reaches_the_drafts(store, varmland):
    campaign, region, ss = varmland
    draft = _web(region, campaign, ss, "Forshaga")
    edited = draft.source.replace("Frågor?", "Undrar du något?")
    _save(store, region, draft, edited)
    again = Store(store.url)  # a new session, a new connection
    edits = load_edits(again, campaign.key)
    shown = _web(region, campaign, ss, "Forshaga", edits=edits)
    assert "Undrar du något?" in shown.text and shown.origin == "local" and shown.edit_version == 1
    assert _web(region, campaign, ss, "Kil", edits=edits).origin == "template"  # Forshaga is not the leader


def test_a_regional_edit_flows_to_members_unless_they_have_their_own(store, varmland):
    campaign, region, ss = varmland
    leader = _web(region, campaign, ss, "Karlstad")
    assert region.municipality("Karlstad").code == region.leader and leader.shared
    _save(store, region, leader, leader.source.replace("## Frågor?", "## Vi svarar gärna"))
    edits = load_edits(store, campaign.key)
    kil = _web(region, campaign, ss, "Kil", edits=edits)
    assert kil.origin == "regional" and "Vi svarar gärna" in kil.text
    assert "0554-191 00" in kil.text and "054-540 00 00" not in kil.text and "Karlstad" not in kil.text
    assert kil.edit_version == 0  # Kil has no edit of its own
    assert _web(region, campaign, ss, "Karlstad", edits=edits).origin == "regional"

    _save(store, region, kil, kil.source.replace("Vi svarar gärna", "Kil svarar"))
    edits = load_edits(store, campaign.key)
    kil = _web(region, campaign, ss, "Kil", edits=edits)
    assert kil.origin == "local" and "Kil svarar" in kil.text  # a local override
    assert "Vi svarar gärna" in _web(region, campaign, ss, "Arvika", edits=edits).text

    assert SharedWork(store, COORDINATOR).revert_draft_edit(kil.key, based_on=kil.edit_version)
    kil = _web(region, campaign, ss, "Kil", edits=load_edits(store, campaign.key))
    assert kil.origin == "regional" and "Vi svarar gärna" in kil.text  # back to the region's text


@pytest.mark.slow
def test_a_local_e_service_keeps_the_leaders_edit_to_itself(store, tmp_path):
    from campaigns.planning import default_plan

    from .conftest import DATA

    plan, ss = default_plan(DATA / "campaigns" / "atvidaberg_2027.yaml")
    campaign, region = plan.campaign, plan.region
    d = next(x for x in preview(region, campaign, ss, "Åtvidaberg", "synpunkter", channels=["web"]))
    assert not d.shared  # a local go-live only
    SharedWork(store, COORDINATOR).save_draft_edit(d.key, "# Egen text\n\nHej Åtvidaberg.\n", based_on=0)
    shown = next(x for x in preview(region, campaign, ss, "Åtvidaberg", "synpunkter", channels=["web"],
                                    edits=load_edits(store, campaign.key)) if x.key == d.key)
    assert shown.origin == "local" and shown.text.startswith("Egen text")


def test_two_editors_never_overwrite_each_other_silently(store, varmland):
    campaign, region, ss = varmland
    draft = _web(region, campaign, ss, "Kil")
    first = _save(store, region, draft, "# Ett\n\nFörsta texten.\n")
    with pytest.raises(EditConflict) as clash:  # the second started from no edit too
        _save(store, region, draft, "# Två\n\nAndra texten.\n")
    assert clash.value.theirs is not None and "Första" in clash.value.theirs.text
    second = _save(store, region, draft, "# Två\n\nAndra texten.\n", based_on=first.version)
    with pytest.raises(EditConflict):
        _save(store, region, draft, "# Tre\n", based_on=first.version)  # stale
    assert load_edits(store, campaign.key).get(draft.key).version == second.version == 2


def test_only_the_own_municipality_or_a_coordinator_may_edit(store, varmland):
    campaign, region, ss = varmland
    draft = _web(region, campaign, ss, "Kil")
    for editor in (Actor("bo@forshaga.se", "officer", "Forshaga", "1763"), Actor("x@y.se", "viewer")):
        with pytest.raises(InputError) as refused:
            _save(store, region, draft, "# Inte min\n", editor=editor)
        assert "får inte redigera ett utkast" in refused.value.text("sv")
        with pytest.raises(InputError):
            SharedWork(store, editor).revert_draft_edit(draft.key, based_on=0)
    assert len(load_edits(store, campaign.key)) == 0
    _save(store, region, draft, "# Min\n\nKils text.\n", editor=Actor("eva@kil.se", "officer", "Kil", "1715"))
    assert len(load_edits(store, campaign.key)) == 1


@pytest.mark.slow
def test_edits_appear_in_the_exported_files_zip_and_flyer_pdf(store, varmland_plan, varmland, tmp_path):
    from pypdf import PdfReader

    campaign, region, ss = varmland
    plan = varmland_plan
    drafts = list(drafts_for_plan(plan, ss))
    flyer = next(d for d in drafts if d.channel == "flyer" and d.variant == "a")
    web = next(d for d in drafts if d.channel == "web" and d.variant == "b")
    _save(store, region, flyer, flyer.source.replace("skanna QR-koden.", "skanna QR-koden. Välkommen in!"))
    _save(store, region, web, "# Egen rubrik\n\nEn egen text för webben. Ring oss.\n")
    edits = load_edits(store, campaign.key)
    rows = write_drafts([d for d in drafts_for_plan(plan, ss, edits) if d.key in (flyer.key, web.key)],
                        tmp_path, pdf=flyer_pdf)
    assert len(rows) == 2 and all(r["edited"] in ("local", "regional") for r in rows)
    with zipfile.ZipFile(tmp_path / "drafts.zip") as zf:
        html = next(zf.read(n).decode() for n in zf.namelist() if n.endswith("-web-b.html"))
        pdf = next(zf.read(n) for n in zf.namelist() if n.endswith("-flyer-a.pdf"))
    assert "Egen rubrik" in html and "En egen text för webben." in html
    assert "Välkommen in!" in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


# ------------------------------------------------ edits are never lost (issue #24, item 6)

KIL = Actor("eva@kil.se", "officer", "Kil", "1715")
KIL2 = Actor("olle@kil.se", "officer", "Kil", "1715")


def _stored(store, campaign, draft):
    return load_edits(store, campaign.key).get(draft.key)


def test_a_conflict_keeps_both_texts_and_each_resolution_does_what_it_says(store, varmland):
    campaign, region, ss = varmland
    draft = _web(region, campaign, ss, "Kil")
    base = _save(store, region, draft, "# Start\n\nGemensam början.\n", editor=KIL)
    _save(store, region, draft, "# Eva\n\nEvas text.\n", editor=KIL, based_on=base.version)
    with pytest.raises(EditConflict) as clash:  # Olle started from the same version
        _save(store, region, draft, "# Olle\n\nOlles text.\n", editor=KIL2, based_on=base.version)
    conflict = clash.value
    values = dict(draft.fields)
    assert "Olles text" in conflict.your_text(values, draft.template_source)
    assert "Evas text" in conflict.their_text(values, draft.template_source)
    assert conflict.theirs.updated_by == "eva@kil.se" and "Evas text" in _stored(store, campaign, draft).text

    olle = SharedWork(store, KIL2)
    assert olle.resolve_draft_conflict(draft.key, conflict, "take").text == conflict.theirs.text
    assert _stored(store, campaign, draft).version == 2  # taking theirs writes nothing

    merged = merge_start(conflict.yours, conflict.theirs.text)
    assert "Olles text" in merged and "Evas text" in merged
    saved = olle.resolve_draft_conflict(draft.key, conflict, "merge", merged)
    assert saved.version == 3 and _stored(store, campaign, draft).text == merged

    with pytest.raises(EditConflict):  # resolving from the same conflict again is stale now
        olle.resolve_draft_conflict(draft.key, conflict, "keep")
    assert _stored(store, campaign, draft).text == merged


def test_keeping_yours_writes_on_top_of_theirs(store, varmland):
    campaign, region, ss = varmland
    draft = _web(region, campaign, ss, "Kil")
    _save(store, region, draft, "# Eva\n\nEvas text.\n", editor=KIL)
    with pytest.raises(EditConflict) as clash:
        _save(store, region, draft, "# Olle\n\nOlles text.\n", editor=KIL2)
    SharedWork(store, KIL2).resolve_draft_conflict(draft.key, clash.value, "keep")
    stored = _stored(store, campaign, draft)
    assert "Olles text" in stored.text and stored.version == 2 and stored.updated_by == "olle@kil.se"


def test_going_back_to_the_template_is_version_checked(store, varmland):
    """The reported defect: "Tillbaka till mallen" deleted a newer version without a check."""
    campaign, region, ss = varmland
    draft = _web(region, campaign, ss, "Kil")
    first = _save(store, region, draft, "# Eva\n\nEvas text.\n", editor=KIL)
    _save(store, region, draft, "# Olle\n\nOlles nyare text.\n", editor=KIL2, based_on=first.version)
    with pytest.raises(EditConflict) as clash:  # Eva still sees version 1
        SharedWork(store, KIL).revert_draft_edit(draft.key, based_on=first.version)
    assert "Olles nyare text" in _stored(store, campaign, draft).text  # nothing removed
    assert clash.value.yours == "" and clash.value.your_text({}, "MALLEN") == "MALLEN"
    assert "Olles nyare text" in clash.value.their_text(dict(draft.fields), "MALLEN")
    SharedWork(store, KIL).resolve_draft_conflict(draft.key, clash.value, "keep")  # Eva insists: back to it
    assert _stored(store, campaign, draft) is None
    assert not SharedWork(store, KIL).revert_draft_edit(draft.key, based_on=0)  # nothing left to take back


def test_a_save_after_a_revert_is_not_a_conflict(store, varmland):
    """The reported defect: after "Tillbaka till mallen" the next save raised a conflict with
    nothing to show. The draft shows the template (version 0) and saving from it just works."""
    campaign, region, ss = varmland
    draft = _web(region, campaign, ss, "Kil")
    first = _save(store, region, draft, "# Eva\n\nEvas text.\n", editor=KIL)
    assert SharedWork(store, KIL).revert_draft_edit(draft.key, based_on=first.version)
    again = _web(region, campaign, ss, "Kil", edits=load_edits(store, campaign.key))
    assert again.origin == "template" and again.edit_version == 0
    saved = _save(store, region, again, "# Eva igen\n\nNy text.\n", editor=KIL, based_on=again.edit_version)
    assert saved.version == 3 and "Ny text" in _stored(store, campaign, draft).text


def test_a_stale_save_after_someone_reverted_shows_what_they_did(store, varmland):
    campaign, region, ss = varmland
    draft = _web(region, campaign, ss, "Kil")
    first = _save(store, region, draft, "# Eva\n\nEvas text.\n", editor=KIL)
    SharedWork(store, KIL2).revert_draft_edit(draft.key, based_on=first.version)
    with pytest.raises(EditConflict) as clash:
        _save(store, region, draft, "# Eva\n\nEvas ändrade text.\n", editor=KIL, based_on=first.version)
    theirs = clash.value.theirs
    assert theirs is not None and theirs.text == "" and theirs.updated_by == "olle@kil.se"
    assert clash.value.their_text(dict(draft.fields), draft.template_source) == draft.template_source
    assert _stored(store, campaign, draft) is None


def test_an_old_version_number_never_matches_again(store, varmland):
    """Revert keeps the row (a tombstone), so version 1 after a revert and a new save is not version 1."""
    campaign, region, ss = varmland
    draft = _web(region, campaign, ss, "Kil")
    first = _save(store, region, draft, "# Eva\n\nEvas text.\n", editor=KIL)
    SharedWork(store, KIL2).revert_draft_edit(draft.key, based_on=first.version)
    _save(store, region, draft, "# Olle\n\nOlles text.\n", editor=KIL2, based_on=0)
    with pytest.raises(EditConflict):
        _save(store, region, draft, "# Eva\n\nSent.\n", editor=KIL, based_on=first.version)
    assert "Olles text" in _stored(store, campaign, draft).text


def test_an_empty_text_is_refused_not_stored(store, varmland):
    campaign, region, ss = varmland
    draft = _web(region, campaign, ss, "Kil")
    with pytest.raises(InputError):
        SharedWork(store, KIL).save_draft_edit(draft.key, "  \n", based_on=0)
    assert _stored(store, campaign, draft) is None


def test_the_merge_start_loses_no_line_of_either_text():
    yours, theirs = "# A\n\nsamma\nmin rad\nslut\n", "# A\n\nsamma\nderas rad\nslut\nextra\n"
    merged = merge_start(yours, theirs)
    assert merged == "# A\n\nsamma\nmin rad\nderas rad\nslut\nextra\n"
    assert merge_start("lika\n", "lika\n") == "lika\n"


def test_the_edits_stamp_follows_the_text_not_only_the_version():
    """Two databases (or one made anew) can hold version 1 of different texts: a cache keyed by the
    stamp must not serve one for the other."""
    from campaigns.drafts.edits import DraftEdit, DraftKey, EditSet

    key = DraftKey("varmland_2027", "1763", "felanmalan", 1, "web", "a")
    when = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    one = EditSet.of([DraftEdit(key, "Frågor?", 1, "anna", when)])
    other = EditSet.of([DraftEdit(key, "Frågor om felanmälan?", 1, "anna", when)])
    assert one.stamp != other.stamp and one.stamp == EditSet.of([DraftEdit(key, "Frågor?", 1, "bo", when)]).stamp
