"""Swedish personal identity numbers (personnummer, samordningsnummer, interim numbers) in text.

One rule, applied to a whole column of distinct values at once with Arrow's regular expressions
and numpy arithmetic: the date (samordningsnummer: day + 60), the century where the number gives
it, a serial that is not 000 and the Luhn check digit, as python-stdnum's `se.personnummer` has
them (the tests hold this to stdnum). It also finds what stdnum does not cover: interim numbers
(`20000101-T220`, a letter for the first serial digit), the forms spreadsheets make of a number
(`1.91212121212E11`, `191212121212.0`, `501011233` after Excel dropped the leading zero), the
separators people and word processors type (`570428–9999` with an en dash, `570428/9999`,
`57.04.28-9999`, `1957-04-28-9999`) and numbers inside longer text. `is_identity_number` is the
same check for one value.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["INTERIM_LETTERS", "identity_number_mask", "is_identity_number"]

INTERIM_LETTERS = "TRSUWXJKLMN"  # Skatteverket's interim numbers put one of these in the serial
_SPACE = r"[ \t\x{00A0}]"
# A date of 6 or 8 digits, an optional separator, four digits (or an interim letter and three);
# not part of a longer run of digits. Spreadsheets' number forms are handled separately.
_DASH = r"\-\x{2010}-\x{2015}\x{2212}"  # hyphen, the Unicode hyphens and dashes Word and Excel put in, minus
# A date of 6 or 8 digits (or written 57.04.28 / 1957-04-28), an optional separator, four digits
# (or an interim letter and three); not part of a longer run of digits. Spreadsheets' number forms
# are handled separately.
_DATE = rf"\d{{8}}|\d{{6}}|\d{{4}}[{_DASH}./]\d{{2}}[{_DASH}./]\d{{2}}|\d{{2}}[{_DASH}./]\d{{2}}[{_DASH}./]\d{{2}}"
_IN_TEXT = (rf"(?:^|[^\d])(?P<date>{_DATE}){_SPACE}*(?P<sep>[+/{_DASH}]?){_SPACE}*"
            rf"(?P<tail>\d{{4}}|[{INTERIM_LETTERS}{INTERIM_LETTERS.lower()}]\d{{3}})(?:[^\d]|$)")
_PLAIN_NUMBER = r"^\s*\+?(?P<digits>\d{8,10}|\d{12})(?:[.,]0+)?\s*$"
_SCIENTIFIC = r"^\s*\+?\d(?:[.,]\d+)?[eE]\+?\d{1,2}\s*$"
_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


# ---------------------------------------------------------------- a column at once


def _bytes(values: pa.StringArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arrow strings as their byte buffer, each value's start in it and its length in bytes."""
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[values.offset: values.offset + len(values) + 1]
    buffer = values.buffers()[2]
    data = np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else np.zeros(0, dtype=np.uint8)
    return data, offsets[:-1], np.diff(offsets)


def _as_matrix(digits: pa.StringArray) -> tuple[np.ndarray, np.ndarray]:
    """Runs of 8–10 or 12 ASCII digits as (n, 10) digit matrices (short ones padded with the zeros
    Excel dropped) and the century of the 12-digit ones (-1 where the number does not say)."""
    data, starts, lengths = _bytes(digits)
    n = len(digits)
    century = np.full(n, -1, dtype=np.int16)
    if n and lengths[0] == 10 and (lengths == 10).all() and starts[-1] - starts[0] == 10 * (n - 1):
        # The common case (one column of 10-digit numbers, laid out back to back): a reshape.
        return data[starts[0]: starts[0] + 10 * n].reshape(n, 10).astype(np.int16) - 48, century
    matrix = np.zeros((n, 10), dtype=np.int16)
    for length in (8, 9, 10, 12):
        rows = np.flatnonzero(lengths == length)
        if not len(rows):
            continue
        d = data[starts[rows, None] + np.arange(length)[None, :]].astype(np.int16) - 48
        if length == 12:
            century[rows], d = d[:, 0] * 10 + d[:, 1], d[:, 2:]
        matrix[rows, 10 - min(length, 10):] = d
    return matrix, century


