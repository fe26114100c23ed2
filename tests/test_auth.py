"""Login fails closed, local mode stays on this computer, and the database never holds citizen data."""

from __future__ import annotations

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from app_pages.auth import User, read_login_setup

from .conftest import ROOT

COMPLETE = '''
[auth]
redirect_uri = "https://kampanj.example.se/oauth2callback"
cookie_secret = "a long random string"
client_id = "id"
client_secret = "s3cr3t-value"
server_metadata_url = "https://login.example/.well-known/openid-configuration"

[roles."anna@karlstad.se"]
role = "coordinator"

[roles."bo@forshaga.se"]
role = "officer"
municipality = "Forshaga"
'''


def _setup(tmp_path, text: str | None):
    path = tmp_path / "secrets.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return read_login_setup([tmp_path / "missing.toml", path])


def test_no_secrets_file_is_local_mode(tmp_path):
    assert _setup(tmp_path, None).mode == "local"
    assert _setup(tmp_path, 'DATABASE_URL = "sqlite://"\n').mode == "local"  # secrets without login


def test_a_complete_configuration_logs_in_with_roles(tmp_path):
    setup = _setup(tmp_path, COMPLETE)
    assert setup.mode == "login" and setup.problems == ()
    assert setup.roles["bo@forshaga.se"].municipality == "Forshaga"
    assert setup.roles["anna@karlstad.se"].role == "coordinator"


def test_provider_sections_count_as_complete(tmp_path):
    text = COMPLETE.replace('client_id = "id"\nclient_secret = "s3cr3t-value"\n', "").replace(
        'server_metadata_url = "https://login.example/.well-known/openid-configuration"\n',
        '[auth.microsoft]\nclient_id = "id"\nclient_secret = "s"\nserver_metadata_url = "https://x/y"\n')
    assert _setup(tmp_path, text).mode == "login"


@pytest.mark.parametrize("text,code,where", [
    (COMPLETE.replace('"a long random string"', '"unterminated'), "login.unreadable", "secrets.toml:4"),
    ('[auth]\n[roles."a@b.se"]\nrole = "coordinator"\n', "login.missing_keys", "[auth]"),
    ('[roles."a@b.se"]\nrole = "coordinator"\n', "login.roles_without_auth", "secrets.toml"),
    (COMPLETE.replace('cookie_secret = "a long random string"\n', ""), "login.missing_keys", "[auth]"),
    (COMPLETE.split("[roles.")[0], "login.no_roles", "secrets.toml"),
    (COMPLETE.replace('municipality = "Forshaga"\n', ""), "login.officer_without_municipality", "bo@forshaga.se"),
    (COMPLETE.replace('role = "coordinator"', 'role = "admin"'), "login.bad_role", "anna@karlstad.se"),
])
def test_an_unreadable_or_incomplete_configuration_is_broken_never_local(tmp_path, text, code, where):
    setup = _setup(tmp_path, text)
    assert setup.mode == "broken" and setup.roles == {}
    assert code in {p.code for p in setup.problems}
    if where:
        assert any(where in (p.where or "") for p in setup.problems)
    said = " ".join(p.text("sv") for p in setup.problems)
    assert "s3cr3t-value" not in said and "a long random string" not in said  # never the secret values


@pytest.fixture
def options():
    """Set Streamlit options for one AppTest and put them back afterwards."""
    saved = {}

    def _set(name, value):
        saved.setdefault(name, config.get_option(name))
        config.set_option(name, value)

    yield _set
    for name, value in saved.items():
        config.set_option(name, value)


def _texts(at) -> str:
    return "\n".join(str(x.value) for x in [*at.error, *at.info, *at.caption, *at.markdown, *at.title])


