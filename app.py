"""E-tjänstekampanjer: entry point and router. Pages live in app_pages/; state in app_pages/state.py."""

from __future__ import annotations

import streamlit as st

from app_pages import state
from app_pages.auth import current_user, require_safe_setup
from app_pages.i18n import labels, lang, localise_widgets, t, tr
from common.formatting import fmt_date

st.set_page_config(page_title="Kampanjplaneraren för e-tjänster", page_icon=":material/campaign:", layout="wide")
localise_widgets()
setup = require_safe_setup()  # fails closed: a broken login setup or an exposed local mode stops every page
user = current_user()  # with login configured, every page needs it


def _status() -> None:
    """Whether the officer's work is saved, and a way back from the last change."""
    status, values = state.save_status()
    if status == "conflict":
        st.warning(t("ws.status_conflict", who=values["who"]), icon=":material/sync_problem:")
        st.page_link("app_pages/collaboration.py", label=t("ws.resolve_link"), icon=":material/merge:")
    elif status == "saved":
        when = values["when"].astimezone()
        st.caption(t("ws.status_saved", time=when.strftime("%H:%M"), day=fmt_date(when.date(), lang(), "short"),
                     v=values["v"]))
    elif status == "unsaved":
        st.caption(t("ws.status_unsaved"))
    elif status == "read_only":
        st.caption(t("ws.status_read_only"))
    else:
        st.caption(t("ws.status_fresh"))
    last = state.last_change()
    if last is not None:
        st.button(t("ws.undo"), on_click=state.undo, icon=":material/undo:", key="undo",
                  help=tr(last.message(state.titles(), state.names_now())))


pages = [
    st.Page("app_pages/start.py", title=t("nav_start"), icon=":material/home:", default=True),
    st.Page("app_pages/data.py", title=t("nav_data"), icon=":material/upload_file:", url_path="data"),
    st.Page("app_pages/segments_page.py", title=t("nav_segments"), icon=":material/groups:", url_path="segment"),
    st.Page("app_pages/channels.py", title=t("nav_channels"), icon=":material/campaign:", url_path="kanaler"),
    st.Page("app_pages/calendar_page.py", title=t("nav_calendar"), icon=":material/calendar_month:",
            url_path="kalender"),
    st.Page("app_pages/drafts_page.py", title=t("nav_messages"), icon=":material/edit_note:", url_path="budskap"),
    st.Page("app_pages/evaluation.py", title=t("nav_evaluation"), icon=":material/insights:", url_path="utvardering"),
    st.Page("app_pages/collaboration.py", title=t("nav_collaboration"), icon=":material/diversity_3:",
            url_path="samarbete"),
    st.Page("app_pages/export.py", title=t("nav_export"), icon=":material/download:", url_path="export"),
]
navigation = st.navigation(pages)  # before the sidebar, which links to pages

with st.sidebar:
    st.radio(t("language"), ["sv", "en"], key="lang", horizontal=True,
             format_func=lambda code: {"sv": "Svenska", "en": "English"}[code])
    state.refresh()  # campaigns made or changed by others since the last run
    state.chosen_key()
    keys = state.campaign_keys()
    st.selectbox(t("campaign"), keys, key="campaign_pick", format_func=labels(keys, state.campaign_title))
    c, r = state.campaign()
    st.query_params["kampanj"] = c.key  # a reload or a shared link opens the same campaign
    st.caption(t("region_caption", region=r.name, n=len(r.municipalities)))
    with state.guard():
        st.caption(state.data_label())
        for note in state.sync():
            st.toast(tr(note), icon=":material/group:")
        state.record_segments()  # a refit since the last run becomes part of the working state
        _status()
    if user.local:
        if state.needs_display_name():
            name = st.text_input(t("ws.your_name"), key="name_input", help=t("ws.your_name_help"))
            if name.strip():
                st.session_state["display_name"] = name.strip()[:60]
                st.rerun()
        else:
            st.query_params["namn"] = state.editor()
            st.caption(t("local_mode_as", name=state.editor()))

try:
    navigation.run()
finally:
    state.record_segments()  # what the page refitted is saved, also when it stops or reruns
