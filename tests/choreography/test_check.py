"""Validation: each kind of mistake gets its place and a fix; random documents never crash."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pointe.choreography import check, loads
from pointe.errors import DocumentError


def doc(*phrases, cast="[{name: Ana}]", stage=""):
    body = "\n".join(f"      - {{music: {i + 1}, counts: 8, dance: \"{p}\"}}"
                     for i, p in enumerate(phrases))
    return (f"title: t\nmusic: {{file: m.ogg}}\n{stage}cast: {cast}\nsections:\n"
            f"  - label: A\n    phrases:\n{body}\n")


def problems(library, *phrases, **kw):
    return [str(p) for p in check(loads(doc(*phrases, **kw), library), library)]


def test_a_good_phrase_has_no_problems(library):
    assert problems(library, "1 glissade derrière R | 2 assemblé dessus L | 3-4 hold | "
                    "5-8 repeat other side") == []


@pytest.mark.parametrize("line, match", [
    ("1 glisade R | 2-8 hold", "unknown step 'glisade' (did you mean"),
    ("1-2 glissade R | 2-8 hold", "count 2: '2-8 hold' starts before"),
    ("1 glissade R | 3-8 hold", "count 2: counts 2 are empty"),
    ("1 glissade R | 3-8 hold", "write 'hold' there"),
    ("1 glissade R | 2-9 hold", "runs past the phrase's 8 counts"),
    ("1 glissade R | 2-7 hold", "count 8: counts 8 are empty"),
    ("1-8 grand jeté R", "'grand jeté' takes 1 to 2 counts, not 8"),
    ("1 jeté dessus R | 2 assemblé dessus R | 3-8 hold",
     "'assemblé dessus' (right) starts on both feet in 5th but she is on the right leg"),
    ("1-4 glissade en croix | 5-8 hold", "no devant, à la seconde and derrière"),
    ("1 glissade x3 | 2-8 hold", "3 steps cannot share 1 count evenly"),
    ("1-2 glissade R | 3-6 repeat | 7-8 hold", "needs the 4 counts just before"),
])
def test_each_mistake_is_named(library, line, match):
    found = problems(library, line)
    assert found and match in found[0], found
    assert found[0].startswith("phrase 1.1")


def test_transitions_are_followed_across_phrases(library):
    found = problems(library, "1-7 hold | 8 jeté dessus R", "1 assemblé dessus L | 2-8 hold")
    assert found == [] or "phrase 1.2" in found[0]
    found = problems(library, "1-7 hold | 8 jeté dessus R", "1 sissonne simple R | 2-8 hold")
    assert found and found[0].startswith("phrase 1.2, count 1, Ana")


def test_travel_off_the_stage(library):
    stage = "stage: {width_m: 4, depth_m: 4}\n"
    assert problems(library, "1-2 pas de bourrée couru sur la demi-pointe R | 3-8 hold",
                    stage=stage) == []
    line = "1-2 pas de bourrée couru sur la demi-pointe R | 3-4 repeat | 5-8 hold"
    found = problems(library, line, stage=stage)
    assert found and "travels her off the stage to (0.0, 3.0) m" in found[0]
    assert "4 × 4 m" in found[0] and found[0].startswith("phrase 1.1, count 3, Ana")


def test_collisions_and_two_places_at_once(library):
    cast = "[{name: Ana, start_m: [0, 0]}, {name: Ben, start_m: [0.3, 0]}]"
    found = problems(library, "1-8 hold", cast=cast)
    assert found and "Ana and Ben collide" in found[0]
    text = doc("x", cast="[{name: Ana}, {name: Ben, start_m: [2, 0]}]").replace(
        'dance: "x"', 'dance: [{dancers: [Ana], line: "1-8 hold"}, '
        '{dancers: [Ana, Ben], line: "1-8 hold"}]')
    found = [str(p) for p in check(loads(text, library), library)]
    assert found and "Ana: the dancer is in two lines at once" in found[0]


def test_against_the_music(library):
    from pointe.cli import demo_music
    from pointe.music.analyze import analyze

    music_map = analyze(demo_music().with_suffix(".mid"))
    c = loads(doc("1-8 hold"), library)
    found = [str(p) for p in check(c, library, music_map=music_map)]
    assert found and "the phrase has 8 counts but the music's phrase 1 has 6" in found[0]


_word = st.sampled_from(["1", "2-3", "5-8", "7&", "a8", "glissade", "R", "L", "x2", "repeat",
                         "hold", "other side", "|", "croisé", "grand jeté", "en croix", "9",
                         "locked", "(note)", "facing", "back", "#", ":", "-", "assemblé"])


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_word, min_size=0, max_size=14), st.integers(1, 12))
def test_random_documents_never_crash(library, words, counts):
    text = doc(" ".join(words)).replace("counts: 8", f"counts: {counts}")
    try:
        c = loads(text, library)
    except DocumentError as err:
        assert str(err)
        return
    for problem in check(c, library):
        assert problem.place.startswith("phrase") or problem.place.startswith("cast")
        assert problem.problem and problem.fix
