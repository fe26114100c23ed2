"""The gate every table passes: personal data refused anywhere, labels only from their lists,
and nothing a user typed in a label column ever quoted or passed on."""

from __future__ import annotations

import pytest

from campaigns.campaign_files import load_campaign
from campaigns.usage import load_usage
from common.catalogue import render
from common.errors import InputError
from common.gate import Contract, gate_table, municipality_label, number_label, one_of
from common.table_files import read_raw

from .conftest import DATA

PNR = "570428-9999"
NAME = "Anna Andersson"


@pytest.fixture(scope="module")
def varmland_defs():
    campaign, region = load_campaign(DATA / "campaigns" / "varmland_2027.yaml")
    return campaign, region


def _texts(error: InputError) -> str:
    return error.text("sv") + error.text("en") + repr(error.problems)


CONTRACT = Contract(
    {"municipality": ("kommun",), "channel": ("kanal",), "segment": ("segment",), "uses": ("antal",)},
    {"municipality": municipality_label(), "channel": one_of("channel", {"web": "web", "Facebook": "facebook"},
                                                               blank=""),
     "segment": number_label("segment", -1, 99, blank="-1")},
)


def test_labels_come_out_canonical() -> None:
    raw = read_raw(b"kommun;kanal;segment;antal\nKarlstads kommun;facebook;2;5\n0512;;;3\nfalun;WEB;-1;1\n", "u.csv")
    gated = gate_table(raw, CONTRACT)
    assert gated.frame["municipality"].tolist() == ["1780", "0512", "2080"]
    assert gated.frame["channel"].tolist() == ["facebook", "", "web"]
    assert gated.frame["segment"].tolist() == ["2", "-1", "-1"]
    assert gated.rows.tolist() == [2, 3, 4]


@pytest.mark.parametrize(("column", "value", "code"), [
    ("kommun", NAME, "gate.unknown_label"),
    ("kommun", "Gotham", "gate.unknown_label"),
    ("kanal", NAME, "gate.unknown_label"),
    ("kanal", "tv-reklam", "gate.unknown_label"),
    ("segment", "Anna", "gate.unknown_label"),
    ("kommun", PNR, "personal_data"),
    ("kanal", "570428–9999", "personal_data"),
    ("segment", "1957-04-28-9999", "personal_data"),
])
def test_a_bad_label_is_refused_with_its_row_and_never_quoted(column: str, value: str, code: str) -> None:
    cells = {"kommun": "Kil", "kanal": "web", "segment": "1", "antal": "4"}
    good = ";".join(cells.values())
    cells[column] = value
    text = "kommun;kanal;segment;antal\n" + good + "\n" + ";".join(cells.values()) + "\n"
    with pytest.raises(InputError) as info:
        gate_table(read_raw(text.encode(), "u.csv"), CONTRACT)
    assert info.value.codes == {code}
    assert info.value.problems[0].rows == (3,)
    assert value not in _texts(info.value) and "Anna" not in _texts(info.value)


def test_the_app_drops_rows_with_unknown_labels_and_says_which() -> None:
    raw = read_raw(f"kommun;kanal;segment;antal\nKil;web;1;4\n{NAME};web;1;5\nKil;web;1;6\n".encode(), "u.csv")
    gated = gate_table(raw, CONTRACT, drop=True)
    assert gated.rows.tolist() == [2, 4]
    assert gated.frame["uses"].tolist() == ["4", "6"]
    shown = " ".join(render(n, "sv") for n in gated.notices)
    assert "Rad 3" in shown and "Anna" not in shown


def test_a_personal_extra_column_is_refused_and_dropped_by_the_app() -> None:
    raw = read_raw(f"kommun;antal;anteckning\nKil;4;ok\nKil;5;{PNR}\n".encode(), "u.csv")
    with pytest.raises(InputError) as info:
        gate_table(raw, CONTRACT)
    assert info.value.codes == {"personal_data"} and PNR not in _texts(info.value)


# ---------------------------------------------------------------- usage statistics (issue #24)

@pytest.mark.parametrize(("column", "value"), [
    ("kanal", PNR), ("kanal", NAME), ("segment", PNR), ("segment", NAME), ("kommun", PNR), ("kommun", NAME),
    ("kanal", "570428–9999"), ("kommun", "Karlstad Anna"),
])
def test_usage_statistics_never_carry_a_person_into_the_estimates(varmland_defs, column, value) -> None:
    campaign, region = varmland_defs
    cells = {"månad": "2027-03", "kommun": "Kil", "e-tjänst": "Boka vigsel", "kanal": "web", "segment": "1",
             "antal": "4"}
    header = ";".join(cells)
    good = ";".join(cells.values())
    cells[column] = value
    text = f"{header}\n{good}\n{';'.join(cells.values())}\n"
    with pytest.raises(InputError) as info:
        load_usage(text.encode(), "u.csv", region, campaign)
    assert value not in _texts(info.value)
    assert any(p.rows == (3,) for p in info.value.problems)


