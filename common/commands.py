"""How every command-line command ends: its result, or — for anything refused — a located message
on stderr and exit code 2, never a traceback.

`run_command` wraps a command function. A refused input (InputError) is printed in the
command's language; an operating-system error the checks could not foresee (a disk that fills,
a folder that vanishes, a path that is a device) is worded with the path it concerns. Both say
that nothing was written: outputs are staged (common.outputs), so a refusal leaves no file.
Errors of any other kind are programming errors and are not hidden.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable

from .catalogue import Raw, render
from .errors import InputError, problem

__all__ = ["bounded_int", "run_command"]


def run_command(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """`func(args)`, with refusals as located messages and exit code 2."""
    lang = getattr(args, "lang", "en")
    try:
        return int(func(args))
    except InputError as err:
        print(err.text(lang), file=sys.stderr)
    except OSError as exc:
        where = str(exc.filename) if exc.filename is not None else None
        refusal = InputError([problem("os_failed", where=where, detail=Raw(exc.strerror or type(exc).__name__))])
        print(refusal.text(lang), file=sys.stderr)
    print(render("cli.nothing_written", lang), file=sys.stderr)
    return 2


_WHOLE = re.compile(r"[+-]?[0-9]{1,19}")


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high` (argparse names the option and exits
    with 2 otherwise); a 5,000-digit number is refused by its length before int() sees it."""

    def parse(text: str) -> int:
        stripped = text.strip()
        if not _WHOLE.fullmatch(stripped):
            raise argparse.ArgumentTypeError(f"use a whole number from {low} to {high}")
        value = int(stripped)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"use a whole number from {low} to {high}")
        return value

    parse.__name__ = "whole number"
    return parse
