"""The objectives on Utvärdering: each scored in the evaluation framework's order — outputs
(what was done, whom it reached), outtakes (what surveyed citizens took from it) and outcomes
(the change against the target, with the evaluation's interval) — and its verdict."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.i18n import lang, t, tr
from campaigns.objectives import ObjectiveScore
from common.formatting import fmt_dec, fmt_int, fmt_pct


def _share_line(key: str, share: object) -> str:
    return t(key, share=fmt_pct(share.share, lang()), low=fmt_pct(share.low, lang()),  # type: ignore[attr-defined]
             high=fmt_pct(share.high, lang()), answers=fmt_int(share.answers, lang()))  # type: ignore[attr-defined]


def objectives_section(scores: tuple[ObjectiveScore, ...], e_service: str, shown: dict[str, str] | None = None) -> None:
    """Render the objectives of one e-service (nothing when it has none)."""
    mine = [s for s in scores if s.e_service == e_service]
    if not mine:
        return
    st.subheader(t("objectives.title"))
    st.caption(t("objectives.intro"))
    for s in mine:
        show = {"met": st.success, "not_met": st.error}.get(s.outcome.verdict, st.info)
        show(f"**{tr(s.label)}** — {tr(s.verdict_msg)}")
        if s.baseline.value is not None:
            value = fmt_dec(s.baseline.value, lang(), 2) if s.objective.metric == "uses_per_1000" else fmt_pct(
                s.baseline.value, lang())
            st.caption(t("objective.baseline", value=value, period=tr(s.baseline.period)))
        else:
            st.caption(t("objective.baseline.none"))
        cols = st.columns(3)
        with cols[0]:
            st.markdown(f"**{t('objectives.outputs')}**")
            st.write(t("objective.outputs.activities", done=s.outputs.done, planned=s.outputs.planned))
            if s.outputs.reach:
                names = shown or {}  # carried (Swedish) names -> the reader's language (app_pages.data_names)
                st.dataframe(pd.DataFrame({t("objectives.col.segment"): [names.get(r[0], r[0]) for r in s.outputs.reach],
                                           t("objectives.col.channel"): [names.get(r[1], r[1]) for r in s.outputs.reach],
                                           t("objectives.col.reached"): [fmt_int(r[2], lang()) for r in s.outputs.reach]}),
                             hide_index=True)
            elif not s.outputs.mix_known:
                st.caption(t("objective.outputs.no_mix"))
        with cols[1]:
            st.markdown(f"**{t('objectives.outtakes')}**")
            lines = [_share_line(k, v) for k, v in (("objective.outtakes.heard_of", s.outtakes.heard_of),
                                                     ("objective.outtakes.understood", s.outtakes.understood)) if v]
            st.write(" ".join(lines) if lines else t("objective.outtakes.none"))
        with cols[2]:
            st.markdown(f"**{t('objectives.outcomes')}**")
            st.write(tr(s.conclusion))
