"""Keep the officer's place: a page's choices (municipality, e-service, channel, segment, variant)
survive reruns, a visit to another page and a reload (F5).

Streamlit forgets a widget's value when a run does not draw it (another page) and a reload starts a
new session. So `keep(key, options)` before the widget restores the choice — this session's last one,
else the one in the address (`?msg_muni=Kil`) — when it is still one of the options, and
`kept(key, value)` after it remembers the choice in both places.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import streamlit as st

__all__ = ["keep", "kept"]

T = TypeVar("T")


def keep(key: str, options: Sequence[Any]) -> None:
    """Before drawing the widget `key`: restore its value when it is still one of `options`."""
    opts = list(options)
    if key in st.session_state:
        if st.session_state[key] in opts:
            return
        del st.session_state[key]  # a choice no longer offered (another e-service, another campaign)
    for remembered in (st.session_state.get(f"_keep_{key}"), st.query_params.get(key)):
        match = next((o for o in opts if o == remembered or str(o) == remembered), None)
        if match is not None:
            st.session_state[key] = match
            return


def kept(key: str, value: T) -> T:
    """After drawing the widget `key`: remember its value in the session and in the address."""
    st.session_state[f"_keep_{key}"] = value
    if value is None:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)
    return value
