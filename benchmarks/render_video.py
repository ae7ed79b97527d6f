"""Rehearsal video speed, as JSON: how many times real time the MP4 is written.

    python benchmarks/render_video.py                  # 20 s of the demo, 1 and 12 dancers
    python benchmarks/render_video.py --seconds 45 --dancers 1 4 12 --view top

A cast dances random *feasible* steps of the bundled library (each starts where the last one
ended) on the counts of the bundled demo music, counted from its audio; ``write_video`` renders
``--seconds`` of it at 1280×720, 30 fps, with the music. Reported per cast size: wall seconds,
frames written per second, ``x_real_time`` (seconds of video per second of wall time: above 1 is
faster than real time) and, for where the time goes, the same for drawing the frames alone
(no encoding). The machine's cores are reported with them: ffmpeg encodes on other cores while
Python draws.

Output: {"schema": "pointe.bench.render_video/1", "size", "fps", "seconds", "view", "cores",
"runs": [{"dancers", "wall_s", "frames_per_s", "x_real_time", "draw_frames_per_s"}]}
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pointe.export.scene import Rehearsal
from pointe.export.video import write_video
from pointe.motion.performance import Performance
from pointe.motion.synthesis import TimedStep, perform_steps
from pointe.music.analyze import analyze
from pointe.music.model import MusicMap
from pointe.vocabulary import library
from pointe.vocabulary.sequences import random_feasible

DEMO = Path(__file__).resolve().parents[1] / "src" / "pointe" / "data" / "demo"
NAMES = ("Odette", "Odile", "Giselle", "Aurora", "Kitri", "Clara", "Nikiya", "Gamzatti",
         "Myrtha", "Swanilda", "Raymonda", "Lise")


def demo_cast(music_map: MusicMap, dancers: int, *, seed: int = 0, fps: float = 60.0
              ) -> tuple[Performance, list[dict]]:
    """``dancers`` dancers (three lines of four at most) on random feasible steps, each step on
    the counts of ``music_map``; the moves list labels each step with its name and side."""
    steps = library.load().steps
    times = [c.time_s for c in music_map.counts]
    count_s = float(np.median(np.diff(times)))
    motions, moves = [], []
    for d in range(dancers):
        name = NAMES[d % len(NAMES)] if d < len(NAMES) else f"Dancer {d + 1}"
        across, line = d % 4, d // 4
        x = 0.0 if dancers == 1 else -3.3 + 2.2 * across
        z = 0.0 if dancers == 1 else -2.0 + 2.0 * (line % 3)
        timed, at = [], 0
        for step, side, _ in random_feasible(steps, music_map.duration_s, seed=seed + d,
                                             count_s=count_s):
            if at + step.counts[0] >= len(times):
                break
            start_s = 0.0 if not timed else times[at]  # the first step begins with the music
            end_s = times[at + step.counts[0]]
            timed.append(TimedStep(step, start_s, end_s - start_s, side))
            moves.append({"dancer": name, "start_s": start_s, "end_s": end_s,
                          "label": f"{step.name} ({side})"})
            at += step.counts[0]
        motions.append(perform_steps(timed, fps=fps, dancer=name, start_m=(x, z),
                                     height_m=1.58 + 0.01 * (d % 8)))
    return Performance(fps, tuple(motions)), moves


def measure(seconds: float = 20.0, start: float = 10.0, dancers: Sequence[int] = (1, 12),
            view: str = "audience") -> dict:
    """Render ``seconds`` of the demo from ``start`` for each cast size; the figures as a dict."""
    music_map = analyze(DEMO / "demo.ogg")
    span = (start, min(start + seconds, music_map.duration_s))
    seconds = span[1] - span[0]
    runs = []
    for count in dancers:
        performance, moves = demo_cast(music_map, count)
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            write_video(Path(folder) / "bench.mp4", music_map=music_map,
                        performance=performance, moves=moves, audio_path=DEMO / "demo.ogg",
                        view=view, span_s=span)
            wall_s = time.perf_counter() - started
        rehearsal = Rehearsal(music_map=music_map, performance=performance, moves=moves,
                              view=view)
        times = span[0] + np.arange(int(round(seconds * 30))) / 30
        started = time.perf_counter()
        for _ in rehearsal.frames(times):
            pass
        draw_s = time.perf_counter() - started
        runs.append({"dancers": count, "wall_s": round(wall_s, 2),
                     "frames_per_s": round(len(times) / wall_s, 1),
                     "x_real_time": round(seconds / wall_s, 2),
                     "draw_frames_per_s": round(len(times) / draw_s, 1)})
    return {"size": [1280, 720], "fps": 30, "seconds": round(seconds, 2), "view": view,
            "cores": os.cpu_count(), "runs": runs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--start", type=float, default=10.0)
    parser.add_argument("--dancers", type=int, nargs="+", default=[1, 12])
    parser.add_argument("--view", default="audience")
    args = parser.parse_args(argv)
    figures = measure(args.seconds, args.start, args.dancers, args.view)
    print(json.dumps({"schema": "pointe.bench.render_video/1", **figures}, indent=2))
    return 0

if __name__ == "__main__":
    sys.exit(main())
