import pytest
from hypothesis import given
from hypothesis import strategies as st

from pointe.choreography.lines import DIRECTION_NAMES, format_line, parse_line
from pointe.choreography.model import FACINGS, Move
from pointe.choreography.timing import format_span

CANONICAL = [
    "1 glissade R | 2-3 grand jeté effacé | 4 assemblé | 5-8 repeat other side",
    "1 changement de pieds x2 | 2-4 battement tendu devant L en croix locked (slowly) | 5-8 hold",
    "7& tombé en avant R | a8 pas de bourrée dessous L",
    "1+1.5 glissade derrière R facing downstage-left travel side",
    "1-4 repeat locked",
]


@pytest.mark.parametrize("text", CANONICAL)
def test_canonical_lines_print_back_exactly(text, library):
    assert format_line(parse_line(text, library)) == text


def test_what_a_line_means(library):
    moves = parse_line("1 glissade R | 2-3 grand jeté effacé | 4 assemblé | 5-8 repeat other side",
                       library)
    assert [(m.start_q, m.length_q) for m in moves] == [(0, 4), (4, 8), (12, 4), (16, 16)]
    assert moves[0].side == "right" and moves[1].direction == "efface"
    assert moves[3].step == "repeat" and moves[3].other_side
    assert library.get(moves[1].step).id == "grand-jete"


def test_loose_writing_is_read(library):
    moves = parse_line("1   Glissade   r|2-3 GRAND JETE croise ", library)
    assert format_line(moves) == "1 Glissade R | 2-3 GRAND JETE croisé"


@pytest.mark.parametrize("text, match", [
    ("1 glissade R |", "move 2 is empty"),
    ("glissade", "not a count"),
    ("1", "needs a step"),
    ("1 glissade R purple", "'purple' is not a side"),
    ("1 glissade R L", "already has a side"),
    ("1 glissade other side", "goes with repeat"),
    ("1-4 repeat R", "takes no side"),
    ("1 glissade facing sideways", "facing 'sideways' is not one of"),
])
def test_bad_lines_name_the_move_and_the_problem(text, match, library):
    with pytest.raises(ValueError, match=match):
        parse_line(text, library)


def test_unknown_steps_are_kept_for_validation_to_name(library):
    (move,) = parse_line("1 glisade R", library)
    assert move.step == "glisade" and move.side == "right"


_steps = st.sampled_from(["glissade", "grand jeté", "pas de bourrée dessous", "assemblé dessus",
                          "battement tendu devant", "hold", "repeat"])


@st.composite
def moves(draw):
    out, at = [], 0
    for _ in range(draw(st.integers(1, 6))):
        length = draw(st.integers(1, 12))
        step = draw(_steps)
        directive = step in ("repeat", "hold")
        out.append(Move(
            at, length, step,
            side="" if directive else draw(st.sampled_from(["", "right", "left"])),
            direction="" if directive else draw(st.sampled_from(["", *DIRECTION_NAMES])),
            facing="" if directive else draw(st.sampled_from(["", *FACINGS])),
            times=1 if directive else draw(st.integers(1, 3)),
            en_croix=False if directive else draw(st.booleans()),
            other_side=step == "repeat" and draw(st.booleans()),
            locked=draw(st.booleans()),
            note=draw(st.sampled_from(["", "breathe", "look at Ana"]))))
        at += length
    return tuple(out)


@given(moves())
def test_printing_then_parsing_gives_the_same_moves(library, moves):
    assert parse_line(format_line(moves), library) == moves
    assert all(format_span(m.start_q, m.length_q) in format_line(moves) for m in moves)
