"""The automatic k on data the project was not tuned on: planted designs unlike the bundled personas."""

import io

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from segments.clustering import fit_segments
from segments.io import load_citizens
from segments.planted import DESIGNS, generate_design


def _fit(design, rows=5000, seed=0):
    df, truth = generate_design(design, rows, seed=seed)
    buf = io.BytesIO()
    df.to_csv(buf, index=False, sep=";")  # read back as a user's file would be
    table = load_citizens(buf.getvalue(), "enkät.csv", features=design.extra_features).table
    return fit_segments(table, "auto", seed=seed, extra_features=design.extra_features), truth


@pytest.mark.slow
@pytest.mark.parametrize("design", DESIGNS, ids=lambda d: d.name)
def test_auto_k_lands_on_the_planted_number_and_recovers_the_groups(design):
    result, truth = _fit(design)
    k = result.segment_set.k
    assert abs(k.chosen - design.groups) <= 1, (k.chosen, [(c.k, c.quality) for c in k.candidates])
    assert adjusted_rand_score(truth, result.labels) >= 0.75


def test_the_designs_differ_from_the_bundled_data():
    sizes = {d.groups for d in DESIGNS}
    assert sizes >= {3, 4, 6, 7, 8}  # not only the five bundled personas
    assert any(d.categorical_only for d in DESIGNS) and any(d.missing for d in DESIGNS)
    assert any(d.noise_questions for d in DESIGNS) and any(d.weighted for d in DESIGNS)
    df, _ = generate_design(DESIGNS[3], 200)
    assert "åldersgrupp" in df and "ålder" not in df and "eservice_uses_12m" not in df


@pytest.mark.slow
def test_a_question_unrelated_to_the_groups_does_not_add_segments():
    """A 50/50 answer splits every k-means group in two; the latent class model is not fooled."""
    design = next(d for d in DESIGNS if d.noise_questions)
    result, _ = _fit(design, seed=1)
    assert result.segment_set.k.chosen == design.groups


@pytest.mark.slow
def test_stability_is_measured_and_weak_segments_are_flagged():
    design = next(d for d in DESIGNS if d.name == "three_unequal")
    ss = _fit(design)[0].segment_set
    assert all(s.stability is not None and s.stability >= 0.75 for s in ss.segments)
    assert all(s.stable for s in ss.segments)
    small = next(s for s in ss.segments if s.profile.share < 0.15)
    shrunk = small.model_copy(update={"stability": 0.4, "profile": small.profile.model_copy(update={"share": 0.03})})
    codes = [c.code for c in shrunk.cautions(ss.min_size)]
    assert codes == ["caution.small", "caution.unstable"] and shrunk.stable is False
    assert np.isclose(sum(s.profile.share for s in ss.segments), 1.0, atol=1e-3)


def test_the_range_starts_at_one_so_two_groups_and_no_groups_are_possible_answers():
    """Issue #23: k = 2 was never offered (range 3–8) and k = 1 was not an answer."""
    from segments.choosek import AUTO_K_RANGE

    from . import lca_generators as G

    assert AUTO_K_RANGE.start == 1 and AUTO_K_RANGE.stop == 9
    table = load_citizens(G.two_groups(0).frame.to_csv(index=False, sep=";").encode(), "enkät.csv").table
    ss = fit_segments(table, "auto", seed=0).segment_set
    assert ss.k.chosen == 2 and [c.k for c in ss.k.candidates][:2] == [1, 2]
    assert ss.k.sample == 3000  # judged on every answer of a small unweighted file (Kish n_eff = rows)
