"""E-tjänstekampanjer: entry point and router. Pages live in app_pages/; state in app_pages/state.py."""

from __future__ import annotations

import streamlit as st

from app_pages import state
from app_pages.auth import current_user, require_safe_setup
from app_pages.i18n import t

st.set_page_config(page_title="Kampanjplaneraren för e-tjänster", page_icon=":material/campaign:", layout="wide")
setup = require_safe_setup()  # fails closed: a broken login setup or an exposed local mode stops every page
user = current_user()  # with login configured, every page needs it

with st.sidebar:
    st.radio(t("language"), ["sv", "en"], key="lang", horizontal=True,
             format_func=lambda code: {"sv": "Svenska", "en": "English"}[code])
    files = state._cached.campaign_files()
    st.selectbox(t("campaign"), files, key="campaign_path",
                 format_func=lambda p: state._cached.campaign_and_region(p)[0].name)
    c, r = state.campaign()
    st.caption(t("region_caption", region=r.name, n=len(r.municipalities)))
    st.caption(state.data_label())
    if user.local:
        st.caption(t("local_mode"))

pages = [
    st.Page("app_pages/start.py", title=t("nav_start"), icon=":material/home:", default=True),
    st.Page("app_pages/data.py", title=t("nav_data"), icon=":material/upload_file:", url_path="data"),
    st.Page("app_pages/segments_page.py", title=t("nav_segments"), icon=":material/groups:", url_path="segment"),
    st.Page("app_pages/channels.py", title=t("nav_channels"), icon=":material/campaign:", url_path="kanaler"),
    st.Page("app_pages/calendar_page.py", title=t("nav_calendar"), icon=":material/calendar_month:",
            url_path="kalender"),
    st.Page("app_pages/messages_page.py", title=t("nav_messages"), icon=":material/edit_note:", url_path="budskap"),
    st.Page("app_pages/evaluation.py", title=t("nav_evaluation"), icon=":material/insights:", url_path="utvardering"),
    st.Page("app_pages/collaboration.py", title=t("nav_collaboration"), icon=":material/diversity_3:",
            url_path="samarbete"),
    st.Page("app_pages/export.py", title=t("nav_export"), icon=":material/download:", url_path="export"),
]
st.navigation(pages).run()
