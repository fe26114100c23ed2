"""The working state: every choice that defines a campaign's plan, saved as the officer works.

One YAML document per campaign in the shared database (kind `edits`): the data source and its
column mapping (never the citizen rows), the segmentation choices (k, minimum size, rules), the
segment names, the budget and the activities moved by hand. The segment set the names and moves
refer to is named by its digest (`segments`), so they can follow the segments across a refit.

Two editors who saved from the same version are merged field by field: `compare` lists what each
changed, `merge` keeps both sides' work with the side chosen for each field both changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from common.catalogue import Day, ListOf, Money, Msg, Num, Raw
from common.errors import InputError, problem
from common.uploads import label_problem
from common.yamlfile import load_yaml_text

__all__ = ["FORMAT", "DataChoice", "FieldChange", "FieldConflict", "Segmentation", "Side", "WorkingState", "changes",
           "compare", "dump_state", "field_label", "field_value", "fields", "load_state", "merge", "rebuild",
           "state_digest"]

FORMAT: Literal["working-state/1"] = "working-state/1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DataChoice(_Model):
    """Where the citizen data comes from; an upload (or statistics files) named by file and digest only."""

    source: Literal["sample", "upload", "statistics"] = "sample"
    file: str | None = None
    digest: str | None = None  # sha1 of the uploaded file's bytes (the statistics spec's key)
    column_map: dict[str, str] = {}  # the file's header -> the field it holds
    value_map: dict[str, dict[str, str]] = {}  # a mapped header -> its answers -> the field's values
    features: list[str] = []  # headers the officer made extra segmentation features
    layout: str | None = None  # digest of the header row: the same survey layout gets the same mapping
    drop_personal: bool = True  # personal data is always left out of an upload (common.screening)
    municipalities: list[str] | None = None  # keep only these (the ones in the campaign's region)

    @field_validator("file")
    @classmethod
    def _no_personal_label(cls, value: str | None) -> str | None:
        """A label with personal data (a file name saved before uploads got neutral labels) is not
        kept or shown: it reads back as a neutral word (`common.uploads`)."""
        return "fil" if value is not None and label_problem(value) == "personal" else value


class Segmentation(_Model):
    k: Annotated[int, Field(ge=1, le=20)] | Literal["auto"] = "auto"  # as the CLI's --k
    min_size: float = Field(default=30, ge=1, le=1e9, allow_inf_nan=False)
    rules: list[dict[str, Any]] = []  # in the rules-file form (segments.rules.parse_rules reads them)


class WorkingState(_Model):
    format: Literal["working-state/1"] = FORMAT
    campaign: str
    data: DataChoice = DataChoice()
    segmentation: Segmentation = Segmentation()
    segments: str | None = None  # digest of the segment set the names and moves were made on
    names: dict[int, str] = {}  # segment id -> the officer's name for it
    budget_sek: float | None = Field(default=None, ge=0)  # None: no limit
    moves: dict[str, dt.date] = {}  # activity id -> the day the officer moved it to

    @classmethod
    def fresh(cls, campaign: str, budget: float) -> WorkingState:
        """A campaign opened for the first time: the sample data, automatic k, the file's budget."""
        return cls(campaign=campaign, budget_sek=budget if budget > 0 else None)

    def with_(self, **changes: Any) -> WorkingState:
        """A copy with some fields changed (validated like a loaded document)."""
        return WorkingState.model_validate({**self.model_dump(), **changes})


def dump_state(state: WorkingState) -> str:
    """YAML that round-trips exactly: load_state(dump_state(s)) == s."""
    return yaml.safe_dump(state.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=100)


def load_state(text: str, source: str = "working state") -> WorkingState:
    """A stored document; InputError naming the field when it is not a valid working state."""
    data = load_yaml_text(text, source, dates_as_text=True)
    try:
        return WorkingState.model_validate(data)
    except ValidationError as err:
        raise InputError([problem("ws.invalid", where=f"{source}, " + ".".join(str(p) for p in e["loc"]))
                          for e in err.errors()]) from None


def state_digest(*parts: Any) -> str:
    """A short digest of the inputs (documents, files, choices) a result depends on: a cache key."""
    h = hashlib.sha1()
    for p in parts:
        text = dump_state(p) if isinstance(p, WorkingState) else (p if isinstance(p, (str, bytes)) else repr(p))
        h.update(text.encode("utf-8") if isinstance(text, str) else text)
        h.update(b"\0")
    return h.hexdigest()[:16]


# ---------------------------------------------------------------- fields: what an editor can change


def fields(state: WorkingState) -> dict[str, Any]:
    """The state as independent fields (the unit of a change, a conflict and a merge choice)."""
    out: dict[str, Any] = {
        "data": state.data,
        "segmentation.k": state.segmentation.k,
        "segmentation.min_size": state.segmentation.min_size,
        "segmentation.rules": tuple(yaml.safe_dump(r, sort_keys=True) for r in state.segmentation.rules),
        "budget_sek": state.budget_sek,
    }
    out.update({f"names.{sid}": name for sid, name in state.names.items()})
    out.update({f"moves.{aid}": day for aid, day in state.moves.items()})
    return out


