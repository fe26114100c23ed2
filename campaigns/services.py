"""What an e-service is for: its audience and the content blocks every draft is written from.

A campaign file may say both per e-service (`audience:` and `content:`); what it leaves out comes
from `data/e_services.yaml`, defaults for common services (skolval, bygglov, vigsel …) that an
officer can edit. The audience is stated in terms a segment profile can answer — ages, household
with children, occupation, homeowners, or everyone — so that `campaigns.relevance` can say how
much of each segment the service concerns.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from common.catalogue import ByLang, Raw
from common.errors import InputError, problem
from common.yamlfile import load_yaml_file

__all__ = ["DEFAULTS_FILE", "Audience", "ServiceContent", "ServiceDefaults", "audience_for", "content_for",
           "defaults_for", "load_defaults", "CONTENT_BLOCKS", "Occupation"]

DEFAULTS_FILE = Path(__file__).resolve().parent.parent / "data" / "e_services.yaml"
Occupation = Literal["working", "student", "retired", "unemployed", "other"]
# The blocks a draft needs to say something about the service itself (cost and image are optional).
CONTENT_BLOCKS = ("action", "task", "what", "needs", "duration", "after", "paper_way")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Audience(_Model):
    """Who an e-service is for. Every stated criterion must hold (a parent aged 25–60 …)."""

    everyone: bool = False
    ages: tuple[int, int] | None = None  # inclusive, in years
    children: bool | None = None  # True: households with children at home
    occupations: tuple[Occupation, ...] | None = None
    homeowners: bool | None = None  # answered only when the data has a `housing` column
    min_relevance: float = Field(default=0.1, ge=0, le=1, description="segments below get no activity")
    note: str = ""  # who, in the officer's words
    note_en: str = ""  # the same in English, for English pages (the Swedish note where empty)

    @field_validator("ages")
    @classmethod
    def _ordered(cls, v: tuple[int, int] | None) -> tuple[int, int] | None:
        if v is not None and not (0 <= v[0] <= v[1] <= 120):
            raise ValueError("ages must be [from, to] with 0 ≤ from ≤ to ≤ 120")
        return v

    @property
    def note_text(self) -> ByLang:
        """The note in the reader's language."""
        return ByLang.of(sv=self.note, en=self.note_en or self.note)

    @property
    def is_everyone(self) -> bool:
        return self.everyone or (self.ages is None and self.children is None and not self.occupations
                                 and self.homeowners is None)


class ServiceContent(_Model):
    """What to tell a citizen about one e-service; every field is optional and plain Swedish."""

    action: str = ""  # what the citizen does, as an imperative: "Välj skola"
    task: str = ""  # the same as a verb phrase after "Nu kan du …": "välja skola för ditt barn"
    what: str = ""  # what you can do with the service
    needs: tuple[str, ...] = ()  # what you need at hand: BankID, documents, photos
    duration: str = ""  # how long it takes
    opens: str = ""  # when it opens, if more than the go-live date (an application window)
    after: str = ""  # what happens after you have sent it
    cost: str = ""
    paper_way: str = ""  # why the digital way beats the paper one
    image: str = ""  # an image suggestion for web and Facebook
    image_alt: str = ""

    def missing(self) -> tuple[str, ...]:
        return tuple(b for b in CONTENT_BLOCKS if not getattr(self, b))


class ServiceDefaults(_Model):
    """One common service in the defaults file: how it is recognised, its audience and content."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    match: tuple[str, ...] = ()  # words in an e-service's key or name that mean this service
    audience: Audience = Audience(everyone=True)
    content: ServiceContent = ServiceContent()


class _DefaultsFile(_Model):
    services: tuple[ServiceDefaults, ...]


@lru_cache(maxsize=4)
def load_defaults(path: Path = DEFAULTS_FILE) -> tuple[ServiceDefaults, ...]:
    """The defaults file, validated; a located message for anything wrong in it."""
    data: Any = load_yaml_file(path)
    try:
        return _DefaultsFile.model_validate(data).services
    except ValidationError as err:
        first = err.errors()[0]
        where = f"{path}, " + ".".join(str(p) for p in first["loc"])
        raise InputError([problem("services.invalid_defaults", where=where, detail=Raw(first["msg"]))]) from None


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-zåäö0-9]+", " ", text.lower()) + " "


def defaults_for(key: str, name: str, path: Path = DEFAULTS_FILE) -> ServiceDefaults | None:
    """The common service an e-service is (by key, then by a match word in its key or name)."""
    services = load_defaults(path)
    for s in services:
        if s.key == key:
            return s
    haystack = _words(f"{key.replace('_', ' ')} {name}")
    for s in services:
        if any(_words(m).strip() and _words(m) in haystack for m in s.match):
            return s
    return None


def audience_for(key: str, name: str, own: Audience | None, path: Path = DEFAULTS_FILE) -> Audience:
    """The campaign's own audience, else the common service's, else everyone."""
    if own is not None:
        return own
    found = defaults_for(key, name, path)
    return found.audience if found is not None else Audience(everyone=True)


def content_for(key: str, name: str, own: ServiceContent | None, path: Path = DEFAULTS_FILE) -> ServiceContent:
    """The common service's content with every field the campaign file sets taking its place."""
    found = defaults_for(key, name, path)
    base = found.content if found is not None else ServiceContent()
    if own is None:
        return base
    return base.model_copy(update={f: getattr(own, f) for f in own.model_fields_set})
