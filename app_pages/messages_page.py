"""Messages: every segment's draft side by side for one municipality, e-service and channel."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from app_pages import _cached, state
from app_pages.i18n import t

st.title(t("messages_title"))

with state.guard():
    campaign, region = state.campaign()
    ss = state.segment_set()
    c = st.columns(3)
    e_names = {e.key: e.name for e in campaign.e_services}
    e_key = c[1].selectbox(t("pick_eservice"), list(e_names), format_func=e_names.get, key="msg_e")
    e = campaign.e_service(e_key)
    members = [m.name for m in region.participants(e)]
    muni = c[0].selectbox(t("pick_muni"), members, key="msg_muni")
    channel_names = {k: region.channel(k).name for k in e.channels if not region.channel(k).internal}
    channel = c[2].selectbox(t("pick_channel"), list(channel_names), format_func=channel_names.get, key="msg_channel")

    with st.spinner(t("working")):
        drafts = _cached.drafts(state.campaign_path(), ss, state.segments_key(), muni, e_key)
    shown = [d for d in drafts if d.channel == channel]
    mix = state.channel_mix()
    cols = st.columns(len(shown))
    for col, d in zip(cols, shown):
        with col.container(border=True):
            st.subheader(d.segment_name or "")
            if mix is not None and d.segment is not None:
                st.caption(t("in_mix") if channel in mix.channels_for(d.segment) else t("not_in_mix"))
            m = st.columns(2)
            m[0].metric(t("lix"), f"{d.readability.lix:g}".replace(".", ","), help=t("lix_target",
                                                                                      target=f"{d.lix_target:g}"))
            m[1].metric(t("chars"), d.chars)
            st.caption(f"{d.readability.band} · {t('lix_target', target=f'{d.lix_target:g}')}")
            st.text(d.text)
            if d.warnings:
                for w in d.warnings:
                    st.warning(w)
            else:
                st.success(t("no_warnings"))
            if d.channel == "flyer":
                with st.expander(t("flyer_preview")):
                    components.html(d.body, height=620, scrolling=True)
                try:
                    pdf = _cached.pdf(d.body, d)
                    st.download_button(t("dl_flyer"), data=pdf, file_name=f"flygblad-{e_key}-{d.segment}.pdf",
                                       mime="application/pdf", key=f"pdf_{d.segment}", icon=":material/print:")
                except OSError:
                    st.info(t("pdf_unavailable"))

    briefing = next((d for d in drafts if d.segment is None), None)
    if briefing is not None:
        with st.expander(t("briefing_title")):
            st.markdown(briefing.body)
