"""This session's working state of the chosen campaign: the Streamlit side of campaigns.working_session.

One `WorkingSession` per campaign lives in the session (st.session_state["works"]); pages change the
state with `update(...)`, and the engine saves it at once, keeps the undo steps and meets what others
saved. The store, the role-checked writes (SharedWork) and the permission are handed to it here.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from campaigns.definitions import Campaign
from campaigns.shared_work import SharedWork
from campaigns.store import Conflict, Document
from campaigns.working_session import WORKING_STATE, Status, WorkingSession
from campaigns.working_state import FieldChange, WorkingState
from common.catalogue import Msg

from . import _cached
from .state_campaign import campaign, campaign_key, may_save

Session = WorkingSession[WorkingState]


def _shared() -> SharedWork:
    """Every write of the working state goes through SharedWork, which checks the role on the server."""
    from .auth import shared_work

    return shared_work()


def _open(c: Campaign) -> Session:
    """The campaign as last saved by anyone, or a fresh state from its file; this person's undo steps
    as kept in the shared database (so that they survive a reload)."""
    from .state_campaign_doc import restore_undo

    key = c.key
    work = WorkingSession(
        WORKING_STATE, key, WorkingState.fresh(key, c.budget_sek), store=_cached.store,
        save=lambda content, based_on: _shared().save_edits(key, content, based_on=based_on),
        merge=lambda content, based_on: _shared().merge_edits(key, content, based_on=based_on),
        may_save=may_save, remember=(lambda steps: _shared().keep_undo(WORKING_STATE.kind, key, steps))
        if may_save() else None).open()
    restore_undo(work, WORKING_STATE.kind, key)
    return work


def session() -> Session:
    """The chosen campaign's working session (opened on first use in this browser session)."""
    c, _ = campaign()
    works: dict[str, Session] = st.session_state.setdefault("works", {})
    if c.key not in works:
        works[c.key] = _open(c)
    return works[c.key]


def working() -> WorkingState:
    return session().state


def update(**changes_: Any) -> None:
    """Change choices: remembered for undo and saved at once."""
    work = session()
    work.change(work.state.with_(**changes_))


def undo() -> None:
    session().undo()


def autosave() -> None:
    session().autosave()


def last_change() -> FieldChange | None:
    """What undo would take back: the last change (its first field), as it was made."""
    change = session().last_change()
    return change if isinstance(change, FieldChange) else None


def conflict() -> Conflict | None:
    return session().conflict


def stored_document() -> Document | None:
    """The campaign's stored working-state document (who saved it, when, which version), or None."""
    return _cached.store().load(WORKING_STATE.kind, campaign_key())


def resolve(merged: WorkingState) -> None:
    """Save the merge of both editors' work on top of theirs; the conflict is cleared."""
    session().resolve(merged)


def base_state() -> WorkingState:
    """The version both editors started from in the current conflict (fresh state when none)."""
    return session().base()


def save_status() -> tuple[Status, dict[str, Any]]:
    """('saved'|'unsaved'|'read_only'|'conflict'|'fresh', values) for the sidebar."""
    return session().status()


def notices() -> list[Msg]:
    """Things the officer should know about the working state (a renamed segment that is gone …)."""
    return session().notices
