"""E-service usage statistics: import, synthetic sample data, and the campaign's uplift.

Usage comes as monthly counts per municipality × e-service, optionally split by channel (the
`utm_source` of tracked links) and segment. The uplift estimate compares each municipality's
usage per 1,000 inhabitants after its campaign started with (a) members that had not started
yet in the same month and (b) its own level before — a two-way fixed-effects comparison that
suits a staggered regional rollout. When every member started at once there is no one to
compare with, and the estimate falls back to each municipality's own trend, saying so. The
uncertainty band comes from resampling whole municipalities (a cluster bootstrap).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from common.errors import InputError, Problem, problem
from common.formatting import fmt_dec
from common.messages import ListOf, Msg
from common.tables import Source, parse_number, read_raw

from .definitions import Campaign, Region
from .schedule import CampaignPlan

# Planted in the bundled sample statistics (data/usage/): extra uses per 1,000 inhabitants and month
# from each municipality's campaign start, per e-service and channel. An empty dict plants nothing.
SAMPLE_EFFECTS: dict[str, dict[str, float]] = {
    "vigsel": {"web": 0.4, "facebook": 0.3, "flyer": 0.2, "training": 0.05},
    "felanmalan": {},
    "bygglov": {"web": 0.5, "facebook": 0.2, "flyer": 0.3, "training": 0.05},
    "skolval": {"web": 0.8, "facebook": 0.6, "flyer": 0.3, "training": 0.1},
    "synpunkter": {},
}
SAMPLE_BASELINE = {"vigsel": 0.3, "felanmalan": 4.0, "bygglov": 1.0, "skolval": 0.5, "synpunkter": 2.0}

__all__ = ["SAMPLE_BASELINE", "SAMPLE_EFFECTS", "USAGE_COLUMNS", "Uplift", "UsageData", "campaign_starts",
           "channel_uptake", "estimate_uplift", "generate_usage", "load_usage", "monthly_rates", "planted_effect",
           "wave_windows"]

USAGE_COLUMNS = {
    "month": ("månad", "manad", "period", "month"),
    "municipality": ("kommun", "kommunkod", "municipality"),
    "e_service": ("e-tjänst", "e-tjanst", "etjänst", "tjänst", "e_service"),
    "uses": ("antal", "användningar", "anvandningar", "ärenden", "uses", "count"),
    "channel": ("kanal", "utm_source", "källa", "channel"),
    "segment": ("segment",),
}
MIN_FOR_BOOTSTRAP = 5  # municipalities needed before resampling them says anything about uncertainty
MONTHS_SV = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "okt": 10,
             "nov": 11, "dec": 12}


@dataclass(frozen=True)
class UsageData:
    """Monthly uses; `channel` is '' for untagged uses and `segment` -1 when not split by segment."""

    frame: pd.DataFrame  # month (Timestamp, first of month), municipality (code), e_service, channel, segment, uses


def _month(text: str) -> pd.Timestamp | None:
    text = text.strip().lower()
    m = re.match(r"^(\d{4})[-/](\d{1,2})(?:[-/]\d{1,2})?$", text)
    if m and 1 <= int(m.group(2)) <= 12:
        return pd.Timestamp(int(m.group(1)), int(m.group(2)), 1)
    m = re.match(r"^([a-zåäö]{3})[a-zåäö]*\.?\s+(\d{4})$", text)
    if m and m.group(1) in MONTHS_SV:
        return pd.Timestamp(int(m.group(2)), MONTHS_SV[m.group(1)], 1)
    return None


def _problem(column: str, rows: list[int], code: str, hint: str, **values: Any) -> Problem:
    return problem(code, column=column, rows=rows[:5], row_count=len(rows), hint=hint, header=column, **values)


def load_usage(source: Source, filename: str | None, region: Region, campaign: Campaign) -> UsageData:
    """Read usage statistics in the same Swedish formats as citizen data; bad rows are listed."""
    raw = read_raw(source, filename)
    frame = pd.concat([b.to_pandas() for b in raw.batches()], ignore_index=True) if raw.headers else pd.DataFrame()
    frame = frame.astype(str).replace({"None": "", "nan": ""})
    lookup = {alias: field for field, aliases in USAGE_COLUMNS.items() for alias in aliases}
    mapping = {h: lookup[h.strip().lower()] for h in frame.columns if h.strip().lower() in lookup}
    missing = [f for f in ("month", "municipality", "e_service", "uses") if f not in mapping.values()]
    if missing:
        raise InputError([problem("usage.missing_columns", n=len(missing),
                                  columns=ListOf(tuple(Msg(f"usage.column.{m}") for m in missing)),
                                  hint="hint_usage_columns")])
    df = frame.rename(columns=mapping)
    rows = np.arange(2, len(df) + 2)
    problems = []
    months = df["month"].map(_month)
    if months.isna().any():
        problems.append(_problem("månad", list(rows[months.isna()]), "usage.bad_month", "hint_month_format"))

    def code_of(ref: str) -> str | None:
        try:
            return region.municipality(ref.strip().zfill(4) if ref.strip().isdigit() else ref.strip()).code
        except KeyError:
            return None

    codes = df["municipality"].map(code_of)
    if codes.isna().any():
        problems.append(_problem("kommun", list(rows[codes.isna()]), "usage.not_member", "hint_municipality_ref",
                                 region=region.name))
    services = {e.key: e.key for e in campaign.e_services} | {e.name.lower(): e.key for e in campaign.e_services}
    keys = df["e_service"].map(lambda v: services.get(v.strip()) or services.get(v.strip().lower()))
    if keys.isna().any():
        problems.append(_problem("e-tjänst", list(rows[keys.isna()]), "usage.unknown_e_service",
                                 "hint_campaign_e_services",
                                 e_services=ListOf(tuple(e.name for e in campaign.e_services))))
    uses = df["uses"].map(parse_number)
    bad_uses = uses.isna() | (uses.fillna(0) < 0)
    if bad_uses.any():
        problems.append(_problem("antal", list(rows[bad_uses]), "usage.bad_count", "hint_fix_cells"))
    if problems:
        raise InputError(problems)
    out = pd.DataFrame({
        "month": months, "municipality": codes, "e_service": keys,
        "channel": df["channel"].str.strip().str.lower() if "channel" in df else "",
        "segment": pd.to_numeric(df["segment"], errors="coerce").fillna(-1).astype(int) if "segment" in df else -1,
        "uses": uses.astype(float)})
    return UsageData(out)


# ---------------------------------------------------------------- campaign dates


def campaign_starts(plan: CampaignPlan) -> dict[tuple[str, str], dt.date]:
    """When each municipality's campaign for each e-service began: its first external activity."""
    starts: dict[tuple[str, str], dt.date] = {}
    for a in plan.activities:
        if a.phase == "external_marketing" and a.kind != "flyer_order":
            key = (a.municipality, a.e_service)
            starts[key] = min(starts.get(key, a.start), a.start)
    for a in plan.activities:
        if a.kind == "go_live":
            starts.setdefault((a.municipality, a.e_service), a.start)
    return starts