def test_usage_channels_are_the_regions_keys(varmland_defs) -> None:
    campaign, region = varmland_defs
    text = "månad;kommun;e-tjänst;kanal;antal\n2027-03;Kil;Boka vigsel;Facebook;4\n2027-03;1715;vigsel;;2\n"
    usage = load_usage(text.encode(), "u.csv", region, campaign)
    assert usage.frame["channel"].tolist() == ["facebook", ""]
    assert usage.frame["municipality"].tolist() == ["1715", "1715"]


@pytest.mark.parametrize("path", sorted((DATA / "usage").glob("*.csv")), ids=lambda p: p.stem)
def test_the_bundled_usage_files_pass_the_gate(path) -> None:
    campaign, region = load_campaign(DATA / "campaigns" / f"{path.stem}.yaml")
    assert len(load_usage(path, None, region, campaign).frame) > 100


# ---------------------------------------------------------------- citizen files (issue #24)

def _citizens(kommun: list[str], extra: list[str] | None = None) -> bytes:
    import pandas as pd

    df = pd.DataFrame({"kommun": kommun, "ålder": [30 + i % 40 for i in range(len(kommun))]})
    if extra is not None:
        df["boende"] = extra
    return df.to_csv(index=False, sep=";").encode()


@pytest.mark.parametrize("value", [NAME, "Karlstad Anna", "Gotham", "0999"])
@pytest.mark.parametrize("drop", [False, True])
def test_a_name_in_the_kommun_column_never_becomes_a_municipality(value, drop) -> None:
    from segments.io import load_citizens

    kommun = ["Kil"] * 30 + [value] + ["Karlstad"] * 30
    with pytest.raises(InputError) as info:
        load_citizens(_citizens(kommun), "c.csv", drop_personal=drop)
    assert value not in _texts(info.value) and any(32 in p.rows for p in info.value.problems)


def test_kommun_names_and_codes_in_any_spelling_become_names() -> None:
    from segments.io import load_citizens

    res = load_citizens(_citizens(["Kils kommun", "1780", "falun", "KARLSTAD"] * 10), "c.csv")
    assert set(res.table["municipality"]) == {"Kil", "Karlstad", "Falun"}


@pytest.mark.parametrize("value", [NAME, "ringde och ville veta mer om tjänsten", "x" * 41])
def test_free_text_in_a_feature_column_never_reaches_the_segment_set(value) -> None:
    from segments.io import load_citizens

    extra = ["villa", "lägenhet"] * 20 + [value]
    with pytest.raises(InputError) as info:
        load_citizens(_citizens(["Kil"] * 41, extra), "c.csv", features=("boende",))
    assert info.value.codes == {"gate.feature_free_text"}
    assert value not in _texts(info.value) and info.value.problems[0].rows == (42,)


# ---------------------------------------------------------------- SCB exports (issue #24)

def _scb(region: str = "1715 Kil", title: str = "Folkmängden efter region, ålder, kön och år",
         extra: tuple[str, str] | None = None) -> bytes:
    head = '"region";"ålder";"kön";' + (f'"{extra[0]}";' if extra else "") + '"2023"'
    lines = [f'"{title}"', "", head]
    for r in ("1780 Karlstad", region):
        for age in ("0-4 år", "5-9 år"):
            for sex in ("män", "kvinnor"):
                lines.append(f'"{r}";"{age}";"{sex}";' + (f'"{extra[1]}";' if extra else "") + "100")
    return "\n".join(lines).encode()


def test_an_scb_export_of_municipalities_is_read() -> None:
    from segments.statistics import read_population

    table = read_population(_scb(), "bef.csv")
    assert set(table.frame["municipality"]) == {"Karlstad", "Kil"}


@pytest.mark.parametrize("region", [f"{NAME} {PNR}", NAME, "1715 Anna", "9999 Kil", "17 Anna Andersson",
                                    "Gotham"])
def test_an_scb_region_that_is_no_municipality_is_refused_unquoted(region) -> None:
    from segments.statistics import read_population

    with pytest.raises(InputError) as info:
        read_population(_scb(region), "bef.csv")
    assert "Anna" not in _texts(info.value) and "Gotham" not in _texts(info.value)
    assert any(p.rows and min(p.rows) == 8 for p in info.value.problems)


