"""Campaigns as documents officers make on screen: created, changed, listed, and YAML in and out.

A campaign document is a campaign file (`data/campaigns/*.yaml`, `campaigns.definitions.Campaign`)
stored in the shared database as a versioned document of kind `campaign`, keyed by the campaign's
key. The bundled files seed the list: a stored document with the key of a bundled file replaces it.
Every document read from the database or imported as YAML passes the same validation as a
campaign file (pydantic schema, bounded YAML, cross-checks against its region), with located errors.

Who may write is decided here from the roles table (`campaigns.access`): a coordinator changes
anything; an officer may only set the go-live date of their own municipality (`local_go_live`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import yaml
from pydantic import ValidationError

from common.catalogue import ListOf, Msg, Raw
from common.errors import InputError, problem
from common.yamlfile import load_yaml_text

from .access import Actor, allowed, require
from .campaign_files import check_against_region, dump_yaml, load_region, schema_problems
from .definitions import Campaign, EService, Objective, Region
from .schedule.workdays import DayRules, first_open_day
from .services import defaults_for, load_defaults
from .store import Document, merge_documents

__all__ = [
    "BUNDLED", "CAMPAIGN", "REGIONS", "Reader", "add_service", "bundled_campaigns", "checked_write",
    "current_text", "kit_into", "campaign_changes", "catalogue", "catalogue_service", "check_write",
    "go_live_only", "make_service", "merge_campaigns", "new_campaign", "new_key", "proposed_day",
    "read_campaign", "region_of", "remove_service", "set_local_go_live", "set_objectives",
]

CAMPAIGN = "campaign"  # the store's kind for campaign documents
REGIONS = Path(__file__).resolve().parent.parent / "data" / "regions"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class Reader(Protocol):
    """What is read from the shared store (campaigns.store.Store is one)."""

    def load(self, kind: str, key: str) -> Document | None: ...

    def version(self, kind: str, key: str, version: int) -> Document | None: ...


def region_of(campaign: Campaign, regions: Path = REGIONS) -> Region:
    """The region a campaign document names (`region: varmland`); a path is refused (located)."""
    if not _KEY.match(campaign.region) or not (regions / f"{campaign.region}.yaml").is_file():
        known = sorted(p.stem for p in regions.glob("*.yaml"))
        raise InputError([problem("unknown_reference", where="region", kind=Msg("ref.region"),
                                  ref=Raw(campaign.region), known=ListOf(tuple(known)))])
    return load_region(regions / f"{campaign.region}.yaml")


def read_campaign(text: str, source: str, regions: Path = REGIONS) -> Campaign:
    """A campaign document from YAML text: bounded, validated and checked against its region."""
    data = load_yaml_text(text, source, dates_as_text=True)
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as err:
        raise InputError(schema_problems(source, err)) from None
    check_against_region(campaign, region_of(campaign, regions), source)
    return campaign


# ---------------------------------------------------------------- making and changing


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c if c.isascii() and c.isalnum() else " " for c in folded if not unicodedata.combining(c))
    slug = "_".join(letters.split())[:40].strip("_")
    return slug if slug and slug[0].isalpha() else f"k_{slug}".strip("_")


def new_key(name: str, taken: Iterable[str]) -> str:
    """A campaign key from its name ("Skolval i Värmland 2027" -> skolval_i_varmland_2027), unique."""
    base, used = _slug(name), set(taken)
    key, n = base, 2
    while key in used:
        key, n = f"{base}_{n}", n + 1
    return key


def catalogue() -> dict[str, str]:
    """The common e-services of `data/e_services.yaml`: key -> the action that names it ("Välj skola")."""
    return {d.key: d.content.action or d.key for d in load_defaults()}


def catalogue_service(key: str, region: Region, go_live: dt.date, *, name: str | None = None,
                      link: str | None = None) -> EService:
    """An e-service from the catalogue: its audience and content come from the catalogue by key."""
    found = defaults_for(key, name or key)
    if found is None or found.key != key:
        raise InputError([problem("unknown_reference", where="e_services", kind=Msg("ref.e_service"), ref=Raw(key),
                                  known=ListOf(tuple(catalogue())))])
    what = (found.content.what or "").split(". ")[0].rstrip(".")
    leader = region.municipality(region.leader)
    return make_service(key=key, name=name or found.content.action or key, description=f"{what}." if what else "",
                    link=link or f"{leader.website.rstrip('/')}/e-tjanster/{key}", go_live=go_live)


def make_service(**fields: object) -> EService:
    """An e-service from an officer's fields, validated like one in a campaign file (located errors)."""
    try:
        return EService.model_validate(fields)
    except ValidationError as err:
        raise InputError(schema_problems("e_service", err)) from None


