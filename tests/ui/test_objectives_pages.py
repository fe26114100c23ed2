"""AppTest: the campaign's objectives on Start (with their baselines), Kalender (the power check
against each target) and Utvärdering (scored outputs → outtakes → outcomes, with a verdict)."""

import pytest

pytestmark = pytest.mark.slow  # AppTest pages: over ~5 s each


def _tables(at):
    return [t.value for t in at.table]


def test_start_shows_each_objective_with_its_baseline_and_period(app):
    at = app()
    table = next(t for t in _tables(at) if "Utgångsläge" in t.columns)
    assert list(table.index) == ["Boka vigsel", "Boka vigsel", "Felanmälan", "Ansök om bygglov"]
    vigsel = table.iloc[0]
    assert vigsel["Mål"] == "Användningar per 1 000 invånare och månad: en ökning med 0,30 senast 31 december 2027"
    assert vigsel["Utgångsläge"] == "0,32" and vigsel["Period för utgångsläget"] == "1 mars 2026 – 28 februari 2027"
    assert table.iloc[1]["Utgångsläge"] == "–"  # heard of it: no survey before the campaign
    assert any("sätts per e-tjänst" in c.value for c in at.caption)  # and where to set them on screen
    assert at.button(key="obj_add") is not None  # the editor is on the page for a coordinator


def test_kalender_holds_each_target_against_the_power(app):
    at = app("calendar_page")
    texts = [s.value for s in at.success] + [w.value for w in at.warning] + [c.value for c in at.caption]
    assert any(v.startswith("En ökning med 0,30 senast 31 december 2027 går att upptäcka med 80 % styrka")
               for v in texts), texts
    assert any("styrkan räknas bara för användningar per 1 000 invånare" in v for v in texts)


def test_utvardering_scores_the_objectives_in_both_languages(app_in):
    at = app_in("sv", "evaluation")
    assert any(s.value.startswith("**Användningar per 1 000 invånare och månad: en ökning med 0,30") and
               s.value.endswith("Målet nått") for s in at.success)
    assert any("Har hört talas om e-tjänsten: 65 %" in m.value.replace("\xa0", " ") for m in at.markdown)
    at.selectbox(key="eval_e").set_value("bygglov").run()
    assert any(e.value.endswith("Målet inte nått") for e in at.error)
    at.selectbox(key="eval_e").set_value("felanmalan").run()
    assert any(i.value.endswith("Går inte att avgöra") for i in at.info)
    en = app_in("en", "evaluation")
    assert any(s.value.endswith("— Met") for s in en.success)
    assert any("Outputs" in m.value for m in en.markdown) and any("Outcomes" in m.value for m in en.markdown)
