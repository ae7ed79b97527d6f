"""Scores (MIDI, MusicXML): beats and bars exactly from the tempo map and time signatures.

Conventions
-----------
- The felt beat of a time signature: the dotted quarter in compound meters (6/8, 9/8, 12/8),
  the bar in 3/8, otherwise one denominator note (the quarter in 3/4, the half in 2/2).
- A MIDI file has no pickup marker: a first bar whose first note starts one felt beat or more
  after the bar line is read as an anacrusis padded with rests (music21 and most notation programs
  export pickups that way). It becomes bar 0 and holds only the beats that sound.
- MusicXML repeats are played out (``expandRepeats``), as the dancers will hear them.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pointe.errors import MusicError
from pointe.music.decoding import MusicFile


@dataclass(frozen=True)
class Score:
    """Exact timing of a score plus its notes, in seconds."""

    beat_times_s: np.ndarray
    beat_in_bar: np.ndarray
    beat_bar: np.ndarray  # bar number of each beat (0 = pickup)
    bar_starts_s: np.ndarray
    bar_meters: tuple[str, ...]
    bar_beats: np.ndarray
    bar_numbers: np.ndarray
    note_on_s: np.ndarray
    note_off_s: np.ndarray
    pitch: np.ndarray
    velocity: np.ndarray
    duration_s: float

    @property
    def pickup(self) -> bool:
        return bool(len(self.bar_numbers) and self.bar_numbers[0] == 0)


@dataclass(frozen=True)
class _Signature:
    at: float  # quarter notes from the start
    numerator: int
    denominator: int


def felt_beat_quarters(numerator: int, denominator: int) -> float:
    """Length of the felt beat in quarter notes."""
    unit = 4.0 / denominator
    if denominator >= 8 and numerator % 3 == 0 and numerator >= 6:
        return 3 * unit
    if denominator >= 8 and numerator == 3:
        return 3 * unit
    return unit


def read(music: MusicFile) -> Score:
    if music.kind == "midi":
        return _read_midi(music.path)
    if music.kind == "musicxml":
        return _read_musicxml(music.path)
    raise ValueError(f"symbolic.read needs a score, not {music.kind}")


# ------------------------------------------------------------------------------------------ MIDI


def _read_midi(path: Path) -> Score:
    import mido

    try:
        midi = mido.MidiFile(str(path))
    except (OSError, EOFError, ValueError, KeyError, IndexError) as err:
        raise MusicError(path, f"the MIDI file is damaged ({err})",
                         "export the MIDI again from your notation program") from err
    if midi.type == 2:
        raise MusicError(path, "MIDI type 2 (independent sequences) is not supported",
                         "export as MIDI type 0 or 1")
    tpq = float(midi.ticks_per_beat)
    tempos: list[tuple[float, float]] = []
    signatures: list[_Signature] = []
    notes: list[tuple[float, float, int, int]] = []
    for track in midi.tracks:
        tick = 0
        sounding: dict[tuple[int, int], list[tuple[float, int]]] = {}
        for msg in track:
            tick += msg.time
            q = tick / tpq
            if msg.type == "set_tempo":
                tempos.append((q, msg.tempo))
            elif msg.type == "time_signature":
                signatures.append(_Signature(q, msg.numerator, msg.denominator))
            elif msg.type == "note_on" and msg.velocity > 0 and msg.channel != 9:
                sounding.setdefault((msg.channel, msg.note), []).append((q, msg.velocity))
            elif msg.type in ("note_off", "note_on") and msg.channel != 9:
                started = sounding.get((msg.channel, msg.note))
                if started:
                    on_q, velocity = started.pop(0)
                    notes.append((on_q, q, msg.note, velocity))
    if not notes:
        raise MusicError(path, "the MIDI file has no notes", "check it plays in a MIDI player")
    return _build(path, notes, sorted(tempos), signatures)


# ------------------------------------------------------------------------------------ MusicXML


def _read_musicxml(path: Path) -> Score:
    import music21

    try:
        score = music21.converter.parse(str(path))
    except Exception as err:  # music21 raises many unrelated types for a bad file
        raise MusicError(path, f"the MusicXML file cannot be read ({type(err).__name__}: {err})",
                         "export it again from your notation program") from err
    try:
        score = score.expandRepeats()
    except Exception:  # noqa: BLE001 - a score whose repeats music21 cannot expand is still usable
        pass
    flat = score.flatten()
    notes: list[tuple[float, float, int, int]] = []
    for element in flat.notes:
        on_q = float(element.offset)
        off_q = on_q + float(element.quarterLength)
        velocity = element.volume.velocity or 80
        for pitch in element.pitches:
            notes.append((on_q, off_q, int(pitch.midi), int(velocity)))
    if not notes:
        raise MusicError(path, "the score has no notes", "check the file in your notation program")
    tempos: list[tuple[float, float]] = []
    for start_q, _end_q, mark in flat.metronomeMarkBoundaries():
        seconds_per_quarter = mark.secondsPerQuarter()
        tempos.append((float(start_q), seconds_per_quarter * 1e6))  # exact, not MIDI µs
    signatures: list[_Signature] = []
    pickup_q = 0.0
    parts = score.parts if hasattr(score, "parts") and len(score.parts) else [score]
    measures = list(parts[0].getElementsByClass("Measure"))
    for measure in measures:
        ts = measure.timeSignature
        if ts is not None:
            signatures.append(_Signature(float(measure.offset), ts.numerator, ts.denominator))
    if measures and measures[0].paddingLeft:
        pickup_q = float(measures[0].paddingLeft)
    return _build(path, notes, tempos, signatures, pickup_padding_q=pickup_q)


# ------------------------------------------------------------------------------------- shared


def _build(
    path: Path,
    notes: list[tuple[float, float, int, int]],
    tempos: list[tuple[float, float]],
    signatures: list[_Signature],
    *,
    pickup_padding_q: float | None = None,
) -> Score:
    notes.sort()
    note_arr = np.array(notes, dtype=float)
    seconds = _tempo_map(tempos)
    signatures = sorted(signatures, key=lambda s: s.at) or [_Signature(0.0, 4, 4)]
    if signatures[0].at > 0:
        signatures.insert(0, _Signature(0.0, signatures[0].numerator, signatures[0].denominator))
    end_q = float(note_arr[:, 1].max())
    first_note_q = float(note_arr[:, 0].min())

    # With an explicit pickup (MusicXML), shift the grid so bar 1 starts after the pickup.
    # The grid starts ``paddingLeft`` before the first note, so bar 1 falls after the pickup.
    shift_q = float(pickup_padding_q or 0.0)

    beat_q: list[float] = []
    beat_pos: list[int] = []
    beat_barno: list[int] = []
    bar_q: list[float] = []
    bar_meter: list[str] = []
    bar_beat_counts: list[int] = []
    at_q = -shift_q if shift_q else 0.0
    number = 1
    while at_q < end_q - 1e-6:
        sig = signatures[max(0, bisect.bisect_right([s.at for s in signatures], max(at_q, 0.0))
                             - 1)]
        length_q = sig.numerator * 4.0 / sig.denominator
        beat_len = felt_beat_quarters(sig.numerator, sig.denominator)
        n_beats = max(1, int(round(length_q / beat_len)))
        bar_q.append(at_q)
        bar_meter.append(f"{sig.numerator}/{sig.denominator}")
        sounding = 0
        for k in range(n_beats):
            if at_q + k * beat_len >= end_q - 1e-6:
                break  # a final bar shortened by the pickup has no beats after the music ends
            beat_q.append(at_q + k * beat_len)
            beat_pos.append(k + 1)
            beat_barno.append(number)
            sounding += 1
        bar_beat_counts.append(sounding)
        at_q += length_q
        number += 1

    beats_q = np.array(beat_q)
    positions = np.array(beat_pos)
    bar_of_beat = np.array(beat_barno)
    bar_numbers = np.arange(1, len(bar_q) + 1)
    bar_beats = np.array(bar_beat_counts)
    bar_starts_q = np.array(bar_q)

    # The first bar is a pickup when its first note comes a felt beat or more after the bar line
    # (a padded MIDI anacrusis) or when the grid was shifted for an explicit MusicXML pickup.
    first_beat_len = felt_beat_quarters(signatures[0].numerator, signatures[0].denominator)
    pickup = bool(shift_q) or (first_note_q >= first_beat_len - 1e-6 and len(bar_q) > 1
                               and first_note_q < bar_starts_q[1] - 1e-6)
    if pickup:
        keep = beats_q >= first_note_q - 1e-6
        beats_q, positions, bar_of_beat = beats_q[keep], positions[keep], bar_of_beat[keep]
        bar_of_beat = bar_of_beat - 1
        bar_numbers = bar_numbers - 1
        bar_beats = bar_beats.copy()
        bar_beats[0] = int(np.sum(bar_of_beat == 0))
        bar_starts_q = bar_starts_q.copy()
        bar_starts_q[0] = beats_q[0]

    to_s = np.vectorize(seconds)
    shift = -min(0.0, float(beats_q[0]) if len(beats_q) else 0.0)
    return Score(
        beat_times_s=to_s(beats_q + shift),
        beat_in_bar=positions,
        beat_bar=bar_of_beat,
        bar_starts_s=to_s(bar_starts_q + shift),
        bar_meters=tuple(bar_meter),
        bar_beats=bar_beats,
        bar_numbers=bar_numbers,
        note_on_s=to_s(note_arr[:, 0] + shift),
        note_off_s=to_s(note_arr[:, 1] + shift),
        pitch=note_arr[:, 2].astype(int),
        velocity=note_arr[:, 3].astype(int),
        duration_s=float(seconds(end_q + shift)),
    )


def _tempo_map(tempos: list[tuple[float, float]]):
    """A function quarter-note position → seconds from (position, µs per quarter) changes."""
    changes = sorted(tempos) if tempos else [(0.0, 500_000)]
    if changes[0][0] > 0:
        changes.insert(0, (0.0, 500_000))
    starts = [q for q, _ in changes]
    spq = [us / 1e6 for _, us in changes]
    offsets = [0.0]
    for i in range(1, len(changes)):
        offsets.append(offsets[-1] + (starts[i] - starts[i - 1]) * spq[i - 1])

    def seconds(q: float) -> float:
        i = max(0, bisect.bisect_right(starts, q) - 1)
        return offsets[i] + (q - starts[i]) * spq[i]

    return seconds
