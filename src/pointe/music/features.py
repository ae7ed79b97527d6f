"""Frame features of a piece: what the beat, meter, phrase and section logic listen to.

Conventions
-----------
- One frame every ``HOP`` samples at ``ANALYSIS_SR`` (about 86 frames a second); frame ``k`` is
  centred at ``k * HOP / ANALYSIS_SR`` seconds. ``Features.fps`` carries the rate.
- ``onset``: spectral flux of the log-mel spectrum (positive changes summed over bands), the
  attack strength at each frame; ``bass_onset``: the same below ~250 Hz, where bass notes and
  downbeats live; ``chroma``: 12 pitch-class energies (C … B), for harmonic change; ``rms_db``:
  frame level in dBFS; ``centroid_hz``: brightness; ``timbre``: a coarse log-mel profile;
  ``logmel``: the whole ``log(1 + 1000 mel)`` spectrum (float16), which the beat network reads
  (``None`` for a symbolic score).
- Audio features are computed on a stream of blocks: the same numbers whatever the block size.
  Symbolic scores give the same fields from their notes (``from_notes``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from pointe.music.decoding import ANALYSIS_SR

N_FFT = 2048
HOP = 256
N_MELS = 64
BASS_MELS = 10  # mel bands below ~250 Hz at 22 050 Hz with 64 bands
N_TIMBRE = 12
FPS = ANALYSIS_SR / HOP


@dataclass(frozen=True)
class Features:
    fps: float
    onset: np.ndarray  # (frames,)
    bass_onset: np.ndarray  # (frames,)
    chroma: np.ndarray  # (frames, 12), each frame sums to 1 (or 0 in silence)
    rms_db: np.ndarray  # (frames,)
    centroid_hz: np.ndarray  # (frames,)
    timbre: np.ndarray  # (frames, N_TIMBRE) log-mel profile, coarse
    duration_s: float
    logmel: np.ndarray | None = None  # (frames, N_MELS) float16, what the beat network hears

    @property
    def frames(self) -> int:
        return len(self.onset)

    def times(self) -> np.ndarray:
        return np.arange(self.frames) / self.fps

    def frame_of(self, time_s: float | np.ndarray) -> np.ndarray:
        return np.clip(np.rint(np.asarray(time_s) * self.fps).astype(int), 0, self.frames - 1)

    def to_npz(self) -> dict[str, np.ndarray]:
        return {
            "fps": np.array(self.fps), "onset": self.onset, "bass_onset": self.bass_onset,
            "chroma": self.chroma, "rms_db": self.rms_db, "centroid_hz": self.centroid_hz,
            "timbre": self.timbre, "duration_s": np.array(self.duration_s),
            **({"logmel": self.logmel} if self.logmel is not None else {}),
        }

    @classmethod
    def from_npz(cls, data) -> Features:
        return cls(
            fps=float(data["fps"]), onset=data["onset"], bass_onset=data["bass_onset"],
            chroma=data["chroma"], rms_db=data["rms_db"], centroid_hz=data["centroid_hz"],
            timbre=data["timbre"], duration_s=float(data["duration_s"]),
            logmel=data["logmel"] if "logmel" in data else None,
        )


class _Filters:
    """Mel, chroma and band-grouping matrices, built once per extraction."""

    def __init__(self, sr: int) -> None:
        import librosa

        self.window = np.hanning(N_FFT + 1)[:-1].astype(np.float32)
        self.mel = librosa.filters.mel(sr=sr, n_fft=N_FFT, n_mels=N_MELS, fmax=sr / 2).astype(
            np.float32
        )
        # Chroma weighted towards the middle octaves (centre octave 5, two octaves wide), where
        # melody and harmony sit; rumble and hiss barely count.
        chroma = librosa.filters.chroma(sr=sr, n_fft=N_FFT, n_chroma=12, ctroct=5.0, octwidth=2)
        self.chroma = chroma.astype(np.float32)
        self.freqs = np.fft.rfftfreq(N_FFT, 1.0 / sr).astype(np.float32)
        edges = np.linspace(0, N_MELS, N_TIMBRE + 1).astype(int)
        self.timbre_edges = edges


def extract(blocks: Iterable[np.ndarray], *, sr: int = ANALYSIS_SR) -> Features:
    """Compute ``Features`` from mono float32 blocks at ``sr`` (any block sizes)."""
    filters = _Filters(sr)
    pending = np.zeros(N_FFT // 2, dtype=np.float32)  # centred frames: half a window of silence
    parts: list[dict[str, np.ndarray]] = []
    prev_logmel: np.ndarray | None = None
    total = 0
    for block in blocks:
        total += len(block)
        pending = np.concatenate([pending, block])
        n = 1 + (len(pending) - N_FFT) // HOP if len(pending) >= N_FFT else 0
        if n <= 0:
            continue
        part, prev_logmel = _frames_features(pending, n, filters, prev_logmel)
        parts.append(part)
        pending = pending[n * HOP:]
    # Flush: pad so every sample's centre frame is computed.
    expected = 1 + total // HOP
    done = sum(len(p["onset"]) for p in parts)
    if expected > done:
        pad = np.zeros(N_FFT, dtype=np.float32)
        pending = np.concatenate([pending, pad])
        n = min(expected - done, 1 + (len(pending) - N_FFT) // HOP)
        part, prev_logmel = _frames_features(pending, n, filters, prev_logmel)
        parts.append(part)
    if not parts:
        empty = np.zeros(0, dtype=np.float32)
        return Features(FPS, empty, empty, np.zeros((0, 12), np.float32), empty, empty,
                        np.zeros((0, N_TIMBRE), np.float32), 0.0,
                        np.zeros((0, N_MELS), np.float16))
    joined = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    return Features(
        fps=sr / HOP, onset=joined["onset"], bass_onset=joined["bass_onset"],
        chroma=joined["chroma"], rms_db=joined["rms_db"], centroid_hz=joined["centroid_hz"],
        timbre=joined["timbre"], duration_s=total / sr, logmel=joined["logmel"],
    )


def _frames_features(
    samples: np.ndarray, n: int, filters: _Filters, prev_logmel: np.ndarray | None
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(n)[:, None]
    frames = samples[idx]
    rms = np.sqrt(np.mean(frames**2, axis=1) + 1e-12)
    power = np.abs(np.fft.rfft(frames * filters.window, axis=1)) ** 2
    power = power.astype(np.float32)
    mel = power @ filters.mel.T
    logmel = np.log1p(1000.0 * mel).astype(np.float32)
    previous = logmel[:1] if prev_logmel is None else prev_logmel[None, :]
    diff = np.diff(np.concatenate([previous, logmel]), axis=0)
    rise = np.maximum(diff, 0.0)
    onset = rise.mean(axis=1)
    bass_onset = rise[:, :BASS_MELS].mean(axis=1)
    chroma = power @ filters.chroma.T
    chroma_sum = chroma.sum(axis=1, keepdims=True)
    chroma = np.where(chroma_sum > 1e-10, chroma / np.maximum(chroma_sum, 1e-10), 0.0)
    spectrum_sum = power.sum(axis=1)
    centroid = np.where(spectrum_sum > 1e-10,
                        (power @ filters.freqs) / np.maximum(spectrum_sum, 1e-10), 0.0)
    edges = filters.timbre_edges
    timbre = np.stack([logmel[:, a:b].mean(axis=1) for a, b in zip(edges[:-1], edges[1:],
                                                                    strict=True)], axis=1)
    part = {
        "onset": onset.astype(np.float32),
        "bass_onset": bass_onset.astype(np.float32),
        "chroma": chroma.astype(np.float32),
        "rms_db": (20.0 * np.log10(rms)).astype(np.float32),
        "centroid_hz": centroid.astype(np.float32),
        "timbre": timbre.astype(np.float32),
        "logmel": logmel.astype(np.float16),
    }
    return part, logmel[-1]


def from_notes(
    onsets_s: np.ndarray,
    ends_s: np.ndarray,
    pitches: np.ndarray,
    velocities: np.ndarray,
    duration_s: float,
    *,
    fps: float = FPS,
) -> Features:
    """Features of a symbolic score, frame for frame like the audio ones.

    Onset strength is the summed velocity of notes starting in a frame (bass: below MIDI 52),
    chroma the pitch classes sounding, level the summed velocity of sounding notes in dB, and
    brightness the sounding pitches as frequencies.
    """
    frames = int(np.ceil(duration_s * fps)) + 1
    onset = np.zeros(frames, np.float32)
    bass = np.zeros(frames, np.float32)
    chroma = np.zeros((frames, 12), np.float32)
    level = np.zeros(frames, np.float32)
    weighted_hz = np.zeros(frames, np.float32)
    timbre = np.zeros((frames, N_TIMBRE), np.float32)
    start = np.clip(np.rint(onsets_s * fps).astype(int), 0, frames - 1)
    stop = np.clip(np.rint(ends_s * fps).astype(int), 0, frames - 1)
    weight = velocities.astype(np.float32) / 127.0
    hz = 440.0 * 2.0 ** ((pitches - 69) / 12.0)
    register = np.clip((pitches - 24) * N_TIMBRE // 84, 0, N_TIMBRE - 1)
    np.add.at(onset, start, weight)
    low = pitches < 52
    np.add.at(bass, start[low], weight[low])
    for a, b, pc, w, f, reg in zip(start, np.maximum(stop, start + 1), pitches % 12, weight, hz,
                                   register, strict=True):
        chroma[a:b, pc] += w
        level[a:b] += w
        weighted_hz[a:b] += w * f
        timbre[a:b, reg] += w
    sums = chroma.sum(axis=1, keepdims=True)
    chroma = np.where(sums > 0, chroma / np.maximum(sums, 1e-9), 0.0).astype(np.float32)
    centroid = np.where(level > 0, weighted_hz / np.maximum(level, 1e-9), 0.0).astype(np.float32)
    rms_db = (20.0 * np.log10(np.maximum(level, 1e-4) / 8.0)).astype(np.float32)
    return Features(fps, onset, bass, chroma, rms_db, centroid, np.log1p(timbre), duration_s)
