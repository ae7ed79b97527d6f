"""Meter and downbeats from beats and the music's own evidence.

The beat tracker says where the pulse is; this module says how the pulse groups into bars. It
listens for what marks a downbeat in dance music:

- harmonic change (chords change on the bar far more than inside it),
- bass onsets (the "oom" of oom-pah-pah),
- accents (onset strength and loudness),
- bar-pattern repetition (a rhythm or melody cell repeats one bar later),
- the sub-beat profile (onsets at thirds of the beat make 6/8, at halves 2/4).

A hidden Markov model over (beats per bar, position in bar) decodes the bar positions of every
beat, so a meter change mid-piece, a pickup, or a tracker's skipped beat re-aligns the bars
instead of shifting every later downbeat. The whole-piece grouping is chosen first and the HMM
prefers it, changing meter only where the evidence holds for several bars.

Conventions: beats per bar ``g`` ∈ {2, 3, 4}; ``subdivision`` 2 (simple) or 3 (compound);
meter strings as written on a score ("3/4", "6/8", "2/2").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pointe.music.dbn import bar_viterbi
from pointe.music.features import Features

GROUPINGS = (2, 3, 4)
SWITCH_LOG_PENALTY = 6.0
GLOBAL_BIAS = 0.35
TRIPLE_SIM_WEIGHT = 20.0
TRIPLE_CONTRAST_WEIGHT = 0.5
FOUR_OVER_TWO = 1.0


@dataclass(frozen=True)
class Metre:
    """Bar positions of each beat and the meter of each bar."""

    positions: np.ndarray  # (beats,) 1 = downbeat
    groupings: np.ndarray  # (beats,) beats per bar of the bar each beat belongs to
    subdivision: int
    meter: str  # main meter
    confidence: float


def meter_name(grouping: int, subdivision: int, *, beat_bpm: float) -> str:
    """Score meter for a grouping of felt beats; 2 slow simple beats are written 2/2."""
    if subdivision == 3:
        return f"{3 * grouping}/8"
    if grouping == 2 and beat_bpm < 84.0:
        return "2/2"
    return f"{grouping}/4"


def parse_meter(text: str) -> tuple[int, int]:
    """'6/8' → (grouping 2, subdivision 3); '3/4' → (3, 2). Raises ValueError with the reason."""
    try:
        num_text, den_text = text.strip().split("/")
        num, den = int(num_text), int(den_text)
    except ValueError:
        raise ValueError(f"meter must look like 3/4 or 6/8 (not {text!r})") from None
    if den not in (2, 4, 8, 16) or num < 1:
        raise ValueError(f"meter {text!r} is not a time signature (try 2/4, 3/4, 4/4, 6/8, 2/2)")
    if den >= 8 and num % 3 == 0 and num >= 6:
        grouping, subdivision = num // 3, 3
    else:
        grouping, subdivision = num, 2
    if grouping not in (1, 2, 3, 4, 5, 6, 7):
        raise ValueError(f"meter {text!r} has too many beats in a bar for pointe to count")
    return grouping, subdivision


def evidence(features: Features, beat_times_s: np.ndarray, curve: np.ndarray) -> np.ndarray:
    """Per-beat downbeat evidence (z-scored mix of harmonic change, bass and accent)."""
    frames = features.frame_of(beat_times_s)
    edges = np.concatenate([frames, [min(features.frames, frames[-1] + (frames[-1] - frames[-2]
                                                                      if len(frames) > 1 else 1))]])
    chroma = np.stack([features.chroma[a:max(b, a + 1)].mean(axis=0)
                       for a, b in zip(edges[:-1], edges[1:], strict=True)])
    norms = np.linalg.norm(chroma, axis=1) + 1e-9
    cos = np.sum(chroma[1:] * chroma[:-1], axis=1) / (norms[1:] * norms[:-1])
    change = np.concatenate([[np.median(1 - cos) if len(cos) else 0.0], 1.0 - cos])
    bass_scale = np.std(features.bass_onset) + 1e-9
    bass = np.array([features.bass_onset[max(0, f - 2):f + 3].max() for f in frames]) / bass_scale
    accent = np.array([curve[max(0, f - 2):f + 3].max() for f in frames])
    level = np.array([features.rms_db[f:f + 6].max() if f < features.frames else -90.0
                      for f in frames])
    return 1.0 * _z(change) + 0.8 * _z(bass) + 0.5 * _z(accent) + 0.7 * _z(level)


def subdivision_of(curve: np.ndarray, beat_frames: np.ndarray) -> tuple[int, float]:
    """2 or 3 from where onsets fall between beats, with a 0..1 confidence."""
    if len(beat_frames) < 4:
        return 2, 0.0
    positions = np.arange(12) / 12.0
    profile = np.zeros(12)
    for a, b in zip(beat_frames[:-1], beat_frames[1:], strict=True):
        if b - a < 6:
            continue
        sample = np.interp(a + positions * (b - a), np.arange(len(curve)), curve)
        profile += sample
    thirds = 0.5 * (profile[4] + profile[8])
    half = profile[6]
    total = thirds + half + 1e-9
    # Compound only when onsets at the thirds are clearly there and clearly beat the half.
    if thirds > 1.5 * half and thirds > 0.15 * profile[0]:
        return 3, float(min(1.0, (thirds - half) / total))
    return 2, float(min(1.0, (half - thirds) / total + 0.3))


def pattern_similarity(features: Features, curve: np.ndarray, beat_frames: np.ndarray,
                       lag: int) -> float:
    """Mean similarity of each beat's onset-and-pitch pattern with the one ``lag`` beats later."""
    if len(beat_frames) <= lag + 2:
        return 0.0
    vectors = []
    for a, b in zip(beat_frames[:-1], beat_frames[1:], strict=True):
        sample = np.interp(a + np.arange(6) / 6.0 * (b - a), np.arange(len(curve)), curve)
        chroma = features.chroma[a:max(b, a + 1)].mean(axis=0)
        vectors.append(np.concatenate([sample / (np.linalg.norm(sample) + 1e-9),
                                       chroma / (np.linalg.norm(chroma) + 1e-9)]))
    v = np.array(vectors)
    return float(np.mean(np.sum(v[lag:] * v[:-lag], axis=1)) / 2.0)


