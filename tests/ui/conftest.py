"""AppTest helpers: the whole app from app.py, on any page."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import APP_TIMEOUT, ROOT


@pytest.fixture(autouse=True)
def _feedback_in_tmp(tmp_path, monkeypatch):
    """What the tests save goes to a temporary database, never the user's data folder."""
    monkeypatch.setenv("KAMPANJ_DATA_DIR", str(tmp_path))
    from app_pages import _cached

    _cached.store.clear()  # the shared database is a cached resource: each test gets its own


@pytest.fixture
def app():
    def _open(page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT).run()
        if page:
            at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
        return at
    return _open


@pytest.fixture
def app_in():
    """The whole app opened in a language (set before the first run, as a returning user has it)."""
    def _open(lang: str, page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
        at.session_state["lang"] = lang
        at.run()
        if page:
            at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
        return at
    return _open


def reload_app(at: AppTest, page: str | None = None) -> AppTest:
    """What F5 does: a new session on the same address (campaign and choices are in the URL)."""
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    for k, v in at.query_params.items():
        again.query_params[k] = v
    again.run()
    if page:
        again.switch_page(f"app_pages/{page}.py").run()
    assert not again.exception, again.exception
    return again
