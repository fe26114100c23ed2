"""Checks on command-line options, made before any work starts, so that a bad option is a
located message and exit code 2 — not a traceback halfway, and never a half-written output.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from .catalogue import Num
from .errors import Problem, problem

__all__ = ["check_number", "check_output_file", "check_output_folder"]


def check_number(value: float, option: str, low: float, high: float) -> list[Problem]:
    """A finite number from `low` to `high` (NaN, infinities and out-of-range values refused)."""
    if not (math.isfinite(value) and low <= value <= high):
        return [problem("option_range", option=option, low=Num(low), high=Num(high))]
    return []


def _existing_ancestor(path: Path) -> Path:
    for parent in path.parents:
        if parent.exists():
            return parent
    return Path(".")


def _parent_problems(path: Path, option: str) -> list[Problem]:
    ancestor = _existing_ancestor(path.absolute())
    if not ancestor.is_dir():
        return [problem("output_bad_parent", where=str(path), option=option, parent=str(ancestor))]
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return [problem("output_not_writable", where=str(path), option=option)]
    return []


def check_output_file(path: str | Path, option: str, *, inputs: tuple[str | Path | None, ...] = ()) -> list[Problem]:
    """A file that can be written: not a folder, not under a file, not one of the inputs."""
    if not str(path).strip():
        return [problem("output_empty", option=option)]
    p = Path(path)
    if p.is_dir():
        return [problem("output_is_folder", where=str(p), option=option)]
    if p.exists() and not p.is_file():
        return [problem("not_a_file", where=str(p))]
    for source in inputs:
        if source is not None and Path(source).exists() and p.exists() and p.samefile(source):
            return [problem("output_is_input", where=str(p), option=option)]
    return _parent_problems(p, option)


def check_output_folder(path: str | Path, option: str) -> list[Problem]:
    """A folder to write into: it may not exist yet, but it may not be a file."""
    if not str(path).strip():
        return [problem("output_empty", option=option)]
    p = Path(path)
    if p.exists() and not p.is_dir():
        return [problem("output_not_folder", where=str(p), option=option)]
    if p.is_dir():
        return [] if os.access(p, os.W_OK | os.X_OK) else [problem("output_not_writable", where=str(p), option=option)]
    return _parent_problems(p, option)
