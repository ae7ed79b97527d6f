"""Sequences of steps the body can dance one after another.

A step can follow another when it starts in the state the other ended in: the same support
(both feet, the supporting leg, in the air) and, with both feet down, the same position of the
feet. ``random_feasible`` strings such steps together, reproducibly by seed: the raw material of
benchmarks and tests, not a composer.
"""

from __future__ import annotations

import numpy as np

from pointe.vocabulary.step import Step


def can_follow(before: Step, after: Step) -> bool:
    end, start = before.end, after.start
    if end.support != start.support:
        return False
    return end.support != "both" or end.feet == start.feet


def random_feasible(steps: tuple[Step, ...], seconds: float, *, seed: int,
                    count_s: float = 0.5) -> list[tuple[Step, str, float]]:
    """Steps with their side and duration (default counts × ``count_s``), about ``seconds`` long.

    Each step can follow the one before it; when none can, the sequence restarts from a step
    that starts with both feet down.
    """
    if not steps:
        raise ValueError("random_feasible needs a non-empty list of steps")
    rng = np.random.default_rng(seed)
    out: list[tuple[Step, str, float]] = []
    total = 0.0
    while total < seconds:
        options = [s for s in steps if not out or can_follow(out[-1][0], s)]
        if not options:
            options = [s for s in steps if s.start.support == "both"] or list(steps)
        step = options[int(rng.integers(len(options)))]
        side = "right" if rng.random() < 0.5 else "left"
        duration = step.counts[0] * count_s
        out.append((step, side, duration))
        total += duration
    return out
