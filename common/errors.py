"""Problems with a user's input as records: what (a catalogue id and its values), where, and
what to do — never the offending value when it could identify someone.

The CLI and the app word them through the catalogue (`common.catalogue.render`), so a refusal
reads the same in both and in either language, and nothing here is a finished sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .catalogue import ListOf, Msg, render

__all__ = ["InputError", "Notice", "Problem", "problem", "refuse", "unreadable"]

MAX_ROWS_SHOWN = 5

# Something the user should know that did not stop the work: just a message.
Notice = Msg


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    `msg` says what (its code is the problem's kind), `where` locates it in a file that is not
    a table (`kampanj.yaml, e_services[0].go_live`), `column` and `rows` locate it in a table
    (row numbers as the file numbers them), `hint` says what to do.
    """

    msg: Msg
    column: str | None = None
    rows: tuple[int, ...] = ()
    row_count: int = 0
    hint: Msg | None = None
    where: str | None = None

    @property
    def code(self) -> str:
        return self.msg.code

    def text(self, lang: str = "sv") -> str:
        parts = []
        if self.where:
            parts.append(f"{self.where}: ")
        parts.append(render(self.msg, lang))
        if self.rows:
            total = max(self.row_count, len(self.rows))
            shown = self.rows[:MAX_ROWS_SHOWN]
            more = total - len(shown)
            parts.append(" (" + render(Msg("rows_more" if more > 0 else "rows", n=total,
                                           rows=ListOf(tuple(str(r) for r in shown)), more=more), lang) + ")")
        if self.hint is not None:
            parts.append(" " + render(self.hint, lang))
        return "".join(parts)


def problem(code: str, *, column: str | None = None, rows: Iterable[int] = (), row_count: int = 0,
            hint: str | Msg | None = None, where: str | None = None, **values: Any) -> Problem:
    """Shorthand: `problem("bad_value", column="kön", rows=[3, 7], hint="fix_cells", expected=...)`."""
    rows = tuple(rows)
    return Problem(Msg(code, **values), column, rows[:MAX_ROWS_SHOWN], max(row_count, len(rows)),
                   Msg(hint) if isinstance(hint, str) else hint, where)


@dataclass
class InputError(Exception):
    """The input was refused; nothing has been written."""

    problems: list[Problem]
    footer: Msg | None = None
    context: dict[str, Any] = field(default_factory=dict)  # structured extras a page may use (e.g. headers)

    def __post_init__(self) -> None:
        super().__init__(self.text("en"))

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.problems}

    def text(self, lang: str = "sv") -> str:
        lines = [f"- {p.text(lang)}" for p in self.problems]
        if self.footer is not None:
            lines.append(render(self.footer, lang))
        return "\n".join(lines)

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.text("en")


def refuse(code: str, **kwargs: Any) -> InputError:
    """An InputError with one problem: `raise refuse("unreadable", where=path, detail=...)`."""
    return InputError([problem(code, **kwargs)])


def unreadable(name: str, reason: str, **values: Any) -> InputError:
    """The file cannot be read at all; `reason` is a catalogue id (`unreadable.empty` …)."""
    return InputError([problem("unreadable", reason=Msg(reason, **values), hint="hint_save_as")])
