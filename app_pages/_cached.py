"""Every Streamlit cache wrapper lives here; the core functions stay plain and testable.

Keys come from the inputs (docs/caching.md): values that Streamlit cannot hash cheaply (segment
sets, plans) travel as `Keyed(value, digest)` with the digest `state` made of their own inputs (the
older wrappers take `_value, key` pairs, the same idea); UI builders go through `derived` and
`chart_spec`, keyed by the builder, its arguments and the language.

`st.cache_data` hands every caller a fresh copy (it unpickles the stored result on each call);
results that are immutable all the way down (pydantic models and dataclasses declared frozen, of
tuples) use `st.cache_resource` instead, which returns the one stored object: no copy per run.

Two layers: Streamlit's caches keep results in this process's memory; the slow fits on bundled
sample data also go through `sharedcache`, keyed by the data's content and the choices, so that
every server process behind the proxy (and the next start) reuses one fit. Results from uploaded
data never leave the process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import types
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec  # pinned Streamlit

from campaigns.campaign_docs import CAMPAIGN, read_campaign, region_of
from campaigns.campaign_files import load_campaign
from campaigns.definitions import Campaign, Region
from campaigns.drafts import Draft, EditSet, flyer_pdf, pdf_page_png, preview
from campaigns.estimates_file import estimates_for_excel
from campaigns.evaluation import Evaluation, estimates_table, evaluate
from campaigns.evaluation_report import report_html, report_pdf
from campaigns.evaluation_run import with_objectives
from campaigns.export import plan_to_csv, plan_to_ics, plan_to_xlsx
from campaigns.feedback import FeedbackItem
from campaigns.mix import ChannelMix, Option, channel_options, optimise_mix
from campaigns.objective_power import ObjectivePower, objective_power
from campaigns.objectives import ObjectiveScore, objectives_table, score_objectives
from campaigns.schedule import CampaignPlan, apply_moves, plan_campaign, views
from campaigns.store import Store
from campaigns.survey_answers import SurveyAnswers, load_survey_answers
from campaigns.usage import UsageData, load_usage
from campaigns.usage.power import PowerResult, minimum_detectable_effect
from common.catalogue import Raw
from common.errors import InputError, problem
from common.table_files import read_raw
from segments.clustering import FitResult, fit_segments
from segments.io import LoadResult, load_citizens
from segments.mapping import Suggestion, file_suggestions
from segments.rules import Rule
from segments.schema import FIELD_BY_NAME
from segments.segmentset import SegmentSet
from segments.statistics import StatisticsPopulation
from segments.statistics.output import describe_only
from segments.statistics.source import build_from_spec, spec_key

from .i18n import lang
from .sharedcache import shared_cache

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


DEFAULT_CAMPAIGN = "varmland_2027.yaml"  # the joint launch: what most users come to see first


# The bundled campaign files are read once per process with a plain `lru_cache`: every run asks for
# them about a hundred times (each state look-up starts from the campaign), and each call through
# Streamlit's cache costs more (signature inspection, argument hashing) than the look-up itself.


@lru_cache(maxsize=1)
def campaign_files() -> tuple[str, ...]:
    files = sorted((DATA / "campaigns").glob("*.yaml"), key=lambda p: (p.name != DEFAULT_CAMPAIGN, p.name))
    return tuple(str(p) for p in files)


@lru_cache(maxsize=64)
def campaign_and_region(path: str) -> tuple[Campaign, Region]:
    """Frozen pydantic models, shared by every session. A stored campaign document is named
    `<file>#v<version>-<digest>` (app_pages.state_campaign): one version's content never changes, and the
    digest of the content makes the name unique across databases."""
    if "#v" not in path:
        return load_campaign(path)
    key = Path(path.split("#", 1)[0]).stem
    version, digest = path.split("#v", 1)[1].split("-", 1)
    doc = store().version(CAMPAIGN, key, int(version))
    if doc is None or _digest(doc.content) != digest:
        raise InputError([problem("campaign.version_gone", key=Raw(key), v=int(version))])
    campaign = read_campaign(doc.content, f"{CAMPAIGN}/{key}")
    return campaign, region_of(campaign)


def _digest(content: str) -> str:
    return hashlib.sha1(content.encode("utf-8")).hexdigest()[:16]


def stored_campaign_refs() -> dict[str, str]:
    """Every campaign document in the shared database: key -> `<file>#v<version>-<digest>`."""
    out: dict[str, str] = {}
    for key in store().keys(CAMPAIGN):
        doc = store().load(CAMPAIGN, key)
        if doc is not None:
            out[key] = f"{DATA / 'campaigns' / key}.yaml#v{doc.version}-{_digest(doc.content)}"
    return out


@st.cache_resource(show_spinner=False, max_entries=4)
def sample_citizens(path: str) -> LoadResult:
    """Bundled synthetic citizens (in memory only), one shared table: every page reads it (each
    run passes it to `fit`), nothing assigns into it, and pandas' copy-on-write keeps frames
    derived from it apart. Unpickling a copy on every run cost more than the page's own work."""
    return load_citizens(path)


