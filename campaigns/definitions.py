"""Region and campaign definitions: pydantic models at the YAML boundary, with located errors.

A region file describes the members (who does the work, how many hours they have), the channels
and their constraints, and blackout periods. A campaign file lists the e-services to launch.
Reading and writing the files (located errors, load → save round-trips) is `campaigns.campaign_files`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from common.catalogue import ByLang, ListOf, Msg
from common.errors import InputError, problem
from common.gate import withheld
from common.limits import MAX_COUNT, MAX_POPULATION
from common.links import link_problem
from common.municipality_list import by_code, lookup

from .services import Audience, ServiceContent, audience_for, content_for

__all__ = [
    "WEEKDAYS", "Blackout", "Campaign", "Channel", "EService", "GlossaryTerm", "Municipality", "Objective", "Offsets",
    "Region", "Staff", "UnknownReference"
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Habit = Literal["daily_internet", "facebook", "bankid", "paper", "offline", "everyone"]


# Dates a plan can be made for: far-off years (9999-12-31) would overflow the calendar arithmetic.
PlanDate = Annotated[dt.date, Field(ge=dt.date(2000, 1, 1), le=dt.date(2099, 12, 31))]


def _named(sv: str, en: str | None) -> ByLang:
    """A name from a file with its optional English form (`name_en`); Swedish when there is none."""
    return ByLang.of(sv=sv, en=en or sv)


class _Model(BaseModel):
    # Infinity and NaN are never a budget, a cost or a number of hours.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _web_link(value: str) -> str:
    """Only http(s) links with a host and no user name reach a draft's href (no `javascript:`)."""
    code = link_problem(value)
    if code:
        raise PydanticCustomError("web_link", "not a safe http(s) link", {"why": Msg(code)})
    return value


class Staff(_Model):
    role: str
    hours_per_week: float = Field(ge=0, le=168)


class Municipality(_Model):
    code: str = Field(pattern=r"^\d{4}$", description="kommunkod, four digits")
    name: str
    population: int = Field(gt=0, le=MAX_POPULATION)
    households: int = Field(gt=0, le=MAX_POPULATION)
    website: str
    contact: str
    distribution_days: list[Weekday] | None = None
    help_venue: str | None = None  # where citizens get help, e.g. the library
    help_times: str | None = None
    # how citizens ask: every web and flyer draft prints these (a draft warns about each one missing)
    phone: str | None = None
    email: str | None = None
    opening_hours: str | None = None
    visiting_address: str | None = None
    official_name: str | None = None  # as printed on headers and signatures; default from the official list
    staff: list[Staff] = Field(min_length=1)

    _website = field_validator("website")(_web_link)

    @model_validator(mode="after")
    def _official(self) -> Municipality:
        """Code and name of one of Sweden's 290 municipalities, agreeing (common.municipality_list)."""
        found = by_code(self.code)
        if found is None or lookup(self.name) != found:
            raise PydanticCustomError("not_official", "not one of Sweden's municipalities")
        return self

    @property
    def weekly_hours(self) -> float:
        return sum(s.hours_per_week for s in self.staff)

    def official(self) -> str:
        """"Karlstads kommun": the region's override, else the form in Sweden's official list by code."""
        found = by_code(self.code)
        return self.official_name or (found.official_form if found else f"{self.name} kommun")


