"""Find personal identifiers in an input table, by column name and by value.

Segmentation never needs to know who someone is, so a file that carries personal identity
numbers, names, addresses, e-mail or phone numbers is refused (or, in the app, those columns
are dropped in memory). Detection by value matters: a column called `id` can hold personnummer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .schema import normalise_header

__all__ = ["PersonalColumn", "is_personnummer", "personal_column_reason", "scan_column"]

# 12 or 10 digits, optionally with - or + before the last four.
PNR_PATTERN = r"^\s*(?:\d{2})?\d{6}[-+]?\d{4}\s*$"
EMAIL_PATTERN = r"^\s*[^@\s]+@[^@\s]+\.[A-Za-z]{2,}\s*$"
MAX_CANDIDATES = 20_000

_NAME_PATTERNS = {
    "personnummer": r"^(person ?(nummer|nr|no)|pnr|p-?nr|personal (identity|id) (number|no)|ssn"
                    r"|samordningsnummer|samordnings ?nr|identity number)$",
    "name": r"^((för|efter|till|mellan|fullständigt )?namn|(first|last|full|given|family|sur) ?name"
            r"|name|förnamn och efternamn|fornamn|efternamn)$",
    "address": r"^((gatu|post|hem|bostads|folkbokförings)?adress|(street |home |postal )?address)$",
    "email": r"^(e-?post|e-?postadress|e-?mail|mail|mejl|email address)$",
    "phone": r"^(telefon|telefonnummer|tel|tel nr|telnr|mobil|mobilnummer|mobiltelefon|phone"
             r"|phone number|mobile)$",
}

@dataclass(frozen=True)
class PersonalColumn:
    """A column that identifies people, and the evidence for it."""

    column: str
    kind: str  # personnummer | name | address | email | phone (catalogue: pii.<kind>)
    by: str  # "name" or "value"
    rows: tuple[int, ...] = ()  # 0-based data rows where a value was found


def personal_column_reason(header: str) -> str | None:
    """The kind of personal data a column header announces, if any."""
    text = normalise_header(header).replace("_", " ")
    for kind, pattern in _NAME_PATTERNS.items():
        if re.match(pattern, text):
            return kind
    return None


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def is_personnummer(text: str) -> bool:
    """True for a valid Swedish personnummer or samordningsnummer in any usual form."""
    digits = re.sub(r"[-+\s]", "", str(text))
    if not digits.isdigit() or len(digits) not in (10, 12):
        return False
    short = digits[-10:]
    month, day = int(short[2:4]), int(short[4:6])
    if day > 60:  # samordningsnummer: day + 60
        day -= 60
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    if len(digits) == 12:
        try:
            dt.date(int(digits[:4]), month, day)
        except ValueError:
            return False
    return _luhn_ok(short)


def scan_column(name: str, encoded: pa.DictionaryArray, row_offset: int = 0) -> PersonalColumn | None:
    """Look for personnummer and e-mail addresses among a column's distinct values.

    Works on the dictionary-encoded column, so each distinct value is matched once with a
    vectorised regular expression and the Luhn digit is checked only on candidates.
    """
    values = encoded.dictionary
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    for kind, pattern in (("personnummer", PNR_PATTERN), ("email", EMAIL_PATTERN)):
        hits = pc.fill_null(pc.match_substring_regex(values, pattern), False)
        if not pc.any(hits).as_py():
            continue
        positions = pc.indices_nonzero(hits).to_numpy()[:MAX_CANDIDATES]
        if kind == "personnummer":
            positions = np.array([p for p in positions if is_personnummer(values[int(p)].as_py())], dtype=np.int64)
        if len(positions):
            rows = np.flatnonzero(np.isin(indices, positions))
            return PersonalColumn(name, kind, "value", tuple(int(r) + row_offset for r in rows))
    return None
