"""E-tjänstekampanjer: entry point and router. Pages live in app_pages/."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Kampanjplaneraren för e-tjänster", page_icon="📣", layout="wide")

pages = [st.Page("app_pages/segments_page.py", title="Segment", icon="👥", default=True)]
st.navigation(pages).run()
