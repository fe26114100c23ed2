"""The layers hold for every import, at module level and inside functions.

The core (`segments`, `campaigns`, `common`) never imports Streamlit or the pages; `common`
imports neither domain package; `segments` never imports `campaigns`; and no module imports
itself back through others (a cycle hidden by a function-level import is still a cycle).
The graph is built from the source with `ast`, so nothing is imported to check it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ("common", "segments", "campaigns")
UI = ("streamlit", "app_pages", "app", "server")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    """The core's modules and the pages' (the cycle check covers both)."""
    return {_module_name(p): p for package in (*CORE, "app_pages") for p in sorted((ROOT / package).rglob("*.py"))}


MODULES = _modules()


@cache
def _import_nodes(path: Path) -> tuple[ast.Import | ast.ImportFrom, ...]:
    return tuple(n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(n, (ast.Import, ast.ImportFrom)))


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every module `name` imports (absolute, dotted), with the line; `from x import y` yields
    `x.y` when y is a module of ours, else `x`."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _import_nodes(path):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield (sub if sub in MODULES else target), node.lineno


@lru_cache(maxsize=1)
def _graph() -> dict[str, set[str]]:
    return {name: {t for t, _ in _imports(name, path) if t in MODULES and t != name}
            for name, path in MODULES.items()}


def _offenders(importers: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for name, path in MODULES.items():
        if name.split(".")[0] not in importers:
            continue
        for target, line in _imports(name, path):
            if target.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    return found


def test_the_walk_sees_imports_inside_functions(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import os\n\ndef f():\n    from campaigns.store import Store\n"
                     "    from .model import x\n", encoding="utf-8")
    found = {t for t, _ in _imports("segments.probe", probe)}
    assert found == {"os", "campaigns.store", "segments.model"}


def test_core_never_imports_streamlit_or_pages():
    assert _offenders(CORE, UI) == []


def test_common_imports_neither_domain_package():
    assert _offenders(("common",), ("segments", "campaigns")) == []


def test_segments_never_imports_campaigns():
    assert _offenders(("segments",), ("campaigns",)) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_between_modules():
    assert _cycles(_graph()) == []


@pytest.mark.parametrize(("graph", "expected"), [
    ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
])
def test_the_cycle_finder_finds_cycles(graph, expected):
    assert _cycles(graph) == expected


def test_the_graph_resolves_relative_and_function_level_imports():
    graph = _graph()
    # `from .render import Draft` in campaigns/drafts/__init__.py resolves to the module.
    assert "campaigns.drafts.render" in graph["campaigns.drafts"]
    # Every core module is in the graph, and some import common.
    assert set(graph) == set(MODULES)
    assert any("common.catalogue" in targets for targets in graph.values())
