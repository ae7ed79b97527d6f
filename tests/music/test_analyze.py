"""Counting made audio whose truth is known: tempo, beats, meter, downbeats, pickups, curves."""

import numpy as np
import pytest
from made import f_measure, render_piece

from pointe.music import analyze


def _beats(music_map):
    return np.array([b.time_s for b in music_map.beats])


def _downbeats(music_map):
    return np.array([b.time_s for b in music_map.beats if b.beat_in_bar == 1])


@pytest.mark.parametrize("bpm", [72, 96, 120])
def test_beats_and_tempo_of_a_steady_4_4(tmp_path, bpm):
    piece = render_piece(tmp_path, "4/4", bpm, bars=10)
    music_map = analyze(piece.path)
    assert music_map.bpm == pytest.approx(bpm, rel=0.05)
    assert f_measure(_beats(music_map), piece.beats_s) >= 0.95


# From about 140 quarters a minute an oom-pah in 4/4 is as well felt in halves (alla breve).
@pytest.mark.parametrize("bpm", [144, 160, 176, 200])
def test_a_quick_4_4_is_felt_in_quarters_or_halves_and_counted_at_a_dancers_rate(tmp_path, bpm):
    piece = render_piece(tmp_path, "4/4", bpm, bars=12)
    music_map = analyze(piece.path)
    level = bpm if music_map.bpm > 0.75 * bpm else bpm / 2
    assert music_map.bpm == pytest.approx(level, rel=0.05)
    every = 1 if level == bpm else 2
    assert f_measure(_beats(music_map), piece.beats_s[::every]) >= 0.9
    assert 60 <= music_map.counts_per_minute <= 160


@pytest.mark.parametrize(
    ("meter", "bpm"), [("2/4", 112), ("3/4", 132), ("4/4", 100), ("6/8", 100)]
)
def test_meter_and_downbeats(tmp_path, meter, bpm):
    piece = render_piece(tmp_path, meter, bpm, bars=16)
    music_map = analyze(piece.path)
    assert music_map.meter == meter
    assert f_measure(_downbeats(music_map), piece.downbeats_s) >= 0.9


def test_pickup_starts_the_dance_on_the_next_downbeat(tmp_path):
    piece = render_piece(tmp_path, "3/4", 126, bars=16, pickup=1)
    music_map = analyze(piece.path)
    first_one = next(c for c in music_map.counts if c.phrase >= 1 and c.number == 1)
    assert first_one.time_s == pytest.approx(piece.downbeats_s[0], abs=0.05)
    assert music_map.bars[0].pickup
    assert music_map.counts[0].phrase == 0


@pytest.mark.parametrize("curve", ["accelerando", "ritardando"])
def test_beats_follow_a_tempo_curve(tmp_path, curve):
    piece = render_piece(tmp_path, "2/4", 104, bars=20, curve=curve)
    music_map = analyze(piece.path)
    assert f_measure(_beats(music_map), piece.beats_s) >= 0.9
    tempo = np.array([t.bpm for t in music_map.tempo])
    rising = np.median(tempo[-8:]) > np.median(tempo[:8])
    assert rising == (curve == "accelerando")


def test_a_quick_waltz_is_counted_in_bars_a_march_in_beats(tmp_path):
    waltz = analyze(render_piece(tmp_path, "3/4", 180, bars=24).path)
    assert waltz.count_unit == "bar"
    assert waltz.counts_per_minute == pytest.approx(60, rel=0.08)
    march = analyze(render_piece(tmp_path, "2/4", 116, bars=16).path)
    assert march.count_unit == "beat"


def test_phrases_are_eights_of_whole_bars(tmp_path):
    music_map = analyze(render_piece(tmp_path, "4/4", 120, bars=16).path)
    full = [p for p in music_map.phrases if p.number > 0]
    assert [p.length_counts for p in full].count(8) >= len(full) - 1
    for phrase in full:
        first = music_map.counts[phrase.first_count]
        assert first.number == 1
        assert any(b.time_s == pytest.approx(first.time_s, abs=1e-6) and b.beat_in_bar == 1
                   for b in music_map.beats)


def test_energy_and_accent_are_per_count_and_normalised(tmp_path):
    music_map = analyze(render_piece(tmp_path, "3/4", 132, bars=12).path)
    energy = np.array([c.energy for c in music_map.counts])
    accent = np.array([c.accent for c in music_map.counts])
    assert energy.min() >= 0 and energy.max() <= 1 and energy.std() > 0
    assert accent.min() >= 0 and accent.max() <= 1


def test_same_input_same_map(tmp_path):
    path = render_piece(tmp_path, "3/4", 132, bars=12).path
    assert analyze(path).to_dict() == analyze(path).to_dict()


def test_a_meter_change_re_groups_the_bars(tmp_path):
    import soundfile as sf
    from made import SR, beat_times, notes_for

    from pointe.music import synth

    waltz = beat_times(12 * 3, 120)
    polka = waltz[-1] + 0.5 + np.arange(16 * 2) * 0.5
    a = notes_for("3/4", waltz)
    b = notes_for("2/4", polka)
    audio = synth.render_notes(*(x + y for x, y in zip(a, b, strict=True)), sr=SR)
    path = tmp_path / "change.wav"
    sf.write(path, audio, SR)
    bars = analyze(path).bars
    assert [bar.meter for bar in bars[:12]] == ["3/4"] * 12
    assert [bar.meter for bar in bars[12:26]] == ["2/4"] * 14
    assert bars[12].start_s == pytest.approx(polka[0], abs=0.05)


@pytest.mark.parametrize("wanted", [88, 176])
def test_bpm_correction_pins_the_tempo_level(tmp_path, wanted):
    piece = render_piece(tmp_path, "4/4", 176, bars=10)
    music_map = analyze(piece.path, bpm=wanted)
    assert music_map.bpm == pytest.approx(wanted, rel=0.04)
    assert music_map.analysis.corrections == {"bpm": wanted}
