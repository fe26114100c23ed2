"""The working state: a document that round-trips, changes worded per field, a merge that keeps
both editors' work, names that follow segments across a refit, data that must fit the region."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.campaign_files import load_campaign
from campaigns.data_fit import best_match, check_fit, data_fit
from campaigns.refit import carry_over
from campaigns.store import merge_documents
from campaigns.working_state import (
    DataChoice,
    Segmentation,
    WorkingState,
    changes,
    compare,
    dump_state,
    load_state,
    merge,
)
from common.catalogue import render
from common.errors import InputError
from segments.clustering import fit_segments
from segments.io import load_citizens
from segments.rules import parse_rules

from .conftest import DATA

BASE = WorkingState(campaign="varmland_2027", budget_sek=200_000)


def _full() -> WorkingState:
    return BASE.with_(
        data=DataChoice(source="upload", file="enkät.csv", digest="ab12", column_map={"Ort": "municipality"},
                        municipalities=["Kil", "1780"]),
        segmentation=Segmentation(k=4, min_size=50, rules=[{"name": "Äldre seniorer", "when": {"age": {"min": 80}}}]),
        segments="d1", names={2: "Vardagsdigitala"}, budget_sek=None,
        moves={"varmland_2027:vigsel:1780:publish:0:facebook:2": dt.date(2027, 3, 18)})


def test_the_document_round_trips_exactly():
    state = _full()
    text = dump_state(state)
    assert load_state(text) == state and dump_state(load_state(text)) == text
    assert "budget_sek: null" in text  # "no limit" is kept as an explicit null


def test_a_broken_document_is_refused_with_the_field_named():
    with pytest.raises(InputError) as info:
        load_state("format: working-state/1\ncampaign: x\nbudget_sek: -5\n", "edits/x")
    assert "budget_sek" in info.value.text("sv")


@pytest.mark.parametrize("lang,expected", [("sv", "Budget: 200 000 kr → 180 000 kr"),
                                           ("en", "Budget: 200,000 SEK → 180,000 SEK")])
def test_a_change_is_worded_field_by_field(lang, expected):
    diff = changes(BASE, BASE.with_(budget_sek=180_000))
    assert [c.field for c in diff] == ["budget_sek"]
    assert render(diff[0].message(), lang).replace("\xa0", " ") == expected


def test_no_limit_and_a_moved_activity_read_plainly():
    after = BASE.with_(budget_sek=None, moves={"a:b:1780:publish:0:web:-": dt.date(2027, 3, 18)})
    texts = [render(c.message(), "sv") for c in changes(BASE, after)]
    assert "Budget: 200\xa0000 kr → ingen gräns" in texts
    assert "planerat datum → 18 mars 2027" in texts[1]


def test_both_editors_changes_are_kept_when_they_changed_different_fields():
    theirs = BASE.with_(budget_sek=180_000)
    yours = BASE.with_(names={1: "Seniorer"}, moves={"m": dt.date(2027, 4, 1)})
    merged = merge(BASE, theirs, yours)
    assert merged.budget_sek == 180_000 and merged.names == {1: "Seniorer"}
    assert merged.moves == {"m": dt.date(2027, 4, 1)}
    assert not any(c.clash for c in compare(BASE, theirs, yours))


def test_a_field_both_changed_needs_a_choice_and_the_choice_is_kept():
    theirs, yours = BASE.with_(budget_sek=180_000), BASE.with_(budget_sek=150_000, names={1: "X"})
    [clash] = [c for c in compare(BASE, theirs, yours) if c.clash]
    assert clash.field == "budget_sek" and clash.default is None
    with pytest.raises(ValueError):
        merge(BASE, theirs, yours)
    assert merge(BASE, theirs, yours, {"budget_sek": "yours"}).budget_sek == 150_000
    picked = merge(BASE, theirs, yours, {"budget_sek": "theirs", "names.1": "theirs"})
    assert picked.budget_sek == 180_000 and picked.names == {}  # a one-sided change can be declined too


def test_the_generic_yaml_merge_keeps_an_explicit_null():
    base = "budget_sek: 200000\nname: X\n"
    merged, clashes = merge_documents(base, "budget_sek: null\nname: X\n", "budget_sek: 200000\nname: Y\n")
    assert clashes == [] and "budget_sek: null" in merged and "name: Y" in merged
    removed, _ = merge_documents("a: 1\nb: 2\n", "a: 1\n", "a: 1\nb: 2\n")
    assert "b:" not in removed  # a key one side removed is still removed


@pytest.fixture(scope="module")
def sample_table():
    return load_citizens(DATA / "citizens" / "varmland.csv").table


def test_names_and_moves_follow_the_segments_across_a_refit(sample_table):
    six = fit_segments(sample_table, 6, min_size=30, seed=0).segment_set
    three = fit_segments(sample_table, 3, min_size=30, seed=0).segment_set
    seniors = next(s.id for s in six.segments if s.name.startswith("Seniorer"))
    students = next(s.id for s in six.segments if s.name.startswith("Studerande"))
    names = {seniors: "Våra seniorer", students: "Studenterna"}
    moves = {f"k:vigsel:1780:publish:0:facebook:{seniors}": dt.date(2027, 3, 18),
             f"k:vigsel:1780:publish:0:web:{students}": dt.date(2027, 3, 18),
             "k:vigsel:1780:go_live:-:-:-": dt.date(2027, 3, 1)}
    carried = carry_over(six, three, names, moves)
    target = next(s.id for s in three.segments if s.name.startswith("Seniorer"))
    assert carried.names == {target: "Våra seniorer"}  # followed its group (to whatever id it has at k=3)
    assert f"k:vigsel:1780:publish:0:facebook:{target}" in carried.moves
    assert "k:vigsel:1780:go_live:-:-:-" in carried.moves  # not a segment's activity: unchanged
    assert carried.lost_names == ("Studenterna",) and carried.lost_moves == 1  # gone at k=3: said, not moved


def test_a_rule_segment_keeps_its_name_when_k_changes(sample_table):
    rule = tuple(parse_rules({"rules": [{"name": "Äldre seniorer", "when": {"age": {"min": 80}}}]}))
    before = fit_segments(sample_table, 3, min_size=30, seed=0, rules=rule).segment_set
    after = fit_segments(sample_table, 5, min_size=30, seed=0, rules=rule).segment_set
    rid = next(s.id for s in before.segments if s.rule is not None)
    carried = carry_over(before, after, {rid: "80+"}, {})
    assert carried.names == {next(s.id for s in after.segments if s.rule is not None): "80+"}


def test_data_from_another_region_is_caught():
    _, varmland = load_campaign(DATA / "campaigns" / "varmland_2027.yaml")
    _, atvidaberg = load_campaign(DATA / "campaigns" / "atvidaberg_2027.yaml")
    other = {"Åtvidaberg": 600.0, "0513": 300.0, "Ydre": 100.0}
    fit = data_fit(other, varmland)
    assert fit.status == "none" and fit.share == 0
    with pytest.raises(InputError) as info:
        check_fit(fit)
    assert "Värmland" in info.value.text("sv")
    assert best_match(other, [("varmland_2027", varmland), ("atvidaberg_2027", atvidaberg)]) == "atvidaberg_2027"
    mixed = data_fit({"Kil": 300.0, "1780": 100.0, "Ydre": 100.0}, varmland)
    assert mixed.status == "partial" and mixed.matched == ("Karlstad", "Kil") and mixed.share == pytest.approx(0.8)
    assert set(mixed.matched_refs) == {"Kil", "1780"} and mixed.foreign == ("Ydre",)
    text = render(mixed.message(), "sv")
    assert "80\xa0%" in text and "Ydre" in text and "2 kommuner" in text
    assert "1 kommun)" in render(data_fit({"Kil": 5.0}, varmland).message(), "sv")


def test_a_segment_name_field_is_worded_with_a_separator():
    from campaigns.working_state import field_label
    from common.catalogue import render

    assert render(field_label("names.3", segment_names={3: "Jobbare i Värmland"}), "sv") == \
        "Namn på segment 3 (Jobbare i Värmland)"
    assert render(field_label("names.3"), "en") == "Name of segment 3"
