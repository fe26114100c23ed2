"""Personal data in a table: headers that announce it and values that are it.

Segmentation and evaluation never need to know who someone is. This module only *finds*
personal data; `common.screening` decides what to keep. Values are judged a whole column of
distinct values at a time: a byte-level count of digits, letters and `@` (numpy over Arrow's
buffer) rules out almost every value at once, and Arrow's regular expressions judge the few
that are left, so a million distinct respondent codes cost tens of milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .headers import compact_header
from .identity_numbers import identity_number_mask
from .table_files import MISSING_WORDS

__all__ = ["KINDS", "PersonalKind", "header_kind", "looks_like_data", "personal_values"]

PersonalKind = Literal["personnummer", "name", "address", "email", "phone", "birth_date"]
KINDS: tuple[PersonalKind, ...] = ("personnummer", "name", "address", "email", "phone", "birth_date")

# Headers in their compact form (letters and digits, no accents: 'Hem adress' -> 'hemadress').
_HEADER_PATTERNS: tuple[tuple[PersonalKind, str], ...] = (
    ("personnummer", r"(person|pers|p)(nummer|nr|no|num)|ssn|samordnings(nummer|nr)|interims?(nummer|nr)"
                     r"|(personal)?(identity|id)(number|no)|personalid|socialsecurity(number|no|nr)?"
                     r"|personidentitet|fodelsenummer"),
    ("birth_date", r"fodelse(datum|dag)|fodd(datum)?|birthdate|dateofbirth|dob|birthday"),
    ("name", r"(for|efter|mellan|tilltals|fullstandigt|fullt|person|kontakt|respondent)?namn|fornamnochefternamn"
             r"|(first|last|given|family|full|middle|sur|contact)?name|kontaktperson"),
    ("address", r"(gatu|post|hem|bostads|folkbokforings|leverans|besoks)?adress|(street|home|postal|mailing)?address"
                r"|gata|gatunamn|gatuadr|street|postnummer|postnr|postort|zip|zipcode|postcode|postalcode"
                r"|lagenhetsnummer|lghnr|fastighetsbeteckning"),
    ("email", r"(e|privat|arbets)?(post|mail|mejl)(adress|address|adr)?|email(adress|address)?"),
    ("phone", r"(hem|arbets|mobil|privat)?(telefon|tfn|tel)(nummer|nr|no)?|mobil(nummer|nr|tfn)?|sms(nummer|nr)?"
              r"|(tele|mobile|cell|home|work)?phone(number|no)?|mobile|cell|telephone"),
)

_SPACE = r"[ \t\x{00A0}]"
# Not after a digit and a separator: "2027-05-03 12:34" and "03/05/2027 12:34" are dates and times.
_PHONE = (r"(?:^|[^\d+./-]|[^\d][./-])(?:"  # +46 70 123 45 67 / 054-12 34 56 / 0701234567 / 08 123 456 78
          rf"(?:\+|00)46{_SPACE}?-?{_SPACE}?(?:\(0\){_SPACE}?)?[1-9](?:{_SPACE}?-?{_SPACE}?\d){{6,8}}"
          rf"|0[1-9]\d{{0,3}}{_SPACE}?[-/]{_SPACE}?\d{{2,3}}(?:{_SPACE}?\d{{2,3}}){{1,3}}"
          rf"|07[02369](?:{_SPACE}?\d){{7}}"
          rf"|\(0[1-9]\d{{0,3}}\){_SPACE}?\d{{2,3}}(?:{_SPACE}?-?{_SPACE}?\d{{2,3}}){{1,3}}"
          rf"|0[1-9]\d{{0,2}}(?:{_SPACE}\d{{2,3}}){{3}}"
          r"|0[1-9]\d{1,3}(?:\.\d{2,3}){2,4}"  # 070.123.45.67
          r")(?:[^\d]|$)")
_EMAIL = r"[^\s@<>(),;:\"']+@[^\s@<>(),;:\"']+\.\p{L}{2,}"
# namn(at)example.se, namn [at] example.se, namn (snabel-a) example.se: written to dodge harvesters
_EMAIL_SPELLED = (r"(?i)[\p{L}\d._%+-]+\s*(?:\(\s*(?:at|snabel-?a)\s*\)|\[\s*(?:at|snabel-?a)\s*\]"
                  r"|\{\s*(?:at|snabel-?a)\s*\})\s*[\p{L}\d-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\p{L}\d-]+)+")
_STREET_WORDS = "gatan|gata|vägen|väg|gränd|gränden|torget|torg|stigen|backen|allén|allé|leden|platsen|gången|kajen"
_ADDRESS = (  # Storgatan 1, Box 123 / 652 24 Karlstad
    rf"(?:^|[^\p{{L}}])(?i:\p{{L}}{{2,}}(?:{_STREET_WORDS})|box){_SPACE}+\d{{1,5}}(?:{_SPACE}?[a-zA-Z])?(?:[^\d]|$)"
    rf"|(?:^|[^\d])(?:SE-?)?\d{{3}}{_SPACE}?\d{{2}}{_SPACE}+\p{{Lu}}\p{{L}}+")
_TWO_NAMES = r"\p{Lu}\p{Ll}+[ \-]\p{Lu}\p{Ll}+"


def header_kind(header: str) -> PersonalKind | None:
    """The kind of personal data a column header announces, if any ('Hem adress' -> address)."""
    compact = compact_header(header)
    for kind, pattern in _HEADER_PATTERNS:
        if re.fullmatch(pattern, compact):
            return kind
    return None


# Byte classes packed in 8-bit fields of one uint32, so one pass counts all four per value; a
# value of _LONG bytes or more could overflow a field and is simply looked at with every pattern.
_FIELD = 8
_CLASSES = np.zeros(256, dtype=np.uint32)
_CLASSES[48:58] = 1  # digits
_CLASSES[65:91] = _CLASSES[97:123] = _CLASSES[0xC3:0xF5] = 1 << _FIELD  # letters, lead bytes of å ä ö é …
_CLASSES[64] = 1 << 2 * _FIELD  # @
_CLASSES[69] = _CLASSES[101] = 1 << 3 * _FIELD  # e E (scientific notation)
_LONG = (1 << _FIELD) - 1


class _Counts:
    """Per value: how many digits, letters, '@' and 'e'/'E' it holds (from Arrow's byte buffer in
    one numpy pass), and whether it is a bare Swedish mobile number (10 digits, 070/072/073/076/079)."""

    def __init__(self, values: pa.StringArray):
        n = len(values)
        offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[values.offset: values.offset + n + 1]
        size = int(offsets[-1] - offsets[0]) if n else 0
        data = np.frombuffer(values.buffers()[2], dtype=np.uint8)[offsets[0]: offsets[-1]] if size else None
        self.digits = self.letters = self.at = self.e = np.zeros(n, dtype=np.int64)
        self.bare_mobile = np.zeros(n, dtype=bool)
        self.bare_digits = np.zeros(n, dtype=bool)  # nothing but digits: only the bare mobile form applies
        if data is None:
            return
        starts, lengths = offsets[:-1] - offsets[0], np.diff(offsets)
        packed = np.add.reduceat(_CLASSES[data], np.minimum(starts, size - 1), dtype=np.uint32)
        packed[lengths == 0] = 0  # reduceat gives an empty slice the value at its index
        counts = [(packed >> (i * _FIELD)) & _LONG for i in range(4)]
        for c in counts:
            c[lengths >= _LONG] = _LONG
        self.digits, self.letters, self.at, self.e = counts
        ten = np.flatnonzero((lengths == 10) & (self.digits == 10))
        if len(ten):
            head = data[starts[ten, None] + np.arange(3)[None, :]]
            self.bare_mobile[ten] = (head[:, 0] == 48) & (head[:, 1] == 55) & np.isin(head[:, 2], list(b"02369"))
        self.bare_digits = lengths == self.digits


def _matches(values: pa.Array, candidates: np.ndarray, pattern: str) -> np.ndarray:
    """`pattern` searched in the candidate values only; a mask over all values."""
    out = np.zeros(len(values), dtype=bool)
    where = np.flatnonzero(candidates)
    if len(where):
        found = pc.match_substring_regex(pc.take(values, pa.array(where, type=pa.int64())), pattern)
        out[where] = pc.fill_null(found, False).to_numpy(zero_copy_only=False)
    return out


def personal_values(values: pa.Array, *, code: bool = False,
                    missing: Collection[str] = MISSING_WORDS) -> dict[PersonalKind, np.ndarray]:
    """Which values hold personal data, by kind: a boolean mask over `values` for each kind found.

    Looks for identity numbers (any form, also inside text), phone numbers, e-mail addresses and
    street addresses everywhere. With `code=True` (a respondent id, which must be a
    non-identifying code) a value without any digit, or with two capitalised words, is a name.
    """
    values = pc.fill_null(pc.cast(values, pa.string()), "")
    counts = _Counts(values)
    digits, letters = counts.digits, counts.letters
    masks: dict[PersonalKind, np.ndarray] = {}
    candidates = (digits >= 8) | ((digits >= 3) & (counts.e > 0))
    where = np.flatnonzero(candidates)
    if len(where):
        found = np.zeros(len(values), dtype=bool)
        found[where] = identity_number_mask(pc.take(values, pa.array(where, type=pa.int64())))
        masks["personnummer"] = found
    masks["phone"] = counts.bare_mobile | _matches(values, (digits >= 8) & ~counts.bare_digits, _PHONE)
    masks["email"] = _matches(values, counts.at > 0, _EMAIL) | _matches(values, counts.letters >= 5, _EMAIL_SPELLED)
    masks["address"] = _matches(values, ((digits >= 5) & (letters >= 2)) | ((digits >= 1) & (letters >= 3)),
                                _ADDRESS)
    if code:
        wordy = (digits == 0) & (letters > 0)
        if wordy.any():
            lowered = pc.utf8_lower(pc.utf8_trim_whitespace(values)).to_numpy(zero_copy_only=False)
            wordy &= ~np.isin(lowered, list(missing))
        masks["name"] = wordy | _matches(values, (digits > 0) & (letters >= 4), _TWO_NAMES)
    return {kind: mask for kind, mask in masks.items() if mask.any()}


_NUMBER_OR_DATE = re.compile(r"[+-]?\d[\d\s.,:/-]*")


def looks_like_data(header: str) -> bool:
    """A header cell that is a value rather than a name: a number, a date, or personal data."""
    return bool(_NUMBER_OR_DATE.fullmatch(str(header).strip())) or bool(personal_values(pa.array([str(header)])))
