"""Segments without a survey: SCB exports in every shape PX-Web writes, habit rates, the weighted
population, usage calibration, and the whole path to a campaign plan."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from common.errors import InputError
from segments.statistics import (
    build_population,
    load_habits,
    parse_habits,
    read_households,
    read_population,
    usage_evidence,
)
from segments.statistics.combos import COMBINATIONS, combination_probabilities
from segments.statistics.habits import HABITS
from segments.statistics.synthetic import (
    NATIONAL_AGE_BANDS,
    households_frame,
    population_frame,
    pxweb_csv,
    pxweb_xlsx,
    single_years,
)
from segments.synthetic import REGIONS

from .conftest import DATA

STATS = DATA / "statistics"
TITLE = "Folkmängden efter region, ålder, kön och år"


@pytest.fixture(scope="module")
def bands5() -> pd.DataFrame:
    """Five-year bands, two years, for the six Åtvidaberg federation members."""
    return pd.concat([population_frame(m, {2022: 0.99, 2023: 1.0}) for m in REGIONS["atvidaberg"]],
                     ignore_index=True)


def _expected(frame: pd.DataFrame, year: str = "2023") -> dict[str, int]:
    return {r.split(" ", 1)[1]: int(v) for r, v in frame.groupby("region")[year].sum().items()}


def _long(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.melt(id_vars=["region", "ålder", "kön"], var_name="år", value_name="Folkmängd")
    return out[["region", "ålder", "kön", "år", "Folkmängd"]]


# Every shape: (file name, how to write it from a five-year-band table)
SHAPES = {
    "csv-title-cp1252-semicolon": ("bef.csv", lambda f: pxweb_csv(f, title=TITLE, sep=";", encoding="cp1252")),
    "csv-no-title-utf8-comma": ("bef.csv", lambda f: pxweb_csv(f)),
    "csv-title-utf8bom-tab": ("bef.txt", lambda f: pxweb_csv(f, title=TITLE, sep="\t", encoding="utf-8-sig")),
    "csv-single-years": ("bef.csv", lambda f: pxweb_csv(single_years(f), title=TITLE, sep=";", encoding="cp1252")),
    "csv-content-in-header": ("bef.csv", lambda f: pxweb_csv(f.rename(columns={"2022": "Folkmängd 2022",
                                                                               "2023": "Folkmängd 2023"}))),
    "csv-long": ("bef.csv", lambda f: pxweb_csv(_long(f), sep=";")),
    "csv-english": ("pop.csv", lambda f: pxweb_csv(f.assign(ålder=f["ålder"].str.replace("år", "years"),
                                                            kön=f["kön"].map({"män": "men", "kvinnor": "women"}))
                                                    .rename(columns={"ålder": "age", "kön": "sex"}))),
    "xlsx-blank-stubs-footnotes": ("bef.xlsx", lambda f: pxweb_xlsx(single_years(f), title=TITLE)),
    "xlsx-named-stubs": ("bef.xlsx", lambda f: pxweb_xlsx(f, title=TITLE, stub_names=True, footnotes=())),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_population_exports_are_read_in_every_shape(shape, bands5):
    name, write = SHAPES[shape]
    table = read_population(write(bands5), name)
    assert table.year == 2023 and table.years == (2022, 2023)
    got = table.frame.groupby("municipality")["persons"].sum().to_dict()
    assert got == pytest.approx(_expected(bands5))
    assert set(table.frame["sex"]) == {"male", "female"}
    assert table.frame["age_high"].max() == 104  # "100+ år" is read as 100–104
    assert set(table.frame["code"]) == {m.code for m in REGIONS["atvidaberg"]}


def test_totals_counties_and_missing_cells(bands5):
    f = bands5.copy()
    f["2023"] = f["2023"].astype(object)
    f.loc[3, "2023"] = ".."  # one missing cell
    total_age = f.groupby(["region", "kön"], as_index=False)[["2022"]].sum().assign(ålder="totalt ålder", **{"2023": 0})
    county = f.iloc[:4].assign(region="05 Östergötlands län")
    both_sexes = f.iloc[:2].assign(kön="totalt")
    data = pxweb_csv(pd.concat([county, f, total_age, both_sexes])[f.columns], title=TITLE, sep=";")
    table = read_population(data, "bef.csv")
    expected = _expected(bands5)
    expected[bands5.loc[3, "region"].split(" ", 1)[1]] -= int(bands5.loc[3, "2023"])
    assert table.frame.groupby("municipality")["persons"].sum().to_dict() == pytest.approx(expected)
    codes = {n.code for n in table.notices}
    assert {"statistics.regions_skipped", "statistics.missing_values", "statistics.year_chosen"} <= codes


def test_a_chosen_year_and_an_unknown_one(bands5):
    data = pxweb_csv(bands5)
    assert read_population(data, "bef.csv", year=2022).year == 2022
    with pytest.raises(InputError) as err:
        read_population(data, "bef.csv", year=2019)
    assert "2019" in err.value.text("sv") and "2022 och 2023" in err.value.text("sv")


@pytest.mark.parametrize("change, code, located", [
    (lambda f: f.assign(ålder=f["ålder"].where(f.index != 5, "gammal")), "statistics.bad_label", "(rad 9)"),
    (lambda f: f.assign(**{"2023": f["2023"].astype(object).where(f.index != 2, "många")}),
     "statistics.bad_number", "(rad 6)"),
    (lambda f: pd.concat([f, f.iloc[[0]]]), "statistics.duplicate_rows", "raderna 4 och"),
    (lambda f: pd.concat([f, f.iloc[[0]].assign(ålder="3 år")]), "statistics.overlapping_ages", "rad"),
    (lambda f: f.assign(civilstånd=np.where(f.index % 2 == 0, "gifta", "ogifta"))[
        ["region", "civilstånd", "ålder", "kön", "2022", "2023"]], "statistics.unexpected_dimension", "civilstånd"),
    (lambda f: f.assign(region=f["region"].where(f.index != 1, "")), "statistics.bad_region", "(rad 5)"),
])
def test_problems_are_located(bands5, change, code, located):
    """Rows are numbered as in the file: title line, blank line, header, so the first data row is 4."""
    data = pxweb_csv(change(bands5.copy()), title=TITLE, sep=";")
    with pytest.raises(InputError) as err:
        read_population(data, "bef.csv")
    assert code in err.value.codes
    assert located in err.value.text("sv")


def test_a_household_table_given_as_population_says_so():
    data = pxweb_csv(households_frame(REGIONS["varmland"][0]))
    with pytest.raises(InputError) as err:
        read_population(data, "hushall.csv")
    assert err.value.codes == {"statistics.not_population"} and "hushållsfil" in err.value.text("sv")
    with pytest.raises(InputError) as err:
        read_population(b"kommun;antal\nForshaga;12\n", "x.csv")
    assert "statistics.not_population" in err.value.codes or "statistics.no_header" in err.value.codes


@pytest.mark.parametrize("path", sorted(STATS.glob("*_hushall.*")))
def test_bundled_household_exports(path):
    table = read_households(path)
    region = "varmland" if path.name.startswith("varmland") else "atvidaberg"
    assert table.unit == "households"
    counts = table.frame.groupby("municipality")["count"].sum()
    for m in REGIONS[region]:
        assert counts[m.name] == round(m.population / 2.1)
    assert set(table.frame["household"]) == {"single", "couple", "family_with_children", "single_parent", "other",
                                             "unknown"}


def test_household_xlsx_and_unknown_types():
    frame = pd.concat([households_frame(m) for m in REGIONS["atvidaberg"]])
    table = read_households(pxweb_xlsx(frame, title="Antal hushåll efter region, hushållstyp och år"), "hh.xlsx")
    assert table.frame["count"].sum() == frame["2023"].sum()
    bad = frame.assign(hushållstyp=frame["hushållstyp"].where(frame.index != 2, "kollektiv"))
    with pytest.raises(InputError) as err:
        read_households(pxweb_csv(bad), "hh.csv")
    assert "statistics.bad_label" in err.value.codes


# ---------------------------------------------------------------- habit rates


def test_bundled_habits_reproduce_the_cited_national_figures():
    """Weighted by Sweden's age structure, the bands give the published national shares (±2 points)."""
    rates = load_habits()
    persons = np.zeros(121)
    for label, thousands, _ in NATIONAL_AGE_BANDS:
        low = int(label.split("-")[0].split("+")[0].split(" ")[0])
        high = low + 4
        persons[low:high + 1] = thousands / 5
    def share(habit, low=16, high=120):
        num = den = 0.0
        for b in rates.bands:
            w = persons[max(b.low, low):min(b.high, high) + 1].sum()
            num, den = num + w * b.share(habit), den + w
        return num / den
    assert share("daily_internet") == pytest.approx(0.91, abs=0.02)  # SoI 2023: 91 % daily
    assert 1 - share("no_internet") == pytest.approx(0.96, abs=0.02)  # SoI 2023: 96 % use the internet
    assert share("bankid") == pytest.approx(0.93, abs=0.02)  # SoI 2023: 93 % use e-legitimation
    assert 1 - share("no_internet", 65, 74) == pytest.approx(0.94, abs=0.02)  # pensioners 65–75: 94 %
    assert 1 - share("no_internet", 75) == pytest.approx(0.72, abs=0.03)  # over 75: 72 %
    assert "approximate" in rates.note.lower() or "ungefärliga" in rates.note.lower()
    assert all(rates.sources[h].cited for h in HABITS)


