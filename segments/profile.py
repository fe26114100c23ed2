"""Describe segments: weighted size, habits, distinguishing traits, a plain-Swedish name and text.

Names and descriptions are derived from each profile (never written per dataset), so a new
municipality's data gets names that fit it. Small per-municipality cells are suppressed here,
before anything leaves the core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from common.formatting import fmt_dec, fmt_int, fmt_pct

from .schema import BOOLEAN_FIELDS, CATEGORICAL_FIELDS

__all__ = [
    "MIN_CELL", "SUPPRESSED", "compute_profiles", "describe", "Habits", "municipality_cells", "name_segments",
    "population_habits", "Profile", "profile_from_dict", "profile_to_dict", "Trait"
]

MIN_CELL = 5
SUPPRESSED = "<5"
AGE_BANDS = ((0, 15, "0–15"), (16, 29, "16–29"), (30, 44, "30–44"), (45, 64, "45–64"),
             (65, 79, "65–79"), (80, 200, "80+"))

VALUE_SV = {
    "female": "kvinnor", "male": "män", "other": "annat kön",
    "single": "ensamstående", "couple": "sambo/gift", "family_with_children": "familj med barn",
    "single_parent": "ensamstående förälder",
    "working": "förvärvsarbetande", "student": "studerande", "retired": "pensionärer",
    "unemployed": "arbetssökande",
    "daily": "dagliga internetanvändare", "weekly": "internet varje vecka", "rarely": "sällan på internet",
    "never": "utan internet",
    "has_bankid": "har BankID", "uses_facebook": "använder Facebook", "prefers_paper": "föredrar papper",
}

# "64 % <phrase>": how a trait reads in a description sentence
TRAIT_PHRASE_SV = {
    "female": "är kvinnor", "male": "är män", "other": "anger annat kön",
    "single": "är ensamstående", "couple": "är sambo eller gifta", "family_with_children": "lever i familj med barn",
    "single_parent": "är ensamstående föräldrar", "working": "förvärvsarbetar", "student": "studerar",
    "retired": "är pensionärer", "unemployed": "är arbetssökande",
    "daily": "använder internet dagligen", "weekly": "använder internet varje vecka",
    "rarely": "använder internet sällan", "never": "använder aldrig internet",
    "has_bankid": "har BankID", "uses_facebook": "använder Facebook", "prefers_paper": "föredrar papper",
}


@dataclass(frozen=True)
class Habits:
    """Channel-relevant habits as weighted shares (None when the data has no such column)."""

    daily_internet: float | None = None
    facebook: float | None = None
    bankid: float | None = None
    paper: float | None = None
    eservice_mean: float | None = None
    eservice_none: float | None = None

    def to_dict(self) -> dict[str, float | None]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Trait:
    """A share that sets the segment apart from the whole population."""

    field: str
    value: str
    share: float
    population_share: float

    @property
    def lift(self) -> float:
        return self.share / self.population_share if self.population_share > 0 else 0.0

    def text_sv(self) -> str:
        label = VALUE_SV.get(self.value, VALUE_SV.get(self.field, self.value))
        return f"{label}: {fmt_pct(self.share)} (alla: {fmt_pct(self.population_share)})"


@dataclass(frozen=True)
class Profile:
    size: float
    rows: int
    share: float
    age_mean: float
    age_median: float
    age_bands: dict[str, float]
    by_municipality: dict[str, int | str]
    habits: Habits
    shares: dict[str, dict[str, float]] = field(default_factory=dict)  # field -> value -> share
    traits: tuple[Trait, ...] = ()


def _wmean(x: np.ndarray, w: np.ndarray) -> float | None:
    ok = ~np.isnan(x)
    if not ok.any() or w[ok].sum() == 0:
        return None
    return float(np.average(x[ok], weights=w[ok]))


def _wmedian(x: np.ndarray, w: np.ndarray) -> float:
    order = np.argsort(x, kind="stable")
    cw = np.cumsum(w[order])
    return float(x[order][np.searchsorted(cw, cw[-1] / 2)])


def _shares(df: pd.DataFrame, w: np.ndarray) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for c in CATEGORICAL_FIELDS:
        if c in df:
            codes = df[c].cat.codes.to_numpy()
            ok = codes >= 0
            total = w[ok].sum()
            if total > 0:
                sums = np.bincount(codes[ok], weights=w[ok], minlength=len(df[c].cat.categories))
                out[c] = {str(cat): float(s / total) for cat, s in zip(df[c].cat.categories, sums)}
    for c in BOOLEAN_FIELDS:
        if c in df:
            m = _wmean(df[c].to_numpy(dtype=np.float64), w)
            if m is not None:
                out[c] = {"true": m}
    return out


def population_habits(df: pd.DataFrame, w: np.ndarray) -> Habits:
    """Habits of a group of rows (a segment, or everyone)."""
    def share(col: str) -> float | None:
        return _wmean(df[col].to_numpy(dtype=np.float64), w) if col in df else None

    daily = None
    if "internet_use" in df:
        x = df["internet_use"].astype(object)
        known = x.notna().to_numpy()
        if known.any():
            daily = float(np.average((x[known] == "daily").to_numpy(dtype=float), weights=w[known]))
    uses = df["eservice_uses_12m"].to_numpy(dtype=np.float64) if "eservice_uses_12m" in df else None
    return _rounded(
        daily_internet=daily,
        facebook=share("uses_facebook"),
        bankid=share("has_bankid"),
        paper=share("prefers_paper"),
        eservice_mean=_wmean(uses, w) if uses is not None else None,
        eservice_none=_wmean((uses == 0).astype(float) + np.where(np.isnan(uses), np.nan, 0), w)
        if uses is not None else None,
    )


def _rounded(**values: float | None) -> Habits:
    return Habits(**{k: (None if v is None else round(float(v), 4)) for k, v in values.items()})


def _traits(shares: dict[str, dict[str, float]], population: dict[str, dict[str, float]]) -> tuple[Trait, ...]:
    traits = []
    for f, values in shares.items():
        for v, s in values.items():
            p = population.get(f, {}).get(v, 0.0)
            if p > 0 and s >= 0.25:
                traits.append(Trait(f, v, round(s, 4), round(p, 4)))
    traits.sort(key=lambda t: (-t.lift, t.field, t.value))
    return tuple(t for t in traits if t.lift >= 1.2)[:6]


def municipality_cells(df: pd.DataFrame, labels: np.ndarray, segment_ids: list[int]) -> dict[int, dict[str, int | str]]:
    """Persons per municipality in each segment; cells under five persons or rows become '<5'."""
    w = df["weight"].to_numpy(dtype=np.float64)
    codes = df["municipality"].cat.codes.to_numpy().astype(np.int64)
    munis = [str(m) for m in df["municipality"].cat.categories]
    position = {sid: i for i, sid in enumerate(segment_ids)}
    seg = np.array([position.get(int(x), -1) for x in range(labels.max() + 1)])[labels]
    key = seg * len(munis) + codes
    size = len(segment_ids) * len(munis)
    persons = np.bincount(key, weights=w, minlength=size).reshape(len(segment_ids), len(munis))
    rows = np.bincount(key, minlength=size).reshape(len(segment_ids), len(munis))
    out: dict[int, dict[str, int | str]] = {}
    for i, sid in enumerate(segment_ids):
        out[sid] = {name: SUPPRESSED if (persons[i, j] < MIN_CELL or rows[i, j] < MIN_CELL)
                    else int(round(persons[i, j]))
                    for j, name in enumerate(munis) if rows[i, j] > 0}
    return out


def compute_profiles(df: pd.DataFrame, labels: np.ndarray, w: np.ndarray, rows: np.ndarray,
                     segment_ids: list[int], by_municipality: dict[int, dict[str, int | str]]) -> dict[int, Profile]:
    """Weighted profiles per segment.

    `df` may hold one row per person or one row per distinct answer profile: `w` carries the
    weights and `rows` how many input rows each line stands for, so both give the same result.
    """
    total = w.sum()
    population = _shares(df, w)
    age = df["age"].to_numpy(dtype=np.float64)
    out = {}
    for sid in segment_ids:
        m = labels == sid
        ws = w[m]
        size = float(ws.sum())
        sub = df.loc[m]
        a = age[m]
        bands = {}
        for lo, hi, label in AGE_BANDS:
            share = float(ws[(a >= lo) & (a <= hi)].sum() / size) if size else 0.0
            if share > 0:
                bands[label] = round(share, 4)
        shares = _shares(sub, ws)
        out[sid] = Profile(
            size=round(size, 2), rows=int(rows[m].sum()), share=round(float(size / total), 4),
            age_mean=round(float(np.average(a, weights=ws)), 1), age_median=_wmedian(a, ws),
            age_bands=bands, by_municipality=by_municipality[sid], habits=population_habits(sub, ws),
            shares={f: {v: round(s, 4) for v, s in vals.items()} for f, vals in shares.items()},
            traits=_traits(shares, population),
        )
    return out


# ---------------------------------------------------------------- names and descriptions


def _life_stage(p: Profile) -> str:
    occ = p.shares.get("occupation", {})
    hh = p.shares.get("household", {})
    if p.age_median >= 80:
        return "äldre seniorer"
    if occ.get("retired", 0) >= 0.5 or p.age_median >= 66:
        return "seniorer"
    if occ.get("student", 0) >= 0.4:
        return "studerande"
    if hh.get("family_with_children", 0) + hh.get("single_parent", 0) >= 0.5:
        return "barnfamiljer"
    if occ.get("unemployed", 0) >= 0.4:
        return "arbetssökande"
    if p.age_median < 30:
        return "unga vuxna"
    if occ.get("working", 0) >= 0.5:
        return "yrkesverksamma"
    return "vuxna" if p.age_median < 65 else "seniorer"


def _digital_phrase(p: Profile, pop: Habits) -> tuple[str, str]:
    """(position, phrase): 'pre' phrases go before the noun, 'post' after it."""
    h = p.habits
    if (h.daily_internet is not None and h.daily_internet < 0.5) or (h.paper is not None and h.paper >= 0.6):
        return "post", "som föredrar papper"
    if h.bankid is not None and h.bankid < 0.6:
        return "post", "utan BankID"
    if h.eservice_mean is not None and pop.eservice_mean and h.eservice_mean >= 1.3 * pop.eservice_mean:
        return "pre", "digitalt vana"
    if h.eservice_mean is not None and pop.eservice_mean and h.eservice_mean <= 0.7 * pop.eservice_mean:
        return "post", "som sällan använder e-tjänster"
    if h.facebook is not None and pop.facebook and h.facebook >= 1.25 * pop.facebook and h.facebook >= 0.5:
        return "post", "på Facebook"
    return "none", ""


def _compose(stage: str, position: str, phrase: str) -> str:
    if position == "pre":
        text = f"{phrase} {stage}"
    elif position == "post":
        text = f"{stage} {phrase}"
    else:
        text = stage
    return text[0].upper() + text[1:]


def _main_age_band(p: Profile) -> str:
    return max(p.age_bands.items(), key=lambda kv: (kv[1], kv[0]))[0] if p.age_bands else ""


def name_segments(profiles: dict[int, Profile], pop: Habits) -> dict[int, str]:
    """Short, unique plain-Swedish names derived from each profile.

    Where two profiles would get the same name, each gets its most distinctive trait that the
    others lack ("Yrkesverksamma, sambo/gift"), then its main age band, then a number.
    """
    names = {sid: _compose(_life_stage(p), *_digital_phrase(p, pop)) for sid, p in profiles.items()}
    by_name: dict[str, list[int]] = {}
    for sid, n in names.items():
        by_name.setdefault(n, []).append(sid)
    for base, sids in by_name.items():
        if len(sids) < 2:
            continue
        labels = {sid: [VALUE_SV.get(t.value, VALUE_SV.get(t.field, t.value)) for t in profiles[sid].traits]
                  for sid in sids}
        for sid in sids:
            others = {lab for o in sids if o != sid for lab in labels[o][:1]}
            own = next((lab for lab in labels[sid] if lab not in others and lab.lower() not in base.lower()), None)
            names[sid] = f"{base}, {own}" if own else f"{base}, {_main_age_band(profiles[sid])} år"
    seen: dict[str, int] = {}
    for sid in sorted(names):
        n = names[sid]
        seen[n] = seen.get(n, 0) + 1
        if seen[n] > 1:
            names[sid] = f"{n} ({seen[n]})"
    return names


def describe(p: Profile, pop: Habits) -> str:
    """Three plain-Swedish sentences a communications officer can read aloud."""
    sentences = [f"Omkring {fmt_int(p.size)} personer ({fmt_pct(p.share)} av invånarna), "
                 f"de flesta {_main_age_band(p)} år (medianålder {int(p.age_median)})."]
    if p.traits:
        t = p.traits[0]
        phrase = TRAIT_PHRASE_SV.get(t.value, TRAIT_PHRASE_SV.get(t.field, f"har {t.value}"))
        sentences.append(f"Utmärkande: {fmt_pct(t.share)} {phrase}, mot {fmt_pct(t.population_share)} bland alla.")
    h = p.habits
    parts = []
    if h.daily_internet is not None:
        parts.append(f"{fmt_pct(h.daily_internet)} använder internet dagligen")
    if h.bankid is not None:
        parts.append(f"{fmt_pct(h.bankid)} har BankID")
    if h.facebook is not None:
        parts.append(f"{fmt_pct(h.facebook)} använder Facebook")
    if h.paper is not None:
        parts.append(f"{fmt_pct(h.paper)} föredrar papper")
    if parts:
        text = ", ".join(parts[:-1]) + (" och " if len(parts) > 1 else "") + parts[-1]
        if h.eservice_mean is not None and pop.eservice_mean is not None:
            text += (f"; de använder e-tjänster {fmt_dec(h.eservice_mean)} gånger per år "
                     f"(alla: {fmt_dec(pop.eservice_mean)})")
        sentences.append(text[0].upper() + text[1:] + ".")
    elif h.eservice_mean is not None and pop.eservice_mean is not None:
        sentences.append(f"De använder e-tjänster {fmt_dec(h.eservice_mean)} gånger per år "
                         f"(alla: {fmt_dec(pop.eservice_mean)}).")
    return " ".join(sentences)


def profile_to_dict(p: Profile) -> dict[str, Any]:
    return {
        "size": p.size, "rows": p.rows, "share": p.share,
        "age_mean": p.age_mean, "age_median": p.age_median, "age_bands": dict(p.age_bands),
        "by_municipality": dict(p.by_municipality), "habits": p.habits.to_dict(),
        "shares": {f: dict(v) for f, v in p.shares.items()},
        "traits": [{"field": t.field, "value": t.value, "share": t.share,
                    "population_share": t.population_share} for t in p.traits],
    }


def profile_from_dict(d: dict[str, Any]) -> Profile:
    return Profile(
        size=d["size"], rows=d["rows"], share=d["share"], age_mean=d["age_mean"],
        age_median=d["age_median"], age_bands=dict(d["age_bands"]),
        by_municipality=dict(d["by_municipality"]), habits=Habits(**d["habits"]),
        shares={f: dict(v) for f, v in d.get("shares", {}).items()},
        traits=tuple(Trait(**t) for t in d.get("traits", [])),
    )
