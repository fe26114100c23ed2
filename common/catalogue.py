"""Messages as records: a catalogue id and the values it needs, worded only at the edges.

The core returns `Msg("mix.chosen", segment=..., cost=Money(1200))`; the app, the CLI and the
exports call `render(msg, lang)`, which looks the id up in the gettext catalogue
(`locale/<lang>/LC_MESSAGES/*.po`) and formats each value for the language: `Money` as
`1 200 kr`, `Pct` as `61 %`, `Day` as `16 mars 2027`, nested messages and lists worded too.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, format_currency, format_decimal, format_percent, parse_pattern

__all__ = ["LANGS", "LOCALE_DIR", "ByLang", "Day", "Lang", "Lines", "ListOf", "Money", "Msg", "Num", "Pct", "Raw",
           "MissingMessage", "as_msg", "catalogue", "catalogue_ids", "fmt_value", "locale_for", "render", "render_all",
           "shorten"]

Lang = Literal["sv", "en"]
LANGS: tuple[Lang, ...] = ("sv", "en")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
MAX_VALUE_CHARS = 40  # no value is ever shown longer than this (it could be anything a file held)


@lru_cache(maxsize=8)
def locale_for(lang: str) -> Locale:
    """The language's Babel locale, parsed once: a page formats thousands of values per run and
    parsing the locale name on each call cost more than the formatting itself."""
    return Locale.parse(_LOCALES.get(lang, "sv_SE"))


@dataclass(frozen=True)
class Num:
    """A number shown with the language's separators: 12 345 / 12,345; `digits` decimals."""

    value: float
    digits: int = 0


@dataclass(frozen=True)
class Pct:
    """A share 0–1 shown as a percentage: 61 % / 61%."""

    value: float


@dataclass(frozen=True)
class Money:
    """Kronor, whole: 240 000 kr / 240,000 SEK."""

    value: float


@dataclass(frozen=True)
class Day:
    """A date: 16 mars 2027 (long), 16 mars (short), mån 16 mars (weekday), 2027-03-16 (iso)."""

    value: dt.date
    style: Literal["long", "short", "weekday", "iso"] = "long"


@dataclass(frozen=True)
class ListOf:
    """Items joined as the language does: a, b och c / a, b and c."""

    items: tuple[Any, ...]
    style: Literal["standard", "or", "semicolon"] = "standard"


@dataclass(frozen=True)
class Raw:
    """Text from a file or a user (a column name, a segment name), shortened so it can never
    flood a message: at most MAX_VALUE_CHARS characters."""

    text: str


@dataclass(frozen=True)
class Lines:
    """Items (usually messages) each on its own line."""

    items: tuple[Any, ...]


@dataclass(frozen=True)
class ByLang:
    """Text that comes in several languages from its source (a holiday's name), picked at render."""

    texts: tuple[tuple[str, str], ...]  # (lang, text)

    @classmethod
    def of(cls, **texts: str) -> ByLang:
        return cls(tuple(sorted(texts.items())))


class Msg:
    """A catalogue id with named values; hashable, so it can sit in frozen dataclasses and caches."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params: Any):
        self.code = code
        self.params: tuple[tuple[str, Any], ...] = tuple(sorted(params.items()))

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.params)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash((self.code, _hashable(self.params)))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.params)
        return f"Msg({self.code!r}{', ' if inner else ''}{inner})"


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


# ---------------------------------------------------------------- the catalogue


def _po_files(lang: str, base: Path) -> list[Path]:
    return sorted((base / lang / "LC_MESSAGES").glob("*.po"))


@lru_cache(maxsize=8)
def catalogue(lang: str, base: Path = LOCALE_DIR) -> gettext.GNUTranslations:
    """Every .po file of a language, merged (Babel) and compiled in memory into one gettext catalogue."""
    paths = _po_files(lang, base)
    if not paths:
        raise FileNotFoundError(f"no catalogue for {lang} under {base}")
    merged = Catalog(locale=lang)
    for path in paths:
        with path.open("rb") as fh:
            for m in read_po(fh, locale=lang):
                if m.id:
                    merged[m.id] = m
    buf = io.BytesIO()
    write_mo(buf, merged)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


@lru_cache(maxsize=8)
def _known(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """The ids a language words (non-empty), and those of them with plural forms."""
    ids = catalogue_ids(lang)
    return (frozenset(k for k, v in ids.items() if any(v)),
            frozenset(k for k, v in ids.items() if len(v) > 1 and any(v)))


def catalogue_ids(lang: str, base: Path = LOCALE_DIR) -> dict[str, tuple[str, ...]]:
    """msgid -> its translations (one, or one per plural form), for completeness tests."""
    out: dict[str, tuple[str, ...]] = {}
    for path in _po_files(lang, base):
        with path.open("rb") as fh:
            for m in read_po(fh, locale=lang):
                if m.id:
                    key = m.id if isinstance(m.id, str) else m.id[0]
                    out[key] = tuple(str(x or "") for x in m.string) if isinstance(m.string, (tuple, list)) \
                        else (str(m.string or ""),)
    return out


# ---------------------------------------------------------------- rendering


@lru_cache(maxsize=32)
def _pattern(text: str) -> NumberPattern:
    """A number pattern parsed once (Babel accepts the parsed form wherever it takes the text)."""
    return parse_pattern(text)


@lru_cache(maxsize=16_384)
def _typed(value: Money | Pct | Num | Day, lang: str) -> str:
    """A typed value formatted once per value and language (frozen, so hashable): a page shows the
    same costs, counts and dates on every run, and Babel's formatting is the costly part of a table."""
    loc = locale_for(lang)
    if isinstance(value, Money):
        return format_currency(round(value.value), "SEK", locale=loc, format=_pattern("#,##0 ¤"),
                               currency_digits=False)
    if isinstance(value, Pct):
        return format_percent(value.value, locale=loc)
    if isinstance(value, Num):
        digits = _pattern("#,##0" + ("." + "0" * value.digits if value.digits else ""))
        return format_decimal(round(value.value, value.digits), format=digits, locale=loc)
    if value.style == "iso":
        return value.value.isoformat()
    pattern = {"long": "d MMMM yyyy", "short": "d MMMM", "weekday": "EEEE d MMMM"}[value.style]
    return format_date(value.value, pattern, locale=loc)