def test_a_municipality_overrides_its_own_figures():
    rates = load_habits().with_override("Forshaga", "Forshagas medborgarenkät 2025",
                                        [{"ages": "75-84", "facebook": 0.5}])
    from segments.statistics.labels import Place

    own = {b.ages: b for b in rates.bands_for(Place("1763", "Forshaga"))}
    national = {b.ages: b for b in rates.bands_for(Place("1780", "Karlstad"))}
    assert own["75-84"].facebook == 0.5 and national["75-84"].facebook == 0.38
    assert own["75-84"].bankid == national["75-84"].bankid
    again = parse_habits(rates.to_yaml())
    assert again == rates  # the YAML round-trips


@pytest.mark.parametrize("edit, where", [
    (lambda t: t.replace("bankid: 0.95", "bankid: 1.5"), "bands[0].bankid"),
    (lambda t: t.replace("daily_internet: 0.64", "daily_internet: 0.9"), "bands[6]"),
    (lambda t: t.replace("ages: 25-34", "ages: 20-34"), "habits.yaml"),
    (lambda t: t.replace("format: habits/1", "format: other"), "habits.yaml"),
])
def test_bad_habit_files_are_located(edit, where):
    text = edit(load_habits.__globals__["BUNDLED_HABITS"].read_text(encoding="utf-8"))
    with pytest.raises(InputError) as err:
        parse_habits(text, "habits.yaml")
    assert where in err.value.text("sv")


