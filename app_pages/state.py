"""Shared session state: the chosen campaign, the data, the segments, the mix and the plan.

Pages ask here for what they show. Everything is derived from a few choices kept in
`st.session_state`, so a failed upload or a refused edit never loses the work already done.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import streamlit as st

from campaigns.definitions import Campaign, Region, region_path_for
from campaigns.drafts import Draft, EditSet, load_edits
from campaigns.mix import ChannelMix
from campaigns.schedule import CampaignPlan
from common.errors import InputError
from segments.clustering import FitResult
from segments.io import LoadResult
from segments.rules import Rule
from segments.segmentset import SegmentSet
from segments.statistics import StatisticsPopulation, mark_estimated

from . import _cached
from .i18n import lang, t


@contextlib.contextmanager
def guard() -> Iterator[None]:
    """Show any failure as a clear message instead of a traceback; the session's work stays."""
    try:
        yield
    except InputError as err:
        st.error(err.text(lang()))
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
        st.error(t("error_generic", what=f"{type(exc).__name__}: {exc}"))


def campaign_path() -> str:
    files = _cached.campaign_files()
    current = st.session_state.get("campaign_path")
    if current not in files:
        current = files[0]
        st.session_state["campaign_path"] = current
    return current


def campaign() -> tuple[Campaign, Region]:
    return _cached.campaign_and_region(campaign_path())


def statistics() -> tuple[StatisticsPopulation, LoadResult] | None:
    """The population built from SCB statistics, when that is the chosen source (no upload)."""
    spec = st.session_state.get("statistics")
    if not spec or st.session_state.get("upload"):
        return None
    return _cached.statistics(spec, spec.get("campaign") or campaign_path())  # usage read against its campaign


def citizens() -> LoadResult:
    """The uploaded file when there is one, else rows built from statistics, else the region's
    bundled sample citizens."""
    upload = st.session_state.get("upload")
    if upload:
        return _cached.uploaded_citizens(upload["data"], upload["digest"], upload["name"], upload["drop_personal"],
                                         tuple(sorted(upload["column_map"].items())))
    if (stats := statistics()) is not None:
        return stats[1]
    c, r = campaign()
    path = region_path_for(c, Path(campaign_path())).parent / (r.sample_citizens or "")
    return _cached.sample_citizens(str(path))


def data_key() -> str:
    upload = st.session_state.get("upload")
    if upload:
        return "upload:" + upload["digest"][:12] + f":{upload['drop_personal']}"
    if st.session_state.get("statistics"):
        return "statistics:" + _cached.statistics_key(st.session_state["statistics"], campaign_path())
    return "sample:" + campaign_path()


def data_label() -> str:
    upload = st.session_state.get("upload")
    if not upload and st.session_state.get("statistics"):
        return t("statistics.ui.data_label", name=st.session_state["statistics"]["population"][0])
    return t("data_source_upload", name=upload["name"]) if upload else t("data_source_sample")


def segment_params() -> tuple[int | str, float, tuple[Rule, ...]]:
    return (st.session_state.get("k", "auto"), float(st.session_state.get("min_size", 30)),
            tuple(st.session_state.get("rules", ())))


def fit_result(progress: Callable[[str], None] | None = None) -> FitResult:
    k, min_size, rules = segment_params()
    return _cached.fit(citizens().table, data_key(), k, min_size, rules, progress)


def auto_fit_result() -> FitResult:
    """The fit with k chosen automatically: its k candidates are shown whichever k is picked."""
    _, min_size, rules = segment_params()
    return _cached.fit(citizens().table, data_key(), "auto", min_size, rules)


def _base_key() -> str:
    k, min_size, rules = segment_params()
    return f"{data_key()}|{k}|{min_size}|{rules!r}"


def renames() -> dict[int, str]:
    return st.session_state.setdefault("renames", {}).setdefault(_base_key(), {})


def segment_set() -> SegmentSet:
    ss = fit_result().segment_set
    if (stats := statistics()) is not None:
        ss = mark_estimated(ss, stats[0].provenance)  # profiles say that habits are estimated
    for sid, name in renames().items():
        ss = ss.rename(sid, name)
    return ss


def segments_key() -> str:
    return hashlib.sha1(f"{_base_key()}|{sorted(renames().items())}".encode()).hexdigest()[:16]


def budget() -> float:
    c, _ = campaign()
    budgets = st.session_state.setdefault("budgets", {})
    return float(budgets.get(campaign_path(), c.budget_sek))


def set_budget(value: float) -> None:
    st.session_state.setdefault("budgets", {})[campaign_path()] = float(value)


def channel_mix() -> ChannelMix | None:
    value = budget()
    if value <= 0:
        return None
    return _cached.mix(campaign_path(), segment_set(), segments_key(), value)


def _plan_base_key() -> str:
    return f"{campaign_path()}|{segments_key()}|{budget()}"


def moves() -> list[tuple[str, object]]:
    return st.session_state.setdefault("moves", {}).setdefault(_plan_base_key(), [])


def plan() -> CampaignPlan:
    """The scheduled plan with the user's manual moves applied in order."""
    base = _cached.plan(campaign_path(), segment_set(), channel_mix(), _plan_base_key())
    return _cached.moved_plan(base, _plan_base_key(), tuple(moves()))


def plan_key() -> str:
    return hashlib.sha1(f"{_plan_base_key()}|{moves()}".encode()).hexdigest()[:16]


def draft_edits() -> EditSet:
    """The campaign's stored draft edits, read fresh on every run (another session may have saved)."""
    c, _ = campaign()
    return load_edits(_cached.store(), c.key)


def drafts(municipality: str, e_service: str) -> list[Draft]:
    """Every draft for one municipality and e-service, stored edits applied (what is signed off too)."""
    edits = draft_edits()
    return _cached.drafts(campaign_path(), segment_set(), segments_key(), municipality, e_service, edits,
                          edits.stamp)
