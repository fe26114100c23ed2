"""The README's module map and the documents name only modules and paths that exist.

Checked: every dotted name of ours (`campaigns.store`, `common.filenames.file_stem`, also inside
the data-flow picture), every path under a folder of the project in backticks
(`app_pages/state.py`, `data/regions/`), and every relative Markdown link. Only the documents
other branches are writing may be missing until they are merged (FUTURE_DOCS).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Written on other branches at the same time as this test; they exist once those are merged.
FUTURE_DOCS = {"docs/caching.md", "docs/gate.md", "docs/bounds.md", "docs/working-together.md",
               "docs/segments-method.md", "docs/evaluation-method.md", "docs/national.md"}
PACKAGES = ("common", "segments", "campaigns", "app_pages")
FOLDERS = ("app_pages/", "benchmarks/", "campaigns/", "common/", "data/", "deploy/", "docs/", "locale/",
           "segments/", "templates/", "tests/", ".ci/", ".streamlit/")
ROOT_FILES = {"app.py", "server.py", "Makefile", "pyproject.toml", "requirements.txt", "requirements-dev.txt",
              "README.md"}
DOTTED = re.compile(r"\b(?:common|segments|campaigns|app_pages)(?:\.[A-Za-z_][A-Za-z0-9_]*)+\b")


def _resolves(dotted: str) -> bool:
    """A module, or a name defined in one (`common.filenames.file_stem`)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        try:
            for attr in parts[cut:]:
                value = getattr(value, attr)
        except AttributeError:
            return False
        return True
    return False


def _names(text: str) -> set[str]:
    """Dotted names in backticks and in fenced code blocks (the data-flow picture)."""
    found = set()
    for code in re.findall(r"`([^`\n]+)`", text) + re.findall(r"```.*?```", text, flags=re.S):
        found |= {m for m in DOTTED.findall(code) if not m.endswith((".py", ".md", ".yaml"))}
    return found


def _paths(text: str) -> set[str]:
    found = set()
    for token in re.findall(r"`([^`\n]+)`", text):
        if any(c in token for c in " <>*…$=") or token.startswith("/"):
            continue
        token = token.split("::")[0]  # a test's node id names its file
        if token.startswith(FOLDERS) or token in ROOT_FILES:
            found.add(token)
    return found


def _links(path: Path, text: str) -> set[str]:
    """Relative Markdown links, as paths from the project root."""
    out = set()
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" in target or target.startswith("mailto:"):
            continue
        out.add(str((path.parent / target).resolve().relative_to(ROOT)))
    return out


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_named_modules_exist(document):
    missing = sorted(n for n in _names(document.read_text(encoding="utf-8")) if not _resolves(n))
    assert missing == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_named_paths_and_links_exist(document):
    text = document.read_text(encoding="utf-8")
    named = _paths(text) | _links(document, text)
    missing = sorted(p for p in named if not (ROOT / p).exists() and p not in FUTURE_DOCS)
    assert missing == []


def test_the_readme_keeps_its_map_and_links_every_document():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(_names(text)) >= 40  # the data-flow picture names the modules
    linked = _links(ROOT / "README.md", text)
    ours = {str(p.relative_to(ROOT)) for p in DOCUMENTS if p.name != "README.md"}
    assert ours | FUTURE_DOCS <= linked
    assert [line for line in text.splitlines() if line.startswith("make ")] == [
        "make run     # creates .venv, installs, opens the app on the bundled sample region",
        "make test    # creates/updates .venv, runs ruff and mypy, then the whole test suite"]


def test_the_checks_catch_what_does_not_exist():
    assert _resolves("campaigns.store.Store") and _resolves("common.filenames.file_stem")
    assert not _resolves("campaigns.no_such_module") and not _resolves("campaigns.store.NoSuchName")
    text = "`campaigns.nothing_here` and `app_pages/nothing.py` and [x](docs/nothing.md)\n```\n  segments.gone\n```"
    assert _names(text) == {"campaigns.nothing_here", "segments.gone"}
    assert _paths(text) == {"app_pages/nothing.py"}
    assert _links(ROOT / "README.md", text) == {"docs/nothing.md"}
