"""Export: every file in one place, made when asked for."""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

import streamlit as st

from app_pages import state
from app_pages.auth import shared_work
from app_pages.downloads import calendar_downloads
from app_pages.i18n import lang, t
from campaigns.costs import share_costs, shares_to_xlsx
from campaigns.drafts import drafts_for_plan, flyer_pdf
from campaigns.export import mix_to_csv, write_drafts
from campaigns.kit import export_kit
from common.catalogue import Num, render
from common.filenames import file_stem
from common.progress import Progress, progress_message

st.title(t("export_title"))
st.write(t("export_intro"))

with state.guard():
    plan = state.plan()
    ss = state.segment_set()
    campaign, region = state.campaign()
    key = state.plan_key()

    st.subheader(t("export_calendar"))
    flang = calendar_downloads(plan, key, per_municipality=False)  # the language chosen for the files

    st.subheader(t("export_segments"))
    c = st.columns(2)
    c[0].download_button(t("download_segments"), data=lambda: ss.to_yaml(flang).encode("utf-8"),
                         file_name=f"segment-{file_stem(campaign.key)}.yaml", mime="application/x-yaml",
                         icon=":material/save:", on_click="ignore")
    mix = state.channel_mix()
    c[1].download_button(t("dl_mix_csv"), data=lambda: mix_to_csv(mix, flang),
                         file_name=f"{render('file.channel_mix', flang)}-{file_stem(campaign.key)}.csv",
                         mime="text/csv", icon=":material/description:", on_click="ignore")
    method, _ = shared_work().cost_method(campaign.key)  # the agreed way of sharing (Samarbete)
    c[1].download_button(t("dl_costs"), data=lambda: shares_to_xlsx(
        share_costs(campaign, region, mix, ss, method), campaign, method, flang),
        file_name="kostnadsfordelning.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:", on_click="ignore")
    c[0].download_button(t("dl_kit"), data=lambda: export_kit(campaign, region).encode("utf-8"),
                         file_name=f"kampanjkit-{campaign.key}.yaml", mime="application/x-yaml",
                         icon=":material/inventory_2:", on_click="ignore")

    st.subheader(t("export_drafts"))
    if st.button(t("make_drafts"), type="primary"):
        with st.status(t("polish.drafts.writing"), expanded=True) as status:  # each stage says what it does
            bar = st.progress(0.0, text=t("polish.drafts.writing"))
            all_drafts = list(drafts_for_plan(plan, ss, state.draft_edits()))  # with the officers' edits
            flyers = sum(x.channel == "flyer" for x in all_drafts)
            started, made, rendered = time.perf_counter(), [0], [0]

            def done(d):  # noqa: ANN001, ANN202 - the core's progress callback: share made, time left
                made[0] += 1
                p = Progress("files", made[0], len(all_drafts), time.perf_counter() - started)
                bar.progress(p.share, text=render(progress_message(p), lang()))
                if made[0] == len(all_drafts):  # what remains: the list and the zip
                    status.update(label=t("polish.drafts.packing", n=Num(len(all_drafts))), expanded=True)

            def pdf(d):  # noqa: ANN001, ANN202 - the stage around the core's PDF maker: "37 av 124 flygblad"
                rendered[0] += 1
                status.update(label=t("polish.drafts.flyers_done", done=Num(rendered[0]), n=Num(flyers)),
                              expanded=True)
                return flyer_pdf(d)

            with tempfile.TemporaryDirectory() as tmp:
                rows = write_drafts(all_drafts, Path(tmp), pdf=pdf, lang=lang(), done=done)
                st.session_state["drafts_zip"] = (Path(tmp) / "drafts.zip").read_bytes()
            status.update(label=t("drafts_ready", n=len(rows)), state="complete")
    if st.session_state.get("drafts_zip"):
        st.download_button(t("dl_drafts_zip"), data=io.BytesIO(st.session_state["drafts_zip"]),
                           file_name="utkast.zip", mime="application/zip", icon=":material/folder_zip:", on_click="ignore")
