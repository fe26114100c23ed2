"""Start: what the tool does, the campaign and data in use, campaigns made on screen, where to go next."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import campaign_editor, objectives_editor, state
from app_pages import state_campaign_doc as doc
from app_pages.i18n import lang, t, tr
from app_pages.power import sample_history
from campaigns.objectives import baseline, objective_label
from campaigns.schedule import CampaignPlan
from common.formatting import fmt_dec, fmt_int, fmt_pct


def objectives_table(plan: CampaignPlan) -> None:
    """The campaign's objectives with each baseline from the statistics before the campaign (they are
    set per e-service in the campaign editor below)."""
    st.subheader(t("objectives.title"))
    rows = []
    usage, _ = sample_history()
    for e in plan.campaign.e_services:
        for o in e.objectives:
            base = baseline(usage, plan, e.key, o)
            value = "–" if base.value is None else (
                fmt_dec(base.value, lang(), 2) if o.metric == "uses_per_1000" else fmt_pct(base.value, lang()))
            rows.append({t("objectives.col.e_service"): e.name, t("objectives.col.objective"): tr(objective_label(o, plan)),
                         t("objectives.col.baseline"): value, t("objectives.col.period"): tr(base.period) if base.period else "–"})
    if not rows:
        st.caption(t("objectives.none"))
        return
    st.table(pd.DataFrame(rows).set_index(t("objectives.col.e_service")))
    st.caption(t("objectives.read_only"))

st.title(t("start_title"))
st.markdown(t("start_intro"))
flash = st.container()  # always drawn, so that what follows keeps its place (and open expanders stay open)
if "ed_flash" in st.session_state:
    flash.success(st.session_state.pop("ed_flash"), icon=":material/check_circle:")

with state.guard():
    campaign, region = state.campaign()
    st.success(t("start_loaded", campaign=campaign.name) + "  \n" + state.data_label())
    ss = state.segment_set()
    plan = state.plan()
    cols = st.columns(5)
    cols[0].metric(t("metric_municipalities"), fmt_int(len(region.municipalities), lang()))
    cols[1].metric(t("metric_persons"), fmt_int(ss.total_weight, lang()))
    cols[2].metric(t("metric_segments"), fmt_int(len(ss.segments), lang()))
    cols[3].metric(t("metric_eservices"), fmt_int(len(campaign.e_services), lang()))
    cols[4].metric(t("metric_activities"), fmt_int(len(plan.activities), lang()))

    objectives_table(plan)

    st.subheader(t("next_step"))
    cols = st.columns(3)
    cols[0].page_link("app_pages/data.py", label=t("go_data"), icon=":material/upload_file:")
    cols[1].page_link("app_pages/segments_page.py", label=t("go_segments"), icon=":material/groups:")
    cols[2].page_link("app_pages/calendar_page.py", label=t("go_calendar"), icon=":material/calendar_month:")

st.divider()
st.header(t("ed.title"))
with state.guard():
    doc.sync()
    campaign, region = state.campaign()
    campaign_editor.conflict_box()
    campaign_editor.new_campaign_form(region.key)
    campaign_editor.undo_button()
    campaign_editor.services_list(campaign, region)
    objectives_editor.objectives_form(campaign, region, state.plan())
    campaign_editor.add_service_form(campaign, region)
    campaign_editor.yaml_io(campaign)
