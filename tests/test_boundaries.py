"""The core never imports Streamlit (the UI calls the core, not the other way round)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_packages_do_not_import_streamlit():
    offenders = []
    for package in ("segments", "campaigns"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                if any(n.split(".")[0] == "streamlit" for n in names):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
