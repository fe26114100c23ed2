"""Evaluation: did it work? The uplift with its comparison and limits, the effect month by month,
channels and segments, survey answers, power for the next rollout, surveys and feedback, and
the report (HTML/PDF) and estimates (CSV) — from the same core as `python -m campaigns evaluate`."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import _cached, charts, data_names, state, tables
from app_pages.auth import current_user, shared_work
from app_pages.i18n import labels, lang, t, tr
from app_pages.objectives_view import objectives_section
from app_pages.power import power_section
from campaigns.evaluation import estimates_table, period_label, survey_drafts
from campaigns.evaluation_report import OTHER_SOURCES
from campaigns.feedback import CATEGORIES, FeedbackItem, FeedbackStore, category_name
from campaigns.usage import monthly_rates, start_months, wave_windows
from common.errors import InputError
from common.formatting import fmt_dec
from common.uploads import neutral_name


def _upload_or_sample(label: str, key: str, sample: Path, sample_caption: str, help_text: str | None = None
                      ) -> tuple[bytes, str] | None:
    uploaded = st.file_uploader(label, type=["csv", "txt", "xlsx", "parquet"], key=key, help=help_text)
    if uploaded is not None:
        data = uploaded.getvalue()
        return data, neutral_name(uploaded.name, data)  # never the real file name
    if sample.exists():
        st.caption(sample_caption)
        return sample.read_bytes(), sample.name
    return None


def _effects(rows: pd.DataFrame) -> dict[str, list[str]]:
    """The effect and its band as the language writes numbers ("–" where there is none)."""
    return {t("effect"): [fmt_dec(v, lang(), 2) if pd.notna(v) else "–" for v in rows["estimate"]],
            t("band"): [t("report.band", low=fmt_dec(lo, lang(), 2), high=fmt_dec(hi, lang(), 2)) if pd.notna(lo)
                        else "–" for lo, hi in zip(rows["low"], rows["high"])]}


st.title(t("evaluation_title"))
st.write(t("evaluation_intro"))

with state.guard():
    campaign, region = state.campaign()
    plan = state.plan()
    ss = state.segment_set()
    stem = Path(state.campaign_path()).stem
    got = _upload_or_sample(t("usage_upload"), "usage_upload", _cached.DATA / "usage" / f"{stem}.csv",
                            t("usage_sample"))
    if got is None:
        st.info(t("usage_none"))
        st.stop()
    data, name = got
    usage = _cached.usage(data, name, state.campaign_path())
    answers_file = _upload_or_sample(t("eval_survey_upload"), "survey_upload",
                                     _cached.DATA / "surveys" / f"{stem}_svar.csv", t("eval_survey_sample"),
                                     t("eval_survey_help"))
    answers = None
    if answers_file is not None:
        answers = _cached.survey_answers(answers_file[0], answers_file[1], plan, ss, state.plan_key())
        st.caption(t("eval_survey_loaded", n=len(answers.frame)) + (
            " " + t("eval_survey_ignored", columns=", ".join(answers.ignored[:8])) if answers.ignored else ""))
    digest = hashlib.sha1(data + (answers_file[0] if answers_file else b"")).hexdigest()[:12]
    key = state.plan_key() + digest
    with st.spinner(t("working")):
        ev = _cached.evaluation(plan, usage, state.channel_mix(), answers, key)

    names = {s.e_service: s.name for s in ev.services}
    if not names:
        st.info(t("usage_none"))
        st.stop()
    e_key = st.selectbox(t("pick_eservice"), list(names), format_func=names.get, key="eval_e")
    result = next(s for s in ev.services if s.e_service == e_key)
    total = result.total  # too few members or pre-trends against the comparison: a warning, not a result
    (st.warning if total.descriptive or total.parallel_doubt else st.success if total.detectable else st.info)(
        tr(total.conclusion))
    st.caption(t("eval_comparison", comparison=result.total.comparison))
    scores = _cached.objective_scores(ev, plan, usage, state.channel_mix(), answers, key)
    objectives_section(scores, e_key, dict(data_names.shown_names(campaign, region, ss.segments, lang())))

    if result.total.event_study:
        st.subheader(t("eval_event_study"))
        frame = charts.event_study_frame(result.total.event_study)
        charts.show(charts.spec(charts.event_study_chart(frame, lang()), lang()), t("eval_event_study"))
        st.caption(t(f"report.event_study_caption.{result.total.method}"))
        with st.expander(t("as_table")):
            st.dataframe(tables.localised(frame[["months", "effect"]], lang(), columns={
                "months": t("evaluation.chart.months"), "effect": t("evaluation.chart.effect")}), hide_index=True)

    rates = monthly_rates(usage, region, e_key)
    usage_long = charts.usage_frame(rates, {m.code: m.name for m in region.municipalities})
    channel_names = data_names.channel_names(region, lang())  # English forms where the region has them
    st.subheader(t("usage_chart"))
    waves = [(tr(label), d) for label, d in wave_windows(plan, e_key)]
    charts.show(charts.spec(charts.usage_chart(usage_long, waves, lang()), lang()), t("usage_chart"))
    st.caption(t("usage_chart_caption"))

    table = estimates_table(ev, lang())
    mine = table[table["e_service"] == result.name]
    shown = dict(data_names.shown_names(campaign, region, ss.segments, lang()))  # names in the reader's language
    mine = mine.assign(**{c: mine[c].map(lambda x: shown.get(x, x)) for c in ("channel", "segment")})
    if result.channels:
        st.subheader(t("channel"))
        channels = mine[mine["segment"] == t("evaluation.all_segments")].iloc[1:]
        st.dataframe(pd.DataFrame({
            t("channel"): channels["channel"], **_effects(channels),
            t("conclusion"): [t("detectable") if c.detectable else t("not_detectable") for c in result.channels]}),
            hide_index=True)
    if result.segments:
        with st.expander(t("eval_segments")):
            by_segment = mine[mine["segment"] != t("evaluation.all_segments")]
            st.dataframe(pd.DataFrame({t("channel"): by_segment["channel"], t("segment"): by_segment["segment"],
                                       **_effects(by_segment), t("eval_col_comparison"): by_segment["comparison"]}),
                         hide_index=True)

    tabs = st.tabs([t("periods"), t("uptake"), t("eval_survey_title"), t("as_table")])
    with tabs[0]:
        names_by_code = {m.code: m.name for m in region.municipalities}
        periods = result.periods.rename(columns=lambda c: t("report.col.municipality") if c == "municipality"
                                        else tr(period_label(c)))
        if not periods.empty:
            periods.iloc[:, 0] = periods.iloc[:, 0].map(names_by_code)
        st.dataframe(tables.localised(periods, lang()), hide_index=True)
    with tabs[1]:
        segment_names = {s.id: tr(s.title) for s in plan.segments}
        uptake = result.uptake.assign(segment=result.uptake["segment"].map(
            lambda s: segment_names.get(int(s), t("evaluation.segment_unknown"))))
        st.dataframe(tables.localised(uptake, lang(), channel_names=channel_names, digits=1, columns={
            "channel": t("channel"), "segment": t("segment"), "uses": t("report.col.uses"), "cost_sek": t("cost"),
            "cost_per_user": t("report.col.cost_per_use")}), hide_index=True)
        if result.variants is not None and not result.variants.empty:
            st.markdown(f"**{t('report.variants')}**")
            st.dataframe(tables.localised(result.variants, lang(), channel_names=channel_names, columns={
                "channel": t("channel"), "variant": t("report.col.variant"), "uses": t("report.col.uses"),
                "share": t("report.col.variant_share")}), hide_index=True)
            st.caption(t("report.variants_note"))
    with tabs[2]:
        if result.survey is None:
            st.caption(t("eval_no_survey"))
        else:
            st.markdown(f"**{t('eval_heard_from')}**")
            st.caption(t("report.heard_from_intro"))
            sources = channel_names | {c: t(f"evaluation.channel.{c}") for c in OTHER_SOURCES}
            st.dataframe(tables.localised(result.survey.heard_from, lang(), channel_names=sources, columns={
                "channel": t("report.col.source"), "answers": t("report.col.answers"),
                "share": t("report.col.answer_share"), "tracked_share": t("report.col.tracked_share")},
                percent=("share", "tracked_share")), hide_index=True)
            st.markdown(f"**{t('eval_responses')}**")
            answered = result.survey.responses
            if "segment" in answered:  # the answer file names segments as plans carry them
                answered = answered.assign(segment=answered["segment"].map(lambda x: shown.get(x, x)))
            responses = tables.localised(answered, lang(), channel_names=sources, columns={
                "municipality": t("municipality"), "segment": t("segment"), "channel": t("report.col.arrived_via"),
                "answers": t("report.col.answers")})
            st.dataframe(responses.replace({"–": "<5"}), hide_index=True)
            st.caption(t("report.small_cells"))
    with tabs[3]:
        st.dataframe(tables.localised(usage_long, lang(), columns={
            "month": t("evaluation.chart.month"), "municipality": t("evaluation.chart.municipality"),
            "rate": t("usage_chart")}), hide_index=True)

    fb_store = FeedbackStore(_cached.store())
    feedback = tuple(fb_store.items(campaign.key))
    c = st.columns(3)
    c[0].download_button(t("eval_dl_estimates"), data=lambda: _cached.estimates_file(
                         ev, key, lang(), data_names.shown_names(campaign, region, ss.segments, lang()), plan, scores),
                         file_name="estimates.csv", mime="text/csv", icon=":material/table:", on_click="ignore")
    c[1].download_button(t("dl_report_html"), data=lambda: _cached.report(ev, plan, feedback, key, False, lang(), scores),
                         file_name="utvardering.html", mime="text/html", icon=":material/description:",
                         on_click="ignore")
    c[2].download_button(t("dl_report_pdf"), data=lambda: _cached.report(ev, plan, feedback, key, True, lang(), scores),
                         file_name="utvardering.pdf", mime="application/pdf", icon=":material/print:",
                         on_click="ignore")

    power_section(plan, e_key, usage, digest)

    st.subheader(t("surveys"))
    started = start_months(plan, e_key)
    members = [m.name for m in region.municipalities if m.code in started]
    muni = st.selectbox(t("pick_muni"), members, key="survey_muni")
    drafts = survey_drafts(plan, ss, muni, e_key)
    titles = {s.id: tr(s.title) for s in ss.segments}  # the tab names a segment in the reader's language
    survey_tabs = st.tabs([titles.get(d.segment, d.segment_name or "") if d.segment is not None else t("staff")
                           for d in drafts])
    for tab, d in zip(survey_tabs, drafts):
        with tab:
            st.markdown(d.body.replace("# ", "#### ", 1))
            st.caption(f"LIX {fmt_dec(d.readability.lix, lang(), 1)} · {tr(d.readability.band)}")

    st.subheader(t("feedback"))
    user = current_user()
    may_note = [m for m in members if user.may("feedback", m)]
    if not may_note:
        st.caption(t("feedback_not_allowed"))
    feedback_channels = channel_names | {"kontaktcenter": t("contact_centre")}
    with st.form("feedback_form", clear_on_submit=True):
        f = st.columns(4)
        day = f[0].date_input(t("date"), value=dt.date.today(), format="YYYY-MM-DD" if lang() == "sv" else "DD/MM/YYYY")
        fmuni = f[1].selectbox(t("municipality"), may_note)
        fchannel = f[2].selectbox(t("channel"), list(feedback_channels), format_func=feedback_channels.get)
        category = f[3].selectbox(t("feedback_category"), list(CATEGORIES), format_func=labels(CATEGORIES, lambda c: tr(category_name(c))))
        text = st.text_area(t("feedback_text"))
        if st.form_submit_button(t("feedback_save"), type="primary", disabled=not may_note):
            try:  # role-checked on the server: an officer notes feedback for their own municipality only
                shared_work().add_feedback(FeedbackItem(campaign.key, day, fmuni or "", e_key, fchannel, category,
                                                        text))
                st.success(t("feedback_saved"))
                feedback = tuple(fb_store.items(campaign.key))
            except InputError as err:
                st.error(err.text(lang()))
    items = [x for x in feedback if x.e_service == e_key]
    if items:
        st.dataframe(pd.DataFrame([{t("date"): tables.short_date(x.day, lang()), t("municipality"): x.municipality,
                                    t("channel"): feedback_channels.get(x.channel, x.channel),
                                    t("feedback_category"): tr(category_name(x.category)), t("feedback"): x.text}
                                   for x in items]), hide_index=True)
    else:
        st.caption(t("feedback_none"))
