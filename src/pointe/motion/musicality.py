"""Positions on the music: a step's key positions land on the beat, the "&" or the "a".

Conventions
-----------
- A step is given its start and end in music seconds (the counts it is danced on); its key
  positions carry fractions ``at`` of that time. Danced by the clock a key at 0.15 of a four-count
  grand rond de jambe falls 0.6 of a beat after "1", where no dancer puts it: she reaches each
  position on a count ("and 1 devant, 2 à la seconde, 3 derrière, 4 close").
- So each inner key (not the first or the last, which are the step's own counts) is moved to a
  point of the beat grid: a beat, its half (the "&") or its quarters ("e", "a"). Of all the ways
  to put the inner keys on distinct grid points in their order, the one chosen costs least:
  for each key the distance it moves over its distance to the nearer of its neighbouring keys
  (a key may go further where the step leaves it room, so a sustained position keeps its
  length), plus ``RANK_COST`` for a point on a half beat and twice that on a quarter. No key
  moves more than half a beat nor further than its nearer neighbour, and none comes closer to
  the step's ends than ``EDGE_GAP`` of a beat; where the keys cannot all be placed so, they keep
  their times.
- Beats are the MusicMap's felt beats (seconds, increasing); past either end of them their
  first or last interval is repeated, so a step in the introduction or the coda still finds its
  grid. With no beats at all the keys keep their times.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

RANK_COST = 0.6  # cost of a half-beat point over a beat (a quarter: twice), in key gaps moved
MAX_SHIFT = 0.5  # the most a key moves, in beats
EDGE_GAP = 0.2  # the nearest an inner key comes to the step's start or end, in beats
_RANKS = (0, 2, 1, 2)  # the beat, its "e", its "&", its "a"
_ROUND = 4  # decimals of a fraction of the step under which two grids are the same


def on_the_beat(ats: Sequence[float], start_s: float, end_s: float,
                beats_s: np.ndarray) -> tuple[float, ...]:
    """Times (seconds) of key positions at fractions ``ats`` of a step from ``start_s`` to
    ``end_s``, the inner ones moved onto the beat grid of ``beats_s`` (see the conventions)."""
    duration = end_s - start_s
    natural = tuple(start_s + a * duration for a in ats)
    if len(ats) < 3 or duration <= 0 or len(beats_s) == 0:
        return natural
    grid = _grid(beats_s, start_s, end_s)
    if grid is None:
        return natural
    points, ranks, widths = grid
    placed = _place(tuple(round(float(a), _ROUND) for a in ats),
                    tuple(round((p - start_s) / duration, _ROUND) for p in points), ranks,
                    tuple(round(w / duration, _ROUND) for w in widths))
    if placed is None:
        return natural
    return (natural[0], *(points[j] for j in placed), natural[-1])


def _grid(beats: np.ndarray, start_s: float, end_s: float
          ) -> tuple[tuple[float, ...], tuple[int, ...], tuple[float, ...]] | None:
    """Grid points strictly inside the step: times, ranks (0 beat, 1 "&", 2 "e"/"a") and the
    length of the beat each lies in."""
    beats = np.asarray(beats, dtype=np.float64)
    if len(beats) == 1:
        return None
    first_gap, last_gap = beats[1] - beats[0], beats[-1] - beats[-2]
    if first_gap <= 0 or last_gap <= 0:
        return None
    before = max(0, int(np.ceil((beats[0] - start_s) / first_gap)) + 1)
    after = max(0, int(np.ceil((end_s - beats[-1]) / last_gap)) + 1)
    lo = max(int(np.searchsorted(beats, start_s, side="right")) - 1, 0)
    hi = min(int(np.searchsorted(beats, end_s, side="left")) + 1, len(beats))
    inner = beats[lo:hi]
    if lo == 0 and before:
        inner = np.concatenate([beats[0] - first_gap * np.arange(before, 0, -1), inner])
    if hi == len(beats) and after:
        inner = np.concatenate([inner, beats[-1] + last_gap * np.arange(1, after + 1)])
    points, ranks, widths = [], [], []
    for a, b in zip(inner[:-1], inner[1:], strict=True):
        width = b - a
        for q, rank in enumerate(_RANKS):
            t = a + q * width / 4
            if start_s + EDGE_GAP * width < t < end_s - EDGE_GAP * width:
                points.append(float(t))
                ranks.append(rank)
                widths.append(float(width))
    return tuple(points), tuple(ranks), tuple(widths)


@lru_cache(maxsize=4096)
def _place(ats: tuple[float, ...], points: tuple[float, ...], ranks: tuple[int, ...],
           widths: tuple[float, ...]) -> tuple[int, ...] | None:
    """The cheapest increasing assignment of the inner keys of ``ats`` (all the keys'
    fractions of the step, 0 to 1) to distinct ``points`` (fractions too) by dynamic
    programming: the points' indices, or None where there is none."""
    gaps = [min(b - a, c - b) for a, b, c in zip(ats, ats[1:], ats[2:], strict=False)]
    ats = ats[1:-1]
    n, m = len(ats), len(points)
    if n > m:
        return None
    inf = float("inf")
    # cost[i][j]: the best cost of keys 0..i with key i on point j; back[i][j] the point of i-1.
    cost = [[inf] * m for _ in range(n)]
    back = [[-1] * m for _ in range(n)]
    for i, at in enumerate(ats):
        best, best_j = inf, -1
        for j in range(m):
            if i > 0 and j > 0 and cost[i - 1][j - 1] < best:
                best, best_j = cost[i - 1][j - 1], j - 1
            moved = abs(points[j] - at)
            if moved > MAX_SHIFT * widths[j] + 1e-9 or moved > gaps[i] + 1e-9:
                continue
            here = moved / gaps[i] + RANK_COST * ranks[j]
            if i == 0:
                cost[i][j] = here
            elif best < inf:
                cost[i][j] = best + here
                back[i][j] = best_j
    last = min(range(m), key=lambda j: (cost[n - 1][j], j))
    if cost[n - 1][last] == inf:
        return None
    chosen = [last]
    for i in range(n - 1, 0, -1):
        chosen.append(back[i][chosen[-1]])
    return tuple(reversed(chosen))
