"""Start → objectives per e-service, set on screen: a metric, a target and a date, added to or taken
from the campaign document (versioned, role-checked and undoable like every change to it)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import state_campaign_doc as doc
from app_pages.i18n import labels, t, tr
from campaigns.campaign_docs import set_objectives
from campaigns.definitions import Campaign, Objective, Region
from campaigns.objectives import objective_label
from campaigns.schedule import CampaignPlan
from common.errors import InputError

METRICS = ("uses_per_1000", "digital_share", "heard_of")
KINDS = ("change", "relative", "level")


def _change(campaign: Campaign, region: Region, key: str, objectives: list[Objective]) -> None:
    """A button's callback: the new list saved at once; a refusal waits for the next run."""
    try:
        doc.change(set_objectives(campaign, region, key, objectives))
    except InputError as err:
        st.session_state["obj_error"] = err


def objectives_form(campaign: Campaign, region: Region, plan: CampaignPlan) -> None:
    """Coordinators add and remove each e-service's objectives; the table above shows the baselines."""
    if not doc.may_edit():
        return
    with st.expander(t("obj.edit_title"), icon=":material/flag:"):
        error = st.session_state.pop("obj_error", None)
        if error is not None:
            st.error(error.text(st.session_state.get("lang", "sv")))
        services = {e.key: tr(e.title) for e in campaign.e_services}
        key = st.selectbox(t("objectives.col.e_service"), list(services), format_func=services.get, key="obj_service")
        e = campaign.e_service(key)
        for i, o in enumerate(e.objectives):
            c = st.columns([5, 1])
            c[0].markdown(f"- {tr(objective_label(o, plan))}")
            rest = [x for j, x in enumerate(e.objectives) if j != i]
            c[1].button(t("ed.remove"), key=f"obj_rm_{key}_{i}", icon=":material/delete:",
                        on_click=_change, args=(campaign, region, key, rest))
        c = st.columns(4)
        metric = c[0].selectbox(t("obj.metric"), METRICS, key="obj_metric",
                                format_func=labels(METRICS, lambda m: t(f"objective.metric.{m}")))
        kinds = ("level",) if metric == "heard_of" else KINDS
        kind = c[1].selectbox(t("obj.kind"), kinds, key="obj_kind",
                              format_func=labels(kinds, lambda k: t(f"obj.kind.{k}")))
        target = c[2].number_input(t("obj.target"), value=0.3, step=0.05, format="%.2f", key="obj_target",
                                   help=t("obj.target_help"))
        by = c[3].date_input(t("obj.by"), value=dt.date(campaign.planning_start.year, 12, 31), key="obj_by",
                             format="YYYY-MM-DD")
        try:
            new = Objective(metric=metric, kind=kind, target=float(target), by=by)
        except ValueError:
            st.caption(t("obj.invalid"))
            return
        st.caption(tr(objective_label(new, plan)))
        st.button(t("obj.add"), type="primary", key="obj_add", on_click=_change,
                  args=(campaign, region, key, [*e.objectives, new]))
