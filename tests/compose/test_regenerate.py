"""Regenerating part of a ballet keeps its locks and its seams, and nothing outside it changes."""

from dataclasses import replace

import pytest

from pointe.choreography import check, dumps
from pointe.compose import compose
from pointe.compose.regenerate import regenerate
from pointe.errors import UsageError


def _lock(c, section, phrase, index):
    p = c.sections[section].phrases[phrase]
    line = p.lines[0]
    moves = list(line.moves)
    moves[index] = replace(moves[index], locked=True)
    new_p = replace(p, lines=(replace(line, moves=tuple(moves)), *p.lines[1:]))
    phrases = list(c.sections[section].phrases)
    phrases[phrase] = new_p
    sections = list(c.sections)
    sections[section] = replace(sections[section], phrases=tuple(phrases))
    return replace(c, sections=tuple(sections))


@pytest.mark.parametrize("piece", ["waltz-3-4", "adagio-4-4", "march-changes-4-4"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_locks_survive_and_the_seams_hold(maps, library, piece, seed):
    music_map = maps[piece]
    c = compose(music_map, None, library, seed=0)
    c = _lock(c, 0, 1, 1)  # phrase 1.2, its second move
    locked = c.sections[0].phrases[1].lines[0].moves[1]
    r = regenerate(c, music_map, library, "1.2", seed=seed)
    assert check(r, library, music_map=music_map) == []
    assert locked in r.sections[0].phrases[1].lines[0].moves
    # Nothing outside the phrase changed.
    for s, section in enumerate(r.sections):
        for p, phrase in enumerate(section.phrases):
            if (s, p) != (0, 1):
                assert phrase == c.sections[s].phrases[p]
    assert "regenerated" in r.sections[0].phrases[1].why


def test_a_canon_regenerated_stays_a_canon(maps, library):
    from pointe.compose.regenerate import _canon_delay

    for seed in range(6):
        c = compose(maps["waltz-3-4"], None, library, seed=seed, dancers=6)
        where = [(s, p) for s, section in enumerate(c.sections)
                 for p, phrase in enumerate(section.phrases) if "(canon)" in phrase.device]
        if where:
            break
    s, p = where[0]
    c = _lock(c, s, p, 0)
    r = regenerate(c, maps["waltz-3-4"], library, f"{s + 1}.{p + 1}", seed=5)
    assert check(r, library) == []
    phrase = r.sections[s].phrases[p]
    assert _canon_delay(phrase) == _canon_delay(c.sections[s].phrases[p]) > 0
    assert phrase.lines[0].moves[0] == c.sections[s].phrases[p].lines[0].moves[0]  # locked
    assert phrase != c.sections[s].phrases[p]


def test_a_single_move_and_a_section(maps, library):
    music_map = maps["waltz-3-4"]
    c = compose(music_map, None, library, seed=0)
    first = c.sections[0].phrases[2].lines[0].moves
    at = first[1].start_q
    r = regenerate(c, music_map, library, f"1.3@{at // 4 + 1}", seed=4)
    assert check(r, library) == []
    moves = r.sections[0].phrases[2].lines[0].moves
    assert moves[0] == first[0] and moves[-1] == first[-1]
    r = regenerate(c, music_map, library, "1", seed=4)
    assert check(r, library) == []


def test_deterministic(maps, library):
    music_map = maps["waltz-3-4"]
    c = compose(music_map, None, library, seed=0)
    assert dumps(regenerate(c, music_map, library, "1.2", seed=8)) == \
        dumps(regenerate(c, music_map, library, "1.2", seed=8))


@pytest.mark.parametrize("target, match", [("9", "no section 9"), ("1.99", "no phrase 99"),
                                           ("x", "is not a section"), ("1.1@8&", "no move"),
                                           ("1@3", "by its phrase and count")])
def test_bad_targets(maps, library, target, match):
    c = compose(maps["waltz-3-4"], None, library, seed=0)
    with pytest.raises(UsageError, match=match):
        regenerate(c, maps["waltz-3-4"], library, target, seed=1)
