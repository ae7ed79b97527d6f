"""Render docs/video-audience.png, docs/video-top.png and docs/video-mirror.png.

    python scripts/render_video_stills.py [--time 23.4] [--dancers 6]

Frames of the rehearsal video (``pointe.export.video``) at 960×540: the benchmark's demo cast
(random feasible steps of the bundled library on the counts of the bundled demo music) seen from
the audience, from above with the trails of the last eight seconds, and in the studio mirror.
The same run gives the same pictures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import skia

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from render_video import DEMO, demo_cast  # noqa: E402 - lives in benchmarks/, shared

from pointe.export.scene import Rehearsal  # noqa: E402
from pointe.music.analyze import analyze  # noqa: E402

SIZE = (960, 540)
TRAIL_S = 8.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time", type=float, default=23.4, help="music seconds of the frame")
    parser.add_argument("--dancers", type=int, default=6)
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args(argv)
    music_map = analyze(DEMO / "demo.ogg")
    performance, moves = demo_cast(music_map, args.dancers)
    for view in ("audience", "top", "mirror"):
        rehearsal = Rehearsal(music_map=music_map, performance=performance, moves=moves,
                              view=view, size=SIZE)
        rgb = rehearsal.frame(args.time, trail_from_s=max(0.0, args.time - TRAIL_S))
        rgba = np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
        png = skia.Image.fromarray(rgba).encodeToData(skia.EncodedImageFormat.kPNG, 100)
        path = args.out / f"video-{view}.png"
        path.write_bytes(bytes(png))
        print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
