"""Reading every format a Swedish municipality produces, and refusing what must be refused."""

import io

import numpy as np
import pandas as pd
import pytest

from common.catalogue import render
from common.errors import InputError
from segments.io import load_citizens
from segments.synthetic import to_swedish_excel

from .conftest import DATA


def test_bundled_swedish_excel_export_loads_without_options():
    res = load_citizens(DATA / "citizens" / "atvidaberg_excel.csv")
    t = res.table
    assert res.description.startswith("CSV (cp1252, ';')")
    assert set(t["municipality"].cat.categories) == {"Åtvidaberg", "Boxholm", "Kinda", "Ydre", "Vimmerby", "Ödeshög"}
    assert t["sex"].isin(["female", "male", "other"]).all()
    assert t["weight"].iloc[0] == pytest.approx(36.55)  # decimal comma
    assert t["eservice_uses_12m"].isna().sum() > 0  # SCB-style '..' read as missing


@pytest.mark.parametrize("sep,encoding", [(",", "utf-8"), (";", "utf-8"), ("\t", "utf-8"), (",", "utf-8-sig"),
                                          (";", "cp1252"), (";", "utf-8-sig")])
def test_separators_and_encodings(citizens, write_csv, sep, encoding):
    sv = to_swedish_excel(citizens)
    res = load_citizens(write_csv(sv, sep=sep, encoding=encoding))
    assert len(res.table) == len(citizens)
    assert res.table["household"].cat.categories.tolist()[0] == "single"
    assert (res.table["has_bankid"].to_numpy() == citizens["has_bankid"].to_numpy()).all()


def test_kommunkod_keeps_leading_zeros_and_gets_a_name(citizens, write_csv):
    df = citizens.copy()
    df["municipality"] = "0512"
    res = load_citizens(write_csv(df))
    assert set(res.table["municipality"]) == {"Ydre"}
    df["municipality"] = "0999"  # no municipality has this code: refused by row, not kept
    with pytest.raises(InputError) as info:
        load_citizens(write_csv(df))
    assert info.value.codes == {"missing_municipality"} and "0999" not in info.value.text("sv")


def test_xlsx_and_parquet(citizens, tmp_path):
    x = tmp_path / "in.xlsx"
    to_swedish_excel(citizens).to_excel(x, index=False)
    p = tmp_path / "in.parquet"
    citizens.to_parquet(p, index=False)
    a = load_citizens(x).table
    b = load_citizens(p).table
    assert len(a) == len(b) == len(citizens)
    assert (a["age"].to_numpy() == citizens["age"].to_numpy()).all()
    assert (b["occupation"].astype(str).to_numpy() == citizens["occupation"].to_numpy()).all()


def test_upload_bytes_with_filename(citizens):
    buf = io.BytesIO()
    citizens.to_csv(buf, index=False, sep=";")
    res = load_citizens(buf.getvalue(), "enkät.csv")
    assert len(res.table) == len(citizens)


def test_age_band_is_accepted_instead_of_age(write_csv):
    df = pd.DataFrame({"kommun": ["Kinda"] * 3, "åldersgrupp": ["65-79", "80+", "16–29"]})
    res = load_citizens(write_csv(df))
    assert res.table["age"].tolist() == [72, 85, 22]
    assert any("vikt" in render(n, "sv").lower() for n in res.notices)


def test_extra_columns_are_ignored_with_a_notice_unless_named(citizens, write_csv):
    df = citizens.assign(ort=np.where(np.arange(len(citizens)) % 2, "tätort", "landsbygd"))
    res = load_citizens(write_csv(df))
    assert "ort" not in res.table and any("ort" in render(n, "en") for n in res.notices)
    res = load_citizens(write_csv(df), features=("ort",))
    assert set(res.table["ort"].cat.categories) == {"tätort", "landsbygd"}


def _refusal(path, **kw) -> InputError:
    with pytest.raises(InputError) as info:
        load_citizens(path, **kw)
    return info.value


def test_missing_required_column_shows_schema(citizens, write_csv):
    err = _refusal(write_csv(citizens.drop(columns=["age"])))
    assert err.codes == {"missing_column"}
    text = err.text("sv")
    assert "ålder" in text and "eservice_uses_12m" in text  # schema listed under the message


def test_bad_values_name_column_rows_and_what_to_do(citizens, write_csv):
    df = citizens.copy().astype({"age": object})
    df.loc[[3, 10], "age"] = "trettio"
    df.loc[5, "household"] = "villa"
    err = _refusal(write_csv(df))
    texts = err.text("sv")
    assert "'age'" in texts and "raderna 5 och 12" in texts and "trettio" not in texts  # values are never echoed
    assert "'household'" in texts and "rad 7" in texts and "Rätta" in texts


def test_identity_numbers_in_an_id_column_are_refused(citizens, write_csv):
    df = citizens.copy()
    df.loc[4, "respondent_id"] = "19121212-1212"
    path = write_csv(df)
    err = _refusal(path)
    assert err.codes == {"personal_data"}
    assert "personnummer" in err.text("sv") and "rad 6" in err.text("sv")
    assert "19121212" not in err.text("sv")  # the number itself is never echoed


@pytest.mark.parametrize("column", ["Personnummer", "Namn", "Adress", "E-post", "Telefon"])
def test_personal_columns_are_refused_by_name(citizens, write_csv, column):
    df = citizens.assign(**{column: "x"})
    err = _refusal(write_csv(df))
    assert err.codes == {"personal_data"} and column in err.text("en")


def test_personal_columns_can_be_left_out_in_memory(citizens, write_csv):
    df = citizens.assign(Namn="Anna", kontakt="anna@example.se")
    res = load_citizens(write_csv(df), drop_personal=True)
    assert set(res.dropped_personal_columns) == {"Namn", "kontakt"}
    assert "Namn" not in res.table and len(res.table) == len(citizens)


def test_rows_with_wrong_field_count_are_listed(write_csv, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text("kommun;ålder\nKinda;34\nKinda;45;extra\nYdre;50\n", encoding="utf-8")
    err = _refusal(path)
    assert "bad_row" in err.codes and "rad 3" in err.text("sv")


@pytest.mark.parametrize("content,code", [(b"", "unreadable"), (b"kommun,\xc3\xa5lder\n", "no_rows"),
                                          (b"PK\x03\x04junk", "unreadable")])
def test_empty_and_wrong_files(tmp_path, content, code):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    assert code in _refusal(path).codes


def test_damaged_excel_is_refused_cleanly(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    assert _refusal(path).codes == {"unreadable"}


def test_a_late_cp1252_character_decides_the_encoding(tmp_path):
    rows = ["kommun;ålder".encode("cp1252")] + [b"Kinda;40"] * 20000 + ["Åtvidaberg;50".encode("cp1252")]
    path = tmp_path / "late.csv"
    path.write_bytes(b"\r\n".join(rows))
    t = load_citizens(path).table
    assert t["municipality"].iloc[-1] == "Åtvidaberg"
