"""Nothing discarded without asking: what a change of data, k or rules keeps, moves and loses is
computed before the change (campaigns.refit.preview_refit), and agrees with what the change does."""

import datetime as dt

import pytest

from campaigns.refit import carry_over, preview_refit
from common.catalogue import render
from segments.clustering import fit_segments
from segments.io import load_citizens

from .conftest import DATA


@pytest.fixture(scope="module")
def fits():
    table = load_citizens(DATA / "citizens" / "varmland.csv").table
    return (fit_segments(table, 6, min_size=30, seed=0).segment_set,
            fit_segments(table, 3, min_size=30, seed=0).segment_set)


def _renumbered(ss):
    """The same segments under other numbers (1..n becomes n..1): every group carries on, renumbered."""
    n = len(ss.segments)
    return ss.model_copy(update={"segments": [s.model_copy(update={"id": n + 1 - s.id}) for s in ss.segments]})


def test_renumbered_groups_take_names_and_moves_along_but_not_edits(fits):
    six, _ = fits
    a, b = six.segments[0].id, six.segments[1].id
    names = {a: "Våra seniorer", b: "Studenterna"}
    moves = {f"k:vigsel:1780:publish:0:facebook:{a}": dt.date(2027, 3, 18),
             "k:vigsel:1780:go_live:-:-:-": dt.date(2027, 3, 1)}
    preview = preview_refit(six, _renumbered(six), names, moves, [a, b, None])
    n = len(six.segments)
    assert preview.names_moved == (("Våra seniorer", a, n + 1 - a), ("Studenterna", b, n + 1 - b))
    assert preview.names_kept == () and preview.names_lost == ()
    assert (preview.moves_kept, preview.moves_lost) == (2, 0)
    assert (preview.edits_kept, preview.edits_lost) == (1, 2)  # the staff briefing stays; renumbered ones do not
    assert preview.loses and preview.anything
    text = "\n".join(render(m, "sv") for m in preview.messages())
    assert f"Våra seniorer (segment {a} blir segment {n + 1 - a})" in text


def test_the_preview_agrees_with_what_the_refit_does(fits):
    six, three = fits
    names = {s.id: f"Namn {s.id}" for s in six.segments}
    moves = {f"k:vigsel:1780:publish:0:web:{s.id}": dt.date(2027, 3, 18) for s in six.segments}
    preview = preview_refit(six, three, names, moves, [s.id for s in six.segments])
    carried = carry_over(six, three, names, moves)
    assert preview.names_lost == carried.lost_names  # more groups into three: some names have no group
    assert len(carried.lost_names) == len(six.segments) - len(three.segments) > 0
    assert sorted([*preview.names_kept, *(n for n, _, _ in preview.names_moved)]) == sorted(carried.names.values())
    assert (preview.moves_kept, preview.moves_lost) == (len(carried.moves), carried.lost_moves)
    assert preview.edits_lost >= len(carried.lost_names)


def test_the_same_segments_keep_everything_and_nothing_to_lose(fits):
    six, _ = fits
    names = {s.id: f"Grupp {s.id}" for s in six.segments}
    preview = preview_refit(six, six, names, {f"a:b:c:d:0:web:{six.segments[0].id}": dt.date(2027, 1, 5)},
                            [six.segments[0].id])
    assert not preview.loses and preview.names_kept == tuple(names.values()) and preview.edits_kept == 1


def test_no_work_of_the_officers_means_nothing_to_ask(fits):
    six, three = fits
    assert not preview_refit(six, three, {}, {}, []).anything
