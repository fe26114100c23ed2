"""The SegmentSet: segment profiles plus what is needed to assign new rows, saved as YAML.

It holds no citizen rows: only aggregates (with small cells suppressed), the learnt feature
encoding and the fitted latent class model (answer shares per class), which assigns new rows.
The classes are pydantic models, so a damaged file is
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

from common.catalogue import ListOf, Msg, Num, Pct, Raw, render
from common.errors import InputError, Problem, problem
from common.files import write_atomic
from common.yamlfile import load_yaml_text, read_user_text

from .features import FeatureSpec
from .kmeans import nearest
from .mixture import LatentClassParams, posterior
from .msgdata import MsgField
from .municipalities import municipality_name
from .profile import Habits, Profile
from .rules import Rule, parse_rules, rule_mask
from .schema import FIELD_BY_NAME

__all__ = ["KCandidate", "KChoice", "Segment", "SegmentSet", "load_segment_set", "save_segment_set",
           "SMALL_SHARE", "STABLE", "UNCERTAIN", "UNSURE_MEMBERS"]

STABLE = 0.75  # Hennig (2007): below 0.75 a cluster is a pattern of the sample rather than a group

FORMAT = "segmentset/1"
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: ten times faster
NOTE = "segmentset.note"  # "Segment profiles only: no citizen rows …", in the file's language
SMALL_SHARE = 0.05  # a segment under 5 % of the persons is flagged before it drives a campaign
UNCERTAIN = 0.7  # a person whose segment has a posterior probability under 0.7 is an uncertain member
UNSURE_MEMBERS = 0.5  # a segment where more than half the members are uncertain is flagged


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
    def no_groups(self) -> bool:
        """The model found no groups that differ: one segment for everyone is the answer."""
        return self.requested == "auto" and self.chosen == 1

    @property
    def scores(self) -> dict[int, float]:
        return {c.k: c.quality for c in self.candidates}

    def explanation(self) -> Msg:
        """Why this many groups, for the page and the CLI to word."""
        if self.requested != "auto" or not self.candidates:
            return Msg("k.user", k=self.chosen)
        if self.no_groups:
            return Msg("k.none", high=max(c.k for c in self.candidates), sample=Num(self.sample))
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
    centroids: tuple[tuple[float, ...], ...] = ()  # segment sets saved before the latent class model
    certainty: float | None = None  # members' mean posterior probability of this segment
    uncertain_share: float | None = None  # weighted share of members with a posterior under UNCERTAIN
    effective_size: float | None = None  # Kish's effective sample size of the members

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
        if self.uncertain_share is not None and self.uncertain_share > UNSURE_MEMBERS:
            out.append(Msg("caution.uncertain_members", share=Pct(self.uncertain_share), cutoff=Pct(UNCERTAIN)))
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
    model: LatentClassParams | None = None  # the latent class model that assigns rows (None: older files)
    drivers: tuple[str, ...] = ()  # the questions that split the segments
    described_only: tuple[str, ...] = ()  # questions that describe segments but did not split them
    effective_size: float | None = None  # Kish's effective sample size of the whole file

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

    def model_summary(self) -> tuple[Msg, ...]:
        """What split the segments, what only describes them, and the file's effective size."""
        def names(cols: tuple[str, ...]) -> ListOf:
            return ListOf(tuple(Msg(f"question.{c}") if c in FIELD_BY_NAME else Raw(c) for c in cols))
        out = [Msg("segments.drivers", columns=names(self.drivers)) if self.drivers else Msg("segments.no_drivers")]
        if self.described_only:
            out.append(Msg("segments.described_only", columns=names(self.described_only)))
        if self.effective_size is not None:
            rows = sum(s.profile.rows for s in self.segments)
            out.append(Msg("segments.effective_size", effective=Num(self.effective_size), rows=Num(rows)))
        return tuple(out)

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
        if free.any() and clusters and self.model is not None:
            missing = [c.name for c in self.model.columns if c.name not in df]
            if missing:
                raise InputError([problem("missing_segment_columns", n=len(missing),
                                          columns=ListOf(tuple(missing)), hint="hint_same_columns")])
            owner = np.array(self.model.segment_of_class)
            labels[free] = owner[posterior(self.model, df.loc[free]).argmax(axis=1)]
        elif free.any() and clusters:
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
        for key in ("provenance", "model", "effective_size"):
            if data[key] is None:
                del data[key]  # survey data / older fits: the file has no such key
        return yaml.dump(_plain(data), Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)

    @classmethod
    def from_yaml(cls, text: str, source: str = "segment.yaml") -> SegmentSet:
        data = load_yaml_text(text, source)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError([problem("not_segment_set", hint=Msg("hint_format_line", format=FORMAT))])
        body = {k: v for k, v in data.items() if k not in ("format", "note")}
        try:
            loaded = cls.model_validate(body)
        except ValidationError as err:
            raise InputError(_located(err, source)) from None
        # A file cannot bring a person's name in as a "municipality": located, never quoted.
        unknown = [i for i, n in enumerate(loaded.municipalities) if municipality_name(n) is None]
        if unknown:
            raise InputError([problem("segset.invalid", where=f"{source}, municipalities[{i}]",
                                      hint="hint_segset_refit") for i in unknown[:10]])
        return loaded


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