def wave_windows(plan: CampaignPlan, e_service: str) -> list[tuple[str, dt.date]]:
    """(label, date) of each regional wave of an e-service, in order."""
    seen: dict[int, dt.date] = {}
    for a in plan.activities:
        if a.e_service == e_service and a.phase == "external_marketing" and a.wave is not None and a.wave >= 0 \
                and a.coordination == "regional" and a.kind != "flyer_order":
            seen[a.wave] = min(seen.get(a.wave, a.start), a.start)
    return [(f"Våg {w + 1}", d) for w, d in sorted(seen.items())]


# ---------------------------------------------------------------- synthetic sample data


def generate_usage(plan: CampaignPlan, effects: dict[str, dict[str, float]], *, baseline: dict[str, float],
                   months_before: int = 12, months_after: int = 12, seed: int = 11) -> pd.DataFrame:
    """Monthly uses with a known, planted effect per e-service and channel (per 1,000 inhabitants
    and month, from each municipality's campaign start), split by channel and segment as tracked
    links would split them. Untagged uses follow a baseline with a mild trend and season."""
    rng = np.random.default_rng(seed)
    starts = campaign_starts(plan)
    first = min(starts.values())
    last = max(starts.values())
    months = pd.date_range(pd.Timestamp(first.year, first.month, 1) - pd.DateOffset(months=months_before),
                           pd.Timestamp(last.year, last.month, 1) + pd.DateOffset(months=months_after), freq="MS")
    targeted: dict[tuple[str, str], set[tuple[str, int]]] = {}
    for a in plan.activities:
        if a.phase == "external_marketing" and a.channel and a.segment is not None:
            targeted.setdefault((a.municipality, a.e_service), set()).add((a.channel, a.segment))
    rows = []
    for e in plan.campaign.e_services:
        for m in plan.region.municipalities:
            start = starts.get((m.code, e.key))
            if start is None:
                continue
            start_month = pd.Timestamp(start.year, start.month, 1)
            per_1000 = m.population / 1000
            for i, month in enumerate(months):
                season = 0.1 * np.sin(2 * np.pi * month.month / 12)
                rate = baseline.get(e.key, 1.0) * (1 + season + 0.005 * i)
                rows.append((month, m.name, e.name, "", -1, int(rng.poisson(rate * per_1000))))
                if month < start_month:
                    continue
                pairs = sorted(targeted.get((m.code, e.key), set()))
                for channel, segment in pairs:
                    share = 1 / max(1, sum(1 for c, _ in pairs if c == channel))
                    effect = effects.get(e.key, {}).get(channel, 0.0) * share
                    rows.append((month, m.name, e.name, channel, segment, int(rng.poisson(effect * per_1000))))
    return pd.DataFrame(rows, columns=["månad", "kommun", "e-tjänst", "kanal", "segment", "antal"]).assign(
        månad=lambda d: d["månad"].dt.strftime("%Y-%m"))


