"""The SegmentSet: segment profiles plus what is needed to assign new rows, saved as YAML.

It holds no citizen rows: only aggregates (with small cells suppressed), the learnt feature
encoding and the cluster centroids. Loading and saving round-trips exactly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from common.errors import InputError, problem
from common.files import write_atomic
from common.messages import ListOf, Msg, Num
from common.yamlfile import load_yaml_text, read_user_text

from .features import FeatureSpec
from .profile import Habits, Profile, profile_from_dict, profile_to_dict
from .rules import Rule, parse_rules, rule_mask

__all__ = ["KChoice", "Segment", "SegmentSet", "load_segment_set", "save_segment_set", "nearest_centroid"]

FORMAT = "segmentset/1"


@dataclass(frozen=True)
class KChoice:
    """How many clusters were asked for and found, and why."""

    requested: str  # "auto" or a number
    chosen: int
    scores: dict[int, float]  # silhouette per k when chosen automatically
    criterion: str

    def explanation(self) -> Msg:
        """Why this many groups, for the page and the CLI to word."""
        if self.requested != "auto" or not self.scores:
            return Msg("k.user", k=self.chosen)
        return Msg("k.auto", k=self.chosen, low=min(self.scores), high=max(self.scores),
                   score=Num(self.scores[self.chosen], 2))


@dataclass(frozen=True)
class Segment:
    id: int
    name: str
    description: str
    source: str  # "cluster" or "rule"
    profile: Profile
    rule: Rule | None
    centroids: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class SegmentSet:
    seed: int
    min_size: float
    k: KChoice
    features: FeatureSpec
    extra_features: tuple[str, ...]
    total_weight: float
    population: Habits
    municipalities: tuple[str, ...]
    segments: tuple[Segment, ...]
    # Where the rows came from when not from people's own answers (e.g. {"kind": "statistics", ...}:
    # habits estimated from national rates); None for survey or register data.
    provenance: dict[str, Any] | None = None

    def segment(self, segment_id: int) -> Segment:
        return next(s for s in self.segments if s.id == segment_id)

    def rename(self, segment_id: int, name: str) -> SegmentSet:
        """A copy with one segment renamed (names are the user's to choose)."""
        name = name.strip()
        if not name:
            raise ValueError("A segment name cannot be empty.")
        return dataclasses.replace(self, segments=tuple(
            dataclasses.replace(s, name=name) if s.id == segment_id else s for s in self.segments))

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
            labels[free] = owner[nearest_centroid(X, cents)]
        elif free.any():
            labels[free] = self.segments[0].id
        return labels

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "note": "Segment profiles only: no citizen rows. Groups under 5 persons are shown as '<5'.",
            "seed": self.seed,
            "min_size": self.min_size,
            "k": {"requested": self.k.requested, "chosen": self.k.chosen, "criterion": self.k.criterion,
                  "scores": {int(k): v for k, v in self.k.scores.items()}},
            "total_weight": self.total_weight,
            "municipalities": list(self.municipalities),
            "population": self.population.to_dict(),
            "features": self.features.to_dict(),
            "extra_features": list(self.extra_features),
            "segments": [
                {"id": s.id, "name": s.name, "description": s.description, "source": s.source,
                 **({"rule": s.rule.to_dict()} if s.rule else {}),
                 "profile": profile_to_dict(s.profile),
                 "centroids": [list(c) for c in s.centroids]}
                for s in self.segments
            ],
            **({"provenance": self.provenance} if self.provenance else {}),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SegmentSet:
        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise InputError([problem("not_segment_set", hint=Msg("hint_format_line", format=FORMAT))])
        segments = []
        for s in d["segments"]:
            rule = parse_rules([s["rule"]])[0] if s.get("rule") else None
            segments.append(Segment(int(s["id"]), str(s["name"]), str(s["description"]), s["source"],
                                    profile_from_dict(s["profile"]), rule,
                                    tuple(tuple(float(v) for v in c) for c in s.get("centroids", []))))
        k = d["k"]
        return cls(
            seed=int(d["seed"]), min_size=float(d["min_size"]),
            k=KChoice(str(k["requested"]), int(k["chosen"]), {int(a): float(b) for a, b in k["scores"].items()},
                      str(k["criterion"])),
            features=FeatureSpec.from_dict(d["features"]), extra_features=tuple(d.get("extra_features", [])),
            total_weight=float(d["total_weight"]), population=Habits(**d["population"]),
            municipalities=tuple(d["municipalities"]), segments=tuple(segments),
            provenance=d.get("provenance") or None,
        )

    def to_yaml(self) -> str:
        return yaml.safe_dump(_plain(self.to_dict()), allow_unicode=True, sort_keys=False, width=100)

    @classmethod
    def from_yaml(cls, text: str, source: str = "segment.yaml") -> SegmentSet:
        data = load_yaml_text(text, source)
        try:
            return cls.from_dict(data)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            raise InputError([problem("incomplete_segment_set", where=source)]) from None


def _plain(obj: Any) -> Any:
    """Numpy scalars to Python numbers, so YAML stays plain and round-trips exactly."""
    if isinstance(obj, dict):
        return {_plain(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def nearest_centroid(X: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Index of the nearest centroid for each row (in chunks, so memory stays flat)."""
    out = np.empty(len(X), dtype=np.int64)
    c2 = (centroids ** 2).sum(axis=1)
    for start in range(0, len(X), 200_000):
        x = X[start:start + 200_000]
        d = c2[None, :] - 2 * x @ centroids.T
        out[start:start + 200_000] = np.argmin(d, axis=1)
    return out


def save_segment_set(segment_set: SegmentSet, path: str | Path) -> None:
    write_atomic(path, segment_set.to_yaml())


def load_segment_set(path: str | Path) -> SegmentSet:
    """A saved segment set (bounded YAML; a located message for anything wrong)."""
    return SegmentSet.from_yaml(read_user_text(path), str(path))
