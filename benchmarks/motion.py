"""Motion synthesis speed and quality, as JSON.

    python benchmarks/motion.py                 # a 3-minute solo, seed 0
    python benchmarks/motion.py --minutes 10 --seed 3

Builds a solo from random *feasible* steps of the bundled library (each step starts where the
last one ended: same support and position of the feet), one count = 0.5 s, at 60 fps, and reports:
joint-frames synthesised per second (frames × 24 joints / seconds of compute), the time an
evening-length ballet would take at that rate (40 minutes, 12 dancers, 60 fps: 41.5 million
joint-frames), and the quality figures pointe tracks: EDGE's PFC (mean over 5-second clips, as
EDGE reports it), LODGE's foot-skating ratio, pointe's planted-foot slide per contact second, and
ground penetration.

Output: {"schema": "pointe.bench.motion/1", "steps", "frames", "compute_s",
"joint_frames_per_s", "evening_estimate_s", "pfc", "lodge_skating_ratio",
"planted_slide_m_per_s", "penetration_frames", "max_penetration_m"}
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from pointe.motion import metrics
from pointe.motion.synthesis import TimedStep, perform_steps
from pointe.vocabulary import library
from pointe.vocabulary.sequences import random_feasible

EVENING_JOINT_FRAMES = 40 * 60 * 60 * 12 * 24
COUNT_S = 0.5


def random_solo(minutes: float, seed: int) -> list[TimedStep]:
    """Feasible steps for ``minutes``: each starts in the state the previous one ended in."""
    timed, t = [], 0.0
    for step, side, duration in random_feasible(library.load().steps, minutes * 60.0, seed=seed,
                                                count_s=COUNT_S):
        timed.append(TimedStep(step, t, duration, side))
        t += duration
    return timed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    solo = random_solo(args.minutes, args.seed)
    perform_steps(solo[:4])  # warm-up
    started = time.perf_counter()
    motion = perform_steps(solo)
    compute_s = time.perf_counter() - started
    joints = motion.joints()
    clips = [metrics.pfc(joints[a:a + 300], fps=60.0) for a in range(0, len(joints) - 299, 300)]
    skate = metrics.foot_skating(joints, fps=60.0)
    sink = metrics.ground_penetration(joints)
    rate = motion.frames * 24 / compute_s
    print(json.dumps({
        "schema": "pointe.bench.motion/1", "steps": len(solo), "frames": motion.frames,
        "compute_s": round(compute_s, 3), "joint_frames_per_s": round(rate),
        "evening_estimate_s": round(EVENING_JOINT_FRAMES / rate, 1),
        "pfc": round(float(np.mean(clips)), 4) if clips else None,
        "lodge_skating_ratio": round(skate.ratio, 4),
        "planted_slide_m_per_s": round(metrics.planted_slide(joints, motion.contacts,
                                                             fps=60.0), 5),
        "penetration_frames": len(sink.frames), "max_penetration_m": round(sink.max_depth_m, 5),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
