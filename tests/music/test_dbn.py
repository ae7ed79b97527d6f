"""Decoding activations: beats through tempo changes, bars over beats, corrections honoured."""

import numpy as np
import pytest

from pointe.music import dbn

FPS = 86.1328125


def _activation(times_s, duration_s, *, height=0.9, floor=0.02):
    act = np.full(int(duration_s * FPS) + 1, floor)
    for t in times_s:
        f = int(round(t * FPS))
        act[f] = height
        act[max(0, f - 1)] = max(act[max(0, f - 1)], height / 3)
        act[min(len(act) - 1, f + 1)] = max(act[min(len(act) - 1, f + 1)], height / 3)
    return act


def test_steady_beats_are_found_to_a_fraction_of_a_frame():
    truth = 0.7 + np.arange(60) * 0.5
    beats = dbn.track_beats(_activation(truth, 32.0), FPS)
    assert len(beats.times_s) == len(truth)
    assert np.max(np.abs(beats.times_s - truth)) < 0.5 / FPS + 1e-9
    assert np.allclose(60 / beats.periods_s, 120, rtol=0.03)


def test_an_accelerando_and_a_sudden_change_are_followed():
    gaps = np.concatenate([np.linspace(0.6, 0.45, 40), np.full(30, 0.62)])
    truth = 1.0 + np.concatenate([[0], np.cumsum(gaps)])
    beats = dbn.track_beats(_activation(truth, truth[-1] + 1.0), FPS)
    assert len(beats.times_s) == len(truth)
    assert np.max(np.abs(beats.times_s - truth)) < 0.02


def test_a_missing_onset_is_bridged_and_silent_edges_are_dropped():
    truth = 3.0 + np.arange(40) * 0.4
    heard = np.delete(truth, [10, 11, 25])
    beats = dbn.track_beats(_activation(heard, truth[-1] + 4.0), FPS)
    assert beats.times_s[0] == pytest.approx(truth[0], abs=0.02)
    assert beats.times_s[-1] == pytest.approx(truth[-1], abs=0.02)
    assert len(beats.times_s) == len(truth)


def test_a_tempo_hint_picks_the_metrical_level():
    truth = 0.5 + np.arange(80) * 0.3  # 200 bpm clicks
    act = _activation(truth, truth[-1] + 1.0)
    assert len(dbn.track_beats(act, FPS).times_s) == len(truth)
    halves = dbn.track_beats(act, FPS, bpm_hint=100.0)
    assert np.allclose(60 / halves.periods_s, 100, rtol=0.1)
    assert len(halves.times_s) == pytest.approx(len(truth) / 2, abs=1)


def test_too_little_music_gives_no_beats():
    assert len(dbn.track_beats(np.full(20, 0.5), FPS).times_s) == 0


@pytest.mark.parametrize("grouping", [2, 3, 4])
def test_bars_follow_the_downbeat_probability(grouping):
    rng = np.random.default_rng(grouping)
    n = 48
    probability = np.where(np.arange(n) % grouping == 1, 0.8, 0.15) + rng.uniform(-0.1, 0.1, n)
    places = dbn.place_in_bars(np.clip(probability, 0.01, 0.99))
    assert set(places.groupings) == {grouping}
    assert np.all((places.positions == 1) == (np.arange(n) % grouping == 1))
    assert places.confidence > 0.4


def test_a_meter_change_is_followed_and_corrections_are_honoured():
    pattern = [0.9, 0.1, 0.1] * 8 + [0.9, 0.1] * 12
    places = dbn.place_in_bars(np.array(pattern))
    assert list(places.groupings[:24]) == [3] * 24 and list(places.groupings[-20:]) == [2] * 20
    forced = dbn.place_in_bars(np.array(pattern), groupings=(4,))
    assert set(forced.groupings) == {4}
    moved = dbn.place_in_bars(np.array(pattern), first_downbeat_index=1)
    assert moved.positions[1] == 1


def test_downbeat_probability_is_downbeat_over_beat_activation():
    act = np.zeros((200, 2))
    act[50] = [0.9, 0.8]
    act[100] = [0.9, 0.05]
    probability = dbn.downbeat_probability(act, np.array([50, 100]) / FPS, FPS)
    assert probability[0] == pytest.approx(0.8 / 0.9)
    assert probability[1] == pytest.approx(0.05 / 0.9, abs=0.01)


def test_subdivision_is_read_between_the_beats():
    beats = 0.5 + np.arange(20) * 0.6
    act = np.zeros((int(13 * FPS), 4))
    for a, b in zip(beats[:-1], beats[1:], strict=True):
        for cut in (1 / 3, 2 / 3):
            act[int(round((a + cut * (b - a)) * FPS)), 3] = 0.8
    assert dbn.subdivision(act, beats, FPS)[0] == 3
    act[:] = 0
    for a, b in zip(beats[:-1], beats[1:], strict=True):
        act[int(round((a + b) / 2 * FPS)), 2] = 0.7
    grouping, confidence = dbn.subdivision(act, beats, FPS)
    assert grouping == 2 and confidence > 0.9
    assert dbn.subdivision(act, beats[:2], FPS) == (2, 0.0)


def test_off_grid_counts_downbeat_peaks_between_beats():
    beats = 1.0 + np.arange(40) * 0.5
    act = np.zeros((int(22 * FPS), 4))
    for t in beats[::3]:  # on the beats
        act[int(round(t * FPS)), 1] = 0.9
    assert dbn.off_grid(act, beats, FPS) == 0.0
    for t in beats[3:-3:3] + 0.3:  # and as many again between them (the first and last on-beat
        act[int(round(t * FPS)), 1] = 0.9  # peaks sit on the span's edges and do not count)
    assert dbn.off_grid(act, beats, FPS) == pytest.approx(0.5)


def _off_grid_activations(bpm: float, seconds: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """Beats at ``bpm`` and downbeat peaks halfway between every other pair of them."""
    beats = 1.0 + np.arange(int((seconds - 2) * bpm / 60)) * 60.0 / bpm
    act = np.zeros((int(seconds * FPS) + 1, 4))
    act[:, 0] = _activation(beats, seconds)[: len(act)]
    for t in beats[1:-1:2] + 30.0 / bpm:
        act[int(round(t * FPS)), 1] = 0.9
    return act, beats


def test_beats_a_level_too_slow_are_doubled_but_never_past_the_fastest_tempo():
    act, beats = _off_grid_activations(80.0)  # "1"s between the beats: the true beat is 160
    assert dbn.off_grid(act, beats, FPS) > dbn.OFF_GRID_LIMIT
    found = dbn.track(act, FPS).times_s
    assert 60.0 / np.median(np.diff(found)) == pytest.approx(160.0, rel=0.03)
    act, beats = _off_grid_activations(130.0)  # twice 130 is past MAX_BPM: kept as it is
    found = dbn.track(act, FPS).times_s
    assert 60.0 / np.median(np.diff(found)) == pytest.approx(130.0, rel=0.03)
