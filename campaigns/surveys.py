"""The campaign's own evaluation surveys as drafts: a citizen survey per segment and a staff survey.

Apart from `campaigns.evaluation` because both the evaluation and the reading of survey answers
(`campaigns.survey_answers`, which matches answers to these drafts' questions) need them.
"""

from __future__ import annotations

import datetime as dt

from segments.segmentset import SegmentSet

from .definitions import Channel
from .drafts.render import Draft, render_draft
from .schedule import CampaignPlan

__all__ = ["SURVEY_CHANNELS", "survey_drafts"]

SURVEY_CHANNELS = {
    "citizen": Channel(key="survey_citizen", name="Medborgarenkät", kind="digital", template="survey/citizen.md.j2"),
    "staff": Channel(key="survey_staff", name="Personalenkät", kind="digital", internal=True,
                     template="survey/staff.md.j2"),
}


def survey_drafts(plan: CampaignPlan, segment_set: SegmentSet, municipality: str, e_service: str) -> list[Draft]:
    """A citizen survey per segment (questions chosen from the segment's wording) and a staff survey."""
    muni = plan.region.municipality(municipality)
    e = plan.campaign.e_service(e_service)
    go_live = next((a.start for a in plan.activities if a.kind == "go_live" and a.e_service == e_service
                    and a.municipality == muni.code), e.go_live or dt.date.today())
    drafts = [render_draft(plan.region, plan.campaign, e_service=e, municipality=muni,
                           channel=SURVEY_CHANNELS["citizen"], segment=s, segment_set=segment_set, go_live=go_live)
              for s in segment_set.segments]
    drafts.append(render_draft(plan.region, plan.campaign, e_service=e, municipality=muni,
                               channel=SURVEY_CHANNELS["staff"], segment=None, segment_set=segment_set,
                               go_live=go_live))
    return drafts
