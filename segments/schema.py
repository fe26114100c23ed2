"""The citizen-data schema: canonical fields, Swedish aliases and accepted values.

One place defines what a valid input looks like, so that the reader, the error messages and
`data/README.md` all describe the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from common.catalogue import Lines, Msg
from common.headers import compact_header
from common.table_files import MISSING_WORDS as TABLE_MISSING_WORDS

__all__ = [
    "BOOLEAN_FIELDS", "CATEGORICAL_FIELDS", "FALSE_WORDS", "FIELDS", "FIELD_BY_NAME", "MISSING_WORDS", "TRUE_WORDS",
    "canonical_name", "category_lookup", "category_values", "Field", "schema_help"
]


FieldKind = Literal["id", "municipality", "age", "age_band", "category", "boolean", "count", "weight"]


@dataclass(frozen=True)
class Field:
    """One canonical input column."""

    name: str
    aliases: tuple[str, ...]
    kind: FieldKind
    # canonical value -> accepted spellings (lower-case), for categorical fields
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()


FIELDS: tuple[Field, ...] = (
    Field("respondent_id", ("löpnummer", "lopnummer", "id", "respondent"), "id"),
    Field("municipality", ("kommun", "kommunkod", "kommunnamn", "kn"), "municipality"),
    Field("age", ("ålder", "alder"), "age"),
    Field("age_band", ("åldersgrupp", "aldersgrupp", "åldersklass", "ålder_grupp"), "age_band"),
    Field("sex", ("kön", "kon"), "category",
          (("female", ("female", "kvinna", "k", "f", "woman")),
           ("male", ("male", "man", "m")),
           ("other", ("other", "annat", "annan", "ickebinär", "icke-binär", "vill ej ange")))),
    Field("household", ("hushåll", "hushall", "hushållstyp"), "category",
          (("single", ("single", "ensamstående", "ensamstaende", "ensam")),
           ("couple", ("couple", "sambo/gift", "sambo", "gift", "par", "sammanboende")),
           ("family_with_children", ("family_with_children", "familj med barn",
                                     "sambo/gift med barn", "familj", "barnfamilj")),
           ("single_parent", ("single_parent", "ensamstående förälder",
                              "ensamstående med barn", "ensamstaende foralder")),
           ("other", ("other", "annat", "övrigt", "ovrigt")))),
    Field("occupation", ("sysselsättning", "sysselsattning"), "category",
          (("working", ("working", "förvärvsarbetande", "forvarvsarbetande", "arbetar",
                        "anställd", "egenföretagare", "employed")),
           ("student", ("student", "studerande", "studerar", "elev")),
           ("retired", ("retired", "pensionär", "pensionar", "ålderspensionär")),
           ("unemployed", ("unemployed", "arbetssökande", "arbetssokande", "arbetslös")),
           ("other", ("other", "annat", "övrigt", "sjukskriven", "föräldraledig")))),
    Field("internet_use", ("internetanvändning", "internetanvandning", "internet"), "category",
          (("daily", ("daily", "dagligen", "varje dag", "flera gånger per dag")),
           ("weekly", ("weekly", "varje vecka", "veckovis", "någon gång i veckan")),
           ("rarely", ("rarely", "sällan", "sallan", "någon gång i månaden", "mer sällan")),
           ("never", ("never", "aldrig", "använder inte internet")))),
    Field("has_bankid", ("har bankid", "bankid", "har_bankid"), "boolean"),
    Field("uses_facebook", ("använder facebook", "anvander facebook", "facebook"), "boolean"),
    Field("prefers_paper", ("föredrar papper", "foredrar papper", "papper"), "boolean"),
    Field("eservice_uses_12m", ("e-tjänster 12 mån", "e-tjanster 12 man", "e-tjänster 12 månader",
                                "e-tjänster", "etjanster_12m"), "count"),
    Field("weight", ("vikt", "antal", "count", "n"), "weight"),
)

FIELD_BY_NAME = {f.name: f for f in FIELDS}
CATEGORICAL_FIELDS = tuple(f.name for f in FIELDS if f.kind == "category")
BOOLEAN_FIELDS = tuple(f.name for f in FIELDS if f.kind == "boolean")

TRUE_WORDS = frozenset({"true", "1", "ja", "j", "yes", "y", "sant", "x"})
FALSE_WORDS = frozenset({"false", "0", "nej", "n", "no", "falskt"})
MISSING_WORDS = TABLE_MISSING_WORDS  # "..", "-", "vet ej" …: see common.table_files


# Headers are matched in their compact form (common.headers): case, accents, spaces and
# punctuation do not matter, so 'Har BankID', 'har_bankid' and 'HAR-BANKID' are one column.
_ALIASES: dict[str, str] = {}
for _f in FIELDS:
    for _name in (_f.name, *_f.aliases):
        assert _ALIASES.setdefault(compact_header(_name), _f.name) == _f.name, f"{_name} names two fields"


def canonical_name(header: str) -> str | None:
    """The canonical field a column header stands for, or None when it is not in the schema."""
    return _ALIASES.get(compact_header(header))


def category_lookup(field: str) -> dict[str, str]:
    """Accepted spelling (lower-case) -> canonical value for a categorical field."""
    out: dict[str, str] = {}
    for canonical, spellings in FIELD_BY_NAME[field].values:
        for spelling in spellings:
            out[spelling.lower()] = canonical
    return out


def category_values(field: str) -> tuple[str, ...]:
    """Canonical values of a categorical field, in schema order."""
    return tuple(canonical for canonical, _ in FIELD_BY_NAME[field].values)


def schema_help() -> Msg:
    """A short table of the schema (each field described in the catalogue as `field.<name>`),
    shown under error messages that concern columns."""
    return Msg("schema_help", lines=Lines(tuple(
        Msg("schema_line", name=f.name, alias=f.aliases[0] if f.aliases else "", description=Msg(f"field.{f.name}"))
        for f in FIELDS)))
