"""Shared session state: the campaign, its working state, and everything derived from it.

Every choice that defines a plan lives in one `WorkingState` per campaign (campaigns.working_state):
the data source and mapping, k, rules, names, budget and moves. Pages change it with `update(...)`;
each change is saved to the shared database at once (autosave), can be undone, and is restored
when the campaign is opened again. The segments, the mix and the plan are derived from it, with
cache keys that are digests of the inputs they depend on.

Uploaded citizen rows stay in this session's memory only; the database gets the file's name and
digest, and the segment profiles fitted on it (no rows), so the plan survives a reload.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import streamlit as st

from campaigns.data_fit import DataFit, check_fit, data_fit
from campaigns.definitions import Campaign, Region, region_path_for
from campaigns.drafts import Draft, EditSet, load_edits
from campaigns.mix import ChannelMix
from campaigns.refit import carry_over
from campaigns.schedule import CampaignPlan
from campaigns.shared_work import EDITS, SEGMENT_SET, SharedWork
from campaigns.store import Conflict
from campaigns.working_state import (
    DataChoice,
    FieldChange,
    WorkingState,
    changes,
    compare,
    dump_state,
    fields,
    load_state,
    state_digest,
)
from common.errors import InputError, problem
from common.messages import Msg, Raw
from segments.clustering import FitResult
from segments.io import LoadResult
from segments.rules import Rule, parse_rules
from segments.segmentset import SegmentSet
from segments.statistics import StatisticsPopulation, mark_estimated
from segments.statistics.source import spec_key

from . import _cached
from .i18n import lang, t

T = TypeVar("T")

UNDO_STEPS = 20


@contextlib.contextmanager
def guard() -> Iterator[None]:
    """Show any failure as a clear message instead of a traceback; the session's work stays."""
    try:
        yield
    except InputError as err:
        st.error(err.text(lang()))
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
        st.error(t("error_generic", what=f"{type(exc).__name__}: {exc}"))


# ---------------------------------------------------------------- the campaign


def campaign_files() -> tuple[str, ...]:
    return _cached.campaign_files()


def campaign_name(path: str) -> str:
    return _cached.campaign_and_region(path)[0].name


def campaign_path() -> str:
    """The chosen campaign file: the sidebar's choice, else the one in the address (?kampanj=)."""
    files = campaign_files()
    current = st.session_state.get("campaign_path")
    if current not in files:
        wanted = st.query_params.get("kampanj")
        current = next((f for f in files if Path(f).stem == wanted), files[0])
        st.session_state["campaign_path"] = current
    return current


def campaign() -> tuple[Campaign, Region]:
    return _cached.campaign_and_region(campaign_path())


def campaign_key() -> str:
    return campaign()[0].key


def other_regions() -> list[tuple[str, Region]]:
    """Every campaign's key and region (to suggest the campaign an upload fits)."""
    return [(c.key, r) for c, r in (_cached.campaign_and_region(f) for f in campaign_files())]


def campaign_name_of(key: str) -> str:
    return next(c.name for c, _ in (_cached.campaign_and_region(f) for f in campaign_files()) if c.key == key)


def switch_campaign(key: str) -> None:
    """Open another campaign (its own working state is restored as usual)."""
    st.session_state["campaign_path"] = next(f for f in campaign_files() if _cached.campaign_and_region(f)[0].key
                                             == key)


# ---------------------------------------------------------------- who is editing


def editor() -> str:
    """Who saves: the logged-in person's e-mail, or in local mode the name they gave (asked once)."""
    from .auth import current_user

    return current_user().email


def needs_display_name() -> bool:
    from .auth import current_user, local_name

    return current_user().local and not local_name()


def may_save() -> bool:
    """Whether this person's role may save the regional plan (the write is checked again in SharedWork)."""
    from .auth import current_user

    return current_user().may("save_plan")


# ---------------------------------------------------------------- the working state and autosave


