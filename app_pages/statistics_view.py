"""Data page, second way in: "Börja från SCB-statistik" for officers without a survey.

Collect (SCB exports, optional usage statistics, the habit rates — editable per municipality)
→ call the core (`segments.statistics`, through `_cached.statistics`) → render what was built,
and say plainly that the habits are estimated from national rates.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import _cached, confirm_change, state
from app_pages.i18n import labels as worded
from app_pages.i18n import lang, relabel, t, tr
from campaigns.working_state import DataChoice
from common.errors import InputError
from common.formatting import fmt_int
from common.uploads import neutral_name
from segments.statistics import HabitRates, estimated_note, load_habits, parse_habits
from segments.statistics.habits import HABITS
from segments.statistics.source import sample_spec, spec_key

__all__ = ["render", "estimated_caption"]

_NATIONAL = "__national__"


def _habits() -> HabitRates:
    text = st.session_state.get("stats_habits")
    return parse_habits(text, "habits.yaml") if text else load_habits()


def _habit_editor(rates: HabitRates, municipalities: list[str]) -> None:
    """The rates per age band as an editable table, nationally or for one municipality."""
    st.caption(t("statistics.ui.habits_source", source=rates.source))
    st.caption(rates.note)
    scopes = [_NATIONAL, *municipalities]
    relabel("stats_scope")
    scope = st.selectbox(t("statistics.ui.habits_scope"), scopes, key="stats_scope",
                         format_func=worded(scopes, lambda v: t("statistics.ui.habits_national") if v == _NATIONAL
                                            else v))
    from segments.statistics.labels import Place

    bands = rates.bands if scope == _NATIONAL else rates.bands_for(Place(None, scope))
    # The editor's headers are the session's words; the records are read back by the same words.
    labels = {"ages": t("statistics.ui.habit.ages"), **{h: t(f"statistics.ui.habit.{h}") for h in HABITS}}
    frame = pd.DataFrame([{labels["ages"]: b.ages, **{labels[h]: round(b.share(h) * 100, 1) for h in HABITS}}
                          for b in bands])
    config = {labels["ages"]: st.column_config.TextColumn(disabled=True)}
    config.update({labels[h]: st.column_config.NumberColumn(min_value=0.0, max_value=100.0, format="%.0f %%")
                   for h in HABITS})
    edited = st.data_editor(frame, column_config=config, hide_index=True, key=f"stats_editor_{scope}_{lang()}")
    records = [{h: r[labels[h]] for h in HABITS} for r in edited.to_dict("records")]
    if st.button(t("statistics.ui.habits_apply"), key="stats_apply"):
        try:
            if scope == _NATIONAL:
                new = rates.with_bands([{**b.model_dump(), **{h: float(r[h]) / 100 for h in HABITS}}
                                        for b, r in zip(bands, records)])
            else:
                changed = [{"ages": b.ages, **{h: float(r[h]) / 100 for h in HABITS if abs(float(r[h]) / 100 - b.share(h))
                                               > 1e-9}} for b, r in zip(sorted(rates.bands, key=lambda b: b.low), records)]
                own = [c for c in changed if len(c) > 1]
                new = rates.with_override(scope, t("statistics.ui.own_figures"), own)
            st.session_state["stats_habits"] = new.to_yaml()
            if (spec := state.statistics_spec()) is not None:  # the rows in use follow the edited rates
                state.use_statistics({**spec, "habits": new.to_yaml()})
            st.session_state["flash_stats"] = t("statistics.ui.habits_saved")
            st.rerun()
        except InputError as err:
            st.error(err.text(lang()))
    cols = st.columns(2)
    cols[0].download_button(t("statistics.ui.habits_download"), rates.to_yaml().encode("utf-8"),
                            file_name="vanor.yaml", mime="application/x-yaml", icon=":material/download:")
    own = cols[1].file_uploader(t("statistics.ui.habits_upload"), type=["yaml", "yml"], key="stats_habits_file")
    if own is not None and st.session_state.get("stats_habits_name") != own.name:
        try:
            parse_habits(own.getvalue().decode("utf-8-sig"), own.name)
            st.session_state["stats_habits"] = own.getvalue().decode("utf-8-sig")
            st.session_state["stats_habits_name"] = own.name
            st.rerun()
        except (InputError, UnicodeDecodeError) as err:
            st.error(err.text(lang()) if isinstance(err, InputError) else t("statistics.ui.not_utf8"))


def _named(uploaded: Any) -> tuple[str, bytes]:
    """An upload by its neutral label (`common.uploads`), never by its file name."""
    data = uploaded.getvalue()
    return neutral_name(uploaded.name, data), data


def _start(spec: dict) -> None:
    spec = {**spec, "campaign": state.campaign_path()}  # usage statistics are read against this campaign
    try:
        with st.spinner(t("polish.stage.statistics")):
            built, loaded = _cached.statistics(spec, spec["campaign"])
    except InputError as err:
        st.error(t("statistics.ui.refused") + "\n\n" + err.text(lang()))
        return
    def use() -> None:
        state.use_statistics(spec)  # the statistics are now the plan's data (saved as its data source)
        st.session_state["flash"] = t("statistics.ui.started", rows=fmt_int(len(loaded.table), lang()),
                                      persons=fmt_int(loaded.table["weight"].sum(), lang()),
                                      munis=loaded.table["municipality"].nunique())

    choice = DataChoice(source="statistics", file=spec["population"][0], digest=spec_key(spec))
    confirm_change.ask(use, state.preview(data=choice, loaded=loaded), t("confirm.what.statistics"))
    st.rerun()


def _active() -> None:
    stats = state.statistics()
    if stats is None:
        return
    built, _ = stats
    st.info(tr(estimated_note(built.provenance) or ""))
    cov = built.coverage
    st.dataframe(pd.DataFrame({
        t("municipality"): cov["municipality"],
        t("statistics.ui.inhabitants"): [fmt_int(v, lang()) for v in cov["inhabitants"]],
        t("statistics.ui.covered"): [fmt_int(v, lang()) for v in cov["covered"]],
        t("statistics.ui.households"): [t(f"statistics.households_from.{v}") for v in cov["households"]],
        t("statistics.ui.eservice_habit"): [t("statistics.calibrated_yes" if v else "statistics.calibrated_no")
                                            for v in cov["calibrated"]],
    }), hide_index=True)
    if built.notices:
        with st.expander(t("statistics.ui.notes")):
            st.markdown("\n".join(f"- {tr(n)}" for n in built.notices))
    if st.button(t("statistics.ui.stop"), key="stats_stop"):
        def back() -> None:
            state.forget_statistics()
            state.update(data=DataChoice())

        confirm_change.ask(back, state.preview(data=DataChoice()), t("confirm.what.sample"))
        st.rerun()


def render() -> None:
    """The "Börja från SCB-statistik" section of the Data page."""
    active = state.working().data.source == "statistics"
    with st.expander(t("statistics.ui.title"), expanded=active or bool(st.session_state.get("stats_open"))):
        if "flash_stats" in st.session_state:
            st.success(st.session_state.pop("flash_stats"))
        st.write(t("statistics.ui.intro"))
        if active:
            _active()
        campaign, region = state.campaign()
        sample = sample_spec(region.key, campaign.key)
        if sample is not None and st.button(t("statistics.ui.use_sample", region=region.name), key="stats_sample"):
            st.session_state["stats_open"] = True
            _start({**sample, "habits": st.session_state.get("stats_habits") or sample["habits"]})
        pop = st.file_uploader(t("statistics.ui.population"), type=["csv", "txt", "xlsx"], key="stats_population")
        hh = st.file_uploader(t("statistics.ui.households_file"), type=["csv", "txt", "xlsx"], key="stats_households")
        usage = st.file_uploader(t("statistics.ui.usage"), type=["csv", "txt", "xlsx"], key="stats_usage")
        st.markdown("**" + t("statistics.ui.habits_title") + "**")
        try:
            rates = _habits()
            _habit_editor(rates, [m.name for m in region.municipalities])
        except InputError as err:
            st.error(err.text(lang()))
            return
        if st.button(t("statistics.ui.start"), type="primary", key="stats_start", disabled=pop is None):
            st.session_state["stats_open"] = True
            _start({"population": _named(pop), "households": _named(hh) if hh is not None else None,
                    "habits": rates.to_yaml(), "usage": _named(usage) if usage is not None else None,
                    "year": None})


def estimated_caption() -> None:
    """One line under segment profiles built from statistics (nothing for survey data)."""
    note = estimated_note(state.segment_set().provenance)
    if note is not None:
        st.warning(tr(note), icon=":material/info:")
