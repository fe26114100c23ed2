"""Honest uncertainty in the evaluation: permutation inference over start dates, placebo-calibrated
own trend, descriptive only with few members, pre-trends judged, and the CLI's small defects.

The panels come from a generator written here (Poisson counts with member sizes and levels, a
shared season, trend and AR(1) month shocks, persistent member deviations): not the sample data,
not `planted_panel`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from campaigns.__main__ import main
from campaigns.evaluation import evaluate
from campaigns.evaluation_report import report_html
from campaigns.planning import default_plan
from campaigns.usage import load_usage, own_trend_fit, staggered_fit
from campaigns.usage.inference import distinct_assignments, permutation_inference
from campaigns.usage.placebo import calibrated_own_trend_fit
from common.catalogue import render
from common.cli_language import default_lang

from .conftest import DATA


def noisy_panel(*, members: int = 16, cohorts: tuple[int, ...] = (12, 16, 20, 24), months: int = 30,
                effect: float = 0.0, lead: float = 0.0, seed: int = 0) -> pd.DataFrame:
    """`lead`: members drift up over the 4 months before their start (parallel trends broken)."""
    rng = np.random.default_rng(seed)
    common = np.cumsum(rng.normal(0, 0.05, months)) * 0.6
    rows = []
    for k in range(members):
        g = cohorts[k % len(cohorts)]
        pop = float(rng.choice([5_000, 12_000, 40_000]))
        level, own = rng.lognormal(np.log(1.2), 0.3), 0.0
        for t in range(months):
            own = 0.5 * own + rng.normal(0, 0.05)
            drift = lead * max(0, t - g + 5) if t < g else lead * 5
            rate = max(0.01, level * (1 + 0.1 * np.sin(2 * np.pi * t / 12)) + common[t] + own
                       + (effect if t >= g else 0.0) + drift)
            y = rng.poisson(rate * pop / 1000) / (pop / 1000)
            rows.append((f"k{k:02d}", t, pd.Timestamp(2025, 1, 1) + pd.DateOffset(months=t), y, g, t - g, t >= g))
    return pd.DataFrame(rows, columns=["unit", "t", "month", "y", "g", "rel", "treat"])


def test_the_permutation_estimate_is_the_two_stage_did():
    """Same point estimate as pyfixest's did2s (Gardner's reference implementation)."""
    import pyfixest as pf

    panel = noisy_panel(effect=0.3, seed=5)
    data = panel[panel["t"] < panel["g"].max()].assign(unit=lambda d: d["unit"].astype(str))
    reference = pf.did2s(data, yname="y", first_stage="~ 0 | unit + t", second_stage="~ treat", treatment="treat",
                         cluster="unit").tidy().iloc[0]["Estimate"]
    ours = permutation_inference(panel, n_permutations=99, event_study=False)
    assert ours is not None and ours.estimate == pytest.approx(float(reference), abs=1e-8)


def test_with_three_members_no_assignment_can_show_an_effect():
    panel = noisy_panel(members=3, cohorts=(12, 16, 20), effect=1.0, seed=1)
    fit = staggered_fit(panel)
    assert fit is not None and fit.assignments == distinct_assignments([12, 16, 20]) == 6
    assert fit.p_value is not None and fit.p_value >= 1 / 6  # a huge effect, still not separable


def test_three_members_the_report_says_the_effect_cannot_be_told_from_noise():
    plan, _ = default_plan(str(DATA / "campaigns" / "atvidaberg_2027.yaml"))
    usage = load_usage(DATA / "usage" / "atvidaberg_2027.csv", None, plan.region, plan.campaign)
    evaluation = evaluate(plan, usage, by_segment=False)
    for s in evaluation.services:
        assert s.total.municipalities <= 3 and s.total.descriptive and not s.total.detectable
        assert "inte att skilja från slumpen" in render(s.total.conclusion, "sv")
        assert "cannot be separated from noise" in render(s.total.conclusion, "en")
    assert "bara beskrivande" in report_html(evaluation, plan, [], "sv")
    assert "descriptive only" in report_html(evaluation, plan, [], "en")


@pytest.mark.slow
def test_placebo_false_claims_stay_near_five_percent():
    """60 panels without any effect: the old cluster-robust two-stage DiD claimed an effect in
    about 14 % of such panels (8 or more of 60); permutations over start dates must stay ≤ 4."""
    claims = 0
    for seed in range(60):
        fit = staggered_fit(noisy_panel(seed=100 + seed), event_study=False, n_permutations=199, seed=seed)
        assert fit is not None
        claims += fit.low > 0 or fit.high < 0
    assert claims <= 4, claims


@pytest.mark.slow
def test_the_band_covers_a_constant_effect_at_the_nominal_rate():
    covered = 0
    for seed in range(40):
        fit = staggered_fit(noisy_panel(effect=0.3, seed=300 + seed), event_study=False, n_permutations=199, seed=seed)
        assert fit is not None
        covered += fit.low <= 0.3 <= fit.high
    assert covered >= 36, covered  # ≥ 90 % of 40 at a nominal 95 %


@pytest.mark.slow
def test_everyone_together_the_interval_is_calibrated_on_in_time_placebos():
    """No effect planted, everyone starts in month 16: the calibrated interval covers the zero at
    about the nominal rate, where the uncalibrated own-trend interval does not."""
    calibrated = raw = 0
    runs = 30
    for seed in range(runs):
        panel = noisy_panel(members=8, cohorts=(16,), months=26, seed=500 + seed)
        fit, check = calibrated_own_trend_fit(panel) or pytest.fail("no fit")
        assert check.placebos == 16 - 6 - 3 + 1  # every fake start with 6 months before and 3 after
        calibrated += fit.low <= 0 <= fit.high
        plain = own_trend_fit(panel)
        assert plain is not None
        raw += plain.low <= 0 <= plain.high
    assert calibrated >= 0.87 * runs, (calibrated, raw)
    assert raw < calibrated


@pytest.mark.slow
def test_a_pre_trend_is_flagged_and_said_in_the_conclusion():
    from campaigns.usage.uplift import Uplift
    from common.catalogue import Msg

    flagged = sum((staggered_fit(noisy_panel(lead=0.15, seed=s), n_permutations=199).pretrend_p or 1) < 0.05
                  for s in range(5))
    calm = sum((staggered_fit(noisy_panel(seed=s), n_permutations=199).pretrend_p or 1) < 0.05 for s in range(5))
    assert flagged >= 4 and calm <= 1
    fit = staggered_fit(noisy_panel(lead=0.15, seed=0), n_permutations=199)
    up = Uplift("e", None, None, Msg("evaluation.what", e_service="Skolval"), fit.estimate, fit.low, fit.high,
                "staggered", 16, 12, fit.months_after, fit.event_study, p_value=fit.p_value,
                pretrend_p=fit.pretrend_p, assignments=fit.assignments)
    assert "talar emot att de hade utvecklats lika" in render(up.conclusion, "sv")
    assert "argues against" in render(up.conclusion, "en")


def test_default_language_follows_the_locale():
    assert default_lang({"LANG": "sv_SE.UTF-8"}) == "sv"
    assert default_lang({"LANG": "en_GB.UTF-8"}) == "en"
    assert default_lang({"LANG": "sv_SE.UTF-8", "LC_ALL": "de_DE.UTF-8"}) == "en"  # LC_ALL wins
    assert default_lang({"LANG": "C.UTF-8"}) == "sv" and default_lang({}) == "sv"
    assert default_lang({"LANG": "Swedish_Sweden.1252"}) == "sv"


def test_every_command_has_the_same_default_language(monkeypatch):
    import argparse

    import campaigns.__main__ as cli

    seen = {}
    real = argparse.ArgumentParser.parse_args

    def spy(self, argv=None, namespace=None):
        args = real(self, argv, namespace)
        seen[args.command] = args.lang
        raise SystemExit(0)

    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", spy)
    for argv in (["plan", "x.yaml", "--out", "o"], ["evaluate", "x.yaml", "--usage", "u", "--out", "o"],
                 ["power", "x.yaml"], ["sample-usage", "x.yaml", "--out", "o"]):
        with pytest.raises(SystemExit):
            cli.main(argv)
    assert len(set(seen.values())) == 1 and len(seen) == 4


def test_no_pdf_does_not_claim_a_pdf(tmp_path, capsys):
    out = tmp_path / "ut"
    assert main(["evaluate", str(DATA / "campaigns" / "atvidaberg_2027.yaml"), "--usage",
                 str(DATA / "usage" / "atvidaberg_2027.csv"), "--out", str(out), "--no-pdf", "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert not (out / "report.pdf").exists() and "report.pdf" not in printed and "report.html" in printed


def test_a_refused_e_service_lists_the_campaigns_e_services(tmp_path, capsys):
    bad = tmp_path / "u.csv"
    bad.write_text("månad;kommun;e-tjänst;antal\n2027-01;Åtvidaberg;Okänd tjänst;4\n", encoding="utf-8")
    assert main(["evaluate", str(DATA / "campaigns" / "atvidaberg_2027.yaml"), "--usage", str(bad),
                 "--out", str(tmp_path / "ut"), "--lang", "sv"]) == 2
    err = capsys.readouterr().err
    # the gate names the column and the row, never the value, and leaves no placeholder unfilled
    assert "{" not in err and "'e-tjänst'" in err and "(rad 2)" in err and "Okänd tjänst" not in err
    assert not (tmp_path / "ut").exists()
