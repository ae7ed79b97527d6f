"""Decode the beat network's activations: beats by a tempo-aware HMM, then bars over the beats.

Beats (after Krebs, Böck & Widmer 2015, the "bar pointer" state space madmom uses): a hidden state
is a beat period (an integer number of frames, log-spaced from ``MIN_BPM`` to ``MAX_BPM``) and a
position inside it. The position advances one frame a frame; at the end of a period the next
beat starts, at the same or a nearby period (probability ``exp(-TEMPO_LAMBDA * |ratio - 1|)``),
so rubato and tempo changes are followed frame by frame, never averaged. The first
``1/OBSERVATION_LAMBDA`` of a period is "beat": there the beat probability is observed, elsewhere
its complement. Viterbi finds the best path; a beat is where the path starts a period, moved to
the activation's peak nearby and interpolated between frames. Beats at the edges with no
activation (silence before and after the music) are dropped.

Bars: each beat gets the probability that it is a downbeat (the downbeat activation over the beat
activation around it); a second HMM over (beats in the bar, position in the bar) for 2, 3 and 4
beats a bar, where changing the grouping costs ``SWITCH_LOG_PENALTY``, gives each beat its place.

Conventions: activations are ``(frames, 2)`` from ``pointe.music.beatnet``; times in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_BPM = 40.0
MAX_BPM = 220.0
N_TEMPI = 70
TEMPO_LAMBDA = 100.0
OBSERVATION_LAMBDA = 16
HINT_SPREAD = 0.1  # --bpm keeps periods within 10 % of the given tempo
EDGE_ACTIVATION = 0.1  # edge beats weaker than this are silence, not music
# Share of the downbeat activation's peaks that fall between beats, from which the beats are
# taken to be too slow. Every validation work above 0.25 was a quick waltz tracked two quarters
# at a time (0.25-0.40); correctly tracked pieces seen so far reach 0.29 (a string quartet).
OFF_GRID_LIMIT = 0.35
DOWNBEAT_PEAK = 0.3
GROUPINGS = (2, 3, 4)
SWITCH_LOG_PENALTY = 6.0
DOWNBEAT_BIAS = 0.75  # log-odds added to "this beat is a 1" (training/tune_decoder.py)
EPS = 1e-6


@dataclass(frozen=True)
class Beats:
    times_s: np.ndarray
    activation: np.ndarray  # beat probability at each beat (its peak)
    periods_s: np.ndarray  # the decoded beat period at each beat


@dataclass(frozen=True)
class BarPlaces:
    positions: np.ndarray  # 1-based place in the bar of each beat
    groupings: np.ndarray  # beats in the bar each beat belongs to
    downbeat_probability: np.ndarray  # per beat
    confidence: float  # mean probability of the decoded downbeats against the rest


def track(activations: np.ndarray, fps: float, *, bpm_hint: float | None = None) -> Beats:
    """Beats from the network's activations, checked against its downbeats.

    A "1" is a beat: when the downbeat activation peaks between the beats found (more than
    ``OFF_GRID_LIMIT`` of its peaks, a quarter of a period or more from any beat), the beats are
    a level too slow (a quick waltz tapped two quarters at a time crosses its bars); then the
    beats at twice the tempo are taken if the downbeats sit on them better, and if twice the
    tempo is one the beat model would take at all (``MAX_BPM``).
    """
    beat = activations[:, :2].max(axis=1)
    found = track_beats(beat, fps, bpm_hint=bpm_hint)
    if bpm_hint is not None or len(found.times_s) < 4:
        return found
    share = off_grid(activations, found.times_s, fps)
    double = 2.0 * 60.0 / float(np.median(np.diff(found.times_s)))
    if share < OFF_GRID_LIMIT or double > MAX_BPM:
        return found
    faster = track_beats(beat, fps, bpm_hint=double)
    return faster if off_grid(activations, faster.times_s, fps) < share else found


def off_grid(activations: np.ndarray, times_s: np.ndarray, fps: float) -> float:
    """Share of downbeat-activation peaks inside the beats' span lying between beats."""
    from scipy.signal import find_peaks

    peaks, _ = find_peaks(activations[:, 1], height=DOWNBEAT_PEAK, distance=max(1, int(fps / 4)))
    if len(peaks) < 4 or len(times_s) < 4:
        return 0.0
    frames = np.asarray(times_s) * fps
    inside = peaks[(peaks > frames[0]) & (peaks < frames[-1])]
    if not len(inside):
        return 0.0
    after = np.clip(np.searchsorted(frames, inside), 1, len(frames) - 1)
    distance = np.minimum(np.abs(inside - frames[after - 1]), np.abs(frames[after] - inside))
    return float(np.mean(distance > 0.25 * np.median(np.diff(frames))))


