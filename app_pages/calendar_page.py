"""Calendar: timeline, month view, the activities, what moved and why, workload, date changes, downloads.

Every list on the page follows the filters. Tables come from `campaigns.schedule.views` (cached per
plan), charts are cached specs, and the activity table is shown a page at a time, so a view of a
30-municipality region stays small.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from babel.dates import format_date

from app_pages import _cached, charts, data_names, state, tables
from app_pages.calendar_month import month_html
from app_pages.downloads import calendar_downloads
from app_pages.i18n import labels, lang, relabel, t, tr
from app_pages.power import power_section
from campaigns.relevance import excluded
from campaigns.schedule import MoveRefused, move_activity
from campaigns.schedule.views import month_grid, months, select, workload_table
from common.catalogue import Msg, Num, Raw, locale_for
from common.formatting import fmt_date

PAGE_ROWS = 50

st.title(t("calendar_title"))
if "move_done" in st.session_state:
    st.success(st.session_state.pop("move_done"), icon=":material/event_available:")

with state.guard():
    with st.spinner(t("polish.stage.planning")):
        plan = state.plan()
    campaign, region = state.campaign()
    key = state.plan_key()
    table = _cached.activity_table(plan, key)
    channel_names = data_names.channel_names(region, lang())  # English forms where the region has them
    names = data_names.shown_names(campaign, region, state.segment_set().segments, lang())
    muni_names = {m.code: m.name for m in region.municipalities}

    f = st.columns(3)
    munis = f[0].multiselect(t("filter_munis"), list(muni_names), key="f_munis", format_func=muni_names.get,
                             placeholder=t("all"))
    e_names = {e.key: tr(e.title) for e in campaign.e_services}
    services = f[1].multiselect(t("filter_eservices"), list(e_names), key="f_services", format_func=e_names.get,
                                placeholder=t("all"))
    chans = f[2].multiselect(t("filter_channels"), list(channel_names), format_func=channel_names.get, key="f_chans",
                             placeholder=t("all"))
    view = select(table, munis, services, chans)
    st.caption(t("calendar_count", shown=Num(len(view)), n=Num(len(table))))

    tab_time, tab_month, tab_table = st.tabs([t("timeline"), t("month_view"), t("as_table")])
    if view.empty:
        st.info(t("no_activities"))
    else:
        with tab_time:
            charts.show(_cached.derived(charts.filtered_timeline, _cached.Keyed(table, key), tuple(sorted(munis)),
                                        tuple(sorted(services)), tuple(sorted(chans)), lang()), t("timeline"))
        with tab_month:
            choices = months(view)
            relabel("month")
            picked = st.selectbox(t("month"), choices, key="month", format_func=labels(choices, lambda ym: format_date(
                dt.date(ym[0], ym[1], 1), "LLLL yyyy", locale=locale_for(lang()))))
            year, month = picked if picked in choices else choices[0]
            grid = month_grid(view, year, month)
            st.html(month_html(grid, view, lang()))
            days = [c.day for w in grid for c in w if c.rows and c.day is not None]
            if days:
                relabel(f"month_day_{year}_{month}")
                day = st.selectbox(t("month_day"), days, key=f"month_day_{year}_{month}",
                                   format_func=labels(days, lambda d: fmt_date(d, lang(), "weekday")))
                rows = next(c.rows for w in grid for c in w if c.day == day)
                st.dataframe(tables.activities(view.iloc[list(rows)], channel_names, lang(), names), hide_index=True)
        with tab_table:
            pages = max(1, -(-len(view) // PAGE_ROWS))
            page = st.number_input(t("table_page", n=pages), min_value=1, max_value=pages, value=1, step=1,
                                   key="table_page") if pages > 1 else 1
            start = (int(page) - 1) * PAGE_ROWS
            st.dataframe(tables.activities(view.iloc[start:start + PAGE_ROWS], channel_names, lang(), names),
                         hide_index=True)
            st.caption(t("table_rows", first=start + 1, last=min(len(view), start + PAGE_ROWS), n=len(view)))

    def _shown(code: str | None, e_service: str) -> bool:
        """A change is listed when its municipality and e-service pass the filters."""
        return (not munis or code is None or code in munis) and (not services or e_service in services)

    left_out = excluded(campaign, state.segment_set())  # services that leave segments out, and why
    if left_out:
        with st.expander(t("calendar_left_out"), icon=":material/block:"):
            for line in left_out:
                st.markdown(f"- {tr(line)}")

    st.subheader(t("moved_title"))
    moved = [c for c in plan.moved if _shown(c.municipality, c.e_service)]
    if not moved:
        st.write(t("nothing_moved"))
    st.markdown("\n".join(f"- {tr(c.message)}" for c in moved))
    skipped = state.skipped_moves()
    if skipped:
        st.warning(t("moves_skipped", n=len(skipped)))
    st.page_link("app_pages/evaluation.py", label=t("go_evaluation"), icon=":material/insights:")
    unplaced = [c for c in plan.unplaced if _shown(c.municipality, c.e_service)]
    if unplaced:
        st.subheader(t("unplaced_title"))
        for c in unplaced:
            st.warning(tr(c.message))

    st.subheader(t("workload_title"))
    load = _cached.derived(workload_table, _cached.Keyed(plan, key), tuple(sorted(munis)))
    over = load[load["hours"] > load["capacity"]]
    if over.empty:
        st.success(t("workload_over"))
    else:
        st.warning(t("workload_over_some", n=over["municipality"].nunique(), weeks=len(over)))
    if not load.empty:
        charts.show(_cached.derived(charts.workload_chart, load, lang()), t("workload_title"))
        st.caption(t("workload_caption"))
        with st.expander(t("as_table")):
            st.dataframe(tables.workload(load, lang()), hide_index=True)

    st.subheader(t("edit_title"))
    movable = view[view["kind"] != "flyer_order"]
    if not movable.empty:
        e = st.columns([2, 4, 2, 1], vertical_alignment="bottom")
        in_view = list(dict.fromkeys(movable["municipality"]))
        muni = e[0].selectbox(t("municipality"), in_view, format_func=muni_names.get, key="edit_muni")
        own = movable[movable["municipality"] == muni]
        pick_labels = {r.id: f"{tables.short_date(r.start.date(), lang())} · {tr(r.title)}" for r in own.itertuples()}
        relabel(f"edit_pick_{muni}")
        picked = e[1].selectbox(t("edit_pick"), list(pick_labels), key=f"edit_pick_{muni}",
                                format_func=pick_labels.get)
        row = own.set_index("id").loc[picked]
        current = row["start"].date()
        new_day = e[2].date_input(t("edit_date"), value=current, key=f"edit_date_{picked}_{current}",
                                  format="YYYY-MM-DD" if lang() == "sv" else "DD/MM/YYYY")
        if e[3].button(t("edit_apply"), type="primary"):
            try:
                move_activity(plan, picked, new_day)
                state.update(moves={**state.moves(), picked: new_day})
                st.session_state["move_done"] = t("edit_done", what=tr(Msg("ws.activity", municipality=Raw(
                    muni_names[muni]), title=row["title"])), day=fmt_date(new_day, lang()))
                st.rerun()
            except MoveRefused as refused:
                st.error(refused.text(lang()))
    if state.moves() and st.button(t("edit_reset", n=len(state.moves()))):
        state.update(moves={})
        st.rerun()

    st.subheader(t("downloads"))
    calendar_downloads(plan, key)
    power_section(plan)
