"""Campaign kits: what a leading municipality hands to followers, as one YAML file.

A kit carries the plan's skeleton (e-services, what they do, channels, timing offsets), the
segment wording, the templates and the glossary — but none of the leader's local values. Importing
it fills in the follower's own region, municipalities, dates and links, and lists every point
that still needs a local decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml

from common.errors import InputError, problem
from common.messages import Msg
from common.yamlfile import load_yaml_text

from .definitions import Campaign, Channel, EService, GlossaryTerm, Offsets, Region
from .messages import TEMPLATES

__all__ = ["KIT_FORMAT", "KitImport", "export_kit", "import_kit"]

KIT_FORMAT = "kit/1"


@dataclass(frozen=True)
class KitImport:
    campaign: Campaign
    region: Region  # the follower's region, with channels and glossary terms the kit brought
    wording: dict[str, Any]
    templates: dict[str, str]
    decisions: tuple[str, ...]  # what the follower still has to decide, in Swedish


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
                            "link_path": urlsplit(e.link).path} for e in campaign.e_services],
        },
        "channels": [region.channel(k).model_dump(exclude_defaults=True) for k in used],
        "glossary": [g.model_dump() for g in region.glossary],
        "wording": yaml.safe_load((templates_dir / "wording.yaml").read_text(encoding="utf-8")),
        "templates": {p.relative_to(templates_dir).as_posix(): p.read_text(encoding="utf-8")
                      for p in sorted(templates_dir.rglob("*.j2"))},
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _replace_names(text: str, source: dict[str, str], region: Region) -> str:
    leader = region.municipality(region.leader).name
    return text.replace(source["region"], region.name).replace(source["leader"], leader)


def import_kit(kit_text: str, region: Region, *, key: str, planning_start: dt.date,
               go_live: dict[str, dt.date] | None = None, municipalities: list[str] | None = None,
               link_base: str | None = None) -> KitImport:
    """Fill a kit with the follower's own values; whatever it cannot know becomes a decision."""
    kit = load_yaml_text(kit_text, "kit")
    if not isinstance(kit, dict) or kit.get("format") != KIT_FORMAT:
        raise InputError([problem("not_a_kit", hint=Msg("hint_format_line", format=KIT_FORMAT))])
    source = kit["source"]
    skeleton = kit["skeleton"]
    decisions: list[str] = []
    leader = region.municipality(region.leader)
    base = (link_base or leader.website).rstrip("/")
    if link_base is None:
        decisions.append(f"Länkarna pekar på {base}/…; kontrollera att e-tjänsterna finns där.")

    have = {c.key for c in region.channels}
    channels = list(region.channels)
    for c in kit.get("channels", []):
        if c["key"] not in have:
            channels.append(Channel.model_validate(c))
            decisions.append(f"Kanalen \"{c['name']}\" fanns inte i {region.name} och har lagts till från kitet; "
                             "kontrollera kostnader, tider och kapacitet.")
    terms = {g.term.lower() for g in region.glossary}
    glossary = list(region.glossary) + [GlossaryTerm.model_validate(g) for g in kit.get("glossary", [])
                                        if g["term"].lower() not in terms]

    go_live = go_live or {}
    members: Literal["all"] | list[str] = municipalities or "all"
    services = []
    default_day = planning_start + dt.timedelta(weeks=8)
    for i, e in enumerate(skeleton["e_services"]):
        day = go_live.get(e["key"])
        if day is None:
            day = default_day + dt.timedelta(weeks=4 * i)
            decisions.append(f"Bestäm lanseringsdatum för {e['name']} (förslag: {day}).")
        services.append(EService(key=e["key"], name=e["name"], description=e.get("description", ""),
                                 link=f"{base}{e.get('link_path') or '/' + e['key']}", go_live=day,
                                 municipalities=members, channels=list(e["channels"])))
    decisions.append("Sätt kampanjens budget (kitet tar inte med ledarens budget).")
    decisions.append("Segmenten räknas fram ur era egna invånardata; läs igenom namnen och ordvalen per segment.")
    campaign = Campaign(key=key, name=_replace_names(skeleton["name"], source, region), region=region.key,
                        planning_start=planning_start, budget_sek=0,
                        offsets=Offsets.model_validate(skeleton.get("offsets") or {}),
                        internal_channels=skeleton["internal_channels"],
                        e_services=services)
    new_region = region.model_copy(update={"channels": channels, "glossary": glossary})
    return KitImport(campaign, new_region, kit.get("wording", {}), dict(kit.get("templates", {})), tuple(decisions))
