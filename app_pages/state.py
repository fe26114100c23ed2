"""Shared session state, the one face pages use: the campaign, its working state, and what is derived.

Every choice that defines a plan lives in one `WorkingState` per campaign (campaigns.working_state):
the data source and mapping, k, rules, names, budget and moves. Pages change it with `update(...)`;
the engine (campaigns.working_session) saves each change at once, can undo it, meets what others
saved, and restores it when the campaign is opened again. The segments, the mix and the plan are
derived from it, with cache keys that are digests of the inputs they depend on.

The work is split by job; this module re-exports it so that pages import one name:

- `state_campaign`: which campaign, who edits, `guard`;
- `state_work`: the working session (update, undo, conflicts, status);
- `state_data`: the data source (sample, upload, statistics) and the citizen table;
- `state_segments`: the fit, the officer's names, and `record_segments` (the one write of a refit);
- `state_plan`: budget, mix, schedule, drafts.
"""

from __future__ import annotations

from typing import Any

from campaigns.working_session import UNDO_STEPS
from common.catalogue import Msg, Raw

from . import state_work
from .state_campaign import (
    campaign,
    campaign_file,
    campaign_files,
    campaign_key,
    campaign_keys,
    campaign_name,
    campaign_name_of,
    campaign_path,
    campaign_title,
    chosen_key,
    editor,
    guard,
    may_save,
    needs_display_name,
    other_regions,
    refresh,
    switch_campaign,
)
from .state_data import (
    citizens,
    data_available,
    data_key,
    data_label,
    fit_of,
    forget_statistics,
    persons_by_municipality,
    remember_upload,
    statistics,
    statistics_spec,
    use_statistics,
)
from .state_plan import (
    base_plan,
    budget,
    channel_mix,
    draft_edits,
    drafts,
    mix_choice_key,
    moves,
    plan,
    plan_key,
    skipped_moves,
    titles,
)
from .state_segments import (
    auto_fit_result,
    current,
    fit_result,
    names_now,
    preview,
    record_segments,
    rename,
    rules,
    segment_params,
    segment_set,
    segments_key,
)
from .state_work import (
    autosave,
    base_state,
    conflict,
    last_change,
    notices,
    resolve,
    save_status,
    session,
    stored_document,
    undo,
    working,
)

__all__ = [
    "UNDO_STEPS", "auto_fit_result", "autosave", "base_plan", "base_state", "budget", "campaign", "campaign_file",
    "campaign_files", "campaign_key", "campaign_keys", "campaign_name", "campaign_name_of", "campaign_path",
    "campaign_title", "chosen_key", "refresh", "channel_mix", "citizens", "conflict",
    "current", "data_available", "data_key", "data_label", "draft_edits", "drafts", "editor", "fit_of", "fit_result",
    "forget_statistics", "guard", "last_change", "may_save", "mix_choice_key", "moves", "names_now",
    "needs_display_name", "notices", "other_regions", "persons_by_municipality", "plan", "plan_key", "preview",
    "record_segments", "remember_upload", "rename", "resolve", "rules", "save_status", "segment_params",
    "segment_set", "segments_key", "session", "skipped_moves", "statistics", "statistics_spec", "stored_document",
    "switch_campaign", "sync", "titles", "undo", "update", "use_statistics", "working",
]


def update(**changes: Any) -> None:
    """Change choices: remembered for undo and saved at once (on top of the segments as they are now)."""
    record_segments()
    state_work.update(**changes)


def sync() -> list[Msg]:
    """Take in what others saved since: adopted when this session has nothing unsaved, otherwise a
    conflict for the officer to resolve. Returns what others changed (for a notice)."""
    taken = session().sync()
    if taken is None:
        return []
    titles_, names = titles(), names_now()
    return [Msg("ws.others_changed", who=Raw(taken.who), what=c.message(titles_, names)) for c in taken.changes]
