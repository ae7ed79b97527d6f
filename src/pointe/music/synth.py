"""Made music whose truth is known: click tracks and note lists rendered with a small synth.

Used by the tests and to lay a click track over a recording for listening checks. A note is a
sum of decaying harmonics; a click is a short burst, louder on downbeats.
"""

from __future__ import annotations

import numpy as np


def tone(pitch: float, duration_s: float, *, sr: int, velocity: float = 0.7,
         harmonics: int = 5) -> np.ndarray:
    """One note: decaying harmonics of MIDI ``pitch`` with a 5 ms attack."""
    n = max(1, int(duration_s * sr))
    t = np.arange(n) / sr
    f0 = 440.0 * 2.0 ** ((pitch - 69.0) / 12.0)
    wave = np.zeros(n)
    for h in range(1, harmonics + 1):
        if f0 * h < sr / 2:
            wave += np.sin(2 * np.pi * f0 * h * t) / h
    envelope = np.minimum(1.0, t / 0.005) * np.exp(-t * (2.0 + f0 / 400.0))
    return (velocity * 0.25 * wave * envelope).astype(np.float32)


def render_notes(onsets_s, durations_s, pitches, velocities, *, sr: int = 22_050,
                 tail_s: float = 1.0) -> np.ndarray:
    """Mix notes into one mono signal."""
    onsets_s = np.asarray(onsets_s, float)
    end = float(np.max(onsets_s + np.asarray(durations_s, float))) + tail_s if len(onsets_s) else 0
    out = np.zeros(int(end * sr) + 1, np.float32)
    for onset, dur, pitch, vel in zip(onsets_s, durations_s, pitches, velocities, strict=True):
        note = tone(pitch, dur + 0.3, sr=sr, velocity=vel)
        a = int(onset * sr)
        out[a:a + len(note)] += note[: len(out) - a]
    peak = float(np.max(np.abs(out))) if len(out) else 0.0
    return out / peak * 0.8 if peak > 0 else out


def click_track(times_s, *, sr: int = 22_050, duration_s: float | None = None,
                accents=None) -> np.ndarray:
    """Clicks at ``times_s`` (accented clicks higher and louder where ``accents`` is true)."""
    times_s = np.asarray(times_s, float)
    total = duration_s if duration_s is not None else (times_s.max() + 0.5 if len(times_s) else 1)
    out = np.zeros(int(total * sr) + 1, np.float32)
    accents = np.zeros(len(times_s), bool) if accents is None else np.asarray(accents, bool)
    n = int(0.03 * sr)
    t = np.arange(n) / sr
    for time, accent in zip(times_s, accents, strict=True):
        freq = 1760.0 if accent else 1320.0
        burst = (1.0 if accent else 0.6) * np.sin(2 * np.pi * freq * t) * np.exp(-t / 0.006)
        a = int(time * sr)
        if a < len(out):
            out[a:a + n] += burst[: len(out) - a].astype(np.float32)
    return out