class Channel(_Model):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    name_en: str | None = None  # the English form for English tables and files (plans keep `name`)
    kind: Literal["digital", "print", "in_person"]
    internal: bool = False  # staff-facing (internal marketing) rather than citizen-facing
    hours: float = Field(default=1.0, ge=0, le=1000, description="staff hours per activity")
    lead_working_days: int = Field(default=0, ge=0, le=260, description="order/prepare this many working days before")
    max_per_week: int | None = Field(default=None, ge=1, le=10_000)
    max_per_month: int | None = Field(default=None, ge=1, le=10_000)
    venue_capacity: int | None = Field(default=None, ge=1, le=MAX_COUNT)
    distribution_days_only: bool = False
    max_waves: int | None = Field(default=None, ge=1, le=52, description="used only in the first N waves")
    template: str | None = None  # message template under templates/, default by key or kind
    affinity_habit: Habit = "everyone"
    reach_rate: float = Field(default=0.1, gt=0, le=1, description="share of the segment's habit-holders "
                              "one activity reaches")
    cost_fixed: float = Field(default=0, ge=0, le=1e10)
    cost_per_unit: float = Field(default=0, ge=0, le=1e10)
    cost_per_1000: float = Field(default=0, ge=0, le=1e10)

    @property
    def title(self) -> ByLang:
        """The name in the reader's language: the English form where the region gives one."""
        return _named(self.name, self.name_en)


_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class Blackout(_Model):
    """A recurring period (month-day to month-day, may wrap the new year) with no activities."""

    name: str
    start: str
    end: str
    in_person_only: bool = False

    @field_validator("start", "end")
    @classmethod
    def _month_day(cls, v: str) -> str:
        if not _MONTH_DAY.match(str(v)):
            raise PydanticCustomError("month_day", "not a month-day like 07-01")
        return str(v)

    def covers(self, day: dt.date) -> bool:
        md = day.strftime("%m-%d")
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end


class GlossaryTerm(_Model):
    """A word the region has agreed on, and the words it should replace."""

    term: str
    definition: str
    discouraged: list[str] = []


class Region(_Model):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    description: str = ""
    leader: str = Field(description="kommunkod of the leading municipality")
    sample_citizens: str | None = None
    distribution_days: list[Weekday] = ["tue", "thu"]
    shared_material_factor: float = Field(default=0.5, gt=0, le=1)
    municipalities: list[Municipality] = Field(min_length=1)
    channels: list[Channel] = Field(min_length=1)
    blackouts: list[Blackout] = []
    glossary: list[GlossaryTerm] = []

    @model_validator(mode="after")
    def _consistent(self) -> Region:
        codes = [m.code for m in self.municipalities]
        if len(set(codes)) != len(codes):
            raise PydanticCustomError("duplicate_municipality", "two municipalities have the same code")
        # A member is looked up by code or by name: a name that is a code (another's, or any four
        # digits) or two names alike would make a reference mean two members.
        names = [m.name.strip().lower() for m in self.municipalities]
        if len(set(names)) != len(names):
            raise PydanticCustomError("duplicate_municipality_name", "two municipalities have the same name")
        if any(n in codes or n.isdigit() or not n for n in names):
            raise PydanticCustomError("municipality_name_is_code", "a municipality's name is a code or empty")
        if sum(m.population for m in self.municipalities) > MAX_POPULATION:
            raise PydanticCustomError("population_too_large", "the members have more inhabitants than Sweden")
        if self.leader not in codes:
            raise PydanticCustomError("leader_not_member", "the leader is not one of the municipalities",
                                      {"leader": self.leader})
        keys = [c.key for c in self.channels]
        if len(set(keys)) != len(keys):
            raise PydanticCustomError("duplicate_channel", "two channels have the same key")
        return self

    def municipality(self, ref: str) -> Municipality:
        """By kommunkod or name (case-insensitive); UnknownReference when it is not a member."""
        for m in self.municipalities:
            if ref == m.code or ref.lower() == m.name.lower():
                return m
        raise UnknownReference.of("municipality", ref, [m.name for m in self.municipalities])

    def channel(self, key: str) -> Channel:
        """By key; UnknownReference when the region has no such channel."""
        for c in self.channels:
            if c.key == key:
                return c
        raise UnknownReference.of("channel", key, [c.key for c in self.channels])

    def participants(self, e: EService) -> list[Municipality]:
        """Members taking part in an e-service: all or those listed, plus any with a local go-live date."""
        codes = {m.code for m in self.municipalities} if e.municipalities == "all" else {
            self.municipality(ref).code for ref in e.municipalities}
        codes |= {self.municipality(ref).code for ref in e.local_go_live}
        return [m for m in self.municipalities if m.code in codes]

    def distribution_days_for(self, m: Municipality) -> list[str]:
        return list(m.distribution_days or self.distribution_days)


