"""Several processes at once on a fresh database: every one migrates without an error and exactly one
first save wins; the others get the ordinary Conflict, never a raw IntegrityError. On SQLite always
and on PostgreSQL when TEST_DATABASE_URL is set (.ci/run sets it)."""

from __future__ import annotations

import multiprocessing
import time
import uuid
from concurrent.futures import ProcessPoolExecutor

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .conftest import BACKENDS

pytestmark = pytest.mark.slow  # over ~5 s a test: `make test-fast` leaves these out

PROCESSES = 6


def _first_start(url: str, key: str, start_at: float) -> tuple[str, int, str]:
    """In a child process: open the (fresh) database at `start_at`, then save version 1 of `key`."""
    from campaigns.store import Conflict, Store

    time.sleep(max(0.0, start_at - time.time()))
    try:
        store = Store(url)
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails with the cause
        return ("migrate_failed", 0, f"{type(exc).__name__}: {exc}"[:300])
    try:
        doc = store.save("edits", key, f"budget_sek: {uuid.uuid4().int % 1000}\n", based_on=0, user=key)
        return ("saved", doc.version, "")
    except Conflict as conflict:
        return ("conflict", conflict.theirs.version, "")
    except Exception as exc:  # noqa: BLE001
        return ("save_failed", 0, f"{type(exc).__name__}: {exc}"[:300])
    finally:
        store.engine.dispose()


@pytest.fixture(params=BACKENDS)
def fresh_url(request, tmp_path):
    """The URL of a database nobody has opened yet: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite'}"
        return
    import os

    base = os.environ["TEST_DATABASE_URL"]
    schema = f"race_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as con:
        con.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as con:
            con.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.parametrize("migrated", [False, True], ids=["fresh", "migrated"])
def test_concurrent_first_starts_and_first_saves(fresh_url, migrated):
    """Fresh: the migrations race ("table already exists"); migrated: only the first saves race."""
    from campaigns.store import SCHEMA_VERSION, Store

    if migrated:
        Store(fresh_url).engine.dispose()
    key = f"race-{uuid.uuid4().hex[:8]}"
    start_at = time.time() + 4  # every worker is up and imported by then, so they start together
    with ProcessPoolExecutor(PROCESSES, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(_first_start, [fresh_url] * PROCESSES, [key] * PROCESSES, [start_at] * PROCESSES))
    failures = [r for r in results if r[0].endswith("failed")]
    assert not failures, failures
    assert sorted(r[0] for r in results) == ["conflict"] * (PROCESSES - 1) + ["saved"]
    assert {r[1] for r in results} == {1}  # the losers see the winner's version 1

    store = Store(fresh_url)
    assert store.schema_versions() == list(range(1, SCHEMA_VERSION + 1))  # each step recorded once
    assert store.load("edits", key).version == 1
    store.engine.dispose()
