from pointe.choreography import loads
from pointe.cli import demo_music
from pointe.music.analyze import analyze
from pointe.score.ballet import explain, render

DOC = """title: Petite suite
music: {file: demo.mid}
cast: [{name: Ana}, {name: Ben, role: corps, start_m: [2, 0]}]
sections:
  - label: A
    why: follows music section A
    phrases:
      - music: 1
        counts: 6
        device: motif
        why: "music: quick; device: a motif"
        dance:
          - dancers: [Ana]
            line: 1 glissade derrière R | 2 assemblé dessus L | 3 hold | 4-6 repeat other side
          - {dancers: [Ben], line: "1-6 hold"}
"""


def test_count_sheet_shows_each_line(library):
    music_map = analyze(demo_music().with_suffix(".mid"))
    text = render(loads(DOC, library), music_map)
    assert text.splitlines()[0] == "Petite suite"
    assert "Cast: Ana (soloist), Ben (corps)." in text
    assert "  1.1  0:00.0  6 counts  (motif)" in text
    assert ("      Ana: 1 glissade derrière R | 2 assemblé dessus L | 3 hold | "
            "4-6 repeat other side") in text
    assert "      Ben: 1-6 hold" in text


def test_explain_lists_the_reasons(library):
    text = explain(loads(DOC, library))
    assert "  1.1 motif\n      - music: quick\n      - device: a motif" in text
