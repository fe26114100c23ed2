"""Reading and writing region and campaign files: YAML in, validated models out, every problem
located (file, path in the file) and worded through the catalogue; the cross-file checks a
campaign needs against its region; and the writer whose output round-trips (load → dump)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from common.catalogue import ListOf, Msg, Raw
from common.errors import InputError, Problem, problem
from common.gate import withheld
from common.screening import quoted
from common.yamlfile import load_yaml_file

from .definitions import Campaign, Region

__all__ = ["check_against_region", "dump_yaml", "load_campaign", "load_region", "region_path_for", "schema_problems"]


def _where(loc: tuple[Any, ...]) -> str:
    """`e_services[0].local_go_live.Munkfors`: a key the file wrote (an unknown field, a name used as a
    key) is user text, shown only when it is short and holds no personal data, else as "…"."""
    out = ""
    for part in loc:
        if isinstance(part, str) and (len(part) > 40 or not isinstance(quoted(part), Raw)):
            part = "…"
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# pydantic's error types that get their own wording; the rest read "invalid value".
_SCHEMA_CODES = {
    "missing", "extra_forbidden", "greater_than", "greater_than_equal", "less_than_equal", "less_than",
    "string_pattern_mismatch", "literal_error", "int_parsing", "int_from_float", "float_parsing", "finite_number",
    "bool_parsing", "list_type", "dict_type", "string_type", "too_short", "too_long", "date_parsing",
    "date_from_datetime_parsing", "date_type", "model_type", "month_day", "duplicate_municipality",
    "leader_not_member", "duplicate_channel", "needs_go_live", "web_link", "duplicate_municipality_name",
    "municipality_name_is_code", "population_too_large", "not_official", "objective_level_only", "objective_share",
}


def schema_problems(source: str, err: ValidationError) -> list[Problem]:
    """One located problem per pydantic error, worded through the catalogue (`schema.<type>`)."""
    problems = []
    for e in err.errors():
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        where = f"{source}, {_where(loc)}" if loc else source
        kind = e["type"] if e["type"] in _SCHEMA_CODES else "invalid"
        if kind.startswith("date"):
            kind = "date_parsing"
        ctx = {k: (v if isinstance(v, (int, float, Msg)) else Raw(str(v))) for k, v in (e.get("ctx") or {}).items()}
        ctx.pop("error", None)
        problems.append(Problem(Msg(f"schema.{kind}", value=quoted(str(e.get("input", ""))), **ctx), where=where))
    return problems


def _read_yaml(path: Path) -> Any:
    return load_yaml_file(path, dates_as_text=True)


def load_region(path: str | Path) -> Region:
    path = Path(path)
    data = _read_yaml(path)
    try:
        return Region.model_validate(data)
    except ValidationError as err:
        raise InputError(schema_problems(str(path), err)) from None


def region_path_for(campaign: Campaign, campaign_path: Path) -> Path:
    """`region: varmland` means data/regions/varmland.yaml (beside the campaigns folder)."""
    ref = Path(campaign.region)
    if ref.suffix in (".yaml", ".yml"):
        return ref if ref.is_absolute() else (campaign_path.parent / ref)
    return campaign_path.parent.parent / "regions" / f"{campaign.region}.yaml"


def check_against_region(campaign: Campaign, region: Region, source: str) -> None:
    """Cross-file checks: every municipality, channel and date the campaign names must exist."""
    problems = []
    channel_keys = {c.key for c in region.channels}
    for i, key in enumerate(campaign.internal_channels):
        if key not in channel_keys:
            problems.append(problem("unknown_channel", where=f"{source}, internal_channels[{i}]", channel=withheld(key),
                                    known=ListOf(tuple(sorted(channel_keys)))))
    for i, e in enumerate(campaign.e_services):
        at = f"{source}, e_services[{i}]"
        refs = [] if e.municipalities == "all" else e.municipalities
        for field, listed in (("municipalities", refs), ("local_go_live", list(e.local_go_live))):
            problems += [problem("not_a_member", where=f"{at}.{field}[{j}]", ref=withheld(ref), region=region.name)
                         for j, ref in enumerate(listed) if not _known(region, ref)]
        for j, key in enumerate(e.channels):
            if key not in channel_keys:
                problems.append(problem("unknown_channel", where=f"{at}.channels[{j}]", channel=withheld(key),
                                        known=ListOf(tuple(sorted(channel_keys)))))
        if e.go_live is None:
            named = {region.municipality(r).code for r in e.local_go_live if _known(region, r)}
            members = {m.code for m in region.municipalities} if e.municipalities == "all" else {
                region.municipality(r).code for r in refs if _known(region, r)}
            missing = sorted(members - named)
            if missing:
                problems.append(problem("no_go_live_for", where=at, n=len(missing),
                                        municipalities=ListOf(tuple(region.municipality(c).name for c in missing))))
        if e.go_live and e.go_live < campaign.planning_start:
            problems.append(problem("go_live_before_start", where=f"{at}.go_live", go_live=e.go_live,
                                    start=campaign.planning_start))
    if problems:
        raise InputError(problems)


def _known(region: Region, ref: str) -> bool:
    try:
        region.municipality(ref)
        return True
    except KeyError:
        return False


def load_campaign(path: str | Path) -> tuple[Campaign, Region]:
    """Read and validate a campaign file and the region it refers to."""
    path = Path(path)
    data = _read_yaml(path)
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as err:
        raise InputError(schema_problems(str(path), err)) from None
    region = load_region(region_path_for(campaign, path))
    check_against_region(campaign, region, str(path))
    return campaign, region


def dump_yaml(model: BaseModel) -> str:
    """YAML with only the fields the file set, in model order: load → dump gives the same text."""
    data = model.model_dump(mode="python", exclude_unset=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
