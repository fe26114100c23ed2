"""Suggest which contract field an unrecognised survey column holds, from its header and its answers.

Survey tools export question-style headers ("Har du BankID?", "Hur ofta använder du internet?")
with Swedish answer words ("Ja", "Varje dag"). `suggest` is a pure function from one header and a
bounded sample of its distinct values to a `Suggestion`: a field (or none), a reason code the app
words through the catalogue (`mapping.reason.<code>`), a value mapping from the file's answers to
the field's canonical values, and whether the column could instead be an extra segmentation
feature (short categories only — the same bound `segments.validate` applies). Nothing here reads a
file or keeps a value beyond the call; the suggested columns still pass the screening gate when
the file is loaded with the officer's confirmed mapping.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pyarrow as pa
import pyarrow.compute as pc

from common.personal_detection import header_kind, personal_values
from common.screening import check_header_row
from common.table_files import MISSING_WORDS, RawTable, clean_text, parse_number

from .municipalities import municipality_name
from .schema import FALSE_WORDS, FIELD_BY_NAME, TRUE_WORDS, canonical_name, category_lookup
from .validate import MAX_EXTRA_LEVELS

__all__ = ["MAX_SAMPLE", "Suggestion", "file_suggestions", "layout_digest", "suggest", "suggest_columns"]

MAX_SAMPLE = 200  # distinct values looked at per column: enough to recognise answers, never the file
MAX_FEATURE_TEXT = 40  # an extra feature's answers are short categories, not free text


@dataclass(frozen=True)
class Suggestion:
    """What a column probably holds. `field` None: no contract field (maybe an extra feature)."""

    header: str
    field: str | None
    reason: str  # header_words | answers | header_and_answers | preferred_channel | children_at_home |
    # likert | yes_no | personal | free_text | unknown
    values: tuple[tuple[str, str], ...] = ()  # file answer (lower-case) -> canonical value, where they differ
    feature_ok: bool = False  # short categories: may be an extra segmentation feature instead

    def value_map(self) -> dict[str, str]:
        return dict(self.values)


def _words(text: str) -> str:
    """Lower case, accents kept apart from letters: 'Hur gammal är du?' -> ' hur gammal ar du '."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return " " + " ".join(re.sub(r"[\W_]+", " ", plain).split()) + " "


# Header words per field, matched as whole words or word starts in the accent-free header.
_HEADER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("has_bankid", (" bankid", " bank id", " e legitimation", " mobilt bankid")),
    ("uses_facebook", (" facebook",)),
    ("internet_use", (" internet",)),
    ("eservice_uses_12m", (" e tjanst", " etjanst", " digitala tjanster")),
    ("prefers_paper", (" papper", " brev ", " information fran kommunen", " fa information", " kontakt med kommunen")),
    ("municipality", (" kommun", " hemkommun")),
    ("age_band", (" aldersgrupp", " aldersklass", " aldersintervall")),
    ("age", (" gammal", " alder ", " ar du fodd")),
    ("sex", (" kon ", " man eller kvinna", " kvinna eller man")),
    ("household", (" barn som bor hemma", " barn hemma", " hemmavarande barn", " hushall", " bor du med",
                   " bor du ensam")),
    ("occupation", (" sysselsattning", " huvudsakliga sysselsattning", " arbetar du", " vad gor du")),
    ("weight", (" vikt ", " viktning", " vikter ")),
)

_PAPER_ANSWERS = ("papper", "brev", "post", "tidning", "broschyr", "folder")
_LIKERT = ("instammer", "tar avstand", "tar delvis", "tar helt", "ingen asikt", "varken", "neutral", "nojd",
           "missnojd", "mycket", "ganska", "inte alls", "helt och hallet", "delvis", "stammer", "bra", "dalig")
_EXTRA_SPELLINGS: dict[str, dict[str, str]] = {
    "internet_use": {"flera ganger om dagen": "daily", "varje dag": "daily", "dagligen": "daily",
                     "nagon gang i veckan": "weekly", "nagra ganger i veckan": "weekly", "varje vecka": "weekly",
                     "varje manad": "rarely", "nagon gang i manaden": "rarely", "mer sallan": "rarely",
                     "sallan": "rarely", "aldrig": "never", "inte alls": "never"},
}


def _plain(value: str) -> str:
    return _words(value).strip()


def _known_values(values: Iterable[str]) -> list[str]:
    """Distinct answers as the file writes them (lower-case, trimmed), missing words left out."""
    out: dict[str, None] = {}
    for v in values:
        text = clean_text(str(v)).lower()
        if text not in MISSING_WORDS:
            out[text] = None
        if len(out) >= MAX_SAMPLE:
            break
    return list(out)


