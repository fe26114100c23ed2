"""The SegmentSet: segment profiles plus what is needed to assign new rows, saved as YAML.

It holds no citizen rows: only aggregates (with small cells suppressed), the learnt feature
encoding and the cluster centroids. The classes are pydantic models, so a damaged file is
refused with where the problem is (`segment.yaml, segments[2].profile.size`), and loading and
saving round-trips exactly. Generated names and descriptions are stored as messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, ValidationError

from common.errors import InputError, Problem, problem
from common.files import write_atomic
from common.messages import ListOf, Msg, Num, Pct, render
from common.yamlfile import load_yaml_text, read_user_text

from .features import FeatureSpec
from .kmeans import nearest
from .msgdata import MsgField
from .profile import Habits, Profile
from .rules import Rule, parse_rules, rule_mask
from .stability import STABLE

__all__ = ["KCandidate", "KChoice", "Segment", "SegmentSet", "load_segment_set", "save_segment_set",
           "SMALL_SHARE", "STABLE"]

FORMAT = "segmentset/1"
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: ten times faster
NOTE = "segmentset.note"  # "Segment profiles only: no citizen rows …", in the file's language
SMALL_SHARE = 0.05  # a segment under 5 % of the persons is flagged before it drives a campaign


def _rule(data: Any) -> Rule:
    if isinstance(data, Rule):
        return data
    try:
        return parse_rules([data], "rule")[0]
    except InputError as err:
        raise ValueError(err.text("en")) from None


RuleField = Annotated[Rule, BeforeValidator(_rule), PlainSerializer(lambda r: r.to_dict())]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class KCandidate(_Model):
    """One k that was tried: its BIC, quality 0–1 (share of the best BIC gain), what it separates."""

    k: int
    bic: float
    quality: float
    split: MsgField


class KChoice(_Model):
    """How many clusters were asked for and found, and why."""

    requested: str  # "auto" or a number
    chosen: int
    criterion: str = ""  # "bic" when chosen automatically
    sample: int = 0  # answers the automatic choice was judged on
    candidates: tuple[KCandidate, ...] = ()

    @property
    def scores(self) -> dict[int, float]:
        return {c.k: c.quality for c in self.candidates}

    def explanation(self) -> Msg:
        """Why this many groups, for the page and the CLI to word."""
        if self.requested != "auto" or not self.candidates:
            return Msg("k.user", k=self.chosen)
        ks = [c.k for c in self.candidates]
        return Msg("k.auto", k=self.chosen, low=min(ks), high=max(ks), sample=Num(self.sample))


class Segment(_Model):
    id: int
    name: str  # what plans and drafts carry: the Swedish generated name, or the officer's own
    label: MsgField | None = None  # the generated name as a message; None once renamed (or for a rule)
    description: MsgField
    source: Literal["cluster", "rule"]
    stability: float | None = None  # mean bootstrap overlap 0–1; None for rule segments
    profile: Profile
    rule: RuleField | None = None
    centroids: tuple[tuple[float, ...], ...] = ()

    @property
    def title(self) -> Msg | str:
        """What a page shows as the name: the generated one in the reader's language, or the user's."""
        return self.label if self.label is not None else self.name

    @property
    def stable(self) -> bool | None:
        return None if self.stability is None else self.stability >= STABLE

    def stability_label(self) -> Msg | None:
        if self.stability is None:
            return None
        return Msg("stability.stable" if self.stable else "stability.unsure", overlap=Pct(self.stability))

    def cautions(self, min_size: float) -> tuple[Msg, ...]:
        """Why this segment should be checked before it drives a campaign (empty when fine)."""
        out = []
        if self.profile.share < SMALL_SHARE or self.profile.size < 2 * min_size:
            out.append(Msg("caution.small", persons=Num(self.profile.size), share=Pct(self.profile.share)))
        if self.stable is False:
            out.append(Msg("caution.unstable", overlap=Pct(self.stability or 0.0)))
        return tuple(out)


class SegmentSet(_Model):
    seed: int
    min_size: float
    k: KChoice
    features: FeatureSpec
    extra_features: tuple[str, ...] = ()
    total_weight: float
    population: Habits
    municipalities: tuple[str, ...]
    segments: tuple[Segment, ...]
    # Where the rows came from when not from people's own answers (e.g. {"kind": "statistics", ...}:
    # habits estimated from national rates); None for survey or register data.
    provenance: dict[str, Any] | None = None

    def segment(self, segment_id: int) -> Segment:
        found = [s for s in self.segments if s.id == segment_id]
        if not found:
            raise KeyError(segment_id)
        return found[0]

    def rename(self, segment_id: int, name: str) -> SegmentSet:
        """A copy with one segment renamed (names are the user's to choose; kept as plain text)."""
        name = name.strip()
        if not name:
            raise ValueError("A segment name cannot be empty.")
        return self.model_copy(update={"segments": tuple(
            s.model_copy(update={"name": name, "label": None}) if s.id == segment_id else s
            for s in self.segments)})

    def cautions(self) -> tuple[tuple[int, Msg], ...]:
        """(segment id, caution) for every small or unstable segment."""
        return tuple((s.id, c) for s in self.segments for c in s.cautions(self.min_size))

    def assign(self, df: pd.DataFrame) -> np.ndarray:
        """Segment id for each row of a validated citizen table: rules first, then nearest centroid."""
        labels = np.zeros(len(df), dtype=np.int64)
        free = np.ones(len(df), dtype=bool)
        for s in self.segments:
            if s.rule is not None:
                m = rule_mask(s.rule, df) & free
                labels[m] = s.id
                free &= ~m
        clusters = [s for s in self.segments if s.source == "cluster"]
        if free.any() and clusters:
            missing = [c for c in self.features.columns if c not in df]
            if missing:
                raise InputError([problem("missing_segment_columns", n=len(missing),
                                          columns=ListOf(tuple(missing)), hint="hint_same_columns")])
            cents = np.array([c for s in clusters for c in s.centroids])
            owner = np.array([s.id for s in clusters for _ in s.centroids])
            X = self.features.transform(df.loc[free])
            labels[free] = owner[nearest(X, cents)]
        elif free.any():
            labels[free] = self.segments[0].id
        return labels

    def to_yaml(self, lang: str = "sv") -> str:
        """The segment file; its note (no citizen rows, small groups as '<5') in `lang`."""
        data = {"format": FORMAT, "note": render(NOTE, lang), **self.model_dump()}
        if data["provenance"] is None:
            del data["provenance"]  # survey data: the file has no such key
        return yaml.dump(_plain(data), Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)

    @classmethod
    def from_yaml(cls, text: str, source: str = "segment.yaml") -> SegmentSet:
        data = load_yaml_text(text, source)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError([problem("not_segment_set", hint=Msg("hint_format_line", format=FORMAT))])
        body = {k: v for k, v in data.items() if k not in ("format", "note")}
        try:
            return cls.model_validate(body)
        except ValidationError as err:
            raise InputError(_located(err, source)) from None


def _located(err: ValidationError, source: str) -> list[Problem]:
    """One problem per pydantic error, located as `file, segments[2].profile.size`."""
    problems = []
    for e in err.errors()[:10]:
        where = source
        for part in e["loc"]:
            where += f"[{part}]" if isinstance(part, int) else (", " if where == source else ".") + str(part)
        code = {"missing": "segset.missing", "extra_forbidden": "segset.unknown"}.get(e["type"], "segset.invalid")
        problems.append(problem(code, where=where, hint="hint_segset_refit"))
    return problems


def _plain(obj: Any) -> Any:
    """Tuples to lists and numpy scalars to Python numbers, so YAML stays plain and round-trips."""
    if isinstance(obj, dict):
        return {_plain(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def save_segment_set(segment_set: SegmentSet, path: str | Path) -> None:
    write_atomic(path, segment_set.to_yaml())


def load_segment_set(path: str | Path) -> SegmentSet:
    """A saved segment set (bounded YAML; a located message for anything wrong)."""
    return SegmentSet.from_yaml(read_user_text(path), str(path))
