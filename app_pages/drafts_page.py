"""Budskap: every draft for one municipality, e-service and channel — one tab per segment the
service concerns — previewed as it will look, editable, and kept."""

from __future__ import annotations

import streamlit as st

from app_pages import state
from app_pages.draft_panel import draft_panel, mix_caption, origin_label, relevant_channels
from app_pages.i18n import labels, relabel, t, tr
from app_pages.place import keep, kept
from campaigns.relevance import relevance

st.title(t("messages_title"))

with state.guard():
    campaign, region = state.campaign()
    ss = state.segment_set()
    c = st.columns([2, 2, 2, 2])
    e_names = {e.key: tr(e.title) for e in campaign.e_services}  # names in the reader's language
    keep("msg_e", list(e_names))  # the officer's place survives reruns, other pages and reloads
    e_key = kept("msg_e", c[1].selectbox(t("pick_eservice"), list(e_names), format_func=e_names.get, key="msg_e"))
    e = campaign.e_service(e_key)
    members = [m.name for m in region.participants(e)]
    keep("msg_muni", members)
    muni = kept("msg_muni", c[0].selectbox(t("pick_muni"), members, key="msg_muni"))
    channel_names = relevant_channels(campaign, region, e_key)
    keep("msg_channel", list(channel_names))
    channel = kept("msg_channel", c[2].selectbox(t("pick_channel"), list(channel_names),
                                                 format_func=channel_names.get, key="msg_channel"))
    relabel("msg_variant")
    keep("msg_variant", ["a", "b"])
    variant = kept("msg_variant", c[3].radio(
        t("msg_variant"), ["a", "b"], format_func=labels(["a", "b"], lambda v: t("variant_label", v=v.upper())),
        horizontal=True, key="msg_variant", help=t("msg_variant_help")))

    audience = e.target_audience()
    left_out = [(s, relevance(e, s)) for s in ss.segments if not relevance(e, s).relevant]
    st.info(t("audience_of", e_service=tr(e.title), note=tr(audience.note_text) or t("audience_everyone")), icon=":material/groups:")
    for s, r in left_out:
        st.caption(t("segment_left_out", segment=tr(s.title), why=tr(r.reason)))

    with st.spinner(t("polish.stage.drafts")):
        drafts = state.drafts(muni, e_key)
    shown = [d for d in drafts if d.channel == channel and d.variant in (variant, "")]
    if not shown:
        st.warning(t("no_segments_for_service", e_service=tr(e.title)))
    else:  # one draft at a time: only the shown flyer is printed to its preview image
        # by segment number (0: the staff briefing), one choice for every channel: changing the channel
        # keeps the segment
        by_segment = {d.segment or 0: d for d in shown}
        titles = {s.id: tr(s.title) for s in ss.segments}  # a generated name has both languages
        names = {s: (titles.get(s, d.segment_name or "") if s else t("briefing_title")) + ("  ✎" if d.edited else "")
                 for s, d in by_segment.items()}
        keep("msg_segment", list(by_segment))
        pick = kept("msg_segment", st.segmented_control(
            t("pick_segment"), list(names), format_func=names.get, default=next(iter(names)), key="msg_segment",
            width="stretch", required=True))
        d = by_segment.get(pick if pick is not None else -1, next(iter(by_segment.values())))
        caption = mix_caption(d)
        if caption:
            st.caption(caption)
        draft_panel(d, campaign, region, ss)
    edited = [d for d in drafts if d.edited]
    if edited:
        with st.expander(t("edited_drafts", n=len(edited)), icon=":material/edit_note:"):
            for d in edited:
                st.markdown(f"- {d.channel_name} · {d.segment_name or t('briefing_title')}"
                            f"{' · ' + t('variant_label', v=d.variant.upper()) if d.variant else ''}: "
                            f"{origin_label(d, region)}")
