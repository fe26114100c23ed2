"""Property-based fuzzing of the two commands (Hypothesis): random bytes, random table shapes and
random option values for `segments fit`, random campaign and segment files for `campaigns plan`.

Whatever comes in, the command ends with exit code 0 or 2 (argparse's own usage errors are 2
too), raises nothing (a traceback would fail the test), writes nothing when it refuses, and
never prints a value of the input longer than 40 characters or an identity number. Example
counts are kept modest so the whole file runs in a couple of minutes.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.__main__ import main as campaigns_main
from segments.__main__ import main as segments_main

from .conftest import DATA

PNR = "19121212-1212"
LONG = "lång text " * 8  # 80 characters: no more than 40 of any value may ever be printed
HEADERS = ["kommun", "ålder", "Kommun", "age", "åldersgrupp", "kön", "hushåll", "sysselsättning", "internet",
           "har bankid", "facebook", "papper", "e-tjänster", "vikt", "löpnummer", "id", "Telefon", "Namn",
           "kommentar", "ort", "", "x", PNR, LONG, "kommun"]
VALUES = ["Kinda", "Ydre", "0512", "1763", "34", "80", "-1", "121", "1e308", "nan", "inf", "..", "", "-", "ja",
          "nej", "kvinna", "man", "familj med barn", "dagligen", "65-79", "80+", "1,5", "2", "0", PNR,
          "070-123 45 67", "anna@example.se", "Storgatan 1, 652 24 Karlstad", "Anna Andersson", LONG, "\"", "a;b",
          "R1", "1.91212121212E11"]


@st.composite
def csv_tables(draw) -> bytes:
    """Random CSV shapes: headers and values from pools that hit every parser, any separator, ragged rows."""
    sep = draw(st.sampled_from([";", ",", "\t"]))
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=7))
    rows = draw(st.lists(st.lists(st.sampled_from(VALUES), min_size=len(headers) - 1, max_size=len(headers) + 1),
                         max_size=40))
    encoding = draw(st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]))
    text = "\n".join(sep.join(r) for r in [headers, *rows]) + "\n"
    return text.encode(encoding, errors="replace")


def _numberish() -> st.SearchStrategy[str]:
    return st.one_of(st.integers(-10, 2**33).map(str), st.floats(allow_nan=True, allow_infinity=True).map(str),
                     st.sampled_from(["auto", "", "x", "1e308", "-0"]))


@st.composite
def fit_options(draw) -> list[str]:
    options: list[str] = []
    if draw(st.booleans()):
        options += ["--k", draw(st.one_of(st.integers(-2, 25).map(str), st.sampled_from(["auto", "x", "3.5"])))]
    if draw(st.booleans()):
        options += ["--min-size", draw(_numberish())]
    if draw(st.booleans()):
        options += ["--seed", draw(_numberish())]
    if draw(st.booleans()):
        options += ["--features", ",".join(draw(st.lists(st.sampled_from(HEADERS), max_size=3)))]
    return options


def _check_output(text: str, exit_code: int, folder: Path, inputs: set[str]) -> None:
    assert exit_code in (0, 2), text
    assert "Traceback" not in text
    assert LONG[:41] not in text and PNR not in text and "1.91212121212E11" not in text
    if exit_code == 2:
        assert {p.name for p in folder.iterdir()} <= inputs, "a refusal wrote something"


def _run(main, argv: list[str], cwd: Path) -> tuple[int, str]:
    """Run a command in `cwd` (so that even a relative or empty path cannot write elsewhere)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code if isinstance(exit_.code, int) else 2
    return code, out.getvalue() + err.getvalue()


FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.slow
@FUZZ
@given(content=st.one_of(csv_tables(), st.binary(max_size=400)),
       suffix=st.sampled_from([".csv", ".txt", ".xlsx", ".parquet", ".xls", ""]),
       options=fit_options(), assign=st.booleans())
