"""Municipality labels in citizen files and statistics, read against Sweden's official list.

A file may name a municipality by its 4-digit code (leading zeros optional) or its name in any
case, with or without accents or "kommun"; profiles show the short name (`Karlstad`). The list
is `data/municipalities/sweden.csv` (`common.municipality_list`): anything not on it is no
municipality, and the caller refuses it without quoting it.
"""

from __future__ import annotations

from common.municipality_list import lookup

__all__ = ["municipality_name"]


def municipality_name(value: str) -> str | None:
    """The short name of the municipality a code or name denotes; None when it is none of the 290."""
    found = lookup(value)
    return found.name if found else None

