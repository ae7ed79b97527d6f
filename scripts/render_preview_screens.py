"""Screenshots of the 3D preview for the docs: docs/preview-audience.png and docs/preview-top.png.

    python scripts/render_preview_screens.py                # counts the demo music (~30 s)
    python scripts/render_preview_screens.py --html out.html --at 21.5

Builds a preview of the bundled demo music danced by a trio (steps strung together by
``random_feasible`` on the music's counts, each dancer from her own place on the stage), opens
it in headless Chromium (Debian's ``chromium``, driven by Playwright) and photographs the
audience view and the top view at one moment.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

from pointe.export.preview import write_preview
from pointe.motion.performance import Motion, Performance
from pointe.motion.synthesis import TimedStep, perform_steps
from pointe.music.analyze import analyze
from pointe.vocabulary import library
from pointe.vocabulary.sequences import random_feasible

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "pointe" / "data" / "demo" / "demo.ogg"
TRIO = (("Odette", (-2.6, -1.0), 5), ("Giselle", (0.0, -1.4), 12), ("Aurora", (2.4, -1.2), 18))


def trio(music_map):
    """Three dancers on the music's counts, each from her place; and who does which step when."""
    counts = [c.time_s for c in music_map.counts]
    count_s = statistics.median(b - a for a, b in zip(counts, counts[1:], strict=False))
    start_s, end_s = counts[0], music_map.duration_s - 1.0
    steps = library.load().steps
    motions, moves = [], []
    for name, place, seed in TRIO:
        timed, t = [], start_s
        for step, side, duration in random_feasible(steps, end_s - start_s, seed=seed,
                                                    count_s=count_s):
            timed.append(TimedStep(step, t, duration, side))
            moves.append({"dancer": name, "start_s": t, "end_s": t + duration,
                          "label": f"{step.name} ({side})"})
            t += duration
        motion = perform_steps(timed, fps=60.0, dancer=name, start_m=place)
        motions.append(held_from(motion, start_s))
    return Performance(60.0, tuple(motions)), moves


def held_from(motion: Motion, start_s: float) -> Motion:
    """``motion`` starting at ``start_s`` of the music: its first pose held until then."""
    lead = int(round(start_s * motion.fps))
    pad = lambda a: np.concatenate([np.repeat(a[:1], lead, axis=0), a])  # noqa: E731
    return Motion(motion.dancer, motion.height_m, motion.fps, pad(motion.root_m),
                  pad(motion.rotations), pad(motion.contacts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--music", type=Path, default=DEMO)
    parser.add_argument("--html", type=Path, help="also keep the preview here")
    parser.add_argument("--at", type=float, default=13.6, help="the moment to photograph (s)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--size", default="1280x760")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    music_map = analyze(args.music)
    performance, moves = trio(music_map)
    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "preview.html"
        write_preview(page_path, music_map=music_map, performance=performance, moves=moves,
                      audio_path=args.music, title="Demo: Menuetto, K. 458 — a trio")
        if args.html:
            shutil.copyfile(page_path, args.html)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                        args=["--enable-unsafe-swiftshader"])
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(page_path.as_uri())
            page.wait_for_function("window.pointe && window.pointe.ready")
            page.evaluate("t => window.pointe.seek(t)", args.at)
            for camera, name in (("audience", "preview-audience.png"),
                                 ("top", "preview-top.png")):
                page.evaluate("m => window.pointe.setCamera(m)", camera)
                page.wait_for_timeout(200)
                page.screenshot(path=str(args.out / name))
                print(f"wrote {args.out / name}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
