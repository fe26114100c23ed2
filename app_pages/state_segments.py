"""The plan's segments: fitted on the data the working state names (or the stored profiles when the
data is in another session), named by the officer, and recorded in the working state.

Reading never writes. When the segments changed since the working state recorded them (a new k,
new rules, new data), `fitted()` says what the working state becomes (the new digest, the names and
moves carried over) and every getter reads that; `record_segments()` is the one step that writes it
into the session (and the shared database), called by the router on every run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from campaigns.drafts import load_edits
from campaigns.refit import RefitPreview, carry_over, preview_refit
from campaigns.shared_work import SEGMENT_SET
from campaigns.store import Conflict
from campaigns.working_state import DataChoice, Segmentation, WorkingState, state_digest
from common.catalogue import Msg, Raw
from common.errors import InputError, problem
from segments.clustering import FitResult
from segments.io import LoadResult
from segments.rules import Rule, parse_rules
from segments.segmentset import SegmentSet
from segments.statistics import mark_estimated

from . import _cached
from .state_campaign import campaign_key, may_save
from .state_data import _loaded, carry_derived, citizens, data_key, derived, statistics
from .state_work import _shared, session, update, working


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


@dataclass(frozen=True)
class Fitted:
    """The segments the working state stands for, and the working state that records them."""

    segments: SegmentSet  # profiles, before the officer's names
    state: WorkingState  # the working state itself when nothing changed; else with the new digest
    notices: list[Msg] | None = None  # what a refit could not carry over (None: no refit)
    text: str = ""  # the new profiles' YAML, to store with the refit


def fitted() -> Fitted:
    """The fitted segments (or the stored profiles when the data is in another session), with the
    officer's names and moves carried over when the segments changed since they were made."""
    return derived("fitted", _fit)


def _fit() -> Fitted:
    state = working()
    result = fit_result()
    if result is None:
        stored = _stored_segments(state.segments)
        if stored is None:
            raise InputError([problem("ws.data_elsewhere", file=Raw(state.data.file or ""))])
        return Fitted(stored, state)
    ss = result.segment_set
    digest, text = _cached.segment_yaml(ss, data_key() + repr(segment_params()))
    if digest == state.segments:
        return Fitted(ss, state)
    new, notices = state.with_(segments=digest), []
    old = _stored_segments(state.segments) if state.segments else None
    if old is not None and (state.names or state.moves):
        carried = carry_over(old, ss, state.names, state.moves)
        new = new.with_(names=carried.names, moves=carried.moves)
        notices = [Msg("ws.name_lost", name=Raw(n)) for n in carried.lost_names]
        if carried.lost_moves:
            notices.append(Msg("ws.moves_lost", n=carried.lost_moves))
    st.session_state.setdefault("segment_sets", {})[digest] = ss  # a cache: the profiles of this session's fits
    return Fitted(ss, new, notices, text)


def current() -> WorkingState:
    """The working state with the segments as they are now (what `record_segments` records)."""
    return fitted().state


def record_segments() -> None:
    """Record a refit in the working state: part of the change that refitted, not a change of its
    own (no undo step), saved at once, its profiles stored so that the names survive a reload. Does
    nothing when the segments cannot be made now (the page that shows them says why)."""
    work = session()
    try:
        f = fitted()
    except Exception:  # noqa: BLE001 - the page that needs the segments shows the problem
        return
    if f.state is work.state:
        return
    old = work.state
    digest = f.state.segments or ""
    key = f"{campaign_key()}:{digest}"
    if may_save() and _cached.store().load(SEGMENT_SET, key) is None:
        with contextlib.suppress(Conflict):  # someone stored the same profiles a moment ago
            _shared().save_segment_set(campaign_key(), digest, f.text)
    work.amend(f.state, f.notices)
    if work.state is f.state:  # (not replaced by another editor's version on a conflict)
        carry_derived(old, f.state)  # its fit, names and citizens are the ones just derived


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
    return derived("segment_set", _named_segments)


def _named_segments() -> SegmentSet:
    f = fitted()
    ss = f.segments
    if (stats := statistics()) is not None:
        ss = mark_estimated(ss, stats[0].provenance)  # profiles say that habits are estimated
    for sid, name in f.state.names.items():
        if any(s.id == sid for s in ss.segments):
            ss = ss.rename(sid, name)
    return ss


def rename(segment_id: int, name: str) -> None:
    record_segments()  # the name is given to a segment of the fit on screen
    update(names={**current().names, segment_id: name.strip()})


def preview(*, data: DataChoice | None = None, segmentation: Segmentation | None = None,
            loaded: LoadResult | None = None) -> RefitPreview | None:
    """What a proposed change of data or segmentation would keep, move and lose of the officer's work
    (None when there are no segments to compare yet). `loaded` is the proposed data when it is not the
    sample (an upload, statistics). Reading never writes: nothing is changed here."""
    state = working()
    choice, seg = data or state.data, segmentation or state.segmentation
    try:
        old = fitted().segments
        source = loaded if loaded is not None else _loaded(choice)
        if source is None:
            return None
        table = source.table
        if choice.municipalities is not None:
            table = table[table["municipality"].astype(str).isin(choice.municipalities).to_numpy()]
        rules_ = parse_rules(seg.rules) if seg.rules else ()
        new = _cached.fit(table, data_key(choice), seg.k, float(seg.min_size), rules_).segment_set
    except InputError:
        return None
    edits = [e.key.segment for e in load_edits(_cached.store(), campaign_key()).edits]
    return preview_refit(old, new, state.names, state.moves, edits)


def names_now() -> dict[int, str]:
    with contextlib.suppress(Exception):
        return {s.id: s.name for s in segment_set().segments}
    return {}


def segments_key() -> str:
    state = current()
    return state_digest(state.segments, sorted(state.names.items()))