# ---------------------------------------------------------------- the uplift estimate


@dataclass(frozen=True)
class Uplift:
    e_service: str
    channel: str | None  # None: all uses
    estimate: float | None  # extra uses per 1,000 inhabitants and month
    low: float | None
    high: float | None
    method: str  # "staggered", "own_trend" or "none"
    municipalities: int
    sentence_sv: str
    sentence_en: str

    @property
    def detectable(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


def monthly_rates(usage: UsageData, region: Region, e_service: str, channel: str | None = None) -> pd.DataFrame:
    """Uses per 1,000 inhabitants: rows are months, columns municipality codes."""
    every = usage.frame[usage.frame["e_service"] == e_service]
    f = every if channel is None else every[every["channel"] == channel]
    table = f.groupby(["month", "municipality"])["uses"].sum().unstack(fill_value=0)
    # A month with no tagged uses is a zero, not a gap: keep every month and member the statistics cover.
    table = table.reindex(index=sorted(every["month"].unique()), columns=sorted(every["municipality"].unique()),
                          fill_value=0.0)
    pops = {m.code: m.population / 1000 for m in region.municipalities}
    return table.apply(lambda col: col / pops[col.name])


def _twfe(y: np.ndarray, muni: np.ndarray, month: np.ndarray, treated: np.ndarray) -> float:
    """Two-way fixed effects: municipality and month effects; the effect of `treated` by least squares.
    With staggered starts the month effects are learnt from members that had not started yet."""
    n_m, n_t = muni.max() + 1, month.max() + 1
    X = np.hstack([np.eye(n_m)[muni], np.eye(n_t)[month][:, 1:], treated[:, None].astype(float)])
    return float(np.linalg.lstsq(X, y, rcond=None)[0][-1])


def _own_trend(series: np.ndarray, after: np.ndarray, calendar_month: np.ndarray) -> tuple[float, float]:
    """One municipality: the months before its campaign give a linear trend and, from the
    residuals, a seasonal pattern; the effect is how far the months after lie above that line.
    Returns the effect and its standard error (from the month-to-month noise before and after)."""
    t = np.arange(len(series), dtype=float)
    pre = ~after
    slope, intercept = np.polyfit(t[pre], series[pre], 1)
    residual = series[pre] - (intercept + slope * t[pre])
    season = {c: residual[calendar_month[pre] == c].mean() for c in set(calendar_month[pre])}
    expected = intercept + slope * t[after] + np.array([season.get(c, 0.0) for c in calendar_month[after]])
    deviation = series[after] - expected
    n_post, n_pre = int(after.sum()), int(pre.sum())
    noise_pre = residual.var(ddof=1) if n_pre > 2 else 0.0
    # Error of the mean deviation: noise after, the season estimated from single months before,
    # the level, and the trend extrapolated from the months before into the months after.
    per_month = np.bincount(calendar_month[after], minlength=13)
    t_pre = t[pre]
    leverage = (t[after].mean() - t_pre.mean()) ** 2 / max(((t_pre - t_pre.mean()) ** 2).sum(), 1e-9)
    variance = (deviation.var(ddof=1) / n_post if n_post > 1 else 0.0) + noise_pre * (
        (per_month ** 2).sum() / n_post ** 2 + 1 / n_pre + leverage)
    return float(deviation.mean()), float(np.sqrt(variance))


def estimate_uplift(usage: UsageData, plan: CampaignPlan, e_service: str, channel: str | None = None, *,
                    n_boot: int = 300, seed: int = 0) -> Uplift:
    """Extra monthly uses per 1,000 inhabitants after the campaign started, with a 95 % band."""
    e = plan.campaign.e_service(e_service)
    rates = monthly_rates(usage, plan.region, e_service, channel)
    starts = campaign_starts(plan)
    codes = [c for c in rates.columns if (c, e_service) in starts]
    what = e.name + (f" via {channel}" if channel else "")
    if not codes or rates.empty:
        return Uplift(e_service, channel, None, None, None, "none", 0,
                      f"Det finns ingen statistik för {what} att jämföra.", f"No statistics for {what}.")
    start_month = {c: pd.Timestamp(starts[(c, e_service)].year, starts[(c, e_service)].month, 1) for c in codes}
    months = list(rates.index)
    long = [(rates.at[t, c], i, j, t >= start_month[c]) for i, c in enumerate(codes) for j, t in enumerate(months)]
    y = np.array([r[0] for r in long], dtype=float)
    muni = np.array([r[1] for r in long])
    month = np.array([r[2] for r in long])
    treated = np.array([r[3] for r in long])
    calendar_month = np.array([t.month for t in months])
    pre_months = min(int((~treated[muni == i]).sum()) for i in range(len(codes)))
    if treated.all() or not treated.any() or pre_months < 3:
        return Uplift(e_service, channel, None, None, None, "none", len(codes),
                      f"För {what} finns för få månader före eller efter kampanjen, så ingen effekt kan skattas.",
                      f"{what}: too few months before or after the campaign to estimate an effect.")
    # Month effects need members that start in other months than most: at least a fifth of them.
    modal = pd.Series(list(start_month.values())).value_counts().iloc[0]
    staggered = len(codes) - modal >= max(2, 0.2 * len(codes))
    by_muni = [np.flatnonzero(muni == i) for i in range(len(codes))]
    own = None if staggered else np.array([_own_trend(y[ix], treated[ix], calendar_month) for ix in by_muni])
    per_muni = None if own is None else own[:, 0]
    estimate = _twfe(y, muni, month, treated) if per_muni is None else float(per_muni.mean())
    rng = np.random.default_rng(seed)
    boots = []
    few = len(codes) < MIN_FOR_BOOTSTRAP
    for _ in range(0 if few else n_boot):
        pick = rng.integers(0, len(codes), len(codes))
        if per_muni is not None:
            boots.append(float(per_muni[pick].mean()))
            continue
        idx = np.concatenate([by_muni[p] for p in pick])
        new_muni = np.concatenate([np.full(len(by_muni[p]), k) for k, p in enumerate(pick)])
        if treated[idx].all() or not treated[idx].any():
            continue
        boots.append(_twfe(y[idx], new_muni, month[idx], treated[idx]))
    if boots:
        low, high = float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))
    elif own is not None:  # too few members to resample: the month-to-month noise gives the band
        se = float(np.sqrt((own[:, 1] ** 2).sum()) / len(own))
        low, high = estimate - 1.96 * se, estimate + 1.96 * se
    else:
        low, high = None, None
    basis_sv = ("Jämförelsen är med samma kommuners nivå före kampanjen och med kommuner som ännu inte hade "
                "startat samma månad." if staggered else
                "Alla kommuner startade ungefär samtidigt, så jämförelsen bygger på varje kommuns egen utveckling "
                "före kampanjen (trend och säsong); annat som hände samtidigt kan påverka.")
    basis_en = ("Compared with the same municipalities before the campaign and with members that had not started "
                "yet." if staggered else "Members started at about the same time, so each is compared with its own "
                "trend and season before the campaign; anything else that happened at the same time may play in.")
    band_sv = f"{fmt_dec(low)} till {fmt_dec(high)}" if low is not None and high is not None else "okänt"
    band_en = f"{low:.1f} to {high:.1f}" if low is not None and high is not None else "unknown"
    result = Uplift(e_service, channel, estimate, low, high, "staggered" if staggered else "own_trend", len(codes),
                    "", "")
    if result.detectable:
        verb_sv, verb_en = ("ökade", "rose") if estimate > 0 else ("minskade", "fell")
        sv = (f"Efter kampanjen {verb_sv} användningen av {what} med omkring {fmt_dec(abs(estimate))} per 1 000 "
              f"invånare och månad (95 % osäkerhetsintervall {band_sv}). {basis_sv}")
        en = (f"After the campaign, use of {what} {verb_en} by about {abs(estimate):.1f} per 1,000 inhabitants a "
              f"month (95 % interval {band_en}). {basis_en}")
    else:
        sv = (f"Ingen mätbar effekt av kampanjen på {what}: intervallet ({band_sv} per 1 000 invånare och månad) "
              f"omfattar noll. Det betyder inte att kampanjen saknade effekt, bara att den inte syns i statistiken. "
              f"{basis_sv}")
        en = (f"No detectable effect of the campaign on {what}: the interval ({band_en}) includes zero. That does "
              f"not mean it had no effect, only that none shows in the statistics. {basis_en}")
    return Uplift(e_service, channel, estimate, low, high, result.method, len(codes), sv, en)


