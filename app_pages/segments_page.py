"""Segments of the bundled sample region: one card per segment."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages._cached import SAMPLE_FILES, fit_sample
from segments.profile import fmt_int, fmt_pct

st.title("Medborgarsegment")
st.caption("Syntetiska exempeldata: inga riktiga personer.")

region = st.selectbox("Exempelregion", list(SAMPLE_FILES), key="region")
k_choice = st.selectbox("Antal segment", ["Automatiskt", 3, 4, 5, 6, 7, 8], key="k")
k = "auto" if k_choice == "Automatiskt" else int(k_choice)

with st.spinner("Segmenterar …"):
    result = fit_sample(region, k, 30.0, 0)
ss = result.segment_set
st.info(ss.k.explanation("sv"))
for n in result.notices:
    st.warning(n.text("sv"))


def pct(v: float | None) -> str:
    return "–" if v is None else fmt_pct(v)


for s in ss.segments:
    with st.container(border=True):
        st.subheader(f"{s.id}. {s.name}")
        st.write(s.description)
        h = s.profile.habits
        cols = st.columns(4)
        cols[0].metric("Personer", fmt_int(s.profile.size))
        cols[1].metric("Internet dagligen", pct(h.daily_internet))
        cols[2].metric("Har BankID", pct(h.bankid))
        cols[3].metric("Föredrar papper", pct(h.paper))

st.subheader("Översikt")
st.dataframe(pd.DataFrame([
    {"Segment": s.name, "Personer": fmt_int(s.profile.size), "Andel": fmt_pct(s.profile.share),
     "Internet dagligen": pct(s.profile.habits.daily_internet), "Facebook": pct(s.profile.habits.facebook)}
    for s in ss.segments]), hide_index=True)
