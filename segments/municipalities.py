"""Kommunkoder for the municipalities the bundled sample regions use.

A file may name a municipality by its 4-digit code or its name; profiles show names. Codes that
are not listed here are kept as they are (with their leading zeros).
"""

from __future__ import annotations

__all__ = ["MUNICIPALITY_NAMES", "municipality_label"]

MUNICIPALITY_NAMES: dict[str, str] = {
    # Värmlands län
    "1715": "Kil", "1730": "Eda", "1737": "Torsby", "1760": "Storfors", "1761": "Hammarö",
    "1762": "Munkfors", "1763": "Forshaga", "1764": "Grums", "1765": "Årjäng", "1766": "Sunne",
    "1780": "Karlstad", "1781": "Kristinehamn", "1782": "Filipstad", "1783": "Hagfors",
    "1784": "Arvika", "1785": "Säffle",
    # Östergötlands and Kalmar län (the IT federation around Åtvidaberg)
    "0509": "Ödeshög", "0512": "Ydre", "0513": "Kinda", "0560": "Boxholm", "0561": "Åtvidaberg",
    "0884": "Vimmerby",
}


def municipality_label(value: str) -> str:
    """Name for a known kommunkod, else the value itself (codes padded to four digits)."""
    text = value.strip()
    if text.isdigit() and len(text) <= 4:
        text = text.zfill(4)
        return MUNICIPALITY_NAMES.get(text, text)
    return text