@dataclass
class _Work:
    """This session's copy of one campaign's working state and where it stands against the database."""

    state: WorkingState
    version: int = 0  # the stored version `saved` is
    saved: WorkingState | None = None  # what the database holds at `version` (None: nothing yet)
    saved_at: dt.datetime | None = None
    undo: list[WorkingState] = field(default_factory=list)
    conflict: Conflict | None = None
    notices: list[Msg] = field(default_factory=list)
    derived: dict[str, tuple[WorkingState, object, Any]] = field(default_factory=dict)  # see _derived


def _works() -> dict[str, _Work]:
    return st.session_state.setdefault("works", {})


def _work() -> _Work:
    c, _ = campaign()
    works = _works()
    if c.key not in works:
        works[c.key] = _open(c)
    return works[c.key]


def _open(c: Campaign) -> _Work:
    """The campaign as last saved by anyone, or a fresh state from its file."""
    stored = _cached.store().load(EDITS, c.key)
    if stored is not None:
        try:
            state = load_state(stored.content, f"{EDITS}/{c.key}")
            return _Work(state, stored.version, state, stored.updated_at)
        except InputError:
            pass  # an unreadable document (e.g. the old edits format) is replaced on the next save
        return _Work(_fresh(), stored.version, None, stored.updated_at)
    return _Work(_fresh())


def working() -> WorkingState:
    return _work().state


def _fresh() -> WorkingState:
    c, _ = campaign()
    return WorkingState.fresh(c.key, c.budget_sek)


def _dirty(work: _Work) -> bool:
    """Has the officer changed a choice since the stored version? A new segment digest alone counts only
    once something is stored (a fresh, untouched campaign is not saved just for being opened)."""
    if fields(work.state) != fields(work.saved if work.saved is not None else _fresh()):
        return True
    return work.saved is not None and work.state.segments != work.saved.segments


def update(**changes_: Any) -> None:
    """Change choices: remembered for undo and saved at once."""
    work = _work()
    new = work.state.with_(**changes_)
    if new == work.state:
        return
    work.undo = [*work.undo, work.state][-UNDO_STEPS:]
    work.state = new
    autosave()


def undo() -> None:
    work = _work()
    if work.undo:
        work.state = work.undo.pop()
        autosave()


def last_change() -> FieldChange | None:
    """What undo would take back: the last change (its first field), as it was made."""
    work = _work()
    if not work.undo:
        return None
    diff = changes(work.undo[-1], work.state)
    return diff[0] if diff else None


def _shared() -> SharedWork:
    """Every write of this module goes through SharedWork, which checks the role on the server."""
    from .auth import shared_work

    return shared_work()


def autosave() -> None:
    """Save the working state when it differs from the stored one; a conflict waits for the officer.
    A role that may not save the regional plan keeps its choices in this session only."""
    work = _work()
    if work.conflict is not None or not _dirty(work) or not may_save():
        return
    try:
        doc = _shared().save_edits(work.state.campaign, dump_state(work.state), based_on=work.version)
    except Conflict as conflict:
        work.conflict = conflict
        if not compare(base_state(), _theirs(conflict) or _fresh(), work.state):
            _adopt(work, conflict.theirs)  # nothing of this session's to keep: take theirs
        return
    work.version, work.saved, work.saved_at = doc.version, work.state, doc.updated_at


def _theirs(conflict: Conflict) -> WorkingState | None:
    with contextlib.suppress(InputError):
        return load_state(conflict.theirs.content)
    return None


def _adopt(work: _Work, stored: Any) -> list[FieldChange]:
    """Take a stored version as this session's state; returns what changed."""
    theirs = load_state(stored.content, f"{EDITS}/{work.state.campaign}")
    before = work.state
    work.state, work.version, work.saved, work.saved_at = theirs, stored.version, theirs, stored.updated_at
    work.conflict = None
    return changes(before, theirs)


def sync() -> list[Msg]:
    """Take in what others saved since: adopted when this session has nothing unsaved, otherwise a
    conflict for the officer to resolve. Returns what others changed (for a notice)."""
    work = _work()
    stored = _cached.store().load(EDITS, work.state.campaign)
    if stored is None or stored.version <= work.version or work.conflict is not None:
        return []
    if not _dirty(work):
        try:
            diff = _adopt(work, stored)
        except InputError:
            return []
        titles_, names = titles(), names_now()
        return [Msg("ws.others_changed", who=Raw(stored.updated_by), what=c.message(titles_, names)) for c in diff]
    if not may_save():
        return []  # this session's choices cannot be saved anyway: nothing to merge
    base = _cached.store().version(EDITS, work.state.campaign, work.version) if work.version else None
    work.conflict = Conflict(base, stored, dump_state(work.state))
    return []


