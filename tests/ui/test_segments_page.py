"""AppTest: the segments page opens on the sample region and reacts to the choice of k."""

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def test_opens_with_sample_segments():
    at = _app().run()
    assert not at.exception
    assert at.title[0].value == "Medborgarsegment"
    assert any("valdes automatiskt" in i.value for i in at.info)
    assert len(at.subheader) >= 4  # three or more segment cards plus the overview


def test_choosing_k_changes_the_number_of_segments():
    at = _app().run()
    at.selectbox(key="k").select(6).run()
    assert not at.exception
    cards = [s for s in at.subheader if s.value[0].isdigit()]
    assert len(cards) == 6
