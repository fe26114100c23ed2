"""Data: upload citizen data, map unknown columns, leave out personal data, see a summary."""

from __future__ import annotations

import contextvars
import hashlib

import pandas as pd
import streamlit as st

from app_pages import _cached, state, statistics_view
from app_pages.i18n import lang, t, tr
from common.errors import InputError
from common.formatting import fmt_int
from common.tables import read_raw
from segments.profile import MIN_CELL, SUPPRESSED
from segments.schema import FIELDS, schema_help

st.title(t("data_title"))
st.write(t("data_intro"))
if "flash" in st.session_state:
    st.success(st.session_state.pop("flash"))

PERSONAL_NOTICES = ("notice.personal_dropped", "notice.id_dropped")

uploaded = st.file_uploader(t("upload_label"), type=["csv", "txt", "tsv", "xlsx", "parquet"], key="uploader")


STAGES = {"reading": 5, "checking": 40, "fitting": 55, "describing": 90, "done": 100}


def _try(data: bytes, name: str, options: dict, digest: str) -> bool:
    """Load with the given options; on success the upload becomes the session's data and its
    segments are found at once, under a progress bar that names each stage."""
    bar = st.progress(0, text=t("stage.reading"))
    outside = contextvars.copy_context()

    def stage(key: str) -> None:
        # Called from inside cached functions: Streamlit records the st calls made there (in context
        # variables) to replay them on a cache hit, and a bar drawn outside cannot be replayed. Run in
        # the context from before the cached call, the update is drawn but not recorded.
        outside.run(bar.progress, STAGES[key], text=t(f"stage.{key}"))

    try:
        result = _cached.uploaded_citizens(data, digest, name, options["drop_personal"],
                                           tuple(sorted(options["column_map"].items())), stage)
    except InputError as err:
        bar.empty()
        st.session_state["last_error"] = err
        return False
    st.session_state["upload"] = {"name": name, "data": data, "digest": digest, **options}
    with state.guard():
        state.fit_result(stage)  # cached: the Segment page shows these without waiting
    stage("done")
    st.session_state.pop("last_error", None)
    st.session_state["flash"] = t("upload_ok", rows=fmt_int(len(result.table)),
                                  persons=fmt_int(result.table["weight"].sum()),
                                  munis=result.table["municipality"].nunique(), fmt=result.description)
    st.rerun()  # so that the sidebar and every page see the new data at once
    return True


if uploaded is not None:
    data = uploaded.getvalue()
    digest = hashlib.sha1(data).hexdigest()
    # Personal data is always left out of an upload (with a warning below), never kept.
    options = st.session_state.setdefault("upload_options", {}).setdefault(
        digest, {"drop_personal": True, "column_map": {}})
    current = st.session_state.get("upload")
    already = current is not None and current.get("digest") == digest
    if not already and not _try(data, uploaded.name, options, digest):
        err: InputError = st.session_state["last_error"]
        st.error(t("upload_refused") + "\n\n" + err.text(lang()))
        if "missing_column" in err.codes:
            st.subheader(t("mapping_title"))
            st.write(t("mapping_intro"))
            headers = read_raw(data, uploaded.name).headers
            choices = [t("mapping_none"), *headers]
            mapping = {}
            cols = st.columns(3)
            for i, f in enumerate(x for x in FIELDS if x.name != "age_band"):
                picked = cols[i % 3].selectbox(f"{f.name} ({f.aliases[0]})", choices, key=f"map_{digest}_{f.name}")
                if picked != choices[0]:
                    mapping[picked] = f.name
            if st.button(t("mapping_apply"), type="primary"):
                options["column_map"] = mapping
                if not _try(data, uploaded.name, options, digest):
                    st.error(st.session_state["last_error"].text(lang()))

statistics_view.render()  # "Börja från SCB-statistik": rows from population statistics instead of a survey

if st.session_state.get("upload") and st.button(t("use_sample")):
    st.session_state.pop("upload", None)
    st.session_state.pop("statistics", None)
    st.rerun()

st.subheader(t("current_data"))
with state.guard():
    st.caption(state.data_label())
    loaded = state.citizens()
    table = loaded.table
    cols = st.columns(3)
    cols[0].metric(t("metric_rows"), fmt_int(len(table)))
    cols[1].metric(t("metric_persons"), fmt_int(table["weight"].sum()))
    cols[2].metric(t("metric_municipalities"), table["municipality"].nunique())
    personal = [n for n in loaded.notices if n.code in PERSONAL_NOTICES]
    if personal:
        st.warning("\n\n".join(tr(n) for n in personal))
    if others := [n for n in loaded.notices if n.code not in PERSONAL_NOTICES]:
        st.info(t("notices") + ":\n\n" + "\n".join(f"- {tr(n)}" for n in others))
    # Aggregates only, never rows: small groups are suppressed as everywhere else.
    grouped = table.groupby("municipality", observed=True)["weight"].agg(["sum", "size"])
    st.caption(t("per_municipality"))
    st.dataframe(pd.DataFrame({
        t("municipality"): grouped.index.astype(str),
        t("persons"): [SUPPRESSED if (s < MIN_CELL or n < MIN_CELL) else fmt_int(s)
                       for s, n in zip(grouped["sum"], grouped["size"])],
    }), hide_index=True)

with st.expander(t("schema_help_title")):
    st.text(tr(schema_help()))
