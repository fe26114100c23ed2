"""`python -m campaigns evaluate`: a campaign, its usage statistics (and survey answers) in; the
estimates table and the report out. The app's Utvärdering page calls the same `evaluate` and
`estimates_table`; this module only adds reading the files and writing the outputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from common.outputs import output_folder
from common.spreadsheet import frame_csv

from .evaluation import Evaluation, estimates_table, evaluate
from .evaluation_report import report_html, report_pdf
from .mix import optimise_mix
from .objectives import ObjectiveScore, objectives_table, score_objectives
from .planning import default_plan
from .survey_answers import load_survey_answers
from .usage import load_usage

__all__ = ["EvaluationRun", "estimates_csv", "run_evaluation", "with_objectives"]



@dataclass(frozen=True)
class EvaluationRun:
    evaluation: Evaluation
    estimates: pd.DataFrame
    files: tuple[Path, ...]
    objectives: tuple[ObjectiveScore, ...] = ()


def estimates_csv(table: pd.DataFrame) -> bytes:
    """The estimates as spreadsheet-safe CSV (common.spreadsheet), UTF-8 with BOM so Excel reads
    å, ä, ö. The one place this CSV is made."""
    return frame_csv(table, encoding="utf-8-sig") or b""


def with_objectives(estimates: pd.DataFrame, objectives: pd.DataFrame) -> pd.DataFrame:
    """The estimates, then one row per objective; `objective`, `target` and `verdict` are empty on
    the estimate rows (the columns are there only when the campaign has objectives)."""
    if objectives.empty:
        return estimates
    return pd.concat([estimates.reindex(columns=objectives.columns), objectives], ignore_index=True)


def run_evaluation(campaign: str | Path, usage: str | Path, out: str | Path, *, segments: str | Path | None = None,
                   answers: str | Path | None = None, lang: str = "sv", pdf: bool = True) -> EvaluationRun:
    """Read everything first (any InputError leaves `out` untouched), then write estimates.csv,
    report.html and report.pdf."""
    plan, segment_set = default_plan(campaign, segments)
    data = load_usage(usage, None, plan.region, plan.campaign)
    survey = load_survey_answers(answers, None, plan, segment_set) if answers else None
    mix = optimise_mix(plan.campaign, plan.region, segment_set) if plan.campaign.budget_sek > 0 else None
    result = evaluate(plan, data, mix, survey)
    scores = score_objectives(result, plan, data, mix, survey)
    table = with_objectives(estimates_table(result, lang), objectives_table(scores, plan, lang))
    html = report_html(result, plan, [], lang, scores)
    report = report_pdf(html) if pdf else None
    contents = {"estimates.csv": estimates_csv(table), "report.html": html.encode("utf-8")}
    if report is not None:
        contents["report.pdf"] = report
    with output_folder(out, command="campaigns evaluate") as staging:  # the whole set, or the old one
        for name, content in contents.items():
            (staging / name).write_bytes(content)
    files = [Path(out) / name for name in contents]
    return EvaluationRun(result, table, tuple(files), scores)
