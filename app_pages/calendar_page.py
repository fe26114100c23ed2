"""Calendar: timeline and month view, what moved and why, workload, manual date changes, downloads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from babel.dates import format_date

from app_pages import charts, state
from app_pages.downloads import calendar_downloads
from app_pages.i18n import lang, t, tr
from app_pages.power import power_section
from campaigns.relevance import excluded
from campaigns.schedule import MoveRefused, move_activity

st.title(t("calendar_title"))

with state.guard():
    with st.spinner(t("working")):
        plan = state.plan()
    campaign, region = state.campaign()
    frame = charts.activities_frame(plan)

    f = st.columns(3)
    munis = f[0].multiselect(t("filter_munis"), [m.name for m in region.municipalities], key="f_munis",
                             placeholder=t("all"))
    services = f[1].multiselect(t("filter_eservices"), [e.name for e in campaign.e_services], key="f_services",
                                placeholder=t("all"))
    channel_names = {c.key: c.name for c in region.channels}
    chans = f[2].multiselect(t("filter_channels"), list(channel_names), format_func=channel_names.get, key="f_chans",
                             placeholder=t("all"))
    view = frame
    if munis:
        view = view[view["Kommun"].isin(munis)]
    if services:
        view = view[view["E-tjänst"].isin(services)]
    if chans:
        view = view[view["Kanal"].isin(chans)]

    tab_time, tab_month, tab_table = st.tabs([t("timeline"), t("month_view"), t("as_table")])
    if view.empty:
        st.info(t("no_activities"))
    else:
        with tab_time:
            st.altair_chart(charts.timeline_chart(view), alt=t("timeline"))
        with tab_month:
            months = sorted({(d.year, d.month) for d in view["Datum"]})
            year, month = st.selectbox(t("month"), months, key="month",
                                       format_func=lambda ym: format_date(dt.date(ym[0], ym[1], 1), "LLLL yyyy",
                                                                          locale="sv_SE"))
            in_month = view[[d.year == year and d.month == month for d in view["Datum"]]]
            first = dt.date(year, month, 1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            weeks = []
            monday = first - dt.timedelta(days=first.weekday())
            while monday <= last:
                week: dict[str, object] = {t("week"): monday.isocalendar()[1]}
                for i, name in enumerate(["mån", "tis", "ons", "tor", "fre", "lör", "sön"]):
                    d = monday + dt.timedelta(days=i)
                    items = in_month[in_month["Datum"] == d]
                    label = str(d.day) if d.month == month else ""
                    if len(items):
                        label += f": {len(items)} st – " + "; ".join(sorted(set(items["Fas"])))
                    week[name] = label
                weeks.append(week)
                monday += dt.timedelta(days=7)
            st.dataframe(pd.DataFrame(weeks), hide_index=True)
        with tab_table:
            st.dataframe(view.drop(columns=["id", "Slut"]), hide_index=True,
                         column_config={"Datum": st.column_config.DateColumn(format="YYYY-MM-DD")})

    left_out = excluded(campaign, state.segment_set())  # services that leave segments out, and why
    if left_out:
        with st.expander(t("calendar_left_out"), icon=":material/block:"):
            for line in left_out:
                st.markdown(f"- {tr(line)}")

    st.subheader(t("moved_title"))
    moved = [c for c in plan.changes if c.placed is not None]
    if not moved:
        st.write(t("nothing_moved"))
    for c in moved:
        st.markdown(f"- {tr(c.message)}")
    st.page_link("app_pages/evaluation.py", label=t("go_evaluation"), icon=":material/insights:")
    if plan.unplaced:
        st.subheader(t("unplaced_title"))
        for c in plan.unplaced:
            st.warning(tr(c.message))

    st.subheader(t("workload_title"))
    load = pd.DataFrame([{"Kommun": w.municipality, "Vecka": f"{w.iso_week[0]}-V{w.iso_week[1]:02d}",
                          "Bokade timmar": w.hours, "Timmar per vecka": w.capacity} for w in plan.workload()])
    if munis:
        load = load[load["Kommun"].isin(munis)]
    over = load[load["Bokade timmar"] > load["Timmar per vecka"]]
    if over.empty:
        st.success(t("workload_over"))
    shown = load[load["Kommun"].isin(load["Kommun"].unique()[:6])]
    st.altair_chart(charts.workload_chart(shown), alt=t("workload_title"))
    with st.expander(t("as_table")):
        st.dataframe(load, hide_index=True)

    st.subheader(t("edit_title"))
    movable = view[~view["id"].str.contains(":flyer_order:")]
    if not movable.empty:
        e = st.columns([4, 2, 1])
        labels = {r.id: f"{r.Datum} · {r.Kommun} · {r.Aktivitet}" for r in movable.itertuples()}
        picked = e[0].selectbox(t("edit_pick"), list(labels), key="edit_pick", format_func=labels.get)
        current = movable.set_index("id").loc[picked, "Datum"]
        new_day = e[1].date_input(t("edit_date"), value=current, key=f"edit_date_{picked}", format="YYYY-MM-DD")
        if e[2].button(t("edit_apply"), type="primary"):
            try:
                move_activity(plan, picked, new_day)
                state.moves().append((picked, new_day))
                st.success(t("edit_done"))
                st.rerun()
            except MoveRefused as refused:
                st.error(refused.text(lang()))
    if state.moves() and st.button(t("edit_reset")):
        state.moves().clear()
        st.rerun()

    st.subheader(t("downloads"))
    calendar_downloads(plan, state.plan_key())
    power_section(plan)