def new_campaign(name: str, region: Region, planning_start: dt.date, budget_sek: float, first: EService,
                 taken: Iterable[str]) -> Campaign:
    """A new campaign for `region` with its first e-service (a campaign always has at least one)."""
    data = {"key": new_key(f"{name} {planning_start.year}" if str(planning_start.year) not in name else name, taken),
            "name": name.strip(), "region": region.key, "planning_start": planning_start, "budget_sek": budget_sek,
            "e_services": [first.model_dump(exclude_unset=True)]}
    return _checked(data, region)


def proposed_day(region: Region, day: dt.date) -> dt.date:
    """A date to propose (planning start, go-live): the first working day on or after `day`, outside
    the region's blackouts."""
    return first_open_day(DayRules(tuple(region.blackouts), day.year, day.year + 1), day)


def _checked(data: dict[str, object], region: Region) -> Campaign:
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as err:
        raise InputError(schema_problems("campaign", err)) from None
    check_against_region(campaign, region, "campaign")
    return campaign


def _as_data(campaign: Campaign) -> dict[str, object]:
    loaded = yaml.safe_load(dump_yaml(campaign))
    assert isinstance(loaded, dict)
    return loaded


def add_service(campaign: Campaign, region: Region, service: EService) -> Campaign:
    """The campaign with one more e-service (a key already there is refused, located)."""
    if any(e.key == service.key for e in campaign.e_services):
        raise InputError([problem("campaign.duplicate_service", where=f"e_services.{service.key}",
                                  e_service=Raw(service.name))])
    data = _as_data(campaign)
    data["e_services"] = [*data["e_services"], yaml.safe_load(dump_yaml(service))]  # type: ignore[misc]
    return _checked(data, region)


def remove_service(campaign: Campaign, region: Region, key: str) -> Campaign:
    """The campaign without one e-service; the last one cannot go (a campaign launches something)."""
    campaign.e_service(key)
    if len(campaign.e_services) == 1:
        raise InputError([problem("campaign.last_service", where=f"e_services.{key}",
                                  e_service=Raw(campaign.e_services[0].name))])
    data = _as_data(campaign)
    data["e_services"] = [e for e in data["e_services"] if e["key"] != key]  # type: ignore[attr-defined]
    return _checked(data, region)


def set_local_go_live(campaign: Campaign, region: Region, key: str, municipality: str,
                      day: dt.date | None) -> Campaign:
    """One member's own go-live date for one e-service (None: back to the regional date)."""
    campaign.e_service(key)
    name = region.municipality(municipality).name
    data = _as_data(campaign)
    for e in data["e_services"]:  # type: ignore[attr-defined]
        if e["key"] == key:
            local = {k: v for k, v in (e.get("local_go_live") or {}).items() if region.municipality(k).name != name}
            if day is not None:
                local[name] = day
            if local:
                e["local_go_live"] = local
            else:
                e.pop("local_go_live", None)
    return _checked(data, region)


def set_objectives(campaign: Campaign, region: Region, key: str, objectives: list[Objective]) -> Campaign:
    """One e-service's objectives replaced (added to or taken from on Start), checked like a file's."""
    campaign.e_service(key)
    data = _as_data(campaign)
    for e in data["e_services"]:  # type: ignore[attr-defined]
        if e["key"] == key:
            if objectives:
                e["objectives"] = [yaml.safe_load(dump_yaml(o)) for o in objectives]
            else:
                e.pop("objectives", None)
    return _checked(data, region)


# ---------------------------------------------------------------- what changed, and who may change it


def campaign_changes(before: Campaign, after: Campaign) -> list[Msg]:
    """What differs between two versions, one record per change (the first names an undo)."""
    out: list[Msg] = []
    old = {e.key: e for e in before.e_services}
    new = {e.key: e for e in after.e_services}
    out += [Msg("campaign.change.added", e_service=Raw(new[k].name)) for k in new if k not in old]
    out += [Msg("campaign.change.removed", e_service=Raw(old[k].name)) for k in old if k not in new]
    out += [Msg("campaign.change.service", e_service=Raw(new[k].name)) for k in new if k in old and old[k] != new[k]]
    for name in ("name", "budget_sek", "planning_start", "offsets", "blackouts", "internal_channels", "segments"):
        if getattr(before, name) != getattr(after, name):
            out.append(Msg("campaign.change.field", field=Msg(f"campaign.field.{name}")))
    return out


