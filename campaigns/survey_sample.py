"""Synthetic survey answers, shaped like a survey tool's export of our own citizen survey drafts:
the sample file for the app and the round-trip test (read → results → report)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from segments.segmentset import SegmentSet

from .schedule import CampaignPlan
from .survey_answers import OUTTAKES
from .surveys import survey_drafts

__all__ = ["HEARD_ANSWERS", "sample_answers"]

# How respondents write where they heard about the e-service, per channel of the campaign.
HEARD_ANSWERS = {"web": "På kommunens webbplats", "facebook": "Facebook", "flyer": "Flygblad i brevlådan",
                 "training": "Visningen på biblioteket", "word_of_mouth": "Någon jag känner", "other": "Annat"}
OTHER_ANSWERS = ("Ja", "Nej", "Ganska lätt", "Mycket lätt", "Vet inte")


def _questions(plan: CampaignPlan, segment_set: SegmentSet, e_service: str) -> dict[int, list[str]]:
    """Segment id → its citizen survey's questions as the draft words them (without numbering)."""
    e = plan.campaign.e_service(e_service)
    muni = plan.region.participants(e)[0].name
    out = {}
    for d in survey_drafts(plan, segment_set, muni, e_service):
        if d.segment is not None:
            out[d.segment] = [m.group(1) for m in re.finditer(r"^\s*\d+\.\s+(.+)$", d.text, re.M)]
    return out


def sample_answers(plan: CampaignPlan, segment_set: SegmentSet, *, n: int = 400, seed: int = 7,
                   e_service: str | None = None) -> pd.DataFrame:
    """`n` answers for one e-service (the first by default): time stamp, kommun, e-tjänst, segment,
    kanal (from the tracked survey link), then one column per question of the drafts."""
    rng = np.random.default_rng(seed)
    e = plan.campaign.e_service(e_service or plan.campaign.e_services[0].key)
    members = plan.region.participants(e)
    weights = np.array([m.population for m in members], dtype=float)
    questions = _questions(plan, segment_set, e.key)
    channels = [c for c in HEARD_ANSWERS if c in {ch.key for ch in plan.region.channels}]
    heard_keys = [*channels, "word_of_mouth", "other"]
    heard_p = np.array([4.0, 3.0, 2.0, 1.0, 1.5, 0.5][: len(heard_keys)])
    rows = []
    for i in range(n):
        muni = members[rng.choice(len(members), p=weights / weights.sum())]
        segment = segment_set.segments[int(rng.integers(len(segment_set.segments)))]
        heard = heard_keys[rng.choice(len(heard_keys), p=heard_p / heard_p.sum())]
        row = {"Tidstämpel": f"2027-0{4 + i % 5}-{1 + i % 27:02d} 12:{i % 60:02d}", "kommun": muni.name,
               "e-tjänst": e.name, "segment": segment.name, "kanal": heard if heard in channels else ""}
        for q in questions.get(segment.id, []):
            if q.lower().startswith("var fick du veta"):
                row[q] = HEARD_ANSWERS[heard]
            elif q.lower().startswith("har du något mer"):
                row[q] = ""
            else:
                row[q] = OTHER_ANSWERS[int(rng.integers(len(OTHER_ANSWERS)))]
        rows.append(row)
    # The outtake questions objectives are scored by (survey_answers.OUTTAKES), from their own stream
    # so that the other columns stay as they were: about 62 % had heard of the service, 85 % understood it.
    outtakes = np.random.default_rng(seed + 22).random((len(rows), 2)) < (0.62, 0.85)
    for row, (heard, understood) in zip(rows, outtakes):
        row[OUTTAKES["heard_of"][0]] = "Ja" if heard else "Nej"
        row[OUTTAKES["understood"][0]] = "Ja" if understood else "Nej"
    return pd.DataFrame(rows)
