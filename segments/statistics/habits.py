"""Habit rates per age band as editable data: national shares, where they come from, and a
municipality's own figures where it has them.

The file (`data/statistics/habits.yaml` is the bundled default) says for each age band how many
use the internet daily or not at all, have BankID, use Facebook, prefer paper and have used a
municipal e-service in the past year, and which household types people of that age live in. It
must name its source and year and say that the figures are approximate; a municipality can
override any figure for any band. Problems are reported with the file and the place in it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from common.catalogue import Msg, Raw
from common.errors import InputError, Problem, problem
from common.municipality_list import lookup
from common.screening import quoted
from common.yamlfile import load_yaml_text, read_user_text

from .labels import Place

__all__ = [
    "BUNDLED_HABITS", "HABITS", "HOUSEHOLD_TYPES", "Band", "BandOverride", "HabitRates", "MunicipalityOverride",
    "SourceNote", "load_habits", "parse_habits",
]

BUNDLED_HABITS = Path(__file__).resolve().parents[2] / "data" / "statistics" / "habits.yaml"
FORMAT = "habits/1"
HABITS = ("daily_internet", "no_internet", "bankid", "facebook", "prefers_paper", "eservice_use")
HOUSEHOLD_TYPES = ("single", "couple", "family_with_children", "single_parent", "other")
Share = Annotated[float, Field(ge=0, le=1)]
HouseholdType = Literal["single", "couple", "family_with_children", "single_parent", "other"]
Habit = Literal["daily_internet", "no_internet", "bankid", "facebook", "prefers_paper", "eservice_use"]
_AGES = re.compile(r"^\s*(\d{1,3})\s*(?:[-–]\s*(\d{1,3})|(\+))\s*$")


def _age_range(text: str) -> tuple[int, int]:
    m = _AGES.match(text)
    if not m:
        raise ValueError("ages")
    low = int(m.group(1))
    high = 120 if m.group(3) else int(m.group(2))
    if high < low:
        raise ValueError("ages")
    return low, high


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceNote(_Model):
    """Where one habit's figures come from, and how they were turned into shares per band."""

    cited: str = Field(min_length=3)
    year: int = Field(ge=1990, le=2100)
    url: str | None = None
    approximate: bool = True
    how: str = ""


class Band(_Model):
    """One age band: its habits as shares of everyone that age, and its household types."""

    ages: str = Field(pattern=r"^\s*\d{1,3}\s*([-–]\s*\d{1,3}|\+)\s*$")
    daily_internet: Share
    no_internet: Share
    bankid: Share
    facebook: Share
    prefers_paper: Share
    eservice_use: Share
    households: dict[HouseholdType, Share]

    @model_validator(mode="after")
    def _consistent(self) -> Band:
        _age_range(self.ages)
        if self.daily_internet + self.no_internet > 1.0001:
            raise ValueError("daily_plus_none")
        total = sum(self.households.values())
        if not 0.98 <= total <= 1.02:
            raise ValueError("household_sum")
        return self

    @property
    def low(self) -> int:
        return _age_range(self.ages)[0]

    @property
    def high(self) -> int:
        return _age_range(self.ages)[1]

    def share(self, habit: str) -> float:
        return float(getattr(self, habit))


class BandOverride(_Model):
    """A municipality's own figures for one band; what it leaves out stays national."""

    ages: str
    daily_internet: Share | None = None
    no_internet: Share | None = None
    bankid: Share | None = None
    facebook: Share | None = None
    prefers_paper: Share | None = None
    eservice_use: Share | None = None
    households: dict[HouseholdType, Share] | None = None


class MunicipalityOverride(_Model):
    source: str = Field(min_length=3)
    year: int | None = None
    note: str = ""
    bands: list[BandOverride] = Field(default_factory=list)