@pytest.mark.slow
def test_the_app_stops_on_a_broken_login_configuration(tmp_path, options):
    """The reported defect: a syntax error in secrets.toml used to start the app in local mode."""
    broken = tmp_path / "secrets.toml"
    broken.write_text(COMPLETE.replace('"a long random string"', '"unterminated'), encoding="utf-8")
    options("secrets.files", [str(broken)])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    assert "inloggningen är inställd" in errors and f"{broken}:4" in errors
    assert "Lokalt läge" not in _texts(at) and not at.title  # no page ran


@pytest.mark.slow
def test_local_mode_refuses_to_listen_beyond_this_computer(tmp_path, options):
    options("secrets.files", [str(tmp_path / "none.toml")])
    options("server.address", "0.0.0.0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert any("lyssnar på 0.0.0.0" in e.value for e in at.error) and not at.title


def test_local_mode_binds_to_this_computer_by_default():
    text = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert 'address = "127.0.0.1"' in text
    readme = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")  # linked from the README
    assert "127.0.0.1" in readme and "--server.address" in readme and "fails closed" in readme


def test_roles_decide_what_a_user_may_do():
    officer = User("Bo", "bo@forshaga.se", "officer", "Forshaga", False)
    coordinator = User("Anna", "anna@karlstad.se", "coordinator", None, False)
    viewer = User("Cecilia", "c@kil.se", "viewer", None, False)
    assert officer.may("sign_off", "Forshaga") and not officer.may("sign_off", "Kil")
    assert not officer.may("save_plan") and coordinator.may("save_plan") and coordinator.may("sign_off", "Kil")
    assert not any(viewer.may(a, "Kil") for a in ("save_plan", "sign_off", "feedback", "cost_settings"))


# Every column the shared database may hold: an allow-list, so a new column that could carry citizen
# data (an age, an id, a free-text row) fails here until someone decides it is safe.
ALLOWED_COLUMNS = {
    "schema_version": {"version", "applied_at"},
    "documents": {"id", "kind", "key", "version", "content", "updated_by", "updated_at"},
    "document_history": {"id", "kind", "key", "version", "content", "updated_by", "updated_at"},
    "message_archive": {"id", "campaign", "municipality", "e_service", "segment", "channel", "text", "body",
                        "signed_off_by", "signed_off_at"},
    "feedback": {"id", "campaign", "day", "municipality", "e_service", "channel", "category", "text", "created"},
    "draft_edits": {"id", "campaign", "municipality", "e_service", "segment", "channel", "variant", "text",
                    "version", "updated_by", "updated_at"},  # an officer's wording, keyed by segment number
}


def test_the_shared_database_holds_only_allowed_columns_and_no_citizen_rows(tmp_path, varmland):
    """Only edits, archive and feedback are stored: every column is on the allow-list, and after the
    app's writes no citizen's identifier or row from the data the segments came from is in it."""
    import datetime as dt

    from sqlalchemy import inspect, select

    from campaigns.access import Actor
    from campaigns.shared_work import SharedWork
    from campaigns.store import ArchivedMessage, Store, metadata
    from segments.io import load_citizens

    from .conftest import DATA

    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    actual = {t: {c["name"] for c in inspect(store.engine).get_columns(t)}
              for t in inspect(store.engine).get_table_names()}
    assert actual == ALLOWED_COLUMNS
    campaign, region, ss = varmland
    work = SharedWork(store, Actor("anna@karlstad.se", "coordinator"))
    work.save_edits(campaign.key, ss.to_yaml(), based_on=0)  # the most a page could put there
    work.sign_off(ArchivedMessage(campaign.key, "Kil", "vigsel", ss.segments[0].name, "web", "t", "b", "x",
                                  dt.datetime.now(dt.UTC)))
    stored = []
    with store.engine.begin() as con:
        for table in metadata.tables.values():
            stored += [str(v) for row in con.execute(select(table)) for v in row]
    blob = "\n".join(stored)
    citizens = load_citizens(DATA / "citizens" / "atvidaberg_excel.csv").table
    ids = citizens["respondent_id"].astype(str).tolist()
    assert len(ids) == 1500 and not [i for i in ids if i in blob]