def decode(
    features: Features,
    beat_times_s: np.ndarray,
    curve: np.ndarray,
    *,
    beat_bpm: float,
    forced: tuple[int, int] | None = None,
    first_downbeat_index: int | None = None,
) -> Metre:
    """Bar positions for every beat. ``forced`` (grouping, subdivision) comes from ``--meter``."""
    n = len(beat_times_s)
    frames = features.frame_of(beat_times_s)
    f = evidence(features, beat_times_s, curve) if n >= 2 else np.zeros(n)
    if forced is not None:
        grouping, subdivision = forced
        groupings = (grouping,)
        confidence = 1.0
    else:
        subdivision, sub_conf = subdivision_of(curve, frames)
        scores = {g: _grouping_score(f, g) for g in GROUPINGS}
        sims = {g: pattern_similarity(features, curve, frames, g) for g in GROUPINGS}
        grouping, margin = choose_grouping(scores, sims)
        confidence = float(np.clip(0.5 + margin, 0.0, 1.0) * (0.5 + 0.5 * sub_conf))
        groupings = GROUPINGS
    positions, per_beat = _viterbi(f, groupings, preferred=grouping,
                                   first_downbeat_index=first_downbeat_index)
    meter = meter_name(grouping, subdivision, beat_bpm=beat_bpm)
    return Metre(positions, per_beat, subdivision, meter, confidence)


def grouping_scores(features: Features, beat_times_s: np.ndarray,
                    curve: np.ndarray) -> dict[int, float]:
    """Downbeat contrast of each grouping in ``GROUPINGS`` for these beats."""
    f = evidence(features, beat_times_s, curve)
    return {g: _grouping_score(f, g) for g in GROUPINGS}


def choose_grouping(scores: dict[int, float], sims: dict[int, float]) -> tuple[int, float]:
    """Beats per bar from downbeat contrast (``scores``) and pattern repetition (``sims``).

    Triple against duple first: a bar cell that repeats three beats later, more than two or four
    beats later, and a contrast that favours three. Then two against four by contrast alone (four
    only when its downbeats stand out at least as much as every other beat's do). The weights
    were fitted on the rendered benchmark set (``benchmarks/counts.py``). Returns the grouping
    and a margin (how clear the decision was).
    """
    triple = TRIPLE_SIM_WEIGHT * (sims[3] - 0.5 * (sims[2] + sims[4])) + TRIPLE_CONTRAST_WEIGHT * (
        scores[3] - max(scores[2], scores[4]))
    if triple > 0:
        return 3, float(triple)
    duple_margin = scores[4] - FOUR_OVER_TWO * scores[2]
    return (4 if duple_margin > 0 else 2), float(min(-triple, abs(duple_margin)))


def _grouping_score(f: np.ndarray, g: int) -> float:
    """Best contrast between downbeat candidates and other beats over the phases of ``g``."""
    if len(f) < 2 * g:
        return 0.0
    best = -np.inf
    idx = np.arange(len(f))
    for phase in range(g):
        on = (idx - phase) % g == 0
        best = max(best, f[on].mean() - f[~on].mean())
    return float(best)


def _viterbi(
    f: np.ndarray, groupings: tuple[int, ...], *, preferred: int, first_downbeat_index: int | None
) -> tuple[np.ndarray, np.ndarray]:
    if len(f) == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)

    def emission(g: int, p: int) -> np.ndarray:
        score = f if p == 1 else -f / (g - 1)
        return score + GLOBAL_BIAS if g == preferred else score

    return bar_viterbi(emission, len(f), groupings, switch_penalty=SWITCH_LOG_PENALTY,
                       first_downbeat_index=first_downbeat_index)


def _z(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return np.zeros_like(values)
    spread = np.std(values)
    return (values - np.mean(values)) / (spread + 1e-9)