def conflict() -> Conflict | None:
    return _work().conflict


def stored_document() -> Any:
    """The campaign's stored working-state document (who saved it, when, which version), or None."""
    return _cached.store().load(EDITS, campaign_key())


def resolve(merged: WorkingState) -> None:
    """Save the merge of both editors' work on top of theirs; the conflict is cleared."""
    work = _work()
    assert work.conflict is not None
    theirs = work.conflict.theirs
    doc = _shared().merge_edits(merged.campaign, dump_state(merged), based_on=theirs.version)
    work.undo = [*work.undo, work.state][-UNDO_STEPS:]
    work.state, work.version, work.saved, work.saved_at = merged, doc.version, merged, doc.updated_at
    work.conflict = None


def base_state() -> WorkingState:
    """The version both editors started from in the current conflict (fresh state when none)."""
    c = _work().conflict
    assert c is not None
    if c.base is not None:
        with contextlib.suppress(InputError):
            return load_state(c.base.content)
    return _fresh()


def save_status() -> tuple[str, dict[str, Any]]:
    """('saved'|'unsaved'|'read_only'|'conflict'|'fresh', values) for the sidebar."""
    work = _work()
    if work.conflict is not None:
        return "conflict", {"who": work.conflict.theirs.updated_by}
    if _dirty(work):
        return ("unsaved" if may_save() else "read_only"), {}
    if work.saved_at is not None:
        return "saved", {"when": work.saved_at, "v": work.version}
    return "fresh", {}


def notices() -> list[Msg]:
    """Things the officer should know about the working state (a renamed segment that is gone …)."""
    return _work().notices


# ---------------------------------------------------------------- data


def remember_upload(name: str, data: bytes, digest: str) -> None:
    """Keep an uploaded file's bytes (`digest` is their sha1) in this session, never in the database."""
    uploads = st.session_state.setdefault("uploads", {})
    uploads[digest] = (name, data)
    for old in list(uploads)[:-2]:  # the last two files are enough
        del uploads[old]


def use_statistics(spec: dict) -> None:
    """Rows built from SCB statistics become the plan's data (the statistics files stay in this session)."""
    st.session_state["statistics"] = spec
    update(data=DataChoice(source="statistics", file=spec["population"][0], digest=spec_key(spec)))


def statistics() -> tuple[StatisticsPopulation, LoadResult] | None:
    """The population built from SCB statistics, when that is the chosen source and this session has it."""
    spec = st.session_state.get("statistics")
    choice = working().data
    if not spec or choice.source != "statistics" or spec_key(spec) != choice.digest:
        return None
    return _cached.statistics(spec, spec.get("campaign") or campaign_path())  # usage read against its campaign


def _loaded(choice: DataChoice, progress: Callable[[str], None] | None = None) -> LoadResult | None:
    """The data a choice names, when this session has it (an upload or statistics live only in the
    session that brought them)."""
    if choice.source == "upload":
        held = st.session_state.get("uploads", {}).get(choice.digest)
        if held is None:
            return None
        return _cached.uploaded_citizens(held[1], choice.digest or "", held[0], choice.drop_personal,
                                         tuple(sorted(choice.column_map.items())), progress)
    if choice.source == "statistics":
        stats = statistics()
        return None if stats is None else stats[1]
    c, r = campaign()
    path = region_path_for(c, Path(campaign_path())).parent / (r.sample_citizens or "")
    return _cached.sample_citizens(str(path))


def persons_by_municipality(result: LoadResult) -> dict[str, float]:
    table = result.table
    return {str(k): float(v) for k, v in table.groupby("municipality", observed=True)["weight"].sum().items()}


def fit_of(result: LoadResult) -> DataFit:
    return data_fit(persons_by_municipality(result), campaign()[1])


