"""Download buttons shared by the Calendar and Export pages.

Files are made when clicked and the click does not rerun the page (`on_click="ignore"`), so quick
clicks never lose a file. Each file is named for the campaign (and municipality), and comes in the
language chosen here: the page's language by default, the other one a click away.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _cached
from app_pages.i18n import lang, t
from campaigns.schedule import CampaignPlan
from common.catalogue import render
from common.filenames import file_stem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_language(key: str) -> str:
    """The language of the files offered below (a radio, defaulting to the page's language)."""
    if not st.session_state.get(f"{key}_chosen"):  # follows the page's language until the officer picks one
        st.session_state[key] = lang()
    return st.radio(t("file_language"), ["sv", "en"], key=key, horizontal=True,
                    on_change=lambda: st.session_state.__setitem__(f"{key}_chosen", True),
                    format_func=lambda code: {"sv": "Svenska", "en": "English"}[code])


def file_name(stem: str, plan: CampaignPlan, ext: str, municipality: str | None = None, *parts: str) -> str:
    """'kalender-varmland_2027-1760-storfors.ics': what it is, for which campaign (and municipality,
    kommunkod first so that Håbo and Habo never share a name), through common.filenames."""
    where = []
    if municipality is not None:
        m = plan.region.municipality(municipality)
        where = [file_stem(m.name, key=m.code)]
    return "-".join([file_stem(stem), file_stem(plan.campaign.key), *where, *(file_stem(p) for p in parts)]) + ext


def calendar_downloads(plan: CampaignPlan, key: str, *, per_municipality: bool = True) -> str:
    """Region calendar (.ics), workbook, CSV and Swedish-Excel CSV; optionally one municipality's .ics.
    Returns the language the officer chose for the files (other downloads on the page follow it)."""
    flang = file_language(f"file_lang_{'cal' if per_municipality else 'export'}")
    stem = render("file.calendar", flang)
    c = st.columns(2)
    c[0].download_button(t("dl_ics_region"), data=lambda: _cached.ics(plan, key, None, flang),
                         file_name=file_name(stem, plan, ".ics"), mime="text/calendar", on_click="ignore",
                         icon=":material/calendar_month:")
    c[0].download_button(t("dl_xlsx"), data=lambda: _cached.xlsx(plan, key, flang),
                         file_name=file_name(stem, plan, ".xlsx"), mime=XLSX, on_click="ignore",
                         icon=":material/table_view:")
    c[1].download_button(t("dl_csv"), data=lambda: _cached.csv_text(plan, key, False, flang),
                         file_name=file_name(stem, plan, ".csv"), mime="text/csv", on_click="ignore",
                         icon=":material/description:")
    c[1].download_button(t("dl_csv_excel"), data=lambda: _cached.csv_text(plan, key, True, flang),
                         file_name=file_name(stem, plan, ".csv", None, "excel"), mime="text/csv", on_click="ignore",
                         icon=":material/description:")
    if per_municipality:
        names = [m.name for m in plan.region.municipalities]
        muni = st.selectbox(t("municipality"), names, key="ics_muni")
        code = plan.region.municipality(muni).code
        st.download_button(t("dl_ics_muni", muni=muni), data=lambda: _cached.ics(plan, key, code, flang),
                           file_name=file_name(stem, plan, ".ics", code), mime="text/calendar", on_click="ignore",
                           icon=":material/calendar_month:")
    return flang