def _header_field(header: str) -> str | None:
    words = _words(header)
    for name, keys in _HEADER_WORDS:
        if any(k in words for k in keys):
            return name
    return None


def _yes_no(answers: list[str]) -> bool:
    return bool(answers) and all(a in TRUE_WORDS or a in FALSE_WORDS or _yes_no_word(a) is not None
                                 for a in answers)


def _yes_no_word(answer: str) -> str | None:
    """'Ja, jag har BankID' -> 'true'; 'Nej' -> 'false'."""
    first = _plain(answer).split(" ")[0] if _plain(answer) else ""
    return "true" if first in ("ja", "yes") else "false" if first in ("nej", "no") else None


def _bool_values(answers: list[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for a in answers:
        if a in TRUE_WORDS or a in FALSE_WORDS:
            continue
        word = _yes_no_word(a)
        if word:
            out.append((a, word))
    return tuple(out)


def _category_values(field: str, answers: list[str]) -> tuple[tuple[str, str], ...] | None:
    """Each answer's canonical value (only those spelled differently), or None when one is unknown."""
    lookup = category_lookup(field)
    extra = _EXTRA_SPELLINGS.get(field, {})
    out = []
    for a in answers:
        if a in lookup:
            continue
        canon = extra.get(_plain(a))
        if canon is None:
            return None
        out.append((a, canon))
    return tuple(out)


def _numbers(answers: list[str]) -> list[float] | None:
    nums = [parse_number(a) for a in answers]
    return None if not nums or any(n is None or not math.isfinite(n) for n in nums) else [float(n) for n in nums if
                                                                                          n is not None]


def _by_answers(answers: list[str]) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """A field recognised from the answers alone (categories whose words are the contract's, or
    municipality names)."""
    if answers and sum(municipality_name(clean_text(a)) is not None for a in answers) * 2 > len(answers):
        return "municipality", ()
    for field in ("internet_use", "occupation", "household"):
        values = _category_values(field, answers)
        if values is not None and answers and len(set(answers)) >= 2:
            return field, values
    return None


def _is_likert(answers: list[str]) -> bool:
    if not 2 <= len(answers) <= 7:
        return False
    nums = _numbers(answers)
    if nums is not None:
        return all(n.is_integer() and 0 <= n <= 10 for n in nums)
    return sum(any(w in f" {_plain(a)} " or _plain(a).startswith(w.strip()) for w in _LIKERT)
               for a in answers) >= len(answers) - 1


def _feature_ok(header: str, answers: list[str], complete: bool) -> bool:
    return (complete and 2 <= len(answers) <= MAX_EXTRA_LEVELS and header_kind(header) is None
            and all(len(a) <= MAX_FEATURE_TEXT for a in answers))


def _for_field(field: str, header: str, answers: list[str], by_header: bool) -> Suggestion | None:
    """The suggestion when the answers fit the field, else None."""
    reason = "header_words" if by_header else "answers"
    kind = FIELD_BY_NAME[field].kind
    if kind == "boolean":
        if field == "prefers_paper" and not _yes_no(answers):
            return _preferred_channel(header, answers)
        return Suggestion(header, field, "header_and_answers" if by_header else "yes_no", _bool_values(answers)) \
            if _yes_no(answers) else None
    if field == "household" and _yes_no(answers):  # "Har du barn som bor hemma?" Ja/Nej
        return Suggestion(header, field, "children_at_home", tuple(
            (a, "family_with_children" if (a in TRUE_WORDS or _yes_no_word(a) == "true") else "other")
            for a in answers))
    if kind == "category":
        values = _category_values(field, answers)
        return None if values is None else Suggestion(header, field, "header_and_answers", values)
    nums = _numbers(answers)
    if kind == "age":
        ok = nums is not None and all(n.is_integer() and 0 <= n <= 120 for n in nums)
        return Suggestion(header, field, "header_and_answers") if ok else None
    if kind in ("count", "weight"):
        ok = nums is not None and all(n >= 0 for n in nums)
        return Suggestion(header, field, "header_and_answers") if ok else None
    if kind == "municipality":  # most answers must be municipalities ("Hur nöjd är du med kommunen?" is not)
        named = sum(municipality_name(clean_text(a)) is not None for a in answers)
        return Suggestion(header, field, "header_and_answers") if answers and named * 2 > len(answers) else None
    return Suggestion(header, field, reason)  # age band: the loader checks each value


def _preferred_channel(header: str, answers: list[str]) -> Suggestion | None:
    """'Hur vill du helst få information?' Brev/E-post/Webben -> prefers_paper (paper answers true)."""
    if not answers or len(answers) > MAX_EXTRA_LEVELS:
        return None
    values = tuple((a, "true" if _on_paper(a) else "false") for a in answers)
    if not any(v == "true" for _, v in values):
        return None
    return Suggestion(header, "prefers_paper", "preferred_channel", values)


def _on_paper(answer: str) -> bool:
    """'Brev', 'Papper i brevlådan' -> True; 'E-post', 'Webben' -> False."""
    words = _plain(answer).replace("e post", "epost").split()
    return any(w.startswith(p) for p in _PAPER_ANSWERS for w in words)


def suggest(header: str, values: Iterable[str], *, complete: bool = True) -> Suggestion:
    """A suggested contract field for one column from its header words and (a bounded sample of) its
    distinct values. `complete` says the values are all the column's distinct values (a column with
    more than MAX_SAMPLE is never a short category)."""
    answers = _known_values(values)
    complete = complete and len(answers) < MAX_SAMPLE
    if header_kind(header):
        return Suggestion(header, None, "personal")
    ok = _feature_ok(header, answers, complete)
    known = canonical_name(header)
    if known:
        return Suggestion(header, known, "header_words", feature_ok=ok)
    by_header = _header_field(header)
    found = _for_field(by_header, header, answers, True) if by_header else None
    if found:
        return replace(found, feature_ok=ok)
    by_answers = _by_answers(answers)
    if by_answers:
        return Suggestion(header, by_answers[0], "answers", by_answers[1], feature_ok=ok)
    if ok and _is_likert(answers):
        return Suggestion(header, None, "likert", feature_ok=True)
    if ok and _yes_no(answers):
        return Suggestion(header, None, "yes_no", feature_ok=True)
    return Suggestion(header, None, "unknown" if ok else "free_text", feature_ok=ok)


def suggest_columns(columns: Mapping[str, Iterable[str]], *, recognised: Iterable[str] = ()) -> dict[str, Suggestion]:
    """Suggestions for every column not recognised; a field already held by a recognised column (or
    an earlier suggestion) is not suggested twice."""
    known = set(recognised)
    found = {h: suggest(h, values) for h, values in columns.items() if h not in known and not canonical_name(h)}
    return _one_each(found, {canonical_name(h) for h in (*known, *columns)} - {None})


def file_suggestions(raw: RawTable, column_map: Mapping[str, str] | None = None) -> dict[str, Suggestion]:
    """Suggestions for every column of a read file that the contract does not recognise by its header
    (or the officer did not map), from at most MAX_SAMPLE distinct values each. A column whose
    values hold personal data (the screening's value check) gets no suggestion and no value is kept.
    A header row that is data (someone's name or identity number) is refused first (InputError),
    as the loader does, so no such "header" is ever shown."""
    check_header_row(raw.headers, [h for h in raw.headers if canonical_name(h)])
    mapped = set(column_map or {})
    wanted = [h for h in dict.fromkeys(raw.headers) if not canonical_name(h) and h not in mapped]
    seen: dict[str, dict[str, None]] = {h: {} for h in wanted}
    for batch in raw.batches():
        names = batch.schema.names
        for h in wanted:
            if len(seen[h]) > MAX_SAMPLE or h not in names:
                continue
            column = batch.column(names.index(h))
            if pa.types.is_dictionary(column.type):
                column = column.dictionary
            for value in pc.unique(column.cast(pa.string())).to_pylist():
                if value is not None and len(seen[h]) <= MAX_SAMPLE:
                    seen[h][value] = None
        if all(len(v) > MAX_SAMPLE for v in seen.values()):
            break
    out = {}
    for h, found in seen.items():
        values = list(found)
        personal = bool(values) and bool(personal_values(pa.array(values, type=pa.string())))
        out[h] = Suggestion(h, None, "personal") if personal else suggest(h, values,
                                                                          complete=len(values) <= MAX_SAMPLE)
    taken: set[str | None] = {*(column_map or {}).values(), *(canonical_name(h) for h in raw.headers)}
    return _one_each(out, taken - {None})


def _one_each(found: dict[str, Suggestion], taken: set[str | None]) -> dict[str, Suggestion]:
    """A field already held (by a recognised or mapped column, or an earlier suggestion) is not suggested again."""
    out = {}
    for h, s in found.items():
        if s.field in taken:
            s = Suggestion(h, None, "taken", feature_ok=s.feature_ok)
        elif s.field:
            taken.add(s.field)
        out[h] = s
    return out


def layout_digest(headers: Iterable[str]) -> str:
    """The file layout: a digest of the header row, so that the same survey export gets the same mapping."""
    return hashlib.sha1("\x1f".join(str(h) for h in headers).encode()).hexdigest()[:16]
