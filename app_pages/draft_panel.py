"""One draft on the Budskap page: a preview that looks like the result, a copy-text box, and an
editor whose LIX, klarspråk hints and warnings follow the text; saving stores the edit in the
shared database, "back to the template" removes it."""

from __future__ import annotations

import re

import streamlit as st

from app_pages import _cached, state
from app_pages.auth import shared_work
from app_pages.draft_conflict import conflict_panel, editor_memory, forget, remember_conflict, widget_id
from app_pages.i18n import lang, t, tr
from campaigns.definitions import Campaign, Region
from campaigns.drafts import (
    FACEBOOK_IDEAL,
    FACEBOOK_PREVIEW,
    Draft,
    EditConflict,
    check_text,
    facebook_card_html,
    web_preview_html,
)
from common.errors import InputError
from common.formatting import fmt_dec, fmt_int
from segments.segmentset import SegmentSet

__all__ = ["draft_panel", "origin_label"]


def _widget_id(d: Draft) -> str:
    return widget_id(d)


def origin_label(d: Draft, region: Region) -> str:
    """Whose text this is: the template's, this municipality's own, or the region's."""
    leader = region.municipality(region.leader).name
    if d.origin == "template":
        return t("origin_template")
    if d.origin == "local":
        return t("origin_override", muni=d.municipality) if d.shared else t("origin_local", who=d.edited_by)
    if d.municipality_code == region.leader:
        return t("origin_regional_leader", who=d.edited_by)
    return t("origin_regional_member", leader=leader)


def _preview(d: Draft) -> None:
    if d.channel == "web":
        st.html(web_preview_html(d))
    elif d.channel == "facebook":
        st.caption(t("fb_guidance", ideal=FACEBOOK_IDEAL, preview=FACEBOOK_PREVIEW))
        st.html(facebook_card_html(d, d.municipality_official or f"{d.municipality} kommun"))
    elif d.format == "html" and "@page" in d.body:  # the flyer: its real A5 page
        try:
            pdf = _cached.pdf(d.body, d)
            with st.container(border=True):
                st.image(_cached.pdf_png(d.body, pdf), caption=t("flyer_preview"), width=460)
            st.download_button(t("dl_flyer"), data=pdf, file_name=f"flygblad-{d.e_service}-{d.segment}-{d.variant}.pdf",
                               mime="application/pdf", key=f"pdf_{_widget_id(d)}", icon=":material/print:",
                               on_click="ignore")
        except OSError:
            st.info(t("pdf_unavailable"))
    else:  # training invitation and staff briefing: formatted text, headings a size down
        with st.container(border=True):
            st.markdown(re.sub(r"(?m)^(#{1,4}) ", lambda m: "#" * (len(m.group(1)) + 2) + " ", d.body))


def _copy(d: Draft) -> None:
    with st.expander(t("copy_text"), icon=":material/content_copy:"):
        st.code(d.text, language=None, wrap_lines=True)
        if d.channel == "web":
            st.caption(t("copy_html"))
            st.code(d.body, language="html", wrap_lines=True)
        if d.channel == "facebook":
            st.caption(t("copy_link"))
            st.code(d.link, language=None, wrap_lines=True)
            if d.image_alt:
                st.caption(t("image_suggestion", image=d.image, alt=d.image_alt))


def _analysis(shown: Draft, unsaved: bool) -> None:
    m = st.columns(2)
    target = fmt_dec(shown.lix_target, lang(), 0)
    m[0].metric(t("lix"), fmt_dec(shown.readability.lix, lang(), 1), help=t("lix_target", target=target))
    m[1].metric(t("chars"), fmt_int(shown.chars, lang()))
    st.caption(f"{tr(shown.readability.band)} · {t('lix_target', target=target)}")
    if unsaved:
        st.caption(t("unsaved"))
    for w in shown.warnings:
        st.warning(tr(w), icon=":material/edit_note:")
    if not shown.warnings:
        st.success(t("no_warnings"))


def _write(d: Draft, action: str, based_on: int) -> None:
    """The save and revert buttons' callback: it runs before the page, with the draft and the
    version as they were on screen when the officer clicked (the page's next run may already
    show a newer stored text; the click must not be applied to that one)."""
    wid = _widget_id(d)
    try:
        if action == "save":
            shared_work().save_draft_edit(d.key, d.storable(st.session_state.get(f"src_{wid}", "")),
                                          based_on=based_on)
        else:
            shared_work().revert_draft_edit(d.key, based_on=based_on)
    except EditConflict as conflict:
        remember_conflict(d, conflict)
        return
    except InputError as err:
        st.session_state[f"said_{wid}"] = ("error", err.text(lang()))
        return
    forget(d)
    st.session_state[f"said_{wid}"] = ("toast", t("saved_draft" if action == "save" else "reverted"))


def _said(d: Draft) -> None:
    said = st.session_state.pop(f"said_{_widget_id(d)}", None)
    if said and said[0] == "error":
        st.error(said[1])
    elif said:
        st.toast(said[1], icon=":material/save:")


def draft_panel(d: Draft, campaign: Campaign, region: Region, segment_set: SegmentSet) -> None:
    """Preview and copy on the left, the editor and what it says about the text on the right."""
    left, right = st.columns([3, 2], gap="large")
    with right:
        st.caption(origin_label(d, region))
        ed = editor_memory(d)  # what the officer typed survives reruns and other people's saves
        text = st.text_area(t("edit_text"), height=420, key=f"src_{_widget_id(d)}", help=t("edit_help"))
        ed["typed"] = text
        if (ed["version"], ed["source"]) != (d.edit_version, d.source):
            st.info(t("draft_changed_meanwhile", who=d.edited_by or "–"), icon=":material/sync_problem:")
        unsaved = text.strip() != d.source.strip()
        shown = check_text(region, campaign, segment_set, d, text) if unsaved and text.strip() else d
        b = st.columns(2)
        b[0].button(t("save_draft"), key=f"save_{_widget_id(d)}", type="primary", disabled=not unsaved,
                    icon=":material/save:", on_click=_write, args=(d, "save", ed["version"]))
        own_edit = d.origin == "local" or (d.origin == "regional" and d.municipality_code == region.leader)
        if own_edit:
            b[1].button(t("back_to_region") if d.origin == "local" and d.shared else t("back_to_template"),
                        key=f"revert_{_widget_id(d)}", icon=":material/undo:", on_click=_write,
                        args=(d, "revert", ed["version"]))
        _said(d)
        conflict_panel(d)
        _analysis(shown, unsaved)
    with left:
        _preview(shown)
        _copy(shown)


def relevant_channels(campaign: Campaign, region: Region, e_key: str) -> dict[str, str]:
    """The e-service's citizen channels and the staff briefing, key -> name."""
    e = campaign.e_service(e_key)
    out = {k: tr(region.channel(k).title) for k in e.channels if not region.channel(k).internal}
    briefing = next((c for c in region.channels if c.internal and c.kind == "digital"), None)
    if briefing is not None:
        out[briefing.key] = tr(briefing.title)
    return out


def mix_caption(d: Draft) -> str | None:
    mix = state.channel_mix()
    if d.segment is None:
        return None
    return t("in_mix") if d.channel in mix.channels_for(d.segment, d.e_service) else t("not_in_mix")
