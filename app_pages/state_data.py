"""The data a plan is made from: the sample, an upload, or rows built from SCB statistics.

Uploaded citizen rows and statistics files stay in this session's memory only; the working state
names them (file name and digest), never holds them. This module owns the session keys "uploads"
and "statistics".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

import streamlit as st

from campaigns.campaign_files import region_path_for
from campaigns.data_fit import DataFit, check_fit, data_fit
from campaigns.working_state import DataChoice, state_digest
from segments.io import LoadResult
from segments.statistics import StatisticsPopulation
from segments.statistics.source import spec_key

from . import _cached
from .i18n import t
from .state_campaign import campaign, campaign_key, campaign_path
from .state_work import update, working

T = TypeVar("T")
Progress = Callable[[str], None]


def remember_upload(name: str, data: bytes, digest: str) -> None:
    """Keep an uploaded file's bytes (`digest` is their sha1) in this session, never in the database."""
    uploads = st.session_state.setdefault("uploads", {})
    uploads[digest] = (name, data)
    for old in list(uploads)[:-2]:  # the last two files are enough
        del uploads[old]


def statistics_spec() -> dict | None:
    """The SCB statistics this session brought (files and habit rates), or None."""
    return st.session_state.get("statistics") or None


def use_statistics(spec: dict) -> None:
    """Rows built from SCB statistics become the plan's data (the statistics files stay in this session)."""
    st.session_state["statistics"] = spec
    update(data=DataChoice(source="statistics", file=spec["population"][0], digest=spec_key(spec)))


def forget_statistics() -> None:
    """This session's statistics files are dropped (another source was chosen)."""
    st.session_state.pop("statistics", None)


def statistics() -> tuple[StatisticsPopulation, LoadResult] | None:
    """The population built from SCB statistics, when that is the chosen source and this session has it."""
    spec = statistics_spec()
    choice = working().data
    if not spec or choice.source != "statistics" or spec_key(spec) != choice.digest:
        return None
    return _cached.statistics(spec, spec.get("campaign") or campaign_path())  # usage read against its campaign


def _loaded(choice: DataChoice, progress: Progress | None = None) -> LoadResult | None:
    """The data a choice names, when this session has it (an upload or statistics live only in the
    session that brought them)."""
    if choice.source == "upload":
        held = st.session_state.get("uploads", {}).get(choice.digest)
        if held is None:
            return None
        return _cached.uploaded_citizens(held[1], choice.digest or "", held[0], choice.drop_personal,
                                         tuple(sorted(choice.column_map.items())), progress,
                                         _cached.frozen_values(choice.value_map), tuple(choice.features))
    if choice.source == "statistics":
        stats = statistics()
        return None if stats is None else stats[1]
    c, r = campaign()
    path = region_path_for(c, Path(campaign_path())).parent / (r.sample_citizens or "")
    return _cached.sample_citizens(str(path))


def derived(name: str, compute: Callable[[], T], progress: Progress | None = None) -> T:
    """A value derived from the working state and the data it names, kept while both are the same
    objects: every change makes a new (frozen) state and the data comes from a shared cache, so
    identity says "unchanged". Pages ask for the segments a dozen times a run; each fresh derivation
    walks the data choice, rules, fit and digests again. `progress` reports a first read of the data."""
    state = working()
    source = _loaded(state.data, progress)
    memo = _memo()
    kept = memo.get(name)
    if kept is not None and kept[0] is state and kept[1] is source:
        return cast(T, kept[2])
    value = compute()
    memo[name] = (state, source, value)
    return value


def _memo() -> dict[str, tuple[object, object, object]]:
    return st.session_state.setdefault("derived", {}).setdefault(campaign_key(), {})


def carry_derived(old: object, new: object) -> None:
    """Values derived from `old` hold for `new` too (a refit recorded what they were derived with)."""
    memo = _memo()
    for name, (state, source, value) in list(memo.items()):
        if state is old:
            memo[name] = (new, source, value)


def persons_by_municipality(result: LoadResult) -> dict[str, float]:
    table = result.table
    return {str(k): float(v) for k, v in table.groupby("municipality", observed=True)["weight"].sum().items()}


def fit_of(result: LoadResult) -> DataFit:
    return data_fit(persons_by_municipality(result), campaign()[1])


def citizens(progress: Progress | None = None) -> LoadResult | None:
    """The citizen table the plan uses (only municipalities kept, if the officer chose so); None when
    the data was uploaded in another session. Refused when nobody in it lives in the region. Made
    once per working state: keeping municipalities copies the table and the check groups every row."""
    return derived("citizens", lambda: _kept_citizens(progress), progress)


def _kept_citizens(progress: Progress | None) -> LoadResult | None:
    choice = working().data
    result = _loaded(choice, progress)
    if result is None:
        return None
    if choice.municipalities is not None:
        keep = result.table["municipality"].astype(str).isin(choice.municipalities)
        result = LoadResult(result.table[keep.to_numpy()].reset_index(drop=True), result.notices,
                            result.description, result.dropped_personal_columns)
    if choice.source == "upload":
        check_fit(fit_of(result))
    return result


def data_available() -> bool:
    return _loaded(working().data) is not None


def data_key(choice: DataChoice | None = None) -> str:
    """What the citizen table is: the sample file, or the upload's digest with its options (of the
    working state's data choice, or of `choice`, one proposed)."""
    choice = choice or working().data
    if choice.source == "upload":
        return "upload:" + state_digest(choice.model_dump_json())
    if choice.source == "statistics":
        return "statistics:" + state_digest(choice.model_dump_json(), campaign_path())
    return "sample:" + campaign_path() + (":" + state_digest(choice.municipalities)
                                         if choice.municipalities is not None else "")


def data_label() -> str:
    choice = working().data
    if choice.source == "sample":
        return t("data_source_sample")
    if choice.source == "statistics" and data_available():
        return t("statistics.ui.data_label", name=choice.file or "")
    return t("data_source_upload" if data_available() else "data_source_elsewhere", name=choice.file or "")

