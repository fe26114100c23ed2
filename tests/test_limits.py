"""Bounded inputs: too big a file, too many rows, cells or columns, an .xlsx that unpacks to
gigabytes — each refused quickly with a clear message, never read into memory first."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from common import workbooks
from common.errors import InputError
from common.limits import Limits
from common.table_files import read_raw
from segments.io import load_citizens

_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
          'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
             '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _xlsx(rows: int) -> bytes:
    """A real workbook: header kommun, ålder and `rows` identical data rows (it compresses ~1000×)."""
    def cell(text: str) -> str:
        return f'<c t="inlineStr"><is><t>{text}</t></is></c>'
    repeated = f'<row>{cell("Kinda")}<c><v>40</v></c></row>' * rows  # rows and cells may leave out their address
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><sheetData><row>{cell("kommun")}{cell("ålder")}</row>'
             f'{repeated}</sheetData></worksheet>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in (("[Content_Types].xml", _TYPES), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", _WB_RELS), ("xl/worksheets/sheet1.xml", sheet)):
            z.writestr(name, text)
    return buf.getvalue()


def test_a_small_workbook_is_read():
    res = load_citizens(_xlsx(100), "liten.xlsx")
    assert len(res.table) == 100 and set(res.table["municipality"]) == {"Kinda"}


def test_an_xlsx_that_unpacks_to_far_more_is_refused_before_parsing(monkeypatch):
    bomb = _xlsx(1_000_000)  # about 1 MB on disk, over 100 MB unpacked
    assert len(bomb) < 2 << 20

    def never(*_args, **_kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(workbooks.openpyxl, "load_workbook", never)
    with pytest.raises(InputError) as info:
        load_citizens(bomb, "bomb.xlsx")
    assert info.value.codes == {"xlsx_too_large"} and "CSV" in info.value.text("sv")


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("KAMPANJ_MAX_ROWS", "1000")
    monkeypatch.setenv("KAMPANJ_MAX_XLSX_MB", "nonsense")  # ignored: the default stays
    limits = Limits.from_env()
    assert limits.max_rows == 1000 and limits.max_xlsx_mb == Limits().max_xlsx_mb


def _csv(rows: int, columns: int = 2) -> bytes:
    header = ";".join(["kommun", "ålder", *(f"x{i}" for i in range(columns - 2))])
    line = ";".join(["Kinda", "40", *("1" for _ in range(columns - 2))])
    return (header + "\n" + "\n".join([line] * rows) + "\n").encode()


@pytest.mark.parametrize("limits,data,code", [
    (Limits(max_file_mb=1), _csv(200_000), "table_too_large"),
    (Limits(max_rows=1000), _csv(1001), "too_many_rows"),
    (Limits(max_cells=10_000), _csv(2000, columns=6), "too_many_cells"),
    (Limits(max_columns=5), _csv(10, columns=6), "too_many_columns"),
])
def test_each_bound_is_refused_with_its_own_message(limits, data, code):
    with pytest.raises(InputError) as info:
        load_citizens(data, "stor.csv", limits=limits)
    assert info.value.codes == {code}
    assert "hint" not in info.value.text("sv") and "stor.csv" not in info.value.text("sv")  # "the file", never its name


def test_exactly_at_the_row_limit_is_fine():
    assert len(load_citizens(_csv(1000), "x.csv", limits=Limits(max_rows=1000)).table) == 1000


def test_parquet_rows_are_counted_from_its_metadata(tmp_path, monkeypatch):
    path = tmp_path / "many.parquet"
    pd.DataFrame({"kommun": ["Kinda"] * 2000, "ålder": [40] * 2000}).to_parquet(path, index=False)

    def never(*_args, **_kwargs):
        raise AssertionError("the rows were read")

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", never)
    with pytest.raises(InputError) as info:
        read_raw(path, limits=Limits(max_rows=1000))
    assert info.value.codes == {"too_many_rows"}


def test_a_parquet_list_column_is_text_not_a_crash(tmp_path):
    path = tmp_path / "list.parquet"
    table = pa.table({"kommun": ["Kinda", "Ydre"], "ålder": [40, 50], "svar": [[1, 2], [3]],
                      "kontakter": [["19121212-1212"], []]})
    pq.write_table(table, path)
    with pytest.raises(InputError) as info:
        load_citizens(path)
    assert info.value.codes == {"personal_data"} and "kontakter" in info.value.text("sv")
    res = load_citizens(path, drop_personal=True)
    assert len(res.table) == 2 and res.ignored_columns == ("svar",)
    used = load_citizens(path, features=("svar",), drop_personal=True).table["svar"]
    assert set(used.cat.categories) == {"[1, 2]", "[3]"}


def test_a_folder_or_a_missing_file_is_refused(tmp_path):
    for path, code in ((tmp_path, "unreadable"), (tmp_path / "nej.csv", "unreadable")):
        with pytest.raises(InputError) as info:
            load_citizens(path)
        assert info.value.codes == {code}


def test_the_statistics_grid_reader_has_the_same_bounds(tmp_path):
    from common.table_files import read_rows

    for source, name, code in ((tmp_path, None, "unreadable"), (_xlsx(1_000_000), "bomb.xlsx", "xlsx_too_large")):
        with pytest.raises(InputError) as info:
            read_rows(source, name)
        assert info.value.codes == {code}
    rows, description = read_rows(_xlsx(3), "liten.xlsx")
    assert rows[0] == ["kommun", "ålder"] and len(rows) == 4 and description == "Excel (.xlsx)"
