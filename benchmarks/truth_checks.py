"""Listening-free checks that a rendered piece's truth is right.

Used by ``python benchmarks/dataset.py --check``. Each check reads what was written (the MIDI file
back through mido, the audio through soundfile and librosa) or asks music21 itself, so that it
does not share the code whose result it checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from excerpts import EPS_QL, Excerpt
from rendering import SAMPLE_RATE, midi_note_onsets_s


def check_layout(excerpt: Excerpt) -> dict[str, Any]:
    """Does the bar layout put every note on the beat music21 itself gives it?

    music21 computes a note's ``beat`` from its own measure, time signature and pickup padding,
    independently of how ``excerpts.py`` lays bars out (pickups, joined half-bars).
    ``notes_agree`` is the share of notes whose beat in the truth's bars equals music21's;
    ``disagree_in`` lists the measures where they differ. Expected only where music21 takes a
    short measure to be right-aligned: the pickup half of a bar in the middle of an ABC tune, or
    a part that leaves out its last rest (music21 then shifts its notes late).
    """
    starts = np.asarray([bar.start_ql for bar in excerpt.bars])
    disagree: dict[int, int] = {}
    for note in excerpt.notes:
        bar = excerpt.bars[int(np.searchsorted(starts, note.onset_ql + EPS_QL, side="right")) - 1]
        beat = (note.onset_ql - bar.start_ql) / bar.beat_ql + 1
        if abs(beat - note.score_beat) > 1e-6:
            disagree[note.measure] = disagree.get(note.measure, 0) + 1
    return {
        "id": excerpt.piece.id,
        "notes_agree": _r(1 - sum(disagree.values()) / len(excerpt.notes), 4),
        "disagree_in": {str(measure): count for measure, count in sorted(disagree.items())},
    }


def check_onsets(truth: dict[str, Any], midi_path: Path) -> dict[str, Any]:
    """Do notes begin on the truth's beats and downbeats? Read back from the MIDI with mido.

    ``beats_with_onset`` / ``downbeats_with_onset``: the share of truth beats (downbeats) within
    1 ms of a note-on. ``onsets_by_beat``: for each beat_in_bar, the mean number of note-ons on
    its beats; chords and bass notes gather on beat 1 in most music, so a wrong bar phase shows
    as another beat being the heaviest (``heaviest_beat``).
    """
    onsets_s = np.sort(midi_note_onsets_s(midi_path) + truth["midi_offset_s"])
    beat_times = np.asarray([b["time"] for b in truth["beats"]])
    positions = np.asarray([b["beat_in_bar"] for b in truth["beats"]])
    hit = _nearest_distance(beat_times, onsets_s) < 1e-3
    per_beat = (np.searchsorted(onsets_s, beat_times + 1e-3)
                - np.searchsorted(onsets_s, beat_times - 1e-3))
    by_beat = {int(p): _r(float(np.mean(per_beat[positions == p])), 2)
               for p in np.unique(positions)}
    is_down = positions == 1
    return {
        "id": truth["id"],
        "beats_with_onset": _r(float(np.mean(hit)), 3),
        "downbeats_with_onset": _r(float(np.mean(hit[is_down])), 3) if is_down.any() else None,
        "onsets_by_beat": by_beat,
        "heaviest_beat": max(by_beat, key=by_beat.get),
        "notes": int(len(onsets_s)),
    }


def audio_start_ms(truth: dict[str, Any], audio_path: Path, *,
                   threshold_db: float = -50.0) -> float:
    """How long after the truth's first note the audio first rises above ``threshold_db``."""
    audio, rate = soundfile.read(audio_path, dtype="float64", always_2d=True)
    loud = np.flatnonzero(np.max(np.abs(audio), axis=1) > 10 ** (threshold_db / 20))
    return _r((loud[0] / rate - truth["first_note"]) * 1e3, 1) if len(loud) else float("nan")


def _nearest_distance(times: np.ndarray, reference: np.ndarray) -> np.ndarray:
    reference = np.sort(reference)
    index = np.clip(np.searchsorted(reference, times), 1, len(reference) - 1)
    return np.minimum(np.abs(times - reference[index - 1]), np.abs(times - reference[index]))


def audio_lag_ms(truth: dict[str, Any], audio_path: Path, midi_path: Path) -> float:
    """Lag of the audio behind the MIDI note-ons: peak of the cross-correlation of librosa's
    onset strength with the note-on train (a render that drifted or shifted would show here)."""
    import librosa

    y, sr = librosa.load(audio_path, sr=SAMPLE_RATE, mono=True)
    hop = 64
    envelope = librosa.onset.onset_strength(y=y, sr=sr, hop_length=hop)
    train = np.zeros_like(envelope)
    frames = np.round((midi_note_onsets_s(midi_path) + truth["midi_offset_s"]) * sr / hop)
    train[np.clip(frames.astype(int), 0, len(train) - 1)] = 1.0
    max_lag = int(0.1 * sr / hop)
    lags = np.arange(-max_lag, max_lag + 1)
    scores = [float(np.dot(np.roll(train, lag), envelope)) for lag in lags]
    return _r(lags[int(np.argmax(scores))] * hop / sr * 1e3, 1)


def _r(value: float, digits: int = 4) -> float:
    return round(float(value), digits)

