"""Does the citizen data fit the campaign? Its municipalities against the campaign's region.

Segments from six Östergötland municipalities say nothing about Värmland's citizens: an upload
is compared with the region before it is used, the officer sees the overlap and either keeps
only the member municipalities or switches to a campaign whose region the data fits. Data with
no member municipality at all is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from common.catalogue import ListOf, Msg, Pct, Raw
from common.errors import InputError, problem

from .definitions import Region

__all__ = ["DataFit", "best_match", "check_fit", "data_fit"]


@dataclass(frozen=True)
class DataFit:
    """The data's municipalities against a region's members."""

    region: str
    matched: tuple[str, ...]  # member names found in the data
    matched_refs: tuple[str, ...]  # the data's own values (names or codes) for those members
    foreign: tuple[str, ...]  # municipalities in the data that are not members (as the data names them)
    missing: tuple[str, ...]  # members the data has nobody from
    persons_matched: float
    persons_total: float

    @property
    def share(self) -> float:
        """Share of the data's persons who live in a member municipality."""
        return self.persons_matched / self.persons_total if self.persons_total else 0.0

    @property
    def status(self) -> Literal["full", "partial", "none"]:
        if not self.matched:
            return "none"
        return "partial" if self.foreign else "full"

    def message(self) -> Msg:
        """What the officer is told: how much of the data is from the region, and what is not."""
        return Msg(f"fit.{self.status}", region=Raw(self.region), n=len(self.matched),
                   share=Pct(self.share), foreign=ListOf(tuple(Raw(x) for x in self.foreign)),
                   n_foreign=len(self.foreign), missing=ListOf(tuple(Raw(x) for x in self.missing)),
                   n_missing=len(self.missing))


def data_fit(persons: Mapping[str, float], region: Region) -> DataFit:
    """Compare persons per municipality (by name or kommunkod, as the data has them) with a region."""
    matched: dict[str, float] = {}
    refs: list[str] = []
    foreign: list[str] = []
    for ref, n in persons.items():
        if n <= 0:
            continue
        try:
            m = region.municipality(str(ref))
        except KeyError:
            foreign.append(str(ref))
            continue
        matched[m.name] = matched.get(m.name, 0.0) + float(n)
        refs.append(str(ref))
    names = tuple(m.name for m in region.municipalities if m.name in matched)
    missing = tuple(m.name for m in region.municipalities if m.name not in matched)
    total = float(sum(n for n in persons.values() if n > 0))
    return DataFit(region.name, names, tuple(refs), tuple(sorted(foreign)), missing, sum(matched.values()), total)


def best_match(persons: Mapping[str, float], candidates: Sequence[tuple[str, Region]]) -> str | None:
    """The candidate (a campaign key) whose region holds most of the data's persons, if any does."""
    scored = [(data_fit(persons, region).persons_matched, key) for key, region in candidates]
    best = max(scored, default=(0.0, None))
    return best[1] if best[0] > 0 else None


def check_fit(fit: DataFit) -> None:
    """Refuse to plan from data that has nobody in the campaign's region."""
    if fit.status == "none":
        raise InputError([problem("fit.refused", region=Raw(fit.region),
                                  foreign=ListOf(tuple(Raw(x) for x in fit.foreign[:8])),
                                  hint="fit.refused_hint")])
