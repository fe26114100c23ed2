"""Segmentation: recovers planted structure, is deterministic, private and round-trips."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from common.catalogue import render
from segments.clustering import fit_segments
from segments.features import fit_feature_spec
from segments.io import load_citizens
from segments.profile import SUPPRESSED
from segments.reference import fit_transformer, transformer_output
from segments.rules import parse_rules
from segments.segmentset import SegmentSet


@pytest.fixture(scope="module")
def planted_table(planted, tmp_path_factory):
    df, truth = planted
    path = tmp_path_factory.mktemp("planted") / "planted.csv"
    df.to_csv(path, index=False)
    return load_citizens(path).table, truth


@pytest.fixture(scope="module")
def sample_table(citizens, tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "s.csv"
    citizens.to_csv(path, index=False)
    return load_citizens(path).table


def test_planted_personas_are_recovered(planted_table):
    table, truth = planted_table
    result = fit_segments(table, 5, seed=0)
    assert adjusted_rand_score(truth, result.labels) >= 0.8


def test_auto_k_finds_the_planted_number_and_explains_it(planted_table):
    table, truth = planted_table
    result = fit_segments(table, "auto", seed=0)
    k = result.segment_set.k
    assert k.chosen == 5 and min(k.scores) == 1 and max(k.scores) >= 7 and k.scores[5] == 1.0  # BIC rose twice: stop
    text = render(k.explanation(), "sv")
    assert "BIC" in text and "1–" in text
    splits = {c.k: render(c.split, "sv") for c in k.candidates}
    assert splits[6].startswith("Med 6 segment delas en grupp upp efter")
    assert adjusted_rand_score(truth, result.labels) >= 0.8


def test_names_follow_the_profiles(planted_table):
    table, truth = planted_table
    ss = fit_segments(table, 5, seed=0).segment_set
    names = [s.name for s in ss.segments]
    assert len(set(names)) == len(names)
    oldest = max(ss.segments, key=lambda s: s.profile.age_median)
    assert "seniorer" in oldest.name.lower() and "papper" in oldest.name.lower()
    assert render(oldest.label, "en") == "Older seniors who prefer paper"
    assert "barnfamiljer" in " ".join(names).lower()
    for s in ss.segments:
        assert s.name == render(s.label, "sv")  # plans carry the Swedish generated name
        sv, en = render(s.description, "sv"), render(s.description, "en")
        assert sv.count(".") >= 2 and "personer" in sv and "people" in en


def test_same_seed_gives_the_same_segments(sample_table):
    a = fit_segments(sample_table, "auto", seed=4).segment_set.to_yaml()
    b = fit_segments(sample_table, "auto", seed=4).segment_set.to_yaml()
    assert a == b


def test_yaml_round_trip_is_exact_and_assigns_the_same(sample_table, tmp_path):
    result = fit_segments(sample_table, 4, seed=1)
    text = result.segment_set.to_yaml()
    loaded = SegmentSet.from_yaml(text)
    assert loaded == result.segment_set and loaded.to_yaml() == text
    assert (loaded.assign(sample_table) == result.labels).all()
    assert "respondent_id" not in text and "R000001" not in text  # profiles only, no rows


def test_spec_reproduces_the_column_transformer(sample_table):
    w = sample_table["weight"].to_numpy()
    spec = fit_feature_spec(sample_table, w)
    reference, ct = fit_transformer(sample_table, w)
    assert _close(spec, reference)
    assert np.allclose(spec.transform(sample_table), transformer_output(ct, sample_table, spec))
    age = next(f for f in spec.numeric if f.name == "age")
    assert age.mean == pytest.approx(np.average(sample_table["age"], weights=w))  # weighted scaling


def test_small_clusters_are_merged_to_the_minimum_size(sample_table):
    total = sample_table["weight"].sum()
    result = fit_segments(sample_table, 8, seed=0, min_size=total / 5)
    assert all(s.profile.size >= total / 5 for s in result.segment_set.segments)
    assert len(result.segment_set.segments) < 8 and result.notices


def test_small_municipality_cells_are_suppressed(sample_table):
    table = sample_table.copy()
    table["municipality"] = table["municipality"].cat.add_categories(["Litenby"])
    table.loc[table.index[:3], "municipality"] = "Litenby"
    table.loc[table.index[:3], "weight"] = 1.0
    ss = fit_segments(table, 3, seed=0).segment_set
    cells = [s.profile.by_municipality.get("Litenby") for s in ss.segments]
    assert SUPPRESSED in cells and not any(isinstance(c, int) for c in cells)
    assert "Litenby: <5" in ss.to_yaml() or "Litenby: '<5'" in ss.to_yaml()


def test_rules_are_carved_out_before_clustering(sample_table):
    rules = parse_rules({"rules": [{"name": "Äldre seniorer", "when": {"ålder": {"min": 80}}}]})
    result = fit_segments(sample_table, 3, seed=0, rules=rules)
    first = result.segment_set.segments[0]
    assert first.name == "Äldre seniorer" and first.source == "rule"
    assert ((sample_table["age"] >= 80).to_numpy() == (result.labels == first.id)).all()
    assert (result.segment_set.assign(sample_table) == result.labels).all()


def test_a_rule_too_small_is_explained_not_shown(sample_table):
    rules = parse_rules({"rules": [{"name": "Hundraåringar", "when": {"age": {"min": 119}}}]})
    result = fit_segments(sample_table, 3, seed=0, rules=rules)
    assert all(s.source == "cluster" for s in result.segment_set.segments)
    assert "Hundraåringar" in render(result.notices[0], "sv")


def test_bad_rules_are_located():
    from common.errors import InputError
    with pytest.raises(InputError) as info:
        parse_rules({"rules": [{"name": "X", "when": {"skonummer": 3}}, {"when": {"age": 3}}]}, "r.yaml")
    text = info.value.text("en")
    assert "r.yaml, rules[0].when[0]" in text and "skonummer" not in text and "rules[1]" in text


def test_weights_count_as_persons():
    df = pd.DataFrame({"municipality": pd.Categorical(["Kinda"] * 40),
                       "age": np.r_[np.full(20, 30.0), np.full(20, 80.0)],
                       "has_bankid": np.r_[np.ones(20), np.zeros(20)],
                       "prefers_paper": np.r_[np.zeros(20), np.ones(20)],
                       "uses_facebook": np.r_[np.ones(20), np.zeros(20)],
                       "weight": np.r_[np.full(20, 1.0), np.full(20, 9.0)]})
    # three questions or more: with one question two latent classes are not identifiable
    ss = fit_segments(df, 2, seed=0, min_size=10).segment_set
    sizes = sorted(s.profile.size for s in ss.segments)
    assert sizes == [20, 180]


def _close(a, b) -> bool:
    """Two feature specs learnt the same values (floats to rounding)."""
    assert a.columns == b.columns
    for fa, fb in zip(a.numeric + a.binary, b.numeric + b.binary):
        assert fa.fill == pytest.approx(fb.fill) and getattr(fa, "mean", 0) == pytest.approx(getattr(fb, "mean", 0))
        assert getattr(fa, "scale", 1) == pytest.approx(getattr(fb, "scale", 1))
    assert a.categorical == b.categorical
    return True


@pytest.mark.slow
def test_numpy_kmeans_reaches_scikit_learns_objective(planted_table):
    from sklearn.cluster import KMeans

    from segments.clustering import _dedupe
    from segments.features import feature_columns
    from segments.kmeans import kmeans

    table, _ = planted_table
    w = table["weight"].to_numpy()
    cols = [c for g in feature_columns(table).values() for c in g]
    unique, uw, _ = _dedupe(table, cols, w)
    X = fit_feature_spec(unique, uw).transform(unique)
    for k in (3, 5, 8):
        ours = kmeans(X, uw, k, seed=0).inertia
        theirs = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X, sample_weight=uw).inertia_
        assert ours <= theirs * 1.01, (k, ours, theirs)


def test_a_damaged_segment_file_is_refused_with_where(sample_table):
    from common.errors import InputError

    text = fit_segments(sample_table, 3, seed=0).segment_set.to_yaml()
    broken = text.replace("  profile:\n    size:", "  profile:\n    size: many\n    sizes:", 1)
    with pytest.raises(InputError) as info:
        SegmentSet.from_yaml(broken, "seg.yaml")
    message = info.value.text("sv")
    assert "seg.yaml, segments[0].profile.size" in message and "Traceback" not in message


def test_a_renamed_segment_keeps_the_users_text_and_drops_the_generated_name(sample_table):
    ss = fit_segments(sample_table, 3, seed=0).segment_set
    renamed = ss.rename(2, "  Vardagsdigitala ")
    seg = renamed.segment(2)
    assert seg.name == "Vardagsdigitala" and seg.label is None and seg.title == "Vardagsdigitala"
    assert SegmentSet.from_yaml(renamed.to_yaml()) == renamed
