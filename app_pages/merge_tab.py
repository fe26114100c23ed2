"""Samarbete → Spara och slå ihop: where the plan stands, and two editors' work merged field by field.

Choices are saved as the officer works (app_pages/state.py). When someone else saved in between,
nothing is overwritten: this tab lists every field either of them changed, in plain language
("Budget: 200 000 kr → 180 000 kr"), offers a choice per field, shows the result before it is
saved, and clears the conflict once the merge is saved.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages import state
from app_pages.auth import current_user
from app_pages.i18n import labels, lang, t, tr
from campaigns.access import Forbidden
from campaigns.working_state import (
    FieldConflict,
    WorkingState,
    compare,
    field_label,
    field_value,
    load_state,
    merge,
)
from common.formatting import fmt_date

__all__ = ["save_tab"]


def _when(doc) -> str:  # noqa: ANN001 - a campaigns.store.Document
    local = doc.updated_at.astimezone()
    return f"{fmt_date(local.date(), lang())} {local.strftime('%H:%M')}"


def _choice_label(c: FieldConflict, side: str, who: str) -> str:
    value = tr(field_value(c.field, c.theirs if side == "theirs" else c.yours))
    changed = (c.theirs if side == "theirs" else c.yours) != c.base
    key = f"merge.pick_{side}" + ("" if changed else "_unchanged")
    return t(key, who=who, value=value)


def _conflict_view() -> None:
    conflict = state.conflict()
    assert conflict is not None
    who = conflict.theirs.updated_by
    st.warning(t("merge.intro", who=who, v=conflict.theirs.version, when=_when(conflict.theirs)),
               icon=":material/sync_problem:")
    base = state.base_state()
    theirs = load_state(conflict.theirs.content)
    yours = state.working()
    titles, names = state.titles(), state.names_now()
    fields = compare(base, theirs, yours)
    choices: dict[str, str] = {}
    for c in fields:
        with st.container(border=True):
            st.markdown(f"**{tr(field_label(c.field, titles, names))}**")
            if c.theirs != c.base:
                st.caption(t("merge.their_change", who=who, before=tr(field_value(c.field, c.base)),
                             after=tr(field_value(c.field, c.theirs))))
            if c.yours != c.base:
                st.caption(t("merge.your_change", before=tr(field_value(c.field, c.base)),
                             after=tr(field_value(c.field, c.yours))))
            default = c.default
            picked = st.radio(t("merge.keep"), ["theirs", "yours"], key=f"merge_{conflict.theirs.version}_{c.field}",
                              index=None if default is None else ["theirs", "yours"].index(default),
                              format_func=labels(["theirs", "yours"], lambda side, c=c: _choice_label(c, side, who)),
                              horizontal=True)
            if picked is not None:
                choices[c.field] = picked
    missing = [c for c in fields if c.field not in choices]
    st.subheader(t("merge.result"))
    merged = None
    if missing:
        st.info(t("merge.choose_first", n=len(missing)))
    else:
        merged = merge(base, theirs, yours, choices)  # type: ignore[arg-type]
        st.markdown("\n".join(f"- {tr(field_label(c.field, titles, names))}: "
                              f"{tr(field_value(c.field, c.theirs if choices[c.field] == 'theirs' else c.yours))}"
                              for c in fields) or t("merge.nothing"))
    may_merge = current_user().may("merge_plan")  # courtesy only: SharedWork checks the write
    b = st.columns(2)
    if b[0].button(t("merge.save"), type="primary", disabled=merged is None or not may_merge,
                   key="merge_save") and merged:
        _resolve(merged, lambda: t("merge.saved", v=state.save_status()[1].get("v", "")))
    if b[1].button(t("merge.take_theirs", who=who), key="merge_theirs", disabled=not may_merge):
        _resolve(theirs, lambda: t("merge.took_theirs", who=who))


def _resolve(result: WorkingState, done: Callable[[], str]) -> None:
    try:
        state.resolve(result)
    except Forbidden as err:
        st.error(err.text(lang()))
        return
    st.session_state["merge_done"] = done()
    st.rerun()


def save_tab() -> None:
    st.write(t("save_intro"))
    if "merge_done" in st.session_state:
        st.success(st.session_state.pop("merge_done"))
    if state.conflict() is not None:
        _conflict_view()
        return
    if not state.may_save():
        st.caption(t("plan_read_only"))
    status, values = state.save_status()
    if status == "saved":
        st.success(t("merge.all_saved", v=values["v"]), icon=":material/cloud_done:")
    elif status == "fresh":
        st.info(t("merge.nothing_yet"))
    else:
        st.info(t("ws.status_unsaved" if status == "unsaved" else "ws.status_read_only"))
    stored = state.stored_document()
    if stored is not None:
        st.caption(t("stored_version", v=stored.version, who=stored.updated_by, when=_when(stored)))
