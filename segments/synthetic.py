"""Seeded synthetic citizens for the sample regions and for benchmarks.

Every generated person belongs to one of five latent personas whose habits follow published
Swedish survey figures (see `data/README.md` for sources). The persona is the planted truth
that tests and benchmarks use to check that segmentation recovers real structure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "PERSONAS", "REGIONS", "citizens_with_personas", "generate_citizens", "generate_planted", "Municipality",
    "Persona", "to_swedish_excel",
]


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    population: int  # inhabitants, rounded (SCB 2023)
    share_65_plus: float  # share of inhabitants aged 65+, rounded (SCB 2023)


REGIONS: dict[str, tuple[Municipality, ...]] = {
    "varmland": (
        Municipality("1780", "Karlstad", 96_500, 0.19),
        Municipality("1784", "Arvika", 26_000, 0.25),
        Municipality("1781", "Kristinehamn", 24_300, 0.25),
        Municipality("1761", "Hammarö", 16_700, 0.19),
        Municipality("1785", "Säffle", 15_300, 0.27),
        Municipality("1766", "Sunne", 13_100, 0.28),
        Municipality("1715", "Kil", 12_200, 0.23),
        Municipality("1737", "Torsby", 11_700, 0.31),
        Municipality("1783", "Hagfors", 11_400, 0.31),
        Municipality("1763", "Forshaga", 11_300, 0.23),
        Municipality("1782", "Filipstad", 10_400, 0.28),
        Municipality("1765", "Årjäng", 10_000, 0.26),
        Municipality("1764", "Grums", 9_000, 0.25),
        Municipality("1730", "Eda", 8_500, 0.27),
        Municipality("1760", "Storfors", 4_000, 0.29),
        Municipality("1762", "Munkfors", 3_600, 0.30),
    ),
    "atvidaberg": (
        Municipality("0884", "Vimmerby", 15_600, 0.26),
        Municipality("0561", "Åtvidaberg", 11_400, 0.26),
        Municipality("0513", "Kinda", 10_000, 0.27),
        Municipality("0560", "Boxholm", 5_500, 0.25),
        Municipality("0509", "Ödeshög", 5_400, 0.28),
        Municipality("0512", "Ydre", 3_700, 0.29),
    ),
}


@dataclass(frozen=True)
class Persona:
    """A latent citizen type: the distributions one person's answers are drawn from."""

    key: str
    age_mean: float
    age_sd: float
    age_min: int
    age_max: int
    household: dict[str, float]
    occupation: dict[str, float]
    internet: dict[str, float]
    bankid: float
    facebook: float
    paper: float
    eservice_rate: float


PERSONAS: tuple[Persona, ...] = (
    Persona("young_digital", 23, 3.5, 16, 29,
            {"single": 0.6, "couple": 0.3, "other": 0.1},
            {"student": 0.5, "working": 0.45, "unemployed": 0.05},
            {"daily": 0.98, "weekly": 0.02}, 0.90, 0.35, 0.05, 3.0),
    Persona("families", 38, 5, 25, 55,
            {"family_with_children": 0.8, "single_parent": 0.2},
            {"working": 0.9, "unemployed": 0.05, "other": 0.05},
            {"daily": 0.97, "weekly": 0.03}, 0.97, 0.75, 0.10, 8.0),
    Persona("working_adults", 53, 6, 35, 66,
            {"couple": 0.6, "single": 0.3, "other": 0.1},
            {"working": 0.9, "unemployed": 0.06, "other": 0.04},
            {"daily": 0.9, "weekly": 0.1}, 0.93, 0.60, 0.20, 4.0),
    Persona("digital_seniors", 72, 4, 65, 82,
            {"couple": 0.7, "single": 0.3},
            {"retired": 1.0},
            {"daily": 0.85, "weekly": 0.15}, 0.85, 0.55, 0.35, 2.0),
    Persona("offline_elderly", 85, 4.5, 78, 100,
            {"single": 0.6, "couple": 0.4},
            {"retired": 1.0},
            {"never": 0.4, "rarely": 0.35, "weekly": 0.15, "daily": 0.10}, 0.25, 0.08, 0.90, 0.2),
)


def _persona_shares(share_65_plus: float) -> np.ndarray:
    """Persona mix of adults in a municipality, older places getting more seniors."""
    old = share_65_plus / 0.20  # relative to the Swedish average of about 20 %
    raw = np.array([0.17 / old, 0.22 / old ** 0.5, 0.30, 0.19 * old, 0.12 * old ** 1.3])
    return raw / raw.sum()


def _sharpen(probs: dict[str, float], crisp: bool) -> dict[str, float]:
    if not crisp:
        return probs
    powered = {k: v ** 4 for k, v in probs.items()}
    total = sum(powered.values())
    return {k: v / total for k, v in powered.items()}


