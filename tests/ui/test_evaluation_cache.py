"""The evaluation report carries the officers' feedback, and the app's cached report is exactly
the core's report for the feedback it is given (never an older one kept under the same key)."""

import datetime as dt

import pytest

from app_pages import _cached
from campaigns.evaluation import evaluate
from campaigns.evaluation_report import report_html
from campaigns.feedback import FeedbackItem
from campaigns.usage import load_usage
from tests.conftest import DATA

pytestmark = pytest.mark.slow  # over ~5 s a test: `make test-fast` leaves these out

IDEA = "Visa e-tjänsten på biblioteket i Kil"


@pytest.fixture(scope="module")
def evaluated(varmland_plan):
    usage = load_usage(DATA / "usage" / "varmland_2027.csv", None, varmland_plan.region, varmland_plan.campaign)
    item = FeedbackItem(varmland_plan.campaign.key, dt.date(2027, 5, 3), "Kil", "vigsel", "web", "idea", IDEA)
    return evaluate(varmland_plan, usage, by_segment=False), item


def test_the_report_lists_the_feedback_it_is_given(varmland_plan, evaluated):
    ev, item = evaluated
    without = report_html(ev, varmland_plan, [], "sv")
    swedish = report_html(ev, varmland_plan, [item], "sv")
    english = report_html(ev, varmland_plan, [item], "en")
    assert IDEA not in without and "Förslag" not in without
    assert IDEA in swedish and "Förslag" in swedish
    assert IDEA in english and "Suggestion" in english and "Evaluation:" in english


def test_the_cached_report_is_the_report_for_the_feedback_given(varmland_plan, evaluated):
    ev, item = evaluated
    for feedback in ((), (item,), ()):  # back to none: not the report with the idea kept under the key
        for lang in ("sv", "en"):
            cached = _cached.report(ev, varmland_plan, feedback, "same-key", False, lang)
            assert cached == report_html(ev, varmland_plan, list(feedback), lang).encode("utf-8")
