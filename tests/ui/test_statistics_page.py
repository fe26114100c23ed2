"""AppTest: the Data page's "Börja från SCB-statistik" path, and what the Segment page says after it."""

import pytest

from common.uploads import neutral_name
from tests.conftest import DATA

pytestmark = pytest.mark.slow  # over ~5 s a test: `make test-fast` leaves these out


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.success] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [c.value for c in at.caption] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts).replace("\xa0", " ")


def test_start_from_the_sample_statistics_then_see_estimated_segments(app):
    at = app("data")
    assert any("Börja från SCB-statistik" in e.label for e in at.expander)
    at.button(key="stats_sample").click().run()
    assert not at.exception, at.exception
    text = _texts(at)
    assert "Befolkningen är byggd" in text and "16 kommuner" in text
    assert "SCB-statistik (varmland_befolkning.csv)" in text  # the data label names the source
    assert "uppskattade från nationella siffror" in text and "kalibrerad" in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Invånare i underlaget"].replace("\xa0", " ").startswith("232 9")  # the 16+ population of Värmland
    at.switch_page("app_pages/segments_page.py").run()
    assert not at.exception, at.exception
    assert "inte uppmätta i kommun" in _texts(at)
    assert any("uppskattade från nationella siffror, inte uppmätta" in c.value for c in at.caption)


def test_upload_scb_exports_edit_a_municipality_and_stop(app):
    at = app("data")
    pop = (DATA / "statistics" / "varmland_befolkning.csv").read_bytes()
    hh = (DATA / "statistics" / "varmland_hushall.csv").read_bytes()
    at.file_uploader(key="stats_population").set_value(("befolkning.csv", pop, "text/csv")).run()
    at.file_uploader(key="stats_households").set_value(("hushall.csv", hh, "text/csv")).run()
    at.selectbox(key="stats_scope").set_value("Forshaga").run()
    at.button(key="stats_apply").click().run()  # unchanged figures: no override is added
    assert not at.exception, at.exception
    at.button(key="stats_start").click().run()
    assert not at.exception, at.exception
    assert "Befolkningen är byggd" in _texts(at)
    assert f"SCB-statistik ({neutral_name('x.csv', pop)})" in _texts(at) and "befolkning.csv" not in _texts(at)
    at.button(key="stats_stop").click().run()
    assert "exempeldata" in _texts(at)


def test_a_wrong_file_is_refused_and_the_data_stays(app):
    at = app("data")
    hh = (DATA / "statistics" / "varmland_hushall.csv").read_bytes()
    at.file_uploader(key="stats_population").set_value(("hushall.csv", hh, "text/csv")).run()
    at.button(key="stats_start").click().run()
    assert not at.exception, at.exception
    assert any("hushållsfil" in e.value for e in at.error)
    assert "exempeldata" in _texts(at)
