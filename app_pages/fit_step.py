"""Data page → does the file fit the campaign? A small step between reading an upload and using it.

A file whose municipalities all belong to the campaign's region is used at once. Otherwise the
officer sees the overlap and chooses: keep only the region's municipalities, or switch to the
campaign whose region the file fits. A file with nobody from the region cannot be used here.
"""

from __future__ import annotations

import streamlit as st

from app_pages import confirm_change, state
from app_pages.i18n import file_format, lang, t, tr
from campaigns.data_fit import DataFit, best_match
from campaigns.working_state import DataChoice
from common.formatting import fmt_int
from segments.io import LoadResult

__all__ = ["offer", "show_pending"]


def _use(choice: DataChoice, result: LoadResult, campaign: str | None = None) -> None:
    """Use the upload; within the same campaign, first show what the officer's work becomes (a
    change of the data source may lose renamed segments, moved activities or edits)."""
    if campaign is not None and campaign != state.campaign_key():
        state.switch_campaign(campaign)
        _used(choice, result)
        return
    if state.working().data == choice:  # the same file with the same choices again (after a reload):
        _used(choice, result)  # the segments stay as they are, nothing to ask about
        return
    confirm_change.ask(lambda: _used(choice, result), state.preview(data=choice, loaded=result),
                       t("confirm.what.upload", file=choice.file or ""),
                       on_cancel=lambda: st.session_state.setdefault("dismissed", set()).add(choice.digest))
    st.session_state.pop("pending_fit", None)


def _used(choice: DataChoice, result: LoadResult) -> None:
    state.update(data=choice)
    st.session_state.pop("pending_fit", None)
    table = result.table
    if choice.municipalities is not None:
        table = table[table["municipality"].astype(str).isin(choice.municipalities).to_numpy()]
    st.session_state["flash"] = t("upload_ok", rows=fmt_int(len(table), lang()),
                                  persons=fmt_int(table["weight"].sum(), lang()),
                                  n=int(table["municipality"].nunique()), fmt=file_format(result.description))


def offer(choice: DataChoice, result: LoadResult) -> None:
    """Use the upload when it fits the campaign; otherwise keep it pending for the officer's choice."""
    fit = state.fit_of(result)
    if fit.status == "full":
        _use(choice, result)
        return
    persons = state.persons_by_municipality(result)
    others = [(c, r) for c, r in state.other_regions() if c != state.campaign_key()]
    st.session_state["pending_fit"] = (choice, result, fit, best_match(persons, others))


def _keep_matching() -> None:
    choice, result, fit, _ = st.session_state["pending_fit"]
    _use(choice.model_copy(update={"municipalities": list(fit.matched_refs)}), result)


def _switch() -> None:
    choice, result, _, campaign = st.session_state["pending_fit"]
    _use(choice, result, campaign)


def show_pending() -> None:
    """The overlap and the choices, while an upload waits for them."""
    pending = st.session_state.get("pending_fit")
    if pending is None:
        return
    choice, _, fit, campaign = pending
    fit_: DataFit = fit
    st.subheader(t("fit.title", file=choice.file or ""))
    (st.error if fit_.status == "none" else st.warning)(tr(fit_.message()))
    cols = st.columns(3)
    if fit_.status == "partial":
        cols[0].button(t("fit.keep", n=len(fit_.matched), region=fit_.region), on_click=_keep_matching,
                       type="primary", key="fit_keep")
    if campaign is not None:
        cols[1].button(t("fit.switch", campaign=state.campaign_name_of(campaign)), on_click=_switch,
                       key="fit_switch")
    if cols[2].button(t("fit.cancel"), key="fit_cancel"):
        st.session_state.setdefault("dismissed", set()).add(choice.digest)
        st.session_state.pop("pending_fit", None)
        st.rerun()
