"""The latent class segment model on generators written for it (tests/lca_generators.py), compared
with the published StepMix implementation on the same data."""

import io

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from common.catalogue import render
from segments.clustering import fit_segments
from segments.io import load_citizens
from segments.segmentset import SegmentSet
from segments.weights import heavy_rows, kish

from . import lca_generators as G


def _table(g):
    buf = io.BytesIO()
    g.frame.to_csv(buf, index=False, sep=";")  # read back as a user's file would be
    return load_citizens(buf.getvalue(), "enkät.csv", features=g.extra_features).table


def _fit(g, k="auto"):
    return fit_segments(_table(g), k, seed=0, extra_features=g.extra_features)


@pytest.mark.slow
@pytest.mark.parametrize("gen", G.PLANTED, ids=lambda f: f.__name__)
def test_planted_groups_are_found_and_recovered(gen):
    g = gen(0)
    result = _fit(g)
    k = result.segment_set.k
    assert abs(k.chosen - g.groups) <= 1, (g.name, k.chosen, [(c.k, c.bic) for c in k.candidates])
    assert adjusted_rand_score(g.truth, result.labels) >= 0.75
    assert len(result.segment_set.segments) == k.chosen
    assert "notice.no_groups" not in [n.code for n in result.notices]


def test_the_generators_differ_from_each_other_and_the_bundled_sample():
    sizes = {gen.__name__: gen(0).groups for gen in G.ALL}
    assert sizes["two_groups"] == 2 and sizes["nine_groups"] == 9 and sizes["pure_noise"] is None
    frames = [gen(0).frame for gen in G.ALL]
    assert len({tuple(f.columns) for f in frames}) >= 3  # Likert columns, weights, plain
    shares = np.bincount(G.one_big_four_small(0).truth) / 6000
    assert shares.max() > 0.85 and np.all(shares[np.argsort(shares)[:4]] < 0.05)
    miss = G.missing_answers(0).frame
    assert 0.35 < miss["has_bankid"].isna().mean() < 0.45 and miss["uses_facebook"].notna().all()


def test_pure_noise_is_one_segment_with_a_reason():
    result = _fit(G.pure_noise(0))
    ss = result.segment_set
    assert ss.k.chosen == 1 and len(ss.segments) == 1 and ss.k.no_groups
    assert "notice.no_groups" in [n.code for n in result.notices]
    assert ss.segments[0].label.code == "segname.everyone"
    assert render(ss.segments[0].title, "sv") == "Alla invånare"
    assert ss.k.explanation().code == "k.none" and ss.drivers == ()
    assert np.all(result.labels == 1)


def test_a_fixed_k_on_noise_still_gives_that_many_segments():
    ss = _fit(G.pure_noise(0), k=3).segment_set
    assert ss.k.chosen == 3 and not ss.k.no_groups and len(ss.segments) == 3


def test_heavy_weights_are_warned_about_and_do_not_invent_segments():
    g = G.heavy_weights(0)
    w = g.frame["vikt"].to_numpy()
    found = heavy_rows(w)
    assert found is not None and found.rows == 12 and abs(found.share - 0.71) < 0.01
    result = _fit(g)
    notice = next(n for n in result.notices if n.code == "notice.heavy_weights")
    assert "12" in render(notice, "en") and "71" in render(notice, "en")
    assert result.segment_set.k.chosen <= g.groups + 1
    assert result.segment_set.effective_size == pytest.approx(kish(w), rel=1e-3)
    assert result.segment_set.effective_size < 30


def test_no_weight_warning_on_an_evenly_weighted_file():
    assert heavy_rows(np.ones(1000)) is None
    assert kish(np.ones(1000)) == pytest.approx(1000)
    assert heavy_rows(np.r_[np.ones(990), np.full(10, 3.0)]) is None


@pytest.mark.slow
def test_habits_only_groups_are_split_by_habits_not_background():
    ss = _fit(G.habits_only(0)).segment_set
    assert set(ss.drivers) <= {"internet_use", "has_bankid", "uses_facebook", "prefers_paper", "eservice_uses_12m"}
    assert {"sex", "household", "occupation"} <= set(ss.described_only)


@pytest.mark.slow
def test_sex_never_drives_when_habits_do_not_differ_by_sex():
    for gen in (G.two_groups, G.missing_answers, G.nine_groups):
        assert "sex" not in _fit(gen(0)).segment_set.drivers


@pytest.mark.slow
def test_each_segment_keeps_certainty_stability_and_effective_size():
    ss = _fit(G.missing_answers(0)).segment_set
    for s in ss.segments:
        assert 0.5 < s.certainty <= 1 and s.stability is not None and s.effective_size > 30
    shaky = ss.segments[0].model_copy(update={"uncertain_share": 0.6})
    assert "caution.uncertain_members" in [c.code for c in shaky.cautions(ss.min_size)]


@pytest.mark.slow
def test_a_continuum_gives_less_certain_segments_than_crisp_groups():
    cont = _fit(G.continuum(0)).segment_set
    crisp = _fit(G.two_groups(0)).segment_set
    assert min(s.certainty for s in cont.segments) < min(s.certainty for s in crisp.segments) - 0.05