def test_habit_combinations_keep_every_share_and_tie_the_habits_together():
    rates = load_habits()
    shares = {h: np.array([b.share(h) for b in rates.bands]) for h in HABITS}
    probs = combination_probabilities(shares, rates.dependence)
    assert probs.sum(axis=1) == pytest.approx(np.ones(len(rates.bands)))
    c = COMBINATIONS
    for column, habit in (("has_bankid", "bankid"), ("uses_facebook", "facebook"), ("prefers_paper", "prefers_paper"),
                          ("eservice_user", "eservice_use")):
        assert probs[:, (c[column] == 1).to_numpy()].sum(axis=1) == pytest.approx(shares[habit], abs=1e-6)
    assert probs[:, (c["internet_use"] == "daily").to_numpy()].sum(axis=1) == pytest.approx(shares["daily_internet"],
                                                                                        abs=1e-5)
    old = len(rates.bands) - 1  # 85+: those offline have BankID less often than those online
    never = (c["internet_use"] == "never").to_numpy()
    bankid = (c["has_bankid"] == 1).to_numpy()
    assert probs[old, never & bankid].sum() / probs[old, never].sum() < shares["bankid"][old]
    independent = combination_probabilities(shares, 0.0)
    assert independent[old, never & bankid].sum() / independent[old, never].sum() == pytest.approx(
        shares["bankid"][old], abs=1e-6)


