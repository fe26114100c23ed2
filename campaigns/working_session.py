"""One session's copy of a versioned document in the shared store: undo, autosave, conflicts, merge.

An officer's choices are saved as they work (autosave), can be taken back (undo), and meet what
other officers saved: adopted when this session has nothing unsaved, otherwise a conflict the officer
resolves with a three-way merge. A role that may not save keeps its changes in its own session.

The engine is generic over the document: a `DocumentType` says how to read, write and compare one
(the regional plan's working state is `WORKING_STATE`; a campaign document officers make on screen
can be another). The store, the checked writes and the permission come in as callables, so the
engine never knows who is logged in or which UI drives it, and tests drive it without Streamlit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

from common.catalogue import Msg
from common.errors import InputError

from .shared_work import EDITS
from .store import Conflict, Document
from .working_state import WorkingState, changes, compare, dump_state, fields, load_state

__all__ = ["UNDO_STEPS", "WORKING_STATE", "DocumentType", "Reader", "Status", "Taken", "WorkingSession"]

D = TypeVar("D")
UNDO_STEPS = 20
Status = Literal["saved", "unsaved", "read_only", "conflict", "fresh"]


class Reader(Protocol):
    """What the engine reads from the shared store (campaigns.store.Store is one)."""

    def load(self, kind: str, key: str) -> Document | None: ...

    def version(self, kind: str, key: str, version: int) -> Document | None: ...


@dataclass(frozen=True)
class DocumentType(Generic[D]):
    """How one kind of versioned document is read, written and compared.

    `load(text, source)` raises InputError for an unreadable document; `changes(before, after)` lists
    what differs (its first item names an undo); `keeps(base, theirs, yours)` says whether `yours`
    holds anything `theirs` lacks (when not, a conflict simply adopts theirs); `unsaved(state, saved,
    fresh)` whether `state` differs from what is stored (`saved` is None when nothing is)."""

    kind: str
    load: Callable[[str, str], D]
    dump: Callable[[D], str]
    changes: Callable[[D, D], Sequence[Any]]
    keeps: Callable[[D, D, D], bool]
    unsaved: Callable[[D, D | None, D], bool]


def _unsaved_state(state: WorkingState, saved: WorkingState | None, fresh: WorkingState) -> bool:
    """A choice changed since the stored version; a new segment digest alone counts only once something
    is stored (a fresh, untouched campaign is not saved just for being opened)."""
    if fields(state) != fields(saved if saved is not None else fresh):
        return True
    return saved is not None and state.segments != saved.segments


WORKING_STATE: DocumentType[WorkingState] = DocumentType(
    kind=EDITS, load=load_state, dump=dump_state, changes=changes,
    keeps=lambda base, theirs, yours: bool(compare(base, theirs, yours)),
    unsaved=_unsaved_state)


@dataclass(frozen=True)
class Taken:
    """What `sync` adopted from another session: who saved it and what changed."""

    who: str
    changes: Sequence[Any]


Save = Callable[[str, int], Document]  # (content, based_on) -> the stored version; raises Conflict


@dataclass
class WorkingSession(Generic[D]):
    """This session's copy of one document and where it stands against the store.

    `save` writes a new version on top of `based_on` (raising Conflict when someone saved since) and
    `merge` writes a resolved merge; both are expected to check the actor's role. `may_save` says
    whether this session's role may save at all."""

    doc_type: DocumentType[D]
    key: str
    fresh: D
    store: Callable[[], Reader]
    save: Save
    merge: Save
    may_save: Callable[[], bool]
    state: D = None  # type: ignore[assignment]  # set in __post_init__ when not given
    version: int = 0  # the stored version `saved` is
    saved: D | None = None  # what the store holds at `version` (None: nothing yet, or unreadable)
    saved_at: dt.datetime | None = None
    undo_stack: list[D] = field(default_factory=list)
    conflict: Conflict | None = None
    notices: list[Msg] = field(default_factory=list)
    remember: Callable[[list[str]], None] | None = None  # keeps the undo steps (as documents) beyond the session

    def restore_undo(self, texts: Sequence[str]) -> WorkingSession[D]:
        """Undo steps kept by `remember` in an earlier session (after a reload); unreadable ones are skipped."""
        steps = [self._readable_text(text) for text in texts[-UNDO_STEPS:]]
        self.undo_stack = [s for s in steps if s is not None]
        return self

    def _readable_text(self, text: str) -> D | None:
        with contextlib.suppress(InputError):
            return self._load(text)
        return None

    def _remembered(self) -> None:
        if self.remember is not None:
            self.remember([self.doc_type.dump(s) for s in self.undo_stack])

    def __post_init__(self) -> None:
        if self.state is None:
            self.state = self.fresh

    # -------------------------------------------------- opening

    def open(self) -> WorkingSession[D]:
        """Start from the document as last saved by anyone (an unreadable one is replaced on the next save)."""
        stored = self.store().load(self.doc_type.kind, self.key)
        if stored is not None:
            self.version, self.saved_at = stored.version, stored.updated_at
            with contextlib.suppress(InputError):
                self.state = self.saved = self._load(stored.content)
        return self

    def _load(self, text: str) -> D:
        return self.doc_type.load(text, f"{self.doc_type.kind}/{self.key}")

    # -------------------------------------------------- changing

    def dirty(self) -> bool:
        return self.doc_type.unsaved(self.state, self.saved, self.fresh)

    def change(self, new: D) -> None:
        """A change by the officer: remembered for undo and saved at once."""
        if new == self.state:
            return
        self.undo_stack = [*self.undo_stack, self.state][-UNDO_STEPS:]
        self.state = new
        self.autosave()
        self._remembered()

    def amend(self, new: D, notices: list[Msg] | None = None) -> None:
        """A consequence of the last change (e.g. a refit recording its segments): saved, not undoable."""
        self.state = new
        if notices is not None:
            self.notices = notices
        self.autosave()

    def undo(self) -> None:
        if self.undo_stack:
            self.state = self.undo_stack.pop()
            self.autosave()
            self._remembered()

    def last_change(self) -> Any | None:
        """What undo would take back: the last change (its first item), as it was made."""
        if not self.undo_stack:
            return None
        diff = self.doc_type.changes(self.undo_stack[-1], self.state)
        return diff[0] if diff else None

    # -------------------------------------------------- saving and meeting others' work

    def autosave(self) -> None:
        """Save when the document differs from the stored one; a conflict waits for the officer.
        A role that may not save keeps its changes in this session only."""
        if self.conflict is not None or not self.dirty() or not self.may_save():
            return
        try:
            doc = self.save(self.doc_type.dump(self.state), self.version)
        except Conflict as conflict:
            self.conflict = conflict
            theirs = self._readable(conflict.theirs)
            if not self.doc_type.keeps(self.base(), self.fresh if theirs is None else theirs, self.state):
                self._adopt(conflict.theirs)  # nothing of this session's to keep: take theirs
            return
        self.version, self.saved, self.saved_at = doc.version, self.state, doc.updated_at

    def _readable(self, doc: Document | None) -> D | None:
        if doc is None:
            return None
        with contextlib.suppress(InputError):
            return self._load(doc.content)
        return None

    def _adopt(self, stored: Document) -> Sequence[Any]:
        """Take a stored version as this session's document; returns what changed."""
        theirs = self._load(stored.content)
        before = self.state
        self.state, self.version, self.saved, self.saved_at = theirs, stored.version, theirs, stored.updated_at
        self.conflict = None
        return self.doc_type.changes(before, theirs)

    def sync(self) -> Taken | None:
        """Take in what others saved since: adopted when this session has nothing unsaved (returned,
        for a notice), otherwise a conflict for the officer to resolve."""
        stored = self.store().load(self.doc_type.kind, self.key)
        if stored is None or stored.version <= self.version or self.conflict is not None:
            return None
        if not self.dirty():
            try:
                return Taken(stored.updated_by, self._adopt(stored))
            except InputError:
                return None
        if not self.may_save():
            return None  # this session's changes cannot be saved anyway: nothing to merge
        base = self.store().version(self.doc_type.kind, self.key, self.version) if self.version else None
        self.conflict = Conflict(base, stored, self.doc_type.dump(self.state))
        return None

    def base(self) -> D:
        """The version both editors started from in the current conflict (fresh when none or unreadable)."""
        assert self.conflict is not None
        base = self._readable(self.conflict.base)
        return self.fresh if base is None else base

    def theirs(self) -> D | None:
        """The other editor's version in the current conflict (None when unreadable)."""
        assert self.conflict is not None
        return self._readable(self.conflict.theirs)

    def resolve(self, merged: D) -> None:
        """Save the merge of both editors' work on top of theirs; the conflict is cleared."""
        assert self.conflict is not None
        doc = self.merge(self.doc_type.dump(merged), self.conflict.theirs.version)
        self.undo_stack = [*self.undo_stack, self.state][-UNDO_STEPS:]
        self.state, self.version, self.saved, self.saved_at = merged, doc.version, merged, doc.updated_at
        self.conflict = None
        self._remembered()

    def status(self) -> tuple[Status, dict[str, Any]]:
        """('saved'|'unsaved'|'read_only'|'conflict'|'fresh', values) for a status line."""
        if self.conflict is not None:
            return "conflict", {"who": self.conflict.theirs.updated_by}
        if self.dirty():
            return ("unsaved" if self.may_save() else "read_only"), {}
        if self.saved_at is not None:
            return "saved", {"when": self.saved_at, "v": self.version}
        return "fresh", {}

