import pytest

from pointe.choreography import dumps, load, loads, save
from pointe.errors import DocumentError

DOC = """\
title: Études
music: {file: demo.ogg, map: music.json}
cast:
  - {name: Ana, start_m: [-1, 0]}
  - {name: Ben, start_m: [1, 0], role: corps, level: intermediate}
sections:
  - label: A
    phrases:
      - music: 1
        counts: 8
        dance: 1 glissade derrière R | 2-3 assemblé dessus L | 4 hold | 5-8 repeat other side
      - music: 2
        counts: 8
        dance:
          - {dancers: [Ana], line: "1-8 hold"}
          - dancers: [Ben]
            moves:
              - {count: "1", counts: 4, step: hold}
              - {count: "5", counts: 2, step: pas de bourrée dessous, side: left, locked: true}
              - "7-8 hold"
"""


def test_reads_lines_and_move_mappings(library):
    c = loads(DOC, library)
    assert c.names == ("Ana", "Ben")
    first, second = c.sections[0].phrases
    assert first.lines[0].dancers == () and len(first.lines[0].moves) == 4
    ben = second.lines[1]
    assert ben.dancers == ("Ben",) and ben.moves[1].locked and ben.moves[1].side == "left"
    assert ben.moves[1].length_q == 8


def test_round_trip_is_exact(library, tmp_path):
    c = loads(DOC, library)
    text = dumps(c)
    assert loads(text, library) == c
    save(c, tmp_path / "ballet.yaml")
    assert (tmp_path / "ballet.yaml").read_text() == text
    assert load(tmp_path / "ballet.yaml", library) == c


@pytest.mark.parametrize("change, place, match", [
    (("title: Études", "title: [1, 2"), "line", "not valid YAML"),
    (("sections:", "sektions:"), "sektions", "did you mean 'sections'"),
    (("{name: Ben,", "{name: Ana,"), "cast", "two dancers are called 'Ana'"),
    (("counts: 8\n        dance: 1 glissade", "counts: 0\n        dance: 1 glissade"),
     "section 1, phrase 1", "phrase of 0 counts"),
    (("2-3 assemblé dessus L", "2-3 assemblé dessus L L"), "section 1, phrase 1",
     "already has a side"),
    (("dancers: [Ana]", "dancers: [Anna]"), "line 1", "did you mean 'Ana'"),
    (("level: intermediate", "level: diva"), "cast 2", "unknown level"),
    (("style", "style"), "", ""),
])
def test_errors_name_the_place(library, change, place, match):
    text = DOC.replace(*change)
    if not match:
        text = "style: ballet\n" + DOC
        place, match = "style", "unknown style"
    with pytest.raises(DocumentError, match=match) as err:
        loads(text, library, path="ballet.yaml")
    assert str(err.value).startswith("ballet.yaml")
    assert place in str(err.value)


def test_missing_file(library, tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        load(tmp_path / "nope.yaml", library)