@st.cache_resource(show_spinner=False, max_entries=2)
def uploaded_citizens(_data: bytes, digest: str, name: str, drop_personal: bool,
                      column_map: tuple[tuple[str, str], ...], _progress: Callable[[str], None] | None = None,
                      value_map: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (),
                      features: tuple[str, ...] = ()) -> LoadResult:
    """An uploaded file, parsed in memory. Nothing is written to disk. The file's digest is the
    cache key: hashing a million-row upload on every rerun would cost more than the page itself."""
    return load_citizens(_data, name, drop_personal=drop_personal, column_map=dict(column_map),
                         value_map={h: dict(v) for h, v in value_map}, features=features, progress=_progress)


@st.cache_data(show_spinner=False, max_entries=4)
def column_suggestions(_data: bytes, digest: str, name: str) -> tuple[list[str], dict[str, Suggestion]]:
    """The upload's header row and a suggested field for every column not recognised (segments.mapping);
    an unreadable file has none (loading it says why)."""
    try:
        raw = read_raw(_data, name)
        return list(raw.headers), file_suggestions(raw)
    except InputError:
        return [], {}


def frozen_values(value_map: dict[str, dict[str, str]]) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """An answer mapping as a hashable cache key."""
    return tuple(sorted((h, tuple(sorted(v.items()))) for h, v in value_map.items()))


@st.cache_resource(show_spinner=False, max_entries=2, hash_funcs={dict: spec_key})
def statistics(spec: dict, path: str) -> tuple[StatisticsPopulation, LoadResult]:
    """Rows built from SCB statistics and habit rates (usage read against the campaign), in memory
    only; one shared, read-only result like the sample citizens (no copy per look-up)."""
    campaign, region = campaign_and_region(path)
    return build_from_spec(spec, lambda data, name: load_usage(data, name, region, campaign),
                           {m.code: m.name for m in region.municipalities})


@st.cache_resource(show_spinner=False, max_entries=16)
def fit(_table: pd.DataFrame, data_key: str, k: int | str, min_size: float, rules: tuple[Rule, ...],
        _progress: Callable[[str], None] | None = None) -> FitResult:
    return fit_shared(_table, data_key, k, min_size, rules, _progress)


def fit_shared(table: pd.DataFrame, data_key: str, k: int | str, min_size: float, rules: tuple[Rule, ...],
               progress: Callable[[str], None] | None = None) -> FitResult:
    """The fit, shared between server processes when the data is a bundled sample file."""
    def compute() -> FitResult:
        # rows built from statistics: only age and habits may split segments (the habit tables vary by age only)
        only = describe_only({"kind": "statistics"}) if data_key.startswith("statistics:") else ()
        extra = tuple(c for c in table.columns if c not in FIELD_BY_NAME) if data_key.startswith("upload:") else ()
        return fit_segments(table, k, min_size=min_size, seed=0, rules=rules, extra_features=extra,
                            describe_only=only, progress=progress)

    if not data_key.startswith("sample:"):
        return compute()
    content = hashlib.sha256(pd.util.hash_pandas_object(table, index=True).to_numpy().tobytes()).hexdigest()
    columns = tuple((str(c), str(t)) for c, t in table.dtypes.items())
    return shared_cache().get_or_compute("fit", (content, columns, k, min_size, rules), compute)


@st.cache_resource(show_spinner=False, max_entries=16)
def mix_options(path: str, _segments: SegmentSet, segments_key: str) -> tuple[Option, ...]:
    """Reach and cost of every option (frozen): the same for every budget an officer tries."""
    campaign, region = campaign_and_region(path)
    return tuple(channel_options(campaign, region, _segments))