def fmt_value(value: Any, lang: str) -> str:
    """One value as the language writes it."""
    loc = locale_for(lang)
    if isinstance(value, Msg):
        return render(value, lang)
    if isinstance(value, (Money, Pct, Num, Day)):
        return _typed(value, lang)
    if isinstance(value, dt.date):
        return format_date(value, "d MMMM yyyy", locale=loc)
    if isinstance(value, ListOf):
        items = [fmt_value(v, lang) for v in value.items]
        if value.style == "semicolon":
            return "; ".join(items)
        return format_list(items, style=value.style, locale=loc) if items else "–"
    if isinstance(value, ByLang):
        texts = dict(value.texts)
        return texts.get(lang) or texts.get("sv") or next(iter(texts.values()), "")
    if isinstance(value, Lines):
        return "\n".join(fmt_value(v, lang) for v in value.items)
    if isinstance(value, Raw):
        return shorten(str(value.text), MAX_VALUE_CHARS)
    if isinstance(value, float):
        return format_decimal(value, locale=loc)
    return str(value)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words ("Seniorer som sällan …", never "…e-tj…"): a
    name is read whole or not at all. Only a single word longer than the limit is cut inside."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:–-") + "…"


class _Values(dict):  # type: ignore[type-arg]
    """Placeholders the catalogue names but the message lacks stay visible, not a KeyError."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class MissingMessage(LookupError):
    """A catalogue id without text (raised only when KAMPANJ_STRICT_I18N is set, as in the tests)."""


def _template(code: str, lang: str, n: int | None) -> str:
    """The catalogue's text for an id: the plural form for `n` where the entry has plurals; the
    Swedish text (then the id) when the language lacks it, or MissingMessage in strict mode."""
    for candidate in dict.fromkeys((lang if lang in LANGS else "sv", "sv")):
        worded, plural = _known(candidate)
        if code in plural:
            return catalogue(candidate).ngettext(code, code, n if n is not None else 1)
        if code in worded:
            return catalogue(candidate).gettext(code)
        if os.environ.get("KAMPANJ_STRICT_I18N"):
            raise MissingMessage(f"{code!r} is not in the {candidate} catalogue")
    return code


def render(msg: Msg | str, lang: str = "sv", **extra: Any) -> str:
    """The message in the language: the catalogue's text with every value formatted.

    A count named `n` selects the plural form ("1 kommun" / "3 kommuner").
    """
    if isinstance(msg, str):
        msg = Msg(msg, **extra)
    elif extra:
        msg = Msg(msg.code, **{**msg.values, **extra})
    values = msg.values
    n = values.get("n")
    count = int(n.value) if isinstance(n, Num) and float(n.value).is_integer() else n  # Num(n): grouped digits
    template = _template(msg.code, lang, count if isinstance(count, int) else None)
    formatted = _Values({k: fmt_value(v, lang) for k, v in values.items()})
    return template.format_map(formatted)


def render_all(messages: Iterable[Msg], lang: str = "sv") -> list[str]:
    return [render(m, lang) for m in messages]


def as_msg(code: str, values: Mapping[str, Any] | None = None) -> Msg:
    return Msg(code, **dict(values or {}))
