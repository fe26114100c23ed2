"""Which columns of a citizen file are read, and as what: the data contract applied to a header.

Only the schema's fields (by name or Swedish alias, or as the user mapped them in the app) and
the extra features a user names are read; that set is the allow-list every value passes
through (`common.screening`). Everything else is left out before any of its values is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from common.catalogue import ListOf, Msg, Raw
from common.errors import InputError, Notice, Problem, problem
from common.personal_detection import header_kind
from common.screening import AllowList, quoted

from .schema import MISSING_WORDS, canonical_name, schema_help

__all__ = ["ColumnPlan", "plan_columns"]


@dataclass(frozen=True)
class ColumnPlan:
    """How a file's headers are read: header -> schema field, plus the extra feature headers."""

    fields: Mapping[str, str]
    features: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()  # every other header: not read

    def allow_list(self) -> AllowList:
        columns = {**self.fields, **{h: h for h in self.features}}
        codes = frozenset(h for h, f in self.fields.items() if f == "respondent_id")
        return AllowList(columns, codes, MISSING_WORDS)

    def without(self, headers: set[str]) -> ColumnPlan:
        """The plan with some columns left out (the app's answer to personal data in them)."""
        return ColumnPlan({h: f for h, f in self.fields.items() if h not in headers},
                          tuple(h for h in self.features if h not in headers), self.ignored)

    def missing_required(self) -> Problem | None:
        """A municipality and an age (or age band) column are needed."""
        canon = set(self.fields.values())
        absent = [Msg(f"column.{name}") for name, present in (
            ("municipality", "municipality" in canon), ("age", bool({"age", "age_band"} & canon))) if not present]
        if not absent:
            return None
        return problem("missing_column", n=len(absent), columns=ListOf(tuple(absent)), hint="hint_rename_column")

    def ignored_notice(self, personal: set[str]) -> Notice | None:
        """Which columns were not read (those with personal data have their own notice)."""
        left_out = tuple(Raw(h) for h in self.ignored if h not in personal)
        return Notice("notice.columns_ignored", n=len(left_out), columns=ListOf(left_out)) if left_out else None


def _feature_problems(headers: list[str], fields: Mapping[str, str], features: tuple[str, ...]) -> list[Problem]:
    problems = []
    for h in dict.fromkeys(features):
        if h not in headers:
            problems.append(problem("unknown_feature", column=h, header=quoted(h), hint="hint_feature_names"))
        elif h in fields:
            problems.append(problem("feature_in_schema", column=h, header=Raw(h), field=fields[h],
                                    hint="hint_feature_other"))
        elif header_kind(h):
            problems.append(problem("feature_personal", column=h, header=Raw(h), kind=Msg(f"pii.{header_kind(h)}"),
                                    hint="hint_feature_other"))
    return problems


def plan_columns(headers: list[str], *, column_map: Mapping[str, str] | None = None,
                 features: tuple[str, ...] = ()) -> ColumnPlan:
    """Match headers to the schema (the user's `column_map` first); InputError, with the schema
    listed, when a required column is missing, a field comes twice or a feature cannot be used."""
    chosen = {h: f for h, f in (column_map or {}).items() if f and h in headers}
    problems: list[Problem] = []
    fields: dict[str, str] = {}
    for h in headers:
        canonical = chosen.get(h) or canonical_name(h)
        if not canonical:
            continue
        if canonical in fields.values():
            first = next(k for k, v in fields.items() if v == canonical)
            problems.append(problem("duplicate_column", column=h, first=Raw(first), second=Raw(h), field=canonical,
                                    hint="hint_remove_one"))
            continue
        fields[h] = canonical
    problems += _feature_problems(headers, fields, features)
    extras = tuple(h for h in dict.fromkeys(features) if h in headers and h not in fields and not header_kind(h))
    plan = ColumnPlan(fields, extras, tuple(h for h in headers if h not in fields and h not in extras))
    missing = plan.missing_required()
    if missing:
        problems.append(missing)
    if problems:
        raise InputError(problems, schema_help())
    return plan