@st.cache_resource(show_spinner=False, max_entries=32)
def mix(path: str, _segments: SegmentSet, segments_key: str, budget: float) -> ChannelMix:
    campaign, region = campaign_and_region(path)
    return optimise_mix(campaign, region, _segments, budget, options=mix_options(path, _segments, segments_key))


@st.cache_resource(show_spinner=False, max_entries=16)
def plan(path: str, _segments: SegmentSet, _mix: ChannelMix | None, key: str) -> CampaignPlan:
    """A frozen plan (~0.5 MB pickled for Värmland): shared, not copied on every run."""
    campaign, region = campaign_and_region(path)
    return plan_campaign(campaign, region, _segments, _mix)


@st.cache_resource(show_spinner=False, max_entries=16)
def moved_plan(_plan: CampaignPlan, key: str, moves: tuple[tuple[str, dt.date], ...]
               ) -> tuple[CampaignPlan, tuple[str, ...]]:
    """The plan with the officer's moves applied in order (each checked by the core), and those skipped."""
    return apply_moves(_plan, moves)


@st.cache_resource(show_spinner=False, max_entries=16)
def segment_yaml(_segments: SegmentSet, key: str) -> tuple[str, str]:
    """A fitted segment set's YAML (profiles only) and its digest, made once per fit."""
    text = _segments.to_yaml()
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16], text


@st.cache_resource(show_spinner=False, max_entries=8)
def activity_table(_plan: CampaignPlan, key: str) -> pd.DataFrame:
    """The plan as one table (campaigns.schedule.views), made once per plan; nothing assigns into it."""
    return views.activity_table(_plan)


@dataclass(frozen=True)
class Keyed(Generic[T]):
    """A value too big to hash on every run (a plan, a segment set) with the digest of the inputs it
    was made from (`state.plan_key()`, `state.segments_key()` ...): a cache hashes the digest."""

    value: T
    key: str


def _builder_name(build: Callable[..., Any]) -> str:
    """A builder is named by where it is defined; a lambda or a nested function could read anything
    around it that its key does not name, so it is refused."""
    if build.__name__ == "<lambda>" or "<locals>" in build.__qualname__:
        raise ValueError(f"cache builders must be module-level functions, not {build.__qualname__}")
    return f"{build.__module__}.{build.__qualname__}"


_BY_INPUTS: dict[Any, Callable[[Any], Any]] = {Keyed: lambda k: k.key, types.FunctionType: _builder_name}


def _values(args: tuple[Any, ...]) -> list[Any]:
    return [a.value if isinstance(a, Keyed) else a for a in args]


@st.cache_data(show_spinner=False, max_entries=128, hash_funcs=_BY_INPUTS)
def _derived(build: Callable[..., Any], lang: str, *args: Any) -> Any:
    return build(*_values(args))


def derived(build: Callable[..., Any], *args: Any) -> Any:
    """`build(*args)` made once per builder, arguments and language: the key is derived from exactly
    what the builder receives (plain values and small tables by value, `Keyed` values by their
    digest) and the session's language (builders word things through it)."""
    return _derived(build, lang(), *args)


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=_BY_INPUTS)
def _spec(build: Callable[..., alt.TopLevelMixin], lang: str, *args: Any) -> dict[str, Any]:
    return _convert_altair_to_vega_lite_spec(build(*_values(args)))


def chart_spec(build: Callable[..., alt.TopLevelMixin], *args: Any) -> dict[str, Any]:
    """An Altair chart as the Vega-Lite spec Streamlit sends (data as Arrow), built and validated once
    per builder, arguments and language (keyed as `derived`); later runs pass the stored spec to
    `st.vega_lite_chart`, skipping Altair's construction and schema validation.

    Uses Streamlit's own conversion (the same as `st.altair_chart`, under its lock).
    """
    return _spec(build, lang(), *args)


@st.cache_data(show_spinner=False, max_entries=32)
def drafts(path: str, _segments: SegmentSet, segments_key: str, municipality: str, e_service: str, _edits: EditSet,
           edits_stamp: str) -> list[Draft]:
    """Every draft for one municipality and e-service, with the stored edits (keyed by their stamp)."""
    campaign, region = campaign_and_region(path)
    return preview(region, campaign, _segments, municipality, e_service, edits=_edits)


@st.cache_data(show_spinner=False, max_entries=64)
def pdf(body: str, _draft: Draft) -> bytes:
    return flyer_pdf(_draft)


