"""Composer speed and the dance metrics of what it composes, as JSON.

    python benchmarks/compose.py                 # the whole report
    python benchmarks/compose.py --minutes 10    # a shorter "evening"

Music: MIDI scores written by this script (deterministic) and counted exactly by pointe's
symbolic reader, so the figures measure composing, not beat tracking:

- evening: 40 minutes in sections of 3/4, 2/4, 4/4 and 6/8 at tempi from 56 to 152 beats a
  minute, composed for 12 dancers; the best of three runs (seconds);
- regenerate: one phrase regenerated with a locked move in it, in the middle and at the end of
  that evening (milliseconds, mean over the phrases tried): "cold" in a fresh composer state,
  then again as an editor would, the ballet's lines already replayed once;
- metrics: a solo composed on each of five pieces (waltz, polka, adagio, barcarolle, march with
  tempo changes), danced at 60 fps: the Beat Alignment Score against the music's beats
  (Bailando's definition; best published on AIST++ 0.29 is what it is compared with), EDGE's PFC
  (mean over 5-second clips; AIST++ ground truth 1.33), LODGE's foot-skating ratio, and the
  ground penetration.

Output: {"schema": "pointe.bench.compose/1", "evening": {...}, "regenerate": {...},
"metrics": {"pieces": [...], "mean": {...}}}
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import mido
import numpy as np

from pointe.choreography import check
from pointe.compose import compose
from pointe.compose.composer import forget
from pointe.compose.regenerate import regenerate
from pointe.motion import metrics
from pointe.motion.perform import perform
from pointe.music.analyze import analyze
from pointe.vocabulary.library import load

SECTIONS = (((3, 4), 152), ((2, 4), 116), ((4, 4), 60), ((6, 8), 66), ((3, 4), 96),
            ((4, 4), 132), ((2, 4), 88), ((3, 4), 56))
PIECES = {"waltz-3-4": [((3, 4), 150, 24)], "polka-2-4": [((2, 4), 120, 24)],
          "adagio-4-4": [((4, 4), 60, 12)], "barcarolle-6-8": [((6, 8), 66, 16)],
          "march-changes-4-4": [((4, 4), 112, 8), ((4, 4), 84, 6), ((4, 4), 132, 6)]}


def write_midi(path: Path, parts: list[tuple[tuple[int, int], float, int]]) -> None:
    """A score of ``parts`` (meter, felt beats a minute, bars): bass on 1, chords after."""
    tpq = 480
    midi = mido.MidiFile(ticks_per_beat=tpq)
    track = mido.MidiTrack()
    midi.tracks.append(track)
    progression = ((48, (64, 67)), (53, (65, 69)), (55, (62, 67)), (48, (64, 67)))
    bar_index = 0
    pending = 0
    for (num, den), bpm, bars in parts:
        compound = den == 8 and num % 3 == 0
        beat_ticks = tpq * 4 // den * (3 if compound else 1)
        beats = num // 3 if compound else num
        track.append(mido.MetaMessage("time_signature", numerator=num, denominator=den,
                                      time=pending))
        track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm * beat_ticks / tpq),
                                      time=0))
        pending = 0
        for _ in range(bars):
            bass, chord = progression[bar_index % len(progression)]
            for b in range(beats):
                notes = [bass] if b == 0 else list(chord)
                velocity = 96 if b == 0 else 64
                for k, note in enumerate(notes):
                    track.append(mido.Message("note_on", note=note, velocity=velocity,
                                              time=pending if k == 0 else 0))
                    pending = 0
                for k, note in enumerate(notes):
                    track.append(mido.Message("note_off", note=note, velocity=0,
                                              time=beat_ticks // 2 if k == 0 else 0))
                pending = beat_ticks - beat_ticks // 2
            bar_index += 1
    midi.save(path)


def evening_parts(minutes: float) -> list:
    parts, seconds, i = [], 0.0, 0
    while seconds < minutes * 60.0:
        meter, bpm = SECTIONS[i % len(SECTIONS)]
        beats = meter[0] // 3 if meter[1] == 8 else meter[0]
        bars = max(8, int(round(150.0 / (beats * 60.0 / bpm) / 8)) * 8)  # about 2.5 minutes
        parts.append((meter, bpm, bars))
        seconds += bars * beats * 60.0 / bpm
        i += 1
    return parts


def _locked(c, section: int, phrase: int):
    p = c.sections[section].phrases[phrase]
    moves = list(p.lines[0].moves)
    moves[0] = replace(moves[0], locked=True)
    lines = (replace(p.lines[0], moves=tuple(moves)), *p.lines[1:])
    phrases = list(c.sections[section].phrases)
    phrases[phrase] = replace(p, lines=lines)
    sections = list(c.sections)
    sections[section] = replace(sections[section], phrases=tuple(phrases))
    return replace(c, sections=tuple(sections))


def bench_evening(folder: Path, minutes: float, library) -> tuple[dict, object, object]:
    path = folder / "evening.mid"
    write_midi(path, evening_parts(minutes))
    music_map = analyze(path)
    runs, ballet = [], None
    for _ in range(3):
        started = time.perf_counter()
        ballet = compose(music_map, None, library, seed=1, dancers=12)
        runs.append(time.perf_counter() - started)
    problems = check(ballet, library, music_map=music_map)
    phrases = sum(len(s.phrases) for s in ballet.sections)
    return {"music_minutes": round(music_map.duration_s / 60.0, 2), "dancers": 12,
            "sections": len(ballet.sections), "phrases": phrases,
            "compose_s": round(min(runs), 3), "target_s": 5.0,
            "problems": len(problems)}, ballet, music_map


def bench_regenerate(ballet, music_map, library) -> dict:
    flat = [(s, p) for s, sec in enumerate(ballet.sections) for p in range(len(sec.phrases))]
    picks = [flat[len(flat) // 2], flat[len(flat) // 2 + 1], flat[-2], flat[-1]]
    times, cold, failures = [], [], 0
    for s, p in picks:
        locked = _locked(ballet, s, p)
        for remembered in (False, True):
            if not remembered:
                forget()
            gc.collect()  # a collection of the evening's garbage is not the regeneration's
            started = time.perf_counter()
            try:
                regenerate(locked, music_map, library, f"{s + 1}.{p + 1}", seed=99)
            except Exception:  # noqa: BLE001 - a failure is a figure here, not a crash
                failures += 1
            (times if remembered else cold).append(time.perf_counter() - started)
    return {"phrases_tried": len(picks), "mean_ms": round(1000 * float(np.mean(times)), 1),
            "max_ms": round(1000 * float(np.max(times)), 1),
            "cold_mean_ms": round(1000 * float(np.mean(cold)), 1),
            "cold_max_ms": round(1000 * float(np.max(cold)), 1), "failures": failures,
            "target_ms": 50.0}


def bench_metrics(folder: Path, library) -> dict:
    rows = []
    for name, parts in PIECES.items():
        path = folder / f"{name}.mid"
        write_midi(path, parts)
        music_map = analyze(path)
        ballet = compose(music_map, None, library, seed=0)
        motion = perform(ballet, music_map, library, fps=60.0).motions[0]
        joints = motion.joints()
        first = next(p.start_s for p in music_map.phrases if p.number >= 1)
        start = int(first * 60)
        danced = joints[start:]
        beats = [b.time_s - first for b in music_map.beats if b.time_s >= first]
        clips = [metrics.pfc(danced[a:a + 300], fps=60.0)
                 for a in range(0, len(danced) - 299, 300)]
        skate = metrics.foot_skating(danced, fps=60.0)
        sink = metrics.ground_penetration(danced)
        rows.append({"piece": name, "seconds": round(len(danced) / 60.0, 1),
                     "bas": round(metrics.beat_alignment(danced, fps=60.0, music_beats_s=beats), 4),
                     "pfc": round(float(np.mean(clips)), 4),
                     "lodge_skating_ratio": round(skate.ratio, 4),
                     "penetration_frames": len(sink.frames)})
    mean = {k: round(float(np.mean([r[k] for r in rows])), 4)
            for k in ("bas", "pfc", "lodge_skating_ratio")}
    return {"pieces": rows, "mean": mean,
            "published": {"bas_best_aist": 0.29, "pfc_aist_ground_truth": 1.33}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=40.0)
    parser.add_argument("--skip-metrics", action="store_true")
    args = parser.parse_args(argv)
    library = load()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        evening, ballet, music_map = bench_evening(folder, args.minutes, library)
        report = {"schema": "pointe.bench.compose/1", "evening": evening,
                  "regenerate": bench_regenerate(ballet, music_map, library)}
        if not args.skip_metrics:
            report["metrics"] = bench_metrics(folder, library)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
