"""Every command's arguments and the shared database give a located exit 2, never a traceback,
and nothing is written on refusal (issue 24)."""

from __future__ import annotations

import contextlib
import io

import pytest
import yaml

from campaigns.__main__ import main as campaigns_main
from segments.__main__ import main as segments_main

from .conftest import DATA

CAMPAIGN = str(DATA / "campaigns" / "atvidaberg_2027.yaml")


def _run(main, argv, cwd) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's usage errors name the option
            code = exit_.code if isinstance(exit_.code, int) else 2
    return code, out.getvalue() + err.getvalue()


def _files(folder) -> set[str]:
    return {p.name for p in folder.rglob("*")}


NO_FILE = None  # a table file that is missing: said without its name (a file name may be a person's)


def _located(where: str | None, text: str) -> bool:
    if where is NO_FILE:
        return "saknas" not in text and ("finns inte" in text or "does not exist" in text)
    return where in text


@pytest.mark.parametrize("argv,where", [
    (["sample-answers", "/saknas/kampanj.yaml", "--out", "a.csv"], "/saknas/kampanj.yaml"),
    (["sample-answers", CAMPAIGN, "--out", "."], "--out"),
    (["sample-answers", CAMPAIGN, "--out", "a.csv", "-n", "-5"], "-n"),
    (["sample-answers", CAMPAIGN, "--out", "a.csv", "-n", "9" * 5000], "-n"),
    (["sample-answers", CAMPAIGN, "--out", "a.csv", "--seed", "x"], "--seed"),
    (["sample-usage", "/saknas.yaml", "--out", "u.csv"], "/saknas.yaml"),
    (["sample-usage", CAMPAIGN, "--out", "u.csv", "--seed", "9" * 5000], "--seed"),
    (["power", "/saknas.yaml"], "/saknas.yaml"),
    (["power", "."], "."),
    (["power", CAMPAIGN, "--usage", "."], "."),
    (["power", CAMPAIGN, "--segments", "/saknas.yaml"], "/saknas.yaml"),
    (["evaluate", CAMPAIGN, "--usage", "/saknas.csv", "--out", "ut"], NO_FILE),
])
def test_campaign_commands_refuse_bad_arguments_with_exit_2(tmp_path, argv, where):
    code, text = _run(campaigns_main, argv, tmp_path)
    assert code == 2 and _located(where, text) and "Traceback" not in text and _files(tmp_path) == set()


@pytest.mark.parametrize("argv,where", [
    (["sample-statistics", "--out-dir", "fil.txt"], "fil.txt"),
    (["sample", "varmland", "--out", ".", "--rows", "10"], "--out"),
    (["sample", "varmland", "--out", "s.csv", "--rows", "9" * 5000], "--rows"),
    (["sample", "varmland", "--out", "s.csv", "--rows", "0"], "--rows"),
    (["from-statistics", "/saknas.csv", "--out", "c.parquet"], NO_FILE),
    (["from-statistics", str(DATA / "statistics" / "varmland_befolkning.csv"), "--out", "c.parquet",
      "--year", "9" * 5000], "--year"),
    (["from-statistics", str(DATA / "statistics" / "varmland_befolkning.csv"), "--out", "c.parquet",
      "--habits", "."], "."),
    (["fit", "/saknas.csv", "--out", "s.yaml"], NO_FILE),
    (["fit", str(DATA / "citizens" / "varmland.csv"), "--out", "s.yaml", "--seed", "9" * 5000], "--seed"),
])
def test_segment_commands_refuse_bad_arguments_with_exit_2(tmp_path, argv, where):
    if argv[0] == "sample-statistics":
        (tmp_path / "fil.txt").write_text("x", encoding="utf-8")
    before = _files(tmp_path)
    code, text = _run(segments_main, argv, tmp_path)
    assert code == 2 and _located(where, text) and "Traceback" not in text and _files(tmp_path) == before


def test_an_os_error_during_a_command_is_a_located_refusal(tmp_path, monkeypatch):
    import segments.statistics.synthetic as synthetic

    def full_disk(folder):
        raise OSError(28, "No space left on device", str(folder))

    monkeypatch.setattr(synthetic, "write_samples", full_disk)
    code, text = _run(segments_main, ["sample-statistics", "--out-dir", "ut"], tmp_path)
    assert code == 2 and "ut" in text and "No space left on device" in text and "Traceback" not in text


@pytest.mark.parametrize("url", ["postgresql+psycopg://planerare:hemligt@127.0.0.1:1/kampanj", "inte en adress"])
def test_an_unreachable_database_is_refused_before_any_work(tmp_path, monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    code, text = _run(campaigns_main, ["plan", CAMPAIGN, "--out", "ut"], tmp_path)
    assert code == 2 and "DATABASE_URL" in text and "--no-edits" in text and "Traceback" not in text
    assert "hemligt" not in text and _files(tmp_path) == set()


def test_a_member_named_like_another_members_code_is_refused_before_planning(tmp_path):
    """On main this planned, then crashed writing the drafts ('two drafts would share the file
    drafts/0513-0560/…'): Kinda named '0560' is Boxholm's code."""
    region = (DATA / "regions" / "atvidaberg.yaml").read_text(encoding="utf-8")
    (tmp_path / "region.yaml").write_text(
        region.replace("name: Kinda", 'name: "0560"').replace("sample_citizens: ../", f"sample_citizens: {DATA}/"),
        encoding="utf-8")
    campaign = yaml.safe_load((DATA / "campaigns" / "atvidaberg_2027.yaml").read_text(encoding="utf-8"))
    campaign["region"] = "region.yaml"
    for service in campaign["e_services"]:  # every member takes part, so both drafts are made
        service.update(municipalities="all", go_live=str(service.get("go_live") or "2027-05-04"))
        service.pop("local_go_live", None)
    (tmp_path / "kampanj.yaml").write_text(yaml.safe_dump(campaign, allow_unicode=True), encoding="utf-8")
    code, text = _run(campaigns_main, ["plan", "kampanj.yaml", "--out", "ut", "--no-edits"], tmp_path)
    assert code == 2 and "region.yaml" in text and "Traceback" not in text and not (tmp_path / "ut").exists()