@st.cache_data(show_spinner=False, max_entries=64)
def pdf_png(body: str, _pdf: bytes) -> bytes:
    """The flyer's page as an image (keyed by the flyer's HTML, which decides the PDF)."""
    return pdf_page_png(_pdf)


@st.cache_data(show_spinner=False, max_entries=8)
def ics(_plan: CampaignPlan, key: str, municipality: str | None, lang: str = "sv") -> bytes:
    return plan_to_ics(_plan, municipality, lang=lang)


@st.cache_data(show_spinner=False, max_entries=4)
def xlsx(_plan: CampaignPlan, key: str, lang: str = "sv") -> bytes:
    return plan_to_xlsx(_plan, lang)


@st.cache_data(show_spinner=False, max_entries=8)
def csv_text(_plan: CampaignPlan, key: str, swedish_excel: bool, lang: str = "sv") -> bytes:
    text = plan_to_csv(_plan, swedish_excel=swedish_excel, lang=lang)
    return text.encode("utf-8-sig" if swedish_excel else "utf-8")


@st.cache_data(show_spinner=False, max_entries=8)
def usage(data: bytes, name: str, path: str) -> UsageData:
    campaign, region = campaign_and_region(path)
    return load_usage(data, name, region, campaign)


@st.cache_data(show_spinner=False, max_entries=8)
def survey_answers(data: bytes, name: str, _plan: CampaignPlan, _segments: SegmentSet, key: str) -> SurveyAnswers:
    """Survey answers read in memory (refused when they hold personal data); `key` names the plan."""
    return load_survey_answers(data, name, _plan, _segments)


@st.cache_data(show_spinner=False, max_entries=8)
def evaluation(_plan: CampaignPlan, _usage: UsageData, _mix: ChannelMix | None, _answers: SurveyAnswers | None,
               key: str) -> Evaluation:
    """`key` names the plan, the statistics and the survey answers."""
    return evaluate(_plan, _usage, _mix, _answers)


@st.cache_data(show_spinner=False, max_entries=8)
def estimates_file(_evaluation: Evaluation, key: str, lang: str, names: tuple[tuple[str, str], ...] = (),
                   _plan: CampaignPlan | None = None, _objectives: tuple[ObjectiveScore, ...] = ()) -> bytes:
    """The download says "för Excel": headers, separators, decimals and names as `lang` writes them;
    `key` names the evaluation, and the objectives are scored from the same inputs (objective_scores)."""
    table = estimates_table(_evaluation, lang)
    if _plan is not None:
        table = with_objectives(table, objectives_table(_objectives, _plan, lang))
    return estimates_for_excel(table, lang, names)


@st.cache_data(show_spinner=False, max_entries=8)
def objective_scores(_evaluation: Evaluation, _plan: CampaignPlan, _usage: UsageData, _mix: ChannelMix | None,
                     _answers: SurveyAnswers | None, key: str) -> tuple[ObjectiveScore, ...]:
    """Every objective scored (campaigns.objectives); `key` names the evaluation's inputs."""
    return score_objectives(_evaluation, _plan, _usage, _mix, _answers)


@st.cache_data(show_spinner=False, max_entries=32)
def objective_power_check(_plan: CampaignPlan, key: str, e_service: str, index: int, _usage: UsageData | None,
                          usage_key: str) -> ObjectivePower:
    """`key` names the start months (power.starts_key), `index` the objective, `usage_key` the statistics."""
    objective = _plan.campaign.e_service(e_service).objectives[index]
    return objective_power(_plan, e_service, objective, _usage)


@st.cache_data(show_spinner=False, max_entries=8)
def report(_evaluation: Evaluation, _plan: CampaignPlan, feedback: tuple[FeedbackItem, ...], key: str,
           pdf_too: bool, lang: str, _objectives: tuple[ObjectiveScore, ...] = ()) -> bytes:
    """The feedback is part of the cache key (hashed by value), so new feedback gives a new report."""
    html = report_html(_evaluation, _plan, list(feedback), lang, _objectives)
    return report_pdf(html) if pdf_too else html.encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=16)
def power(_plan: CampaignPlan, key: str, e_service: str, _usage: UsageData | None, usage_key: str
          ) -> PowerResult | None:
    """`key` names what the figures take from the plan (power.starts_key), `usage_key` the statistics."""
    return minimum_detectable_effect(_plan, e_service, _usage)


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The shared database: SQLite by default, PostgreSQL when DATABASE_URL is set."""
    return Store()
