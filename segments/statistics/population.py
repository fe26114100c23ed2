"""A weighted population from statistics: rows the segmentation reads as it reads survey rows.

Each row is a group of inhabitants — municipality × age group × sex × household type × habit
combination — whose weight is how many people it stands for. The weights of a municipality sum
to its inhabitants in the ages the habits file covers (16 and older by default). Ages come from
the population table (spread evenly within its age groups; rows are written per five-year group
within each habit band), household types from the municipality's household table when given
(fitted to the national age pattern by iterative proportional fitting) or the national pattern,
habits from the national rates (or the municipality's own, or calibrated by usage counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from common.catalogue import ListOf, Msg, Num, Raw

from .calibration import UsageEvidence, calibrated_shares
from .combos import COMBINATIONS, combination_probabilities
from .habits import HABITS, HOUSEHOLD_TYPES, Band, HabitRates
from .labels import Place
from .readers import HouseholdTable, PopulationTable

__all__ = ["GRID_YEARS", "StatisticsPopulation", "build_population", "fit_households"]

GRID_YEARS = 5  # rows are written per five-year age group within each habit band
MAX_AGE = 120


@dataclass(frozen=True)
class StatisticsPopulation:
    """Weighted rows in the citizen schema, where they came from, and what the user should know."""

    table: pd.DataFrame
    coverage: pd.DataFrame  # municipality, inhabitants, covered, households (file/national), calibrated
    provenance: dict[str, Any]
    notices: tuple[Msg, ...] = field(default=())


def _single_years(population: PopulationTable) -> pd.DataFrame:
    """Persons per place, sex and single year of age (each age group spread evenly)."""
    f = population.frame
    width = (f["age_high"] - f["age_low"] + 1).to_numpy()
    rep = np.repeat(np.arange(len(f)), width)
    offsets = np.arange(len(rep)) - np.repeat(np.cumsum(width) - width, width)
    return pd.DataFrame({
        "code": f["code"].to_numpy()[rep], "municipality": f["municipality"].to_numpy()[rep],
        "sex": f["sex"].to_numpy()[rep], "age": f["age_low"].to_numpy()[rep] + offsets,
        "persons": (f["persons"].to_numpy() / width)[rep]})


def _groups(bands: list[Band]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """For each age 0..MAX_AGE: its habit band (-1 outside all) and its output group, and group labels."""
    band_of = np.full(MAX_AGE + 1, -1)
    group_of = np.full(MAX_AGE + 1, -1)
    labels: list[str] = []
    for b, band in enumerate(bands):
        high = min(band.high, MAX_AGE)
        band_of[band.low:high + 1] = b
        start = band.low
        while start <= high:
            end = min(high, (start // GRID_YEARS + 1) * GRID_YEARS - 1)
            if band.high >= MAX_AGE and start >= 100:
                end = high
            group_of[start:end + 1] = len(labels)
            labels.append(f"{start}+" if end >= MAX_AGE else f"{start}-{end}")
            start = end + 1
    return band_of, group_of, labels


def fit_households(persons: np.ndarray, prior: np.ndarray, target: np.ndarray | None,
                   iterations: int = 100) -> np.ndarray:
    """Persons per (row, household type): the national pattern `prior` (rows × types, each row
    summing to 1), fitted by iterative proportional fitting so that columns sum to `target`
    (persons per type in the municipality, or None) while every row keeps its persons exactly."""
    cells = persons[:, None] * prior
    if target is None or target.sum() <= 0 or persons.sum() <= 0:
        return cells
    target = target / target.sum() * persons.sum()
    for _ in range(iterations):
        cols = cells.sum(axis=0)
        cells = cells * np.divide(target, cols, out=np.ones_like(target), where=cols > 0)[None, :]
        rows = cells.sum(axis=1)
        cells = cells * np.divide(persons, rows, out=np.zeros_like(persons), where=rows > 0)[:, None]
    return cells


def _household_target(households: HouseholdTable | None, place: Place, habits: HabitRates) -> np.ndarray | None:
    if households is None:
        return None
    f = households.frame
    by_code = place.code is not None and bool((f["code"] != "").any())
    counts: dict[str, float] = {}
    for code, name, kind, count in zip(f["code"], f["municipality"], f["household"], f["count"]):
        if (code == place.code) if by_code else (str(name).casefold() == place.name.casefold()):
            counts[str(kind)] = counts.get(str(kind), 0.0) + float(count)
    if not counts:
        return None
    target = np.array([counts.get(t, 0.0) for t in HOUSEHOLD_TYPES])
    if households.unit == "households":
        adults = {str(k): v for k, v in habits.adults_per_household.items()}
        target = target * np.array([adults.get(t, 1.0) for t in HOUSEHOLD_TYPES])
    return target  # "uppgift saknas" is left out: the rest is scaled up to everyone


def _cells(people: pd.DataFrame, place: Place, habits: HabitRates, households: HouseholdTable | None
           ) -> tuple[pd.DataFrame, list[Band], bool]:
    """Persons per sex × age group × household type in one municipality."""
    bands = habits.bands_for(place)
    band_of, group_of, labels = _groups(bands)
    ages = np.clip(people["age"].to_numpy(dtype=np.int64), 0, MAX_AGE)
    inside = band_of[ages] >= 0
    sexes, sex_code = np.unique(people["sex"].to_numpy(dtype=object)[inside].astype(str), return_inverse=True)
    groups = group_of[ages][inside]
    key = sex_code * len(labels) + groups
    persons_w = people["persons"].to_numpy(dtype=np.float64)[inside]
    size = len(sexes) * len(labels)
    persons = np.bincount(key, weights=persons_w, minlength=size)
    age_sum = np.bincount(key, weights=persons_w * ages[inside], minlength=size)
    present = np.flatnonzero(persons > 0)
    group = present % len(labels)
    band_of_group = np.array([band_of[int(lab.split("-")[0].rstrip("+"))] for lab in labels])
    band = band_of_group[group]
    households_of = [{str(k): v for k, v in b.households.items()} for b in bands]
    prior = np.array([[households_of[b].get(t, 0.0) for t in HOUSEHOLD_TYPES] for b in band]).reshape(-1, 5)
    prior = prior / prior.sum(axis=1, keepdims=True)
    target = _household_target(households, place, habits)
    fitted = fit_households(persons[present], prior, target)
    k = len(HOUSEHOLD_TYPES)  # one block of cells per household type
    cells = pd.DataFrame({
        "sex": np.tile(sexes[present // len(labels)], k), "band": np.tile(band, k),
        "age_band": np.tile(np.array(labels, dtype=object)[group], k),
        "age": np.tile(np.round(age_sum[present] / persons[present]), k),
        "household": np.repeat(np.array(HOUSEHOLD_TYPES, dtype=object), len(present)),
        "persons": fitted.T.reshape(-1)})
    return cells, bands, target is not None


def _habit_shares(bands: list[Band]) -> dict[str, np.ndarray]:
    return {h: np.array([b.share(h) for b in bands]) for h in HABITS}


def _rows(place: Place, cells: pd.DataFrame, probs: np.ndarray, habits: HabitRates) -> pd.DataFrame:
    """One row per cell × combination of internet use, BankID, Facebook and paper. E-service use is
    the expected count given that combination (uses per user × how likely such a person is a user),
    not a yes/no of its own, so segments differ in it by degree, as survey counts do."""
    joint = probs.reshape(len(probs), -1, 2)  # bands × 24 other-habit combinations × (user, non-user)
    combo_p = joint.sum(axis=2)
    user = np.divide(joint[:, :, 0], combo_p, out=np.zeros_like(combo_p), where=combo_p > 0)
    cells = cells[cells["persons"] > 0].reset_index(drop=True)
    band = cells["band"].to_numpy()
    weights = cells["persons"].to_numpy()[:, None] * combo_p[band]
    keep = weights > 1e-9
    cell_idx, combo_idx = np.nonzero(keep)
    combos = COMBINATIONS.iloc[combo_idx * 2].reset_index(drop=True)
    c = cells.iloc[cell_idx].reset_index(drop=True)
    return pd.DataFrame({
        "municipality": place.name, "age": c["age"].astype(np.int64), "age_band": c["age_band"],
        "sex": c["sex"].replace("", None), "household": c["household"], "internet_use": combos["internet_use"],
        "has_bankid": combos["has_bankid"], "uses_facebook": combos["uses_facebook"],
        "prefers_paper": combos["prefers_paper"],
        "eservice_uses_12m": np.round(user[band[cell_idx], combo_idx] * habits.eservice_uses_per_user, 3),
        "weight": weights[keep]})


def build_population(population: PopulationTable, habits: HabitRates, households: HouseholdTable | None = None,
                     usage: UsageEvidence | None = None) -> StatisticsPopulation:
    """Weighted rows for every municipality in the population table (see the module docstring)."""
    people = _single_years(population)
    notices: list[Msg] = list(population.notices) + (list(households.notices) if households else [])
    places = population.places()
    cells: dict[Place, tuple[pd.DataFrame, list[Band], bool]] = {}
    inhabitants: dict[Place, float] = {}
    by_place = {key: frame for key, frame in people.groupby(["code", "municipality"], sort=False)}
    for place in places:
        mine = by_place[(place.code or "", place.name)]
        inhabitants[place] = float(mine["persons"].sum())
        cells[place] = _cells(mine, place, habits, households)
    shares = {place: _habit_shares(bands) for place, (_, bands, _) in cells.items()}
    calibrated: dict[Place, np.ndarray] = {}
    if usage is not None:
        per_band = {place: (c.groupby("band")["persons"].sum().reindex(range(len(b)), fill_value=0.0).to_numpy(),
                            shares[place]["eservice_use"]) for place, (c, b, _) in cells.items()}
        calibrated, messages = calibrated_shares(usage, inhabitants, per_band)
        notices += messages
        for place, new in calibrated.items():
            shares[place] = {**shares[place], "eservice_use": new}
    combos: dict[bytes, np.ndarray] = {}  # municipalities with the same rates share their combinations
    tables = []
    for place, (c, _, _) in cells.items():
        key = b"".join(shares[place][h].tobytes() for h in HABITS)
        if key not in combos:  # bands × combinations (e-service last)
            combos[key] = combination_probabilities(shares[place], habits.dependence)
        tables.append(_rows(place, c, combos[key], habits))
    table = pd.concat(tables, ignore_index=True)
    covered = table.groupby("municipality", sort=False)["weight"].sum()
    coverage = pd.DataFrame({
        "municipality": [p.name for p in places], "code": [p.code or "" for p in places],
        "inhabitants": [inhabitants[p] for p in places],
        "covered": [float(covered.get(p.name, 0.0)) for p in places],
        "households": ["file" if cells[p][2] else "national" for p in places],
        "calibrated": [p in calibrated for p in places],
        "own_habits": [habits.override_for(p) is not None for p in places]})
    notices += _coverage_notices(coverage, habits, households)
    return StatisticsPopulation(table, coverage, _provenance(population, habits, households, usage, calibrated),
                                tuple(notices))


def _coverage_notices(coverage: pd.DataFrame, habits: HabitRates, households: HouseholdTable | None) -> list[Msg]:
    out: list[Msg] = []
    left_out = float((coverage["inhabitants"] - coverage["covered"]).sum())
    if left_out >= 0.5:
        low = min(b.low for b in habits.bands)
        out.append(Msg("statistics.ages_left_out", persons=Num(left_out), low=low))
    if households is not None:
        national = coverage.loc[coverage["households"] == "national", "municipality"].tolist()
        if national:
            out.append(Msg("statistics.households_national", n=len(national),
                           municipalities=ListOf(tuple(Raw(m) for m in national))))
    own = coverage.loc[coverage["own_habits"], "municipality"].tolist()
    if own:
        out.append(Msg("statistics.own_habits", n=len(own), municipalities=ListOf(tuple(Raw(m) for m in own))))
    return out


def _provenance(population: PopulationTable, habits: HabitRates, households: HouseholdTable | None,
                usage: UsageEvidence | None, calibrated: dict[Place, np.ndarray]) -> dict[str, Any]:
    """What a segment set built from these rows must say about them (plain data, kept in its YAML)."""
    out: dict[str, Any] = {
        "kind": "statistics",
        "population": {"title": population.title, "year": population.year},
        "habits": {"title": habits.title, "source": habits.source, "year": habits.year},
    }
    if households is not None:
        out["households"] = {"title": households.title, "year": households.year}
    if usage is not None and calibrated:
        out["calibrated"] = sorted(p.name for p in calibrated)
        out["usage"] = {"first": usage.first, "last": usage.last, "months": usage.months}
    return out
