"""Motion synthesis speed and quality, as JSON.

    python benchmarks/motion.py                 # a 3-minute solo, seed 0
    python benchmarks/motion.py --minutes 10 --seed 3
    python benchmarks/motion.py --evening       # also time a whole evening (about 10 s)

Builds a solo from random *feasible* steps of the bundled library (each step starts where the
last one ended: same support and position of the feet), one count = 0.5 s, at 60 fps, and reports:

- speed: joint-frames synthesised per second (frames × 24 joints / seconds of compute), first
  with nothing posed yet (``compute_s``, ``joint_frames_per_s``: every key position is posed in
  the timed run), then again with the poses memoised, as the second dancer of a ballet finds them
  (``warm_compute_s``, ``warm_joint_frames_per_s``);
- ``evening_estimate_s``: the time an evening-length ballet would take (40 minutes, 12 dancers,
  60 fps: 41.5 million joint-frames) at the warm rate, plus ``library_posing_s``, the time to pose
  every key position of the library on both sides (no ballet can need more posing than that);
  with ``--evening``, ``evening_s`` times the real thing: 12 random 40-minute solos of dancers
  1.55 to 1.80 m tall, one after another on one core, nothing posed beforehand;
- quality, as pointe tracks it: EDGE's PFC (mean over 5-second clips, as EDGE reports it),
  LODGE's foot-skating ratio, pointe's planted-foot slide per contact second (at the ankle and
  toe joints, and at the points the feet bear weight on: the ball, or the tips on pointe), and
  ground penetration.

Output: {"schema": "pointe.bench.motion/2", "steps", "frames", "compute_s",
"joint_frames_per_s", "warm_compute_s", "warm_joint_frames_per_s", "library_posing_s",
"evening_estimate_s", "evening_s" (with --evening), "pfc", "lodge_skating_ratio",
"planted_slide_m_per_s", "planted_slide_points_m_per_s", "penetration_frames",
"max_penetration_m"}
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from pointe.body import positions
from pointe.motion import metrics
from pointe.motion.feet import contact_points
from pointe.motion.synthesis import TimedStep, perform_steps
from pointe.vocabulary import library
from pointe.vocabulary.sequences import random_feasible

EVENING_MINUTES = 40
EVENING_DANCERS = 12
EVENING_JOINT_FRAMES = EVENING_MINUTES * 60 * 60 * EVENING_DANCERS * 24
COUNT_S = 0.5


def random_solo(minutes: float, seed: int) -> list[TimedStep]:
    """Feasible steps for ``minutes``: each starts in the state the previous one ended in."""
    timed, t = [], 0.0
    for step, side, duration in random_feasible(library.load().steps, minutes * 60.0, seed=seed,
                                                count_s=COUNT_S):
        timed.append(TimedStep(step, t, duration, side))
        t += duration
    return timed


def _forget_poses() -> None:
    """Empty the memo of posed positions, so that a timing includes posing them."""
    positions._reference_pose.cache_clear()


def library_posing_s() -> float:
    """Seconds to pose every key position of the library on both sides, nothing memoised."""
    wanted = {key.position for step in library.load().steps for key in step.keys}
    _forget_poses()
    started = time.perf_counter()
    for position in wanted:
        for side in ("left", "right"):
            positions.pose(position, side=side)
    return time.perf_counter() - started


def evening_s() -> float:
    """Seconds to synthesise twelve random 40-minute solos, nothing posed beforehand."""
    solos = [random_solo(EVENING_MINUTES, seed) for seed in range(EVENING_DANCERS)]
    heights = np.linspace(1.55, 1.80, EVENING_DANCERS)
    _forget_poses()
    started = time.perf_counter()
    for solo, height in zip(solos, heights, strict=True):
        perform_steps(solo, height_m=float(height))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--evening", action="store_true",
                        help="also synthesise a whole evening (12 dancers, 40 minutes) and time it")
    args = parser.parse_args(argv)
    solo = random_solo(args.minutes, args.seed)
    perform_steps(random_solo(0.1, args.seed + 1))  # warm-up: imports, first allocations
    _forget_poses()
    started = time.perf_counter()
    motion = perform_steps(solo)
    compute_s = time.perf_counter() - started
    started = time.perf_counter()
    perform_steps(solo)
    warm_s = time.perf_counter() - started
    posing_s = library_posing_s()
    joints = motion.joints()
    clips = [metrics.pfc(joints[a:a + 300], fps=60.0) for a in range(0, len(joints) - 299, 300)]
    skate = metrics.foot_skating(joints, fps=60.0)
    sink = metrics.ground_penetration(joints)
    rate = motion.frames * 24 / compute_s
    warm_rate = motion.frames * 24 / warm_s
    report = {
        "schema": "pointe.bench.motion/2", "steps": len(solo), "frames": motion.frames,
        "compute_s": round(compute_s, 3), "joint_frames_per_s": round(rate),
        "warm_compute_s": round(warm_s, 3), "warm_joint_frames_per_s": round(warm_rate),
        "library_posing_s": round(posing_s, 3),
        "evening_estimate_s": round(EVENING_JOINT_FRAMES / warm_rate + posing_s, 1),
    }
    if args.evening:
        report["evening_s"] = round(evening_s(), 2)
    report.update({
        "pfc": round(float(np.mean(clips)), 4) if clips else None,
        "lodge_skating_ratio": round(skate.ratio, 4),
        "planted_slide_m_per_s": round(metrics.planted_slide(joints, motion.contacts,
                                                             fps=60.0), 5),
        "planted_slide_points_m_per_s": round(metrics.planted_slide(
            joints, motion.contacts, fps=60.0, points=contact_points(motion)), 5),
        "penetration_frames": len(sink.frames), "max_penetration_m": round(sink.max_depth_m, 5),
    })
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
