"""Rule-based segments a user defines ("age ≥ 80 → Äldre seniorer"), carved out before clustering.

A rules file looks like::

    rules:
      - name: Äldre seniorer
        when:
          age: {min: 80}
      - name: Utan BankID
        when:
          has_bankid: false
          internet_use: [rarely, never]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from common.catalogue import ListOf, Raw
from common.errors import InputError, Problem, problem
from common.gate import withheld
from common.yamlfile import load_yaml_file

from .schema import BOOLEAN_FIELDS, CATEGORICAL_FIELDS, canonical_name, category_lookup

__all__ = ["Condition", "Rule", "load_rules", "parse_rules", "rule_mask"]

NUMERIC_RULE_FIELDS = ("age", "eservice_uses_12m")


@dataclass(frozen=True)
class Condition:
    field: str
    min: float | None = None
    max: float | None = None
    values: tuple[str, ...] = ()  # categorical values, or ("true",)/("false",) for booleans

    def to_yaml(self) -> Any:
        if self.field in BOOLEAN_FIELDS:
            return self.values[0] == "true"
        if self.values:
            return list(self.values) if len(self.values) > 1 else self.values[0]
        out = {}
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        return out


@dataclass(frozen=True)
class Rule:
    name: str
    conditions: tuple[Condition, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "when": {c.field: c.to_yaml() for c in self.conditions}}


def _problem(where: str, code: str, **values: Any) -> Problem:
    return problem(code, where=where, hint="hint_rules_example", **values)


def _parse_condition(where: str, key: str, value: Any, problems: list[Problem]) -> Condition | None:
    field = canonical_name(key)
    if field in NUMERIC_RULE_FIELDS:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Condition(field, float(value), float(value))
        if isinstance(value, dict) and set(value) <= {"min", "max"} and value:
            try:
                lo = float(value["min"]) if "min" in value else None
                hi = float(value["max"]) if "max" in value else None
                return Condition(field, lo, hi)
            except (TypeError, ValueError):
                pass
        problems.append(_problem(where, "rule.needs_number", key=Raw(key)))
        return None
    if field in BOOLEAN_FIELDS:
        if isinstance(value, bool):
            return Condition(field, values=("true" if value else "false",))
        problems.append(_problem(where, "rule.needs_bool", key=Raw(key)))
        return None
    if field in CATEGORICAL_FIELDS:
        lookup = category_lookup(field)
        raw = value if isinstance(value, list) else [value]
        mapped = [lookup.get(str(v).strip().lower()) for v in raw]
        if None in mapped or not mapped:
            problems.append(_problem(where, "rule.unknown_value", key=Raw(key),
                                     allowed=ListOf(tuple(sorted(set(lookup.values()))))))
            return None
        return Condition(field, values=tuple(dict.fromkeys(m for m in mapped if m)))
    problems.append(_problem(where, "rule.unknown_field", key=withheld(key)))
    return None


def parse_rules(data: Any, source: str = "regler") -> tuple[Rule, ...]:
    """Validate rules read from YAML; every mistake is reported with where it is."""
    items = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError([_problem(source, "rule.needs_list")])
    problems: list[Problem] = []
    rules = []
    for i, item in enumerate(items):
        where = f"{source}, rules[{i}]"
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            problems.append(_problem(where, "rule.needs_name"))
            continue
        when = item.get("when")
        if not isinstance(when, dict) or not when:
            problems.append(_problem(where, "rule.needs_when"))
            continue
        # Located by position: a key that is no field may be anything and is never echoed.
        conds = [_parse_condition(f"{where}.when[{j}]", str(k), v, problems) for j, (k, v) in enumerate(when.items())]
        rules.append(Rule(str(item["name"]).strip(), tuple(c for c in conds if c)))
    if problems:
        raise InputError(problems)
    return tuple(rules)


def load_rules(path: str | Path) -> tuple[Rule, ...]:
    """Read a rules YAML file (bounded: no aliases, limited size and depth)."""
    return parse_rules(load_yaml_file(path), str(path))


def rule_mask(rule: Rule, df: pd.DataFrame) -> np.ndarray:
    """Rows that satisfy every condition of the rule (a missing answer never matches)."""
    mask = np.ones(len(df), dtype=bool)
    for c in rule.conditions:
        if c.field not in df:
            return np.zeros(len(df), dtype=bool)
        col = df[c.field]
        if c.field in BOOLEAN_FIELDS:
            mask &= (col.to_numpy(dtype=np.float64) == (1.0 if c.values[0] == "true" else 0.0))
        elif c.values:
            mask &= col.isin(c.values).to_numpy()
        else:
            x = col.to_numpy(dtype=np.float64)
            if c.min is not None:
                mask &= x >= c.min
            if c.max is not None:
                mask &= x <= c.max
    return mask