class HabitRates(_Model):
    """The whole habits file."""

    format: Literal["habits/1"]
    title: str
    source: str = Field(min_length=3)
    year: int = Field(ge=1990, le=2100)
    note: str = Field(min_length=10)  # must say that the figures are approximate
    dependence: float = Field(ge=0, le=0.95)
    dependence_note: str = ""
    eservice_uses_per_user: float = Field(gt=0, le=100)
    adults_per_household: dict[HouseholdType, Annotated[float, Field(gt=0, le=10)]]
    sources: dict[Habit, SourceNote]
    bands: list[Band] = Field(min_length=1)
    municipalities: dict[str, MunicipalityOverride] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _bands_fit(self) -> HabitRates:
        spans = sorted(_age_range(b.ages) for b in self.bands)
        for (_, high), (low, _) in zip(spans, spans[1:]):
            if low <= high:
                raise ValueError("bands_overlap")
        known = {_age_range(b.ages) for b in self.bands}
        for override in self.municipalities.values():
            for b in override.bands:
                if _age_range(b.ages) not in known:
                    raise ValueError("override_band")
        missing = [h for h in HABITS if h not in self.sources]
        if missing:
            raise ValueError("sources_missing")
        if any(lookup(str(k)) is None for k in self.municipalities):
            raise ValueError("unknown_municipality")  # located by the file, never quoted
        return self

    def override_for(self, place: Place) -> tuple[str, MunicipalityOverride] | None:
        for key, override in self.municipalities.items():
            k = key.strip().casefold()
            if k == place.name.casefold() or (place.code and k.zfill(4) == place.code):
                return key, override
        return None

    def bands_for(self, place: Place) -> list[Band]:
        """The bands with the municipality's own figures applied, youngest first."""
        bands = sorted(self.bands, key=lambda b: b.low)
        found = self.override_for(place)
        if found is None:
            return bands
        by_range = {_age_range(o.ages): o for o in found[1].bands}
        out = []
        for b in bands:
            o = by_range.get((b.low, b.high))
            if o is None:
                out.append(b)
                continue
            changes = {k: v for k, v in o.model_dump(exclude={"ages"}).items() if v is not None}
            out.append(Band.model_validate({**b.model_dump(), **changes}))
        return out

    def with_override(self, municipality: str, source: str, bands: list[dict[str, Any]]) -> HabitRates:
        """A copy where `municipality` has its own figures (the app's editor); an empty list removes them."""
        overrides = {k: v for k, v in self.municipalities.items() if k.casefold() != municipality.casefold()}
        if bands:
            overrides[municipality] = MunicipalityOverride(source=source, bands=[BandOverride(**b) for b in bands])
        return HabitRates.model_validate({**self.model_dump(), "municipalities": {
            k: v.model_dump(exclude_none=True) for k, v in overrides.items()}})

    def with_bands(self, bands: list[dict[str, Any]]) -> HabitRates:
        """A copy with the national figures edited (the app's editor)."""
        return HabitRates.model_validate({**self.model_dump(), "bands": bands})

    def to_yaml(self) -> str:
        data = self.model_dump(exclude_none=True)
        for override in data.get("municipalities", {}).values():
            override["bands"] = [{k: v for k, v in b.items() if v is not None} for b in override.get("bands", [])]
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


_CODES = {
    "missing", "extra_forbidden", "greater_than", "greater_than_equal", "less_than_equal", "less_than",
    "string_pattern_mismatch", "literal_error", "int_parsing", "float_parsing", "too_short", "string_type",
    "dict_type", "list_type", "model_type",
}
_OWN = {"daily_plus_none", "household_sum", "bands_overlap", "override_band", "sources_missing", "ages",
        "unknown_municipality"}


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problems(source: str, err: ValidationError) -> list[Problem]:
    out = []
    for e in err.errors():
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        where = f"{source}, {_where(loc)}" if loc else source
        message = str(e.get("msg", ""))
        own = next((c for c in _OWN if message.endswith(c)), None)
        if own:
            out.append(Problem(Msg(f"statistics.habits.{own}"), where=where))
            continue
        kind = e["type"] if e["type"] in _CODES else "invalid"
        ctx = {k: (Raw(str(v)) if not isinstance(v, (int, float)) else v) for k, v in (e.get("ctx") or {}).items()}
        ctx.pop("error", None)
        out.append(Problem(Msg(f"schema.{kind}", value=quoted(str(e.get("input", ""))), **ctx), where=where))
    return out


def parse_habits(text: str, source: str = "habits.yaml") -> HabitRates:
    """Habit rates from YAML text, or InputError saying where in the file."""
    data = load_yaml_text(text, source)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError([problem("statistics.habits.not_habits", where=source,
                                  hint=Msg("hint_format_line", format=FORMAT))])
    try:
        return HabitRates.model_validate(data)
    except ValidationError as err:
        raise InputError(_problems(source, err)) from None


def load_habits(path: str | Path | None = None) -> HabitRates:
    """A habits file, or the bundled national defaults."""
    p = Path(path) if path else BUNDLED_HABITS
    return parse_habits(read_user_text(p), str(p))
