"""One separator sniffer for every CSV the app reads (citizen tables and statistics grids).

Swedish Excel writes ';' with decimal commas in cp1252; other tools write ',' with decimal points,
or TAB; statistics exports put a quoted title line above the header.
"""

from __future__ import annotations

import pytest

from common.table_files import read_raw, read_rows, sniff_delimiter

from .conftest import DATA

SWEDISH_EXCEL = "Kommun;Ålder;Inkomst;Vikt\nKil;34;3,5;1,25\nForshaga;71;2,1;0,75\nKarlstad;45;4,0;1,0\n"
COMMA = "kommun,ålder,inkomst,vikt\nKil,34,3.5,1.25\nForshaga,71,2.1,0.75\nKarlstad,45,4.0,1.0\n"
TAB = "kommun\tålder\tkommentar\nKil\t34\tja, gärna\nForshaga\t71\tnej; tack\n"
TITLED = ('"Folkmängden efter region, ålder, kön och år"\n\n"region";"ålder";"kön";"2023"\n'
          '"1715 Kil";"34 år";"män";"120"\n"1763 Forshaga";"35 år";"kvinnor";"98"\n')
QUOTED_COMMAS = 'namn,beskrivning\n"Kil","stor, grön"\n"Forshaga","liten; blå, röd"\n'


@pytest.mark.parametrize(("text", "expected"), [
    (SWEDISH_EXCEL, ";"),
    (COMMA, ","),
    (TAB, "\t"),
    (TITLED, ";"),
    (QUOTED_COMMAS, ","),
    ("kommun\nKil\nForshaga\n", ","),  # one column: nothing to split
    ("kommun;ålder\n", ";"),  # a header alone
])
def test_the_separator_most_lines_agree_on(text, expected):
    assert sniff_delimiter(text.splitlines()) == expected


def test_decimal_commas_do_not_outvote_the_semicolon():
    """Every data line has two decimal commas (three fields split on ','), as many as on ';':
    the header agrees only with ';'."""
    text = "a;b;c\n" + "".join(f"{i};{i},5;{i},25\n" for i in range(60))
    assert sniff_delimiter(text.splitlines()) == ";"


@pytest.mark.parametrize(("text", "encoding", "separator", "shown"), [
    (SWEDISH_EXCEL, "cp1252", ";", "CSV (cp1252, ';')"),
    (COMMA, "utf-8", ",", "CSV (utf-8, ',')"),
    (TAB, "utf-8", "\t", "CSV (utf-8, TAB)"),
])
def test_both_readers_split_the_same_way(text, encoding, separator, shown):
    data = text.encode(encoding)
    table = read_raw(data, "in.csv")
    assert table.description == shown
    rows, description = read_rows(data, "in.csv")
    assert description == shown
    assert rows[0] == table.headers == text.splitlines()[0].split(separator)


def test_the_bundled_swedish_excel_export_and_statistics_grid():
    table = read_raw(DATA / "citizens" / "atvidaberg_excel.csv")
    assert table.description == "CSV (cp1252, ';')" and table.headers[:3] == ["Löpnummer", "Kommun", "Ålder"]
    rows, description = read_rows(DATA / "statistics" / "varmland_befolkning.csv")
    assert description.endswith("';')")
    header = next(r for r in rows if r and r[0] == "region")
    assert header[:3] == ["region", "ålder", "kön"]
