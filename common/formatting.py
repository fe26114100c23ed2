"""Numbers, money, shares and dates as the language writes them (Babel), for the edges.

Pages and exports call these; the core hands over typed values (`Num`, `Pct`, `Money`, `Day`)
inside messages instead, so it never formats for a language itself.
"""

from __future__ import annotations

import datetime as dt

from .catalogue import Day, Money, Num, Pct, fmt_value

__all__ = ["fmt_date", "fmt_dec", "fmt_int", "fmt_money", "fmt_pct"]


def fmt_int(x: float, lang: str = "sv") -> str:
    """12 345 (sv) / 12,345 (en)."""
    return fmt_value(Num(x), lang)


def fmt_dec(x: float, lang: str = "sv", digits: int = 1) -> str:
    """3,5 (sv) / 3.5 (en)."""
    return fmt_value(Num(x, digits), lang)


def fmt_pct(x: float, lang: str = "sv") -> str:
    """61 % (sv) / 61% (en)."""
    return fmt_value(Pct(x), lang)


def fmt_money(x: float, lang: str = "sv") -> str:
    """240 000 kr (sv) / 240,000 SEK (en)."""
    return fmt_value(Money(x), lang)


def fmt_date(d: dt.date, lang: str = "sv", style: str = "long") -> str:
    """16 mars 2027 (sv) / 16 March 2027 (en); style short, weekday or iso."""
    return fmt_value(Day(d, style), lang)  # type: ignore[arg-type]
