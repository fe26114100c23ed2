"""How a draft is framed for a kind of segment: benefit, help, tone, reading level, block order,
and two headline/opening variants — read from `templates/wording.yaml`, chosen by the segment's
own profile.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from common.catalogue import Raw
from common.errors import InputError, problem
from common.yamlfile import load_yaml_file
from segments.segmentset import Segment, SegmentSet

__all__ = ["BLOCKS", "WORDING_FILE", "Wording", "load_wordings", "wording_by_key", "wording_for"]

WORDING_FILE = Path(__file__).resolve().parents[2] / "templates" / "wording.yaml"
Block = Literal["what", "benefit", "needs", "steps", "duration", "when", "after", "help", "paper"]
BLOCKS: tuple[Block, ...] = ("what", "benefit", "needs", "steps", "duration", "when", "after", "help", "paper")
Condition = Literal["daily_internet_below", "bankid_below", "median_age_from", "median_age_below",
                    "eservice_below_population", "eservice_above_population", "family_share_from"]


class Wording(BaseModel):
    """One kind of segment's framing (a profile in wording.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    label: str
    when: dict[Condition, float] = {}
    lix_target: float = Field(gt=0)
    tone: str
    greeting: str
    headlines: tuple[str, str]  # variants a and b (jinja snippets)
    openings: tuple[str, str]
    order: tuple[Block, ...]
    needs_heading: str
    benefit: str
    help: str
    cta: str
    paper_note: str = ""
    offer_venue: bool = False  # point to the help venue (library drop-in) in every channel
    survey_questions: tuple[str, ...] = ()


class _WordingFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    profiles: tuple[Wording, ...] = Field(min_length=1)


@lru_cache(maxsize=4)
def load_wordings(path: Path = WORDING_FILE) -> tuple[Wording, ...]:
    """Every profile of the wording file; a located message for anything wrong in it."""
    try:
        profiles = _WordingFile.model_validate(load_yaml_file(path)).profiles
    except ValidationError as err:
        first = err.errors()[0]
        where = f"{path}, " + ".".join(str(p) for p in first["loc"])
        raise InputError([problem("drafts.invalid_wording", where=where, detail=Raw(first["msg"]))]) from None
    if profiles[-1].when:
        raise InputError([problem("drafts.wording_needs_default", where=str(path))])
    return profiles


def wording_by_key(key: str) -> Wording:
    return next(w for w in load_wordings() if w.key == key)


def _family_share(seg: Segment) -> float:
    family = seg.profile.shares.get("household", {})
    return family.get("family_with_children", 0) + family.get("single_parent", 0)


def _holds(condition: str, v: float, seg: Segment, population_eservice: float | None) -> bool:
    h, p = seg.profile.habits, seg.profile
    if condition == "daily_internet_below":
        return h.daily_internet is not None and h.daily_internet < v
    if condition == "bankid_below":
        return h.bankid is not None and h.bankid < v
    if condition == "median_age_from":
        return p.age_median >= v
    if condition == "median_age_below":
        return p.age_median < v
    if condition in ("eservice_below_population", "eservice_above_population"):
        if h.eservice_mean is None or population_eservice is None:
            return False
        below = h.eservice_mean < v * population_eservice
        return below if condition == "eservice_below_population" else h.eservice_mean >= v * population_eservice
    return _family_share(seg) >= v  # family_share_from


def wording_for(seg: Segment, segment_set: SegmentSet) -> Wording:
    """The first wording profile whose conditions the segment's profile meets (the last has none)."""
    pop = segment_set.population.eservice_mean
    return next(w for w in load_wordings() if all(_holds(k, v, seg, pop) for k, v in w.when.items()))