def periods(fps: float, *, bpm_hint: float | None = None) -> np.ndarray:
    """Beat periods in frames the beat HMM may take (integers, log-spaced)."""
    low, high = MIN_BPM, MAX_BPM
    if bpm_hint is not None:
        low, high = bpm_hint * (1 - HINT_SPREAD), bpm_hint * (1 + HINT_SPREAD)
    longest = int(np.ceil(60.0 * fps / low))
    shortest = max(2, int(np.floor(60.0 * fps / high)))
    spread = np.geomspace(shortest, longest, N_TEMPI)
    return np.unique(np.rint(spread).astype(int))


def track_beats(beat_activation: np.ndarray, fps: float, *,
                bpm_hint: float | None = None) -> Beats:
    """Beat times from a per-frame beat probability."""
    act = np.clip(np.asarray(beat_activation, float), EPS, 1 - EPS)
    n = len(act)
    lengths = periods(fps, bpm_hint=bpm_hint)
    if n < 2 * lengths.max() // 3 or n == 0:
        return Beats(np.zeros(0), np.zeros(0), np.zeros(0))
    firsts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    lasts = firsts + lengths - 1
    n_states = int(lengths.sum())
    period_of = np.repeat(np.arange(len(lengths)), lengths)
    position = np.arange(n_states) - firsts[period_of]
    is_beat = position < np.maximum(1, lengths[period_of] // OBSERVATION_LAMBDA)
    ratio = lengths[None, :] / lengths[:, None]  # [from, to]
    trans = -TEMPO_LAMBDA * np.abs(ratio - 1.0)
    trans -= np.log(np.exp(trans).sum(axis=1, keepdims=True))
    trans[trans < -30] = -np.inf
    log_on = np.log(act)
    log_off = np.log((1 - act) / (OBSERVATION_LAMBDA - 1))
    score = np.where(is_beat, log_on[0], log_off[0]) - np.log(n_states)
    back = np.zeros((n, len(lengths)), dtype=np.int16)
    shifted = np.empty(n_states)
    columns = np.arange(len(lengths))
    for t in range(1, n):
        shifted[1:] = score[:-1]
        candidates = score[lasts][:, None] + trans
        best = np.argmax(candidates, axis=0)
        back[t] = best
        shifted[firsts] = candidates[best, columns]
        score = shifted + np.where(is_beat, log_on[t], log_off[t])
        score -= score.max()
    state = int(np.argmax(score))
    path = np.empty(n, dtype=np.int64)
    first_set = np.zeros(n_states, dtype=bool)
    first_set[firsts] = True
    for t in range(n - 1, -1, -1):
        path[t] = state
        if t == 0:
            break
        state = int(lasts[back[t, period_of[state]]]) if first_set[state] else state - 1
    starts = np.nonzero(first_set[path])[0]
    spans = lengths[period_of[path[starts]]]
    frames = np.array([_peak(act, f, max(1, s // OBSERVATION_LAMBDA))
                       for f, s in zip(starts, spans, strict=True)])
    peaks = np.array([act[min(n - 1, max(0, int(round(f))))] for f in frames])
    keep = _trim_edges(peaks)
    return Beats(frames[keep] / fps, peaks[keep], spans[keep] / fps)


def _peak(act: np.ndarray, frame: int, reach: int) -> float:
    """The activation's peak near ``frame``, to a fraction of a frame (parabolic fit)."""
    lo, hi = max(0, frame - reach), min(len(act), frame + reach + 1)
    k = lo + int(np.argmax(act[lo:hi]))
    if 0 < k < len(act) - 1:
        a, b, c = act[k - 1], act[k], act[k + 1]
        denominator = a - 2 * b + c
        if denominator < 0:
            return k + float(np.clip(0.5 * (a - c) / denominator, -0.5, 0.5))
    return float(k)


def _trim_edges(peaks: np.ndarray) -> np.ndarray:
    strong = np.nonzero(peaks >= EDGE_ACTIVATION)[0]
    keep = np.zeros(len(peaks), dtype=bool)
    if len(strong):
        keep[strong[0]:strong[-1] + 1] = True
    return keep


def downbeat_probability(activations: np.ndarray, beat_times_s: np.ndarray,
                         fps: float) -> np.ndarray:
    """Per beat: how likely it starts a bar (downbeat over beat activation around it)."""
    frames = np.rint(np.asarray(beat_times_s) * fps).astype(int)
    out = np.empty(len(frames))
    for k, f in enumerate(frames):
        lo, hi = max(0, f - 2), min(len(activations), f + 3)
        beat = float(activations[lo:hi, 0].max()) if hi > lo else 0.0
        down = float(activations[lo:hi, 1].max()) if hi > lo else 0.0
        out[k] = down / max(beat, down, EPS)
    return np.clip(out, 0.01, 0.99)


def subdivision(activations: np.ndarray, beat_times_s: np.ndarray,
                fps: float) -> tuple[int, float]:
    """2 (simple) or 3 (compound), and a 0..1 confidence, from the network's subdivision outputs.

    Channel 2 marks the middle of a beat in simple time, channel 3 the thirds of a beat in
    compound time; each is read where it belongs between consecutive beats.
    """
    if len(beat_times_s) < 3:
        return 2, 0.0
    frames = np.asarray(beat_times_s) * fps
    a, b = frames[:-1], frames[1:]

    def level(channel: int, cuts: tuple[float, ...]) -> float:
        values = []
        for cut in cuts:
            at = np.rint(a + cut * (b - a)).astype(int)
            lo, hi = np.clip(at - 2, 0, len(activations) - 1), np.clip(at + 3, 1, len(activations))
            values.append([activations[x:y, channel].max() for x, y in zip(lo, hi, strict=True)])
        return float(np.mean(values))

    half, thirds = level(2, (0.5,)), level(3, (1 / 3, 2 / 3))
    grouping = 3 if thirds > half else 2
    return grouping, float(abs(thirds - half) / max(thirds + half, EPS))


def place_in_bars(probability: np.ndarray, *, groupings: tuple[int, ...] = GROUPINGS,
                  first_downbeat_index: int | None = None) -> BarPlaces:
    """Each beat's place in its bar, from its downbeat probability (see the module's doc)."""
    n = len(probability)
    if n == 0:
        return BarPlaces(np.zeros(0, int), np.zeros(0, int), np.zeros(0), 0.0)
    on, off = np.log(probability) + DOWNBEAT_BIAS, np.log(1 - probability)
    positions, per_beat = bar_viterbi(
        lambda g, p: on if p == 1 else off, n, groupings, switch_penalty=SWITCH_LOG_PENALTY,
        first_downbeat_index=first_downbeat_index)
    down = positions == 1
    confidence = float(np.mean(probability[down]) - np.mean(probability[~down])) \
        if down.any() and (~down).any() else 0.0
    return BarPlaces(positions, per_beat, probability, float(np.clip(confidence, 0.0, 1.0)))


def bar_viterbi(emission_of, n: int, groupings: tuple[int, ...], *, switch_penalty: float,
                first_downbeat_index: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The best (place in bar, beats in bar) for each of ``n`` beats.

    States are (g, p) for each grouping g and place p = 1 … g; a bar runs p = 1 … g and the next
    starts at 1, costing ``switch_penalty`` when its grouping differs. ``emission_of(g, p)`` gives
    the ``n`` log-scores of place p in a bar of g. ``first_downbeat_index`` forces a "1" there.
    """
    states = [(g, p) for g in groupings for p in range(1, g + 1)]
    emission = np.stack([np.asarray(emission_of(g, p), float) for g, p in states], axis=1)
    if first_downbeat_index is not None and 0 <= first_downbeat_index < n:
        emission[first_downbeat_index, [p != 1 for _, p in states]] = -1e9
    trans = np.full((len(states), len(states)), -np.inf)  # [from, to]
    for a, (g, p) in enumerate(states):
        for b, (g2, p2) in enumerate(states):
            if p < g and g2 == g and p2 == p + 1:
                trans[a, b] = 0.0
            elif p == g and p2 == 1:
                trans[a, b] = 0.0 if g2 == g else -switch_penalty
    score = emission[0].copy()
    back = np.zeros((n, len(states)), dtype=int)
    for t in range(1, n):
        total = score[:, None] + trans
        back[t] = np.argmax(total, axis=0)
        score = total[back[t], np.arange(len(states))] + emission[t]
    path = np.zeros(n, dtype=int)
    path[-1] = int(np.argmax(score))
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return np.array([states[s][1] for s in path]), np.array([states[s][0] for s in path])
