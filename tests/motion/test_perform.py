"""The ballet danced: counts become seconds through the MusicMap, every dancer covers the music."""

import numpy as np
import pytest

from pointe.choreography import loads
from pointe.cli import demo_music
from pointe.motion.metrics import ground_penetration
from pointe.motion.perform import cues, perform, seconds
from pointe.music.analyze import analyze


@pytest.fixture(scope="module")
def music_map():
    return analyze(demo_music().with_suffix(".mid"))  # 3/4, 6-count phrases


def _ballet(library, dance):
    return loads("title: t\nmusic: {file: demo.mid}\ncast: [{name: Ana}, {name: Ben, "
                 "start_m: [2, 0]}]\nsections:\n  - label: A\n    phrases:\n      - "
                 f"{{music: 1, counts: 6, dance: \"{dance}\"}}\n", library)


def test_counts_become_the_musics_seconds(library, music_map):
    first = next(p.first_count for p in music_map.phrases if p.number == 1)
    c = _ballet(library, "1 glissade derrière R | 2+0.5 hold | 2&+1 assemblé dessus L | 3&-6 hold")
    found = {cue.label.split(" ")[0]: cue for cue in cues(c, music_map, library)
             if cue.dancer == "Ana"}
    assert found["glissade"].start_s == pytest.approx(music_map.counts[first].time_s)
    half = (music_map.counts[first + 1].time_s + music_map.counts[first + 2].time_s) / 2
    assert found["glissade"].end_s == pytest.approx(music_map.counts[first + 1].time_s)
    assert found["assemblé"].start_s == pytest.approx(half)
    assert seconds(music_map, first, 6) == pytest.approx(half)


def test_every_dancer_covers_the_music(library, music_map):
    c = _ballet(library, "1 glissade derrière R | 2 assemblé dessus L | 3-6 hold")
    performance = perform(c, music_map, library, fps=30)
    assert [m.dancer for m in performance.motions] == ["Ana", "Ben"]
    for motion in performance.motions:
        assert motion.duration_s == pytest.approx(music_map.duration_s, abs=2 / 30)
        joints = motion.joints()
        assert ground_penetration(joints).frames == ()
    # Ben starts 2 m to the audience's right and dances the same steps there.
    ana, ben = (m.root_m for m in performance.motions)
    assert np.allclose(ben[:, 0] - ana[:, 0], 2.0, atol=1e-6)


def test_a_hold_keeps_still(library, music_map):
    c = _ballet(library, "1-6 hold")
    motion = perform(c, music_map, library, fps=30).motions[0]
    assert np.ptp(motion.root_m, axis=0).max() < 1e-5  # still to 10 µm over the whole piece


def test_a_move_that_names_a_facing_turns_the_dancer_and_travels_that_way(library, music_map):
    from scipy.spatial.transform import Rotation

    from pointe.choreography.flow import Place, expand, travel

    c = _ballet(library, "1 glissade derrière R facing stage-left | 2 assemblé dessus L | 3-6 hold")
    motion = perform(c, music_map, library, fps=30).motions[0]
    ahead = Rotation.from_quat(motion.rotations[-1, 0]).apply([0.0, 0.0, 1.0])
    assert ahead == pytest.approx([1.0, 0.0, 0.0], abs=0.05)  # stage left is +x
    # She ends where the document puts her (its place is the one the checker keeps on stage).
    place = Place(0.0, 0.0, 0.0)
    for d in expand(c.sections[0].phrases[0].lines[0].moves, library):
        place = travel(place, d, 1.65)
    went = motion.root_m[-1, [0, 2]] - motion.root_m[0, [0, 2]]
    assert abs(place.x) + abs(place.z) > 0.2
    assert went == pytest.approx([place.x, place.z], abs=0.12)
