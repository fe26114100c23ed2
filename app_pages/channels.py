"""Channels: how well each channel fits each segment and why; the optimised mix within budget."""

from __future__ import annotations

import math
import re

import streamlit as st

from app_pages import _cached, charts, state, statistics_view, tables
from app_pages.i18n import lang, t, tr
from campaigns.relevance import excluded
from common.formatting import fmt_int, fmt_money
from common.table_files import parse_number

st.title(t("channels_title"))


def _amount(text: str) -> float | None:
    """Kronor as typed: '240 000', '240000 kr', '240 000,50' (sv) or '240,000 SEK' (en)."""
    cleaned = re.sub(r"(?i)\s*(kr|sek|kronor)\.?\s*$", "", text.strip())
    if lang() == "en":
        cleaned = cleaned.replace(",", "")
    value = parse_number(cleaned)
    return value if value is not None and value >= 0 and math.isfinite(value) else None


def _budget_typed() -> None:
    value = _amount(st.session_state["budget_text"])
    st.session_state["budget_error"] = value is None
    if value is not None:
        state.update(budget_sek=float(round(value)))


def _budget_toggled() -> None:
    if st.session_state["budget_unlimited"]:
        state.update(budget_sek=None)
    else:
        campaign, _ = state.campaign()
        state.update(budget_sek=float(campaign.budget_sek or 100_000))


with state.guard():
    campaign, region = state.campaign()
    ss = state.segment_set()
    frame = charts.affinity_frame(campaign, region, ss, lang())
    st.subheader(t("affinity_chart"))
    statistics_view.estimated_caption()  # the reasons quote estimated habits when built from statistics
    charts.show(_cached.derived(charts.affinity_chart, frame, lang()), t("affinity_chart"))
    with st.expander(t("as_table")):
        st.dataframe(charts.affinity_table(frame, lang()), hide_index=True)

    st.subheader(t("audience_title"))
    st.caption(t("audience_intro"))
    st.dataframe(_cached.derived(tables.audience_table, _cached.Keyed(campaign, state.campaign_path()),
                                 _cached.Keyed(ss, state.segments_key()), lang()), hide_index=True)
    for line in excluded(campaign, ss):
        st.info(tr(line), icon=":material/block:")

    st.subheader(t("mix_title"))
    current = state.budget()
    st.session_state["budget_unlimited"] = current is None
    if not st.session_state.get("budget_error"):
        st.session_state["budget_text"] = fmt_money(current if current is not None else campaign.budget_sek, lang())
    b = st.columns([2, 1, 2], vertical_alignment="bottom")
    b[0].text_input(t("budget_kr"), key="budget_text", on_change=_budget_typed, disabled=current is None,
                    help=t("budget_help"))
    b[1].toggle(t("no_limit"), key="budget_unlimited", on_change=_budget_toggled, help=t("no_limit_help"))
    if st.session_state.get("budget_error"):
        st.error(t("budget_invalid"))
    mix = state.channel_mix()
    cols = st.columns(4)
    cols[0].metric(t("cost"), fmt_money(mix.total_cost, lang()))
    cols[1].metric(t("budget"), t("no_limit") if mix.unlimited else fmt_money(mix.budget, lang()))
    cols[2].metric(t("reach_unique"), fmt_int(mix.unique_reach, lang()), help=t("reach_unique_help"))
    cols[3].metric(t("reach_contacts"), fmt_int(mix.total_reach, lang()), help=t("reach_contacts_help"))
    st.dataframe(_cached.derived(tables.mix_table, _cached.Keyed(mix, state.mix_choice_key()),  # options, choice
                                 lang()), hide_index=True)
    details = ("mix.chosen", "mix.not_chosen", "mix.unsuitable", "mix.not_in_audience")
    st.markdown("\n".join(f"- {tr(line)}" for line in mix.explanation if line.code not in details))
    with st.expander(t("mix_details")):  # one list, one element: sixty elements cost more to send than to read
        st.markdown("\n".join(f"- {tr(line)}" for line in mix.explanation if line.code in details))
    st.caption(t("mix_feeds_calendar"))
