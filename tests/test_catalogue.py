"""One message layer: every id the code uses is in both catalogues, with the same placeholders."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from common.catalogue import LANGS, catalogue_ids, render

ROOT = Path(__file__).resolve().parent.parent
CALLS = {"Msg", "problem", "Notice", "refuse", "because", "render", "t", "Problem", "unreadable"}


def _used_ids() -> set[tuple[str, str]]:
    """(file, id) for every string literal given as the id of a message, problem or UI text."""
    found = set()
    for folder in ("common", "segments", "campaigns", "app_pages", "app.py"):
        paths = [ROOT / folder] if folder.endswith(".py") else sorted((ROOT / folder).rglob("*.py"))
        for path in paths:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.id if isinstance(node.func, ast.Name) else (
                    node.func.attr if isinstance(node.func, ast.Attribute) else "")
                if name not in CALLS:
                    continue
                literal = [a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if name == "unreadable" and len(literal) >= 1:
                    literal = literal[-1:]  # unreadable(name, "unreadable.<reason>")
                if literal and re.fullmatch(r"[a-z][a-z0-9_.]*", literal[0].value):
                    found.add((path.name, literal[0].value))
                for kw in node.keywords:
                    if kw.arg == "hint" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                        found.add((path.name, kw.value.value))
    return found


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_both_languages_have_the_same_ids_and_placeholders():
    sv, en = catalogue_ids("sv"), catalogue_ids("en")
    assert set(sv) == set(en), set(sv) ^ set(en)
    for key in sv:
        assert all(sv[key]) and all(en[key]), f"{key} has an empty translation"
        assert {f for s in sv[key] for f in _fields(s)} == {f for s in en[key] for f in _fields(s)}, key


def test_every_id_the_code_uses_is_in_the_catalogue():
    known = set(catalogue_ids("sv"))
    missing = sorted((f, i) for f, i in _used_ids() if i not in known)
    assert not missing, missing


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms_follow_the_count(lang):
    one = render("notice.small_merged", lang, n=1, minimum=30)
    many = render("notice.small_merged", lang, n=3, minimum=30)
    assert one != many and "1" in one and "3" in many


def test_no_id_is_defined_in_two_files():
    """The .po files of a language are merged into one catalogue: an id in two files would make one
    text silently replace the other (the Data page once showed 'rad {rows}' as a label)."""
    from babel.messages.pofile import read_po

    from common.catalogue import LOCALE_DIR

    for lang in LANGS:
        owner: dict[str, str] = {}
        for path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
            with path.open("rb") as fh:
                for m in read_po(fh, locale=lang):
                    key = m.id if isinstance(m.id, str) else m.id[0]
                    if key:
                        assert key not in owner, f"{lang}: {key!r} is in both {owner[key]} and {path.name}"
                        owner[key] = path.name
