"""Data page step "Koppla kolumner": every column the contract does not recognise, with a suggestion.

The suggestion comes from the core (`segments.mapping`: header words and answers, with a reason and
an answer mapping); the officer confirms or changes it, or makes the column an extra segmentation
feature (offered only for short categories). The confirmed mapping is loaded through the same
screening gate as any upload and is remembered, with the header row's digest, in the working state
(`DataChoice.column_map`, `value_map`, `features`, `layout`), so the same survey layout gets it again.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages.i18n import t
from campaigns.working_state import DataChoice
from segments.mapping import Suggestion
from segments.schema import FIELDS

NONE, FEATURE = "", "__feature__"
FIELD_NAMES = tuple(f.name for f in FIELDS if f.name != "respondent_id")


def remembered(working: DataChoice, digest: str, layout: str) -> dict:
    """The options an upload starts with: the mapping chosen for the same file or the same layout."""
    if working.digest == digest or (working.layout and working.layout == layout):
        return {"drop_personal": True, "column_map": dict(working.column_map),
                "value_map": {h: dict(v) for h, v in working.value_map.items()}, "features": list(working.features),
                "confirmed": bool(working.layout)}
    return {"drop_personal": True, "column_map": {}, "value_map": {}, "features": []}


def _label(option: str) -> str:
    if option == NONE:
        return t("mapping_none")
    if option == FEATURE:
        return t("mapping.feature")
    return t(f"field_label.{option}")


def _value_label(field: str | None, value: str) -> str:
    if value in ("true", "false"):
        return t(f"mapping.value.{value}")
    return t(f"label.{field}.{value}") if field else value


def _answers(s: Suggestion) -> str:
    """How the answers will be read: 'brev → ja, e-post → nej' (answers screened by the core)."""
    if not s.values:
        return ""
    shown = ", ".join(f"{answer} → {_value_label(s.field, value)}" for answer, value in s.values[:8])
    return t("mapping.answers", answers=shown)


def _current(header: str, s: Suggestion, options: dict) -> str:
    if header in options["features"]:
        return FEATURE
    if header in options["column_map"]:
        return options["column_map"][header]
    if options.get("confirmed"):
        return NONE
    return s.field or NONE


def render(suggestions: dict[str, Suggestion], options: dict, key: str, apply: Callable[[dict], None]) -> None:
    """The mapping step: one row per unrecognised column; `apply` loads the file with the new options."""
    if not suggestions:
        return
    st.subheader(t("mapping.title"))
    st.write(t("mapping.intro"))
    picked: dict[str, str] = {}
    for i, (header, s) in enumerate(suggestions.items()):
        choices = [NONE, *([FEATURE] if s.feature_ok else []), *(FIELD_NAMES if s.reason != "personal" else ())]
        now = _current(header, s, options)
        left, middle, right = st.columns([3, 2, 3])
        left.text(header)
        picked[header] = middle.selectbox(header, choices, index=choices.index(now) if now in choices else 0,
                                          format_func=_label, key=f"colmap_{key}_{i}", label_visibility="collapsed")
        right.caption(" ".join(x for x in (t(f"mapping.reason.{s.reason}"), _answers(s)) if x))
    if st.button(t("mapping_apply"), type="primary", key=f"colmap_apply_{key}"):
        column_map = {**{h: f for h, f in options["column_map"].items() if h not in suggestions},
                      **{h: f for h, f in picked.items() if f not in (NONE, FEATURE)}}
        value_map = {h: suggestions[h].value_map() for h, f in picked.items()
                     if f == suggestions[h].field and suggestions[h].values}
        features = [h for h, f in picked.items() if f == FEATURE]
        apply({**options, "column_map": column_map, "value_map": value_map, "features": features,
               "confirmed": True})