def _go_live_changes(before: Campaign, after: Campaign) -> set[str] | None:
    """The municipalities whose own go-live date alone changed; None when anything else changed."""
    strip = {"e_services": {"__all__": {"local_go_live"}}}
    if len(before.e_services) != len(after.e_services) or \
            before.model_dump(exclude=strip) != after.model_dump(exclude=strip):  # type: ignore[arg-type]
        return None
    changed: set[str] = set()
    for b, a in zip(before.e_services, after.e_services):
        for ref in set(b.local_go_live) | set(a.local_go_live):
            if b.local_go_live.get(ref) != a.local_go_live.get(ref):
                changed.add(ref)
    return changed


def check_write(actor: Actor, before: Campaign | None, after: Campaign, region: Region) -> None:
    """Forbidden unless `actor` may make this change: a coordinator anything, an officer only the
    go-live date of their own municipality (checked per municipality the change touches)."""
    if allowed(actor, "edit_campaign"):
        return
    changed = None if before is None else _go_live_changes(before, after)
    if changed is None:
        require(actor, "edit_campaign")
        return
    for ref in sorted(changed):
        require(actor, "set_go_live", region.municipality(ref).name)


def go_live_only(before: Campaign, after: Campaign) -> Sequence[str] | None:
    """For a page: the members whose own date alone differs (None: more than dates changed)."""
    changed = _go_live_changes(before, after)
    return None if changed is None else sorted(changed)




# ---------------------------------------------------------------- the list, the shared store, kits

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "campaigns"


def bundled_campaigns(folder: Path = BUNDLED) -> dict[str, Path]:
    """The bundled campaign files by their key (they seed the list; a stored document replaces one)."""
    out: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = load_yaml_text(path.read_text(encoding="utf-8"), str(path), dates_as_text=True)
        if isinstance(data, dict) and isinstance(data.get("key"), str):
            out.setdefault(data["key"], path)
    return out


def current_text(store: Reader, key: str, version: int = 0, folder: Path = BUNDLED) -> str | None:
    """A campaign's text at `version` of its document (0: the bundled file it started from, if any)."""
    if version:
        doc = store.version(CAMPAIGN, key, version)
        return doc.content if doc is not None else None
    path = bundled_campaigns(folder).get(key)
    return path.read_text(encoding="utf-8") if path is not None else None


def checked_write(store: Reader, actor: Actor, key: str, content: str, based_on: int) -> Campaign:
    """The campaign a write would store, validated like a file, after the role check against the version
    it is based on (InputError/Forbidden, nothing written, when refused)."""
    source = f"{CAMPAIGN}/{key}"
    after = read_campaign(content, source)
    if after.key != key:
        raise InputError([problem("campaign.key_changed", where=f"{source}, key", key=Raw(key))])
    before_text = current_text(store, key, based_on)
    before = None
    if before_text is not None:
        try:
            before = read_campaign(before_text, source)
        except InputError:
            before = None  # an unreadable earlier version: only a coordinator may replace it
    check_write(actor, before, after, region_of(after))
    return after


def kit_into(existing: Campaign | None, kit: Campaign, region: Region, taken: Iterable[str]) -> Campaign:
    """A kit's campaign as a new document (a key not taken), or its e-services added to `existing`;
    channels the region lacks are left out (the kit's own channel definitions stay with the kit)."""
    have = {c.key for c in region.channels}
    services = [e.model_copy(update={"channels": [k for k in e.channels if k in have] or ["web"]})
                for e in kit.e_services]
    if existing is None:
        data = _as_data(kit)
        data["key"] = new_key(kit.key, taken)
        data["internal_channels"] = [k for k in kit.internal_channels if k in have]
        data["e_services"] = [yaml.safe_load(dump_yaml(e)) for e in services]
        return _checked(data, region)
    out = existing
    for e in services:
        if all(e.key != o.key for o in out.e_services):
            out = add_service(out, region, e)
    return out


def _keyed(campaign: Campaign) -> str:
    """The campaign as YAML with its e-services by key, so that a merge meets each one by its key."""
    data = _as_data(campaign)
    data["e_services"] = {e["key"]: e for e in data["e_services"]}  # type: ignore[attr-defined]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def merge_campaigns(base: Campaign, theirs: Campaign, yours: Campaign) -> tuple[Campaign, list[str]]:
    """Three-way merge of two editors' versions: e-services met by key (one added on each side: both
    kept), fields changed on one side taken; where both changed the same field, theirs is kept and
    its path listed."""
    text, clashes = merge_documents(_keyed(base), _keyed(theirs), _keyed(yours))
    data = yaml.safe_load(text)
    data["e_services"] = list((data.get("e_services") or {}).values())
    return _checked(data, region_of(theirs)), clashes
