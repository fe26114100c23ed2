"""Nothing discarded without asking: what a change of data, k or rules keeps, moves and loses is
computed before the change (campaigns.refit.preview_refit), and agrees with what the change does."""

import datetime as dt

import pytest

from campaigns.refit import carry_over, preview_refit
from common.messages import render
from segments.clustering import fit_segments
from segments.io import load_citizens

from .conftest import DATA


@pytest.fixture(scope="module")
def fits():
    table = load_citizens(DATA / "citizens" / "varmland.csv").table
    return (fit_segments(table, 6, min_size=30, seed=0).segment_set,
            fit_segments(table, 3, min_size=30, seed=0).segment_set)


def test_the_preview_lists_kept_moved_and_lost_work_and_agrees_with_the_refit(fits):
    six, three = fits
    seniors = next(s.id for s in six.segments if s.name.startswith("Seniorer"))
    students = next(s.id for s in six.segments if s.name.startswith("Studerande"))
    names = {seniors: "Våra seniorer", students: "Studenterna"}
    moves = {f"k:vigsel:1780:publish:0:facebook:{seniors}": dt.date(2027, 3, 18),
             f"k:vigsel:1780:publish:0:web:{students}": dt.date(2027, 3, 18),
             "k:vigsel:1780:go_live:-:-:-": dt.date(2027, 3, 1)}
    preview = preview_refit(six, three, names, moves, [seniors, students, None])
    carried = carry_over(six, three, names, moves)
    target = next(s.id for s in three.segments if s.name.startswith("Seniorer"))
    assert preview.names_moved == (("Våra seniorer", seniors, target),)
    assert preview.names_lost == carried.lost_names == ("Studenterna",)
    assert (preview.moves_kept, preview.moves_lost) == (len(carried.moves), carried.lost_moves) == (2, 1)
    assert (preview.edits_kept, preview.edits_lost) == (1, 2)  # the staff briefing stays; both segments' do not
    assert preview.loses and preview.anything
    text = "\n".join(render(m, "sv") for m in preview.messages())
    assert "Studenterna" in text and "Våra seniorer" in text and f"{seniors}" in text


def test_the_same_segments_keep_everything_and_nothing_to_lose(fits):
    six, _ = fits
    names = {s.id: f"Grupp {s.id}" for s in six.segments}
    preview = preview_refit(six, six, names, {f"a:b:c:d:0:web:{six.segments[0].id}": dt.date(2027, 1, 5)},
                            [six.segments[0].id])
    assert not preview.loses and preview.names_kept == tuple(names.values()) and preview.edits_kept == 1


def test_no_work_of_the_officers_means_nothing_to_ask(fits):
    six, three = fits
    assert not preview_refit(six, three, {}, {}, []).anything
