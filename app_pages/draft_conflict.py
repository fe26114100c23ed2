"""The editor's memory and a draft conflict on the Budskap page, shown side by side.

The text box keeps what the officer typed across reruns (its key is the draft, not the stored
text): while the box still holds the text it started from, it follows the stored text; once the
officer has typed, it keeps their text and the version they started from, so a save made after
someone else's is refused and shown here (`campaigns.drafts.edit_store`), never applied unseen.
The conflict logic (versions, keep/take/merge) is in the core: `SharedWork.resolve_draft_conflict`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages.auth import shared_work
from app_pages.i18n import lang, t
from campaigns.drafts import Draft, EditConflict
from campaigns.drafts.edits import merge_start
from common.errors import InputError

__all__ = ["conflict_panel", "editor_memory", "forget", "remember_conflict", "widget_id"]


def widget_id(d: Draft) -> str:
    return f"{d.municipality_code}_{d.e_service}_{d.segment}_{d.channel}_{d.variant}"


def editor_memory(d: Draft) -> dict[str, Any]:
    """This session's editor of `d`: the version and text it started from; sets the box's value
    before the box is drawn (the stored text while untouched, else what the officer typed)."""
    wid = widget_id(d)
    box, memo = f"src_{wid}", f"editor_{wid}"
    ed = st.session_state.get(memo)
    typed = st.session_state.get(box, ed["typed"] if ed else None)
    if ed is None or typed is None or typed == ed["source"]:  # untouched: follow the stored text
        ed = {"version": d.edit_version, "source": d.source, "typed": d.source}
        st.session_state[memo] = ed
        if st.session_state.get(box) != d.source:
            st.session_state[box] = d.source
    elif box not in st.session_state:  # back on this draft: what the officer had typed
        st.session_state[box] = ed["typed"]
    return ed


def forget(d: Draft) -> None:
    """After a save, a revert or taking theirs: the box follows the stored text again."""
    wid = widget_id(d)
    for key in (f"src_{wid}", f"editor_{wid}", f"conflict_{wid}", f"merge_{wid}"):
        st.session_state.pop(key, None)


def remember_conflict(d: Draft, conflict: EditConflict) -> None:
    st.session_state[f"conflict_{widget_id(d)}"] = conflict
    st.session_state.pop(f"merge_{widget_id(d)}", None)


def _resolve(d: Draft, conflict: EditConflict, choice: str, merged: str = "") -> None:
    try:
        shared_work().resolve_draft_conflict(d.key, conflict, choice, d.storable(merged) if merged else "")  # type: ignore[arg-type]
    except EditConflict as again:  # someone saved once more meanwhile: show that one
        remember_conflict(d, again)
        st.rerun()
    except InputError as err:
        st.error(err.text(lang()))
        return
    forget(d)
    st.toast(t("conflict_resolved"), icon=":material/merge:")
    st.rerun()


def conflict_panel(d: Draft) -> None:
    """Both texts, and keep mine / take theirs / merge (edit a combined text, then save it)."""
    wid = widget_id(d)
    conflict: EditConflict | None = st.session_state.get(f"conflict_{wid}")
    if conflict is None:
        return
    values = dict(d.fields)
    theirs = conflict.theirs
    who = theirs.updated_by if theirs else "–"
    when = theirs.updated_at.strftime("%Y-%m-%d %H:%M") if theirs else ""
    reverted = theirs is None or not theirs.text
    st.warning(t("edit_conflict_reverted" if reverted else "edit_conflict", who=who, when=when),
               icon=":material/sync_problem:")
    mine, other = conflict.your_text(values, d.template_source), conflict.their_text(values, d.template_source)
    c = st.columns(2)
    with c[0].container(border=True, key=f"yours_{wid}"):
        st.caption(t("conflict_yours"))
        st.text(mine)
    with c[1].container(border=True, key=f"theirs_{wid}"):
        st.caption(t("conflict_theirs", who=who))
        st.text(other)
    b = st.columns(3)
    if b[0].button(t("conflict_keep_mine"), key=f"keep_{wid}", icon=":material/person:"):
        _resolve(d, conflict, "keep")
    if b[1].button(t("conflict_take_theirs"), key=f"take_{wid}", icon=":material/group:"):
        forget(d)
        st.rerun()
    if b[2].button(t("conflict_merge"), key=f"mergebtn_{wid}", icon=":material/merge:"):
        st.session_state[f"merge_{wid}"] = merge_start(mine, other)
    if f"merge_{wid}" in st.session_state:
        merged = st.text_area(t("conflict_merge_text"), key=f"merge_{wid}", height=300)
        if st.button(t("conflict_save_merge"), key=f"savemerge_{wid}", type="primary", icon=":material/save:"):
            _resolve(d, conflict, "merge", merged)
