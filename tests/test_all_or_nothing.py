"""Each command's output appears whole or not at all (issue #11): a run that fails or is killed
leaves the previous complete set, a re-run removes what it no longer writes, nothing partial or
hidden is left behind, and a folder with other files is never overwritten."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from campaigns.__main__ import main as campaigns_main
from common.outputs import MANIFEST, manifest_files, output_files, output_folder
from segments.__main__ import main as segments_main

from .conftest import DATA

CAMPAIGN = DATA / "campaigns" / "atvidaberg_2027.yaml"
CITIZENS = DATA / "citizens" / "atvidaberg_excel.csv"


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _complete(folder: Path) -> bool:
    """Every file the manifest lists is there with its checksum, and nothing else is."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    on_disk = _snapshot(folder)
    on_disk.pop(MANIFEST)
    return listed == on_disk


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _one_service_campaign(tmp_path: Path) -> Path:
    """The campaign with only its synpunkter service (which has flyers: a PDF is drawn mid-run)."""
    full = CAMPAIGN.read_text(encoding="utf-8")
    head, services = full.split("e_services:\n", 1)
    text = head + "e_services:\n- key: synpunkter" + services.split("- key: synpunkter", 1)[1]
    path = tmp_path / "one.yaml"
    path.write_text(text.replace("region: atvidaberg", f"region: {DATA / 'regions' / 'atvidaberg.yaml'}"),
                    encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_rerun_removes_what_it_no_longer_writes(tmp_path):
    out = tmp_path / "plan"
    assert campaigns_main(["plan", str(CAMPAIGN), "--out", str(out)]) == 0
    assert (out / "drafts" / "0561-atvidaberg" / "skolval").is_dir() and _complete(out)
    assert campaigns_main(["plan", str(_one_service_campaign(tmp_path)), "--out", str(out)]) == 0
    assert _complete(out) and not (out / "drafts" / "0561-atvidaberg" / "skolval").exists()
    assert set(manifest_files(out)) == set(_snapshot(out)) - {MANIFEST}
    assert _hidden(tmp_path) == []


@pytest.mark.slow
def test_a_failed_run_leaves_the_previous_complete_set(tmp_path, monkeypatch):
    out = tmp_path / "plan"
    assert campaigns_main(["plan", str(CAMPAIGN), "--out", str(out)]) == 0
    before = _snapshot(out)
    import campaigns.plan_output as plan_output

    def broken_pdf(draft):
        raise OSError("disk full")

    monkeypatch.setattr(plan_output, "flyer_pdf", broken_pdf)  # the workers are forked: they have it too
    # the command's refusal (exit 2, "Nothing was written"), never a traceback
    assert campaigns_main(["plan", str(_one_service_campaign(tmp_path)), "--out", str(out), "--pdf"]) == 2
    assert _snapshot(out) == before and _hidden(tmp_path) == []


@pytest.mark.slow
def test_a_folder_with_other_files_is_refused_and_kept(tmp_path, capsys):
    out = tmp_path / "mina dokument"
    out.mkdir()
    (out / "anteckningar.txt").write_text("viktigt", encoding="utf-8")
    assert campaigns_main(["plan", str(CAMPAIGN), "--out", str(out), "--lang", "sv"]) == 2
    err = capsys.readouterr().err
    assert "inte har skrivit" in err and "Inget har sparats" in err
    assert [p.name for p in out.iterdir()] == ["anteckningar.txt"] and _hidden(tmp_path) == []


def test_fit_writes_segments_and_assignments_together_or_not_at_all(tmp_path, monkeypatch):
    seg, assign = tmp_path / "seg.yaml", tmp_path / "assign.csv"
    seg.write_text("old segments\n", encoding="utf-8")
    assign.write_text("old assignments\n", encoding="utf-8")
    import segments.__main__ as cli

    def half_then_fail(path, *args):
        Path(path).write_text("respondent_id,segment\nR1,1\n", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(cli, "write_assignments", half_then_fail)
    # the command's refusal (exit 2, "Nothing was written"), never a traceback
    assert segments_main(["fit", str(CITIZENS), "--out", str(seg), "--assign", str(assign), "--k", "3"]) == 2
    assert seg.read_text(encoding="utf-8") == "old segments\n"
    assert assign.read_text(encoding="utf-8") == "old assignments\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["assign.csv", "seg.yaml"]


# ---------------------------------------------------------------- killed runs (real processes)

_CHILD = '''
import sys, time, pathlib
marker = pathlib.Path(sys.argv[1])
if sys.argv[2] == "plan":
    import campaigns.__main__ as cli
    import campaigns.plan_output as plan_output
    def stuck_pdf(draft):  # the calendars and some drafts are written by now (in a forked worker)
        marker.touch()
        time.sleep(120)
    plan_output.flyer_pdf = stuck_pdf
    sys.exit(cli.main(sys.argv[2:] + ["--pdf"]))
import segments.__main__ as cli
def stuck_assignments(path, *args):  # half of a file with respondent ids
    with open(path, "w") as fh:
        fh.write("respondent_id,segment\\n" + "R0001,1\\n" * 50000)
        fh.flush()
        marker.touch()
        time.sleep(120)
cli.write_assignments = stuck_assignments
sys.exit(cli.main(sys.argv[2:]))
'''


def _run_and_kill(tmp_path: Path, args: list[str], sig: int) -> int:
    script, marker = tmp_path / "child.py", tmp_path / "marker"
    script.write_text(_CHILD, encoding="utf-8")
    marker.unlink(missing_ok=True)
    child = subprocess.Popen([sys.executable, str(script), str(marker), *args], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not marker.exists():
        assert child.poll() is None and time.time() < deadline, "the child ended before it was stopped"
        time.sleep(0.1)
    child.send_signal(sig)
    return child.wait(timeout=60)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["kill", "kill-9"])
def test_a_killed_plan_leaves_the_previous_complete_set(tmp_path, sig):
    work = tmp_path / "work"
    work.mkdir()
    out = work / "plan"
    assert campaigns_main(["plan", str(CAMPAIGN), "--out", str(out)]) == 0
    before = _snapshot(out)
    _run_and_kill(tmp_path, ["plan", str(_one_service_campaign(tmp_path)), "--out", str(out)], sig)
    assert _snapshot(out) == before and _complete(out)
    if sig == signal.SIGTERM:
        assert _hidden(work) == []  # cleaned up at once
    else:
        assert _hidden(work)  # kill -9 gives no chance to clean up: the staging folder is still there …
    assert campaigns_main(["plan", str(CAMPAIGN), "--out", str(out)]) == 0
    assert _hidden(work) == [] and _complete(out)  # … until the next run removes it


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["kill", "kill-9"])
def test_a_killed_fit_leaves_the_old_files_and_no_partial_assignments(tmp_path, sig):
    work = tmp_path / "work"
    work.mkdir()
    seg, assign = work / "seg.yaml", work / "assign.csv"
    seg.write_text("old segments\n", encoding="utf-8")
    assign.write_text("old assignments\n", encoding="utf-8")
    _run_and_kill(tmp_path, ["fit", str(CITIZENS), "--out", str(seg), "--assign", str(assign), "--k", "3"], sig)
    assert seg.read_text(encoding="utf-8") == "old segments\n"
    assert assign.read_text(encoding="utf-8") == "old assignments\n"
    assert sorted(p.name for p in work.iterdir()) == ["assign.csv", "seg.yaml"]  # no hidden partial file


def test_output_helpers_use_ordinary_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        with output_files(tmp_path / "a.csv") as (a,):
            a.write_text("x\n", encoding="utf-8")
        with output_folder(tmp_path / "set", command="test") as staging:
            (staging / "b.txt").write_text("y", encoding="utf-8")
    finally:
        os.umask(umask)
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "set" / "b.txt").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "set").stat().st_mode & 0o777 == 0o755


def test_fit_refuses_a_folder_as_output_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "assign.csv").mkdir()
    seg = tmp_path / "seg.yaml"
    rc = segments_main(["fit", str(CITIZENS), "--out", str(seg), "--assign", str(tmp_path / "assign.csv"),
                        "--k", "3", "--lang", "sv"])
    assert rc == 2 and "mapp" in capsys.readouterr().err and not seg.exists()
