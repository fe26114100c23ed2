"""Officers' draft edits in the shared database: one row per campaign × municipality × e-service
× segment × channel × variant, with a version so that two people editing the same draft never
overwrite each other silently.

The table has its own migration step (`create_tables`, step 3 of `campaigns.store.MIGRATIONS`).
The app writes only through `campaigns.shared_work.SharedWork` (`save_draft_edit`,
`revert_draft_edit`), which checks the officer's role on the server first.
"""

from __future__ import annotations

import datetime as dt
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
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from .edits import STAFF, DraftEdit, DraftKey, EditSet

__all__ = ["Database", "EditConflict", "create_tables", "draft_edits", "load_edits", "revert_edit", "save_edit"]


class Database(Protocol):
    """What these functions need of `campaigns.store.Store`: its engine. A protocol rather than an
    import, since the store imports this module for its migration step (no import cycle)."""

    @property
    def engine(self) -> Engine: ...


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
    """Someone saved this draft after you opened it; nothing was overwritten."""

    def __init__(self, theirs: DraftEdit | None):
        self.theirs = theirs
        super().__init__("the draft was changed by someone else")


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
    """Every stored edit of a campaign."""
    with store.engine.begin() as con:
        rows = con.execute(select(draft_edits).where(draft_edits.c.campaign == campaign)).all()
    return EditSet.of(_edit(r) for r in rows)


def _current(store: Database, key: DraftKey) -> DraftEdit | None:
    with store.engine.begin() as con:
        row = con.execute(select(draft_edits).where(*_where(key))).first()
    return _edit(row) if row else None


def save_edit(store: Database, key: DraftKey, text: str, *, user: str, based_on: int) -> DraftEdit:
    """Store an edit (text with [[fields]]) made from version `based_on` (0: from no edit);
    EditConflict with their edit when someone saved in between. Pages call
    `SharedWork.save_draft_edit`, which checks the role first."""
    now = dt.datetime.now(dt.UTC)
    try:
        with store.engine.begin() as con:
            if based_on == 0:
                con.execute(insert(draft_edits).values(
                    campaign=key.campaign, municipality=key.municipality, e_service=key.e_service,
                    segment=key.stored_segment, channel=key.channel, variant=key.variant, text=text, version=1,
                    updated_by=user, updated_at=now))
                return DraftEdit(key, text, 1, user, now)
            done = con.execute(update(draft_edits).where(*_where(key), draft_edits.c.version == based_on).values(
                text=text, version=based_on + 1, updated_by=user, updated_at=now)).rowcount
            if done == 1:
                return DraftEdit(key, text, based_on + 1, user, now)
    except IntegrityError:  # someone saved the first edit of this draft at the same moment
        pass
    raise EditConflict(_current(store, key))


def revert_edit(store: Database, key: DraftKey) -> bool:
    """Back to the template (or the region's text): remove this municipality's edit (role checked
    by `SharedWork.revert_draft_edit`)."""
    with store.engine.begin() as con:
        return bool(con.execute(delete(draft_edits).where(*_where(key))).rowcount)
