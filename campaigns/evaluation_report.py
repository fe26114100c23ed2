"""The evaluation report as a standalone HTML page (and a PDF from it), worded in a language:
conclusions, the effect month by month as a chart with its band, channels, periods, uptake,
survey answers and feedback."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import pandas as pd
from markupsafe import Markup

from common.catalogue import Msg, Num, Pct, fmt_value, render

from .drafts import environment
from .evaluation import Evaluation, period_label
from .feedback import FeedbackItem
from .objectives import ObjectiveScore
from .schedule import CampaignPlan
from .usage import Uplift, campaign_starts

__all__ = ["event_study_svg", "report_html", "report_pdf"]

from .usage.load import OTHER_SOURCES  # "where did you hear" answers that name no channel of ours


def event_study_svg(up: Uplift, lang: str = "sv") -> str:
    """The effect by months since the start (before it too), with its 95 % band, as inline SVG."""
    if not up.event_study:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    months = [e.months for e in up.event_study]
    fig, ax = plt.subplots(figsize=(7.0, 2.6), dpi=100)
    ax.fill_between(months, [e.low for e in up.event_study], [e.high for e in up.event_study], color="#9ecae1",
                    alpha=0.6, linewidth=0, label=render("evaluation.chart.band", lang))
    ax.plot(months, [e.estimate for e in up.event_study], color="#003b66", marker="o", markersize=3,
            label=render("evaluation.chart.effect", lang))
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.axvline(-0.5, color="#d62728", linestyle="--", linewidth=1)
    ax.set_xlabel(render("evaluation.chart.months", lang))
    ax.set_ylabel(render("evaluation.chart.per_1000", lang))
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    # axis numbers as the language writes them (1,0 and −10 in Swedish), like every other number
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_value(Num(v, 0), lang)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_value(Num(v, 1), lang)))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.StringIO()
    with plt.rc_context({"svg.hashsalt": "kampanjplaneraren"}):  # fixed ids, no date: the same report byte for byte
        fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def _number(value: Any, lang: str, digits: int = 2) -> str:
    return "–" if value is None or pd.isna(value) else fmt_value(Num(float(value), digits), lang)


def _share(value: Any, lang: str) -> str:
    return "–" if value is None or pd.isna(value) else fmt_value(Pct(float(value)), lang)


def _count(value: Any, lang: str) -> str:
    return "<5" if value is None or pd.isna(value) else fmt_value(Num(float(value)), lang)


def report_html(evaluation: Evaluation, plan: CampaignPlan, feedback: list[FeedbackItem] | None = None,
                lang: str = "sv", objectives: Sequence[ObjectiveScore] = ()) -> str:
    """The report in `lang`; every sentence comes from the catalogue. `objectives` (scored by
    campaigns.objectives) open each e-service's section, in outputs → outtakes → outcomes order."""
    starts = campaign_starts(plan)
    first = min(starts.values()) if starts else None
    names = {m.code: m.name for m in plan.region.municipalities}
    channels = {c.key: c.name for c in plan.region.channels}
    segments = {s.id: s.name for s in plan.segments}

    def t(code: str | Msg, **values: Any) -> str:
        return render(code, lang, **values) if isinstance(code, str) else render(code, lang)

    return environment().get_template("report/evaluation.html.j2").render(
        evaluation=evaluation, lang=lang, t=t, today=fmt_value(dt.date.today(), lang),
        first_start=fmt_value(first, lang) if first else "", feedback=feedback or [], objectives=objectives,
        chart=lambda up: Markup(event_study_svg(up, lang)),  # our own figure, drawn from numbers
        num=lambda v, d=2: _number(v, lang, d),
        share=lambda v: _share(v, lang), count=lambda v: _count(v, lang),
        period=lambda key: render(period_label(key), lang), municipality=lambda c: names.get(c, c),
        channel=lambda c: channels.get(c) or (t(f"evaluation.channel.{c}") if c in OTHER_SOURCES else c),
        segment=lambda s: segments.get(int(s), t("evaluation.segment_unknown")) if int(s) >= 0 else
        t("evaluation.segment_unknown"))


def report_pdf(html: str) -> bytes:
    from weasyprint import HTML  # system libraries (Pango) load here, not at import time

    return HTML(string=html).write_pdf()