def citizens(progress: Callable[[str], None] | None = None) -> LoadResult | None:
    """The citizen table the plan uses (only municipalities kept, if the officer chose so); None when
    the data was uploaded in another session. Refused when nobody in it lives in the region. Made
    once per working state: keeping municipalities copies the table and the check groups every row."""
    return _derived("citizens", lambda: _kept_citizens(progress), progress)


def _kept_citizens(progress: Callable[[str], None] | None) -> LoadResult | None:
    choice = working().data
    result = _loaded(choice, progress)
    if result is None:
        return None
    if choice.municipalities is not None:
        keep = result.table["municipality"].astype(str).isin(choice.municipalities)
        result = LoadResult(result.table[keep.to_numpy()].reset_index(drop=True), result.notices,
                            result.description, result.dropped_personal_columns)
    if choice.source == "upload":
        check_fit(fit_of(result))
    return result


def data_available() -> bool:
    return _loaded(working().data) is not None


def data_key() -> str:
    """What the citizen table is: the sample file, or the upload's digest with its options."""
    choice = working().data
    if choice.source == "upload":
        return "upload:" + state_digest(choice.model_dump_json())
    if choice.source == "statistics":
        return "statistics:" + state_digest(choice.model_dump_json(), campaign_path())
    return "sample:" + campaign_path() + (":" + state_digest(choice.municipalities)
                                         if choice.municipalities is not None else "")


def data_label() -> str:
    choice = working().data
    if choice.source == "sample":
        return t("data_source_sample")
    if choice.source == "statistics" and data_available():
        return t("statistics.ui.data_label", name=choice.file or "")
    return t("data_source_upload" if data_available() else "data_source_elsewhere", name=choice.file or "")


# ---------------------------------------------------------------- segments


def rules() -> tuple[Rule, ...]:
    rules_ = working().segmentation.rules
    return parse_rules(rules_) if rules_ else ()


def segment_params() -> tuple[int | str, float, tuple[Rule, ...]]:
    s = working().segmentation
    return s.k, float(s.min_size), rules()


def fit_result(progress: Callable[[str], None] | None = None) -> FitResult | None:
    loaded = citizens(progress)
    if loaded is None:
        return None
    k, min_size, rules_ = segment_params()
    return _cached.fit(loaded.table, data_key(), k, min_size, rules_, progress)


def auto_fit_result() -> FitResult | None:
    """The fit with k chosen automatically: its k candidates are shown whichever k is picked."""
    loaded = citizens()
    if loaded is None:
        return None
    _, min_size, rules_ = segment_params()
    return _cached.fit(loaded.table, data_key(), "auto", min_size, rules_)


def _derived(name: str, compute: Callable[[], T], progress: Callable[[str], None] | None = None) -> T:
    """A value derived from the working state and the data it names, kept while both are the same
    objects: every change makes a new (frozen) state and the data comes from a cache, so identity
    says "unchanged". Pages ask for the segments a dozen times a run; each fresh derivation walks
    the data choice, rules, fit and digests again. `progress` reports a first read of the data."""
    work = _work()
    source = _loaded(work.state.data, progress)
    kept = work.derived.get(name)
    if kept is not None and kept[0] is work.state and kept[1] is source:
        return cast(T, kept[2])
    value = compute()
    work.derived[name] = (work.state, source, value)  # the state as it is now (a refit records its digest)
    return value


def _base_segments() -> SegmentSet:
    return _derived("base_segments", _fitted_segments)


def _fitted_segments() -> SegmentSet:
    """The fitted segments (or the stored profiles when the data is in another session), with the
    officer's names and moves carried over when the segments changed since they were made."""
    result = fit_result()
    work = _work()
    if result is None:
        stored = _stored_segments(work.state.segments)
        if stored is None:
            raise InputError([problem("ws.data_elsewhere", file=Raw(work.state.data.file or ""))])
        return stored
    ss = result.segment_set
    digest, text = _cached.segment_yaml(ss, data_key() + repr(segment_params()))
    if digest != work.state.segments:
        _remember_segments(digest, ss, text)
        old = _stored_segments(work.state.segments) if work.state.segments else None
        state = work.state.with_(segments=digest)
        if old is not None and (work.state.names or work.state.moves):
            carried = carry_over(old, ss, work.state.names, work.state.moves)
            state = state.with_(names=carried.names, moves=carried.moves)
            work.notices = [Msg("ws.name_lost", name=Raw(n)) for n in carried.lost_names]
            if carried.lost_moves:
                work.notices.append(Msg("ws.moves_lost", n=carried.lost_moves))
        work.state = state  # part of the change that refitted, not a change of its own
        autosave()
    return ss


