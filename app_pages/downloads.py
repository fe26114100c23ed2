"""Download buttons shared by the Calendar and Export pages; files are made when clicked."""

from __future__ import annotations

import streamlit as st

from app_pages import _cached
from app_pages.i18n import t
from campaigns.export import calendar_file_name
from campaigns.schedule import CampaignPlan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def calendar_downloads(plan: CampaignPlan, key: str, *, per_municipality: bool = True) -> None:
    """Region calendar (.ics), workbook, CSV and Swedish-Excel CSV; optionally one municipality's .ics."""
    c = st.columns(2)
    c[0].download_button(t("dl_ics_region"), data=lambda: _cached.ics(plan, key, None), file_name="kalender.ics",
                         mime="text/calendar", icon=":material/calendar_month:")
    c[0].download_button(t("dl_xlsx"), data=lambda: _cached.xlsx(plan, key), file_name="kalender.xlsx", mime=XLSX,
                         icon=":material/table_view:")
    c[1].download_button(t("dl_csv"), data=lambda: _cached.csv_text(plan, key, False), file_name="kalender.csv",
                         mime="text/csv", icon=":material/description:")
    c[1].download_button(t("dl_csv_excel"), data=lambda: _cached.csv_text(plan, key, True),
                         file_name="kalender-excel.csv", mime="text/csv", icon=":material/description:")
    if per_municipality:
        names = [m.name for m in plan.region.municipalities]
        muni = st.selectbox(t("municipality"), names, key="ics_muni")
        code = plan.region.municipality(muni).code
        st.download_button(t("dl_ics_muni", muni=muni), data=lambda: _cached.ics(plan, key, code),
                           file_name=calendar_file_name(plan, code, prefix="kalender"), mime="text/calendar",
                           icon=":material/calendar_month:")
