"""Segments: choose k (auto, or one click on a candidate), add rules with a live size, read the cards with
how stable each segment is, rename, see charts, save."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _cached, charts, confirm_change, state, statistics_view
from app_pages.i18n import labels, lang, relabel, t, tr
from common.errors import InputError
from common.filenames import file_stem
from common.formatting import fmt_int, fmt_pct
from segments.choosek import answer_label
from segments.profile import SUPPRESSED
from segments.rules import parse_rules, rule_mask
from segments.schema import category_values
from segments.segmentset import KChoice

st.title(t("segments_title"))

K_CHOICES = ["auto", 2, 3, 4, 5, 6, 7, 8]


def _set_segmentation(**changes: object) -> None:
    """k, the minimum size or the rules changed: saved at once (names follow the segments across the
    refit) — after the officer has seen what their work becomes, when any of it is touched."""
    new = state.working().segmentation.model_copy(update=changes)
    if new != state.working().segmentation:
        confirm_change.ask(lambda: state.update(segmentation=new), state.preview(segmentation=new),
                           t("confirm.what.segmentation"))


def _segmentation_changed() -> None:
    _set_segmentation(k=st.session_state["k"], min_size=float(st.session_state["min_size"]))


confirm_change.show()  # a change of k or rules waits here for the officer's answer
with state.guard():
    seg = state.working().segmentation
    st.session_state["k"], st.session_state["min_size"] = seg.k, int(seg.min_size)
    refit_possible = state.data_available()
    cols = st.columns([2, 2, 3])
    cols[0].selectbox(t("k_label"), K_CHOICES, key="k", on_change=_segmentation_changed, disabled=not refit_possible,
                      format_func=labels(K_CHOICES, lambda k: t("k_auto") if k == "auto" else str(k)))
    cols[1].number_input(t("min_size"), min_value=5, max_value=100_000, step=5, key="min_size",
                         on_change=_segmentation_changed, disabled=not refit_possible)
    if not refit_possible:
        st.info(t("ws.refit_needs_data", file=state.working().data.file or ""))
    for note in state.notices():
        st.warning(tr(note))


def pct(v: float | None) -> str:
    return "–" if v is None else fmt_pct(v, lang())


RULE_FIELDS = ("age", "internet_use", "has_bankid", "prefers_paper", "occupation", "household")


def _rule_builder(table) -> None:  # noqa: ANN001 - the citizen table
    """A rule with its live size on the current data, added to the working state."""
    rc = st.columns([2, 2, 3])
    relabel("rule_field", "rule_bool", *(f"rule_{f}" for f in RULE_FIELDS))
    name = rc[0].text_input(t("rule_name"), value=t("rule_default_name"), key="rule_name")
    field = rc[1].selectbox(t("rule_field"), RULE_FIELDS, format_func=labels(RULE_FIELDS, lambda f: t(f"field_label.{f}")),
                            key="rule_field")
    if field == "age":
        st.session_state.setdefault("rule_age", (80, 120))  # the default once, so relabel() may keep the value
        lo, hi = rc[2].slider(t("rule_min_age") + " – " + t("rule_max_age"), 0, 120, key="rule_age")
        condition: object = {"min": lo, "max": hi}
    elif field in ("has_bankid", "prefers_paper"):
        condition = rc[2].radio(t("rule_value"), [True, False], horizontal=True, key="rule_bool",
                                format_func=labels([True, False], lambda v: t("yes") if v else t("no")))
    else:
        values = list(category_values(field))
        condition = rc[2].multiselect(t("rule_value"), values, default=values[-1:], key=f"rule_{field}",
                                      format_func=labels(values, lambda v: tr(answer_label(field, v))))
    try:
        rule = parse_rules({"rules": [{"name": name or t("rule_default_name"), "when": {field: condition}}]})[0]
        persons = float(table["weight"].to_numpy()[rule_mask(rule, table)].sum())
        st.info(t("rule_live", persons=fmt_int(persons, lang()),
                  share=fmt_pct(persons / table["weight"].sum(), lang())))
        if st.button(t("rule_add")):
            _set_segmentation(rules=[*state.working().segmentation.rules, rule.to_dict()])
            st.rerun()
    except InputError as err:
        st.warning(err.text(lang()))


with st.expander(t("rules_title"), expanded=bool(state.working().segmentation.rules)):
    st.caption(t("rules_intro"))
    with state.guard():
        loaded = state.citizens()
        if loaded is not None:
            _rule_builder(loaded.table)
    active = state.rules()
    if active:
        st.write(t("rules_active", names=", ".join(r.name for r in active)))
        if st.button(t("rule_remove")):
            _set_segmentation(rules=[])
            st.rerun()



def _pick(k: int, auto_k: int) -> None:
    """One click on a candidate: show that many segments (the automatic choice goes back to auto)."""
    _set_segmentation(k="auto" if k == auto_k else k)


def k_panel(auto: KChoice, current: int) -> None:
    """Quality per k as a chart, the chosen one marked, a sentence and a button for each."""
    st.subheader(t("k_chart_title"))
    st.info(tr(auto.explanation()))
    if state.working().segmentation.k != "auto":
        st.caption(t("k_manual_note", k=current, auto=auto.chosen))
    if not auto.candidates:
        return
    frame = charts.k_frame([(c.k, c.quality, tr(c.split)) for c in auto.candidates], auto.chosen, current,
                           {"chosen": t("k_chosen_mark")})
    left, right = st.columns([2, 3])
    left.vega_lite_chart(charts.k_chart(frame, t("k_count"), t("k_quality")))
    left.caption(t("k_chart_caption"))
    with right:
        for c in auto.candidates:
            row = st.columns([1, 4], vertical_alignment="center")
            row[0].button(t("k_pick", k=c.k), key=f"pick_k_{c.k}", on_click=_pick, args=(c.k, auto.chosen),
                          disabled=c.k == current, type="primary" if c.k == auto.chosen else "secondary")
            row[1].markdown(tr(c.split))


with state.guard():
    with st.spinner(t("polish.stage.segments")):
        result = state.fit_result()
        auto_result = state.auto_fit_result()
    ss = state.segment_set()
    if auto_result is not None:  # the data is in this session: k can be changed
        k_panel(auto_result.segment_set.k, ss.k.chosen)
    statistics_view.estimated_caption()  # built from statistics: habits are estimated, not measured
    for n in result.notices if result is not None else ():
        (st.info if n.code == "notice.no_groups" else st.warning)(tr(n))  # one segment is an answer, not a fault
    for m in ss.model_summary():  # which questions split the segments, which only describe them
        st.caption(tr(m))
    cautions = ss.cautions()
    if cautions:
        st.warning(t("cautions_title") + ":\n\n" + "\n".join(
            f"- **{s.id}. {tr(s.title)}**: {tr(c)}" for sid, c in cautions for s in [ss.segment(sid)]))

    for row_start in range(0, len(ss.segments), 2):
        row = st.columns(2)
        for col, s in zip(row, ss.segments[row_start:row_start + 2]):
            with col.container(border=True):
                st.subheader(f"{s.id}. {tr(s.title)}")
                stability = s.stability_label()
                if stability is not None:
                    st.badge(tr(stability), color="green" if s.stable else "orange",
                             icon=":material/check_circle:" if s.stable else ":material/warning:")
                st.write(tr(s.description))
                if s.certainty is not None:
                    st.caption(t("segments.segment_certainty", certainty=fmt_pct(s.certainty, lang()),
                                 effective=fmt_int(s.effective_size or 0, lang())))
                if ss.provenance:
                    st.caption(t("statistics.ui.card_estimated"))
                h = s.profile.habits
                m = st.columns(3)
                m[0].metric(t("persons"), fmt_int(s.profile.size, lang()))
                m[1].metric(t("daily_internet"), pct(h.daily_internet))
                m[2].metric(t("bankid"), pct(h.bankid))
                m = st.columns(3)
                m[0].metric(t("share"), fmt_pct(s.profile.share, lang()))
                m[1].metric(t("facebook"), pct(h.facebook))
                m[2].metric(t("paper"), pct(h.paper))
                with st.popover(t("rename")):
                    new = st.text_input(t("rename_label", id=s.id), value=s.name, key=f"rename_{s.id}")
                    if st.button(t("rename"), key=f"do_rename_{s.id}") and new.strip() and new != s.name:
                        state.rename(s.id, new)
                        st.rerun()

    tab_sizes, tab_habits, tab_munis = st.tabs([t("chart_sizes"), t("chart_habits"), t("chart_munis")])
    with tab_sizes:
        st.vega_lite_chart(spec=_cached.chart_spec(charts.sizes_chart, _cached.Keyed(ss, state.segments_key())),
                           alt=t("chart_sizes"))
        with st.expander(t("as_table")):
            st.dataframe(charts.sizes_frame(ss), hide_index=True)
    with tab_habits:
        habits = charts.habits_frame(ss)
        if habits.empty:
            st.info(t("no_habits"))
        else:
            st.vega_lite_chart(spec=_cached.chart_spec(charts.habits_chart,
                                                       _cached.Keyed(ss, state.segments_key())), alt=t("chart_habits"))
            with st.expander(t("as_table")):
                st.dataframe(charts.habits_table(ss), hide_index=True)
    with tab_munis:
        munis = sorted({m for s in ss.segments for m in s.profile.by_municipality})
        st.dataframe(pd.DataFrame(
            [{t("segment"): f"{s.id}. {tr(s.title)}",
              **{m: (v if v == SUPPRESSED else fmt_int(v, lang())) if (v := s.profile.by_municipality.get(m)) is not None
                 else "0" for m in munis}} for s in ss.segments]), hide_index=True)
        st.caption(t("per_municipality"))

    # The YAML is made when the button is pressed, not on every run of the page.
    st.download_button(t("download_segments"), data=lambda: ss.to_yaml(lang()).encode("utf-8"),
                       file_name=f"segment-{file_stem(state.campaign_key())}.yaml", mime="application/x-yaml",
                       on_click="ignore", icon=":material/save:")
