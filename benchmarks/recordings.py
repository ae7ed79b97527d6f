"""Count real orchestral recordings (no labels): what tempo and meter each tracker hears.

    python benchmarks/recordings.py                          # the default tracks, JSON on stdout
    python benchmarks/recordings.py --clicks love_theme.ogg --start 20 --seconds 30 \\
        -o examples/clicks/love_theme-clicks.ogg           # a click track laid over the music

The recordings are Wesnoth's orchestral soundtrack as Debian ships it
(``apt-get install wesnoth-1.16-music``; GPL-2.0-or-later), 8 tracks (24 minutes) by default.
Each is counted by pointe with its beat network (its default) and its tempogram tracker, and by
madmom and essentia where they import (``make bench-peers`` installs them in their own venv).
There is no ground truth: the figures are the tempo (felt beats per minute), the meter, how often
the others agree with the network's tempo (within 4 %) and the seconds taken. The click
mix is for ears: a high click on each "1", a lower one on the other beats, at -6 dB under the
music.

Output (``schema`` "pointe.bench.recordings/1")::

    schema, folder, machine, pieces [{file, duration_s, results {NAME: {bpm, meter, count_unit,
    beats, compute_s, error}}}], overall {NAME: {audio_s, compute_s, realtime_factor}},
    agreement {NAME: share of pieces whose bpm is within 4 % of pointe's (the network's)}
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

FOLDER = Path("/usr/share/games/wesnoth/1.16/data/core/music")
TRACKS = ("love_theme.ogg", "traveling_minstrels.ogg", "elvish-theme.ogg", "loyalists.ogg",
          "northerners.ogg", "revelation.ogg", "heroes_rite.ogg", "wanderer.ogg")


def _pointe(tracker: str):
    from pointe.music import analyze

    def run(path: Path) -> dict:
        counted = analyze(path, tracker=tracker)
        return {"bpm": round(float(counted.bpm), 1), "meter": counted.meter,
                "count_unit": counted.count_unit, "beats": len(counted.beats)}

    return run


def _peer(name: str, *, meter: bool):
    """A peer of benchmarks/counts.py (madmom, essentia) as a recording runner; the tempo is
    the median beat interval's, the meter the peer's own where it names one."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import counts

    peer = counts.load_peer(name)
    if peer.run is None:
        raise ImportError(peer.error)

    def run(path: Path) -> dict:
        found = peer.run(path)
        return {"bpm": round(60.0 / float(np.median(np.diff(found.beats_s))), 1),
                "meter": found.meter if meter else None, "count_unit": None,
                "beats": len(found.beats_s)}

    return run


def measure(folder: Path, tracks: tuple[str, ...]) -> dict:
    peers = {"pointe": lambda: _pointe("network"), "pointe-tempogram": lambda: _pointe("tempogram"),
             "madmom": lambda: _peer("madmom", meter=True),
             "essentia": lambda: _peer("essentia", meter=False)}
    runners = {}
    for name, make in peers.items():
        try:
            runners[name] = make()
        except Exception as err:  # noqa: BLE001 - an optional peer may fail to import any way
            print(f"{name}: not available ({err})", file=sys.stderr)
    import soundfile

    pieces = []
    for track in tracks:
        path = folder / track
        duration = soundfile.info(path).duration
        results = {}
        for name, run in runners.items():
            started = time.perf_counter()
            try:
                results[name] = run(path)
            except Exception as err:  # noqa: BLE001 - one failure must not stop the table
                results[name] = {"error": f"{type(err).__name__}: {err}"}
            results[name]["compute_s"] = round(time.perf_counter() - started, 3)
        pieces.append({"file": track, "duration_s": round(duration, 2), "results": results})
        print(f"{track:28} " + "  ".join(
            f"{name} {r.get('bpm')} {r.get('meter')}" for name, r in results.items()),
            file=sys.stderr, flush=True)
    audio_s = sum(p["duration_s"] for p in pieces)
    overall, agreement = {}, {}
    for name in runners:
        compute = sum(p["results"][name]["compute_s"] for p in pieces)
        overall[name] = {"audio_s": round(audio_s, 1), "compute_s": round(compute, 2),
                         "realtime_factor": round(audio_s / compute, 1)}
        if name != "pointe":
            same = [abs(p["results"][name].get("bpm", 0) / p["results"]["pointe"]["bpm"] - 1)
                    < 0.04 for p in pieces if "bpm" in p["results"].get("pointe", {})]
            agreement[name] = round(float(np.mean(same)), 3) if same else None
    return {"schema": "pointe.bench.recordings/1", "folder": str(folder),
            "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
            "pieces": pieces, "overall": overall, "agreement": agreement}


def click_mix(path: Path, out: Path, *, start_s: float, seconds: float) -> None:
    """The recording from ``start_s`` for ``seconds`` with pointe's beats as clicks over it."""
    import soundfile

    from pointe.music import analyze, synth

    counted = analyze(path)
    audio, sr = soundfile.read(path, dtype="float32", always_2d=True)
    a, b = int(start_s * sr), int((start_s + seconds) * sr)
    music = audio[a:b].mean(axis=1)
    beats = [(beat.time_s - start_s, beat.beat_in_bar == 1) for beat in counted.beats
             if start_s <= beat.time_s < start_s + seconds]
    clicks = synth.click_track([t for t, _ in beats], sr=sr, duration_s=seconds,
                               accents=[one for _, one in beats])[: len(music)]
    clicks = np.pad(clicks, (0, len(music) - len(clicks)))
    fade = np.minimum(1.0, np.minimum(np.arange(len(music)), np.arange(len(music))[::-1])
                      / (0.5 * sr))
    mix = 0.7 * music / (np.abs(music).max() + 1e-9) + 0.35 * clicks / (np.abs(clicks).max()
                                                                      + 1e-9)
    mix = (mix * fade).astype(np.float32)
    out.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(out, np.stack([mix, mix], axis=1), sr, format="OGG", subtype="VORBIS")
    print(f"{out}: {len(beats)} beats, {counted.bpm:.1f} bpm, {counted.meter}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=FOLDER)
    parser.add_argument("--tracks", help="comma-separated file names (default: 8 tracks)")
    parser.add_argument("--clicks", help="lay clicks over this track instead of measuring")
    parser.add_argument("--start", type=float, default=0.0, help="clicks: start (s)")
    parser.add_argument("--seconds", type=float, default=30.0, help="clicks: length (s)")
    parser.add_argument("-o", "--output", type=Path, help="JSON (or, with --clicks, OGG) to write")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    if not args.folder.is_dir():
        print(f"{args.folder} is missing: apt-get install wesnoth-1.16-music", file=sys.stderr)
        return 2
    if args.clicks:
        click_mix(args.folder / args.clicks, args.output or Path(f"{args.clicks}-clicks.ogg"),
                  start_s=args.start, seconds=args.seconds)
        return 0
    tracks = tuple(t.strip() for t in args.tracks.split(",")) if args.tracks else TRACKS
    result = measure(args.folder, tracks)
    text = json.dumps(result, indent=1)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
