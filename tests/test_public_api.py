"""Each package names what others may use, and others use only that.

`common`, `segments` and `campaigns` have a lazy face (`common.faces`): `from campaigns import Store`
works and `import campaigns` imports nothing else. Every name the app (app.py, server.py,
app_pages), deploy, benchmarks or another core package imports from a package must be on that
package's face; a new use across packages means adding the name to the face on purpose.
The subpackages `campaigns.drafts`, `campaigns.schedule`, `campaigns.usage` and
`segments.statistics` list theirs in `__all__` too. Drafts are built by keyword.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import importlib
import importlib.util
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOPS = ("common", "segments", "campaigns")
SUBPACKAGES = ("campaigns.drafts", "campaigns.schedule", "campaigns.usage", "segments.statistics")
# Names that are also the name of their own module (campaigns.data_fit.data_fit …): a package
# attribute of that name is the submodule once it is imported, so they cannot be on the face and
# are imported from their module until renamed (see the lead's rename list).
SAME_AS_MODULE = {("campaigns", "data_fit"), ("campaigns", "relevance"), ("segments", "kmeans")}


def _users() -> list[Path]:
    files = [ROOT / "app.py", ROOT / "server.py"]
    for folder in ("app_pages", "deploy", "benchmarks", *TOPS):
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent is a module, not a package
        return False


def _uses_across_packages() -> list[tuple[str, str, str, str]]:
    """(user file:line, top package, module imported from, name) for every `from X import Y` where
    X is in another top package than the user's (relative imports resolved)."""
    found = []
    for path in _users():
        me = _module_name(path)
        package = me if path.name == "__init__.py" else me.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            top = module.split(".")[0]
            if top in TOPS and me.split(".")[0] != top and not module.endswith("__main__"):
                for alias in node.names:
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", top, module, alias.name))
    return found


def test_every_name_used_across_packages_is_on_the_face():
    faces = {top: set(importlib.import_module(top).__all__) for top in TOPS}
    missing = sorted({f"{where}: {module}.{name} -> add {name!r} to {top}/__init__.py _FACE"
                      for where, top, module, name in _uses_across_packages()
                      if name not in faces[top] and (top, name) not in SAME_AS_MODULE
                      and not _is_module(f"{module}.{name}")})
    assert missing == []


def test_the_scan_sees_relative_and_absolute_imports():
    uses = {(top, module, name) for _, top, module, name in _uses_across_packages()}
    assert ("campaigns", "campaigns.store", "Store") in uses or ("campaigns", "campaigns", "Store") in uses
    assert any(top == "common" and name == "Msg" for top, _, name in uses)


@pytest.mark.parametrize("package", TOPS + SUBPACKAGES)
def test_each_face_is_sorted_unique_and_resolves(package):
    module = importlib.import_module(package)
    names = list(module.__all__)
    assert len(names) == len(set(names))
    if package in TOPS:
        assert names == sorted(names)
    for name in names:
        value = getattr(module, name)
        defined_in = getattr(value, "__module__", None)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert defined_in is not None and defined_in.split(".")[0] == package.split(".")[0], (name, defined_in)


@pytest.mark.parametrize("package", TOPS)
def test_names_not_on_the_face_are_refused(package):
    module = importlib.import_module(package)
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018


def test_importing_the_packages_imports_nothing_else():
    code = ("import sys, common, segments, campaigns; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('common', 'segments', 'campaigns')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert eval(out) == ["campaigns", "common", "common.faces", "segments"]  # noqa: S307 - our own print


def test_a_draft_is_built_by_keyword_only():
    from campaigns.drafts import Draft, render_draft
    from campaigns.drafts.context import context

    assert all(f.kw_only for f in dataclasses.fields(Draft))
    with pytest.raises(TypeError):
        Draft("Kil", "1715")  # type: ignore[misc]
    params = inspect.signature(render_draft).parameters
    assert [p for p, v in params.items() if v.kind is not inspect.Parameter.KEYWORD_ONLY] == ["region", "campaign"]
    assert all(v.kind is inspect.Parameter.KEYWORD_ONLY for v in inspect.signature(context).parameters.values())


def test_render_draft_by_keyword(varmland):
    from campaigns.drafts import render_draft

    campaign, region, segments = varmland
    e = campaign.e_services[0]
    kil = region.municipality("Kil")
    d = render_draft(region, campaign, e_service=e, municipality=kil, channel=region.channel("web"),
                     segment=segments.segments[0], segment_set=segments, go_live=e.go_live or dt.date(2027, 3, 1))
    assert (d.municipality, d.e_service, d.segment, d.channel) == ("Kil", e.key, segments.segments[0].id, "web")
    with pytest.raises(TypeError):
        render_draft(region, campaign, e, kil)  # type: ignore[misc]
