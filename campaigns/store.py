"""Shared storage for regional work: plans, segment sets, signed-off messages and feedback.

SQLite by default (one file, nothing to set up); PostgreSQL when `DATABASE_URL` is set
(SQLAlchemy 2). Documents (a campaign plan, a segment set …) are stored as YAML text with a
version number: saving names the version one started from, and when someone else saved in
between, the save is refused with what they changed, so nobody's work is silently overwritten.
The schema is versioned: `migrate()` applies the numbered steps a database has not had yet, under
a lock (a PostgreSQL advisory lock, a lock file beside a SQLite file), so several processes opening
a fresh database at once neither fail nor apply a step twice. Two first saves of the same document
at the same moment end like any other race: one is version 1, the other gets a Conflict.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from filelock import FileLock
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

__all__ = ["ArchivedMessage", "Conflict", "Document", "Store", "default_url", "edits_in_shared_store",
           "merge_documents", "SCHEMA_VERSION"]

if TYPE_CHECKING:
    from .drafts.edits import EditSet

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)
def _document_columns() -> list[Column]:
    """The same columns for the current version of a document and for its history."""
    return [Column("id", Integer, primary_key=True, autoincrement=True),
            Column("kind", String(40), nullable=False), Column("key", String(200), nullable=False),
            Column("version", Integer, nullable=False), Column("content", Text, nullable=False),
            Column("updated_by", String(200), nullable=False),
            Column("updated_at", DateTime(timezone=True), nullable=False)]


documents = Table("documents", metadata, *_document_columns(),
                  UniqueConstraint("kind", "key", name="uq_documents_kind_key"))
document_history = Table("document_history", metadata, *_document_columns())
message_archive = Table(
    "message_archive", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("campaign", String(200), nullable=False),
    Column("municipality", String(200), nullable=False),
    Column("e_service", String(200), nullable=False),
    Column("segment", String(200), nullable=False),
    Column("channel", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("signed_off_by", String(200), nullable=False),
    Column("signed_off_at", DateTime(timezone=True), nullable=False),
    Column("variant", String(4), nullable=False, server_default=""),  # "a", "b" or "" (added in step 4)
    Column("text_sha256", String(64), nullable=False, server_default=""),  # of `text`, as it was shown
)
feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("campaign", String(200), nullable=False),
    Column("day", Date, nullable=False),
    Column("municipality", String(200), nullable=False),
    Column("e_service", String(200), nullable=False),
    Column("channel", String(100), nullable=False),
    Column("category", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)


def _v1(engine: Engine) -> None:
    """Documents with versions and history, and the archive of signed-off messages."""
    metadata.create_all(engine, tables=[documents, document_history, message_archive])


def _v2(engine: Engine) -> None:
    """Feedback items move into the shared database."""
    metadata.create_all(engine, tables=[feedback])


def _v3(engine: Engine) -> None:
    """Officers' edits of drafts (their own module: campaigns.drafts.edit_store)."""
    from .drafts.edit_store import create_tables

    create_tables(engine)


def _v4(engine: Engine) -> None:
    """A signed-off message records its headline variant and the SHA-256 of the text that was shown."""
    from sqlalchemy import inspect, text

    have = {c["name"] for c in inspect(engine).get_columns("message_archive")}
    with engine.begin() as con:
        for name, kind in (("variant", "VARCHAR(4)"), ("text_sha256", "VARCHAR(64)")):
            if name not in have:
                con.execute(text(f"ALTER TABLE message_archive ADD COLUMN {name} {kind} NOT NULL DEFAULT ''"))


MIGRATIONS: list[tuple[int, Callable[[Engine], None]]] = [(1, _v1), (2, _v2), (3, _v3), (4, _v4)]
_LOCK_KEY = 0x6B616D70  # "kamp": the advisory lock migrations hold on PostgreSQL
SCHEMA_VERSION = MIGRATIONS[-1][0]


def default_url() -> str:
    """$DATABASE_URL, else a SQLite file under $KAMPANJ_DATA_DIR (default ~/.local/share/kampanjplaneraren)."""
    if os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
        return url.replace("postgres://", "postgresql+psycopg://", 1).replace(
            "postgresql://", "postgresql+psycopg://", 1) if "+psycopg" not in url else url
    base = os.environ.get("KAMPANJ_DATA_DIR") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "kampanjplaneraren")
    Path(base).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(base) / 'kampanjplaneraren.sqlite'}"


