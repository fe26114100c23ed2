"""A checker for "is this text in the active language?", for the UI and every export.

Words are judged against the two catalogues: a word that the other language's catalogue uses and
the active one never does is untranslated, unless it is data (a municipality, channel, e-service
or segment name from the user's files). Formats are judged by the language's rules: no raw
identifiers (`internal_marketing`), no True/False/None/nan, no raw floats, no decimal points in
Swedish or decimal commas in English, thousands grouped, no "1 kommuner", no ISO dates inside
running prose, "61 %" in Swedish and "61%" in English.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field

from common.catalogue import catalogue_ids

WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü]+")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
RAW_VALUES = re.compile(r"\b(True|False|None|nan|NaN|NaT)\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
URL = re.compile(r"https?://\S+|\S+@\S+|\S+\.(?:ics|csv|xlsx|pdf|html|yaml|zip|md|txt)\b")
UNGROUPED = re.compile(r"(?<![\d\-/.,:])\d{5,}(?![\d\-/.,:])")
# Words the two languages share in this app, or that are names either way.
SHARED = {"lix", "bankid", "facebook", "segment", "segmenten", "data", "start", "budget", "export", "region",
          "regional", "sms", "pdf", "csv", "xlsx", "ics", "yaml", "html", "excel", "outlook", "google", "utm", "qr",
          "svenska", "english", "kampanjplaneraren", "ok", "kr", "sek", "v", "nr", "id", "true", "false", "fall"}


def _words(texts: Iterable[str]) -> set[str]:
    out = set()
    for text in texts:
        text = re.sub(r"\{[^}]*\}", " ", text)
        out |= {w.lower() for w in WORD.findall(text)}
    return out


def _catalogue_words(lang: str) -> set[str]:
    return _words(s for forms in catalogue_ids(lang).values() for s in forms)


def _plural_words(lang: str) -> set[str]:
    """Words only the plural forms of the catalogue's counted messages use ('kommuner', 'activities')."""
    from babel.messages.pofile import read_po

    from common.catalogue import LOCALE_DIR

    out: set[str] = set()
    for path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as fh:
            for m in read_po(fh, locale=lang):
                if m.pluralizable and isinstance(m.string, (tuple, list)) and len(m.string) == 2:
                    one, many = (_words([s]) for s in m.string)
                    out |= {w for w in many - one if len(w) > 3}
    return out


@dataclass
class Checker:
    lang: str
    data: set[str] = field(default_factory=set)  # words of names from the user's files (data, not UI)
    data_texts: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._seen: set[str] = set()
        other = "en" if self.lang == "sv" else "sv"
        own, theirs = _catalogue_words(self.lang), _catalogue_words(other)
        self.foreign = {w for w in theirs - own if len(w) >= 3} - SHARED
        self.plurals = _plural_words(self.lang)

    def add_data(self, names: Iterable[str]) -> None:
        self.data |= _words(n for n in names if n)

    def add_data_texts(self, texts: Iterable[str]) -> None:
        """Whole texts that are data (segment names and descriptions from segments.profile)."""
        self.data_texts |= {x for x in texts if x}

    def _flag(self, where: str, text: str, why: str) -> None:
        line = f"{where}: {why}: {text[:160]!r}"
        kind = f"{where}: {why.split(':')[0]}"
        if kind not in self._seen:  # one example of each kind of problem in each place is enough to fix it
            self._seen.add(kind)
            self.problems.append(line)

    def prose(self, text: str, where: str) -> None:
        """Running text: a sentence, a label, a heading."""
        self._common(text, where)
        clean = URL.sub(" ", text)
        if ISO_DATE.search(clean) and WORD.search(ISO_DATE.sub("", clean)):
            self._flag(where, text, "ISO date inside prose")

    def cell(self, text: str, where: str) -> None:
        """A table cell, an option, a chart value: a lone ISO date is fine (the Swedish numeric date)."""
        self._common(text, where)

    def _common(self, text: str, where: str) -> None:
        if not text or not text.strip() or text in self.data_texts:
            return
        clean = URL.sub(" ", strip_code(text)).replace("\xa0", " ").replace("\u202f", " ")
        words = {w.lower() for w in WORD.findall(clean)}
        foreign = sorted(words & self.foreign - self.data)
        if foreign:
            self._flag(where, text, f"not {self.lang}: {foreign}")
        if SNAKE.search(clean):
            self._flag(where, text, "raw identifier")
        if RAW_VALUES.search(clean):
            self._flag(where, text, "raw value")
        if re.search(r"\d[.,]\d{4,}", clean):
            self._flag(where, text, "raw float")
        if UNGROUPED.search(ISO_DATE.sub(" ", clean)):
            self._flag(where, text, "number without thousands separators")
        if self.lang == "sv":
            if re.search(r"(?<![\d.])\d+\.\d+(?![\d.])", ISO_DATE.sub(" ", clean)):
                self._flag(where, text, "decimal point in Swedish")
            if re.search(r"\d%", clean):
                self._flag(where, text, "percent without a space in Swedish")
        else:
            if re.search(r"\d,\d{1,2}(?!\d)", clean):
                self._flag(where, text, "decimal comma in English")
            if re.search(r"\d %", clean):
                self._flag(where, text, "percent with a space in English")
        for w in self.plurals:
            if re.search(rf"(?<!\d )(?<![\d,.])\b1 {re.escape(w)}\b", clean, flags=re.IGNORECASE):
                self._flag(where, text, f"'1 {w}'")

    def number(self, value: object, where: str) -> None:
        """A number shown as a number (a table cell Streamlit formats itself): no raw floats, no
        ungrouped large numbers, no booleans."""
        if isinstance(value, bool):
            self._flag(where, str(value), "raw boolean")
        elif isinstance(value, float) and value == value and not float(value).is_integer():
            self._flag(where, str(value), "raw float")
        elif isinstance(value, (int, float)) and abs(value) >= 10_000:
            self._flag(where, str(value), "number without thousands separators")


def strip_code(text: str) -> str:
    """Column names and values a file must literally contain are shown `like this`: not prose.
    Streamlit's markup (`:green-badge[…]`, `:material/check_circle:`) is not prose either."""
    text = re.sub(r":material/[a-z_]+:", " ", text)
    text = re.sub(r":[a-z]+(?:-[a-z]+)*\[", " ", text)
    return re.sub(r"`[^`]*`", " ", text)


def strip_html(body: str) -> str:
    body = re.sub(r"<(style|script).*?</\1>", " ", body, flags=re.S)  # not text a reader reads
    return re.sub(r"<[^>]+>", " ", body)


def printable(text: str) -> str:
    return "".join(ch for ch in text if ch in string.printable or ord(ch) > 127)
