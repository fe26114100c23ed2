"""pyproject.toml declares what requirements*.txt pin, and the app imports only what it declares.

`pip install .` must give a working app (ranges in pyproject), `make` an exact, repeatable one
(pins in the requirements files); the two lists say the same thing or one of them is wrong.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Import name -> the declared distribution that provides it, where they differ (pydantic_core and
# markupsafe are parts of pydantic and Jinja2, which require them).
IMPORT_NAMES = {"yaml": "pyyaml", "sklearn": "scikit-learn", "stdnum": "python-stdnum", "markdown_it": "markdown-it-py",
                "pydantic_core": "pydantic", "markupsafe": "jinja2"}
# Runtime packages that reach a dev-only dependency on purpose: the published reference the
# segment model is compared with (tests and benchmarks import it; the app never does).
DEV_ONLY_IMPORTERS = {"segments/reference.py"}


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-r"):
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"{name}: {line} is not an exact pin"
            pins[canonicalize_name(req.name)] = spec.version
    return pins


def _declared(items: list[str]) -> dict[str, Requirement]:
    return {canonicalize_name(r.name): r for r in map(Requirement, items)}


RUNTIME = _declared(PYPROJECT["project"]["dependencies"])
DEV = _declared(PYPROJECT["project"]["optional-dependencies"]["dev"])


@pytest.mark.parametrize(("requirements", "declared"), [("requirements.txt", RUNTIME), ("requirements-dev.txt", DEV)])
def test_every_pin_is_declared_and_inside_its_range(requirements, declared):
    pins = _pins(requirements)
    assert set(pins) == set(declared)
    outside = {n: v for n, v in pins.items() if not declared[n].specifier.contains(v)}
    assert outside == {}


def _third_party_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    first_party = {"common", "segments", "campaigns", "app_pages", "app", "server", "deploy", "tests"}
    return {n for n in found if n not in first_party and n not in sys.stdlib_module_names}


def test_the_app_imports_only_runtime_dependencies():
    files = [ROOT / "app.py", ROOT / "server.py",
             *(p for pkg in ("common", "segments", "campaigns", "app_pages") for p in (ROOT / pkg).rglob("*.py"))]
    undeclared = {}
    for path in files:
        rel = str(path.relative_to(ROOT))
        allowed = set(RUNTIME) | (set(DEV) if rel in DEV_ONLY_IMPORTERS else set())
        missing = {n for n in _third_party_imports(path)
                   if canonicalize_name(IMPORT_NAMES.get(n.lower(), n)) not in allowed}
        if missing:
            undeclared[rel] = sorted(missing)
    assert undeclared == {}


def test_dev_only_dependencies_are_not_runtime_ones():
    assert set(RUNTIME) & set(DEV) == set()
    assert "scikit-learn" in DEV and "websockets" in DEV


def test_the_import_scan_sees_a_stray_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import os\nfrom sklearn.base import BaseEstimator\nfrom .x import y\n", encoding="utf-8")
    assert _third_party_imports(probe) == {"sklearn"}
