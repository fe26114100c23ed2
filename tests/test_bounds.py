"""Bounds on what a user's file may hold (issue 24, "Crashes and bounds"): each case below used to
end in a traceback or a silently wrong figure, and is now a located refusal or a correct read."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tracemalloc
import zipfile

import pandas as pd
import pyarrow as pa
import pytest

from campaigns.campaign_files import load_campaign, load_region
from campaigns.kit import import_kit
from campaigns.usage import load_usage
from campaigns.working_state import load_state
from common.errors import InputError
from common.limits import MAX_COUNT, MAX_FIELD_BYTES, Limits
from common.spreadsheet import arrow_csv, csv_text, frame_csv, safe_text
from common.table_files import parse_count, parse_number, read_raw, read_rows
from segments.io import load_citizens
from segments.rules import load_rules
from segments.segmentset import load_segment_set
from segments.statistics.habits import load_habits
from segments.statistics.readers import read_population

from .conftest import DATA

HUGE = "9" * 5000


def _codes(call) -> set[str]:
    with pytest.raises(InputError) as info:
        call()
    return info.value.codes


# ---------------------------------------------------------------- numbers in YAML


def _with_huge(text: str, key: str) -> str:
    """The file with the first `key:` line's value replaced by a 5,000-digit integer."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.lstrip().startswith(f"{key}:"):
            lines[i] = line[: line.index(":") + 1] + " " + HUGE
            return "\n".join(lines) + "\n"
    raise AssertionError(f"no {key} in the file")


@pytest.mark.parametrize("number", [HUGE, "-" + HUGE, "0x" + "f" * 5000, "1.0e+999", ".inf", "-.inf", ".nan",
                                    "1" * 200 + ".5", "2000000000000000"])
def test_a_number_out_of_range_in_any_yaml_is_a_located_refusal(tmp_path, varmland, number):
    region_text = (DATA / "regions" / "varmland.yaml").read_text(encoding="utf-8")
    region_file = tmp_path / "region.yaml"
    region_file.write_text(_with_huge(region_text, "population").replace(HUGE, number), encoding="utf-8")
    assert _codes(lambda: load_region(region_file)) == {"yaml_number"}
    campaign_file = tmp_path / "kampanj.yaml"
    campaign_file.write_text(_with_huge((DATA / "campaigns" / "varmland_2027.yaml").read_text(encoding="utf-8"),
                                        "budget_sek").replace(HUGE, number), encoding="utf-8")
    assert _codes(lambda: load_campaign(campaign_file)) == {"yaml_number"}
    habits = tmp_path / "habits.yaml"
    habits.write_text(_with_huge((DATA / "statistics" / "habits.yaml").read_text(encoding="utf-8"),
                                 "dependence").replace(HUGE, number), encoding="utf-8")
    assert _codes(lambda: load_habits(habits)) == {"yaml_number"}
    rules = tmp_path / "regler.yaml"
    rules.write_text(f"rules:\n- name: a\n  min_age: {number}\n", encoding="utf-8")
    assert _codes(lambda: load_rules(rules)) == {"yaml_number"}
    segments = tmp_path / "segment.yaml"
    segments.write_text(f"format: segmentset/1\nk: {number}\n", encoding="utf-8")
    assert _codes(lambda: load_segment_set(segments)) == {"yaml_number"}
    _, region, _ = varmland
    kit = f"format: kit/1\nbudget_sek: {number}\n"
    assert _codes(lambda: import_kit(kit, region, key="x", planning_start=dt.date(2027, 1, 4))) == {"yaml_number"}
    assert _codes(lambda: load_state(f"version: {number}\n")) == {"yaml_number"}


def test_the_refusal_says_where_and_echoes_no_digits(tmp_path):
    path = tmp_path / "kampanj.yaml"
    path.write_text("key: x\nname: X\nbudget_sek: " + HUGE + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_campaign(path)
    text = info.value.text("sv")
    assert f"{path}:3" in text and "9999999999" not in text and "ändligt" in text


def test_ordinary_numbers_still_read(tmp_path):
    campaign, region = load_campaign(DATA / "campaigns" / "varmland_2027.yaml")
    assert campaign.budget_sek > 0 and all(m.population > 0 for m in region.municipalities)


@pytest.mark.parametrize("field,value", [("population", "11000001"), ("households", "999999999"),
                                         ("hours_per_week", "1000")])
def test_member_figures_are_bounded(tmp_path, field, value):
    text = (DATA / "regions" / "varmland.yaml").read_text(encoding="utf-8")
    path = tmp_path / "region.yaml"
    path.write_text(_with_huge(text, field).replace(HUGE, value), encoding="utf-8")
    assert _codes(lambda: load_region(path)) == {"schema.less_than_equal"}


# ---------------------------------------------------------------- a segment set's message values


def _fitted_segment_text(tmp_path) -> str:
    from segments.__main__ import main as segments_main

    out = tmp_path / "s.yaml"
    assert segments_main(["fit", str(DATA / "citizens" / "varmland.csv"), "--out", str(out), "--k", "3"]) == 0
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("bad", ["digits: [0]", "digits: -1", "digits: 99", "digits: true", "digits: x"])
def test_a_segment_set_with_a_bad_digits_value_is_refused(tmp_path, bad):
    text = _fitted_segment_text(tmp_path)
    assert "digits: 0" in text or "digits: 1" in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace("digits: 0", bad).replace("digits: 1", bad), encoding="utf-8")
    with pytest.raises(InputError):
        load_segment_set(path)


