"""`python -m campaigns evaluate`: a campaign, its usage statistics (and survey answers) in; the
estimates table and the report out. The app's Utvärdering page calls the same `evaluate` and
`estimates_table`; this module only adds reading the files and writing the outputs."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from common.files import write_atomic

from .evaluation import Evaluation, estimates_table, evaluate
from .evaluation_report import report_html, report_pdf
from .mix import optimise_mix
from .planning import default_plan
from .survey_answers import load_survey_answers
from .usage import load_usage

__all__ = ["EvaluationRun", "estimates_csv", "run_evaluation", "write_estimates"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class EvaluationRun:
    evaluation: Evaluation
    estimates: pd.DataFrame
    files: tuple[Path, ...]


def estimates_csv(table: pd.DataFrame) -> bytes:
    """The estimates as CSV (UTF-8 with BOM, so Excel reads å, ä, ö); text that a spreadsheet
    would take for a formula gets a leading apostrophe. The one place this CSV is made."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = [f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_START) else v
                            for v in safe[column]]
    buf = io.StringIO()
    safe.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def write_estimates(table: pd.DataFrame, path: Path) -> None:
    write_atomic(path, estimates_csv(table))


def run_evaluation(campaign: str | Path, usage: str | Path, out: str | Path, *, segments: str | Path | None = None,
                   answers: str | Path | None = None, lang: str = "sv", pdf: bool = True) -> EvaluationRun:
    """Read everything first (any InputError leaves `out` untouched), then write estimates.csv,
    report.html and report.pdf."""
    plan, segment_set = default_plan(campaign, segments)
    data = load_usage(usage, None, plan.region, plan.campaign)
    survey = load_survey_answers(answers, None, plan, segment_set) if answers else None
    mix = optimise_mix(plan.campaign, plan.region, segment_set) if plan.campaign.budget_sek > 0 else None
    result = evaluate(plan, data, mix, survey)
    table = estimates_table(result, lang)
    html = report_html(result, plan, [], lang)
    report = report_pdf(html) if pdf else None
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    write_estimates(table, target / "estimates.csv")
    write_atomic(target / "report.html", html.encode("utf-8"))
    files = [target / "estimates.csv", target / "report.html"]
    if report is not None:
        write_atomic(target / "report.pdf", report)
        files.append(target / "report.pdf")
    return EvaluationRun(result, table, tuple(files))
