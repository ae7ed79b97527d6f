"""Scores give exact counts: beats and bars from the tempo map and time signatures."""

import numpy as np
import pytest
from made import write_midi

from pointe.errors import MusicError
from pointe.music import analyze


def test_midi_beats_are_exact(tmp_path):
    path = tmp_path / "march.mid"
    write_midi(path, meter=(2, 4), bpm=120, bars=16)
    music_map = analyze(path)
    times = np.array([b.time_s for b in music_map.beats])
    assert np.allclose(times, np.arange(32) * 0.5, atol=1e-9)
    assert [b.beat_in_bar for b in music_map.beats[:4]] == [1, 2, 1, 2]
    assert music_map.meter == "2/4"
    assert music_map.analysis.method == "symbolic"
    assert music_map.count_unit == "beat"
    assert [p.length_counts for p in music_map.phrases] == [8, 8, 8, 8]
    assert [c.number for c in music_map.counts[:9]] == [1, 2, 3, 4, 5, 6, 7, 8, 1]


def test_six_eight_is_felt_in_dotted_quarters(tmp_path):
    path = tmp_path / "jig.mid"
    write_midi(path, meter=(6, 8), bpm=100, bars=8)
    music_map = analyze(path)
    assert music_map.meter == "6/8"
    assert len(music_map.beats) == 16
    assert music_map.beats[1].time_s == pytest.approx(0.6, abs=1e-9)


def test_a_quick_waltz_score_is_counted_one_count_a_bar(tmp_path):
    path = tmp_path / "waltz.mid"
    write_midi(path, meter=(3, 4), bpm=180, bars=32)
    music_map = analyze(path)
    assert music_map.count_unit == "bar"
    assert len(music_map.counts) == 32
    assert np.allclose([c.time_s for c in music_map.counts], np.arange(32) * 1.0, atol=1e-9)


def test_pickup_bar_is_bar_zero_and_the_introduction(tmp_path):
    path = tmp_path / "pickup.mid"
    write_midi(path, meter=(3, 4), bpm=120, bars=16, pickup_beats=1)
    music_map = analyze(path)
    assert music_map.bars[0].pickup and music_map.bars[0].number == 0
    assert music_map.bars[0].beats == 1
    first = music_map.beats[0]
    assert (first.bar, first.beat_in_bar) == (0, 3)
    # The exported pickup is padded with two beats of rest: the pickup note sounds at 1.0 s.
    assert first.time_s == pytest.approx(1.0, abs=1e-9)
    assert music_map.beats[1].time_s == pytest.approx(1.5, abs=1e-9)
    assert music_map.counts[0].phrase == 0
    start = next(c for c in music_map.counts if c.phrase == 1)
    assert start.number == 1 and start.time_s == pytest.approx(1.5, abs=1e-9)


def test_tempo_change_moves_every_later_beat(tmp_path):
    path = tmp_path / "change.mid"
    write_midi(path, meter=(4, 4), bpm=120, bars=8, tempo_changes={16: 60})
    music_map = analyze(path)
    times = np.array([b.time_s for b in music_map.beats])
    assert np.allclose(np.diff(times)[:15], 0.5)
    assert np.allclose(np.diff(times)[16:], 1.0)


def test_meter_change_in_a_score(tmp_path):
    import mido

    path = tmp_path / "mixed.mid"
    midi = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    midi.tracks.append(track)
    track.append(mido.MetaMessage("time_signature", numerator=3, denominator=4, time=0))
    for _ in range(12):  # four bars of 3/4
        track.append(mido.Message("note_on", note=60, velocity=80, time=0))
        track.append(mido.Message("note_off", note=60, velocity=0, time=480))
    track.append(mido.MetaMessage("time_signature", numerator=2, denominator=4, time=0))
    for _ in range(8):  # four bars of 2/4
        track.append(mido.Message("note_on", note=62, velocity=80, time=0))
        track.append(mido.Message("note_off", note=62, velocity=0, time=480))
    midi.save(path)
    music_map = analyze(path)
    assert [b.meter for b in music_map.bars] == ["3/4"] * 4 + ["2/4"] * 4
    assert [b.beat_in_bar for b in music_map.beats[10:16]] == [2, 3, 1, 2, 1, 2]


def test_musicxml_with_pickup(tmp_path):
    import music21

    score = music21.stream.Score()
    part = music21.stream.Part()
    pickup = music21.stream.Measure(number=0)
    pickup.append(music21.meter.TimeSignature("3/4"))
    pickup.append(music21.tempo.MetronomeMark(number=120))
    pickup.append(music21.note.Note("G4", quarterLength=1))
    pickup.paddingLeft = 2.0
    part.append(pickup)
    for number in range(1, 9):
        measure = music21.stream.Measure(number=number)
        measure.append(music21.note.Note("C4", quarterLength=3))
        part.append(measure)
    score.append(part)
    path = tmp_path / "pickup.musicxml"
    score.write("musicxml", fp=str(path))
    music_map = analyze(path)
    assert music_map.meter == "3/4"
    assert music_map.bars[0].pickup and music_map.bars[0].beats == 1
    downbeats = [b.time_s for b in music_map.beats if b.beat_in_bar == 1]
    assert np.allclose(downbeats[:3], [0.5, 2.0, 3.5], atol=1e-6)


def test_user_corrections_regroup_a_score(tmp_path):
    path = tmp_path / "march.mid"
    write_midi(path, meter=(4, 4), bpm=120, bars=8)
    music_map = analyze(path, meter="2/4", count_unit="beat", phrase_length=4)
    assert music_map.meter == "2/4" and music_map.phrase_length == 4
    assert music_map.analysis.corrections == {"meter": "2/4", "count_unit": "beat",
                                              "phrase_length": 4}


def test_bpm_correction_on_a_score_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "march.mid"
    write_midi(path, meter=(4, 4), bpm=120, bars=8)
    with pytest.raises(Exception, match="tempo marks give the beats exactly"):
        analyze(path, bpm=90)


def test_damaged_midi(tmp_path):
    path = tmp_path / "bad.mid"
    path.write_bytes(b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0MTrk\x00\x00\xff\xff")
    with pytest.raises(MusicError, match=r"bad\.mid.*MIDI file is damaged"):
        analyze(path)


def test_compressed_musicxml(tmp_path):
    import music21

    score = music21.stream.Score()
    part = music21.stream.Part()
    part.append(music21.meter.TimeSignature("6/8"))
    part.append(music21.tempo.MetronomeMark(number=90, referent=music21.duration.Duration(1.5)))
    for _ in range(8):
        part.append(music21.note.Note("E4", quarterLength=1.5))
        part.append(music21.note.Note("G4", quarterLength=1.5))
    score.append(part)
    path = tmp_path / "jig.mxl"
    score.write("mxl", fp=str(path))
    music_map = analyze(path)
    assert music_map.meter == "6/8"
    assert music_map.bpm == pytest.approx(90, rel=1e-6)
    assert len(music_map.bars) == 8
