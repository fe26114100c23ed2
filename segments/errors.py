"""Problems with a user's input, worded for people in Swedish and English.

Every refusal carries the column, the first offending rows and what to do, so that the CLI and
the app can show it without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "InputError", "Notice", "format_rows"]

MAX_ROWS_SHOWN = 5


def format_rows(rows: list[int] | tuple[int, ...], total: int = 0, lang: str = "sv") -> str:
    """'raderna 3, 7, 9 och 12 till' / 'rows 3, 7, 9 and 12 more' (row numbers as in the file)."""
    total = max(total, len(rows))
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_SHOWN])
    rest = total - min(len(rows), MAX_ROWS_SHOWN)
    word = ("rad" if total == 1 else "raderna") if lang == "sv" else ("row" if total == 1 else "rows")
    if rest > 0:
        more = f" och {rest} till" if lang == "sv" else f" and {rest} more"
        return f"{word} {shown}{more}"
    return f"{word} {shown}"


@dataclass(frozen=True)
class Notice:
    """Something the user should know that did not stop the work."""

    sv: str
    en: str

    def text(self, lang: str = "sv") -> str:
        return self.sv if lang == "sv" else self.en


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: what, where, and what to do about it."""

    code: str
    sv: str
    en: str
    column: str | None = None
    rows: tuple[int, ...] = ()
    row_count: int = 0
    hint_sv: str = ""
    hint_en: str = ""

    def text(self, lang: str = "sv") -> str:
        message = self.sv if lang == "sv" else self.en
        hint = self.hint_sv if lang == "sv" else self.hint_en
        where = ""
        if self.rows:
            where = f" ({format_rows(list(self.rows), self.row_count, lang)})"
        return f"{message}{where}" + (f" {hint}" if hint else "")


@dataclass
class InputError(Exception):
    """The input was refused; nothing has been written."""

    problems: list[Problem]
    footer_sv: str = ""
    footer_en: str = ""

    def __post_init__(self) -> None:
        super().__init__(self.text("en"))

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.problems}

    def text(self, lang: str = "sv") -> str:
        lines = [f"- {p.text(lang)}" for p in self.problems]
        footer = self.footer_sv if lang == "sv" else self.footer_en
        return "\n".join(lines + ([footer] if footer else []))

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.text("en")
