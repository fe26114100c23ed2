"""Every command-line path ends in exit code 0 or 2 with a message — never a traceback — and a
refusal writes nothing. One test per case that used to crash."""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from campaigns.__main__ import main as campaigns_main
from segments.__main__ import main as segments_main

from .conftest import DATA

CITIZENS = DATA / "citizens" / "atvidaberg_excel.csv"


def _fit(capsys, *args: str) -> tuple[int, str]:
    rc = segments_main(["fit", *args])
    out = capsys.readouterr()
    return rc, out.out + out.err


def _files(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("options", [
    ["--min-size", "nan"], ["--min-size", "inf"], ["--min-size", "-1"],
    ["--seed", "-1"], ["--seed", "4294967296"],
])
def test_options_out_of_range(tmp_path, capsys, options):
    rc, text = _fit(capsys, str(CITIZENS), "--out", str(tmp_path / "s.yaml"), *options)
    assert rc == 2 and options[0] in text and "Traceback" not in text and _files(tmp_path) == []


def test_input_that_is_a_folder(tmp_path, capsys):
    rc, text = _fit(capsys, str(tmp_path), "--out", str(tmp_path / "s.yaml"))
    assert rc == 2 and "folder" in text and _files(tmp_path) == []


def test_out_or_assign_that_is_a_folder_writes_nothing(tmp_path, capsys):
    folder = tmp_path / "mapp"
    folder.mkdir()
    rc, text = _fit(capsys, str(CITIZENS), "--out", str(folder))
    assert rc == 2 and "--out" in text
    rc, text = _fit(capsys, str(CITIZENS), "--out", str(tmp_path / "s.yaml"), "--assign", str(folder))
    assert rc == 2 and "--assign" in text and _files(tmp_path) == []  # not even the YAML


def test_out_that_would_overwrite_the_input(tmp_path, capsys):
    src = tmp_path / "in.csv"
    shutil.copy(CITIZENS, src)
    rc, text = _fit(capsys, str(src), "--out", str(src))
    assert rc == 2 and src.read_bytes() == CITIZENS.read_bytes()
    rc, text = _fit(capsys, str(src), "--out", str(tmp_path / "a.csv"), "--assign", str(tmp_path / "a.csv"))
    assert rc == 2 and _files(tmp_path) == ["in.csv"]


def test_a_weight_of_1e308(tmp_path, capsys):
    src = tmp_path / "in.csv"
    df = pd.DataFrame({"kommun": ["Kinda"] * 50, "ålder": range(20, 70), "vikt": ["1"] * 49 + ["1e308"]})
    df.to_csv(src, index=False)
    rc, text = _fit(capsys, str(src), "--out", str(tmp_path / "s.yaml"))
    assert rc == 2 and "'vikt'" in text and "1e308" not in text and _files(tmp_path) == ["in.csv"]


@pytest.mark.parametrize("feature", ["kommun", "municipality", "Kommun", "saknas"])
def test_features_that_cannot_be_used(tmp_path, capsys, feature):
    src = tmp_path / "in.csv"
    pd.DataFrame({"kommun": ["Kinda"] * 50, "ålder": range(20, 70)}).to_csv(src, index=False)
    rc, text = _fit(capsys, str(src), "--out", str(tmp_path / "s.yaml"), "--features", feature)
    assert rc == 2 and "Traceback" not in text and _files(tmp_path) == ["in.csv"]


def test_a_parquet_list_column(tmp_path, capsys):
    src = tmp_path / "in.parquet"
    n = 60
    pq.write_table(pa.table({"kommun": ["Kinda", "Ydre"] * (n // 2), "ålder": list(range(20, 20 + n)),
                             "svar": [[i % 3, 1] for i in range(n)]}), src)
    rc, text = _fit(capsys, str(src), "--out", str(tmp_path / "s.yaml"), "--k", "2", "--min-size", "5")
    assert rc == 0 and "svar" in text  # not read, and the output says so
    rc, text = _fit(capsys, str(src), "--out", str(tmp_path / "t.yaml"), "--k", "2", "--min-size", "5",
                    "--features", "svar")
    assert rc == 0 and (tmp_path / "t.yaml").exists()


def test_an_id_that_is_no_code_refuses_and_writes_nothing(tmp_path, capsys):
    src = tmp_path / "in.csv"
    df = pd.read_csv(CITIZENS, sep=";", encoding="cp1252", dtype=str)
    df.loc[10, "Löpnummer"] = "1.91212121212E11"  # a personnummer as Excel writes a long number
    df.to_csv(src, index=False, sep=";")
    rc, text = _fit(capsys, str(src), "--out", str(tmp_path / "s.yaml"), "--assign", str(tmp_path / "a.csv"))
    assert rc == 2 and "Löpnummer" in text and "1.912" not in text and _files(tmp_path) == ["in.csv"]


# ---------------------------------------------------------------- campaigns plan


@pytest.fixture(scope="module")
def campaign_files(tmp_path_factory):
    """A copy of the Värmland campaign with its region beside it, and a saved segment set."""
    folder = tmp_path_factory.mktemp("kampanj")
    shutil.copy(DATA / "regions" / "varmland.yaml", folder / "region.yaml")
    text = (DATA / "campaigns" / "varmland_2027.yaml").read_text(encoding="utf-8")
    (folder / "kampanj.yaml").write_text(text.replace("region: varmland", "region: region.yaml"), encoding="utf-8")
    assert segments_main(["fit", str(CITIZENS), "--out", str(folder / "segment.yaml"), "--k", "3"]) == 0
    return folder


def _plan(capsys, campaign, out, *extra: str) -> tuple[int, str]:
    rc = campaigns_main(["plan", str(campaign), "--out", str(out), "--lang", "en", *extra])  # not the locale
    captured = capsys.readouterr()
    return rc, captured.out + captured.err


def _variant(folder, name: str, old: str, new: str, source: str = "kampanj.yaml"):
    text = (folder / source).read_text(encoding="utf-8")
    assert old in text
    path = folder / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old,new,expected", [
    ("budget_sek: 240000.0", "budget_sek: .inf", "finite"),
    ("go_live: 2027-03-16", "go_live: 9999-12-31", "2099-12-31"),
    ("budget_sek: 240000.0", "budget_sek: " + "[" * 3000, "32"),
])
def test_campaign_values_that_used_to_crash(campaign_files, tmp_path, capsys, old, new, expected):
    path = _variant(campaign_files, "variant.yaml", old, new)
    rc, text = _plan(capsys, path, tmp_path / "ut")
    assert rc == 2 and expected in text and "Traceback" not in text and not (tmp_path / "ut").exists()


