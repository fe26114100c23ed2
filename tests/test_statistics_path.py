"""From SCB exports to a campaign plan, by the command line and in process, for both sample regions."""

from __future__ import annotations

import pandas as pd
import pytest

from campaigns.__main__ import main as campaigns_main
from campaigns.campaign_files import load_campaign
from campaigns.mix import optimise_mix
from campaigns.schedule import plan_campaign
from common.catalogue import Msg, render
from segments.__main__ import main as segments_main
from segments.clustering import fit_segments
from segments.io import load_citizens
from segments.segmentset import load_segment_set
from segments.statistics import (
    BUNDLED_HABITS,
    build_population,
    citizens_bytes,
    estimated_note,
    load_habits,
    mark_estimated,
    read_households,
    read_population,
)

from .conftest import DATA

STATS = DATA / "statistics"


@pytest.mark.slow
def test_command_line_from_statistics_to_a_plan(tmp_path, capsys):
    """Åtvidaberg: Excel population (single-year ages, blank stub cells), households with a separate
    'barn' column, usage statistics to calibrate; then `segments fit` and `campaigns plan`."""
    rows, seg, plan_dir = tmp_path / "invanare.parquet", tmp_path / "segment.yaml", tmp_path / "plan"
    campaign = DATA / "campaigns" / "atvidaberg_2027.yaml"
    assert campaigns_main(["from-statistics", str(STATS / "atvidaberg_befolkning.xlsx"),
                          "--households", str(STATS / "atvidaberg_hushall.csv"), "--habits", str(BUNDLED_HABITS),
                          "--usage", str(DATA / "usage" / "atvidaberg_2027.csv"), "--campaign", str(campaign),
                          "--out", str(rows), "--lang", "sv"]) == 0
    printed = capsys.readouterr().out
    assert "uppskattade från nationella siffror" in printed and "kalibrerad" in printed
    table = pd.read_parquet(rows)
    population = read_population(STATS / "atvidaberg_befolkning.xlsx").frame
    adults = population[population["age_low"] >= 16].groupby("municipality")["persons"].sum()
    assert table.groupby("municipality")["weight"].sum().to_dict() == pytest.approx(adults.to_dict())

    assert segments_main(["fit", str(rows), "--out", str(seg), "--lang", "sv"]) == 0
    assert "inte uppmätta" in capsys.readouterr().out
    segment_set = load_segment_set(seg)
    assert segment_set.provenance["kind"] == "statistics" and segment_set.provenance["calibrated"]
    assert segment_set.total_weight == pytest.approx(float(adults.sum()), rel=1e-6)

    assert campaigns_main(["plan", str(campaign), "--segments", str(seg), "--out", str(plan_dir), "--lang", "en"]) == 0
    assert (plan_dir / "calendar.ics").is_file() and (plan_dir / "drafts.csv").is_file()
    drafts = pd.read_csv(plan_dir / "drafts.csv")
    plan_campaign_, region = load_campaign(campaign)
    taking_part = {m.name for e in plan_campaign_.e_services for m in region.participants(e)}
    assert set(drafts["Municipality"]) == taking_part  # every municipality taking part gets drafts
    assert set(drafts["Segment"]) - {"staff"} <= {s.name for s in segment_set.segments}
    assert set(drafts["Segment"]) & {s.name for s in segment_set.segments}  # and the statistics' segments


def test_varmland_statistics_segment_and_plan_in_process():
    population = read_population(STATS / "varmland_befolkning.csv")
    households = read_households(STATS / "varmland_hushall.csv")
    built = build_population(population, load_habits(), households)
    loaded = load_citizens(citizens_bytes(built), "scb.parquet")
    assert len(loaded.table) == len(built.table)
    result = fit_segments(loaded.table, "auto", seed=0)
    segments = mark_estimated(result.segment_set, built.provenance)
    assert 3 <= len(segments.segments) <= 8
    ages = sorted(s.profile.age_median for s in segments.segments)
    assert ages[-1] - ages[0] >= 20  # the segments separate young and old, as the habits differ by age
    campaign, region = load_campaign(DATA / "campaigns" / "varmland_2027.yaml")
    mix = optimise_mix(campaign, region, segments)
    plan = plan_campaign(campaign, region, segments, mix)
    planned = {a.municipality_name for a in plan.activities}
    assert planned == {m.name for m in region.municipalities}
    assert {a.segment for a in plan.activities if a.segment is not None} <= {s.id for s in segments.segments}
    note = estimated_note(segments.provenance)
    assert note == Msg("statistics.profile_estimated", source=" ".join(load_habits().source.split())[:120])
    assert "uppskattade från nationella siffror" in render(note, "sv")
    again = type(segments).from_yaml(segments.to_yaml())
    assert again.provenance == segments.provenance and again.to_yaml() == segments.to_yaml()


def test_refused_statistics_exit_2_and_write_nothing(tmp_path, capsys):
    out = tmp_path / "rows.parquet"
    assert segments_main(["from-statistics", str(STATS / "varmland_hushall.csv"), "--out", str(out),
                          "--lang", "sv"]) == 2
    err = capsys.readouterr().err
    assert "hushållsfil" in err and "Inget har sparats" in err and "Traceback" not in err
    assert not out.exists()
    assert campaigns_main(["from-statistics", str(STATS / "varmland_befolkning.csv"), "--out", str(out),
                           "--usage", str(DATA / "usage" / "varmland_2027.csv")]) == 2
    assert not out.exists()


@pytest.mark.slow
def test_survey_segment_sets_stay_as_they_were(tmp_path):
    """A segment set from survey rows has no provenance and its YAML has no such key."""
    seg = tmp_path / "s.yaml"
    assert segments_main(["fit", str(DATA / "citizens" / "varmland.csv"), "--out", str(seg), "--k", "3"]) == 0
    assert "provenance" not in seg.read_text(encoding="utf-8")
    assert load_segment_set(seg).provenance is None
