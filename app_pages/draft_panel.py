"""One draft on the Budskap page: a preview that looks like the result, a copy-text box, and an
editor whose LIX, klarspråk hints and warnings follow the text; saving stores the edit in the
shared database, "back to the template" removes it."""

from __future__ import annotations

import hashlib
import re

import streamlit as st

from app_pages import _cached, state
from app_pages.auth import shared_work
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
    return f"{d.municipality_code}_{d.e_service}_{d.segment}_{d.channel}_{d.variant}"


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


def _save(d: Draft, text: str, based_on: int) -> None:
    try:
        shared_work().save_draft_edit(d.key, d.storable(text), municipality=d.municipality, based_on=based_on)
        st.session_state.pop(f"conflict_{_widget_id(d)}", None)
        st.toast(t("saved_draft"), icon=":material/save:")
        st.rerun()
    except EditConflict as conflict:
        st.session_state[f"conflict_{_widget_id(d)}"] = conflict.theirs
    except InputError as err:
        st.error(err.text(lang()))


def _conflict(d: Draft, text: str) -> None:
    theirs = st.session_state.get(f"conflict_{_widget_id(d)}")
    if theirs is None:
        return
    st.warning(t("edit_conflict", who=theirs.updated_by, when=theirs.updated_at.strftime("%Y-%m-%d %H:%M")))
    c = st.columns(2)
    if c[0].button(t("take_theirs_draft"), key=f"theirs_{_widget_id(d)}"):
        st.session_state.pop(f"conflict_{_widget_id(d)}", None)
        st.rerun()
    if c[1].button(t("overwrite_theirs"), key=f"overwrite_{_widget_id(d)}"):
        _save(d, text, theirs.version)


def draft_panel(d: Draft, campaign: Campaign, region: Region, segment_set: SegmentSet) -> None:
    """Preview and copy on the left, the editor and what it says about the text on the right."""
    left, right = st.columns([3, 2], gap="large")
    with right:
        st.caption(origin_label(d, region))
        version = hashlib.sha1(d.source.encode()).hexdigest()[:8]  # a saved or reverted text resets the box
        text = st.text_area(t("edit_text"), value=d.source, height=420, key=f"src_{_widget_id(d)}_{version}",
                            help=t("edit_help"))
        unsaved = text.strip() != d.source.strip()
        shown = check_text(region, campaign, segment_set, d, text) if unsaved else d
        b = st.columns(2)
        if b[0].button(t("save_draft"), key=f"save_{_widget_id(d)}", type="primary", disabled=not unsaved,
                       icon=":material/save:"):
            _save(d, text, d.edit_version)
        own_edit = d.origin == "local" or (d.origin == "regional" and d.municipality_code == region.leader)
        if own_edit and b[1].button(t("back_to_region") if d.origin == "local" and d.shared else t("back_to_template"),
                                    key=f"revert_{_widget_id(d)}", icon=":material/undo:"):
            try:
                shared_work().revert_draft_edit(d.key, municipality=d.municipality)
                st.toast(t("reverted"), icon=":material/undo:")
                st.rerun()
            except InputError as err:
                st.error(err.text(lang()))
        _conflict(d, text)
        _analysis(shown, unsaved)
    with left:
        _preview(shown)
        _copy(shown)


def relevant_channels(campaign: Campaign, region: Region, e_key: str) -> dict[str, str]:
    """The e-service's citizen channels and the staff briefing, key -> name."""
    e = campaign.e_service(e_key)
    out = {k: region.channel(k).name for k in e.channels if not region.channel(k).internal}
    briefing = next((c for c in region.channels if c.internal and c.kind == "digital"), None)
    if briefing is not None:
        out[briefing.key] = briefing.name
    return out


def mix_caption(d: Draft) -> str | None:
    mix = state.channel_mix()
    if d.segment is None:
        return None
    return t("in_mix") if d.channel in mix.channels_for(d.segment, d.e_service) else t("not_in_mix")