def test_a_one_value_column_is_not_echoed_and_a_personal_one_is_refused() -> None:
    from segments.statistics import read_population

    table = read_population(_scb(extra=("enhet", "antal personer")), "bef.csv")
    shown = " ".join(render(n, "sv") for n in table.notices)
    assert "enhet" in shown and "antal personer" not in shown
    with pytest.raises(InputError) as info:
        read_population(_scb(extra=("uppgiftslämnare", PNR)), "bef.csv")
    assert info.value.codes == {"personal_data"} and PNR not in _texts(info.value)


@pytest.mark.parametrize("title", [f"Folkmängd, sammanställd av {PNR}", "Kontakt: namn(at)example.se"])
def test_a_title_line_with_personal_data_is_refused(title) -> None:
    from segments.statistics import read_population

    with pytest.raises(InputError) as info:
        read_population(_scb(title=title), "bef.csv")
    assert info.value.codes == {"gate.personal_title"}
    assert PNR not in _texts(info.value) and "example" not in _texts(info.value)


# ---------------------------------------------------------------- survey answers (issue #24, #27)

@pytest.mark.parametrize(("header", "value", "code"), [
    ("kanal", NAME, "gate.unknown_label"), ("kommun", "Gotham", "gate.unknown_label"),
    ("segment", "570428–9999", "survey.personal_data"), ("anteckning", "namn(at)example.se", "survey.personal_data"),
    ("heard_from", "Ring 070.123.45.67", "survey.personal_data"),
])
def test_survey_answers_pass_the_same_gate(varmland_plan, varmland, header, value, code) -> None:
    from campaigns.survey_answers import load_survey_answers

    _, _, ss = varmland
    cells = {"kommun": "Kil", "segment": "", "kanal": "", "anteckning": "", "heard_from": "Webben"}
    good = ";".join(cells.values())
    cells[header] = value
    text = ";".join(cells) + "\n" + good + "\n" + ";".join(cells.values()) + "\n"
    with pytest.raises(InputError) as info:
        load_survey_answers(text.encode(), "svar.csv", varmland_plan, ss)
    assert code in info.value.codes and value not in _texts(info.value)
    assert any(p.rows == (3,) for p in info.value.problems)


@pytest.mark.parametrize("code", ["1957-04-28-9999", "570428–9999", "57.04.28-9999", "570428/9999"])
def test_a_respondent_code_shaped_like_an_identity_number_never_reaches_assign(code) -> None:
    import pandas as pd

    from segments.io import load_citizens

    ids = [f"R{i:04d}" for i in range(40)] + [code]
    df = pd.DataFrame({"löpnummer": ids, "kommun": ["Kil"] * 41, "ålder": [30 + i for i in range(41)]})
    data = df.to_csv(index=False, sep=";").encode()
    with pytest.raises(InputError) as info:
        load_citizens(data, "c.csv")
    assert info.value.codes == {"personal_data"} and info.value.problems[0].rows == (42,)
    kept = load_citizens(data, "c.csv", drop_personal=True)
    assert "respondent_id" not in kept.table  # numbered by row instead


# ---------------------------------------------------------------- file names and YAML labels (issue #24)

FILE = "Anna 570428-9999.csv"


def test_an_upload_is_known_by_a_neutral_label_never_its_file_name() -> None:
    from common.uploads import label_problem, neutral_name

    data = b"kommun;alder\nKil;40\n"
    label = neutral_name(FILE, data)
    assert label == neutral_name("other.csv", data) and label.endswith(".csv") and "Anna" not in label
    assert "9999" not in label.split("-", 1)[1][:8] or label.startswith("fil-")
    assert neutral_name("x.exe", data).endswith(label[4:12])  # an unknown suffix is dropped
    assert label_problem("Enkät hösten 2026") is None
    assert {label_problem(x) for x in (FILE, NAME, "namn(at)example.se")} == {"personal"}
    assert label_problem("") == "empty" and label_problem("x" * 41) == "too_long"


@pytest.mark.parametrize("reader", ["citizens", "usage", "population"])
def test_refusals_say_the_file_and_never_its_name(tmp_path, varmland_defs, reader) -> None:
    from common.limits import Limits
    from segments.io import load_citizens
    from segments.statistics import read_population

    path = tmp_path / FILE
    campaign, region = varmland_defs
    with pytest.raises(InputError) as info:
        if reader == "citizens":
            path.write_text("kommun;ålder;a;b;c;d\n" + "Kil;40;1;2;3;4\n", encoding="utf-8")
            load_citizens(path, limits=Limits(max_columns=5))
        elif reader == "usage":
            path.write_bytes(b"\x00\x01garbage")
            load_usage(path, None, region, campaign)
        else:
            path.write_text("nothing here\n", encoding="utf-8")
            read_population(path)
    assert "Anna" not in _texts(info.value) and "9999" not in _texts(info.value)


