"""Where the time goes: seconds per minute of audio for each step of ``pointe.music.analyze``.

    python benchmarks/stages.py                      # the bundled demo and the rendered set
    python benchmarks/stages.py --data DIR --limit 5

Steps: ``decode+features`` (streamed decoding, resampling, STFT, mel/chroma features),
``tempo+beats`` (novelty, tempogram, Viterbi tempo path, beat programme), ``meter``
(downbeat evidence and the bar-position HMM), ``counts+phrases+sections`` (the rest of
``analyze``, measured as the whole minus the parts). One warm-up run first; imports are excluded.

Output: {"schema": "pointe.bench.stages/1", "audio_s", "s_per_audio_min": {STEP: seconds},
"share": {STEP: fraction}}
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from importlib import resources
from pathlib import Path

import numpy as np

from pointe.music import analyze, decoding, features, meter, tracking


def files(data: Path, limit: int | None) -> list[Path]:
    demo = Path(str(resources.files("pointe") / "data" / "demo" / "demo.ogg"))
    found = sorted(data.glob("*.flac")) if data.is_dir() else []
    return [demo, *found[:limit]] if limit is not None else [demo, *found]


def measure(path: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    feats = features.extract(decoding.stream(decoding.probe(path)))
    t1 = time.perf_counter()
    tracked = tracking.track(feats)
    t2 = time.perf_counter()
    curve = tracking.novelty(feats)
    bpm = 60.0 / float(np.median(np.diff(tracked.times_s)))
    meter.decode(feats, tracked.times_s, curve, beat_bpm=bpm)
    t3 = time.perf_counter()
    analyze(path)
    t4 = time.perf_counter()
    whole = t4 - t3
    return {"decode+features": t1 - t0, "tempo+beats": t2 - t1, "meter": t3 - t2,
            "counts+phrases+sections": max(0.0, whole - (t3 - t0)), "audio_s": feats.duration_s}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("benchmarks/data/rendered"))
    parser.add_argument("--limit", type=int)
    args = parser.parse_args(argv)
    paths = files(args.data, args.limit)
    measure(paths[0])  # warm-up: first-use costs (filter banks, caches) are not per-piece costs
    totals: dict[str, float] = {}
    for path in paths:
        for key, value in measure(path).items():
            totals[key] = totals.get(key, 0.0) + value
    minutes = totals.pop("audio_s") / 60.0
    steps = {key: round(value / minutes, 4) for key, value in totals.items()}
    whole = sum(totals.values())
    print(json.dumps({"schema": "pointe.bench.stages/1", "pieces": len(paths),
                      "audio_s": round(minutes * 60, 1), "s_per_audio_min": steps,
                      "share": {k: round(v / whole, 3) for k, v in totals.items()}}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
