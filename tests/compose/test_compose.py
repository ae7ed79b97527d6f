"""The composer over a grid of music, briefs and seeds: feasible, exact, musical, deterministic."""

from collections import Counter

import pytest

from pointe.choreography import check, dumps, loads
from pointe.choreography.flow import expand
from pointe.choreography.model import line_dancers
from pointe.compose import compose
from pointe.compose.brief import from_dict
from pointe.errors import DocumentError

from .conftest import PIECES

BRIEFS = {
    "plain": {},
    "love-loss-contemporary": {"themes": ["love", "loss", "self-discovery"],
                               "style": "contemporary"},
    "joy-neoclassical-student": {"themes": ["joy"], "style": "neoclassical", "level": "student",
                                 "max_jumps_per_minute": 12},
}


def _steps(c, library, name):
    out = []
    for section in c.sections:
        for phrase in section.phrases:
            for line in phrase.lines:
                if name in line_dancers(phrase, line, c.names):
                    out += [d for d in expand(line.moves, library) if d.step is not None]
    return out


@pytest.mark.parametrize("piece", sorted(PIECES))
@pytest.mark.parametrize("brief", sorted(BRIEFS))
@pytest.mark.parametrize("seed, dancers", [(0, 1), (5, 4)])
def test_every_composition_is_valid_and_fills_the_music(maps, library, piece, brief, seed,
                                                        dancers):
    music_map = maps[piece]
    c = compose(music_map, from_dict(BRIEFS[brief]), library, seed=seed, dancers=dancers)
    assert check(c, library, music_map=music_map) == []  # feasible, on stage, no collisions
    danced = [p.number for p in music_map.phrases if p.number >= 1]
    assert [p.music for s in c.sections for p in s.phrases] == danced
    for section in c.sections:
        for phrase in section.phrases:
            for line in phrase.lines:  # every line fills its phrase exactly
                assert sum(m.length_q for m in line.moves) == phrase.length_q
    assert len(c.cast) == dancers
    level = from_dict(BRIEFS[brief]).step_level
    from pointe.vocabulary.step import LEVELS

    for dancer in c.cast:
        steps = _steps(c, library, dancer.name)
        assert steps
        assert all(LEVELS.index(d.step.level) <= LEVELS.index(level) for d in steps)
        if BRIEFS[brief].get("style") == "classical" or not BRIEFS[brief].get("style"):
            assert not any("contemporary" in d.step.categories for d in steps)


