"""How an uploaded file is named inside the product: by its content, never by its file name.

A file name is the officer's and may be anything — "Anna 570428-9999.csv" included — so it is
neither shown, stored in the shared working state nor put in a message. An upload is known by a
neutral label made from its digest and size (`fil-3f2a9c1b.csv`, 12 kB), which the officer may
replace with a label of their own; that label is screened like any value (`label_problem`).
Only the suffix of the real name is kept, because it tells the reader the format.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

import pyarrow as pa

from .personal_detection import personal_values

__all__ = ["MAX_LABEL", "SUFFIXES", "label_problem", "neutral_name"]

SUFFIXES = frozenset({".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet", ".pq", ".yaml", ".yml"})
MAX_LABEL = 40
_NAME = re.compile(r"[A-ZÅÄÖÉÜ][a-zåäöéü]+[ -]+[A-ZÅÄÖÉÜ][a-zåäöéü]+")  # "Anna Andersson"


def neutral_name(filename: str | None, data: bytes) -> str:
    """`fil-<first 8 hex digits of the sha1 of the bytes><suffix>`: the same file always gets the
    same label, and nothing of the real name but a known suffix survives."""
    suffix = PurePath(filename or "").suffix.lower()
    digest = hashlib.sha1(data).hexdigest()[:8]
    return f"fil-{digest}{suffix if suffix in SUFFIXES else ''}"


def label_problem(label: str) -> str | None:
    """Why an officer's own label for an upload cannot be kept ('empty', 'too_long', 'personal'),
    or None when it can."""
    text = label.strip()
    if not text:
        return "empty"
    if len(text) > MAX_LABEL:
        return "too_long"
    if personal_values(pa.array([text], type=pa.string())) or _NAME.search(text):
        return "personal"
    return None
