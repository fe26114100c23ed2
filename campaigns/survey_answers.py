"""Answers to the evaluation surveys: read the file a survey tool exports, refuse personal data,
and count answers per municipality, segment and channel — "where did you hear about it" as a
second source of attribution beside the tracked links. Cells under five answers are suppressed.

Columns are recognised by the question texts of our own survey drafts (numbering, the options in
brackets and case are ignored) or by a question id (`heard_from`, `citizen.q2`, `staff.q5`);
`kommun`, `e-tjänst`, `segment` and `kanal`/`utm_source` (hidden fields the tracked survey link
fills in) place each answer. Time stamps, response ids and any other column are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pandas as pd

from common.catalogue import Msg
from common.errors import problem
from common.gate import Contract, gate_table, municipality_label, one_of
from common.table_files import Source, read_raw
from segments.segmentset import SegmentSet

from .schedule import CampaignPlan
from .surveys import survey_drafts  # the drafts' own numbered questions are the reference
from .usage.load import OTHER_SOURCES

__all__ = ["HEARD_FROM", "MIN_CELL", "OUTTAKES", "SurveyAnswers", "answer_channels", "heard_from_table",
           "load_survey_answers", "responses_table", "survey_contract", "survey_questions"]

HEARD_FROM = "heard_from"
# Outtake questions an objective is scored by (campaigns.objectives), yes/no, known by id or these texts.
OUTTAKES = {"heard_of": ("Hade du hört talas om e-tjänsten innan?", "Have you heard of the e-service?"),
            "understood": ("Förstod du vad du kan göra i e-tjänsten?", "Did you understand what the e-service does?")}
MIN_CELL = 5  # fewer answers than this in a cell are shown as "<5"
CONTEXT = {"municipality": ("kommun", "kommunkod", "municipality"),
           "e_service": ("e-tjänst", "e-tjanst", "etjänst", "tjänst", "e_service"),
           "segment": ("segment", "utm_content_segment"),
           "channel": ("kanal", "utm_source", "källa", "channel")}
# Words in a "where did you hear about it" answer → the channel they name (besides each channel's own name).
CHANNEL_WORDS = {
    "web": ("webb", "hemsida", "webbplats", "kommunens sida", "internet", "web", "nyhet"),
    "facebook": ("facebook", "sociala medier", "instagram"),
    "flyer": ("flygblad", "brev", "lapp", "broschyr", "affisch", "flyer", "utskick"),
    "training": ("bibliotek", "visning", "utbildning", "träff", "kurs"),
    "word_of_mouth": ("någon du känner", "någon jag känner", "vän", "familj", "granne", "kollega", "släkt"),
}


def _key(text: str) -> str:
    """A question as it is matched: no numbering, no bracketed options, lower case, letters only."""
    text = re.sub(r"\(.*?\)", " ", str(text).lower())
    text = re.sub(r"^\s*\d+[.)]\s*", "", text)
    return " ".join(re.findall(r"[a-zåäöé0-9]+", text))


def survey_questions(plan: CampaignPlan, segment_set: SegmentSet) -> dict[str, str]:
    """Match key → question id for every question of our citizen and staff survey drafts."""
    ids: dict[str, str] = {}
    for e in plan.campaign.e_services:
        members = plan.region.participants(e)
        if not members:
            continue
        for d in survey_drafts(plan, segment_set, members[0].name, e.key):
            staff = d.segment is None
            for line in d.text.splitlines():
                m = re.match(r"^\s*(\d+)\.\s+(.+)$", line)
                if not m:
                    continue
                key = _key(m.group(2))
                # Staff questions name the e-service, so they are known by number; citizen ones by text.
                qid = HEARD_FROM if key.startswith("var fick du veta") else (
                    f"staff.q{m.group(1)}" if staff else f"citizen.{key.replace(' ', '_')[:40]}")
                ids.setdefault(key, qid)
    return ids


@dataclass(frozen=True)
class SurveyAnswers:
    """One row per answer: municipality (code), e_service ('' unknown), segment (−1 unknown),
    channel (tracked tag, '' unknown), heard (channels named, ';'-joined) and one column per question id."""

    frame: pd.DataFrame
    questions: tuple[str, ...]  # the question ids found
    ignored: tuple[str, ...]  # columns that were not used
    notices: tuple[Msg, ...] = ()  # e.g. segment names not in the current segment set, read as unknown


def answer_channels(answer: str, channel_names: dict[str, str]) -> tuple[str, ...]:
    """The channels a "where did you hear about it" answer names; 'other' for anything else."""
    text = str(answer).strip().lower()
    if not text:
        return ()
    found: list[str] = []
    for part in re.split(r"[;,/]| och ", text):
        part = part.strip()
        if not part:
            continue
        hits = [c for c, words in CHANNEL_WORDS.items() if any(w in part for w in words)]
        hits += [k for k, name in channel_names.items() if name.lower() in part or k == part]
        found.extend(dict.fromkeys(hits) or ["other"])
    return tuple(dict.fromkeys(found))


def survey_contract(headers: list[str], plan: CampaignPlan, segment_set: SegmentSet) -> tuple[Contract, dict[str, str]]:
    """What a survey export may hold: the context columns, each checked against its list (members
    of the region, the campaign's e-services, its segments, the region's channels), and the
    columns of our own questions (header -> question id). Every other column is dropped."""
    known = survey_questions(plan, segment_set) | {_key(q): qid for qid, texts in OUTTAKES.items() for q in texts}
    ids = set(known.values())
    context_names = {alias for aliases in CONTEXT.values() for alias in aliases}
    questions = {h: qid for h in headers if h.strip().lower() not in context_names
                 and (qid := known.get(_key(h)) or (h.strip() if h.strip() in ids else None))}
    e = plan.campaign.e_services
    segments = {s.name: str(s.id) for s in plan.segments} | {str(s.id): str(s.id) for s in plan.segments}
    channels = {c.key: c.key for c in plan.region.channels} | {c.name: c.key for c in plan.region.channels}
    labels = {
        "municipality": municipality_label(m.code for m in plan.region.municipalities),
        "e_service": one_of("e_service", {x.key: x.key for x in e} | {x.name: x.key for x in e}, blank=""),
        # Segment names change with a refit; answers collected before it still count, segment unknown.
        "segment": replace(one_of("segment", segments, blank="-1"), unknown="-1"),
        "channel": one_of("channel", channels | {s: s for s in OTHER_SOURCES}, blank=""),
    }
    fields = {**CONTEXT, **{f"question:{h}": (h,) for h in questions}}
    return Contract(fields, labels), questions


def load_survey_answers(source: Source, filename: str | None, plan: CampaignPlan,
                        segment_set: SegmentSet) -> SurveyAnswers:
    """Read a survey tool's export (CSV/XLSX) through the gate; refused with located problems,
    never half-read, nothing quoted."""
    raw = read_raw(source, filename)
    contract, questions = survey_contract(raw.headers, plan, segment_set)
    problems = []
    if not any(h.strip().lower() in CONTEXT["municipality"] for h in raw.headers):
        problems.append(problem("survey.no_municipality", hint="hint_survey_columns"))
    if not questions:
        problems.append(problem("survey.no_questions", hint="hint_survey_columns"))
    gated = gate_table(raw, contract, personal_code="survey.personal_data", collect=True)
    gated.refuse(problems)
    df = gated.frame.fillna("")
    out = pd.DataFrame({
        "municipality": df["municipality"],
        "e_service": df["e_service"] if "e_service" in df else "",
        "segment": df["segment"].astype(int) if "segment" in df else -1,
        "channel": df["channel"] if "channel" in df else ""})
    for qid in dict.fromkeys(questions.values()):
        # One question can sit in several columns (each segment's survey words it its own way).
        columns = [df[f"question:{h}"].str.strip() for h, q in questions.items() if q == qid
                   and f"question:{h}" in df]
        merged = columns[0]
        for more in columns[1:]:
            merged = merged.where(merged != "", more)
        out[qid] = merged.to_numpy()
    heard = out[HEARD_FROM] if HEARD_FROM in out else pd.Series([""] * len(out))
    names = {c.key: c.name for c in plan.region.channels}
    out["heard"] = [";".join(answer_channels(v, names)) for v in heard]
    return SurveyAnswers(out, tuple(dict.fromkeys(questions.values())), gated.dropped, gated.notices)


def _suppress(n: int) -> int | None:
    return n if n >= MIN_CELL else None


def responses_table(answers: SurveyAnswers, plan: CampaignPlan) -> pd.DataFrame:
    """Answers per municipality, segment and the channel whose tracked survey link they came
    through ('' when not known); None where fewer than MIN_CELL."""
    names = {m.code: m.name for m in plan.region.municipalities}
    seg_names = {s.id: s.name for s in plan.segments}
    counts = answers.frame.groupby(["municipality", "segment", "channel"]).size().reset_index(name="n")
    return pd.DataFrame({"municipality": counts["municipality"].map(names),
                         "segment": counts["segment"].map(lambda s: seg_names.get(s, "")),
                         "channel": counts["channel"],
                         "answers": pd.Series([_suppress(int(n)) for n in counts["n"]], dtype=object)})


def heard_from_table(answers: SurveyAnswers, tracked: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per channel: answers naming it, their share of all answers to the question, and (when
    given) the channel's share of tracked uses. Counts and shares under MIN_CELL are None."""
    named = [c for v in answers.frame["heard"] for c in v.split(";") if c]
    total = int((answers.frame["heard"] != "").sum())
    counts = pd.Series(named, dtype=str).value_counts()
    tracked_share = {}
    if tracked is not None and not tracked.empty:
        per = tracked.groupby("channel")["uses"].sum()
        tracked_share = (per / per.sum()).to_dict()
    rows = [{"channel": c, "answers": _suppress(int(n)),
             "share": (n / total) if n >= MIN_CELL and total else None,
             "tracked_share": tracked_share.get(c)} for c, n in counts.items()]
    rows += [{"channel": c, "answers": 0, "share": 0.0, "tracked_share": s}
             for c, s in tracked_share.items() if c not in counts.index]
    return pd.DataFrame(rows, columns=["channel", "answers", "share", "tracked_share"])
