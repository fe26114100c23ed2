"""The Segment page when the data shows no groups: one segment and the reason, as information."""

import io

import pytest

from tests import lca_generators as G


@pytest.mark.slow
def test_segments_page_says_when_there_are_no_groups(app):
    at = app("data")
    box = at.selectbox(key="campaign_pick")
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith("Skolval"))).run()
    frame = G.pure_noise(0).frame.assign(kommun="Åtvidaberg")
    buf = io.BytesIO()
    frame.to_csv(buf, index=False, sep=";")
    at.file_uploader(key="uploader").set_value(("brus.csv", buf.getvalue(), "text/csv")).run()
    assert not at.exception
    at.switch_page("app_pages/segments_page.py").run()
    assert not at.exception
    cards = [s.value for s in at.subheader if s.value[:1].isdigit()]
    assert cards == ["1. Alla invånare"]
    infos = "\n".join(i.value for i in at.info)
    assert "Data visar inga grupper som skiljer sig åt i vanor" in infos
    assert "Inga grupper som skiljer sig åt syns i svaren" in infos
    assert not any("inga grupper" in w.value.lower() for w in at.warning)  # information, not a fault
