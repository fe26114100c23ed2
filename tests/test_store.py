"""The shared database: migrations, optimistic versions, merges, the archive — on SQLite always and
on PostgreSQL when TEST_DATABASE_URL points at one (.ci/run starts a local server)."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import text

from campaigns.campaign_files import dump_yaml, load_campaign
from campaigns.store import SCHEMA_VERSION, ArchivedMessage, Conflict, Store, merge_documents

from .conftest import DATA, ROOT, store_backends


def test_postgresql_is_required_in_ci():
    assert store_backends({}) == ["sqlite"]
    assert store_backends({"TEST_DATABASE_URL": "postgresql+psycopg://k@h/db"}) == ["sqlite", "postgresql"]
    for ci in ({"CI": "true"}, {"KAMPANJ_REQUIRE_POSTGRES": "1"}):
        with pytest.raises(RuntimeError):
            store_backends(ci)
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export KAMPANJ_REQUIRE_POSTGRES=1" in ci_script and "export TEST_DATABASE_URL=" in ci_script


def test_migrations_are_versioned_and_idempotent(store):
    assert store.schema_versions() == list(range(1, SCHEMA_VERSION + 1))
    assert store.migrate() == []  # nothing left to apply


def test_two_sessions_never_overwrite_each_other(store):
    campaign, _ = load_campaign(DATA / "campaigns" / "varmland_2027.yaml")
    base_text = dump_yaml(campaign)
    key = f"plan-{uuid.uuid4().hex[:8]}"
    first = store.save("campaign", key, base_text, based_on=0, user="samordnare@region")
    # Two officers load version 1 and edit different fields.
    anna = base_text.replace("budget_sek: 240000.0", "budget_sek: 260000.0")
    bo = base_text.replace("name: Boka vigsel\n", "name: Boka borgerlig vigsel\n")
    saved = store.save("campaign", key, anna, based_on=first.version, user="anna@karlstad")
    assert saved.version == 2
    with pytest.raises(Conflict) as info:
        store.save("campaign", key, bo, based_on=first.version, user="bo@forshaga")
    conflict = info.value
    assert conflict.theirs.updated_by == "anna@karlstad" and conflict.theirs.version == 2
    assert any("260000" in line for line in conflict.their_changes())
    merged, clashes = merge_documents(conflict.base.content, conflict.theirs.content, conflict.yours)
    assert clashes == []
    final = store.save("campaign", key, merged, based_on=conflict.theirs.version, user="bo@forshaga")
    assert "260000" in final.content and "Boka borgerlig vigsel" in final.content
    assert store.load("campaign", key).version == 3
    assert store.version("campaign", key, 1).content == base_text  # history kept


def test_the_same_field_changed_twice_is_a_conflict_to_decide(store):
    base = "budget_sek: 100\nname: X\n"
    merged, clashes = merge_documents(base, "budget_sek: 200\nname: X\n", "budget_sek: 300\nname: X\n")
    assert clashes == ["budget_sek"] and "budget_sek: 200" in merged


def test_a_new_document_cannot_be_created_twice(store):
    key = f"doc-{uuid.uuid4().hex[:8]}"
    store.save("segments", key, "a: 1\n", based_on=0, user="a")
    with pytest.raises(Conflict):
        store.save("segments", key, "a: 2\n", based_on=0, user="b")


def test_signed_off_messages_are_archived_with_date_and_municipality(store):
    msg = ArchivedMessage("varmland_2027", "Forshaga", "vigsel", "Äldre seniorer som föredrar papper", "flyer",
                          "Boka vigsel – nu digitalt", "<html>…</html>", "anna@forshaga",
                          dt.datetime(2027, 2, 1, 9, 30, tzinfo=dt.UTC))
    store.archive(msg)
    store.archive(msg.__class__(**{**msg.__dict__, "municipality": "Kil"}))
    rows = store.archived("varmland_2027", "Forshaga")
    assert len(rows) == 1 and rows[0].text == msg.text and rows[0].signed_off_by == "anna@forshaga"
    assert rows[0].signed_off_at.date() == dt.date(2027, 2, 1)
    assert len(store.archived("varmland_2027")) == 2


def test_a_first_save_that_loses_a_race_gets_the_conflict_not_a_database_error(store):
    """Another process creates the document between our check and our insert (forced here with a
    hook on the insert, so the race happens every time): we get the ordinary Conflict."""
    from sqlalchemy import create_engine, event, insert

    from campaigns.store import documents

    key = f"race-{uuid.uuid4().hex[:8]}"
    other = create_engine(store.url)
    fired = []

    def other_process_first(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO DOCUMENTS") and not fired:
            fired.append(True)
            with other.begin() as con:
                con.execute(insert(documents).values(kind="edits", key=key, version=1, content="theirs: 1\n",
                                                     updated_by="bo@forshaga", updated_at=dt.datetime.now(dt.UTC)))

    event.listen(store.engine, "before_cursor_execute", other_process_first)
    try:
        with pytest.raises(Conflict) as info:
            store.save("edits", key, "mine: 1\n", based_on=0, user="anna@karlstad")
    finally:
        event.remove(store.engine, "before_cursor_execute", other_process_first)
        other.dispose()
    assert fired and info.value.theirs.updated_by == "bo@forshaga" and info.value.yours == "mine: 1\n"
    assert store.load("edits", key).content == "theirs: 1\n"


def test_step_4_adds_the_archives_variant_and_hash_to_an_older_database(tmp_path):
    """A database made before step 4 gains the two columns; its old rows read with empty values."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = Store(url)
    with store.engine.begin() as con:
        con.execute(text("INSERT INTO message_archive (campaign, municipality, e_service, segment, channel, text, "
                         "body, signed_off_by, signed_off_at) VALUES ('c', 'Kil', 'e', 's', 'web', 't', 'b', 'x', "
                         "'2027-01-01 00:00:00')"))
        con.execute(text("ALTER TABLE message_archive DROP COLUMN variant"))
        con.execute(text("ALTER TABLE message_archive DROP COLUMN text_sha256"))
        con.execute(text("DELETE FROM schema_version WHERE version = 4"))
    again = Store(url)
    assert again.schema_versions() == list(range(1, SCHEMA_VERSION + 1)) and SCHEMA_VERSION >= 4
    old = again.archived("c")[0]
    assert (old.text, old.variant, old.text_sha256) == ("t", "", "")
