"""The working-state engine without Streamlit: undo, autosave, conflicts with another session, adopting
theirs when there is nothing to keep, a merge that resolves, a read-only role, the undo limit, notices."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from campaigns.access import Actor, Forbidden
from campaigns.shared_work import EDITS, SharedWork
from campaigns.store import Store
from campaigns.working_session import UNDO_STEPS, WORKING_STATE, DocumentType, WorkingSession
from campaigns.working_state import Segmentation, WorkingState, dump_state, merge
from common.catalogue import Msg

KEY = "varmland_2027"
FRESH = WorkingState.fresh(KEY, 240_000)
MOVE = "varmland_2027:vigsel:1780:publish:0:facebook:2"


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'shared.sqlite'}")


def _session(store: Store, email: str = "anna@kil.se", role: str = "coordinator") -> WorkingSession[WorkingState]:
    shared = SharedWork(store, Actor(email, role))  # type: ignore[arg-type]
    return WorkingSession(
        WORKING_STATE, KEY, FRESH, store=lambda: store,
        save=lambda content, v: shared.save_edits(KEY, content, based_on=v),
        merge=lambda content, v: shared.merge_edits(KEY, content, based_on=v),
        may_save=lambda: role == "coordinator").open()


def _stored(store: Store) -> dict:
    doc = store.load(EDITS, KEY)
    assert doc is not None
    return yaml.safe_load(doc.content)


def test_an_untouched_campaign_is_not_saved_and_a_change_is_saved_at_once(store):
    s = _session(store)
    assert s.status() == ("fresh", {}) and store.load(EDITS, KEY) is None
    s.change(s.state.with_(budget_sek=180_000))
    assert _stored(store)["budget_sek"] == 180_000
    status, values = s.status()
    assert status == "saved" and values["v"] == 1
    s.change(s.state.with_(budget_sek=180_000))  # no change: no new version
    assert store.load(EDITS, KEY).version == 1  # type: ignore[union-attr]


def test_undo_takes_back_the_last_change_and_saves_that_too(store):
    s = _session(store)
    s.change(s.state.with_(budget_sek=150_000))
    last = s.last_change()
    assert last is not None and (last.field, last.before, last.after) == ("budget_sek", 240_000, 150_000)
    s.undo()
    assert s.state.budget_sek == 240_000 and _stored(store)["budget_sek"] == 240_000
    assert s.last_change() is None
    s.undo()  # nothing left: nothing happens
    assert s.state == FRESH


def test_undo_keeps_only_the_last_steps(store):
    s = _session(store)
    for i in range(UNDO_STEPS + 5):
        s.change(s.state.with_(budget_sek=100_000 + i))
    for _ in range(UNDO_STEPS + 5):
        s.undo()
    assert s.state.budget_sek == 100_000 + 4  # the first five steps fell off


def test_a_reopened_session_starts_from_what_was_saved(store):
    s = _session(store)
    s.change(s.state.with_(moves={MOVE: dt.date(2027, 3, 18)}))
    again = _session(store, "bo@kil.se")
    assert again.state == s.state and again.version == 1 and again.status()[0] == "saved"


def test_an_unreadable_stored_document_is_replaced_on_the_next_save(store):
    store.save(EDITS, KEY, "budget: [old format", based_on=0, user="x")
    s = _session(store)
    assert s.state == FRESH and s.saved is None and s.version == 1
    s.change(s.state.with_(budget_sek=1))
    assert _stored(store)["budget_sek"] == 1 and s.version == 2


def test_sync_adopts_what_another_session_saved_when_nothing_is_unsaved(store):
    anna, bo = _session(store), _session(store, "bo@kil.se")
    anna.change(anna.state.with_(budget_sek=180_000))
    taken = bo.sync()
    assert taken is not None and taken.who == "anna@kil.se"
    assert [c.field for c in taken.changes] == ["budget_sek"] and bo.state.budget_sek == 180_000
    assert bo.sync() is None  # nothing new since


def test_a_save_after_another_session_saved_adopts_theirs_when_there_is_nothing_to_keep(store):
    anna, bo = _session(store), _session(store, "bo@kil.se")
    anna.change(anna.state.with_(budget_sek=180_000))
    bo.change(bo.state.with_(budget_sek=180_000))  # the same choice: nothing of Bo's to keep
    assert bo.conflict is None and bo.version == 1 and bo.state.budget_sek == 180_000


def test_a_clash_waits_for_the_officer_and_the_merge_keeps_both(store):
    anna, bo = _session(store), _session(store, "bo@kil.se")
    anna.change(anna.state.with_(budget_sek=180_000))
    bo.change(bo.state.with_(names={2: "Yrkesfolk"}))
    assert bo.conflict is not None and bo.status() == ("conflict", {"who": "anna@kil.se"})
    assert bo.base() == FRESH and bo.theirs() == anna.state
    bo.change(bo.state.with_(budget_sek=1))  # no save while the conflict waits
    assert _stored(store)["budget_sek"] == 180_000
    bo.undo()
    theirs = bo.theirs()
    assert theirs is not None
    bo.resolve(merge(bo.base(), theirs, bo.state))
    final = _stored(store)
    assert final["budget_sek"] == 180_000 and final["names"] == {"2": "Yrkesfolk"}
    assert bo.conflict is None and bo.version == 2 and bo.status()[0] == "saved"
    assert anna.sync() is not None and anna.state.names == {2: "Yrkesfolk"}


def test_unsaved_work_meets_a_newer_version_as_a_conflict_on_sync(store):
    anna, bo = _session(store), _session(store, "bo@kil.se")
    anna.change(anna.state.with_(budget_sek=180_000))
    bo.state = bo.state.with_(segmentation=Segmentation(k=4))  # unsaved (e.g. made before the save failed)
    assert bo.sync() is None and bo.conflict is not None
    assert bo.conflict.base is None and bo.conflict.theirs.version == 1


def test_a_role_that_may_not_save_keeps_its_changes_in_the_session(store):
    viewer = _session(store, "vera@kil.se", role="viewer")
    viewer.change(viewer.state.with_(budget_sek=99_000))
    assert store.load(EDITS, KEY) is None and viewer.state.budget_sek == 99_000
    assert viewer.status() == ("read_only", {})
    coordinator = _session(store)
    coordinator.change(coordinator.state.with_(names={1: "Seniorer"}))
    assert viewer.sync() is None and viewer.conflict is None  # nothing to merge: it cannot be saved
    with pytest.raises(Forbidden):  # the write itself is checked too, not only `may_save`
        viewer.save(dump_state(viewer.state), 1)


def test_a_new_segment_digest_alone_is_saved_only_once_something_is_stored(store):
    s = _session(store)
    s.amend(s.state.with_(segments="d1"), [Msg("ws.moves_lost", n=1)])
    assert store.load(EDITS, KEY) is None and s.notices == [Msg("ws.moves_lost", n=1)]
    s.change(s.state.with_(budget_sek=1))
    s.amend(s.state.with_(segments="d2"))
    assert _stored(store)["segments"] == "d2" and s.last_change().field == "budget_sek"  # type: ignore[union-attr]
    assert s.notices == [Msg("ws.moves_lost", n=1)]  # kept until a refit says otherwise


def test_the_engine_serves_another_document_type(store):
    """A plain text document versioned the same way (what a campaign document will use)."""
    text: DocumentType[str] = DocumentType(
        kind="note", load=lambda t, _src: t, dump=lambda t: t,
        changes=lambda a, b: [] if a == b else [(a, b)],
        keeps=lambda base, theirs, yours: yours not in (base, theirs),
        unsaved=lambda state, saved, fresh: state != (fresh if saved is None else saved))

    def session(user: str) -> WorkingSession[str]:
        return WorkingSession(text, "k", "", store=lambda: store,
                              save=lambda c, v: store.save("note", "k", c, based_on=v, user=user),
                              merge=lambda c, v: store.save("note", "k", c, based_on=v, user=user),
                              may_save=lambda: True).open()

    a, b = session("a"), session("b")
    a.change("hej")
    b.change("hallå")
    assert b.conflict is not None and b.theirs() == "hej"
    b.resolve("hej hallå")
    assert store.load("note", "k").content == "hej hallå"  # type: ignore[union-attr]
    assert a.sync() is not None and a.state == "hej hallå"