def test_plan_with_a_bad_digits_value_exits_2(tmp_path, capsys):
    from campaigns.__main__ import main as campaigns_main

    text = _fitted_segment_text(tmp_path)
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace("digits: 0", "digits: [0]").replace("digits: 1", "digits: [0]"), encoding="utf-8")
    rc = campaigns_main(["plan", str(DATA / "campaigns" / "varmland_2027.yaml"), "--segments", str(path),
                         "--out", str(tmp_path / "ut"), "--no-edits"])
    text = capsys.readouterr().err
    assert rc == 2 and "bad.yaml" in text and "Traceback" not in text and not (tmp_path / "ut").exists()


# ---------------------------------------------------------------- tables


def test_a_parquet_categorical_with_nulls_reads_as_empty_cells(tmp_path):
    frame = pd.DataFrame({"kommun": pd.Categorical(["Kinda", None, "Ydre"]), "n": pd.Categorical([1, 2, None])})
    path = tmp_path / "in.parquet"
    frame.to_parquet(path)
    batches = list(read_raw(path).batches())
    assert pa.concat_tables([pa.Table.from_batches([b]) for b in batches]).to_pydict() == {
        "kommun": ["Kinda", "", "Ydre"], "n": ["1", "2", ""]}


def test_citizens_from_pandas_with_a_categorical_missing_value_are_refused_by_row(tmp_path):
    frame = pd.DataFrame({"kommun": pd.Categorical(["Kinda"] * 40 + [None] * 2), "ålder": range(20, 62)})
    path = tmp_path / "in.parquet"
    frame.to_parquet(path)
    with pytest.raises(InputError) as info:
        load_citizens(path)
    problem = next(p for p in info.value.problems if p.column == "kommun")
    assert problem.rows == (42, 43)


def test_a_categorical_without_nulls_still_loads(tmp_path):
    frame = pd.DataFrame({"kommun": pd.Categorical(["Kinda", "Ydre"] * 30), "ålder": list(range(20, 80))})
    path = tmp_path / "in.parquet"
    frame.to_parquet(path)
    assert len(load_citizens(path).table) == 60


BIG = "x" * (MAX_FIELD_BYTES + 10)


@pytest.mark.parametrize("reader", ["raw", "rows"])
def test_a_csv_cell_over_the_field_limit_is_refused_with_its_row(tmp_path, reader):
    path = tmp_path / "in.csv"
    path.write_text("region;ålder;2023\nKinda;34;5\nKinda;" + BIG + ";7\n", encoding="utf-8")
    if reader == "raw":
        with pytest.raises(InputError) as info:
            list(read_raw(path).batches())
        assert info.value.codes == {"cell_too_long_in_column"} and info.value.problems[0].rows == (3,)
        assert info.value.problems[0].column == "ålder"
    else:
        with pytest.raises(InputError) as info:
            read_rows(path)
        assert info.value.codes == {"cell_too_long"} and info.value.problems[0].rows == (3,)


def test_a_cell_of_200_kb_is_within_the_limit_everywhere(tmp_path):
    """The csv module's own default (128 KiB) raised _csv.Error; the limit is now one, from common.limits."""
    path = tmp_path / "in.csv"
    path.write_text("region;värde\nKinda;" + "y" * 200_000 + "\n", encoding="utf-8")
    rows, _ = read_rows(path)
    assert len(rows[1][1]) == 200_000 and csv.field_size_limit() == MAX_FIELD_BYTES
    assert sum(b.num_rows for b in read_raw(path).batches()) == 1


@pytest.mark.parametrize("text,expected", [("12", 12.0), ("1 234,5", 1234.5), ("inf", None), ("nan", None),
                                           ("1e308", 1e308), ("1e999", None), ("9" * 5000, None)])
