"""One way from a name (a municipality, an e-service, a segment) to a file name.

The name is the user's; the file name must be safe on every file system, readable, short and
unique: Håbo (0305) and Habo (0643) are both real municipalities and must not share a calendar.
A stable key — the kommunkod, the e-service key, the segment number — goes first, so two names
never meet in one file; the readable part is transliterated (`Αθήνα` → `athina`, `Москва` →
`moskva`), and whatever cannot be kept readable (no key and a lossy transliteration, a name cut
to length) gets a short fingerprint of the original name so it stays distinct.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from anyascii import anyascii

__all__ = ["MAX_STEM", "file_stem"]

MAX_STEM = 60
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def _fingerprint(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", anyascii(text).lower()).strip("-")


def file_stem(name: str, *, key: str | int | None = None, limit: int = MAX_STEM) -> str:
    """'Håbo', key '0305' → '0305-habo'; 'Äldre seniorer', key 3 → '3-aldre-seniorer'.

    Safe characters only (a–z, 0–9, "_", "-"), at most `limit` characters. With a key unique among
    its kind the result is unique; without one, a name the slug does not spell exactly (case,
    accents, other scripts, length) carries a fingerprint of the original so it stays distinct.
    """
    name = unicodedata.normalize("NFC", str(name))
    prefix = _slug(str(key)) if key is not None else ""
    readable = _slug(name)
    exact = readable == name and readable not in _RESERVED
    room = limit - (len(prefix) + 1 if prefix else 0)
    if (not prefix and not exact) or len(readable) > room or not readable:
        room -= 7  # '-' and six hex digits
        readable = "-".join(p for p in (readable[:max(room, 0)].strip("-"), _fingerprint(name)) if p)
    return "-".join(p for p in (prefix, readable) if p)[:limit].strip("-")
