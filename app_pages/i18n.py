"""The app's wording: `t("key", **values)` looks the key up in the gettext catalogue
(`locale/<lang>/LC_MESSAGES/app.po`, Swedish by default, English available) and formats the
values; `tr(msg)` words a message the core returned. Numbers, money, percentages and dates go
through `common.formatting` so they read as the language writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from common.messages import Msg, fmt_value, render

__all__ = ["labels", "lang", "localise_widgets", "relabel", "t", "tr"]


def lang() -> str:
    return st.session_state.get("lang", "sv")


def t(key: str, /, **values: Any) -> str:
    """A UI text by catalogue key, in the session's language."""
    return render(Msg(key, **values), lang())


def tr(message: Any) -> str:
    """A message or a typed value from the core (Money, Day …), or a plain string, in the session's language."""
    if isinstance(message, str):
        return message
    return render(message, lang()) if isinstance(message, Msg) else fmt_value(message, lang())


def localise_widgets() -> None:
    """Streamlit's file uploader has English text built in ("Upload", "200MB per file"): replace it
    with the catalogue's (the accepted types and the size limit are in each uploader's help)."""
    st.html(f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] > * {{ display: none; }}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"]::after {{ content: "{t('upload_button')}"; }}
</style>""")


def labels(options: Iterable[Any], word: Callable[[Any], str]) -> Callable[[Any], str]:
    """A widget's format_func with every label worded now, in the session's language (Streamlit may
    call format_func outside the session, where the language is unknown)."""
    table = {o: word(o) for o in options}
    return lambda o: table.get(o, str(o))


def relabel(*keys: str) -> None:
    """Widgets whose option labels are worded in the session's language: set their value again, so
    the browser redraws the labels after a change of language (it keeps the old ones otherwise)."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
