"""Login fails closed, local mode stays on this computer, and the database never holds citizen data."""

from __future__ import annotations

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from app_pages.auth import User, read_login_setup
from campaigns.login_setup import region_municipalities, weak_secret

from .conftest import ROOT

COMPLETE = '''
[auth]
redirect_uri = "https://kampanj.example.se/oauth2callback"
cookie_secret = "Qm7vX2pLr9TzK4wH8sYb3NcF6dJg1RuE5aVk0"
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
    return read_login_setup([tmp_path / "missing.toml", path], region_municipalities(ROOT / "data" / "regions"))


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
    (COMPLETE.replace('"Qm7vX2pLr9TzK4wH8sYb3NcF6dJg1RuE5aVk0"', '"unterminated'), "login.unreadable",
     "secrets.toml:4"),
    ('[auth]\n[roles."a@b.se"]\nrole = "coordinator"\n', "login.missing_keys", "[auth]"),
    ('[roles."a@b.se"]\nrole = "coordinator"\n', "login.roles_without_auth", "secrets.toml"),
    (COMPLETE.replace('cookie_secret = "Qm7vX2pLr9TzK4wH8sYb3NcF6dJg1RuE5aVk0"\n', ""), "login.missing_keys", "[auth]"),
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
    assert "s3cr3t-value" not in said and "Qm7vX2pLr9TzK4wH8sYb3NcF6dJg1RuE5aVk0" not in said  # never the secret values


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
    broken.write_text(COMPLETE.replace('"Qm7vX2pLr9TzK4wH8sYb3NcF6dJg1RuE5aVk0"', '"unterminated'), encoding="utf-8")
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
                        "signed_off_by", "signed_off_at", "variant", "text_sha256"},
    "feedback": {"id", "campaign", "day", "municipality", "e_service", "channel", "category", "text", "created"},
    "draft_edits": {"id", "campaign", "municipality", "e_service", "segment", "channel", "variant", "text",
                    "version", "updated_by", "updated_at"},  # an officer's wording, keyed by segment number
}


def test_the_shared_database_holds_only_allowed_columns_and_no_citizen_rows(tmp_path, varmland):
    """Only edits, archive and feedback are stored: every column is on the allow-list, and after the
    app's writes no citizen's identifier or row from the data the segments came from is in it."""
    from sqlalchemy import inspect, select

    from campaigns.access import Actor
    from campaigns.shared_work import SharedWork
    from campaigns.store import Store, metadata
    from segments.io import load_citizens

    from .conftest import DATA

    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    actual = {t: {c["name"] for c in inspect(store.engine).get_columns(t)}
              for t in inspect(store.engine).get_table_names()}
    assert actual == ALLOWED_COLUMNS
    campaign, region, ss = varmland
    work = SharedWork(store, Actor("anna@karlstad.se", "coordinator"))
    work.save_edits(campaign.key, ss.to_yaml(), based_on=0)  # the most a page could put there
    from campaigns.drafts import preview
    from campaigns.sign_off import sha256

    draft = preview(region, campaign, ss, "Kil", "vigsel", channels=["web"])[0]
    work.sign_off(campaign, region, draft, shown_sha256=sha256(draft.text))
    stored = []
    with store.engine.begin() as con:
        for table in metadata.tables.values():
            stored += [str(v) for row in con.execute(select(table)) for v in row]
    blob = "\n".join(stored)
    citizens = load_citizens(DATA / "citizens" / "atvidaberg_excel.csv").table
    ids = citizens["respondent_id"].astype(str).tolist()
    assert len(ids) == 1500 and not [i for i in ids if i in blob]


STRONG = "Qm7vX2pLr9TzK4wH8sYb3NcF6dJg1RuE5aVk0"


@pytest.mark.parametrize("text,code,where", [
    (COMPLETE.replace("[auth]", "[Auth]"), "login.unknown_section", "[Auth]"),  # misspelt: not local mode
    (COMPLETE.replace("[auth]", "[oauth]"), "login.unknown_section", "[oauth]"),
    ("[oauth]\nclient_id = 'x'\n", "login.unknown_section", "[oauth]"),  # alone: still not local mode
    ('auth = "yes"\n', "login.unknown_section", "[auth]"),
    (COMPLETE.replace('client_id = "id"', 'clientid = "id"'), "login.unknown_key", "[auth]"),
    (COMPLETE.replace('client_secret = "s3cr3t-value"', 'client_secret = "  "'), "login.blank_value", "[auth]"),
    (COMPLETE.replace('redirect_uri = "https://kampanj.example.se/oauth2callback"', 'redirect_uri = ""'),
     "login.blank_value", "[auth]"),
    (COMPLETE.replace('municipality = "Forshaga"', 'municipality = "Atlantis"'), "login.unknown_municipality",
     "bo@forshaga.se"),
    (COMPLETE.replace('role = "officer"', 'role = "officer"\nkommun = "Kil"'), "login.unknown_key", "bo@forshaga.se"),
])
def test_a_misspelt_or_unsafe_configuration_is_broken_never_local(tmp_path, text, code, where):
    setup = _setup(tmp_path, text)
    assert setup.mode == "broken" and setup.roles == {}
    assert code in {p.code for p in setup.problems}, [p.code for p in setup.problems]
    assert any(where in (p.where or "") for p in setup.problems)
    said = " ".join(p.text("sv") for p in setup.problems)
    assert "Atlantis" not in said and STRONG not in said and "s3cr3t-value" not in said


@pytest.mark.parametrize("secret", [" ", "x", "12345", "", "a" * 64, "ab" * 20, "0123456789abcdef" * 2,
                                    "password-password-password-pass", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
                                    "abcdefghijklmnopqrstuvwxyz012", f" {STRONG} "])
def test_a_guessable_cookie_secret_is_refused(tmp_path, secret):
    assert weak_secret(secret)
    setup = _setup(tmp_path, COMPLETE.replace(STRONG, secret))
    assert setup.mode == "broken" and "login.weak_cookie_secret" in {p.code for p in setup.problems}
    assert all(secret.strip() not in (p.text("sv")) for p in setup.problems if len(secret.strip()) > 3)


def test_a_random_cookie_secret_is_accepted():
    import secrets

    assert not any(weak_secret(secrets.token_urlsafe(32)) for _ in range(200))
    assert not any(weak_secret(secrets.token_hex(24)) for _ in range(200))
    assert not weak_secret(STRONG)


def test_an_officer_is_bound_to_the_municipality_and_its_code(tmp_path):
    setup = _setup(tmp_path, COMPLETE.replace('municipality = "Forshaga"', 'municipality = "forshaga"'))
    assert setup.mode == "login"
    bo = setup.roles["bo@forshaga.se"]
    assert (bo.municipality, bo.code) == ("Forshaga", "1763")


@pytest.mark.slow
@pytest.mark.parametrize("secret", [" ", "x", "12345"])
def test_the_app_refuses_to_run_with_a_weak_cookie_secret(tmp_path, options, secret):
    """The reported defect: with cookie_secret = " " a coordinator's _streamlit_user cookie was forged
    end to end. The app now stops every page before anyone's cookie is read."""
    weak = tmp_path / "secrets.toml"
    weak.write_text(COMPLETE.replace(STRONG, secret), encoding="utf-8")
    options("secrets.files", [str(weak)])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    assert "cookie_secret" in errors and f"{weak}, [auth]" in errors
    assert not at.title and not at.button  # no page and no login button ran


@pytest.mark.slow
def test_the_app_stops_on_a_misspelt_auth_section(tmp_path, options):
    bad = tmp_path / "secrets.toml"
    bad.write_text(COMPLETE.replace("[auth]", "[Auth]"), encoding="utf-8")
    options("secrets.files", [str(bad)])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert "[Auth]" in "\n".join(e.value for e in at.error) and not at.title
    assert "Lokalt läge" not in _texts(at)


@pytest.mark.slow
def test_local_mode_refuses_a_proxy_listening_beyond_this_computer(tmp_path, options, monkeypatch):
    """make serve ADDRESS=0.0.0.0: the app process listens on 127.0.0.1 but nginx does not."""
    options("secrets.files", [str(tmp_path / "none.toml")])
    monkeypatch.setenv("KAMPANJ_PUBLIC_ADDRESS", "0.0.0.0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert any("lyssnar på 0.0.0.0" in e.value for e in at.error) and not at.title


def test_local_mode_checks_the_browsers_address_behind_the_proxy(monkeypatch):
    """The loopback check used to see nginx's 127.0.0.1; now it reads the address nginx passes."""
    from app_pages import auth

    class Context:
        def __init__(self, headers, ip):
            self.headers, self.ip_address = headers, ip

    monkeypatch.setattr(auth.st, "context", Context({"X-Real-IP": "192.168.1.20"}, "127.0.0.1"))
    assert auth.client_address() == "192.168.1.20"
    monkeypatch.setattr(auth.st, "context", Context({"X-Forwarded-For": "10.0.0.7, 127.0.0.1"}, "127.0.0.1"))
    assert auth.client_address() == "10.0.0.7"
    monkeypatch.setattr(auth.st, "context", Context({}, "127.0.0.1"))
    assert auth.client_address() == "127.0.0.1"
