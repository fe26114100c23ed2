"""AppTest helpers: the whole app from app.py, on any page."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _feedback_in_tmp(tmp_path, monkeypatch):
    """Feedback the tests save goes to a temporary folder, never the user's data folder."""
    monkeypatch.setenv("KAMPANJ_DATA_DIR", str(tmp_path))


@pytest.fixture
def app():
    def _open(page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        if page:
            at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
        return at
    return _open
