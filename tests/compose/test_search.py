"""The beam search: it keeps the ways of standing a need at the end can start from, ends at its
target place within the seam's tolerance, and the composer's palettes are built once per kind of
music."""

from dataclasses import replace

import pytest

from pointe.choreography.flow import Body
from pointe.compose.brief import Brief
from pointe.compose.composer import _Composer
from pointe.compose.ensemble import default_cast
from pointe.compose.search import SEAM_M, Box, Candidate, Span, fill, index

FIFTH = Body("both", 5)
RIGHT = Body("right", None)
OPEN = Box((-10.0, 10.0), (-10.0, 10.0))


def _cand(step, need, end, cost, lateral=0.0):
    return Candidate(step, "right", need, end, lateral, 0.0, 0.0, False, 0.0, cost, (1,),
                     (end.weight, end.feet) if end.weight == "both" else (end.weight,),
                     step.id, step.family)


@pytest.fixture(scope="module")
def steps(library):
    return [s for s in library.steps if s.family != "pose"][:12]


def test_a_need_at_the_end_keeps_its_way_of_standing_in_the_beam(steps):
    # Ten cheap steps leave the dancer on her right leg; one dear one keeps her in 5th. A beam
    # of two holds only cheap states, yet the span must end in 5th: it is found all the same.
    cheap = [_cand(s, FIFTH, RIGHT, 0.1) for s in steps[:5]]
    cheap += [_cand(s, RIGHT, RIGHT, 0.1) for s in steps[5:10]]
    dear = [_cand(steps[10], FIFTH, FIFTH, 1.0), _cand(steps[11], FIFTH, FIFTH, 1.0)]
    span = Span(4, FIFTH, 0.0, OPEN, (1.0,) * 8, 99, finish=False, end_need=FIFTH)
    found = fill(span, index(cheap + dear), width=2, jitter={})
    assert found is not None
    assert found[-1][0].end == FIFTH
    # Without the need the cheap way wins.
    free = fill(replace(span, end_need=None), index(cheap + dear), width=2, jitter={})
    assert free is not None and free[-1][0].end == RIGHT


def test_an_exact_span_may_miss_its_target_by_the_seam_tolerance(steps):
    # Steps that go by tenths of a metre cannot end 1.45 m away: 1.4 or 1.5 m, a miss of exactly
    # SEAM_M (however the sum rounds), is there; a target they miss by more is not.
    palette = index([_cand(s, FIFTH, FIFTH, 0.2 + 0.01 * i, lateral=d)
                     for i, (s, d) in enumerate(zip(steps, (0.0, 0.1, 0.2, 0.3, 0.4, 0.5),
                                                    strict=False))])
    span = Span(8, FIFTH, 0.0, OPEN, (1.0,) * 16, 99, finish=False, target=(1.45, 0.0),
                exact=True)
    found = fill(span, palette, width=10, jitter={})
    assert found is not None
    assert abs(1.45 - sum(c.lateral for c, _, _ in found)) == pytest.approx(SEAM_M)
    assert fill(replace(span, target=(1.45, 0.06)), palette, width=10, jitter={}) is None


def test_palettes_are_built_once_per_kind_of_music(maps, library):
    composer = _Composer(maps["waltz-3-4"], Brief(), library, default_cast(3, "advanced"))
    contexts = [c for n, c in sorted(composer.contexts.items()) if n >= 1]
    first = composer.palette(contexts[0])
    assert composer.palette(contexts[0]) is first
    assert all(composer.palette(c) is composer.palette(c) for c in contexts)
    assert len(composer._palettes) <= len(contexts)