def _valid(d: np.ndarray, century: np.ndarray) -> np.ndarray:
    """Vectorised `_valid_scalar` over (n, 10) digit matrices (an interim letter already a 1)."""
    d = d.astype(np.int8)
    yy, mm, dd = d[:, 0] * 10 + d[:, 1], d[:, 2] * 10 + d[:, 3], d[:, 4] * 10 + d[:, 5]
    dd = dd - 60 * (dd > 60)  # samordningsnummer
    known = century >= 0
    leap = yy % 4 == 0  # a short number's century is unknown: 1900 or 2000 for '00', leap in either case
    if known.any():
        year = century.astype(np.int32) * 100 + yy
        leap = np.where(known, (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0)), leap)
    month_ok = (mm >= 1) & (mm <= 12)
    days = _DAYS[np.where(month_ok, mm, 0)] + ((mm == 2) & leap)
    ok = month_ok & (dd >= 1) & (dd <= days) & (~known | ((century >= 18) & (century <= 20)))
    ok &= (d[:, 6] | d[:, 7] | d[:, 8]) != 0  # no serial number is 000
    doubled = d[:, 0::2]
    total = (2 * doubled - 9 * (doubled >= 5)).sum(axis=1, dtype=np.int16) + d[:, 1::2].sum(axis=1, dtype=np.int16)
    return np.asarray(ok & (total % 10 == 0))


def _judge_parts(parts: pa.StructArray) -> np.ndarray:
    """Date and tail groups found by `_IN_TEXT`: valid identity numbers?"""
    # An interim number's letter counts as a 1 for the check digit (Skatteverket).
    tail = pc.replace_substring_regex(pc.utf8_upper(pc.struct_field(parts, "tail")), f"^[{INTERIM_LETTERS}]", "1")
    date = pc.replace_substring_regex(pc.struct_field(parts, "date"), r"[^0-9]", "")
    matrix, century = _as_matrix(pc.binary_join_element_wise(date, tail, ""))
    return _valid(matrix, century)


def _numbers(values: pa.StringArray) -> tuple[np.ndarray, np.ndarray]:
    """Values that are one number: which they are, and which of them are identity numbers. Bare
    digits are read straight from the buffer; `.0`, spaces and scientific notation go through Arrow."""
    lengths = _bytes(values)[2]
    bare = pc.fill_null(pc.ascii_is_decimal(values), False).to_numpy(zero_copy_only=False)
    number, hit = bare.copy(), np.zeros(len(values), dtype=bool)
    rows = np.flatnonzero(bare & np.isin(lengths, (8, 9, 10, 12)))
    hit[rows] = _valid(*_as_matrix(pc.take(values, pa.array(rows, type=pa.int64()))))
    rest = np.flatnonzero(~bare)
    others = pc.take(values, pa.array(rest, type=pa.int64()))
    plain = pc.fill_null(pc.match_substring_regex(others, _PLAIN_NUMBER), False).to_numpy(zero_copy_only=False)
    if plain.any():
        number[rest[plain]] = True
        digits = pc.struct_field(pc.extract_regex(pc.filter(others, pa.array(plain)), _PLAIN_NUMBER), "digits")
        hit[rest[plain]] = _valid(*_as_matrix(digits))
    sci = pc.fill_null(pc.match_substring_regex(others, _SCIENTIFIC), False).to_numpy(zero_copy_only=False)
    if sci.any():
        number[rest[sci]] = True
        cleaned = pc.replace_substring(pc.utf8_trim_whitespace(pc.filter(others, pa.array(sci))), ",", ".")
        floats = pc.cast(pc.replace_substring(cleaned, "+", ""), pa.float64()).to_numpy(zero_copy_only=False)
        whole = (floats >= 1e7) & (floats < 1e12) & (np.floor(floats) == floats)
        text = pa.array(np.where(whole, floats, 0).astype(np.int64).astype(str))
        hit[rest[sci]] = whole & _valid(*_as_matrix(text))
    return number, hit


def identity_number_mask(values: pa.Array) -> np.ndarray:
    """For each value (Arrow strings), whether it is or contains a valid identity number."""
    values = pc.fill_null(pc.cast(values, pa.string()), "")
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    number, hit = _numbers(values)
    remaining = np.flatnonzero(~number)  # a value that is one number was judged whole above
    texts = pc.take(values, pa.array(remaining, type=pa.int64()))
    found = pc.fill_null(pc.match_substring_regex(texts, _IN_TEXT), False).to_numpy(zero_copy_only=False)
    remaining, texts = remaining[found], pc.filter(texts, pa.array(found))
    while len(remaining):  # each pass judges one more number in each value that has one left
        ok = _judge_parts(pc.extract_regex(texts, _IN_TEXT))
        hit[remaining[ok]] = True
        # Look again at the rest of each value, past the number just judged.
        texts = pc.replace_substring_regex(pc.filter(texts, pa.array(~ok)), _IN_TEXT, "", max_replacements=1)
        still = pc.fill_null(pc.match_substring_regex(texts, _IN_TEXT), False).to_numpy(zero_copy_only=False)
        remaining, texts = remaining[~ok][still], pc.filter(texts, pa.array(still))
    return hit


def is_identity_number(text: str) -> bool:
    """True when `text` is, or contains, a valid personnummer, samordningsnummer or interim number."""
    return bool(identity_number_mask(pa.array([str(text)], type=pa.string()))[0])
