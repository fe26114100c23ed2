"""YAML from users (rules, segment sets, campaigns, regions, kits), read within bounds.

A user file may not use anchors or aliases (an "alias bomb" expands a few KB into gigabytes),
may not nest deeper than MAX_DEPTH, and may not be larger than MAX_YAML_BYTES; only regular
files are read (not folders, not /dev/zero). Every number is finite and within ±MAX_YAML_NUMBER
(a 5,000-digit integer would otherwise stop Python's int() with a ValueError, and `.inf` or 1e308
would reach a budget or a count). Every refusal is an InputError that says where.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import yaml

from .catalogue import Num, Raw
from .errors import InputError, problem
from .limits import MAX_YAML_NUMBER

__all__ = ["MAX_DEPTH", "MAX_YAML_BYTES", "load_yaml_file", "load_yaml_text", "read_user_text"]

MAX_YAML_BYTES = int(os.environ.get("KAMPANJ_MAX_YAML_BYTES", 2 << 20))
MAX_DEPTH = 32


class _Refused(Exception):
    def __init__(self, code: str, line: int):
        super().__init__(code)
        self.code = code
        self.line = line


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases and deep nesting while composing."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused("yaml_alias", event.start_mark.line + 1)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused("yaml_too_deep", event.start_mark.line + 1)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


    def construct_yaml_int(self, node: Any) -> Any:
        # Checked on the text first: int() of 4,301 digits raises (and costs quadratic time before that).
        if len(str(node.value)) > _MAX_NUMBER_TEXT:
            raise _Refused("yaml_number", node.start_mark.line + 1)
        return _in_range(super().construct_yaml_int(node), node)

    def construct_yaml_float(self, node: Any) -> Any:
        if len(str(node.value)) > _MAX_NUMBER_TEXT:
            raise _Refused("yaml_number", node.start_mark.line + 1)
        return _in_range(super().construct_yaml_float(node), node)


    def construct_yaml_timestamp(self, node: Any) -> Any:
        # '2027-02-30' matches YAML's date pattern but is no date: datetime() raises ValueError.
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise _Refused("yaml_bad_date", node.start_mark.line + 1) from None


_MAX_NUMBER_TEXT = 40  # characters of one number: '1_000_000_000_000_000.000_000' fits with room


def _in_range(value: Any, node: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value) or abs(value) > MAX_YAML_NUMBER:
        raise _Refused("yaml_number", node.start_mark.line + 1)
    return value


_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _BoundedLoader.construct_yaml_int)
_BoundedLoader.add_constructor("tag:yaml.org,2002:float", _BoundedLoader.construct_yaml_float)
_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _BoundedLoader.construct_yaml_timestamp)


class _TextDatesLoader(_BoundedLoader):
    """Leaves dates as text, so that a schema (not PyYAML) judges them and '2027-13-01' gets a
    located message instead of a crash."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml_text(text: str, source: str, *, dates_as_text: bool = False) -> Any:
    """Parse YAML text from a user; InputError (located by line) for anything refused."""
    if len(text.encode("utf-8", errors="replace")) > MAX_YAML_BYTES:
        raise InputError([problem("file_too_large", where=source, limit=MAX_YAML_BYTES // 1024)])
    loader = None
    try:
        # The loader checks the characters as it is made: a NUL byte is a YAML error there.
        loader = (_TextDatesLoader if dates_as_text else _BoundedLoader)(text)
        return loader.get_single_data()
    except _Refused as refused:
        raise InputError([problem(refused.code, where=f"{source}:{refused.line}", depth=MAX_DEPTH,
                                  limit=Num(MAX_YAML_NUMBER))]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        detail = str(getattr(exc, "problem", "") or getattr(exc, "reason", "") or "")
        raise InputError([problem("bad_yaml", where=where, detail=Raw(detail))]) from None
    except RecursionError:
        raise InputError([problem("yaml_too_deep", where=source, depth=MAX_DEPTH)]) from None
    finally:
        if loader is not None:
            loader.dispose()


def read_user_text(path: str | Path, *, limit: int = MAX_YAML_BYTES) -> str:
    """A regular file's text (UTF-8), refused with a located message if it is anything else."""
    p = Path(path)
    try:
        if not p.exists():
            raise InputError([problem("no_such_file", where=str(p))])
        if not p.is_file():
            raise InputError([problem("not_a_file", where=str(p))])
        if p.stat().st_size > limit:
            raise InputError([problem("file_too_large", where=str(p), limit=limit // 1024)])
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError([problem("unreadable_file", where=str(p), detail=exc.strerror or "")]) from None
    if len(data) > limit:
        raise InputError([problem("file_too_large", where=str(p), limit=limit // 1024)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([problem("not_utf8", where=str(p), position=exc.start)]) from None


def load_yaml_file(path: str | Path, *, dates_as_text: bool = False) -> Any:
    """Read and parse a user's YAML file within the bounds above."""
    return load_yaml_text(read_user_text(path), str(path), dates_as_text=dates_as_text)
