"""The app's wording: `t("key", **values)` looks the key up in the gettext catalogue
(`locale/<lang>/LC_MESSAGES/app.po`, Swedish by default, English available) and formats the
values; `tr(msg)` words a message the core returned. Numbers, money, percentages and dates go
through `common.formatting` so they read as the language writes them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import streamlit as st

from common.messages import Msg, fmt_value, render

__all__ = ["labels", "lang", "localise_widgets", "relabel", "t", "tr"]


def lang() -> str:
    return st.session_state.get("lang", "sv")


def t(key: str, **values: Any) -> str:
    """A UI text by catalogue key, in the session's language."""
    return render(Msg(key, **values), lang())


def tr(message: Any) -> str:
    """A message or a typed value from the core (Money, Day …), or a plain string, in the session's language."""
    if isinstance(message, str):
        return message
    return render(message, lang()) if isinstance(message, Msg) else fmt_value(message, lang())


def localise_widgets() -> None:
    """Streamlit's widgets carry English text of their own: the file uploader's "Upload" and
    "200MB per file", file sizes ("32.0KB"), screen-reader labels ("Help for …", "year, …").
    Replace them with the catalogue's words (the accepted types and the size limit are in each
    uploader's help), and darken the grey captions to WCAG AA contrast (4.5:1)."""
    st.html(f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] > * {{ display: none; }}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"]::after {{ content: "{t('upload_button')}"; }}
{CONTRAST_CSS}
</style>""")
    st.html(f"<script>window.kpWords = {json.dumps(_browser_words())};\n{LOCALISE_JS}</script>",
            unsafe_allow_javascript=True)


def _browser_words() -> dict[str, str]:
    """What the browser script needs, in the session's language (with the decimal sign for sizes)."""
    keys = ("upload_button", "polish.aria.help_for", "polish.aria.help", "polish.aria.year", "polish.aria.month",
            "polish.aria.day", "polish.aria.hour", "polish.aria.minute")
    words = {k.rsplit(".", 1)[-1]: t(k, label="{label}") for k in keys}
    words["locale"] = "sv-SE" if lang() == "sv" else "en-GB"
    return words


# Streamlit draws captions in the text colour at 60 % opacity: #828180 on white, 3.9:1, where
# WCAG 2.1 AA asks 4.5:1 for small text. Full opacity in a lighter grey keeps them quieter than
# the text and readable: 6.4:1 on white, 5.7:1 on the sidebar's #f0f2f6.
CONTRAST_CSS = """
[data-testid="stCaptionContainer"] { opacity: 1 !important; color: #5f5e5c !important; }
"""
# The script runs once per page load (a guard keeps one observer); each run of the app updates
# window.kpWords, so a change of language relabels at the next change of the page.
LOCALISE_JS = (Path(__file__).with_name("localise.js")).read_text(encoding="utf-8")


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
