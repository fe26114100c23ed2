"""Nothing discarded without asking: a change of the data source, k or rules first shows what the
officer's work becomes — names kept, moved with their group or lost, moved activities, draft edits
(computed by the core, campaigns.refit.preview_refit) — and waits for the officer's answer.

`ask(apply, preview)` makes the change at once when there is nothing of the officer's to tell about;
otherwise it keeps the change pending, and `show()` (at the top of the Data and Segment pages) lists
what will happen with "Ändra ändå" and "Avbryt".
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from campaigns.refit import RefitPreview

from .i18n import t, tr

__all__ = ["ask", "pending", "show"]

KEY = "pending_change"


def ask(apply: Callable[[], None], preview: RefitPreview | None, what: str,
        on_cancel: Callable[[], None] | None = None) -> bool:
    """Apply now (True) when the change touches none of the officer's work; else pending (False)."""
    if preview is None or not preview.anything:
        apply()
        return True
    st.session_state[KEY] = (apply, preview, what, on_cancel)
    return False


def pending() -> bool:
    return KEY in st.session_state


def _apply() -> None:
    apply, *_ = st.session_state.pop(KEY)
    apply()


def _cancel() -> None:
    _, _, _, on_cancel = st.session_state.pop(KEY)
    if on_cancel is not None:
        on_cancel()


def show() -> None:
    """The confirm step, while a change waits for it."""
    if KEY not in st.session_state:
        return
    _, preview, what, _ = st.session_state[KEY]
    with st.container(border=True, key="confirm_box"):
        st.subheader(t("confirm.title", what=what))
        (st.warning if preview.loses else st.info)(t("confirm.loses" if preview.loses else "confirm.keeps"),
                                                     icon=":material/warning:" if preview.loses else ":material/info:")
        st.markdown("\n".join(f"- {tr(m)}" for m in preview.messages()))
        cols = st.columns(2)
        cols[0].button(t("confirm.apply"), type="primary", on_click=_apply, key="confirm_apply",
                       icon=":material/check:")
        cols[1].button(t("confirm.cancel"), on_click=_cancel, key="confirm_cancel", icon=":material/close:")
