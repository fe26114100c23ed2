"""Channels: how well each channel fits each segment and why; the optimised mix within budget."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _cached, charts, state, statistics_view
from app_pages.i18n import lang, t, tr
from campaigns.channels import affinity
from campaigns.relevance import excluded, relevance
from common.formatting import fmt_int

st.title(t("channels_title"))

with state.guard():
    campaign, region = state.campaign()
    ss = state.segment_set()
    keys = list(dict.fromkeys(k for e in campaign.e_services for k in e.channels))
    channels = [region.channel(k) for k in keys if not region.channel(k).internal]
    frame = pd.DataFrame([{"Segment": f"{s.id}. {s.name}", "Kanal": ch.name, "Passar": a.score, "Varför": tr(a.reason)}
                          for s in ss.segments for ch in channels for a in [affinity(s, ch)]])
    st.subheader(t("affinity_chart"))
    statistics_view.estimated_caption()  # the reasons quote estimated habits when built from statistics
    st.vega_lite_chart(spec=_cached.chart_spec("affinity", f"{state.campaign_path()}|{state.segments_key()}", lang(),
                                               lambda: charts.affinity_chart(frame)), alt=t("affinity_chart"))
    with st.expander(t("as_table")):
        st.dataframe(frame.rename(columns={"Passar": t("fit"), "Varför": t("reason")}), hide_index=True,
                     column_config={t("fit"): st.column_config.ProgressColumn(format="percent", min_value=0,
                                                                              max_value=1)})

    st.subheader(t("audience_title"))
    st.caption(t("audience_intro"))
    audience = pd.DataFrame([{t("e_service"): e.name, t("segment"): s.name, t("relevance"): round(r.score, 2),
                              t("relevant"): t("yes") if r.relevant else t("no"), t("reason"): tr(r.reason)}
                             for e in campaign.e_services for s in ss.segments for r in [relevance(e, s)]])
    st.dataframe(audience, hide_index=True, column_config={
        t("relevance"): st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)})
    for line in excluded(campaign, ss):
        st.info(tr(line), icon=":material/block:")

    st.subheader(t("mix_title"))
    value = st.slider(t("budget"), min_value=0, max_value=1_000_000, step=5_000, value=int(state.budget()),
                      key=f"budget_{state.campaign_path()}")
    state.set_budget(value)
    mix = state.channel_mix()
    if mix is None:
        st.info(t("no_budget"))
    else:
        cols = st.columns(3)
        cols[0].metric(t("cost"), fmt_int(mix.total_cost))
        cols[1].metric(t("budget"), fmt_int(mix.budget))
        cols[2].metric(t("reach"), fmt_int(mix.total_reach))
        table = pd.DataFrame([{
            t("e_service"): o.e_service_name, t("segment"): o.segment_name, t("channel"): o.channel_name,
            t("chosen"): t("yes") if mix.is_chosen(o) else t("no"),
            t("reach"): round(o.reach), t("cost"): round(o.cost),
            t("cost_per_person"): round(o.cost_per_person, 1) if o.reach else None,
            t("reason"): tr(o.reason)} for o in mix.options])
        st.dataframe(table, hide_index=True)
        details = ("mix.chosen", "mix.not_chosen", "mix.unsuitable", "mix.not_in_audience")
        for line in mix.explanation:
            if line.code not in details:
                st.markdown(f"- {tr(line)}")
        with st.expander(t("mix_details")):
            for line in mix.explanation:
                if line.code in details:
                    st.markdown(f"- {tr(line)}")
        st.caption(t("mix_feeds_calendar"))