def rebuild(template: WorkingState, values: Mapping[str, Any]) -> WorkingState:
    """The state with the given field values (a field missing from `values` is unset)."""
    rules = [yaml.safe_load(r) for r in values.get("segmentation.rules", ())]
    return template.with_(
        data=values.get("data", DataChoice()),
        segmentation=Segmentation(k=values.get("segmentation.k", "auto"),
                                  min_size=values.get("segmentation.min_size", 30), rules=rules),
        budget_sek=values.get("budget_sek"),
        names={int(k.split(".", 1)[1]): v for k, v in values.items() if k.startswith("names.") and v is not None},
        moves={k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("moves.") and v is not None},
    )


def field_label(field: str, titles: Mapping[str, Msg] | None = None,
                segment_names: Mapping[int, str] | None = None) -> Msg:
    """'Budget', 'Namn på segment 2 (Seniorer)', 'Datum för Karlstad: Vigsel – Facebook (våg 1)'."""
    if field.startswith("names."):
        sid = int(field.split(".", 1)[1])
        name = (segment_names or {}).get(sid)
        return Msg("ws.field.name", id=sid, name=Raw(name)) if name else Msg("ws.field.name_bare", id=sid)
    if field.startswith("moves."):
        aid = field.split(".", 1)[1]
        title = None if titles is None else titles.get(aid)  # a lazy mapping: looked up only for a move
        return Msg("ws.field.move", activity=title) if title is not None else Msg("ws.field.move_unknown")
    return Msg(f"ws.field.{field.replace('segmentation.', '')}")


def field_value(field: str, value: Any) -> Msg | Money | Num | Day | Raw:
    """A field's value as the reader's language writes it; a missing value says what that means."""
    if field == "budget_sek":
        return Msg("ws.value.no_limit") if value is None else Money(value)
    if field == "segmentation.k":
        return Msg("ws.value.k_auto") if value == "auto" else Num(value)
    if field == "segmentation.min_size":
        return Num(value)
    if field == "segmentation.rules":
        names = tuple(Raw(str((yaml.safe_load(r) or {}).get("name", "?"))) for r in value or ())
        return Msg("ws.value.rules", rules=ListOf(names)) if names else Msg("ws.value.no_rules")
    if field == "data":
        return _data_value(value or DataChoice())
    if field.startswith("names."):
        return Raw(value) if value else Msg("ws.value.generated_name")
    if field.startswith("moves."):
        return Day(value) if value else Msg("ws.value.not_moved")
    return Raw(str(value))


def _data_value(data: DataChoice) -> Msg:
    if data.source == "sample":
        return Msg("ws.value.sample")
    if data.source == "statistics":
        return Msg("ws.value.statistics", file=Raw(data.file or "?"))
    kept = Msg("ws.value.kept", n=len(data.municipalities)) if data.municipalities is not None else ""
    return Msg("ws.value.upload", file=Raw(data.file or "?"), kept=kept)


# ---------------------------------------------------------------- changes, conflicts and the merge


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two states (None: the field is not set)."""

    field: str
    before: Any
    after: Any

    def message(self, titles: Mapping[str, Msg] | None = None,
                segment_names: Mapping[int, str] | None = None) -> Msg:
        """'Budget: 200 000 kr → 180 000 kr'."""
        return Msg("ws.change", field=field_label(self.field, titles, segment_names),
                   before=field_value(self.field, self.before), after=field_value(self.field, self.after))


def changes(before: WorkingState, after: WorkingState) -> list[FieldChange]:
    """Every field that differs, in the order of the document."""
    a, b = fields(before), fields(after)
    return [FieldChange(f, a.get(f), b.get(f)) for f in dict.fromkeys([*a, *b]) if a.get(f) != b.get(f)]


Side = Literal["theirs", "yours"]


@dataclass(frozen=True)
class FieldConflict:
    """A field one or both editors changed since the version both started from."""

    field: str
    base: Any
    theirs: Any
    yours: Any

    @property
    def clash(self) -> bool:
        """Both changed it, differently: the officer must choose."""
        return self.theirs != self.base and self.yours != self.base and self.theirs != self.yours

    @property
    def default(self) -> Side | None:
        """The side that changed it (None when both did, differently)."""
        if self.clash:
            return None
        return "yours" if self.theirs == self.base else "theirs"


def compare(base: WorkingState, theirs: WorkingState, yours: WorkingState) -> list[FieldConflict]:
    """The fields either editor changed since `base` (both-changed-alike left out)."""
    b, t, y = fields(base), fields(theirs), fields(yours)
    out = []
    for f in dict.fromkeys([*b, *t, *y]):
        c = FieldConflict(f, b.get(f), t.get(f), y.get(f))
        if (c.theirs != c.base or c.yours != c.base) and c.theirs != c.yours:
            out.append(c)
    return out


def merge(base: WorkingState, theirs: WorkingState, yours: WorkingState,
          choices: Mapping[str, Side] | None = None) -> WorkingState:
    """Both editors' work in one state: each changed field from the side chosen for it (by
    default the side that changed it). A field both changed differently needs a choice."""
    values = fields(theirs)
    for c in compare(base, theirs, yours):
        side = (choices or {}).get(c.field) or c.default
        if side is None:
            raise ValueError(f"{c.field} was changed by both editors: choose one")
        values[c.field] = c.theirs if side == "theirs" else c.yours
    merged = rebuild(theirs, values)
    # The segment set the names refer to follows the segmentation that was kept.
    same_as = [s for s in (theirs, yours) if (s.data, s.segmentation) == (merged.data, merged.segmentation)]
    return merged.with_(segments=same_as[0].segments if same_as else None)