# ---------------------------------------------------------------- the weighted population


def test_weights_sum_to_the_population_per_municipality(bands5):
    single = single_years(bands5)
    population = read_population(pxweb_xlsx(single, title=TITLE), "bef.xlsx")
    built = build_population(population, load_habits())
    single["age"] = single["ålder"].str.extract(r"^(\d+)")[0].astype(int)
    adults = single[single["age"] >= 16].groupby("region")["2023"].sum()
    weights = built.table.groupby("municipality")["weight"].sum()
    for region, persons in adults.items():
        assert weights[region.split(" ", 1)[1]] == pytest.approx(persons, rel=1e-9)
    assert (built.table["weight"] > 0).all()
    assert set(built.table.columns) >= {"municipality", "age", "sex", "household", "internet_use", "has_bankid",
                                        "uses_facebook", "prefers_paper", "eservice_uses_12m", "weight"}
    assert "statistics.ages_left_out" in {n.code for n in built.notices}


def test_households_follow_the_municipality_table():
    population = read_population(STATS / "varmland_befolkning.csv")
    households = read_households(STATS / "varmland_hushall.csv")
    rates = load_habits()
    built = build_population(population, rates, households)
    karlstad = built.table[built.table["municipality"] == "Karlstad"]
    got = karlstad.groupby("household")["weight"].sum()
    hh = households.frame[households.frame["municipality"] == "Karlstad"].set_index("household")["count"]
    target = pd.Series({t: hh.get(t, 0) * rates.adults_per_household[t] for t in rates.adults_per_household})
    target = target / target.sum() * got.sum()
    assert got.reindex(target.index).to_numpy() == pytest.approx(target.to_numpy(), rel=0.01)
    national = build_population(population, rates)
    assert (built.coverage["households"] == "file").all() and (national.coverage["households"] == "national").all()
    assert national.table.groupby("municipality")["weight"].sum().to_dict() == pytest.approx(
        built.table.groupby("municipality")["weight"].sum().to_dict())


def _usage_frame(rates: dict[str, float], population: dict[str, float]) -> pd.DataFrame:
    months = pd.date_range("2026-01-01", periods=12, freq="MS")
    return pd.DataFrame([{"month": m, "municipality": code, "e_service": "x", "channel": "", "segment": -1,
                          "uses": rates[code] * population[code] / 12} for m in months for code in rates])


def test_usage_counts_calibrate_the_e_service_habit():
    population = read_population(STATS / "varmland_befolkning.csv")
    inhabitants = population.frame.groupby("code")["persons"].sum().to_dict()
    per_inhabitant = {code: 0.5 for code in inhabitants} | {"1763": 1.0}  # Forshaga uses twice as much
    evidence = usage_evidence(_usage_frame(per_inhabitant, inhabitants))
    built = build_population(population, load_habits(), usage=evidence)
    plain = build_population(population, load_habits())

    def share(b, name):  # rows carry expected uses: uses per user × how likely a user
        t = b.table[b.table["municipality"] == name]
        return float(np.average(t["eservice_uses_12m"], weights=t["weight"])) / load_habits().eservice_uses_per_user
    assert share(built, "Forshaga") > share(plain, "Forshaga") + 0.15
    assert share(built, "Karlstad") == pytest.approx(share(plain, "Karlstad"), abs=0.03)
    assert built.coverage["calibrated"].all() and "calibrated" in built.provenance
    assert "statistics.calibration_summary" in {n.code for n in built.notices}
    one = usage_evidence(_usage_frame({"1763": 1.0}, inhabitants))
    alone = build_population(population, load_habits(), usage=one)
    assert not alone.coverage["calibrated"].any()
    assert "statistics.calibration_needs_two" in {n.code for n in alone.notices}
