"""Dancer counts and phrases on top of beats and bars.

Conventions
-----------
- The count unit is the beat, half a bar or the bar: the first of these whose rate is at most
  ``MAX_COUNTS_PER_MIN`` (160) — a march or polka is counted in beats, a quick waltz in bars.
- A phrase is a whole number of bars: eight counts where eight counts are whole bars, six where
  a bar has three counts (a slow 3/4 counted in beats). The music may lengthen or shorten single
  phrases (4, 12 or 16 counts) where its phrase boundaries say so.
- Phrase boundaries come from a dynamic programme over bar-start counts that rewards musical
  novelty at each boundary (a checkerboard kernel over the count-level self-similarity of pitch
  and timbre) and charges for every phrase that is not the standard length.
- Counts before the first phrase form the introduction, phrase 0, numbered up to the phrase
  length ("5 6 7 8"): the dancers wait through it and start on "1".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pointe.errors import UsageError
from pointe.music.features import Features

MAX_COUNTS_PER_MIN = 160.0
NONSTANDARD_COST = 2.0
INTRO_COST = 2.0
KERNEL_COUNTS = 4
BOUNDARY_REWARD = 0.5


@dataclass(frozen=True)
class Grid:
    """Beats grouped into bars: the input to counting, whatever the source."""

    beat_times_s: np.ndarray
    beat_in_bar: np.ndarray
    beat_bar: np.ndarray  # bar number per beat (0 = pickup)
    bar_numbers: np.ndarray
    bar_starts_s: np.ndarray
    bar_beats: np.ndarray  # beats in each bar
    bar_meters: tuple[str, ...]


@dataclass(frozen=True)
class Counted:
    times_s: np.ndarray
    bars: np.ndarray
    phrase: np.ndarray  # 0 = introduction
    number: np.ndarray
    phrase_starts: tuple[int, ...]  # index of each phrase's first count (phrase 1, 2, …)
    phrase_lengths: tuple[int, ...]
    intro_counts: int


def choose_count_unit(beat_bpm: float, beats_per_bar: int) -> str:
    if beat_bpm <= MAX_COUNTS_PER_MIN or beats_per_bar == 1:
        return "beat"
    if beats_per_bar % 2 == 0 and beats_per_bar >= 4:
        return "half-bar"
    return "bar"


def counts_per_bar(unit: str, beats_per_bar: int) -> int:
    if unit == "beat":
        return beats_per_bar
    if unit == "half-bar":
        if beats_per_bar % 2:
            raise UsageError(
                f"--count-unit half-bar: a bar of {beats_per_bar} beats has no half "
                "(use beat or bar)"
            )
        return 2
    return 1


def default_phrase_length(per_bar: int) -> int:
    return 8 if 8 % per_bar == 0 else 2 * per_bar if per_bar >= 5 else 6 if per_bar == 3 else 8


def check_phrase_length(length: int, per_bar: int, unit: str) -> None:
    if length < 2 or length > 32:
        raise UsageError(f"--phrase-length {length}: a phrase has 2 to 32 counts (usually 8)")
    if length % per_bar:
        options = [n for n in (4, 6, 8, 12, 16) if n % per_bar == 0]
        raise UsageError(
            f"--phrase-length {length} is not a whole number of bars: a bar has {per_bar} "
            f"counts when counting in {unit}s (try {' or '.join(map(str, options[:2]))})"
        )


def count_times(grid: Grid, unit: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(times, bar numbers, is-bar-start) of every count."""
    times, bars, starts = [], [], []
    for t, pos, bar in zip(grid.beat_times_s, grid.beat_in_bar, grid.beat_bar, strict=True):
        full = grid_bar_full(grid, bar)
        if unit == "beat":
            keep = True
        elif unit == "bar":
            keep = pos == 1 and bar > 0
        else:
            keep = bar > 0 and (pos == 1 or pos == full // 2 + 1)
        if keep:
            times.append(t)
            bars.append(bar)
            starts.append(pos == 1 and bar > 0)
    return np.array(times), np.array(bars, dtype=int), np.array(starts, dtype=bool)


def grid_bar_full(grid: Grid, bar: int) -> int:
    """Beats in a full bar of this bar's meter (a pickup bar is shorter than its meter)."""
    index = int(np.searchsorted(grid.bar_numbers, bar))
    if bar == 0 and index + 1 < len(grid.bar_beats):
        return int(grid.bar_beats[index + 1])
    return int(grid.bar_beats[index])


def novelty_per_count(features: Features, times_s: np.ndarray) -> np.ndarray:
    """Checkerboard novelty of pitch and timbre at each count (z-scored)."""
    n = len(times_s)
    if n < 4:
        return np.zeros(n)
    frames = features.frame_of(times_s)
    edges = np.concatenate([frames, [features.frames]])
    rows = []
    timbre_mean = features.timbre.mean(axis=0)
    timbre_std = features.timbre.std(axis=0) + 1e-6
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        b = max(b, a + 1)
        chroma = features.chroma[a:b].mean(axis=0)
        timbre = ((features.timbre[a:b] - timbre_mean) / timbre_std).mean(axis=0)
        rows.append(np.concatenate([chroma / (np.linalg.norm(chroma) + 1e-9),
                                    0.5 * timbre / (np.linalg.norm(timbre) + 1e-9)]))
    x = np.array(rows)
    return _z(checkerboard(x, KERNEL_COUNTS))


def checkerboard(x: np.ndarray, k: int) -> np.ndarray:
    """Foote's checkerboard novelty of the rows of ``x`` with a tapered kernel of half-width ``k``.

    Only the band |i - j| < 2k of the self-similarity is needed, so memory grows with the length,
    not its square (a two-hour recording has ~15 000 counts).
    """
    n = len(x)
    padded = np.concatenate([np.repeat(x[:1], k, axis=0), x, np.repeat(x[-1:], k, axis=0)])
    band = [np.sum(padded[: len(padded) - d] * padded[d:], axis=1) for d in range(2 * k)]
    sign = np.concatenate([-np.ones(k), np.ones(k)])
    taper = np.exp(-0.5 * (np.linspace(-1, 1, 2 * k) / 0.6) ** 2)
    kernel = np.outer(sign * taper, sign * taper)
    novelty = np.zeros(n)
    for a in range(2 * k):
        for b in range(2 * k):
            low, d = min(a, b), abs(a - b)
            novelty += kernel[a, b] * band[d][low:low + n]
    return _z(novelty)


def segment(
    bar_start: np.ndarray,
    novelty: np.ndarray,
    *,
    first: int,
    length: int,
    per_bar: int,
    fixed: bool,
    allow_intro: bool = True,
) -> list[int]:
    """Phrase start indices (into counts) from ``first`` on, by dynamic programming."""
    n = len(novelty)
    options = {length: 0.0}
    if not fixed:
        for alt, cost in ((length // 2, NONSTANDARD_COST), (length + length // 2, NONSTANDARD_COST),
                          (2 * length, NONSTANDARD_COST + 0.5)):
            if alt >= per_bar and alt % per_bar == 0:
                options.setdefault(alt, cost)
    best = np.full(n + 1, -np.inf)
    back = np.full(n + 1, -1, dtype=int)
    best[first] = 0.0
    # Optional introduction: the first phrase may start some bars after the first downbeat.
    if allow_intro and not fixed:
        for bars in range(1, length // per_bar):
            start = first + bars * per_bar
            if start < n and bar_start[start]:
                score = novelty[start] - INTRO_COST
                if score > best[start]:
                    best[start], back[start] = score, -2
    for i in range(first, n):
        if not np.isfinite(best[i]) or not (bar_start[i] or i == first):
            continue
        for size, cost in options.items():
            j = i + size
            if j < n and bar_start[j]:
                score = best[i] + novelty[j] - cost
            elif j == n:
                score = best[i] - cost
            else:
                continue
            if score > best[j]:
                best[j], back[j] = score, i
        # A short last phrase (a coda) ending the piece.
        if n - i < length and best[i] - 0.5 > best[n]:
            best[n], back[n] = best[i] - 0.5, i
    starts = []
    j = n
    while j > first and back[j] >= 0:
        j = back[j]
        starts.append(j)
    # Here j is ``first`` or, after an introduction (back[j] == -2), the first phrase's start.
    starts = sorted(set(starts) | ({j} if j >= first else set()))
    return [s for s in starts if s < n]


def count(
    grid: Grid,
    features: Features,
    *,
    unit: str,
    phrase_length: int,
    per_bar: int,
    fixed_length: bool,
    allow_intro: bool = True,
) -> Counted:
    """Counts and phrases. ``allow_intro`` lets the music delay the first phrase by some bars
    (an orchestral introduction); a score's bar 1 is the start, so scores pass False."""
    times, bars, bar_start = count_times(grid, unit)
    if len(times) == 0:
        raise UsageError("no counts: the music is shorter than one bar")
    novelty = novelty_per_count(features, times)
    if bar_start.sum() > 1:  # a boundary is rewarded only for more novelty than a usual bar line
        novelty = (novelty - novelty[bar_start].mean()) / (novelty[bar_start].std() + 1e-9)
    # Bounded reward: moving the phrasing off the first downbeat takes consistent evidence over
    # several phrases, not one strong chord change.
    novelty = BOUNDARY_REWARD * np.clip(novelty, -1.0, 1.0)
    downbeats = np.nonzero(bar_start)[0]
    first = int(downbeats[0]) if len(downbeats) else 0
    starts = segment(bar_start, novelty, first=first, length=phrase_length, per_bar=per_bar,
                     fixed=fixed_length, allow_intro=allow_intro)
    if not starts:
        starts = [first]
    phrase = np.zeros(len(times), dtype=int)
    number = np.zeros(len(times), dtype=int)
    bounds = [*starts, len(times)]
    for k, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True), start=1):
        phrase[a:b] = k
        number[a:b] = np.arange(1, b - a + 1)
    intro = starts[0]
    number[:intro] = np.arange(phrase_length - intro + 1, phrase_length + 1) if intro <= \
        phrase_length else np.arange(1, intro + 1)
    lengths = tuple(b - a for a, b in zip(bounds[:-1], bounds[1:], strict=True))
    return Counted(times, bars, phrase, number, tuple(starts), lengths, intro)


def _z(values: np.ndarray) -> np.ndarray:
    spread = np.std(values)
    return (values - np.mean(values)) / (spread + 1e-9) if len(values) > 1 else values * 0.0