def test_a_campaign_file_that_is_not_utf8(campaign_files, tmp_path, capsys):
    path = campaign_files / "latin1.yaml"
    path.write_bytes((campaign_files / "kampanj.yaml").read_text(encoding="utf-8").encode("cp1252"))
    rc, text = _plan(capsys, path, tmp_path / "ut")
    assert rc == 2 and "UTF-8" in text and not (tmp_path / "ut").exists()


def test_a_missing_channel_template_is_found_before_anything_is_written(campaign_files, tmp_path, capsys):
    _variant(campaign_files, "region_tpl.yaml", "- key: facebook\n", "- key: facebook\n  template: saknas/post.j2\n",
             source="region.yaml")
    path = _variant(campaign_files, "tpl.yaml", "region: region.yaml", "region: region_tpl.yaml")
    rc, text = _plan(capsys, path, tmp_path / "ut", "--segments", str(campaign_files / "segment.yaml"))
    assert rc == 2 and "saknas/post.j2" in text and not (tmp_path / "ut").exists()


@pytest.mark.parametrize("old,new", [("\nsegments:\n", '\nsegments: "abc"\nignored:\n'),
                                     ("share: 0.", "share: lots #")])
def test_damaged_segment_sets(campaign_files, tmp_path, capsys, old, new):
    damaged = _variant(campaign_files, "damaged.yaml", old, new, source="segment.yaml")
    rc, text = _plan(capsys, campaign_files / "kampanj.yaml", tmp_path / "ut", "--segments", str(damaged))
    assert rc == 2 and "damaged.yaml" in text and not (tmp_path / "ut").exists()


def test_out_that_is_a_file(campaign_files, tmp_path, capsys):
    target = tmp_path / "fil.txt"
    target.write_text("x", encoding="utf-8")
    rc, text = _plan(capsys, campaign_files / "kampanj.yaml", target)
    assert rc == 2 and "--out" in text and target.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("argv", [
    ["sample", "varmland", "--rows", "-5", "--out", "{tmp}/s.csv"],
    ["sample", "varmland", "--seed", "-1", "--out", "{tmp}/s.csv"],
    ["sample", "varmland", "--out", "{tmp}"],
])
def test_sample_options(tmp_path, capsys, argv):
    rc = segments_main([a.format(tmp=tmp_path) for a in argv])
    assert rc == 2 and "Nothing was written" in capsys.readouterr().err and _files(tmp_path) == []


def test_sample_usage_of_a_campaign_that_cannot_be_read(tmp_path, capsys):
    rc = campaigns_main(["sample-usage", str(tmp_path), "--out", str(tmp_path / "u.csv")])
    assert rc == 2 and _files(tmp_path) == []
    rc = campaigns_main(["sample-usage", str(DATA / "campaigns" / "varmland_2027.yaml"), "--out", str(tmp_path)])
    assert rc == 2 and "--out" in capsys.readouterr().err


def test_empty_output_names(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rc, text = _fit(capsys, str(CITIZENS), "--out", "")
    assert rc == 2 and "--out" in text
    rc = campaigns_main(["plan", str(DATA / "campaigns" / "varmland_2027.yaml"), "--out", " "])
    assert rc == 2 and _files(tmp_path) == []


def test_from_statistics_output_that_is_a_folder(tmp_path, capsys):
    rc = segments_main(["from-statistics", str(DATA / "statistics" / "varmland_befolkning.csv"),
                        "--out", str(tmp_path), "--segments", str(tmp_path / "s.yaml")])
    assert rc == 2 and "--out" in capsys.readouterr().err and _files(tmp_path) == []
