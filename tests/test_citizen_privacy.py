"""Personal data never gets through a citizen file: every case from the issue, refused (command
line) or left out (app), nothing echoed, and assignments numbered instead of identified."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from common.errors import InputError
from segments.io import load_citizens

from .test_identity_numbers import FORMATS, INVALID, _entries


def _base(n: int = 40) -> pd.DataFrame:
    return pd.DataFrame({"kommun": [("Kinda", "Ydre")[i % 2] for i in range(n)],
                         "ålder": [30 + i % 50 for i in range(n)]})


def _refused(path, **kw) -> InputError:
    with pytest.raises(InputError) as info:
        load_citizens(path, **kw)
    return info.value


def _texts(err: InputError) -> str:
    return err.text("sv") + "\n" + err.text("en")


@pytest.mark.parametrize("header", ["id", "löpnummer", "respondent", "respondent_id"])
@pytest.mark.parametrize("value", ["19121212 1212", "1.91212121212E11", "191212121212.0", "501011233",
                                   "Anna Andersson", "070-123 45 67", "anna@example.se", "20000101-T220",
                                   "Storgatan 1, 652 24 Karlstad"])
def test_an_id_that_is_no_code_is_refused_and_never_echoed(write_csv, header, value):
    df = _base().assign(**{header: [f"R{i}" for i in range(40)]})
    df.loc[7, header] = value
    err = _refused(write_csv(df))
    assert err.codes == {"personal_data"} and header in err.text("en") and "rad 9" in err.text("sv")
    assert value not in _texts(err) and value.split()[0] not in _texts(err)


def test_in_the_app_the_id_is_left_out_and_rows_are_numbered_instead(write_csv):
    df = _base().assign(löpnummer=[f"R{i}" for i in range(40)])
    df.loc[3, "löpnummer"] = "19121212-1212"
    res = load_citizens(write_csv(df), drop_personal=True)
    assert "respondent_id" not in res.table and len(res.table) == 40
    assert res.dropped_personal_columns == ("löpnummer",)
    assert {n.code for n in res.notices} >= {"notice.personal_dropped", "notice.id_dropped"}


def test_a_parquet_float_id_column_is_refused(tmp_path):
    path = tmp_path / "in.parquet"
    _base().assign(id=[191212121212.0] + [float(i) for i in range(1, 40)]).to_parquet(path, index=False)
    err = _refused(path)
    assert err.codes == {"personal_data"} and "rad 2" in err.text("sv")


@pytest.mark.parametrize("fmt", [*FORMATS, "integer"])
def test_every_valid_public_test_number_is_refused_in_every_format(write_csv, fmt):
    numbers = [str(e[fmt]) for e in _entries() if e["valid"] and (fmt != "integer" or e["integer"])]
    df = _base(len(numbers)).assign(löpnummer=numbers)
    err = _refused(write_csv(df))
    assert err.problems[0].row_count == len(numbers)
    assert not any(n in _texts(err) for n in numbers)


def test_invalid_public_test_numbers_are_ordinary_codes(write_csv):
    numbers = sorted({text for text, _, _ in INVALID})
    df = _base(len(numbers)).assign(löpnummer=numbers)
    assert len(load_citizens(write_csv(df)).table) == len(numbers)


@pytest.mark.parametrize("comment", [
    "mitt personnummer är 19121212-1212", "ring 070-123 45 67", "ring +46 70 123 45 67", "anna@example.se svarade",
    "bor på Storgatan 1, 652 24 Karlstad", "interimsnummer 20000101-T220",
])
def test_personal_data_in_a_free_text_column_refuses_the_file(write_csv, comment):
    df = _base().assign(kommentar="bra")
    df.loc[5, "kommentar"] = comment
    err = _refused(write_csv(df))
    assert err.codes == {"personal_data"} and "kommentar" in err.text("sv") and "rad 7" in err.text("sv")
    assert comment not in _texts(err)


def test_personal_data_in_a_schema_column_is_found_too(write_csv):
    df = _base()
    df["kommun"] = df["kommun"].astype(object)
    df.loc[2, "kommun"] = "19121212-1212"  # would otherwise become a 'municipality' in the profiles
    err = _refused(write_csv(df))
    assert err.codes == {"personal_data"} and "'kommun'" in err.text("sv")


@pytest.mark.parametrize("header", ["telefonnr", "mobilnr", "tfn", "mejladress", "gata", "Hem adress", "postnummer",
                                    "postort", "Person-nr", "p_nr", "pers.nr",
                                    unicodedata.normalize("NFD", "förnamn"), "Födelsedatum"])
def test_personal_headers_in_every_spelling_are_refused(write_csv, header):
    err = _refused(write_csv(_base().assign(**{header: "x"})))
    assert err.codes == {"personal_data"}


def test_one_hundred_numbers_after_twenty_thousand_codes_are_found(write_csv):
    n = 20_100
    df = pd.DataFrame({"kommun": ["Kinda"] * n, "ålder": [40] * n,
                       "löpnummer": [f"R{i}" for i in range(20_000)] + ["19121212-1212"] * 100})
    err = _refused(write_csv(df))
    assert err.problems[0].row_count == 100 and err.problems[0].rows[0] == 20_002


def test_the_31st_of_february_is_no_identity_number(write_csv):
    df = _base().assign(löpnummer=[f"120231-{1000 + i}" for i in range(40)])  # 31 Feb: an ordinary code
    assert len(load_citizens(write_csv(df)).table) == 40


@pytest.mark.parametrize("column,value", [("kön", "Anna Andersson"), ("vikt", "070-123 45 67"),
                                          ("hushåll", "x" * 10_000_000)])
def test_unreadable_values_are_never_quoted(write_csv, column, value):
    df = _base().assign(kön="kvinna", vikt="1", hushåll="ensamstående")
    df.loc[4, column] = value
    err = _refused(write_csv(df))
    text = _texts(err)
    assert f"'{column}'" in text and "rad 6" in err.text("sv")
    assert value[:12] not in text and len(text) < 5_000


def test_a_file_without_a_header_row_is_refused_quoting_nothing(tmp_path):
    path = tmp_path / "utan_rubrik.csv"
    path.write_text("19121212-1212,Anna Andersson,Storgatan 1,Kinda,34\n19121212-1212,Bo Ek,Ågatan 2,Ydre,50\n",
                    encoding="utf-8")
    err = _refused(path)
    assert err.codes == {"headerless"}
    for piece in ("19121212", "Anna", "Storgatan", "Kinda", "34"):
        assert piece not in _texts(err)


def test_extra_features_must_be_few_categories_and_not_personal(write_csv):
    df = _base().assign(ort=["tätort", "landsbygd"] * 20, kod=[f"K{i}" for i in range(40)], Telefon="x")
    assert set(load_citizens(write_csv(df), features=("ort",), drop_personal=True).table["ort"].cat.categories) == {
        "tätort", "landsbygd"}
    assert _refused(write_csv(df), features=("kod",), drop_personal=True).codes == {"too_many_levels"}
    assert _refused(write_csv(df), features=("Telefon",), drop_personal=True).codes == {"feature_personal"}
    assert _refused(write_csv(df), features=("kommun",), drop_personal=True).codes == {"feature_in_schema"}


def test_columns_outside_the_contract_are_never_kept_and_are_named(write_csv):
    df = _base().assign(inkomst=[str(20000 + i) for i in range(40)], anteckning="ok")
    res = load_citizens(write_csv(df))
    assert list(res.table.columns) == ["municipality", "age", "weight"]
    assert res.ignored_columns == ("inkomst", "anteckning")
    assert any(n.code == "notice.columns_ignored" for n in res.notices)


def test_assignments_after_a_dropped_id_carry_row_numbers_only(write_csv, tmp_path):
    from segments.__main__ import write_assignments
    from segments.clustering import fit_segments

    df = _base(60).assign(löpnummer=[f"19121212-1212 {i}" for i in range(60)])
    res = load_citizens(write_csv(df), drop_personal=True)
    fit = fit_segments(res.table, 2, min_size=5, seed=0)
    out = tmp_path / "tilldelning.csv"
    write_assignments(out, res.table, fit.labels, fit.segment_set)
    written = pd.read_csv(out)
    assert list(written.columns) == ["row", "segment", "segment_name"]
    assert written["row"].tolist() == list(range(2, 62)) and "1212" not in out.read_text(encoding="utf-8")