class Offsets(_Model):
    internal_briefing_weeks_before: int = Field(default=4, ge=1, le=104)
    staff_training_weeks_before: int = Field(default=2, ge=1, le=104)
    external_waves_weeks: list[Annotated[int, Field(ge=0, le=104)]] = Field(default=[0, 2, 6], min_length=1,
                                                                          max_length=52)
    evaluation_weeks_after: int = Field(default=12, ge=1, le=104)
    search_days: int = Field(default=30, ge=1, le=366, description="how many days an activity may move")


class Objective(_Model):
    """A SMART objective set before the campaign and scored after it (see campaigns.objectives):
    `target` is a change in the metric's unit, a share of the baseline (`relative`) or a `level`."""

    metric: Literal["uses_per_1000", "digital_share", "heard_of"]
    target: float = Field(ge=-1000, le=1000)
    kind: Literal["change", "relative", "level"] = "change"
    by: PlanDate
    segment: int | None = Field(default=None, ge=0, le=99)

    @model_validator(mode="after")
    def _sensible(self) -> Objective:
        if self.metric == "heard_of" and self.kind != "level":
            raise PydanticCustomError("objective_level_only", "heard_of takes a level to reach")
        if (self.metric != "uses_per_1000" and self.kind == "level" and not 0 < self.target <= 1) or (
                self.kind == "relative" and self.target <= -1):
            raise PydanticCustomError("objective_share", "a share between 0 and 1")
        return self


class EService(_Model):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    name_en: str | None = None  # the English form for English tables and files (plans keep `name`)
    description: str = ""  # what the service lets a citizen do, one sentence
    link: str
    go_live: PlanDate | None = None
    local_go_live: dict[str, PlanDate] = {}
    municipalities: Literal["all"] | list[str] = "all"
    channels: list[str] = ["web", "facebook", "flyer", "training"]
    segments: Literal["all"] | list[int] = "all"
    audience: Audience | None = None  # who it is for; default from data/e_services.yaml
    content: ServiceContent | None = None  # what to tell citizens; fields default from the same file
    objectives: list[Objective] = Field(default=[], max_length=10)  # set before, scored after

    @property
    def title(self) -> ByLang:
        """The name in the reader's language: the English form where the campaign gives one."""
        return _named(self.name, self.name_en)

    def target_audience(self) -> Audience:
        return audience_for(self.key, self.name, self.audience)

    def service_content(self) -> ServiceContent:
        return content_for(self.key, self.name, self.content)

    _link = field_validator("link")(_web_link)

    @model_validator(mode="after")
    def _dates(self) -> EService:
        if self.go_live is None and not self.local_go_live:
            raise PydanticCustomError("needs_go_live", "needs go_live or local_go_live")
        return self


class UnknownReference(InputError, KeyError):
    """A municipality, channel or e-service that the definitions do not have (also a KeyError)."""

    @classmethod
    def of(cls, kind: str, ref: str, known: list[str]) -> UnknownReference:
        return cls([problem("unknown_reference", kind=Msg(f"ref.{kind}"), ref=withheld(ref, known),
                            known=ListOf(tuple(known)))])

    def __str__(self) -> str:
        return self.text("en")


class Campaign(_Model):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    region: str
    segments: str | None = None
    planning_start: PlanDate
    budget_sek: float = Field(default=0, ge=0, le=1e10)
    offsets: Offsets = Offsets()
    blackouts: list[Blackout] = []
    internal_channels: list[str] = ["intranet", "staff_training"]
    e_services: list[EService] = Field(min_length=1)

    def e_service(self, key: str) -> EService:
        """By key; UnknownReference when the campaign has no such e-service."""
        for e in self.e_services:
            if e.key == key:
                return e
        raise UnknownReference.of("e_service", key, [e.key for e in self.e_services])