def test_segments_fit_never_crashes(content, suffix, options, assign):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = folder / f"in{suffix}"
        src.write_bytes(content)
        argv = ["fit", str(src), "--out", str(folder / "s.yaml"), *options]
        argv += ["--assign", str(folder / "a.csv")] if assign else []
        code, text = _run(segments_main, argv, folder)
        _check_output(text, code, folder, {src.name})


# ---------------------------------------------------------------- campaigns plan


@pytest.fixture(scope="module")
def plan_inputs(tmp_path_factory) -> Path:
    """A small campaign (one e-service, two members, web only) and a saved segment set."""
    folder = tmp_path_factory.mktemp("plan")
    (folder / "region.yaml").write_text((DATA / "regions" / "atvidaberg.yaml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    campaign = {"key": "fuzz", "name": "Fuzz", "region": "region.yaml", "planning_start": "2027-01-11",
                "budget_sek": 20000.0, "e_services": [
                    {"key": "skolval", "name": "Skolval", "link": "https://example.se/skolval",
                     "go_live": "2027-03-16", "municipalities": ["Kinda", "Ydre"], "channels": ["web"]}]}
    (folder / "campaign.yaml").write_text(yaml.safe_dump(campaign, allow_unicode=True), encoding="utf-8")
    assert segments_main(["fit", str(DATA / "citizens" / "atvidaberg_excel.csv"), "--out",
                          str(folder / "segment.yaml"), "--k", "3"]) == 0
    return folder


YAML_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                        st.dates().map(str), st.sampled_from(["9999-12-31", "2027-02-30", "/dev/zero", ".inf", "[[["]),
                        st.lists(st.text(max_size=6), max_size=3), st.dictionaries(st.text(max_size=4),
                                                                                   st.integers(), max_size=2))


def _mutate(data, path: list[int], value):
    """Replace one node of a YAML document (chosen by the indices in `path`) with `value`."""
    if not path or not isinstance(data, (dict, list)) or not data:
        return value
    keys = list(data) if isinstance(data, dict) else list(range(len(data)))
    key = keys[path[0] % len(keys)]
    data[key] = _mutate(data[key], path[1:], value)
    return data


@pytest.mark.slow
@FUZZ
@given(kind=st.sampled_from(["campaign", "segments", "bytes"]), path=st.lists(st.integers(0, 50), max_size=4),
       value=YAML_VALUES, noise=st.binary(max_size=300),
       out=st.sampled_from(["ut", "region.yaml", "region.yaml/ut", "", "."]),
       segments_option=st.sampled_from(["segment.yaml", ".", "saknas.yaml", None]))
def test_campaigns_plan_never_crashes(plan_inputs, kind, path, value, noise, out, segments_option):
    campaign = yaml.safe_load((plan_inputs / "campaign.yaml").read_text(encoding="utf-8"))
    segments = (plan_inputs / "segment.yaml").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "region.yaml").write_bytes((plan_inputs / "region.yaml").read_bytes())
        campaign_file, segment_file = folder / "campaign.yaml", folder / "segment.yaml"
        if kind == "campaign":
            campaign = _mutate(campaign, path, value)
            campaign_file.write_text(yaml.safe_dump(campaign, allow_unicode=True), encoding="utf-8")
            segment_file.write_text(segments, encoding="utf-8")
        else:
            campaign_file.write_text(yaml.safe_dump(campaign, allow_unicode=True), encoding="utf-8")
            if kind == "segments":
                segment_file.write_text(yaml.safe_dump(_mutate(yaml.safe_load(segments), path, value),
                                                       allow_unicode=True), encoding="utf-8")
            else:
                segment_file.write_bytes(noise)
        inputs = {p.name for p in folder.iterdir()}
        argv = ["plan", str(campaign_file), "--out", str(folder / out) if out else ""]
        argv += ["--segments", str(folder / segments_option)] if segments_option else []
        code, text = _run(campaigns_main, argv, folder)
        _check_output(text, code, folder, inputs)


# ---------------------------------------------------------------- every command, every YAML reader