@dataclass(frozen=True)
class Document:
    kind: str
    key: str
    version: int
    content: str
    updated_by: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class ArchivedMessage:
    campaign: str
    municipality: str
    e_service: str
    segment: str
    channel: str
    text: str
    body: str
    signed_off_by: str
    signed_off_at: dt.datetime
    variant: str = ""
    text_sha256: str = ""  # campaigns.shared_work.sign_off: the text's hash, checked against what was shown


class Conflict(Exception):
    """Someone saved a newer version since this one was loaded; nothing was overwritten."""

    def __init__(self, base: Document | None, theirs: Document, yours: str):
        self.base = base
        self.theirs = theirs
        self.yours = yours
        super().__init__(f"{theirs.updated_by} saved version {theirs.version} after you loaded "
                         f"version {base.version if base else 0}")

    def their_changes(self) -> list[str]:
        """What the other editor changed, as unified diff lines (base → theirs)."""
        before = self.base.content.splitlines() if self.base else []
        return list(difflib.unified_diff(before, self.theirs.content.splitlines(),
                                         f"version {self.base.version if self.base else 0}",
                                         f"version {self.theirs.version}", lineterm="", n=1))


class Store:
    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self.engine = create_engine(self.url, future=True, pool_pre_ping=True)
        self.migrate()

    # -------------------------------------------------- schema

    def migrate(self) -> list[int]:
        """Apply every numbered migration this database has not had; returns those applied."""
        with self._migration_lock():
            metadata.create_all(self.engine, tables=[schema_version])
            with self.engine.begin() as con:
                done = {r[0] for r in con.execute(select(schema_version.c.version))}
            applied = []
            for version, step in MIGRATIONS:
                if version in done:
                    continue
                step(self.engine)
                with self.engine.begin() as con:
                    con.execute(insert(schema_version).values(version=version, applied_at=_now()))
                applied.append(version)
        return applied

    @contextlib.contextmanager
    def _migration_lock(self) -> Iterator[None]:
        """One migrating process at a time, across processes and machines sharing the database."""
        url = self.engine.url
        if url.get_backend_name() == "postgresql":
            with self.engine.connect() as con:  # a session-level advisory lock, released in finally
                con.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
                try:
                    yield
                finally:
                    con.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
                    con.commit()
        elif url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            with FileLock(f"{url.database}.migrate.lock", timeout=120):
                yield
        else:
            yield

    def schema_versions(self) -> list[int]:
        with self.engine.begin() as con:
            return sorted(r[0] for r in con.execute(select(schema_version.c.version)))

    # -------------------------------------------------- documents with optimistic versions

    def load(self, kind: str, key: str) -> Document | None:
        with self.engine.begin() as con:
            row = con.execute(select(documents).where(documents.c.kind == kind, documents.c.key == key)).first()
        return _doc(row) if row else None

    def version(self, kind: str, key: str, version: int) -> Document | None:
        with self.engine.begin() as con:
            row = con.execute(select(document_history).where(
                document_history.c.kind == kind, document_history.c.key == key,
                document_history.c.version == version)).first()
        return _doc(row) if row else None

    def save(self, kind: str, key: str, content: str, *, based_on: int, user: str) -> Document:
        """Save a new version when nobody else saved since `based_on` (0 for a new document);
        otherwise raise Conflict carrying both versions."""
        now = _now()
        try:
            saved = self._save(kind, key, content, based_on, user, now)
        except IntegrityError:  # someone created the document at the same moment: their version won
            saved = None
        if saved is not None:
            return saved
        theirs = self.load(kind, key)
        assert theirs is not None
        raise Conflict(self.version(kind, key, based_on) if based_on else None, theirs, content)

    def _save(self, kind: str, key: str, content: str, based_on: int, user: str, now: dt.datetime
              ) -> Document | None:
        """The new version, or None when another save got there first."""
        with self.engine.begin() as con:
            if based_on == 0:
                exists = con.execute(select(documents.c.version).where(
                    documents.c.kind == kind, documents.c.key == key)).first()
                if exists is None:
                    con.execute(insert(documents).values(kind=kind, key=key, version=1, content=content,
                                                         updated_by=user, updated_at=now))
                    con.execute(insert(document_history).values(kind=kind, key=key, version=1, content=content,
                                                                updated_by=user, updated_at=now))
                    return Document(kind, key, 1, content, user, now)
            else:
                result = con.execute(update(documents).where(
                    documents.c.kind == kind, documents.c.key == key, documents.c.version == based_on
                ).values(version=based_on + 1, content=content, updated_by=user, updated_at=now))
                if result.rowcount == 1:
                    con.execute(insert(document_history).values(kind=kind, key=key, version=based_on + 1,
                                                                content=content, updated_by=user, updated_at=now))
                    return Document(kind, key, based_on + 1, content, user, now)
        return None

    def put(self, kind: str, key: str, content: str, *, user: str) -> None:
        """Keep one person's own small document (an undo history) as it is now: no versions, no history,
        the last write wins (nobody else writes it)."""
        with self.engine.begin() as con:
            now = _now()
            done = con.execute(update(documents).where(documents.c.kind == kind, documents.c.key == key).values(
                version=documents.c.version + 1, content=content, updated_by=user, updated_at=now)).rowcount
            if not done:
                con.execute(insert(documents).values(kind=kind, key=key, version=1, content=content, updated_by=user,
                                                     updated_at=now))

    def keys(self, kind: str) -> list[str]:
        with self.engine.begin() as con:
            return [r[0] for r in con.execute(select(documents.c.key).where(documents.c.kind == kind)
                                              .order_by(documents.c.key))]

    # -------------------------------------------------- the public record of messages

    def append(self, table: Table, **values: Any) -> int:
        """Insert one row in its own transaction (committed at once); returns its id."""
        with self.engine.begin() as con:
            key = con.execute(insert(table).values(**values)).inserted_primary_key
            return int(key[0]) if key else 0

    def archive(self, message: ArchivedMessage) -> int:
        return self.append(message_archive, **message.__dict__)

    def archived(self, campaign: str, municipality: str | None = None) -> list[ArchivedMessage]:
        query = select(message_archive).where(message_archive.c.campaign == campaign)
        if municipality:
            query = query.where(message_archive.c.municipality == municipality)
        with self.engine.begin() as con:
            rows = con.execute(query.order_by(message_archive.c.signed_off_at, message_archive.c.id)).all()
        return [ArchivedMessage(r.campaign, r.municipality, r.e_service, r.segment, r.channel, r.text, r.body,
                                r.signed_off_by, r.signed_off_at, r.variant, r.text_sha256) for r in rows]

    def count(self, table: str) -> int:
        t = metadata.tables[table]
        with self.engine.begin() as con:
            return int(con.execute(select(func.count()).select_from(t)).scalar_one())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _doc(row: Any) -> Document:
    return Document(row.kind, row.key, row.version, row.content, row.updated_by, row.updated_at)


