"""Sample statistics in SCB's export shapes for the bundled regions (synthetic, labelled so).

Totals per municipality are SCB's (folkmängd 31 December 2023, rounded to the hundred, as in
`segments.synthetic.REGIONS`); the split by age and sex follows an approximate national age
pyramid tilted to each municipality's share aged 65+; households are the population divided by
2.1 persons per household, split by type along approximate national shares. None of the splits
is SCB's figure for the municipality. The writers produce the shapes PX-Web downloads come in:
CSV with or without a title line, comma or semicolon, cp1252 or UTF-8, and Excel with blank
repeated stub cells and footnotes — which the tests read back.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from common.spreadsheet import add_sheet, append_row, csv_text, workbook, xlsx_bytes
from segments.synthetic import REGIONS, Municipality

__all__ = ["NATIONAL_AGE_BANDS", "households_frame", "population_frame", "pxweb_csv", "pxweb_xlsx",
           "single_years", "write_samples"]

# Inhabitants (thousands) per five-year band and the share of women, Sweden 2023 — approximate.
NATIONAL_AGE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("0-4 år", 571, 0.486), ("5-9 år", 606, 0.486), ("10-14 år", 632, 0.486), ("15-19 år", 621, 0.484),
    ("20-24 år", 597, 0.478), ("25-29 år", 681, 0.478), ("30-34 år", 723, 0.482), ("35-39 år", 691, 0.487),
    ("40-44 år", 650, 0.489), ("45-49 år", 652, 0.490), ("50-54 år", 686, 0.492), ("55-59 år", 666, 0.495),
    ("60-64 år", 597, 0.499), ("65-69 år", 565, 0.506), ("70-74 år", 541, 0.516), ("75-79 år", 505, 0.531),
    ("80-84 år", 345, 0.560), ("85-89 år", 188, 0.610), ("90-94 år", 79, 0.680), ("95-99 år", 21, 0.770),
    ("100+ år", 2.5, 0.830),
)
# SCB household types and approximate national shares of households (before tilting by age).
HOUSEHOLD_SHARES: tuple[tuple[str, float], ...] = (
    ("ensamstående utan barn", 0.400), ("ensamstående med barn 0-24 år", 0.065),
    ("ensamstående med barn 25 år eller äldre", 0.012), ("sammanboende utan barn", 0.270),
    ("sammanboende med barn 0-24 år", 0.200), ("sammanboende med barn 25 år eller äldre", 0.012),
    ("övriga hushåll utan barn", 0.025), ("övriga hushåll med barn 0-24 år", 0.010),
    ("övriga hushåll med barn 25 år eller äldre", 0.002), ("uppgift saknas", 0.004),
)
PERSONS_PER_HOUSEHOLD = 2.1


def _integers(values: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers summing to `total`, as close to `values` as possible (largest remainder)."""
    scaled = values / values.sum() * total
    out = np.floor(scaled).astype(np.int64)
    rest = total - int(out.sum())
    out[np.argsort(-(scaled - out), kind="stable")[:rest]] += 1
    return out


def population_frame(m: Municipality, year_factors: dict[int, float] | None = None) -> pd.DataFrame:
    """region, ålder, kön and one column per year for one municipality (five-year bands)."""
    counts = np.array([c for _, c, _ in NATIONAL_AGE_BANDS], dtype=np.float64)
    old = np.arange(len(counts)) >= 13
    young_adults = np.isin(np.arange(len(counts)), (4, 5, 6))
    counts[young_adults] *= 1.15 if m.population > 50_000 else 0.85
    counts[old] *= m.share_65_plus / (counts[old].sum() / counts.sum())
    counts[~old] *= (1 - m.share_65_plus) / (counts[~old].sum() / counts.sum())
    women = np.array([w for _, _, w in NATIONAL_AGE_BANDS])
    cells = np.ravel(np.column_stack([counts * (1 - women), counts * women]))
    rows = [(f"{m.code} {m.name}", label, sex) for label, _, _ in NATIONAL_AGE_BANDS for sex in ("män", "kvinnor")]
    frame = pd.DataFrame(rows, columns=["region", "ålder", "kön"])
    for year, factor in (year_factors or {2023: 1.0}).items():
        frame[str(year)] = _integers(cells, int(round(m.population * factor)))
    return frame


def single_years(frame: pd.DataFrame) -> pd.DataFrame:
    """The same table with one row per year of age ("0 år" … "99 år", "100+ år")."""
    out = []
    years = [c for c in frame.columns if c.isdigit()]
    for values in frame.itertuples(index=False):
        row = dict(zip(frame.columns, values))
        if row["ålder"].startswith("100"):
            out.append(row)
            continue
        low, high = (int(x) for x in row["ålder"].replace(" år", "").split("-"))
        ages = range(low, high + 1)
        split = {y: _integers(np.ones(len(ages)), int(row[y])) for y in years}
        for k, age in enumerate(ages):
            out.append({"region": row["region"], "ålder": f"{age} år", "kön": row["kön"],
                        **{y: split[y][k] for y in years}})
    result = pd.DataFrame(out)
    result["_age"] = result["ålder"].str.extract(r"^(\d+)")[0].astype(int)
    return result.sort_values(["region", "_age"], kind="stable").drop(columns="_age").reset_index(drop=True)


