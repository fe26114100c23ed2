"""What the plan is made of once the segments are known: budget, channel mix, schedule, drafts.

Every value is derived from the working state (with its segments recorded, `current()`) through the
shared caches; the keys are digests of what each result depends on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterator, Mapping

from campaigns.drafts import Draft, EditSet, load_edits
from campaigns.mix import ChannelMix
from campaigns.schedule import CampaignPlan
from campaigns.working_state import state_digest
from common.catalogue import Msg, Raw

from . import _cached
from .state_campaign import campaign_key, campaign_path
from .state_segments import current, segment_set, segments_key
from .state_work import working


def budget() -> float | None:
    """The budget in kronor; None means no limit."""
    return working().budget_sek


def channel_mix() -> ChannelMix:
    value = budget()
    return _cached.mix(campaign_path(), segment_set(), segments_key(), math.inf if value is None else value)


def mix_choice_key() -> str:
    """What the mix chose (campaign, segments and the options picked). The plan depends on the budget
    only through the options the mix picks: a budget above what the useful channels cost, or one that
    changes no choice, finds the plan already made."""
    return state_digest(campaign_path(), segments_key(), channel_mix().picked)


def moves() -> dict[str, dt.date]:
    return dict(current().moves)


def base_plan(key: str | None = None) -> CampaignPlan:
    """The scheduled plan before the officer's moves; `key` is `mix_choice_key()` when the caller has it."""
    return _cached.plan(campaign_path(), segment_set(), channel_mix(), key or mix_choice_key())


def _moved() -> tuple[CampaignPlan, tuple[str, ...]]:
    key = mix_choice_key()
    return _cached.moved_plan(base_plan(key), key, tuple(current().moves.items()))


def plan() -> CampaignPlan:
    """The scheduled plan with the officer's moves applied (a move that no longer applies is skipped)."""
    return _moved()[0]


def skipped_moves() -> tuple[str, ...]:
    return _moved()[1]


def plan_key() -> str:
    return state_digest(mix_choice_key(), sorted(current().moves.items()))


class _Titles(Mapping[str, Msg]):
    """Activity id -> its title with the municipality, made on the first look-up. Naming a change
    happens on every run after one (the sidebar's Undo); only a moved activity needs the plan, so a
    budget change on Kanaler does not schedule the whole campaign just to label its Undo button."""

    def __init__(self) -> None:
        self._titles: dict[str, Msg] | None = None

    def _all(self) -> dict[str, Msg]:
        if self._titles is None:
            self._titles = {}
            with contextlib.suppress(Exception):
                self._titles = {a.id: Msg("ws.activity", municipality=Raw(a.municipality_name), title=a.title)
                                for a in base_plan().activities}
        return self._titles

    def __getitem__(self, activity_id: str) -> Msg:
        return self._all()[activity_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def titles() -> Mapping[str, Msg]:
    """Activity id -> its title with the municipality, to name a move in a change or a conflict."""
    return _Titles()


def draft_edits() -> EditSet:
    """The campaign's stored draft edits, read fresh on every run (another session may have saved)."""
    return load_edits(_cached.store(), campaign_key())


def drafts(municipality: str, e_service: str) -> list[Draft]:
    """Every draft for one municipality and e-service, stored edits applied (what is signed off too)."""
    edits = draft_edits()
    return _cached.drafts(campaign_path(), segment_set(), segments_key(), municipality, e_service, edits,
                          edits.stamp)