@pytest.mark.parametrize(("where", "text"), [
    ("channels", "  channels: [web, Anna Andersson]\n"),
    ("municipalities", "  municipalities: [Karlstad, 570428-9999]\n"),
])
def test_campaign_labels_from_yaml_are_located_not_echoed(tmp_path, where, text) -> None:
    base = (DATA / "campaigns" / "varmland_2027.yaml").read_text(encoding="utf-8")
    first = base.index("  go_live:")
    (tmp_path / "regions").mkdir()
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "regions" / "varmland.yaml").write_bytes((DATA / "regions" / "varmland.yaml").read_bytes())
    path = tmp_path / "campaigns" / "kampanj.yaml"
    path.write_text(base[:first] + text + base[first:], encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_campaign(path)
    assert "Anna" not in _texts(info.value) and "570428" not in _texts(info.value)
    assert where in info.value.text("en")


def test_rule_keys_and_kit_template_paths_are_not_echoed() -> None:
    from segments.rules import parse_rules

    with pytest.raises(InputError) as info:
        parse_rules({"rules": [{"name": "x", "when": {NAME: 1}}]})
    assert "Anna" not in _texts(info.value)


# ---------------------------------------------------------------- the public test numbers, every door

def _public_numbers() -> list[str]:
    import json

    folder = DATA.parent / "tests" / "data" / "personnummer"  # the personnummer project's test data (MIT)
    entries = [e for f in ("list.json", "interim.json") for e in json.loads((folder / f).read_text("utf-8"))]
    out = []
    for e in entries:
        if not e["valid"]:
            continue
        sep = e["separated_format"]
        out += [sep, sep.replace("-", "–").replace("+", "–"), sep.replace("-", "/").replace("+", "/"),
                e["separated_long"], f"{e['long_format'][:4]}-{e['long_format'][4:6]}-{e['long_format'][6:8]}-"
                f"{e['long_format'][8:]}"]
    return list(dict.fromkeys(out))


@pytest.mark.parametrize("door", ["usage.kanal", "usage.kommun", "survey.segment", "citizens.kommun",
                                  "citizens.feature", "scb.region"])
def test_every_public_test_number_in_every_shape_is_stopped_at_every_door(varmland_plan, varmland, door) -> None:
    from campaigns.survey_answers import load_survey_answers
    from segments.io import load_citizens
    from segments.statistics import read_population

    numbers = _public_numbers()
    assert len(numbers) > 60
    campaign, region, ss = varmland
    n = len(numbers)
    with pytest.raises(InputError) as info:
        if door.startswith("usage"):
            rows = [f"2027-03;{x if door.endswith('kommun') else 'Kil'};vigsel;{x if door.endswith('kanal') else ''};1"
                    for x in numbers]
            load_usage(("månad;kommun;e-tjänst;kanal;antal\n" + "\n".join(rows)).encode(), "u.csv", region, campaign)
        elif door == "survey.segment":
            rows = [f"Kil;{x};Webben" for x in numbers]
            load_survey_answers(("kommun;segment;heard_from\n" + "\n".join(rows)).encode(), "s.csv", varmland_plan, ss)
        elif door == "citizens.kommun":
            load_citizens(_citizens(numbers), "c.csv")
        elif door == "citizens.feature":
            load_citizens(_citizens(["Kil"] * n, numbers), "c.csv", features=("boende",))
        else:
            rows = [f'"{x}";"0-4 år";"män";100' for x in numbers]
            read_population(("\n".join(['"region";"ålder";"kön";"2023"', '"1715 Kil";"0-4 år";"män";5', *rows])
                             ).encode(), "b.csv")
    shown = _texts(info.value)
    assert not any(x in shown for x in numbers)
    assert max(p.row_count for p in info.value.problems) == n


def test_a_file_name_saved_in_an_old_working_state_is_not_shown_again() -> None:
    from campaigns.working_state import DataChoice

    assert DataChoice(source="upload", file=FILE, digest="ab").file == "fil"
    assert DataChoice(source="upload", file="fil-3f2a9c1b.csv", digest="ab").file == "fil-3f2a9c1b.csv"


# ---------------------------------------------------------------- the command line: exit 2, nothing written

@pytest.mark.parametrize(("column", "value"), [("kanal", PNR), ("kanal", NAME), ("segment", "570428–9999"),
                                               ("kommun", NAME)])
def test_evaluate_refuses_a_person_in_usage_labels_and_writes_nothing(tmp_path, capsys, column, value) -> None:
    from campaigns.__main__ import main

    usage = (DATA / "usage" / "atvidaberg_2027.csv").read_text(encoding="utf-8-sig").splitlines()
    header = usage[0].split(";")
    cells = usage[5].split(";")
    cells[header.index(column)] = value
    path = tmp_path / FILE
    path.write_text("\n".join([*usage, ";".join(cells)]) + "\n", encoding="utf-8")
    out = tmp_path / "ut"
    rc = main(["evaluate", str(DATA / "campaigns" / "atvidaberg_2027.yaml"), "--usage", str(path),
               "--out", str(out)])
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert rc == 2 and not out.exists() and "Traceback" not in shown
    assert value not in shown and "Anna" not in shown and "9999" not in shown
    assert f"rad {len(usage) + 1}" in shown


def test_habit_overrides_name_only_official_municipalities() -> None:
    import yaml

    from segments.statistics import load_habits, parse_habits

    data = load_habits().model_dump(mode="json")
    band = data["bands"][0]["ages"]
    data["municipalities"] = {NAME: {"source": "egen enkät 2026", "bands": [{"ages": band}]}}
    with pytest.raises(InputError) as info:
        parse_habits(yaml.safe_dump({"format": "habits/1", **data}, allow_unicode=True))
    assert "Anna" not in _texts(info.value)
    data["municipalities"] = {"Kils kommun": {"source": "egen enkät 2026", "bands": [{"ages": band}]}}
    assert list(parse_habits(yaml.safe_dump({"format": "habits/1", **data}, allow_unicode=True)).municipalities)


def test_a_personnummer_typed_into_a_campaign_field_is_not_quoted(tmp_path) -> None:
    base = (DATA / "campaigns" / "varmland_2027.yaml").read_text(encoding="utf-8")
    (tmp_path / "regions").mkdir()
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "regions" / "varmland.yaml").write_bytes((DATA / "regions" / "varmland.yaml").read_bytes())
    path = tmp_path / "campaigns" / "kampanj.yaml"
    path.write_text(base.replace("planning_start: ", f"planning_start: '{PNR}'\n_was: ", 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_campaign(path)
    assert PNR not in _texts(info.value)


def test_a_survey_segment_not_in_the_current_set_is_read_as_unknown_not_kept(varmland_plan, varmland) -> None:
    from campaigns.survey_answers import load_survey_answers

    _, _, ss = varmland
    text = f"kommun;segment;heard_from\nKil;{NAME};Webben\nKil;1;Webben\n"
    answers = load_survey_answers(text.encode(), "s.csv", varmland_plan, ss)
    assert answers.frame["segment"].tolist() == [-1, 1]
    assert NAME not in repr(answers)


@pytest.mark.parametrize(("code", "name"), [("1715", NAME), ("9999", "Kil"), ("1715", "Karlstad")])
def test_a_region_member_must_be_an_official_municipality(tmp_path, code, name) -> None:
    from campaigns.campaign_files import load_region

    text = (DATA / "regions" / "varmland.yaml").read_text(encoding="utf-8")
    text = text.replace("- code: '1715'\n  name: Kil\n", f"- code: '{code}'\n  name: {name}\n")
    assert f"code: '{code}'\n  name: {name}\n" in text
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_region(path)
    assert "not_official" in repr(info.value.problems) and "Anna" not in info.value.text("sv")


def test_a_segment_set_file_cannot_bring_a_person_in_as_a_municipality(varmland) -> None:
    from segments.segmentset import SegmentSet

    _, _, ss = varmland
    text = ss.to_yaml()
    assert SegmentSet.from_yaml(text).municipalities == ss.municipalities
    bad = text.replace(f"- {ss.municipalities[0]}\n", f"- {NAME}\n", 1)
    assert bad != text
    with pytest.raises(InputError) as info:
        SegmentSet.from_yaml(bad)
    assert "Anna" not in _texts(info.value) and "municipalities" in info.value.text("en")


def test_a_key_a_yaml_file_wrote_is_not_echoed_when_it_is_personal_data(tmp_path):
    """An unknown field named like a person's identity number is located without being quoted."""
    text = (DATA / "campaigns" / "varmland_2027.yaml").read_text(encoding="utf-8")
    region = DATA / "regions" / "varmland.yaml"
    path = tmp_path / "kampanj.yaml"
    path.write_text(text.replace("region: varmland", f"region: {region}") + "570428-9999: ja\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_campaign(path)
    shown = info.value.text("sv") + " ".join(p.where or "" for p in info.value.problems)
    assert "570428" not in shown and "…" in shown