def households_frame(m: Municipality, year: int = 2023) -> pd.DataFrame:
    """region, hushållstyp and a year column for one municipality."""
    shares = np.array([s for _, s in HOUSEHOLD_SHARES])
    tilt = (m.share_65_plus - 0.20) / 0.10  # older municipalities: fewer households with children
    with_children = np.array(["med barn 0-24" in label for label, _ in HOUSEHOLD_SHARES])
    shares[with_children] *= max(0.3, 1 - 0.35 * tilt)
    total = int(round(m.population / PERSONS_PER_HOUSEHOLD))
    return pd.DataFrame({"region": f"{m.code} {m.name}", "hushållstyp": [label for label, _ in HOUSEHOLD_SHARES],
                         str(year): _integers(shares, total)})


def pxweb_csv(frame: pd.DataFrame, *, title: str | None = None, sep: str = ",", encoding: str = "utf-8") -> bytes:
    """A PX-Web CSV download: text quoted, numbers bare, an optional title line and blank line first."""
    rows = ([int(v) if isinstance(v, (int, np.integer)) else str(v) for v in row]
            for row in frame.itertuples(index=False))
    text = csv_text([str(c) for c in frame.columns], rows, delimiter=sep, quoting=csv.QUOTE_NONNUMERIC)
    if title:
        text = csv_text([title], [], quoting=csv.QUOTE_NONNUMERIC) + "\r\n" + text
    return text.encode(encoding)


def pxweb_xlsx(frame: pd.DataFrame, *, title: str, stub_names: bool = False,
               footnotes: tuple[str, ...] = ("Källa: syntetiskt exempel i SCB:s exportformat",)) -> bytes:
    """A PX-Web Excel download: title, blank row, header (stub headers blank unless asked), stub
    cells left blank where they repeat the row above, then footnotes after a blank row."""
    wb = workbook()
    ws = add_sheet(wb, "Sheet", [title], [])
    append_row(ws, [])
    stub = [c for c in frame.columns if not str(c).isdigit()]
    append_row(ws, [c if stub_names else None for c in stub] + [c for c in frame.columns if str(c).isdigit()])
    previous: list[object] = [None] * len(stub)
    for row in frame.itertuples(index=False):
        values = list(row)
        shown = [None if values[j] == previous[j] and all(values[i] == previous[i] for i in range(j)) else values[j]
                 for j in range(len(stub))]
        previous = values[:len(stub)]
        append_row(ws, shown + [int(v) if isinstance(v, (int, np.integer)) else v for v in values[len(stub):]])
    append_row(ws, [])
    for note in footnotes:
        append_row(ws, [note])
    return xlsx_bytes(wb)


def write_samples(folder: str | Path) -> list[Path]:
    """The bundled sample exports for both regions (data/statistics/)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    varmland = pd.concat([population_frame(m, {2022: 0.997, 2023: 1.0}) for m in REGIONS["varmland"]])
    county = varmland.groupby(["ålder", "kön"], sort=False)[["2022", "2023"]].sum().reset_index()
    county.insert(0, "region", "17 Värmlands län")
    path = folder / "varmland_befolkning.csv"
    path.write_bytes(pxweb_csv(pd.concat([county, varmland]), sep=";", encoding="cp1252",
                               title="Folkmängden efter region, ålder, kön och år (syntetiskt exempel)"))
    written.append(path)
    path = folder / "varmland_hushall.csv"
    path.write_bytes(pxweb_csv(pd.concat([households_frame(m) for m in REGIONS["varmland"]])))
    written.append(path)
    atvidaberg = single_years(pd.concat([population_frame(m) for m in REGIONS["atvidaberg"]]))
    path = folder / "atvidaberg_befolkning.xlsx"
    path.write_bytes(pxweb_xlsx(atvidaberg, title="Folkmängden efter region, ålder, kön och år "
                                "(syntetiskt exempel)"))
    written.append(path)
    hh = pd.concat([households_frame(m) for m in REGIONS["atvidaberg"]])
    parts = hh["hushållstyp"].str.extract(r"^(ensamstående|sammanboende|övriga hushåll|uppgift saknas)\s*(.*)$")
    hh = pd.DataFrame({"region": hh["region"], "hushållstyp": parts[0], "barn": parts[1].replace("", "uppgift saknas"),
                       "2023": hh["2023"]})
    path = folder / "atvidaberg_hushall.csv"
    path.write_bytes(pxweb_csv(hh, sep=";", encoding="utf-8-sig",
                               title="Antal hushåll efter region, hushållstyp, barn och år (syntetiskt exempel)"))
    written.append(path)
    return written
