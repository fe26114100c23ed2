"""Campaign kits: what a leading municipality hands to followers, as one YAML file.

A kit carries the plan's skeleton (e-services, what they do, channels, timing offsets), the
segment wording, the templates and the glossary — but none of the leader's local values. Importing
it fills in the follower's own region, municipalities, dates and links, lists every change it
would make (for the officer to preview before applying) and every point that still needs a local
decision — all as messages worded at the edges.

A kit comes from another organisation, so it is untrusted input: read within size, depth and
alias limits, checked against a schema with length limits, its links kept on the importing
municipality's own host (parsed with urllib.parse: http(s) only, no user name), and channels it
names but neither the region nor the kit defines are refused with the list of known ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from common.catalogue import Day, ListOf, Msg, Raw
from common.errors import InputError, Problem, problem
from common.gate import withheld
from common.links import link_problem
from common.yamlfile import load_yaml_text

from .campaign_files import schema_problems
from .definitions import Campaign, Channel, EService, GlossaryTerm, Offsets, Region
from .drafts import TEMPLATES
from .schedule.workdays import DayRules, first_open_day
from .services import Audience, ServiceContent

__all__ = ["KIT_FORMAT", "KitImport", "export_kit", "import_kit"]

KIT_FORMAT = "kit/1"
SOURCE = "kampanjkit"  # how refusals name the file
_Name = Field(min_length=1, max_length=200)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _KitSource(_Strict):
    region: str = _Name
    leader: str = _Name
    campaign: str = _Name
    exported: str = Field(default="", max_length=40)


class _KitEService(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)
    name: str = _Name
    description: str = Field(default="", max_length=2000)
    channels: list[str] = Field(max_length=30)
    link_path: str | None = Field(default=None, max_length=300)
    audience: Audience | None = None  # who the service is for, shared with the followers
    content: ServiceContent | None = None  # what citizens need to know, shared material


class _KitSkeleton(_Strict):
    name: str = _Name
    offsets: dict[str, Any] = {}
    internal_channels: list[str] = Field(default=[], max_length=30)
    e_services: list[_KitEService] = Field(min_length=1, max_length=50)


class _KitFile(_Strict):
    format: Literal["kit/1"]
    source: _KitSource
    skeleton: _KitSkeleton
    channels: list[Channel] = Field(default=[], max_length=50)
    glossary: list[GlossaryTerm] = Field(default=[], max_length=500)
    wording: dict[str, Any] = {}
    templates: dict[str, str] = Field(default={}, max_length=200)


@dataclass(frozen=True)
class KitImport:
    campaign: Campaign
    region: Region  # the follower's region, with channels and glossary terms the kit brought
    wording: dict[str, Any]
    templates: dict[str, str]
    decisions: tuple[Msg, ...]  # what the follower still has to decide
    changes: tuple[Msg, ...] = ()  # everything applying the kit would add, for the preview


def _shared_blocks(e: EService) -> dict[str, Any]:
    """An e-service's audience and content blocks, when its campaign file sets them: shared material."""
    return {k: v.model_dump(mode="json", exclude_unset=True) for k, v in
            (("audience", e.audience), ("content", e.content)) if v is not None}


