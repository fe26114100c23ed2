"""Officers' draft edits in the shared database: one row per campaign × municipality × e-service
× segment × channel × variant, with a version so that two people editing the same draft never
overwrite each other silently. "Back to the template" keeps the row with an empty text and a new
version (a tombstone), so a save made from an older version is refused and shown, never applied.

The table has its own migration step (`create_tables`, step 3 of `campaigns.store.MIGRATIONS`).
The app writes only through `campaigns.shared_work.SharedWork` (`save_draft_edit`,
`revert_draft_edit`), which checks the officer's role on the server first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Protocol

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from common.errors import InputError, problem

from .edits import STAFF, DraftEdit, DraftKey, EditSet, fill

__all__ = ["REVERTED", "Database", "EditConflict", "create_tables", "draft_edits", "load_edits", "revert_edit",
           "save_edit"]


class Database(Protocol):
    """What these functions need of `campaigns.store.Store`: its engine. A protocol rather than an
    import, since the store imports this module for its migration step (no import cycle)."""

    @property
    def engine(self) -> Engine: ...


REVERTED = ""  # the text of a row taken back to the template: kept (not deleted) so versions only grow

metadata = MetaData()
draft_edits = Table(
    "draft_edits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("campaign", String(200), nullable=False),
    Column("municipality", String(10), nullable=False),  # kommunkod
    Column("e_service", String(200), nullable=False),
    Column("segment", Integer, nullable=False),  # -1: staff material
    Column("channel", String(100), nullable=False),
    Column("variant", String(4), nullable=False),
    Column("text", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("campaign", "municipality", "e_service", "segment", "channel", "variant",
                     name="uq_draft_edits_draft"),
)


def create_tables(engine: Engine) -> None:
    """Migration step: the draft_edits table."""
    metadata.create_all(engine, tables=[draft_edits])


class EditConflict(Exception):
    """Someone saved (or went back to the template) after you opened the draft; nothing was
    overwritten. Both texts are kept here so the officer can keep theirs, take the other's, or
    merge (`campaigns.shared_work.SharedWork.resolve_draft_conflict`)."""

    def __init__(self, theirs: DraftEdit | None, yours: str = "", based_on: int = 0):
        self.theirs = theirs  # the stored row now; its text is "" when they went back to the template
        self.yours = yours  # what you tried to store ("" when you went back to the template)
        self.based_on = based_on
        super().__init__("the draft was changed by someone else")

    @property
    def version(self) -> int:
        """The version to write on top of when resolving (theirs)."""
        return self.theirs.version if self.theirs else 0

    def their_text(self, values: Mapping[str, str], template: str) -> str:
        """Their text as this municipality reads it (the template's when they reverted)."""
        return fill(self.theirs.text, values) if self.theirs and self.theirs.text else template

    def your_text(self, values: Mapping[str, str], template: str) -> str:
        return fill(self.yours, values) if self.yours else template


def _where(key: DraftKey) -> list:  # type: ignore[type-arg]
    c = draft_edits.c
    return [c.campaign == key.campaign, c.municipality == key.municipality, c.e_service == key.e_service,
            c.segment == key.stored_segment, c.channel == key.channel, c.variant == key.variant]


def _edit(row: object) -> DraftEdit:
    r = row  # a SQLAlchemy Row
    key = DraftKey(r.campaign, r.municipality, r.e_service, None if r.segment == STAFF else r.segment,  # type: ignore[attr-defined]
                   r.channel, r.variant)  # type: ignore[attr-defined]
    return DraftEdit(key, r.text, r.version, r.updated_by, r.updated_at)  # type: ignore[attr-defined]


def load_edits(store: Database, campaign: str) -> EditSet:
    """Every stored edit of a campaign (a draft taken back to the template has none)."""
    with store.engine.begin() as con:
        rows = con.execute(select(draft_edits).where(draft_edits.c.campaign == campaign,
                                                     draft_edits.c.text != REVERTED)).all()
    return EditSet.of(_edit(r) for r in rows)


def _current(store: Database, key: DraftKey) -> DraftEdit | None:
    with store.engine.begin() as con:
        row = con.execute(select(draft_edits).where(*_where(key))).first()
    return _edit(row) if row else None


def _write(store: Database, key: DraftKey, text: str, user: str, based_on: int) -> DraftEdit | None:
    """Write `text` ("" = back to the template) when the stored row is still what the editor saw:
    version `based_on`, or for 0 no edit at all (no row, or a row taken back to the template).
    The row is never deleted, so versions only grow and an old version number never matches again."""
    now = dt.datetime.now(dt.UTC)
    try:
        with store.engine.begin() as con:
            row = con.execute(select(draft_edits).where(*_where(key))).first()
            current = _edit(row) if row else None
            if based_on == 0 and current is not None and current.text == REVERTED:
                based_on = current.version  # "no edit" then and now: the same state
            if current is None and based_on == 0:
                con.execute(insert(draft_edits).values(
                    campaign=key.campaign, municipality=key.municipality, e_service=key.e_service,
                    segment=key.stored_segment, channel=key.channel, variant=key.variant, text=text, version=1,
                    updated_by=user, updated_at=now))
                return DraftEdit(key, text, 1, user, now)
            if current is not None and current.version == based_on:
                done = con.execute(update(draft_edits).where(*_where(key), draft_edits.c.version == based_on)
                                   .values(text=text, version=based_on + 1, updated_by=user, updated_at=now)).rowcount
                if done == 1:
                    return DraftEdit(key, text, based_on + 1, user, now)
    except IntegrityError:  # someone saved the first edit of this draft at the same moment
        pass
    return None


def save_edit(store: Database, key: DraftKey, text: str, *, user: str, based_on: int) -> DraftEdit:
    """Store an edit (text with [[fields]]) made from version `based_on` (0: from no edit);
    EditConflict with both texts when someone saved or reverted in between. Pages call
    `SharedWork.save_draft_edit`, which checks the role first."""
    if not text.strip():
        raise InputError([problem("draft.empty_text", hint="draft.empty_text_hint")])
    saved = _write(store, key, text, user, based_on)
    if saved is None:
        raise EditConflict(_current(store, key), text, based_on)
    return saved


def revert_edit(store: Database, key: DraftKey, *, user: str, based_on: int) -> bool:
    """Back to the template (or the region's text) from the edit of version `based_on`; False when
    there was no edit to take back; EditConflict when someone saved a newer one (role checked by
    `SharedWork.revert_draft_edit`)."""
    current = _current(store, key)
    if current is None or current.text == REVERTED:
        return False
    if _write(store, key, REVERTED, user, based_on) is None:
        raise EditConflict(_current(store, key), REVERTED, based_on)
    return True
