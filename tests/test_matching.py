"""Matching segments across refits, so an officer's names follow their groups."""

import pytest

from segments.clustering import fit_segments
from segments.io import load_citizens
from segments.matching import MATCH_AT, match_segments, profile_similarity
from segments.rules import parse_rules

from .conftest import DATA


@pytest.fixture(scope="module")
def table():
    return load_citizens(DATA / "citizens" / "varmland.csv").table


def test_the_same_fit_matches_itself(table):
    ss = fit_segments(table, 5, seed=0).segment_set
    assert match_segments(ss, ss) == {s.id: s.id for s in ss.segments}
    assert profile_similarity(ss.segments[0].profile, ss.segments[0].profile) == 1.0


def test_a_rule_shifts_ids_but_each_group_keeps_its_match(table):
    before = fit_segments(table, 5, seed=0).segment_set
    rules = parse_rules({"rules": [{"name": "Utan BankID", "when": {"har bankid": False}}]})
    after = fit_segments(table, 5, seed=0, rules=rules).segment_set
    matched = match_segments(before, after)
    assert after.segments[0].rule is not None and 1 not in matched.values()  # the rule is new
    # Every group whose best counterpart is at least MATCH_AT alike (and likes it back best) carries
    # on as it: a pair below the threshold never takes a partner from one above it.
    kept = 0
    for old in before.segments:
        sims = {n.id: profile_similarity(old.profile, n.profile) for n in after.segments if n.rule is None}
        best = max(sims, key=sims.__getitem__)
        rivals = [profile_similarity(o.profile, after.segment(best).profile) for o in before.segments]
        if sims[best] >= MATCH_AT and max(rivals) == sims[best]:
            assert matched[old.id] == best, (old.name, matched)
            kept += 1
    assert kept >= 3
    # The oldest group (mostly without BankID) went into the rule, or carries on only as a group of
    # the same age that is at least MATCH_AT alike (never onto the rule or a younger group).
    oldest_before = max(before.segments, key=lambda s: s.profile.age_median)
    heir = matched[oldest_before.id]
    if heir is not None:
        new = after.segment(heir)
        assert new.rule is None and abs(new.profile.age_median - oldest_before.profile.age_median) <= 5
        assert profile_similarity(oldest_before.profile, new.profile) >= MATCH_AT


def test_more_segments_keep_the_groups_that_stay_and_leave_the_rest_unmatched(table):
    three = fit_segments(table, 3, seed=0).segment_set
    five = fit_segments(table, 5, seed=0).segment_set
    forward = match_segments(three, five)
    backward = match_segments(five, three)
    assert len({v for v in forward.values() if v}) == sum(v is not None for v in forward.values())
    assert None in backward.values()  # two of the five have no counterpart among three
    for old, new in forward.items():
        if new is not None:
            assert profile_similarity(three.segment(old).profile, five.segment(new).profile) >= 0.8