def export_kit(campaign: Campaign, region: Region, templates_dir: Path = TEMPLATES) -> str:
    """The kit as YAML text: skeleton, channels, glossary, wording and templates."""
    used = list(dict.fromkeys([k for e in campaign.e_services for k in e.channels] + campaign.internal_channels))
    data = {
        "format": KIT_FORMAT,
        "source": {"region": region.name, "leader": region.municipality(region.leader).name,
                   "campaign": campaign.name, "exported": dt.date.today().isoformat()},
        "skeleton": {
            "name": campaign.name,
            "offsets": campaign.offsets.model_dump(),
            "internal_channels": list(campaign.internal_channels),
            "e_services": [{"key": e.key, "name": e.name, "description": e.description, "channels": list(e.channels),
                            "link_path": urlsplit(e.link).path, **_shared_blocks(e)} for e in campaign.e_services],
        },
        "channels": [region.channel(k).model_dump(exclude_defaults=True) for k in used],
        "glossary": [g.model_dump() for g in region.glossary],
        "wording": yaml.safe_load((templates_dir / "wording.yaml").read_text(encoding="utf-8")),
        "templates": {p.relative_to(templates_dir).as_posix(): p.read_text(encoding="utf-8")
                      for p in sorted(templates_dir.rglob("*.j2"))},
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _read_kit(kit_text: str) -> _KitFile:
    data = load_yaml_text(kit_text, SOURCE)
    if not isinstance(data, dict) or data.get("format") != KIT_FORMAT:
        raise InputError([problem("not_a_kit", hint=Msg("hint_format_line", format=KIT_FORMAT))])
    try:
        kit = _KitFile.model_validate(data)
    except ValidationError as err:
        raise InputError(schema_problems(SOURCE, err)) from None
    bad = [problem("kit.template_path", where=f"{SOURCE}, templates", path=withheld(p)) for p in kit.templates
           if ".." in p.split("/") or p.startswith("/") or not p.endswith(".j2") or len(kit.templates[p]) > 100_000]
    if bad:
        raise InputError(bad)
    return kit


def _check_channels(kit: _KitFile, region: Region) -> None:
    """Every channel the skeleton names must be the region's or defined in the kit."""
    known = sorted({c.key for c in region.channels} | {c.key for c in kit.channels})
    problems: list[Problem] = []
    named = [(f"skeleton.internal_channels[{i}]", k) for i, k in enumerate(kit.skeleton.internal_channels)]
    named += [(f"skeleton.e_services[{i}].channels[{j}]", k)
              for i, e in enumerate(kit.skeleton.e_services) for j, k in enumerate(e.channels)]
    for where, key in named:
        if key not in known:
            problems.append(problem("unknown_channel", where=f"{SOURCE}, {where}", channel=withheld(key),
                                    known=ListOf(tuple(known))))
    if problems:
        raise InputError(problems)


def _links(kit: _KitFile, base: str) -> list[str]:
    """Each e-service's link on the importing municipality's own host, or a located refusal."""
    host = urlsplit(base).hostname if link_problem(base) is None else None
    if host is None:
        raise InputError([problem("kit.bad_base", why=Msg(link_problem(base) or "link.no_host"), link=Raw(base))])
    links, problems = [], []
    for i, e in enumerate(kit.skeleton.e_services):
        path = e.link_path or f"/{e.key}"
        link = base.rstrip("/") + path
        why = link_problem(link, host=host) or (
            "link.not_a_path" if not path.startswith("/") or path.startswith("//") else None)
        if why:
            problems.append(problem("kit.link_elsewhere", where=f"{SOURCE}, skeleton.e_services[{i}].link_path",
                                    why=Msg(why), host=host, path=Raw(path)))
        links.append(link)
    if problems:
        raise InputError(problems)
    return links


def _replace_names(text: str, source: dict[str, str], region: Region) -> str:
    leader = region.municipality(region.leader).name
    return text.replace(source["region"], region.name).replace(source["leader"], leader)


def _extend_region(kit: _KitFile, region: Region, decisions: list[Msg], changes: list[Msg]) -> Region:
    """The region with the channels and glossary terms the kit brings that it lacks (each listed)."""
    have = {c.key for c in region.channels}
    channels = list(region.channels)
    for c in kit.channels:
        if c.key not in have:
            channels.append(c)
            have.add(c.key)
            decisions.append(Msg("kit.decide.channel_added", channel=Raw(c.name), region=region.name))
            changes.append(Msg("kit.change.channel", channel=Raw(c.name), key=c.key))
    terms = {g.term.lower() for g in region.glossary}
    new_terms = [g for g in kit.glossary if g.term.lower() not in terms]
    if new_terms:
        changes.append(Msg("kit.change.glossary", n=len(new_terms), terms=ListOf(tuple(g.term for g in new_terms))))
    return region.model_copy(update={"channels": channels, "glossary": list(region.glossary) + new_terms})


def _channel_name(region: Region, kit: _KitFile, key: str) -> str:
    """A channel's name ("Webbplats"), never its key, for the preview."""
    found = next((c for c in [*region.channels, *kit.channels] if c.key == key), None)
    return found.name if found is not None else key


def import_kit(kit_text: str, region: Region, *, key: str, planning_start: dt.date,
               go_live: dict[str, dt.date] | None = None, municipalities: list[str] | None = None,
               link_base: str | None = None) -> KitImport:
    """Fill a kit with the follower's own values; whatever it cannot know becomes a decision.

    Nothing is applied here: the result lists every change (`changes`) for the officer to preview;
    `campaigns.shared_work.SharedWork.apply_kit` keeps it, after checking the officer's role."""
    kit = _read_kit(kit_text)
    _check_channels(kit, region)
    leader = region.municipality(region.leader)
    base = (link_base or leader.website).rstrip("/")
    links = _links(kit, base)
    source = kit.source.model_dump()
    decisions: list[Msg] = []
    changes: list[Msg] = []
    if link_base is None:
        decisions.append(Msg("kit.decide.links", base=base))

    new_region = _extend_region(kit, region, decisions, changes)

    go_live = go_live or {}
    members: Literal["all"] | list[str] = municipalities or "all"
    services = []
    rules = DayRules(tuple(new_region.blackouts), planning_start.year, planning_start.year + 3)
    default_day = planning_start + dt.timedelta(weeks=8)
    for i, (e, link) in enumerate(zip(kit.skeleton.e_services, links)):
        day = go_live.get(e.key)
        if day is None:
            day = first_open_day(rules, default_day + dt.timedelta(weeks=4 * i))
            decisions.append(Msg("kit.decide.go_live", e_service=e.name, day=Day(day)))
        services.append(EService(key=e.key, name=e.name, description=e.description, link=link, go_live=day,
                                 municipalities=members, channels=list(e.channels), audience=e.audience,
                                 content=e.content))
        changes.append(Msg("kit.change.e_service", e_service=e.name, link=link, day=Day(day),
                           channels=ListOf(tuple(_channel_name(new_region, kit, k) for k in e.channels))))
    decisions.append(Msg("kit.decide.budget"))
    decisions.append(Msg("kit.decide.segments"))
    try:
        campaign = Campaign(key=key, name=_replace_names(kit.skeleton.name, source, region), region=region.key,
                            planning_start=planning_start, budget_sek=0,
                            offsets=Offsets.model_validate(kit.skeleton.offsets),
                            internal_channels=kit.skeleton.internal_channels, e_services=services)
    except ValidationError as err:
        raise InputError(schema_problems(SOURCE, err)) from None
    changes.insert(0, Msg("kit.change.campaign", campaign=campaign.name, key=campaign.key, region=region.name,
                          n=len(services)))
    if kit.templates:
        changes.append(Msg("kit.change.templates", n=len(kit.templates)))
    if kit.wording:
        changes.append(Msg("kit.change.wording", n=len(kit.wording.get("profiles") or kit.wording)))
    return KitImport(campaign, new_region, dict(kit.wording), dict(kit.templates), tuple(decisions), tuple(changes))
