"""The labels SCB's statistical database (PX-Web) writes, read into plain values.

Regions come as "1763 Forshaga" (kommunkod and name), "17 Värmlands län" or "00 Riket"; ages as
"0 år", "65-69 år", "100+ år" or "totalt ålder"; sex as "män"/"kvinnor"; household types as
"sammanboende med barn 0-24 år". Each parser returns a value, TOTAL for a total row (which the
reader leaves out, since the parts are there), SKIP for a row that is not about a municipality,
or None when it cannot read the label (the reader then reports the rows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from common.municipality_list import by_code, by_name, lookup, official_municipalities

__all__ = [
    "HOUSEHOLD_LABELS", "OPEN_BAND_YEARS", "SKIP", "TOTAL", "AgeRange", "Place", "parse_age", "parse_household",
    "parse_region", "parse_sex", "year_of_header",
]

TOTAL = "__total__"
SKIP = "__skip__"
OPEN_BAND_YEARS = 5  # "100+ år" is read as 100–104 (spread evenly); "85+ år" as 85–89 …


@dataclass(frozen=True)
class Place:
    """A municipality as a table names it: kommunkod when given, and a name."""

    code: str | None
    name: str

    @property
    def key(self) -> str:
        return self.code or self.name.casefold()


@dataclass(frozen=True)
class AgeRange:
    """Ages `low`…`high` inclusive, as one label covers them."""

    low: int
    high: int


def _clean(label: str) -> str:
    return re.sub(r"\s+", " ", label.replace("\u00a0", " ")).strip().strip('"').strip()


_CODE_NAME = re.compile(r"^(\d{2,4})\s+(\S.*)$")


_COUNTRY = ("riket", "hela riket", "sverige", "totalt", "totalt region")


def _county(code: str | None, name: str) -> bool:
    """'17 Värmlands län', '00 Riket', 'Värmlands län': a county or the country, on the official list."""
    counties = {m.county_code: m.county_name.casefold() for m in official_municipalities()}
    low = name.casefold()
    if code is not None:
        return code == "00" or (code in counties and low in (counties[code], counties[code].removesuffix(" län")))
    return low in counties.values()


def parse_region(label: str) -> Place | str | None:
    """'1763 Forshaga' -> Place('1763', 'Forshaga'); counties and the country -> SKIP; anything
    that is not one of Sweden's municipalities (by code, name or both agreeing) or counties -> None."""
    text = _clean(label)
    if not text:
        return None
    low = text.casefold()
    if low in _COUNTRY:
        return SKIP
    m = _CODE_NAME.match(text)
    if m:
        code, name = m.group(1), m.group(2).strip()
        if len(code) == 2:
            return SKIP if _county(code, name) or name.casefold() in _COUNTRY else None
        found = by_code(code) if len(code) == 4 else None
        return Place(found.code, found.name) if found and lookup(name) == found else None
    if text.isdigit():
        if len(text) <= 2:
            return SKIP if text.zfill(2) == "00" or _county(text.zfill(2), _county_name(text.zfill(2))) else None
        found = by_code(text)
        return Place(found.code, found.name) if found else None
    if _county(None, text):
        return SKIP
    found = by_name(text)
    return Place(None, found.name) if found else None


def _county_name(code: str) -> str:
    return next((m.county_name for m in official_municipalities() if m.county_code == code), "")


_SINGLE = re.compile(r"^(\d{1,3})(?: år)?$")
_BAND = re.compile(r"^(\d{1,3}) ?[-–] ?(\d{1,3})(?: år)?$")
_OPEN = re.compile(r"^(\d{1,3}) ?\+(?: år)?$|^(\d{1,3}) år (?:och äldre|eller äldre|och över)$|^(\d{1,3})\+ år$")
_UNDER = re.compile(r"^(?:[-–] ?(\d{1,3})|under (\d{1,3})|0?[-–](\d{1,3}))(?: år)?$")
_AGE_TOTALS = ("totalt ålder", "totalt", "samtliga åldrar", "alla åldrar", "ålder totalt", "total")