def test_parse_number_is_finite(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text,expected", [("0", 0.0), ("100000000", 1e8), ("1e308", None), ("-1", None),
                                           ("5 704 289 999", None), ("inf", None)])
def test_parse_count_is_bounded(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("count", ["1e308", "inf", "-inf", "nan", "5704289999", "-3"])
def test_usage_counts_out_of_range_are_refused_by_row(tmp_path, varmland, count):
    campaign, region, _ = varmland
    member, service = region.municipalities[0].name, campaign.e_services[0].name
    path = tmp_path / "usage.csv"
    path.write_text(f"månad;kommun;e-tjänst;antal\n2027-01;{member};{service};12\n2027-02;{member};{service};{count}\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_usage(path, None, region, campaign)
    # 5704289999 is also a personnummer (570428-9999): the gate refuses it as personal data first
    assert info.value.codes in ({"usage.bad_count"}, {"personal_data"}) and info.value.problems[0].rows == (3,)
    text = info.value.text("sv").replace("\xa0", " ")
    assert count not in text and ("100 000 000" in text or "personal_data" in info.value.codes)


@pytest.mark.parametrize("count", ["1e308", "inf", "5704289999"])
def test_scb_counts_out_of_range_are_refused_by_row(tmp_path, count):
    population = tmp_path / "pop.csv"
    population.write_text('"region";"ålder";"kön";"2023"\n"0513 Kinda";"34 år";"män";"12"\n'
                          f'"0513 Kinda";"35 år";"män";"{count}"\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_population(population)
    assert info.value.codes in ({"statistics.bad_number"}, {"personal_data"})
    assert info.value.problems[0].rows == (3,) and count not in info.value.text("sv")
    assert MAX_COUNT == 100_000_000


# ---------------------------------------------------------------- XLSX shared strings


def shared_string_workbook(rows: int, text_len: int = 32_000) -> bytes:
    """An .xlsx whose every row refers to one long shared string: small on disk (the sheet repeats
    only the string's number), gigabytes if each row holds its own copy."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/>'
        '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'<sst {ns} count="2" uniqueCount="2"><si><t>kommun</t></si><si><t>'
        + "x" * text_len + "</t></si></sst>",
        "xl/worksheets/sheet1.xml": f"<worksheet {ns}><sheetData>" + "".join(
            f'<row r="{r}"><c r="A{r}" t="s"><v>{0 if r == 1 else 1}</v></c></row>' for r in range(1, rows + 2))
        + "</sheetData></worksheet>",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buf.getvalue()


def test_shared_strings_referred_to_by_many_rows_are_refused_within_bounded_memory():
    data = shared_string_workbook(20_000)  # 640 MB of text once every row holds its own copy
    assert len(data) < 150_000
    limits = Limits()
    tracemalloc.start()
    allocated = pa.total_allocated_bytes()
    try:
        with pytest.raises(InputError) as info:
            list(read_raw(data, "stor.xlsx", limits=limits).batches())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.codes == {"xlsx_text_too_large"}
    row = info.value.problems[0].rows[0]
    assert row * 32_000 <= limits.max_xlsx_bytes + 64_000  # refused as soon as the text passed the limit
    assert peak < 2 * limits.max_xlsx_bytes and pa.total_allocated_bytes() - allocated < limits.max_xlsx_bytes


def test_the_same_bound_holds_for_statistics_exports():
    data = shared_string_workbook(5_000)
    with pytest.raises(InputError) as info:
        read_rows(data, "befolkning.xlsx")
    assert info.value.codes == {"xlsx_text_too_large"}


def test_a_few_rows_of_long_shared_text_are_read(monkeypatch):
    rows = list(read_raw(shared_string_workbook(10), "liten.xlsx").batches())
    assert sum(b.num_rows for b in rows) == 10 and len(rows[0].column(0)[0].as_py()) == 32_000


# ---------------------------------------------------------------- names in regions


@pytest.mark.parametrize("name", ["1780", "0000", " ", "karlstad"])
def test_a_member_named_like_a_code_or_like_another_member_is_refused(tmp_path, name):
    text = (DATA / "regions" / "varmland.yaml").read_text(encoding="utf-8")
    region = load_region(DATA / "regions" / "varmland.yaml")
    other = region.municipalities[1].name
    path = tmp_path / "region.yaml"
    path.write_text(text.replace(f"name: {other}\n", f"name: '{name}'\n", 1), encoding="utf-8")
    assert _codes(lambda: load_region(path)) & {"schema.municipality_name_is_code",
                                                 "schema.duplicate_municipality_name", "schema.not_official"}


# ---------------------------------------------------------------- formula injection through CR and LF


@pytest.mark.parametrize("text,expected", [("\r=HYPERLINK(1)", "'\n=HYPERLINK(1)"), ("\n@x", "'\n@x"),
                                           ("Kinda\r=1+1", "Kinda\n=1+1"), ("a\r\nb", "a\nb"), ("-12,5", "-12,5")])
def test_cr_and_lf_led_text_is_neutralised(text, expected):
    assert safe_text(text) == expected


@pytest.mark.parametrize("writer", ["csv", "frame", "arrow"])
def test_no_written_line_begins_a_formula(writer, tmp_path):
    names = ["Kinda\r=HYPERLINK(\"http://x\")", "\r+1", "Ydre\r\n@SUM(1)", "ok"]
    if writer == "csv":
        out = csv_text(["namn"], [[n] for n in names], delimiter=";")
    elif writer == "frame":
        out = frame_csv(pd.DataFrame({"namn": names}), lineterminator="\n").decode()
    else:
        buffer = io.BytesIO()
        arrow_csv(pa.table({"namn": names}), buffer)
        out = buffer.getvalue().decode()
    cells = [c for row in csv.reader(io.StringIO(out, newline=""), delimiter=";" if writer == "csv" else ",")
             for c in row]
    assert "\r" not in out.replace("\r\n", "")  # a bare CR went unquoted and split the row in Excel
    assert len(cells) == 5 and not any(c[:1] in ("=", "+", "@", "\r", "\n") for c in cells)


def test_sample_usage_output_has_no_live_formula(tmp_path, capsys):
    """A name with a CR before a formula (an e-service's name is free text) is written as text: the
    CR becomes LF and the cell gets the apostrophe (a municipality's name cannot hold one: the gate
    takes only Sweden's official municipalities)."""
    from campaigns.__main__ import main as campaigns_main

    folder = tmp_path / "k"
    folder.mkdir()
    region = (DATA / "regions" / "varmland.yaml").read_text(encoding="utf-8")
    (folder / "region.yaml").write_text(region.replace("sample_citizens: ../", "sample_citizens: " + str(DATA) + "/"),
                                        encoding="utf-8")
    campaign = (DATA / "campaigns" / "varmland_2027.yaml").read_text(encoding="utf-8")
    campaign = campaign.replace("region: varmland", "region: region.yaml").replace(
        "name: Boka vigsel\n", 'name: "X\\r=HYPERLINK(1)"\n', 1)
    assert "HYPERLINK" in campaign
    (folder / "kampanj.yaml").write_text(campaign, encoding="utf-8")
    out = tmp_path / "u.csv"
    assert campaigns_main(["sample-usage", str(folder / "kampanj.yaml"), "--out", str(out)]) == 0, \
        capsys.readouterr().err
    raw = out.read_bytes().decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(raw, newline=""), delimiter=";") for c in row]
    assert any("HYPERLINK" in c for c in cells) and "\r" not in raw.replace("\r\n", "")
    assert not any(c[:1] in ("=", "+", "@", "\r", "\n") for c in cells)


def test_a_member_name_with_a_formula_is_refused_by_the_region_gate(tmp_path, capsys):
    from campaigns.__main__ import main as campaigns_main

    folder = tmp_path / "k"
    folder.mkdir()
    region = (DATA / "regions" / "varmland.yaml").read_text(encoding="utf-8")
    first = load_region(DATA / "regions" / "varmland.yaml").municipalities[0].name
    (folder / "region.yaml").write_text(region.replace(f"name: {first}\n", 'name: "X\\r=HYPERLINK(1)"\n', 1),
                                        encoding="utf-8")
    campaign = (DATA / "campaigns" / "varmland_2027.yaml").read_text(encoding="utf-8")
    (folder / "kampanj.yaml").write_text(campaign.replace("region: varmland", "region: region.yaml"), encoding="utf-8")
    out = tmp_path / "u.csv"
    assert campaigns_main(["sample-usage", str(folder / "kampanj.yaml"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "HYPERLINK" not in err and "Traceback" not in err and not out.exists()


@pytest.mark.parametrize("segmentation", ["{k: 1000000000000}", "{k: 0}", "{min_size: .inf}", "{min_size: 1.0e+12}"])
def test_a_working_state_with_an_out_of_range_segmentation_is_refused(segmentation):
    with pytest.raises(InputError):
        load_state(f"campaign: varmland_2027\nsegmentation: {segmentation}\n")


def test_a_working_state_within_range_loads():
    assert load_state("campaign: varmland_2027\nsegmentation: {k: 5, min_size: 30}\n").segmentation.k == 5
