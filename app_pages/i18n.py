"""The app's wording: `t("key", **values)` looks the key up in the gettext catalogue
(`locale/<lang>/LC_MESSAGES/app.po`, Swedish by default, English available) and formats the
values; `tr(msg)` words a message the core returned. Numbers, money, percentages and dates go
through `common.formatting` so they read as the language writes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import streamlit as st

from common.catalogue import Msg, fmt_value, render

__all__ = ["file_format", "labels", "lang", "localise_widgets", "relabel", "t", "tr"]


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
    """Streamlit's widgets carry English text of their own: the file uploader's "Upload" and
    "200MB per file", file sizes ("32.0KB"), screen-reader labels ("Help for …", "year, …").
    Replace them with the catalogue's words (app_pages/app.css and localise.js), darken the grey
    captions to WCAG AA contrast, and show a running indicator while the page works."""
    css = CSS.replace("{upload}", t("upload_button")).replace("{running}", t("polish.running"))
    st.html(f"<style>{css}</style>")
    st.html(f"<script>window.kpWords = {json.dumps(_browser_words())};\n{LOCALISE_JS}</script>",
            unsafe_allow_javascript=True)


def _browser_words() -> dict[str, str]:
    """What the browser script needs, in the session's language (with the locale for sizes)."""
    keys = ("upload_button", "polish.aria.help_for", "polish.aria.help", "polish.aria.year", "polish.aria.month",
            "polish.aria.day", "polish.aria.hour", "polish.aria.minute", "polish.running",
            "polish.aria.remove_file")
    words = {k.rsplit(".", 1)[-1]: t(k, label="{label}") for k in keys}
    words["locale"] = "sv-SE" if lang() == "sv" else "en-GB"
    return words


# Read once per process; the script keeps one observer per page, and each run of the app updates
# window.kpWords, so a change of language relabels at the next change of the page.
CSS = Path(__file__).with_name("app.css").read_text(encoding="utf-8")
LOCALISE_JS = Path(__file__).with_name("localise.js").read_text(encoding="utf-8")


_CSV = re.compile(r"^CSV \((?P<encoding>[^,]+), (?P<sep>.+)\)$")
_SEPARATORS = {"';'": "semicolon", "','": "comma", "TAB": "tab"}
_ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1",
              "iso-8859-1": "Latin-1", "utf-16": "UTF-16"}


def file_format(description: str, language: str | None = None) -> str:
    """The reader's description of a file ("CSV (utf-8-sig, ';')") in words: "CSV (UTF-8,
    semikolon mellan fälten)". Other descriptions (Excel (.xlsx), Parquet) are names already."""
    m = _CSV.match(description)
    if not m or m["sep"] not in _SEPARATORS:
        return description
    language = language or lang()
    encoding = _ENCODINGS.get(m["encoding"].lower(), m["encoding"].upper())
    return render("polish.format.csv", language, encoding=encoding,
                  separator=Msg(f"polish.sep.{_SEPARATORS[m['sep']]}"))


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