def _draw_persona(rng: np.random.Generator, p: Persona, n: int, crisp: bool) -> dict[str, np.ndarray]:
    sd = p.age_sd / 2 if crisp else p.age_sd
    age = np.clip(np.rint(rng.normal(p.age_mean, sd, n)), p.age_min, p.age_max).astype(np.int16)

    def choice(probs: dict[str, float]) -> np.ndarray:
        probs = _sharpen(probs, crisp)
        return rng.choice(np.array(list(probs)), size=n, p=np.array(list(probs.values())))

    def yes(prob: float) -> np.ndarray:
        if crisp:
            prob = 0.95 if prob >= 0.5 else 0.05
        return rng.random(n) < prob

    return {
        "age": age,
        "sex": rng.choice(np.array(["female", "male", "other"]), size=n, p=[0.495, 0.495, 0.01]),
        "household": choice(p.household),
        "occupation": choice(p.occupation),
        "internet_use": choice(p.internet),
        "has_bankid": yes(p.bankid),
        "uses_facebook": yes(p.facebook),
        "prefers_paper": yes(p.paper),
        "eservice_uses_12m": rng.poisson(p.eservice_rate, n).astype(np.int16),
    }


def _assemble(rng: np.random.Generator, persona_idx: np.ndarray, crisp: bool) -> dict[str, np.ndarray]:
    n = len(persona_idx)
    out: dict[str, np.ndarray] = {}
    for i, p in enumerate(PERSONAS):
        rows = np.flatnonzero(persona_idx == i)
        drawn = _draw_persona(rng, p, len(rows), crisp)
        for key, values in drawn.items():
            if key not in out:
                out[key] = np.empty(n, dtype=values.dtype if values.dtype.kind != "U" else object)
            out[key][rows] = values
    return out


def generate_citizens(region: str, n: int, seed: int = 2026, *, use_codes: bool = False) -> pd.DataFrame:
    """Survey-like rows for a sample region: more rows per person in small municipalities,
    with a weight so that weighted totals match each municipality's adult population."""
    return citizens_with_personas(region, n, seed, use_codes=use_codes)[0]


def citizens_with_personas(region: str, n: int, seed: int = 2026, *, use_codes: bool = False
                           ) -> tuple[pd.DataFrame, np.ndarray]:
    """`generate_citizens` and the persona each row was drawn from (to judge segmentations)."""
    rng = np.random.default_rng(seed)
    members = REGIONS[region]
    pops = np.array([m.population for m in members], dtype=float)
    alloc = np.sqrt(pops) / np.sqrt(pops).sum()
    counts = np.maximum(np.floor(alloc * n).astype(int), 1)
    counts[0] += n - counts.sum()
    frames, personas = [], []
    for m, count in zip(members, counts):
        persona_idx = rng.choice(len(PERSONAS), size=count, p=_persona_shares(m.share_65_plus))
        personas.append(persona_idx)
        cols = _assemble(rng, persona_idx, crisp=False)
        adults = m.population * 0.82  # about 82 % of inhabitants are 16 or older
        frame = pd.DataFrame(cols)
        frame.insert(0, "municipality", m.code if use_codes else m.name)
        frame["weight"] = np.round(adults / count, 2)
        frames.append(frame)
    df = pd.concat(frames, ignore_index=True)
    df.insert(0, "respondent_id", [f"R{i:06d}" for i in range(1, len(df) + 1)])
    return df, np.concatenate(personas)


def generate_planted(n: int, seed: int = 7, *, crisp: bool = True) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows with a known persona per row (returned separately), for recovery tests and benchmarks."""
    rng = np.random.default_rng(seed)
    members = REGIONS["varmland"]
    truth = rng.choice(len(PERSONAS), size=n, p=[0.2, 0.2, 0.25, 0.2, 0.15])
    cols = _assemble(rng, truth, crisp)
    df = pd.DataFrame(cols)
    df.insert(0, "municipality", rng.choice(np.array([m.name for m in members]), size=n))
    df.insert(0, "respondent_id", np.char.add("P", np.arange(1, n + 1).astype(str)))
    return df, truth


_SV_HEADERS = {
    "respondent_id": "Löpnummer", "municipality": "Kommun", "age": "Ålder", "sex": "Kön",
    "household": "Hushåll", "occupation": "Sysselsättning", "internet_use": "Internetanvändning",
    "has_bankid": "Har BankID", "uses_facebook": "Använder Facebook", "prefers_paper": "Föredrar papper",
    "eservice_uses_12m": "E-tjänster 12 mån", "weight": "Vikt",
}
_SV_VALUES = {
    "female": "kvinna", "male": "man", "other": "annat", "single": "ensamstående", "couple": "sambo/gift",
    "family_with_children": "familj med barn", "single_parent": "ensamstående förälder",
    "working": "förvärvsarbetande", "student": "studerande", "retired": "pensionär",
    "unemployed": "arbetssökande", "daily": "dagligen", "weekly": "varje vecka", "rarely": "sällan",
    "never": "aldrig",
}


def to_swedish_excel(df: pd.DataFrame, missing_every: int = 97) -> pd.DataFrame:
    """The same rows as a Swedish Excel user would export them: Swedish headers and answers,
    ja/nej, decimal comma, and SCB-style '..' for some unanswered questions."""
    out = df.copy()
    for c in ("sex", "household", "occupation", "internet_use"):
        out[c] = out[c].map(_SV_VALUES)
    for c in ("has_bankid", "uses_facebook", "prefers_paper"):
        out[c] = np.where(out[c], "ja", "nej")
    if "weight" in out:
        out["weight"] = out["weight"].map(lambda v: f"{v:.2f}".replace(".", ","))
    if missing_every:
        out["eservice_uses_12m"] = out["eservice_uses_12m"].astype(object)
        out.loc[out.index[::missing_every], "eservice_uses_12m"] = ".."
    return out.rename(columns=_SV_HEADERS)
