"""Readability of Swedish text: LIX and klarspråk hints.

LIX = words / sentences + 100 × long words / words, where a long word has more than six
letters. Swedish abbreviations (t.ex., bl.a., dvs.) neither end a sentence nor split into
several words, a hyphenated word (e-tjänst) is one word, and links are left out of the count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from common.catalogue import ListOf, Msg, Raw

__all__ = ["Readability", "analyse", "lix", "lix_band", "split_sentences", "words"]

ABBREVIATIONS = (
    "t.ex.", "bl.a.", "m.m.", "d.v.s.", "dvs.", "osv.", "s.k.", "ca.", "kl.", "fr.o.m.", "t.o.m.", "m.fl.",
    "o.s.v.", "p.g.a.", "pga.", "inkl.", "exkl.", "resp.", "jfr.", "nr.", "tel.", "obs.", "st.", "e.d.",
    "t.ex", "bl.a", "m.m", "d.v.s", "s.k", "m.fl", "p.g.a", "fr.o.m", "t.o.m",
)
_URL = re.compile(r"(https?://\S+|www\.\S+|\S+@\S+\.\w+)")
_WORD = re.compile(r"[^\W\d_]+(?:[-–][^\W\d_]+)*|\d+(?:[.,:]\d+)*", re.UNICODE)
_PLACEHOLDER = "§"
_NUMBER_RUN = re.compile(r"\d[\d \-]{4,}\d")  # phone numbers and the like count as one word
BANDS = ((30, "very_easy"), (40, "easy"), (50, "medium"), (60, "hard"), (10 ** 9, "very_hard"))  # lix.band.<key>
PASSIVE_EXCEPTIONS = frozenset({
    "alltid", "alls", "annars", "bas", "dess", "ens", "fas", "gas", "glas", "hos", "oss", "ras", "vas", "vars",
    "kurs", "mars", "sms", "kris", "pris", "bus", "plus", "minus", "status", "fokus", "buss", "ditt", "mens",
    "tills", "bokas", "genast", "sedermera", "endast", "dels", "förrän", "slutligen", "ofta", "nuförtiden",
    # deponent verbs: passive in form, active in meaning ("om något saknas")
    "saknas", "lyckas", "hoppas", "andas", "trivas", "låtsas", "minnas", "synas", "finnas", "kräkas",
})
# Passive forms that end in -s without -as/-es (görs, ges, fås, ses, nås ...).
SHORT_PASSIVES = frozenset({"görs", "ges", "fås", "ses", "nås", "tas", "dras", "hålls", "sänds", "skickas"})
DU_WORDS = frozenset({"du", "dig", "din", "ditt", "dina"})


_ABBREVIATION = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE)


def _protect(text: str) -> str:
    """Hide links and abbreviation dots so they neither end sentences nor count as words."""
    text = _NUMBER_RUN.sub("0", _URL.sub(" ", text))
    return _ABBREVIATION.sub(lambda m: m.group(0).replace(".", _PLACEHOLDER), text)


_TOKEN = re.compile(r"(?:[^\W\d_]+§)+(?:[^\W\d_]+)?|[^\W\d_]+(?:[-–][^\W\d_]+)*|\d+(?:[.,:]\d+)*")


def _tokens(protected: str) -> list[str]:
    return [t.replace(_PLACEHOLDER, ".") if _PLACEHOLDER in t else t for t in _TOKEN.findall(protected)]


_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n\s*\n|\n(?=\s*[-•*#])|(?<=[^.!?:\n])\n")


def _sentences(text: str) -> list[tuple[str, list[str]]]:
    """(sentence, its words) for every sentence that has words; the text is protected once."""
    out = []
    for part in _SENTENCE_END.split(_protect(text)):
        tokens = _tokens(part)
        if tokens:
            out.append((part.replace(_PLACEHOLDER, ".").strip(), tokens))
    return out


def words(text: str) -> list[str]:
    """Words as LIX counts them: abbreviations and hyphenated words are one word each."""
    return _tokens(_protect(text))


def split_sentences(text: str) -> list[str]:
    """Sentences end at . ! ? or : and at a line break after a heading or list item."""
    return [s for s, _ in _sentences(text)]


def _letters(word: str) -> int:
    """Letters in a token: tokens are letter runs joined by hyphens, numbers, or abbreviations."""
    if word[0].isdigit():
        return 0
    return len(word) - word.count("-") - word.count("–") - word.count(".")


def _lix(sentences: list[tuple[str, list[str]]]) -> float:
    ws = [w for _, tokens in sentences for w in tokens]
    if not ws:
        return 0.0
    long_words = sum(1 for w in ws if len(w) > 6 and _letters(w) > 6)
    return round(len(ws) / len(sentences) + 100 * long_words / len(ws), 1)


def lix(text: str) -> float:
    return _lix(_sentences(text))


def lix_band(value: float) -> Msg:
    """The band a LIX value falls in ('lättläst' …), as a message."""
    return Msg("lix.band." + next(key for limit, key in BANDS if value < limit))


@dataclass(frozen=True)
class Readability:
    lix: float
    band: Msg
    words: int
    sentences: int
    chars: int
    hints: tuple[Msg, ...]  # klarspråk hints, worded at the edges


def _passives(ws: list[str]) -> list[str]:
    found = []
    for w in ws:
        lw = w.lower()
        if lw in PASSIVE_EXCEPTIONS or "-" in lw or "." in lw:
            continue
        if lw in SHORT_PASSIVES or (len(lw) >= 6 and lw.endswith(("as", "es")) and lw[-3] not in "aeiouyåäö"):
            if lw not in found:
                found.append(lw)
    return found


def analyse(text: str, *, long_sentence: int = 20) -> Readability:
    """LIX, its band and klarspråk hints: long sentences, passive -s verbs, missing du-address."""
    sentences = _sentences(text)
    ws = [w for _, tokens in sentences for w in tokens]
    hints = []
    long = [tokens for _, tokens in sentences if len(tokens) > long_sentence]
    if long:
        hints.append(Msg("readability.long_sentences", n=len(long), limit=long_sentence,
                         example=Raw(" ".join(long[0][:6]))))
    passives = _passives(ws)
    if passives:
        hints.append(Msg("readability.passive", words=ListOf(tuple(Raw(p) for p in passives[:4]))))
    if ws and not any(w.lower() in DU_WORDS for w in ws):
        hints.append(Msg("readability.no_du"))
    value = _lix(sentences)
    return Readability(value, lix_band(value), len(ws), len(sentences), len(text), tuple(hints))
