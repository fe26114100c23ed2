"""The chosen campaign as a document this session edits on Start: the Streamlit side of
campaigns.campaign_session (the working-session engine with the campaign `DocumentType`).

Writes go through `SharedWork.save_campaign`, which validates the document like a campaign file and
checks the role on the server (a coordinator changes anything, an officer their own go-live date).
The undo steps are kept in the shared database per person, so they survive a reload (F5).
"""

from __future__ import annotations

import streamlit as st
import yaml

from campaigns.campaign_docs import CAMPAIGN, bundled_campaigns, kit_into, merge_campaigns, read_campaign
from campaigns.campaign_files import dump_yaml
from campaigns.campaign_session import CAMPAIGN_DOC
from campaigns.definitions import Campaign
from campaigns.shared_work import UNDO, SharedWork, undo_key
from campaigns.working_session import WorkingSession

from . import _cached
from .state_campaign import campaign, campaign_keys, chosen_key, refresh, switch_campaign

DocSession = WorkingSession[Campaign]


def _shared() -> SharedWork:
    from .auth import shared_work

    return shared_work()


def may_edit() -> bool:
    """Whether this person may change the campaign (the write is checked again in SharedWork)."""
    from .auth import current_user

    return current_user().may("edit_campaign")


def own_municipality() -> str | None:
    """An officer's own municipality (whose go-live date they may set), else None."""
    from .auth import current_user

    user = current_user()
    return user.municipality if user.may("set_go_live", user.municipality) else None


def _may_save() -> bool:
    return may_edit() or own_municipality() is not None


def restore_undo(work: WorkingSession, kind: str, key: str) -> None:
    """This person's undo steps for a document, as kept in the shared database (after a reload)."""
    doc = _cached.store().load(UNDO, undo_key(kind, key, _shared().actor.email))
    if doc is not None:
        steps = yaml.safe_load(doc.content)
        if isinstance(steps, list):
            work.restore_undo([s for s in steps if isinstance(s, str)])


def _open(key: str) -> DocSession:
    bundled = bundled_campaigns().get(key)
    fresh = read_campaign(bundled.read_text(encoding="utf-8"), str(bundled)) if bundled else campaign()[0]
    work = WorkingSession(
        CAMPAIGN_DOC, key, fresh, store=_cached.store,
        save=lambda content, based_on: _shared().save_campaign(key, content, based_on=based_on),
        merge=lambda content, based_on: _shared().save_campaign(key, content, based_on=based_on),
        may_save=_may_save, remember=(lambda steps: _shared().keep_undo(CAMPAIGN, key, steps))
        if _may_save() else None).open()
    restore_undo(work, CAMPAIGN, key)
    return work


def doc_session() -> DocSession:
    """The chosen campaign's document session (opened on first use in this browser session)."""
    key = chosen_key()
    works: dict[str, DocSession] = st.session_state.setdefault("campaign_works", {})
    if key not in works:
        works[key] = _open(key)
    return works[key]


def change(new: Campaign) -> None:
    """A change to the campaign: saved at once (role-checked), remembered for undo."""
    doc_session().change(new)
    refresh()


def undo() -> None:
    doc_session().undo()
    refresh()


def sync() -> None:
    """Take in what others saved since (adopted when nothing here is unsaved)."""
    if doc_session().sync() is not None:
        refresh()


def create(new: Campaign) -> None:
    """A new campaign document (version 1), opened at once."""
    _shared().save_campaign(new.key, dump_yaml(new), based_on=0)
    refresh()
    switch_campaign(new.key)


def import_yaml(text: str, source: str) -> Campaign:
    """A campaign file from an officer: validated like every campaign file; a new key is a new
    campaign, a known key a new version of that campaign."""
    imported = read_campaign(text, source)
    if imported.key in campaign_keys():
        switch_campaign(imported.key)
        change(imported)
    else:
        create(imported)
    return imported


def from_kit(kit_campaign: Campaign, into_current: bool) -> Campaign:
    """An applied kit becomes a campaign in the list: a new one, or its e-services added to the
    campaign on screen (channels the region lacks are left out; campaigns.campaign_docs.kit_into)."""
    _, region = campaign()
    if into_current:
        made = kit_into(doc_session().state, kit_campaign, region, ())
        change(made)
        return made
    made = kit_into(None, kit_campaign, region, campaign_keys())
    create(made)
    return made


def conflict_who() -> str | None:
    """Who saved the campaign since this session's version, when that is a conflict to resolve."""
    conflict = doc_session().conflict
    return None if conflict is None else conflict.theirs.updated_by


def resolve(keep_mine: bool) -> None:
    """End a conflict: the other person's version, or both merged field by field (where both changed
    the same field, theirs is kept); saved on top of theirs."""
    work = doc_session()
    theirs = work.theirs()
    if theirs is None:
        return
    merged = merge_campaigns(work.base(), theirs, work.state)[0] if keep_mine else theirs
    work.resolve(merged)
    refresh()
