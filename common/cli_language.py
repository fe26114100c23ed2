"""One default language for every command-line command: the user's locale, overridable with --lang.

POSIX order (LC_ALL, then LC_MESSAGES, then LANG; when none is set, the system's locale, which
is where Windows keeps it): a Swedish locale (sv_SE.UTF-8, sv, Swedish_Sweden) gives Swedish, any
other named language English, and no locale at all (C, POSIX) Swedish, the language of the
officers the tool is made for.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

from .catalogue import Lang

__all__ = ["LANG_HELP", "default_lang"]

LANG_HELP = "language of the outputs and messages (default: the locale, LC_ALL/LC_MESSAGES/LANG; sv when none)"


def default_lang(environ: Mapping[str, str] | None = None) -> Lang:
    env = os.environ if environ is None else environ
    value = next((env[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(k)), "")
    if not value and environ is None:
        value = locale.getlocale()[0] or ""
    language = value.split(".")[0].split("_")[0].split("@")[0].lower()
    if language in ("", "c", "posix", "sv", "swedish"):
        return "sv"
    return "en"