@pytest.mark.slow
def test_saved_model_assigns_new_rows_as_the_fit_did():
    g = G.missing_answers(0)
    table = _table(g)
    result = fit_segments(table, "auto", seed=0)
    again = SegmentSet.from_yaml(result.segment_set.to_yaml())
    assert again == result.segment_set
    assert np.mean(again.assign(table) == result.labels) > 0.99


@pytest.mark.slow
@pytest.mark.parametrize("gen", [G.two_groups, G.missing_answers, G.one_big_four_small, G.pure_noise],
                         ids=lambda f: f.__name__)
def test_stepmix_reference_on_the_same_answers(gen):
    """StepMix (Morin et al. 2023) fits the same model — categorical answers, missing ones left out of
    the likelihood ('categorical_nan'), rows weighted (`sample_weight`) — on the same answer codes.
    Our EM reaches at least StepMix's likelihood at every k; where both reach the same optimum,
    BIC picks the same k and the two assign the same people."""
    stepmix = pytest.importorskip("stepmix")
    from segments.choosek import best_fit
    from segments.features import fit_feature_spec
    from segments.mixture import fit_codings, mixed_data

    g = gen(0)
    table = _table(g)
    result = fit_segments(table, "auto", seed=0)
    ss = result.segment_set
    wt = table["weight"].to_numpy()
    codings = ss.model.columns if ss.model is not None and ss.model.columns else \
        fit_codings(table, fit_feature_spec(table, wt), wt)
    codes = np.column_stack([c.codes(table) for c in codings])
    distinct, inverse, counts = np.unique(codes, axis=0, return_inverse=True, return_counts=True)
    X = distinct.astype(float)
    X[X < 0] = np.nan
    w = counts.astype(float)  # distinct rows with their counts: the same likelihood as every row
    data = mixed_data(distinct, codings)
    ours, ref, bic_ours, bic_ref, fits = None, {}, {}, {}, {}
    for k in range(1, min(8, ss.k.chosen + 2) + 1):
        ours = best_fit(data, w, k, 0, ours)
        m = stepmix.StepMix(n_components=k, measurement="categorical_nan", n_init=3, random_state=0,
                            verbose=0, progress_bar=0, max_iter=300, abs_tol=1e-6)
        m.fit(X, sample_weight=w)
        ref[k] = float(m.score(X, sample_weight=w)) * w.sum()
        fits[k] = m
        assert ours.loglik >= ref[k] - 1e-3 * abs(ref[k]), (k, ours.loglik, ref[k])  # as good or better
        bic_ours[k], bic_ref[k] = ours.bic(w.sum()), -2 * ref[k] + m.n_parameters * np.log(w.sum())
        if k == ss.k.chosen:
            same_optimum = abs(ours.loglik - ref[k]) <= 1e-3 * abs(ref[k])
    assert min(bic_ours, key=bic_ours.get) == ss.k.chosen
    if same_optimum:
        k_ref = min(bic_ref, key=bic_ref.get)
        assert abs(k_ref - ss.k.chosen) <= (0 if g.groups is None else 1)
        if ss.k.chosen > 1:
            assert adjusted_rand_score(fits[ss.k.chosen].predict(X)[inverse.ravel()], result.labels) >= 0.85
    else:  # StepMix's random starts missed the small groups: ours recovers the planted ones
        assert adjusted_rand_score(g.truth, result.labels) > adjusted_rand_score(
            g.truth, fits[ss.k.chosen].predict(X)[inverse.ravel()])


@pytest.mark.slow
@pytest.mark.parametrize("sample", [("varmland_befolkning.csv", "varmland_hushall.csv"),
                                    ("atvidaberg_befolkning.xlsx", "atvidaberg_hushall.csv")], ids=lambda s: s[0])
def test_statistics_samples_split_by_age_and_habits_never_by_sex_alone(sample, tmp_path, capsys):
    from pathlib import Path

    from segments.__main__ import main
    from segments.segmentset import load_segment_set

    data = Path(__file__).resolve().parent.parent / "data" / "statistics"
    out = tmp_path / "segments.yaml"
    code = main(["from-statistics", str(data / sample[0]), "--households", str(data / sample[1]),
                 "--out", str(tmp_path / "rows.parquet"), "--segments", str(out), "--lang", "en"])
    assert code == 0
    printed = capsys.readouterr().out
    ss = load_segment_set(out)
    assert "sex" not in ss.drivers and "household" not in ss.drivers and {"sex", "household"} <= set(ss.described_only)
    assert "The segments are split by" in printed
    for s in ss.segments:  # stability and certainty printed for every segment
        line = next(line for line in printed.splitlines() if line.startswith(f"{s.id}. "))
        assert ("stable" in line or "uncertain" in line) and "certainty" in line
    habits = ("daily_internet", "bankid", "facebook", "paper")
    for i, a in enumerate(ss.segments):
        for b in ss.segments[i + 1:]:
            ha, hb = a.profile.habits, b.profile.habits
            apart = max(abs((getattr(ha, h) or 0) - (getattr(hb, h) or 0)) for h in habits)
            apart_uses = abs((ha.eservice_mean or 0) - (hb.eservice_mean or 0))
            assert apart >= 0.05 or apart_uses >= 0.5 or abs(a.profile.age_median - b.profile.age_median) >= 5
