"""Rendered outputs, as JSON: how big they are and how long they take to make.

    python benchmarks/render.py                          # every section
    python benchmarks/render.py --section preview --minutes 2 --dancers 4

Each section is one function in ``SECTIONS`` that returns a dict of figures; the output is
{"schema": "pointe.bench.render/1", "sections": {name: figures, ...}}.

preview: the self-contained HTML preview of a cast dancing random *feasible* steps of the bundled
library (one count = 0.5 s, 60 fps motion) for ``--minutes`` each, on the demo music's counts
with the demo recording embedded. Figures: "motion_bytes_per_dancer_minute" (the base64 joint
positions in the file, excluding the music; the budget is 1 MB), "data_bytes_per_dancer_minute"
(the whole data block: positions, counts, steps), "audio_bytes" (the base64 music),
"viewer_bytes" (three.js and pointe's code and style), "file_bytes", "build_s" (median of
``--repeat`` runs of ``build_preview``) and "write_s" (one ``write_preview``, atomic).

video: the rehearsal video's render speed (× real time) for 1 and 12 dancers at 1280×720, 30 fps,
on 20 s of the demo, as ``benchmarks/render_video.py`` measures it.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pointe.export.preview import build_preview, write_preview
from pointe.motion.performance import Performance
from pointe.motion.synthesis import TimedStep, perform_steps
from pointe.music.analyze import analyze
from pointe.vocabulary import library
from pointe.vocabulary.sequences import random_feasible

DEMO = Path(__file__).resolve().parents[1] / "src" / "pointe" / "data" / "demo"
COUNT_S = 0.5
NAMES = ("Odette", "Giselle", "Aurora", "Kitri", "Myrtha", "Swanilda", "Raymonda", "Nikiya")


def preview(args: argparse.Namespace) -> dict:
    music_map = analyze(DEMO / "demo.mid")
    audio = DEMO / "demo.ogg"
    steps = library.load().steps
    motions, moves = [], []
    for i in range(args.dancers):
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i // len(NAMES) + 1}")
        timed, t = [], 0.0
        for step, side, duration in random_feasible(steps, args.minutes * 60.0,
                                                    seed=args.seed + i, count_s=COUNT_S):
            timed.append(TimedStep(step, t, duration, side))
            moves.append({"dancer": name, "start_s": t, "end_s": t + duration,
                          "label": f"{step.name} ({side})"})
            t += duration
        x = -3.0 + 6.0 * i / max(1, args.dancers - 1)
        motions.append(perform_steps(timed, fps=60.0, dancer=name, start_m=(x, -1.0)))
    performance = Performance(60.0, tuple(motions))
    kwargs = {"music_map": music_map, "performance": performance, "moves": moves,
              "audio_path": audio, "title": "benchmark"}

    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        html = build_preview(**kwargs)
        times.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        write_preview(Path(tmp) / "preview.html", **kwargs)
        write_s = time.perf_counter() - started

    data = re.search(r'id="pointe-data">(.*?)</script>', html, re.S).group(1)
    audio_b64 = re.search(r'id="pointe-audio"[^>]*>(.*?)</script>', html, re.S).group(1)
    positions = sum(len(d["positions"]) for d in json.loads(data)["motion"]["dancers"])
    dancer_minutes = sum(m.duration_s for m in motions) / 60.0
    size = len(html.encode("utf-8"))
    return {
        "dancers": args.dancers,
        "dancer_minutes": round(dancer_minutes, 3),
        "motion_bytes_per_dancer_minute": round(positions / dancer_minutes),
        "data_bytes_per_dancer_minute": round(len(data) / dancer_minutes),
        "audio_bytes": len(audio_b64),
        "viewer_bytes": size - len(data) - len(audio_b64),
        "file_bytes": size,
        "build_s": round(statistics.median(times), 3),
        "write_s": round(write_s, 3),
    }


def video(args: argparse.Namespace) -> dict:
    """The rehearsal video's speed for 1 and 12 dancers (see render_video.py)."""
    import render_video

    return render_video.measure()


SECTIONS: dict[str, Callable[[argparse.Namespace], dict]] = {
    "preview": preview,
    "video": video,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", action="append", choices=sorted(SECTIONS),
                        help="run only this section (repeatable; default: all)")
    parser.add_argument("--minutes", type=float, default=1.0, help="of dance per dancer")
    parser.add_argument("--dancers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    names = args.section or list(SECTIONS)
    out = {"schema": "pointe.bench.render/1",
           "sections": {name: SECTIONS[name](args) for name in names}}
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
