"""Sweden's 290 municipalities as shipped in `data/municipalities/sweden.csv`.

The list is the one reference every label check uses: a municipality column may hold only a name
or a kommunkod from it, so a person's name or free text in that column is refused instead of
becoming a "municipality" in a segment set. Names match without regard to case, accents,
punctuation or the words "kommun"/"stad"/"Region" (`karlstads kommun`, `KARLSTAD`, `Karlstad`).
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "MUNICIPALITY_FILE",
    "Municipality",
    "by_code",
    "by_name",
    "lookup",
    "match_key",
    "official_form",
    "official_municipalities",
]

MUNICIPALITY_FILE = Path(__file__).resolve().parent.parent / "data" / "municipalities" / "sweden.csv"
_FIELDS = ("code", "name", "official_form", "own_name", "county_code", "county_name")


@dataclass(frozen=True)
class Municipality:
    """One municipality: SCB's four-digit code, its short name and the forms used in text."""

    code: str
    name: str
    official_form: str
    own_name: str
    county_code: str
    county_name: str


def match_key(text: str, *, fold_accents: bool = False) -> str:
    """Case- and punctuation-free form of a name, without "kommun", "stad" or "Region".

    With `fold_accents` the accents go too (`Åre` and `Are` meet); that form is used only when it
    points at one municipality, since Habo and Håbo fold to the same letters.
    """
    text = unicodedata.normalize("NFC", text.casefold())
    if fold_accents:
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    letters = "".join(c if c.isalnum() else " " for c in text)
    return "".join(w for w in letters.split() if w not in {"kommun", "stad", "region"})


@lru_cache(maxsize=1)
def official_municipalities() -> tuple[Municipality, ...]:
    """The 290 municipalities in code order (read once; the file ships with the program)."""
    with MUNICIPALITY_FILE.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    return tuple(Municipality(**{f: row[f].strip() for f in _FIELDS}) for row in rows)


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, Municipality], dict[str, Municipality], dict[str, Municipality]]:
    codes = {m.code: m for m in official_municipalities()}
    exact: dict[str, Municipality] = {}
    folded: dict[str, set[Municipality]] = {}
    for m in official_municipalities():
        for form in (m.name, m.official_form, m.own_name):
            if form:
                exact.setdefault(match_key(form), m)
                folded.setdefault(match_key(form, fold_accents=True), set()).add(m)
    unique = {key: next(iter(ms)) for key, ms in folded.items() if len(ms) == 1}
    return codes, exact, unique


def by_code(code: str) -> Municipality | None:
    """The municipality with this kommunkod (`"0180"`, also `"180"` as Excel drops the zero)."""
    text = code.strip()
    if not text.isdigit() or len(text) > 4:
        return None
    return _indexes()[0].get(text.zfill(4))


def by_name(name: str) -> Municipality | None:
    """The municipality this name denotes, in any case, with or without accents or "kommun"."""
    _, exact, folded = _indexes()
    for fold in (False, True):
        key = match_key(name, fold_accents=fold)
        if not key or key.isdigit():
            return None
        table = folded if fold else exact
        found = table.get(key)
        if found is None and "kommun" in name.casefold() and key.endswith("s"):
            found = table.get(key[:-1])  # "Kils kommun" -> Kil
        if found is not None:
            return found
    return None


def lookup(label: str) -> Municipality | None:
    """A code or a name; None when the label names none of the 290 municipalities."""
    text = label.strip()
    if text.isdigit():
        return by_code(text)
    return by_name(text)


def official_form(code: str) -> str:
    """The form used in running text ("Karlstads kommun", "Falu kommun", "Region Gotland").

    Raises KeyError for a code that is not one of the 290: callers pass codes already checked.
    """
    found = by_code(code)
    if found is None:
        raise KeyError(code)
    return found.official_form
