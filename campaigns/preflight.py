"""Checks on a campaign's inputs that span files, made before anything is planned or written:
a refusal here costs nothing, while the same fault found while writing drafts would leave half
an output folder behind.
"""

from __future__ import annotations

from pathlib import Path

from common.catalogue import Raw
from common.errors import InputError, Problem, problem

from .definitions import Campaign, Region
from .drafts import TEMPLATES, template_for

__all__ = ["check_plan_inputs", "template_problems"]


def template_problems(campaign: Campaign, region: Region, source: str) -> list[Problem]:
    """Every channel the campaign uses has a template file under templates/."""
    used = set(campaign.internal_channels) | {key for e in campaign.e_services for key in e.channels}
    problems = []
    root = TEMPLATES.resolve()
    for i, channel in enumerate(region.channels):
        if channel.key not in used:
            continue
        name = template_for(channel)
        path = (TEMPLATES / name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            problems.append(problem("unknown_template", where=f"{source}, channels[{i}].template",
                                    template=Raw(name), hint="hint_template"))
    return problems


def check_plan_inputs(campaign: Campaign, region: Region, region_source: str | Path) -> None:
    """InputError with every problem found; nothing when the inputs can be planned and written."""
    problems = template_problems(campaign, region, str(region_source))
    if problems:
        raise InputError(problems)
