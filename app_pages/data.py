"""Data: upload citizen data, map unknown columns, leave out personal data, see a summary."""

from __future__ import annotations

import contextvars
import hashlib

import pandas as pd
import streamlit as st

from app_pages import _cached, confirm_change, fit_step, mapping_step, state, statistics_view
from app_pages.i18n import lang, t, tr
from campaigns.working_state import DataChoice
from common.errors import InputError
from common.formatting import fmt_int
from common.uploads import MAX_LABEL, label_problem, neutral_name
from segments.mapping import layout_digest
from segments.profile import MIN_CELL, SUPPRESSED
from segments.schema import schema_help

st.title(t("data_title"))
st.write(t("data_intro"))
if "flash" in st.session_state:
    st.success(st.session_state.pop("flash"))

PERSONAL_NOTICES = ("notice.personal_dropped", "notice.id_dropped")

working = state.working().data
if working.source in ("upload", "statistics") and not state.data_available():
    st.info(t("data_upload_again", file=working.file or ""))
uploaded = st.file_uploader(t("upload_label"), type=["csv", "txt", "tsv", "xlsx", "parquet"], key="uploader",
                            help=t("upload_help"))


STAGES = {"reading": 5, "checking": 40, "fitting": 55, "describing": 90, "done": 100}


def use_sample() -> None:
    state.forget_statistics()
    state.update(data=DataChoice())


def _try(data: bytes, name: str, options: dict, digest: str) -> bool:
    """Load with the given options; on success the upload is checked against the campaign and, when
    it fits, becomes the plan's data and its segments are found at once, under a progress bar that
    names each stage."""
    bar = st.progress(0, text=t("stage.reading"))
    outside = contextvars.copy_context()

    def stage(key: str) -> None:
        # Called from inside cached functions: Streamlit records the st calls made there (in context
        # variables) to replay them on a cache hit, and a bar drawn outside cannot be replayed. Run in
        # the context from before the cached call, the update is drawn but not recorded.
        outside.run(bar.progress, STAGES[key], text=t(f"stage.{key}"))

    try:
        result = _cached.uploaded_citizens(data, digest, name, options["drop_personal"],
                                           tuple(sorted(options["column_map"].items())), stage,
                                           _cached.frozen_values(options["value_map"]), tuple(options["features"]))
    except InputError as err:
        bar.empty()
        st.session_state["last_error"] = err
        return False
    st.session_state.pop("last_error", None)
    state.remember_upload(name, data, digest)
    fit_step.offer(DataChoice(source="upload", file=name, digest=digest, column_map=options["column_map"],
                              value_map=options["value_map"], features=options["features"],
                              layout=options.get("layout"), drop_personal=options["drop_personal"]), result)
    if state.working().data.digest == digest:  # it fitted: the Segment page shows these without waiting
        with state.guard():
            state.fit_result(stage)
    stage("done")
    st.rerun()  # so that the sidebar and every page see the new data at once
    return True


fit_step.show_pending()
confirm_change.show()  # a change of the data source waits here for the officer's answer
if uploaded is not None:
    data = uploaded.getvalue()
    digest = hashlib.sha1(data).hexdigest()
    name = neutral_name(uploaded.name, data)  # the real file name is never shown or stored
    # Personal data is always left out of an upload (with a warning below), never kept; the same file
    # again (after a reload), or another file with the same header row, gets the mapping chosen before.
    suggestions = _cached.column_suggestions(data, digest, name)
    layout = layout_digest(suggestions[0])
    options = st.session_state.setdefault("upload_options", {}).setdefault(
        digest, {**mapping_step.remembered(working, digest, layout), "layout": layout})
    pending = st.session_state.get("pending_fit")
    already = (working.digest == digest and state.data_available()) or (
        pending is not None and pending[0].digest == digest) or digest in st.session_state.get("dismissed", ()) or \
        confirm_change.pending()
    if not already and not _try(data, name, options, digest):
        err: InputError = st.session_state["last_error"]
        if "missing_column" in err.codes and suggestions[1]:  # the step below can fix it: say so, briefly
            st.warning(t("mapping.needed"))
        else:
            st.error(t("upload_refused") + "\n\n" + err.text(lang()))

    def _apply(new: dict) -> None:
        st.session_state["upload_options"][digest] = new
        if not _try(data, name, new, digest):
            st.error(st.session_state["last_error"].text(lang()))

    mapping_step.render(suggestions[1], options, digest[:12], _apply)  # always offered, not only on refusal

statistics_view.render()  # "Börja från SCB-statistik": rows from population statistics instead of a survey

if working.source == "upload" and st.button(t("use_sample")):
    if uploaded is not None:  # the file still in the box is not taken up again
        st.session_state.setdefault("dismissed", set()).add(digest)
    confirm_change.ask(use_sample, state.preview(data=DataChoice()), t("confirm.what.sample"))
    st.rerun()

st.subheader(t("current_data"))
with state.guard():
    st.caption(state.data_label())
    if working.source != "sample" and working.file:  # the officer may name the upload; never its file name
        label = st.text_input(t("gate.upload_label"), value=working.file, max_chars=MAX_LABEL, key="upload_label")
        if label.strip() != working.file:
            why = label_problem(label)
            if why:
                st.warning(t(f"gate.label_{why}"))
            else:
                state.update(data=working.model_copy(update={"file": label.strip()}))
                st.rerun()
    loaded = state.citizens()
    if loaded is None:
        st.stop()
    table = loaded.table
    if working.municipalities is not None:
        st.caption(t("fit.kept_only", n=len(working.municipalities)))
    cols = st.columns(3)
    cols[0].metric(t("metric_rows"), fmt_int(len(table), lang()))
    cols[1].metric(t("metric_persons"), fmt_int(table["weight"].sum(), lang()))
    cols[2].metric(t("metric_municipalities"), fmt_int(table["municipality"].nunique(), lang()))
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
        t("persons"): [SUPPRESSED if (s < MIN_CELL or n < MIN_CELL) else fmt_int(s, lang())
                       for s, n in zip(grouped["sum"], grouped["size"])],
    }), hide_index=True)

with st.expander(t("schema_help_title")):
    st.text(tr(schema_help()))
