"""Count a long recording and report time and peak memory, as JSON.

    python benchmarks/long_audio.py --minutes 120       # a two-hour recording
    python benchmarks/long_audio.py --minutes 5 --minutes 30 --minutes 120

The recording is the bundled demo looped to length, written block by block as 22 050 Hz mono FLAC
(in a temporary folder), so making it costs no more memory than counting it. Each length is
counted in a fresh process (``pointe counts --json --no-cache``); peak memory is that process's
maximum resident set size. Memory should stay nearly flat as the length grows: audio is decoded
as a stream and only per-frame features (about 0.12 kB a frame, 86 frames a second) are kept.

Output: {"schema": "pointe.bench.long-audio/1", "runs": [{minutes, audio_s, compute_s,
realtime_factor, peak_rss_mb, beats, counts}]}
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

import soundfile as sf

SR = 22_050


def make_recording(path: Path, minutes: float) -> float:
    demo = Path(str(resources.files("pointe") / "data" / "demo" / "demo.ogg"))
    audio, sr = sf.read(demo, dtype="float32", always_2d=True)
    mono = audio.mean(axis=1)
    if sr != SR:
        import soxr

        mono = soxr.resample(mono, sr, SR)
    total = int(minutes * 60 * SR)
    written = 0
    with sf.SoundFile(path, "w", SR, 1, format="FLAC") as out:
        while written < total:
            block = mono[: total - written]
            out.write(block)
            written += len(block)
    return written / SR


def count(path: Path) -> dict:
    script = (
        "import json, resource, sys, time\n"
        "from pointe.music import analyze\n"
        "t = time.perf_counter(); m = analyze(sys.argv[1]); s = time.perf_counter() - t\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'compute_s': s, 'peak_rss_mb': peak, 'beats': len(m.beats),\n"
        "                  'counts': len(m.counts)}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, action="append",
                        help="length of a recording to count (repeatable; default 5, 30, 120)")
    args = parser.parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        for minutes in args.minutes or [5.0, 30.0, 120.0]:
            path = Path(folder) / f"long-{minutes:g}.flac"
            audio_s = make_recording(path, minutes)
            measured = count(path)
            runs.append({"minutes": minutes, "audio_s": round(audio_s, 1),
                         "compute_s": round(measured["compute_s"], 2),
                         "realtime_factor": round(audio_s / measured["compute_s"], 1),
                         "peak_rss_mb": round(measured["peak_rss_mb"], 1),
                         "beats": measured["beats"], "counts": measured["counts"]})
            path.unlink()
    print(json.dumps({"schema": "pointe.bench.long-audio/1", "runs": runs}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
