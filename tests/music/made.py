"""Made music whose truth is known: rendered note patterns, MIDI files with known tempo maps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import mido
import numpy as np
import soundfile as sf

from pointe.music import synth

SR = 22_050
# A I–V–vi–IV style progression: a new chord every bar, so harmony marks the downbeats.
PROGRESSION = [(48, (60, 64, 67)), (43, (59, 62, 67)), (45, (60, 64, 69)), (41, (60, 65, 69))]


@dataclass(frozen=True)
class Piece:
    path: Path
    beats_s: np.ndarray  # felt beats
    downbeats_s: np.ndarray
    meter: str
    bpm: float


def beat_times(n_beats: int, bpm: float, *, start_s: float = 0.5,
               curve: str = "steady") -> np.ndarray:
    """Felt-beat times under a tempo curve: steady, accelerando (+30 %) or ritardando (-25 %)."""
    progress = np.linspace(0, 1, n_beats)
    factor = {"steady": np.ones(n_beats), "accelerando": 1 + 0.3 * progress,
              "ritardando": 1 - 0.25 * progress}[curve]
    intervals = 60.0 / (bpm * factor)
    return start_s + np.concatenate([[0.0], np.cumsum(intervals[:-1])])


def notes_for(meter: str, beats_s: np.ndarray, *, pickup: int = 0):
    """Oom-pah patterns: bass on the downbeat, chords after, thirds of the beat in compound time."""
    grouping, compound = {"2/4": (2, False), "3/4": (3, False), "4/4": (4, False),
                          "6/8": (2, True)}[meter]
    on, dur, pitch, vel = [], [], [], []
    ibi = np.diff(beats_s, append=beats_s[-1] + (beats_s[-1] - beats_s[-2]))
    for i, (t, length) in enumerate(zip(beats_s, ibi, strict=True)):
        bar = (i - pickup) // grouping
        position = (i - pickup) % grouping
        bass, chord = PROGRESSION[bar % len(PROGRESSION)]
        if position == 0:
            on.append(t), dur.append(length), pitch.append(bass), vel.append(1.0)
            on.append(t), dur.append(length * grouping), pitch.append(chord[-1] + 12)
            vel.append(0.6)
        else:
            for p in chord:
                on.append(t), dur.append(length * 0.4), pitch.append(p), vel.append(0.35)
        if compound:
            for k in (1, 2):
                on.append(t + k * length / 3), dur.append(length / 3)
                pitch.append(chord[k]), vel.append(0.3)
    return on, dur, pitch, vel


def render_piece(folder: Path, meter: str, bpm: float, *, bars: int = 16, pickup: int = 0,
                 curve: str = "steady", name: str | None = None, fmt: str = "wav") -> Piece:
    grouping = {"2/4": 2, "3/4": 3, "4/4": 4, "6/8": 2}[meter]
    beats = beat_times(bars * grouping + pickup, bpm, curve=curve)
    on, dur, pitch, vel = notes_for(meter, beats, pickup=pickup)
    audio = synth.render_notes(on, dur, pitch, vel, sr=SR)
    path = folder / f"{name or meter.replace('/', '-')}-{int(bpm)}-{curve}.{fmt}"
    sf.write(path, audio, SR)
    downbeats = beats[pickup::grouping]
    return Piece(path, beats, downbeats, meter, bpm)


def write_midi(path: Path, *, meter: tuple[int, int], bpm: float, bars: int,
               pickup_beats: int = 0, tempo_changes: dict[int, float] | None = None) -> None:
    """A MIDI file with a known tempo map; a pickup is padded with rests, as notation exports."""
    tpq = 480
    num, den = meter
    beat_ticks = tpq * 4 // den * (3 if den == 8 and num % 3 == 0 else 1)
    beats_per_bar = num // 3 if den == 8 and num % 3 == 0 else num
    midi = mido.MidiFile(ticks_per_beat=tpq)
    track = mido.MidiTrack()
    midi.tracks.append(track)
    track.append(mido.MetaMessage("time_signature", numerator=num, denominator=den, time=0))
    quarter_bpm = bpm * beat_ticks / tpq
    track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(quarter_bpm), time=0))
    events = []
    total_beats = bars * beats_per_bar + pickup_beats
    start_beat = beats_per_bar - pickup_beats if pickup_beats else 0
    for k in range(total_beats):
        beat_index = start_beat + k
        tick = beat_index * beat_ticks
        bar = beat_index // beats_per_bar
        bass, chord = PROGRESSION[bar % len(PROGRESSION)]
        notes = [bass] if beat_index % beats_per_bar == 0 else list(chord)
        for note in notes:
            events.append((tick, "note_on", note))
            events.append((tick + beat_ticks // 2, "note_off", note))
    for beat_index, new_bpm in (tempo_changes or {}).items():
        events.append((beat_index * beat_ticks, "tempo", new_bpm * beat_ticks / tpq))
    events.sort(key=lambda e: (e[0], e[1] != "tempo", e[1] == "note_on"))
    now = 0
    for tick, kind, value in events:
        delta, now = tick - now, tick
        if kind == "tempo":
            track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(value), time=delta))
        else:
            track.append(mido.Message(kind, note=value, velocity=80, time=delta))
    midi.save(path)


def f_measure(estimated: np.ndarray, reference: np.ndarray, window_s: float = 0.07) -> float:
    """Beat F-measure with a ±70 ms window (mir_eval's definition, greedy one-to-one matching)."""
    if len(estimated) == 0 or len(reference) == 0:
        return 0.0
    used = np.zeros(len(estimated), bool)
    hits = 0
    for ref in reference:
        candidates = np.nonzero(~used & (np.abs(estimated - ref) <= window_s))[0]
        if len(candidates):
            used[candidates[np.argmin(np.abs(estimated[candidates] - ref))]] = True
            hits += 1
    precision, recall = hits / len(estimated), hits / len(reference)
    return 0.0 if hits == 0 else 2 * precision * recall / (precision + recall)
