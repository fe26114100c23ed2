"""Population by age and sex, and households by type, from SCB exports.

Both readers take any shape `read_pxweb` understands, keep municipalities (counties and the
country are left out and the user is told), pick one year (the latest with figures unless one
is asked for), read `..` as missing, and refuse — with the column and the file's row numbers —
labels they cannot read, rows that repeat, and age groups that overlap (each would count people
twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from common.catalogue import ListOf, Msg, Num, Raw
from common.errors import InputError, Notice, Problem, problem
from common.table_files import Source, parse_count

from .labels import HOUSEHOLD_LABELS, SKIP, TOTAL, AgeRange, Place, parse_age, parse_household, parse_region, parse_sex
from .pxweb import PxTable, label_problem, read_pxweb, region_problem

__all__ = ["HouseholdTable", "PopulationTable", "read_households", "read_population"]

MISSING = frozenset({"..", "", "-", ".", "…", "...", "x"})


@dataclass(frozen=True)
class PopulationTable:
    """Inhabitants per municipality, sex and age range in one year."""

    frame: pd.DataFrame  # code ("" when the file gives names only), municipality, sex (male/female/""),
    #                      age_low, age_high, persons
    year: int
    years: tuple[int, ...]
    title: str
    description: str
    notices: tuple[Notice, ...]

    def places(self) -> list[Place]:
        pairs = self.frame[["code", "municipality"]].drop_duplicates()
        return [Place(c or None, m) for c, m in zip(pairs["code"], pairs["municipality"])]


@dataclass(frozen=True)
class HouseholdTable:
    """Households (or persons in households) per municipality and type in one year."""

    frame: pd.DataFrame  # code, municipality, household (schema value or "unknown"), count
    unit: Literal["households", "persons"]
    year: int
    title: str
    description: str
    notices: tuple[Notice, ...]


def _regions(table: PxTable) -> tuple[pd.DataFrame, list[Problem], list[Notice]]:
    recs = table.records
    parsed = {label: parse_region(label) for label in recs["region"].unique()}
    bad = [r for r, label in zip(recs["row"], recs["region"]) if parsed[label] is None]
    problems = [region_problem(table, bad)] if bad else []
    skipped = sorted({label.strip() for label, p in parsed.items() if p == SKIP})
    notices = [Notice("statistics.regions_skipped", n=len(skipped), regions=ListOf(tuple(Raw(s) for s in skipped)))
               ] if skipped else []
    places = {label: p for label, p in parsed.items() if isinstance(p, Place)}
    out = recs[recs["region"].isin(list(places))].copy()
    out["code"] = out["region"].map({label: p.code or "" for label, p in places.items()})
    out["municipality"] = out["region"].map({label: p.name for label, p in places.items()})
    return out, problems, notices


def _values(recs: pd.DataFrame) -> tuple[np.ndarray, list[tuple[str, list[int]]]]:
    """Numbers (NaN for '..' and empty cells) and the rows per column that are not numbers."""
    lookup: dict[str, float | None] = {}
    for v in recs["value"].unique():
        text = str(v).strip()
        # 0 to common.limits.MAX_COUNT: a negative, 1e308 or 'inf' is refused with its row, never summed
        lookup[v] = np.nan if text in MISSING else parse_count(text)
    values = recs["value"].map(lookup)
    bad_mask = values.isna() & ~recs["value"].map(lambda v: str(v).strip() in MISSING)
    bad = recs[bad_mask]
    where = [(str(c), list(g["row"])) for c, g in bad.groupby("column", sort=False)]
    return values.to_numpy(dtype=np.float64), where


def _year(recs: pd.DataFrame, values: np.ndarray, wanted: int | None, name: str
          ) -> tuple[int, tuple[int, ...], list[Problem], list[Notice]]:
    have = recs.assign(v=values).groupby("year")["v"].apply(lambda s: s.notna().any())
    years = tuple(int(str(y)) for y in have.index)
    with_data = [int(str(y)) for y, ok in have.items() if ok]
    if wanted is not None:
        if wanted not in years:
            return wanted, years, [problem("statistics.no_such_year", year=wanted,
                                           years=ListOf(tuple(str(y) for y in years)))], []
        return wanted, years, [], []
    if not with_data:
        return 0, years, [problem("statistics.no_figures", hint="hint_right_file")], []
    chosen = max(with_data)
    notices = [Notice("statistics.year_chosen", year=chosen, years=ListOf(tuple(str(y) for y in years)))
               ] if len(years) > 1 else []
    return chosen, years, [], notices


def _common(table: PxTable, name: str, year: int | None
            ) -> tuple[pd.DataFrame, int, tuple[int, ...], list[Problem], list[Notice]]:
    """Municipality rows of the chosen year with numeric values; problems so far."""
    recs, problems, notices = _regions(table)
    values, bad = _values(recs)
    for column, rows in bad:
        problems.append(problem("statistics.bad_number", column=column, rows=rows, header=Raw(column),
                                hint="hint_fix_cells"))
    chosen, years, p, n = _year(recs, values, year, name)
    problems += p
    notices += n
    recs = recs.assign(number=values)
    recs = recs[recs["year"] == chosen]
    missing = int(recs["number"].isna().sum())
    if missing:
        notices.append(Notice("statistics.missing_values", n=missing, year=chosen))
    recs = recs.assign(number=recs["number"].fillna(0.0))
    return recs, chosen, years, problems, notices


def _parsed(recs: pd.DataFrame, column: str, parse: Any) -> pd.Series:
    lookup = {label: parse(label) for label in recs[column].unique()}
    return recs[column].map(lookup)


def _duplicates(recs: pd.DataFrame, keys: list[str]) -> Problem | None:
    dup = recs.duplicated(keys, keep=False)
    if not dup.any():
        return None
    return problem("statistics.duplicate_rows", rows=sorted(recs.loc[dup, "row"]), row_count=int(dup.sum()),
                   hint="statistics.hint_one_value")


def _overlaps(frame: pd.DataFrame) -> list[int]:
    """Rows whose age range overlaps another one of the same municipality and sex."""
    rows: list[int] = []
    for _, g in frame.groupby(["code", "municipality", "sex"], sort=False):
        g = g.sort_values(["age_low", "age_high"])
        lows, highs, rs = g["age_low"].to_numpy(), g["age_high"].to_numpy(), g["row"].to_numpy()
        for k in range(1, len(g)):
            if lows[k] <= highs[:k].max():
                rows += [int(rs[k - 1]), int(rs[k])]
    return rows


_WHAT = {"age": ("statistics.not_population", "statistics.hint_give_population"),
         "household": ("statistics.not_households", "statistics.hint_give_households")}


def _open_table(source: Source, filename: str | None, needed: str, other: str) -> tuple[str, PxTable]:
    """The file's name for messages and its PX-Web table, refused when it lacks the `needed`
    column (with a hint to give it as the `other` table when that is what it is)."""
    name = filename or (str(source) if not isinstance(source, bytes) else "filen")
    table = read_pxweb(source, filename)
    if needed not in table.headers:
        hint = _WHAT[other][1] if other in table.headers else "statistics.hint_pxweb_shape"
        raise InputError([problem(_WHAT[needed][0], hint=hint)])
    return name, table


def read_population(source: Source, filename: str | None = None, *, year: int | None = None) -> PopulationTable:
    """Population by municipality, age and sex (SCB BE0101 'Folkmängden efter region, ålder och kön')."""
    name, table = _open_table(source, filename, "age", "household")
    recs, chosen, years, problems, notices = _common(table, name, year)
    ages = _parsed(recs, "age", parse_age)
    bad = list(recs.loc[ages.isna(), "row"])
    if bad:
        problems.append(label_problem(table, "age", bad, Msg("statistics.expected_age")))
    sexes = _parsed(recs, "sex", parse_sex) if "sex" in table.headers else pd.Series("", index=recs.index)
    bad = list(recs.loc[sexes.isna(), "row"])
    if bad:
        problems.append(label_problem(table, "sex", bad, Msg("statistics.expected_sex")))
    if problems:
        raise InputError(problems)
    if (sexes != TOTAL).any() and (sexes == TOTAL).any():
        keep = sexes != TOTAL  # the parts (män, kvinnor) are there: the total would count everyone twice
    else:
        keep = pd.Series(True, index=recs.index)
    keep &= ages != TOTAL
    recs, ages, sexes = recs[keep], ages[keep], sexes[keep].replace(TOTAL, "")
    frame = pd.DataFrame({
        "row": recs["row"].to_numpy(), "code": recs["code"].to_numpy(), "municipality": recs["municipality"].to_numpy(),
        "sex": sexes.to_numpy(), "age_low": [a.low for a in ages if isinstance(a, AgeRange)],
        "age_high": [a.high for a in ages if isinstance(a, AgeRange)], "persons": recs["number"].to_numpy()})
    found = [p for p in (_duplicates(frame, ["code", "municipality", "sex", "age_low", "age_high"]),) if p]
    overlap = _overlaps(frame)
    if overlap and not found:
        found.append(problem("statistics.overlapping_ages", column=table.headers["age"], rows=sorted(set(overlap)),
                             header=Raw(table.headers["age"]), hint="statistics.hint_one_value"))
    if frame.empty:
        found.append(problem("statistics.no_municipalities", hint="statistics.hint_region"))
    if found:
        raise InputError(found)
    notices += table.notices
    notices.append(Notice("statistics.population_read", n=int(frame["municipality"].nunique()),
                          persons=Num(frame["persons"].sum()), year=chosen))
    return PopulationTable(frame.drop(columns="row"), chosen, years, table.title, table.description, tuple(notices))


def read_households(source: Source, filename: str | None = None, *, year: int | None = None) -> HouseholdTable:
    """Households by municipality and type (SCB HE0111 'Antal hushåll efter region och hushållstyp')."""
    name, table = _open_table(source, filename, "household", "age")
    recs, chosen, _, problems, notices = _common(table, name, year)
    kinds = pd.Series([parse_household(h, c or None) for h, c in zip(recs["household"], recs["children"])],
                      index=recs.index, dtype=object)
    bad = list(recs.loc[kinds.isna(), "row"])
    if bad:
        accepted = ListOf(tuple(Raw(k) for k in list(HOUSEHOLD_LABELS)[:6]) + ("…",))
        problems.append(label_problem(table, "household", bad, Msg("statistics.expected_household", known=accepted)))
    if problems:
        raise InputError(problems)
    keep = kinds != TOTAL
    for role in ("age", "sex"):  # a table split further is summed over its parts
        if role in table.headers:
            parse = parse_age if role == "age" else parse_sex
            keep &= _parsed(recs, role, parse) != TOTAL
    recs, kinds = recs[keep], kinds[keep]
    frame = pd.DataFrame(pd.DataFrame({"code": recs["code"].to_numpy(), "municipality": recs["municipality"].to_numpy(),
                                       "household": kinds.to_numpy(), "count": recs["number"].to_numpy()})
                         .groupby(["code", "municipality", "household"], as_index=False, sort=False)["count"].sum())
    if frame.empty:
        raise InputError([problem("statistics.no_municipalities", hint="statistics.hint_region")])
    text = f"{table.title} {' '.join(recs['content'].unique())}".casefold()
    unit: Literal["households", "persons"] = "persons" if "personer" in text or "persons" in text else "households"
    notices += table.notices
    return HouseholdTable(frame, unit, chosen, table.title, table.description, tuple(notices))