HUGE_NUMBERS = ["9" * 5000, "-" + "9" * 5000, "1e308", "inf", "nan", "-1", "0", "2", "4294967296", "x", ""]


@st.composite
def path_argument(draw) -> tuple[str, bytes | str | None]:
    """A path to give a command: missing, a folder, an empty file, noise, a YAML with a huge number,
    a CSV with a huge count or a 2 MB cell, or the bundled sample (None: the path is used as it is)."""
    kind = draw(st.sampled_from(["missing", "folder", "empty", "noise", "yaml_huge", "csv_huge", "csv_cell",
                                 "campaign", "statistics"]))
    content: bytes | str | None = {
        "missing": None, "folder": "folder", "empty": b"", "noise": draw(st.binary(max_size=200)),
        "yaml_huge": ("key: x\nbudget_sek: " + "9" * 5000 + "\n").encode(),
        "csv_huge": "månad;kommun;e-tjänst;antal\n2027-01;Kinda;Skolval;1e308\n".encode(),
        "csv_cell": ("region;ålder;kön;2023\nKinda;" + "x" * (1 << 21) + ";män;3\n").encode(),
        "campaign": str(DATA / "campaigns" / "atvidaberg_2027.yaml"),
        "statistics": str(DATA / "statistics" / "varmland_befolkning.csv"),
    }[kind]
    suffix = draw(st.sampled_from([".yaml", ".csv", ".xlsx", ".parquet", ""]))
    return f"in{suffix}", content


def _materialise(folder: Path, spec: tuple[str, bytes | str | None], n: int) -> str:
    name, content = spec
    path = folder / f"{n}{name}"
    if content is None:
        return str(path)
    if content == "folder":
        path.mkdir()
        return str(path)
    if isinstance(content, str):
        return content
    path.write_bytes(content)
    return str(path)


COMMANDS = {
    "segments": {
        "fit": (1, ["--out", "--assign", "--rules", "--k", "--min-size", "--seed", "--features"]),
        "sample": (0, ["--out", "--rows", "--seed"]),
        "from-statistics": (1, ["--out", "--households", "--habits", "--year", "--usage", "--campaign", "--k"]),
        "sample-statistics": (0, ["--out-dir"]),
    },
    "campaigns": {
        "plan": (1, ["--out", "--segments"]),
        "sample-usage": (1, ["--out", "--seed"]),
        "sample-answers": (1, ["--out", "-n", "--seed"]),
        "evaluate": (1, ["--out", "--usage", "--segments", "--answers"]),
        "power": (1, ["--usage", "--segments"]),
    },
}
REQUIRED = {"fit": ("--out",), "sample": ("--out",), "from-statistics": ("--out",), "plan": ("--out",),
            "sample-usage": ("--out",), "sample-answers": ("--out",), "evaluate": ("--usage", "--out")}
NUMBER_OPTIONS = {"--k", "--min-size", "--seed", "--rows", "--year", "-n"}
OUTPUTS = {"--out", "--assign", "--out-dir"}


@st.composite
def command_lines(draw) -> tuple[str, list]:
    program = draw(st.sampled_from(sorted(COMMANDS)))
    command = draw(st.sampled_from(sorted(COMMANDS[program])))
    positional, options = COMMANDS[program][command]
    argv: list = [command]
    if command == "sample":
        argv.append(draw(st.sampled_from(["varmland", "atvidaberg", "saknas"])))
    # Half the time the input is a good one, so that the options are reached and the work is done.
    good = {"fit": str(DATA / "citizens" / "atvidaberg_excel.csv"),
            "from-statistics": str(DATA / "statistics" / "varmland_befolkning.csv")}.get(
        command, str(DATA / "campaigns" / "atvidaberg_2027.yaml"))
    argv += [draw(st.one_of(st.just(("in", good)), path_argument())) for _ in range(positional)]
    required = [o for o in REQUIRED.get(command, ()) if draw(st.integers(0, 9)) > 0]  # usually present
    chosen = draw(st.lists(st.sampled_from(options), unique=True, max_size=3))
    for option in [*required, *(o for o in chosen if o not in required)]:
        if option in NUMBER_OPTIONS:
            argv += [option, draw(st.sampled_from(HUGE_NUMBERS))]
        elif option in OUTPUTS:
            argv += [option, draw(st.sampled_from(["ut.csv", "ut", ".", "", "0in.yaml/ut"]))]
        else:
            argv += [option, draw(path_argument())]
    return program, argv