def channel_uptake(usage: UsageData, plan: CampaignPlan, e_service: str,
                   channel_costs: dict[str, float] | None = None) -> pd.DataFrame:
    """Tagged uses per channel and segment since each municipality's campaign start, and cost per new user."""
    starts = campaign_starts(plan)
    f = usage.frame[(usage.frame["e_service"] == e_service) & (usage.frame["channel"] != "")]
    if f.empty:
        return pd.DataFrame(columns=["channel", "segment", "uses", "cost_sek", "cost_per_user"])
    keep = [t >= pd.Timestamp(starts.get((m, e_service), dt.date(1900, 1, 1))).replace(day=1)
            for t, m in zip(f["month"], f["municipality"])]
    f = f[keep]
    names = {s.id: s.name for s in plan.segments}
    table = pd.DataFrame(f.groupby(["channel", "segment"], as_index=False)["uses"].sum())
    table["segment"] = table["segment"].map(lambda s: names.get(s, "okänt" if s < 0 else str(s)))
    per_channel = table.groupby("channel")["uses"].transform("sum")
    costs = channel_costs or {}
    table["cost_sek"] = [costs.get(c, 0.0) * u / p if p else 0.0
                         for c, u, p in zip(table["channel"], table["uses"], per_channel)]
    table["cost_per_user"] = [c / u if u else None for c, u in zip(table["cost_sek"], table["uses"])]
    return table.sort_values(["channel", "segment"]).reset_index(drop=True)


def planted_effect(plan: CampaignPlan, effects: dict[str, dict[str, float]], e_service: str,
                   channel: str | None = None) -> float:
    """The effect `generate_usage` plants, averaged over municipalities: what an estimate should find."""
    channels: dict[str, set[str]] = {}
    for a in plan.activities:
        if a.e_service == e_service and a.phase == "external_marketing" and a.channel and a.segment is not None:
            channels.setdefault(a.municipality, set()).add(a.channel)
    if not channels:
        return 0.0
    wanted = effects.get(e_service, {})
    totals = [sum(wanted.get(c, 0.0) for c in cs if channel is None or c == channel) for cs in channels.values()]
    return float(np.mean(totals))
