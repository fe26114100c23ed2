"""The power section shown on the Kalender and Utvärdering pages: before the campaign, the
smallest effect the evaluation could detect with the plan's start dates and with two rounds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import _cached, state
from app_pages.i18n import t, tr
from campaigns.schedule import CampaignPlan
from campaigns.usage import UsageData, start_months
from common.catalogue import Num
from common.formatting import fmt_dec, fmt_pct


def sample_history() -> tuple[UsageData | None, str]:
    """The campaign's bundled statistics, when there are some (their months before the start are history)."""
    sample = _cached.DATA / "usage" / Path(state.campaign_file()).name.replace(".yaml", ".csv")
    if not sample.exists():
        return None, ""
    return _cached.usage(sample.read_bytes(), sample.name, state.campaign_path()), "sample:" + sample.name


def starts_key(plan: CampaignPlan, e_service: str) -> str:
    """What the power figures take from a plan: the region and each member's start month. A new
    budget or a moved activity makes a new plan but rarely moves a start month, and the figures
    (a simulation with the evaluation's estimator, ~0.4 s) are not worked out again for it."""
    starts = sorted((code, month.strftime("%Y-%m")) for code, month in start_months(plan, e_service).items())
    return f"{plan.campaign.key}|{e_service}|{starts}"


def power_section(plan: CampaignPlan, e_service: str | None = None, usage: UsageData | None = None,
                  usage_key: str = "") -> None:
    """Render the section; with no e-service given the user picks one here."""
    from app_pages.i18n import lang

    st.subheader(t("power.title"))
    st.caption(t("power.intro"))
    if e_service is None:
        names = {e.key: e.name for e in plan.campaign.e_services}
        e_service = st.selectbox(t("pick_eservice"), list(names), format_func=names.get, key="power_e")
    if usage is None:
        usage, usage_key = sample_history()
    with st.spinner(t("power.working")):
        result = _cached.power(plan, starts_key(plan, e_service), e_service, usage, usage_key)
    if result is None:
        st.info(t("power.none"))
        return
    name = plan.campaign.e_service(e_service).name
    st.write(t("power.members", n=result.members, e_service=name) + " "
             + t(f"power.source.{result.source}", level=Num(result.level, 2)))
    rows = [{t("power.col.scenario"): t(f"power.scenario.{s.key}"),
             t("power.col.mde"): "–" if s.mde is None else fmt_dec(s.mde, lang(), 2) + (
                 "" if s.relative is None else " " + t("power.relative", share=fmt_pct(s.relative, lang()))),
             t("power.col.comparison"): t(f"power.method.{s.method}"),
             t("power.col.cost"): t("power.delay", n=s.delayed, months=s.months_later) if s.delayed
             else t("power.no_delay")} for s in result.scenarios]
    st.table(pd.DataFrame(rows).set_index(t("power.col.scenario")))  # short table: every word visible
    st.info(t("power.tradeoff") if len(result.scenarios) > 1 and any(
        s.method == "staggered" for s in result.scenarios) else t("power.too_few"))
    objectives_power(plan, e_service, usage, usage_key)


def objectives_power(plan: CampaignPlan, e_service: str, usage: UsageData | None, usage_key: str) -> None:
    """Each objective's target held against the power over the months to its date (objective_power)."""
    objectives = plan.campaign.e_service(e_service).objectives
    if not objectives:
        return
    st.markdown(f"**{t('objectives.power_title')}**")
    for i, objective in enumerate(objectives):
        key = f"{starts_key(plan, e_service)}|{objective!r}"  # a changed objective is a new check
        check = _cached.objective_power_check(plan, key, e_service, i, usage, usage_key)
        (st.success if check.detectable else st.warning if check.modelled else st.caption)(tr(check.message))
