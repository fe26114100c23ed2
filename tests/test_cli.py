"""The command line: readable output, exit code 2 and nothing written on refusal."""

import pandas as pd
import pytest

from segments.__main__ import main

from .conftest import DATA


def test_fit_writes_segments_and_assignments(tmp_path, capsys):
    out, assign = tmp_path / "seg.yaml", tmp_path / "assign.csv"
    rc = main(["fit", str(DATA / "citizens" / "atvidaberg_excel.csv"), "--out", str(out), "--k", "4",
               "--assign", str(assign), "--seed", "1"])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "persons" in printed and "Saved" in printed
    a = pd.read_csv(assign, dtype=str)
    assert list(a.columns) == ["respondent_id", "segment", "segment_name"]
    assert len(a) == 1500 and a["segment"].nunique() == 4
    assert out.read_text(encoding="utf-8").startswith("format: segmentset/1")


def test_refused_input_exits_2_and_writes_nothing(tmp_path, capsys, citizens):
    src = tmp_path / "in.csv"
    citizens.assign(Personnummer="19121212-1212").to_csv(src, index=False)
    out, assign = tmp_path / "seg.yaml", tmp_path / "assign.csv"
    rc = main(["fit", str(src), "--out", str(out), "--assign", str(assign), "--lang", "sv"])
    assert rc == 2
    err = capsys.readouterr().err
    assert "Personnummer" in err and "Inget har sparats" in err and "Traceback" not in err
    assert not out.exists() and not assign.exists()


@pytest.mark.slow
def test_rules_file_from_the_command_line(tmp_path, capsys):
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: Äldre seniorer\n    when:\n      ålder: {min: 80}\n", encoding="utf-8")
    out = tmp_path / "seg.yaml"
    assert main(["fit", str(DATA / "citizens" / "varmland.csv"), "--out", str(out), "--rules", str(rules)]) == 0
    assert "1. Äldre seniorer" in capsys.readouterr().out


@pytest.mark.slow
def test_a_fit_run_does_not_import_scikit_learn_or_scipy():
    """Start-up is part of every run's time: scikit-learn and SciPy cost about a second to import."""
    import subprocess
    import sys

    code = "import sys, segments.__main__; print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