def parse_age(label: str) -> AgeRange | str | None:
    """'65-69 år' -> 65–69, '7 år' -> 7–7, '100+ år' -> 100–104, 'totalt ålder' -> TOTAL."""
    text = re.sub(r"\byears?\b", "år", _clean(label).casefold())  # English PX-Web: "65-69 years"
    if text in _AGE_TOTALS or text in ("total age", "age, total"):
        return TOTAL
    if m := _SINGLE.match(text):
        age = int(m.group(1))
        return AgeRange(age, age) if age <= 120 else None
    if m := _BAND.match(text):
        low, high = int(m.group(1)), int(m.group(2))
        return AgeRange(low, high) if low <= high <= 120 else None
    if m := _OPEN.match(text):
        low = int(next(g for g in m.groups() if g is not None))
        return AgeRange(low, low + OPEN_BAND_YEARS - 1) if low <= 120 else None
    if m := _UNDER.match(text):
        high = int(next(g for g in m.groups() if g is not None))
        return AgeRange(0, high) if high <= 120 else None
    return None


_SEX = {
    "män": "male", "man": "male", "men": "male", "male": "male", "males": "male", "pojkar": "male",
    "kvinnor": "female", "kvinna": "female", "women": "female", "female": "female", "females": "female",
    "flickor": "female",
    "totalt": TOTAL, "män och kvinnor": TOTAL, "totalt kön": TOTAL, "samtliga": TOTAL, "total": TOTAL,
    "båda könen": TOTAL, "kön totalt": TOTAL,
}


def parse_sex(label: str) -> str | None:
    return _SEX.get(_clean(label).casefold())


# SCB's household types (HE0111), with and without the "barn" dimension folded in.
HOUSEHOLD_LABELS: dict[str, str] = {
    "ensamstående utan barn": "single",
    "ensamstående med barn 0-24 år": "single_parent",
    "ensamstående med barn 0-19 år": "single_parent",
    "ensamstående med barn": "single_parent",
    "ensamstående med barn 25 år eller äldre": "other",
    "sammanboende utan barn": "couple",
    "sammanboende med barn 0-24 år": "family_with_children",
    "sammanboende med barn 0-19 år": "family_with_children",
    "sammanboende med barn": "family_with_children",
    "sammanboende med barn 25 år eller äldre": "other",
    "övriga hushåll utan barn": "other",
    "övriga hushåll med barn 0-24 år": "other",
    "övriga hushåll med barn 25 år eller äldre": "other",
    "övriga hushåll": "other",
    "uppgift saknas": "unknown",
}
_HOUSEHOLD_TOTALS = ("totalt", "samtliga hushåll", "totalt hushållstyp", "hushållstyp totalt", "samtliga",
                     "totalt barn", "samtliga hushållstyper")


def parse_household(label: str, children: str | None = None) -> str | None:
    """A household type ('sammanboende' + 'med barn 0-24 år') as the citizen schema names it,
    'unknown' for 'uppgift saknas', or TOTAL."""
    text = _clean(label).casefold().replace("–", "-")
    kids = _clean(children).casefold().replace("–", "-") if children else ""
    if text == "uppgift saknas":
        return "unknown"
    if text in _HOUSEHOLD_TOTALS and (not kids or kids in _HOUSEHOLD_TOTALS):
        return TOTAL
    if kids in _HOUSEHOLD_TOTALS:
        return TOTAL  # the parts (med/utan barn) are in the table
    full = f"{text} {kids}".strip() if kids else text
    full = full.replace("sammanboende/gifta", "sammanboende").replace("ensamstående förälder", "ensamstående med barn")
    return HOUSEHOLD_LABELS.get(full)


_YEAR = re.compile(r"^(?:(.*\D))?((?:19|20)\d{2})$")


def year_of_header(header: str) -> tuple[str, int] | None:
    """'2023' -> ('', 2023); 'Folkmängd 2023' -> ('Folkmängd', 2023); other headers -> None."""
    text = _clean(header)
    m = _YEAR.match(text)
    if not m:
        return None
    return (m.group(1) or "").strip(), int(m.group(2))
