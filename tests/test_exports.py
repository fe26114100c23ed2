"""Each module's __all__ names exactly its public functions and classes (httpx's habit)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts)
    for pkg in ("common", "segments", "campaigns")
    for p in (ROOT / pkg).rglob("*.py")
    if p.name not in ("__main__.py",)
)


@pytest.mark.parametrize("name", MODULES)
def test_all_lists_the_public_api(name):
    module = importlib.import_module(name.removesuffix(".__init__"))
    listed = set(getattr(module, "__all__", ()))
    for item in listed:
        assert hasattr(module, item), f"{name}.__all__ names {item}, which does not exist"
    if name.endswith("__init__"):
        return
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    public = {n.name for n in tree.body
              if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")}
    assert public <= listed, f"{name}: public but not in __all__: {sorted(public - listed)}"
