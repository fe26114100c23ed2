"""Evaluation: usage before and after, uplift with its band, channels and cost per new user,
surveys, feedback, and the report as HTML and PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import _cached, state
from app_pages.auth import current_user, shared_work
from app_pages.i18n import lang, t, tr
from campaigns.evaluation import survey_drafts
from campaigns.feedback import CATEGORIES, FeedbackItem, FeedbackStore, category_name
from campaigns.usage import campaign_starts, monthly_rates, wave_windows
from common.errors import InputError

st.title(t("evaluation_title"))
st.write(t("evaluation_intro"))

with state.guard():
    campaign, region = state.campaign()
    plan = state.plan()
    ss = state.segment_set()
    sample = _cached.DATA / "usage" / Path(state.campaign_path()).name.replace(".yaml", ".csv")
    uploaded = st.file_uploader(t("usage_upload"), type=["csv", "txt", "xlsx", "parquet"], key="usage_upload")
    if uploaded is not None:
        data, name = uploaded.getvalue(), uploaded.name
    elif sample.exists():
        st.caption(t("usage_sample"))
        data, name = sample.read_bytes(), sample.name
    else:
        st.info(t("usage_none"))
        st.stop()
    usage = _cached.usage(data, name, state.campaign_path())
    key = state.plan_key() + hashlib.sha1(data).hexdigest()[:12]
    with st.spinner(t("working")):
        ev = _cached.evaluation(plan, usage, state.channel_mix(), key)

    names = {s.e_service: s.name for s in ev.services}
    if not names:
        st.info(t("usage_none"))
        st.stop()
    e_key = st.selectbox(t("pick_eservice"), list(names), format_func=names.get, key="eval_e")
    result = next(s for s in ev.services if s.e_service == e_key)
    (st.success if result.total.detectable else st.info)(result.total.sentence_sv if lang() == "sv"
                                                          else result.total.sentence_en)

    rates = monthly_rates(usage, region, e_key)
    municipality_names = {m.code: m.name for m in region.municipalities}
    long = rates.rename(columns=municipality_names).reset_index().melt(
        id_vars="month", var_name="Kommun", value_name="Per 1 000 invånare")
    starts = campaign_starts(plan)
    marks = pd.DataFrame([{"Datum": pd.Timestamp(d), "Händelse": label} for label, d in wave_windows(plan, e_key)])
    lines = alt.Chart(long).mark_line(opacity=0.5).encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%Y-%m")), y=alt.Y("Per 1 000 invånare:Q"),
        detail="Kommun:N", tooltip=["Kommun", alt.Tooltip("month:T", format="%Y-%m"),
                                     alt.Tooltip("Per 1 000 invånare:Q", format=".2f")])
    mean = alt.Chart(long).mark_line(color="#003b66", strokeWidth=3).encode(
        x="month:T", y=alt.Y("mean(Per 1 000 invånare):Q", title="Per 1 000 invånare"))
    chart = lines + mean
    if not marks.empty:
        chart = chart + alt.Chart(marks).mark_rule(color="#d62728", strokeDash=[4, 3]).encode(
            x="Datum:T", tooltip=["Händelse", alt.Tooltip("Datum:T", format="%Y-%m-%d")]) + alt.Chart(marks).mark_text(
            align="left", dx=3, angle=270, baseline="top", color="#d62728").encode(x="Datum:T", y=alt.value(40),
                                                                                    text="Händelse")
    st.subheader(t("usage_chart"))
    st.altair_chart(chart.properties(height=320), alt=t("usage_chart"))
    st.caption(t("usage_chart_caption"))

    if result.channels:
        st.subheader(t("channel"))
        st.dataframe(pd.DataFrame([{
            t("channel"): c.channel, t("effect"): None if c.estimate is None else round(c.estimate, 2),
            t("band"): "–" if c.low is None else f"{c.low:.2f} – {c.high:.2f}".replace(".", ","),
            t("conclusion"): t("detectable") if c.detectable else t("not_detectable")} for c in result.channels]),
            hide_index=True)
    tabs = st.tabs([t("periods"), t("uptake"), t("as_table")])
    with tabs[0]:
        st.dataframe(result.periods, hide_index=True)
    with tabs[1]:
        st.dataframe(result.uptake.rename(columns={"channel": t("channel"), "segment": t("segment"),
                                                   "uses": "Användningar", "cost_sek": t("cost"),
                                                   "cost_per_user": "Kr per användning"}), hide_index=True)
    with tabs[2]:
        st.dataframe(long, hide_index=True)

    fb_store = FeedbackStore(_cached.store())
    feedback = fb_store.items(campaign.key)
    c = st.columns(2)
    c[0].download_button(t("dl_report_html"), data=lambda: _cached.report(ev, plan, feedback, key, False),
                         file_name="utvardering.html", mime="text/html", icon=":material/description:")
    c[1].download_button(t("dl_report_pdf"), data=lambda: _cached.report(ev, plan, feedback, key, True),
                         file_name="utvardering.pdf", mime="application/pdf", icon=":material/print:")

    st.subheader(t("surveys"))
    e = campaign.e_service(e_key)
    members = [m.name for m in region.municipalities if (m.code, e_key) in starts]
    muni = st.selectbox(t("pick_muni"), members, key="survey_muni")
    drafts = survey_drafts(plan, ss, muni, e_key)
    survey_tabs = st.tabs([d.segment_name or t("staff") for d in drafts])
    for tab, d in zip(survey_tabs, drafts):
        with tab:
            st.markdown(d.body.replace("# ", "#### ", 1))
            st.caption(f"LIX {d.readability.lix:g} · {d.readability.band}".replace(".", ","))

    st.subheader(t("feedback"))
    user = current_user()
    may_note = [m for m in members if user.may("feedback", m)]
    if not may_note:
        st.caption(t("feedback_not_allowed"))
    with st.form("feedback_form", clear_on_submit=True):
        f = st.columns(4)
        day = f[0].date_input(t("date"), value=dt.date.today(), format="YYYY-MM-DD")
        fmuni = f[1].selectbox(t("municipality"), may_note)
        channel_names = {ch.key: ch.name for ch in region.channels} | {"kontaktcenter": "Kontaktcenter"}
        fchannel = f[2].selectbox(t("channel"), list(channel_names), format_func=channel_names.get)
        category = f[3].selectbox(t("feedback_category"), list(CATEGORIES), format_func=lambda c: tr(category_name(c)))
        text = st.text_area(t("feedback_text"))
        if st.form_submit_button(t("feedback_save"), type="primary", disabled=not may_note):
            try:  # role-checked on the server: an officer notes feedback for their own municipality only
                shared_work().add_feedback(FeedbackItem(campaign.key, day, fmuni or "", e_key, fchannel, category,
                                                        text))
                st.success(t("feedback_saved"))
                feedback = fb_store.items(campaign.key)
            except InputError as err:
                st.error(err.text(lang()))
    items = [x for x in feedback if x.e_service == e_key]
    if items:
        st.dataframe(pd.DataFrame([{t("date"): x.day, t("municipality"): x.municipality, t("channel"): x.channel,
                                    t("feedback_category"): tr(category_name(x.category)), t("feedback"): x.text}
                                   for x in items]), hide_index=True)
    else:
        st.caption(t("feedback_none"))