@pytest.mark.slow
@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(line=command_lines())
def test_every_command_never_crashes(line):
    """Any command of either CLI with any argument shape ends in exit 0 or 2, with no traceback and
    nothing written on refusal. Outputs use small sizes; the shared database is never touched."""
    program, shape = line
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        argv = [_materialise(folder, a, i) if isinstance(a, tuple) else a for i, a in enumerate(shape)]
        if argv[0] in ("plan",):
            argv.append("--no-edits")
        if argv[0] == "sample" and "--rows" not in argv:
            argv += ["--rows", "50"]
        inputs = {p.name for p in folder.iterdir()}
        main = segments_main if program == "segments" else campaigns_main
        code, text = _run(main, argv, folder)
        assert code in (0, 2), text
        # argparse repeats a bad option as typed (the user's own argument); our messages never echo it
        assert "Traceback" not in text and ("9" * 50 not in text or "usage:" in text)
        if code == 2:
            assert {p.name for p in folder.iterdir()} <= inputs, "a refusal wrote something"


def _yaml_readers(varmland) -> dict:
    import datetime as dt

    from campaigns.campaign_files import load_campaign, load_region
    from campaigns.kit import import_kit
    from campaigns.working_state import load_state
    from segments.rules import load_rules
    from segments.segmentset import load_segment_set
    from segments.statistics.habits import parse_habits

    _, region, _ = varmland

    def from_file(load):
        def read(text: str) -> object:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "in.yaml"
                path.write_text(text, encoding="utf-8")
                return load(path)
        return read

    return {"region": from_file(load_region), "campaign": from_file(load_campaign), "rules": from_file(load_rules),
            "segments": from_file(load_segment_set), "habits": lambda t: parse_habits(t, "habits.yaml"),
            "kit": lambda t: import_kit(t, region, key="x", planning_start=dt.date(2027, 1, 4)),
            "state": lambda t: load_state(t)}


SCALARS = st.one_of(st.sampled_from(["9" * 5000, "-" + "9" * 5000, "1.0e+999", ".inf", ".nan", "0x" + "f" * 400,
                                     "[0]", "{}", "''", "null", "2027-02-30", "\"\\r=1\""]),
                    st.integers(-10**20, 10**20).map(str), st.text(max_size=8).map(lambda t: json_quote(t)))


def json_quote(text: str) -> str:
    import json

    return json.dumps(text)


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(reader=st.sampled_from(["region", "campaign", "rules", "segments", "habits", "kit", "state"]),
       keys=st.lists(st.sampled_from(["format", "key", "name", "budget_sek", "k", "version", "population",
                                      "digits", "rules", "segments", "municipalities", "dependence", "x"]),
                     min_size=1, max_size=4, unique=True),
       values=st.lists(SCALARS, min_size=4, max_size=4))
def test_every_yaml_reader_refuses_with_a_message(varmland, reader, keys, values):
    """Random documents (huge numbers, infinities, wrong types) through every YAML reader: a value
    or an InputError, never another exception."""
    from common.errors import InputError

    text = "".join(f"{k}: {v}\n" for k, v in zip(keys, values))
    if reader in ("segments", "kit", "habits"):
        text = {"segments": "format: segmentset/1\n", "kit": "format: kit/1\n", "habits": "format: habits/1\n"}[
            reader] + text
    try:
        _yaml_readers(varmland)[reader](text)  # noqa: B018 (a value is fine)
    except InputError as err:
        assert err.problems and "9" * 50 not in err.text("sv")
