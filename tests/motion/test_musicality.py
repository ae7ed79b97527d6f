"""Positions on the music: a step's inner key positions move onto the beat, the "&" or the "a"."""

import numpy as np
import pytest

from pointe.choreography import loads
from pointe.cli import demo_music
from pointe.motion.musicality import on_the_beat
from pointe.motion.perform import perform
from pointe.motion.synthesis import TimedStep, perform_steps
from pointe.music.analyze import analyze

BEATS = np.arange(0.0, 40.0)  # one beat a second


def test_a_slow_step_reaches_its_positions_on_the_counts():
    # A grand rond de jambe over four counts: "and 1 devant, 2 seconde, 3 derrière, 4 close";
    # by the clock its keys would fall at 0.6, 1.4, 2.4 and 3.4.
    times = on_the_beat([0.0, 0.15, 0.35, 0.6, 0.85, 1.0], 8.0, 12.0, BEATS)
    assert times == pytest.approx((8.0, 8.5, 9.0, 10.0, 11.0, 12.0))


def test_a_sustained_position_keeps_its_length():
    # A piqué turn in one count: up at 0.2, down at 0.8. Both go to the nearest quarters; the
    # turn does not shrink to make room for the "&".
    assert on_the_beat([0.0, 0.2, 0.8, 1.0], 3.0, 4.0, BEATS) == pytest.approx((3, 3.25, 3.75, 4))
    assert on_the_beat([0.0, 0.2, 0.8, 1.0], 3.0, 5.0, BEATS) == pytest.approx((3, 3.5, 4.5, 5))


def test_the_grid_follows_the_tempo():
    beats = np.array([0.0, 1.0, 2.0, 2.5, 3.0, 3.5])  # twice as fast from 2 s
    times = on_the_beat([0.0, 0.3, 0.55, 0.8, 1.0], 1.0, 3.0, beats)
    assert times == pytest.approx((1.0, 1.5, 2.0, 2.5, 3.0))


def test_before_and_after_the_beats_the_grid_goes_on():
    assert on_the_beat([0.0, 0.45, 1.0], -4.0, -2.0, BEATS) == pytest.approx((-4.0, -3.0, -2.0))
    assert on_the_beat([0.0, 0.45, 1.0], 50.0, 52.0, BEATS) == pytest.approx((50.0, 51.0, 52.0))


def test_keys_that_cannot_all_be_placed_keep_their_times():
    ats = [0.0, 0.05, 0.2, 0.35, 0.5, 0.6, 0.7, 0.85, 1.0]  # seven inside one beat: three points
    assert on_the_beat(ats, 2.0, 3.0, BEATS) == pytest.approx(tuple(2.0 + a for a in ats))
    assert on_the_beat([0.0, 0.5, 1.0], 2.0, 3.0, np.array([])) == (2.0, 2.5, 3.0)
    assert on_the_beat([0.0, 1.0], 2.0, 3.0, BEATS) == (2.0, 3.0)


def test_no_key_moves_more_than_half_a_beat_or_past_its_neighbours():
    rng = np.random.default_rng(7)
    for _ in range(300):
        n = int(rng.integers(1, 6))
        ats = np.concatenate([[0.0], np.sort(rng.uniform(0.02, 0.98, n)), [1.0]])
        if np.any(np.diff(ats) < 1e-3):
            continue
        start = float(rng.uniform(0, 10))
        duration = float(rng.choice([0.5, 1.0, 2.0, 3.0, 4.0]))
        natural = start + ats * duration
        times = np.array(on_the_beat(list(ats), start, start + duration, BEATS))
        assert np.all(np.diff(times) > 0)
        assert times[0] == start and times[-1] == start + duration
        moved = np.abs(times - natural)
        assert np.all(moved <= 0.5 + 1e-9)
        gaps = np.minimum(np.diff(natural)[:-1], np.diff(natural)[1:])
        assert np.all(moved[1:-1] <= gaps + 1e-9)


def test_synthesis_takes_key_times_and_checks_them(library):
    step = library.get("grand-rond-de-jambe-en-dehors")
    natural = perform_steps([TimedStep(step, 0.0, 4.0)], fps=30)
    times = on_the_beat([k.at for k in step.keys], 0.0, 4.0, BEATS)
    placed = perform_steps([TimedStep(step, 0.0, 4.0, key_times=times)], fps=30)
    assert natural.rotations.shape == placed.rotations.shape
    assert not np.allclose(natural.rotations, placed.rotations)
    with pytest.raises(ValueError, match="key times"):
        perform_steps([TimedStep(step, 0.0, 4.0, key_times=(0.0, 4.0))], fps=30)


def test_a_performed_adagio_is_still_on_its_beats(library):
    """Danced by the music, the body comes to rest on the counts of a slow step: the kinetic
    speed (Bailando's, the mean over joints) has a minimum within two frames of each beat."""
    music_map = analyze(demo_music().with_suffix(".mid"))
    ballet = loads("title: t\nmusic: {file: demo.mid}\ncast: [{name: Ana}]\nsections:\n"
                   "  - label: A\n    phrases:\n      - {music: 1, counts: 6, dance: "
                   "\"1-4 grand rond de jambe en dehors R | 5-6 hold\"}\n", library)
    motion = perform(ballet, music_map, library, fps=60.0).motions[0]
    joints = motion.joints()
    speed = np.linalg.norm(np.diff(joints, axis=0), axis=2).mean(axis=1)
    first = next(p.first_count for p in music_map.phrases if p.number == 1)
    for count in range(first + 1, first + 4):  # the beats inside the step
        frame = int(round(music_map.counts[count].time_s * 60))
        window = speed[frame - 12:frame + 12]
        assert abs(int(np.argmin(window)) - 12) <= 2, f"count {count - first + 1}"
