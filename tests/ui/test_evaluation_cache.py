"""The cached evaluation report is keyed by the feedback too: new feedback gives a new report."""

import datetime as dt

from app_pages import _cached
from campaigns.evaluation import evaluate
from campaigns.feedback import FeedbackItem
from campaigns.usage import load_usage
from tests.conftest import DATA


def test_new_feedback_gives_a_new_report(varmland_plan):
    usage = load_usage(DATA / "usage" / "varmland_2027.csv", None, varmland_plan.region, varmland_plan.campaign)
    ev = evaluate(varmland_plan, usage, by_segment=False)
    before = _cached.report(ev, varmland_plan, (), "same-key", False, "sv").decode()
    item = FeedbackItem(varmland_plan.campaign.key, dt.date(2027, 5, 3), "Kil", "vigsel", "web", "idea",
                        "Visa e-tjänsten på biblioteket i Kil")
    after = _cached.report(ev, varmland_plan, (item,), "same-key", False, "sv").decode()
    assert "Visa e-tjänsten på biblioteket i Kil" not in before and "Visa e-tjänsten på biblioteket i Kil" in after
    assert "Förslag" in after
    english = _cached.report(ev, varmland_plan, (item,), "same-key", False, "en").decode()
    assert "Suggestion" in english and "Evaluation:" in english
