"""Read a table downloaded from SCB's statistical database (PX-Web) into one record per number.

PX-Web writes the same table in several shapes: CSV with or without a title line (comma,
semicolon or tab; cp1252 or UTF-8), Excel with a title, stub cells left blank below the first
of a block and footnotes under the data, one column per year ("2023", "Folkmängd 2023") or a
long table with a year column. This module finds the header row, tells the columns apart by
their names or, when PX-Web left them blank, by their values, and returns every number with
its labels and the file row it came from, so that problems can be located.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from common.catalogue import ListOf, Msg, Raw
from common.errors import InputError, Notice, Problem, problem
from common.gate import screen_cells
from common.table_files import Source, read_rows

from .labels import parse_age, parse_household, parse_sex, year_of_header

__all__ = ["ROLES", "PxTable", "label_problem", "read_pxweb", "region_problem"]

ROLES = ("region", "age", "sex", "household", "children")
_NAMES = {
    "region": ("region", "kommun", "kommuner", "kommunnamn", "område"),
    "age": ("ålder", "alder", "age", "åldersgrupp", "åldersklass", "ålder (år)"),
    "sex": ("kön", "kon", "sex"),
    "household": ("hushållstyp", "hushallstyp", "hushåll", "household type", "typ av hushåll"),
    "children": ("barn", "antal barn", "barn i hushållet", "med/utan barn"),
    "year": ("år", "ar", "tid", "year", "period"),
}
_CONTENT_NAMES = ("tabellinnehåll", "tabellinnehall", "contentscode", "innehåll")
_VALUE_NAMES = ("folkmängd", "folkmangd", "antal", "värde", "varde", "value", "personer", "hushåll", "population")
_MAX_HEADER_SEARCH = 40


@dataclass(frozen=True)
class PxTable:
    """A PX-Web export as records: one row per number with the labels it belongs to."""

    title: str
    description: str
    headers: dict[str, str]  # role -> the file's header for it
    records: pd.DataFrame  # row (as the file numbers it), column (header), region, age, sex, household,
    #                        children (labels, "" when absent), year (int), content, value (text)
    notices: tuple[Notice, ...] = field(default=())

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(set(int(y) for y in self.records["year"])))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u00a0", " ")).strip().strip('"').casefold()


def _role_by_name(header: str) -> str | None:
    h = _norm(header)
    for role, names in _NAMES.items():
        if h in names:
            return role
    return None


def _find_header(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:_MAX_HEADER_SEARCH]):
        cells = [c for c in row if c.strip()]
        years = [j for j, c in enumerate(row) if c.strip() and year_of_header(c)]
        names = sum(1 for c in cells if _role_by_name(c))
        # "region","ålder","kön","2023" — or, in PX-Web's Excel, blank stub headers before the years
        if years and min(years) > 0 and (len(cells) >= 2 or len(row) > 1) or names >= 2:
            return i
    return None


def _share(values: list[str], parse) -> float:  # type: ignore[no-untyped-def]
    seen = [v for v in dict.fromkeys(values) if v.strip()]
    return sum(1 for v in seen if parse(v) is not None) / len(seen) if seen else 0.0


def _role_by_values(values: list[str]) -> str | None:
    if _share(values, parse_age) >= 0.8:
        return "age"
    if _share(values, parse_sex) >= 0.8:
        return "sex"
    if _share(values, parse_household) >= 0.8:
        return "household"
    kids = [v for v in dict.fromkeys(values) if v.strip()]
    if kids and all("barn" in _norm(v) or _norm(v) in ("totalt", "samtliga") for v in kids):
        return "children"
    if _share(values, lambda v: v if re.match(r"^\s*\d{2,4}\s+\S", v) else None) >= 0.8:
        return "region"
    return None


def _data_rows(rows: list[list[str]], start: int, value_cols: list[int]) -> list[int]:
    """Indexes of the data rows: from the header to the first blank row or footnote."""
    out: list[int] = []
    for i in range(start, len(rows)):
        row = rows[i]
        filled = [j for j, c in enumerate(row) if c.strip()]
        if not filled:
            if out:
                break
            continue
        if out and filled == [0] and not any(j < len(row) and row[j].strip() for j in value_cols):
            break  # "Källa: SCB", "Senast uppdaterad …" under the data
        out.append(i)
    return out


def _classify(headers: list[str], columns: list[list[str]], name: str
              ) -> tuple[dict[str, int], list[tuple[int, str, int]], int | None, list[Problem], list[Notice]]:
    """Roles of the stub columns, the value columns (index, content, year), and problems."""
    roles: dict[str, int] = {}
    value_cols: list[tuple[int, str, int]] = []
    problems: list[Problem] = []
    notices: list[Notice] = []
    long_value: int | None = None
    for j, h in enumerate(headers):
        found = year_of_header(h)
        if found and _role_by_name(h) is None:
            value_cols.append((j, found[0], found[1]))
    for j, h in enumerate(headers):
        if any(j == v[0] for v in value_cols):
            continue
        values = columns[j]
        role = _role_by_name(h) or _role_by_values(values)
        if role is None and not h.strip() and j == 0:
            role = "region"
        distinct = {v.strip() for v in values if v.strip()}
        if role is None and (_norm(h) in _CONTENT_NAMES or len(distinct) <= 1):
            if h.strip() or distinct:
                notices.append(Notice("statistics.column_ignored", header=Raw(h or str(j + 1))))
            continue
        if role is None and not value_cols and (_norm(h).split(" ")[0] in _VALUE_NAMES or j == len(headers) - 1):
            long_value = j
            continue
        if role is None or role in roles:
            problems.append(problem("statistics.unexpected_dimension", column=h or str(j + 1),
                                    header=Raw(h or str(j + 1)), n=len(distinct),
                                    hint="statistics.hint_one_value"))
            continue
        roles[role] = j
    return roles, value_cols, long_value, problems, notices


def read_pxweb(source: Source, filename: str | None = None) -> PxTable:
    """Read a PX-Web export (CSV or Excel) into records, or raise InputError saying where."""
    name = filename or (str(source) if not isinstance(source, bytes) else "filen")
    rows, description = read_rows(source, filename)
    header_at = _find_header(rows)
    if header_at is None:
        raise InputError([problem("statistics.no_header", hint="statistics.hint_pxweb_shape")])
    title = " ".join(c.strip() for r in rows[:header_at] for c in r if c.strip())
    width = max(len(r) for r in rows[header_at:header_at + 200])
    headers = [(rows[header_at][j] if j < len(rows[header_at]) else "").strip() for j in range(width)]
    year_cols = [j for j, h in enumerate(headers) if year_of_header(h)]
    index = _data_rows(rows, header_at + 1, year_cols)
    if not index:
        raise InputError([problem("no_rows", hint="hint_right_file")])
    excel = description.startswith("Excel")
    columns: list[list[str]] = []
    for j in range(width):
        col = [rows[i][j].strip() if j < len(rows[i]) else "" for i in index]
        columns.append(col)
    screen_cells({h or str(j + 1): c for j, (h, c) in enumerate(zip(headers, columns))}, [i + 1 for i in index],
                 title=[c for r in rows[:header_at] for c in r if c.strip()])
    roles, value_cols, long_value, problems, notices = _classify(headers, columns, name)
    if excel:  # PX-Web's Excel leaves a stub cell blank when it repeats the one above
        for j in roles.values():
            last = ""
            for k, v in enumerate(columns[j]):
                columns[j][k] = v or last
                last = columns[j][k]
    if not value_cols and (long_value is None or "year" not in roles):
        problems.append(problem("statistics.no_years", hint="statistics.hint_pxweb_shape"))
    contents = sorted({c for _, c, _ in value_cols if c})
    if len(contents) > 1:
        problems.append(problem("statistics.several_contents", n=len(contents),
                                contents=ListOf(tuple(Raw(c) for c in contents)), hint="statistics.hint_one_value"))
    if problems:
        raise InputError(problems)
    file_rows = [i + 1 for i in index]

    def labels(role: str) -> list[str]:
        return columns[roles[role]] if role in roles else [""] * len(index)

    parts = []
    if value_cols:
        for j, content, year in value_cols:
            parts.append(pd.DataFrame({"row": file_rows, "column": headers[j], "year": year, "content": content,
                                       "value": columns[j], **{r: labels(r) for r in ROLES}}))
    else:
        assert long_value is not None
        years = [year_of_header(y) for y in columns[roles["year"]]]
        bad = [file_rows[k] for k, y in enumerate(years) if y is None]
        if bad:
            h = headers[roles["year"]]
            raise InputError([problem("statistics.bad_year", column=h, rows=bad, header=Raw(h),
                                      hint="hint_fix_cells")])
        parts.append(pd.DataFrame({"row": file_rows, "column": headers[long_value],
                                   "year": [y[1] for y in years if y], "content": headers[long_value],
                                   "value": columns[long_value], **{r: labels(r) for r in ROLES}}))
    records = pd.concat(parts, ignore_index=True)
    header_names = {role: headers[j] or role for role, j in roles.items()}
    return PxTable(title, description + (", med rubrikrad" if title else ""), header_names, records, tuple(notices))


def region_problem(table: PxTable, bad_rows: list[int]) -> Problem:
    """Rows whose region is not a municipality label."""
    h = table.headers.get("region", "region")
    return problem("statistics.bad_region", column=h, rows=sorted(set(bad_rows)), header=Raw(h),
                   hint="statistics.hint_region")


def label_problem(table: PxTable, role: str, bad_rows: list[int], expected: Msg) -> Problem:
    h = table.headers.get(role, role)
    return problem("statistics.bad_label", column=h, rows=sorted(set(bad_rows)), header=Raw(h), expected=expected,
                   hint="hint_fix_cells")