# ---------------------------------------------------------------- merging two editors' work


_ABSENT = object()  # a key one side does not have, as opposed to one it set to null


def _merge(base: Any, theirs: Any, yours: Any, path: str, conflicts: list[str]) -> Any:
    if theirs == yours:
        return theirs
    if base == theirs:
        return yours
    if base == yours:
        return theirs
    if isinstance(base, dict) and isinstance(theirs, dict) and isinstance(yours, dict):
        out = {}
        for k in list(dict.fromkeys([*base, *theirs, *yours])):
            merged = _merge(base.get(k, _ABSENT), theirs.get(k, _ABSENT), yours.get(k, _ABSENT),
                            f"{path}.{k}" if path else str(k), conflicts)
            if merged is not _ABSENT:  # an explicit null stays; a key removed on one side goes
                out[k] = merged
        return out
    if isinstance(base, list) and isinstance(theirs, list) and isinstance(yours, list) and \
            len(base) == len(theirs) == len(yours):
        return [_merge(b, t, y, f"{path}[{i}]", conflicts) for i, (b, t, y) in enumerate(zip(base, theirs, yours))]
    conflicts.append(path)
    return theirs


def merge_documents(base: str, theirs: str, yours: str) -> tuple[str, list[str]]:
    """Three-way merge of two YAML documents edited from the same base.

    Changes to different fields are combined; a field both changed differently is a conflict
    (listed by its path, theirs kept) for the user to decide.
    """
    conflicts: list[str] = []
    merged = _merge(yaml.safe_load(base), yaml.safe_load(theirs), yaml.safe_load(yours), "", conflicts)
    return yaml.safe_dump(merged, allow_unicode=True, sort_keys=False, width=100), conflicts


def edits_in_shared_store(campaign: str) -> EditSet:
    """The draft edits in the database the app uses ($DATABASE_URL, else the local SQLite file when
    it exists), for exports made outside the app; none when there is no database yet."""
    from .drafts.edit_store import load_edits
    from .drafts.edits import EditSet  # noqa: F811 - imported here, not at the top: the drafts package is heavy

    if not os.environ.get("DATABASE_URL"):
        url = default_url()
        if not Path(url.removeprefix("sqlite:///")).exists():
            return EditSet()
    return load_edits(Store(), campaign)
