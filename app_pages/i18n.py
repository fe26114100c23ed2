"""The app's wording: `t("key", **values)` looks the key up in the gettext catalogue
(`locale/<lang>/LC_MESSAGES/app.po`, Swedish by default, English available) and formats the
values; `tr(msg)` words a message the core returned. Numbers, money, percentages and dates go
through `common.formatting` so they read as the language writes them.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from common.messages import Msg, render

__all__ = ["lang", "t", "tr"]


def lang() -> str:
    return st.session_state.get("lang", "sv")


def t(key: str, **values: Any) -> str:
    """A UI text by catalogue key, in the session's language."""
    return render(Msg(key, **values), lang())


def tr(message: Msg | str) -> str:
    """A message from the core (or a plain string it already is), in the session's language."""
    return message if isinstance(message, str) else render(message, lang())