def test_no_filler_no_step_three_times_running(maps, library):
    for piece in PIECES:
        c = compose(maps[piece], None, library, seed=3)
        ids = [d.step.id for d in _steps(c, library, c.cast[0].name)]
        runs = [ids[i] for i in range(len(ids) - 2) if ids[i] == ids[i + 1] == ids[i + 2]]
        assert not runs, (piece, runs)
        assert len(set(ids)) >= min(6, len(ids) // 3), piece


def test_families_follow_the_music(maps, library):
    def families(piece):
        c = compose(maps[piece], None, library, seed=1)
        return Counter(d.step.family for d in _steps(c, library, c.cast[0].name))

    slow, quick = families("adagio-4-4"), families("waltz-3-4")
    slow_share = (slow["adagio"] + slow["pose"]) / sum(slow.values())
    quick_share = (quick["adagio"] + quick["pose"]) / sum(quick.values())
    assert slow_share > quick_share
    assert quick["petit-allegro"] / sum(quick.values()) > slow["petit-allegro"] / sum(
        slow.values())


def test_motifs_are_stated_and_developed(maps, library):
    c = compose(maps["polka-2-4"], None, library, seed=2)
    devices = [p.device for s in c.sections for p in s.phrases]
    assert devices[0].startswith("motif")
    assert any(d.startswith("development") for d in devices)
    first = c.sections[0].phrases[0].lines[0].moves
    assert first[-1].step == "repeat" and first[-1].other_side
    for phrase in (p for s in c.sections for p in s.phrases):
        assert phrase.why.startswith("music: section")


def test_a_diminished_motif_is_danced_in_half_the_time():
    from pointe.choreography.model import Move
    from pointe.compose.composer import _developed, _Motif

    motif = _Motif((Move(0, 8, "balancé de côté", side="right"),
                    Move(8, 8, "pas de basque glissé", side="left")), 4)
    moves = _developed(motif, "diminution")
    # 1 balancé R | 2 pas de basque L | 3-4 repeat other side | 5-8 repeat
    assert [(m.start_q, m.length_q, m.step, m.side, m.other_side) for m in moves] == [
        (0, 4, "balancé de côté", "right", False), (4, 4, "pas de basque glissé", "left", False),
        (8, 8, "repeat", "", True), (16, 16, "repeat", "", False)]
    odd = _Motif((Move(0, 4, "glissade", side="right"), Move(4, 3, "hold"),
                  Move(7, 9, "assemblé", side="left")), 4)
    assert _developed(odd, "diminution") is None  # no half of a quarter count


def test_returning_music_brings_back_its_motif(library, tmp_path):
    from pointe.cli import demo_music
    from pointe.music.analyze import analyze

    music_map = analyze(demo_music().with_suffix(".mid"))  # A B C A′
    c = compose(music_map, None, library, seed=0)
    labels = [s.label for s in c.sections]
    assert labels[0] == "A" and labels[-1].startswith("A") and len(labels) >= 3
    motif = {m.step for m in c.sections[0].phrases[0].lines[0].moves if m.step != "repeat"}
    returned = {m.step for p in c.sections[-1].phrases for line in p.lines for m in line.moves}
    assert motif <= returned


def test_jumps_land_on_counts_and_respect_the_budget(maps, library):
    brief = from_dict({"max_jumps_per_minute": 6})
    music_map = maps["polka-2-4"]
    c = compose(music_map, brief, library, seed=4)
    steps = _steps(c, library, c.cast[0].name)
    jumps = sum(1 for d in steps if d.step.jumps)
    minutes = music_map.duration_s / 60
    assert jumps <= 6 * minutes + 1
    free = compose(music_map, None, library, seed=4)
    assert sum(1 for d in _steps(free, library, free.cast[0].name) if d.step.jumps) > jumps


def test_ensembles_use_devices_and_never_collide(maps, library):
    c = compose(maps["waltz-3-4"], None, library, seed=6, dancers=12)
    assert check(c, library) == []
    devices = " ".join(p.device for s in c.sections for p in s.phrases)
    assert "unison" in devices
    assert any(len(p.lines) > 1 for s in c.sections for p in s.phrases)


@pytest.mark.parametrize("piece", ["waltz-3-4", "polka-2-4"])
def test_a_canon_is_the_whole_material_twice_and_a_mirror_is_half_and_half(maps, library,
                                                                           piece):
    found = set()
    for seed in range(4):
        c = compose(maps[piece], None, library, seed=seed, dancers=6)
        for section in c.sections:
            for p in section.phrases:
                if "(canon)" in p.device:
                    found.add("canon")
                    first, second = (line.moves for line in p.lines)
                    assert first[-1].step == "hold" and second[0].step == "hold"
                    delay = second[0].length_q
                    assert first[-1].length_q == delay and delay > 0
                    # The second group dances all of the first's material, later.
                    assert [(m.start_q + delay, m.step, m.side) for m in first[:-1]] == \
                        [(m.start_q, m.step, m.side) for m in second[1:]]
                if "(mirror)" in p.device:
                    found.add("mirror")
                    a, b = (len(line.dancers) for line in p.lines)
                    assert abs(a - b) <= 1
    assert "canon" in found


def test_same_seed_same_bytes_other_seed_other_ballet(maps, library):
    a = dumps(compose(maps["waltz-3-4"], None, library, seed=9, dancers=3))
    b = dumps(compose(maps["waltz-3-4"], None, library, seed=9, dancers=3))
    c = dumps(compose(maps["waltz-3-4"], None, library, seed=10, dancers=3))
    assert a == b and a != c
    assert dumps(loads(a, library)) == a  # the document round-trips


def test_brief_use_and_avoid(maps, library):
    c = compose(maps["polka-2-4"], from_dict({"avoid": ["glissade derrière", "assemblé dessus"],
                                              "use": ["pas de chat"]}), library, seed=0)
    ids = Counter(d.step.id for d in _steps(c, library, c.cast[0].name))
    assert ids["glissade-derriere"] == 0 and ids["assemble-dessus"] == 0
    assert ids["pas-de-chat"] >= 1


@pytest.mark.parametrize("data, match", [
    ({"themes": ["lvoe"]}, "unknown theme 'lvoe'.*love"),
    ({"style": "jazz"}, "unknown style"),
    ({"level": "diva"}, "unknown level"),
    ({"cast": [{"name": "A"}, {"name": "A"}]}, "share a name"),
    ({"max_jumps_per_minute": -1}, "negative"),
    ({"tempo": 3}, "unknown field 'tempo'"),
])
def test_bad_briefs_say_what_to_fix(data, match):
    with pytest.raises(DocumentError, match=match):
        from_dict(data, path="brief.yaml")


def test_every_theme_names_known_qualities():
    from pointe.compose.brief import DEVICES, ELEVATION_WISHES, TRAVEL_WISHES, themes
    from pointe.vocabulary.step import EFFORT, FAMILIES

    assert len(themes()) >= 20
    for theme in themes().values():
        assert set(theme.effort) <= set(EFFORT)
        assert all(theme.effort[q] in EFFORT[q] for q in theme.effort)
        assert set(theme.families) <= set(FAMILIES)
        assert theme.elevation in ELEVATION_WISHES and theme.travel in TRAVEL_WISHES
        assert set(theme.devices) <= set(DEVICES) and theme.words