def _remember_segments(digest: str, ss: SegmentSet, text: str) -> None:
    st.session_state.setdefault("segment_sets", {})[digest] = ss
    key = f"{campaign_key()}:{digest}"
    if may_save() and _cached.store().load(SEGMENT_SET, key) is None:
        with contextlib.suppress(Conflict):  # someone stored the same profiles a moment ago
            _shared().save_segment_set(campaign_key(), digest, text)


def _stored_segments(digest: str | None) -> SegmentSet | None:
    if digest is None:
        return None
    held = st.session_state.setdefault("segment_sets", {})
    if digest not in held:
        doc = _cached.store().load(SEGMENT_SET, f"{campaign_key()}:{digest}")
        if doc is None:
            return None
        held[digest] = SegmentSet.from_yaml(doc.content)
    return held[digest]


def segment_set() -> SegmentSet:
    return _derived("segment_set", _named_segments)


def _named_segments() -> SegmentSet:
    ss = _base_segments()
    if (stats := statistics()) is not None:
        ss = mark_estimated(ss, stats[0].provenance)  # profiles say that habits are estimated
    for sid, name in working().names.items():
        if any(s.id == sid for s in ss.segments):
            ss = ss.rename(sid, name)
    return ss


def rename(segment_id: int, name: str) -> None:
    update(names={**working().names, segment_id: name.strip()})


def names_now() -> dict[int, str]:
    with contextlib.suppress(Exception):
        return {s.id: s.name for s in segment_set().segments}
    return {}


def segments_key() -> str:
    _base_segments()  # first: a refit records its digest and the names carried over
    state = _work().state
    return state_digest(state.segments, sorted(state.names.items()))


# ---------------------------------------------------------------- budget, mix, plan


def budget() -> float | None:
    """The budget in kronor; None means no limit."""
    return working().budget_sek


def channel_mix() -> ChannelMix:
    value = budget()
    return _cached.mix(campaign_path(), segment_set(), segments_key(), math.inf if value is None else value)


def mix_choice_key() -> str:
    """What the mix chose (campaign, segments and the options picked). The plan depends on the budget only through the options the mix picks: a budget above what
    the useful channels cost, or one that changes no choice, finds the plan already made."""
    return state_digest(campaign_path(), segments_key(), channel_mix().picked)


def moves() -> dict[str, dt.date]:
    return dict(working().moves)


def base_plan(key: str | None = None) -> CampaignPlan:
    """The scheduled plan before the officer's moves; `key` is `mix_choice_key()` when the caller has it."""
    return _cached.plan(campaign_path(), segment_set(), channel_mix(), key or mix_choice_key())


def _moved() -> tuple[CampaignPlan, tuple[str, ...]]:
    key = mix_choice_key()
    return _cached.moved_plan(base_plan(key), key, tuple(working().moves.items()))


def plan() -> CampaignPlan:
    """The scheduled plan with the officer's moves applied (a move that no longer applies is skipped)."""
    return _moved()[0]


def skipped_moves() -> tuple[str, ...]:
    return _moved()[1]


def plan_key() -> str:
    return state_digest(mix_choice_key(), sorted(working().moves.items()))


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


# ---------------------------------------------------------------- drafts


def draft_edits() -> EditSet:
    """The campaign's stored draft edits, read fresh on every run (another session may have saved)."""
    c, _ = campaign()
    return load_edits(_cached.store(), c.key)


def drafts(municipality: str, e_service: str) -> list[Draft]:
    """Every draft for one municipality and e-service, stored edits applied (what is signed off too)."""
    edits = draft_edits()
    return _cached.drafts(campaign_path(), segment_set(), segments_key(), municipality, e_service, edits,
                          edits.stamp)
