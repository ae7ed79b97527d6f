"""Render the beat network's training data: corpus scores as audio, with exact beats and bars.

    python training/make_data.py --out training/data --seed 0 [--jobs 2] [--limit N]
        [--works training/works.txt]

For each work drawn from ``corpus.sources()`` (never a held-out piece) the script lays out a
window of up to ``MAX_BARS`` bars with ``benchmarks/excerpts.py``, draws a felt tempo for its
meter, a tempo curve (steady, accelerando, ritardando, rubato, sudden change), an instrument
family and, for a one-line tune, sometimes an accompaniment (oom-pah, broken chords, held
chords or a chord on every beat, as a rehearsal pianist would play under it, changing chord where
the tune does rather than once a bar); renders it with fluidsynth through
``benchmarks/rendering.py`` and keeps, in ``<id>.npz``: ``logmel`` (the frames pointe's
analysis computes, float16), ``beats`` and ``downbeats`` (seconds), ``beat_in_bar``, ``fps``,
and the meter, family and curve for the record. ``index.json`` lists what was written and what
was skipped (and why).

Everything is decided by the seed and the work's id: the same seed writes the same files.
A share (``SYNTH_SHARE``) of the windows is rendered a second time by pointe's own plain
synthesiser instead of fluidsynth (ids ending in ``-synth``), and ``EXTRA_CHORALES`` more of
Bach's chorales are rendered after the plan.
``--works FILE`` renders only the windows listed (one id a line): ``training/works.txt`` lists the
windows the shipped ensemble's second network was trained on (all that rendered for seed 0).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import warnings
import zlib
from dataclasses import replace
from multiprocessing import Pool
from pathlib import Path

import corpus  # noqa: F401  (puts benchmarks/ on sys.path)
import excerpts  # benchmarks/excerpts.py
import numpy as np
import rendering  # benchmarks/rendering.py
from excerpts import Excerpt, NoteEvent, Piece

from pointe.music import features as feats

DEFAULT_OUT = Path(__file__).resolve().parent / "data"
MAX_BARS = 40
MIN_BEATS = 24
# Renders per corpus folder: dance tunes first, chorales and composed works after.
QUOTA = {"ryansMammoth": 300, "oneills1850": 120, "essenFolksong": 80, "airdsAirs": 50,
         "miscFolk": 30, "nottingham-dataset": 2, "bach": 120}
WINDOWS_PER_WORK = 3  # composed works (quartets, sonatas …): this many windows each
# Felt beats per minute by (beats in the bar, compound): the range a rehearsal pianist would take.
BPM_RANGE = {"compound": (52, 138), "half": (50, 112), "default": (54, 176)}
ACCOMPANIMENTS = ("none", "oompah", "broken", "held", "chorale")
ACCOMPANIMENT_P = (0.3, 0.3, 0.16, 0.12, 0.12)
SYNTH_SHARE = 0.4


# A second pass for the meters dance music needs and the tunes above lack: waltzes, mazurkas,
# minuets (3/4), slow compound meters.
EXTRA_METERS = {"3/4": 260, "3/8": 30, "9/8": 30, "12/8": 30}
# A third pass: more of Bach's chorales, whose harmony changes on every beat (no synthesised twin).
EXTRA_CHORALES = 130


def plan(seed: int, limit: int | None) -> list[tuple[corpus.Source, int]]:
    """(work, window number) to render, in a seeded order."""
    rng = np.random.default_rng(seed)
    by_group: dict[str, list[corpus.Source]] = {}
    by_meter: dict[str, list[corpus.Source]] = {}
    for source in corpus.sources():
        by_group.setdefault(source.group, []).append(source)
        by_meter.setdefault(source.meter, []).append(source)
    chosen: list[tuple[corpus.Source, int]] = []
    for group, works in sorted(by_group.items()):
        if group in QUOTA:
            picks = rng.permutation(len(works))[: QUOTA[group]]
            chosen.extend((works[i], 0) for i in sorted(picks))
        else:
            chosen.extend((work, w) for work in works for w in range(WINDOWS_PER_WORK))
    taken = {source for source, _ in chosen}
    for meter, count in EXTRA_METERS.items():
        works = [w for w in by_meter.get(meter, []) if w not in taken]
        picks = np.random.default_rng([seed, zlib.crc32(meter.encode())]).permutation(len(works))
        chosen.extend((works[i], 0) for i in sorted(picks[:count]))
    order = rng.permutation(len(chosen))
    chosen = [chosen[i] for i in order]
    return chosen[:limit] if limit else chosen


def more_chorales(seed: int) -> list[tuple[corpus.Source, int]]:
    """``EXTRA_CHORALES`` of Bach's chorales that ``plan`` did not take, in a seeded order."""
    taken = {source for source, _ in plan(seed, None)}
    works = [s for s in corpus.sources() if s.group == "bach" and s not in taken]
    picks = np.random.default_rng([seed, 7]).permutation(len(works))[:EXTRA_CHORALES]
    return [(works[i], 0) for i in picks]


def _felt_bpm(excerpt: Excerpt, rng: np.random.Generator) -> float:
    bar = next(b for b in excerpt.bars if not b.pickup)
    numerator = int(bar.meter.split("/")[0])
    compound = bar.beat_ql > 1.0 and abs(bar.beat_ql - 1.5) < 1e-6
    key = "compound" if compound else "half" if bar.beat_ql >= 2.0 else "default"
    low, high = BPM_RANGE[key]
    if numerator == 3 and not compound and bar.beat_ql <= 1.0:
        high = 190  # quick waltzes
    return round(float(np.exp(rng.uniform(np.log(low), np.log(high)))), 1)


def _window(n_measures: int, source: corpus.Source, window: int,
            rng: np.random.Generator) -> tuple[int, int] | None:
    if n_measures <= MAX_BARS:
        return None if window else (0, n_measures)
    length = int(rng.integers(24, MAX_BARS + 1))
    starts = n_measures - length
    return (int(starts * window / WINDOWS_PER_WORK + rng.integers(0, max(1, starts // 4))), length)


def accompany(excerpt: Excerpt, kind: str, rng: np.random.Generator) -> Excerpt:
    """A second part under a one-line tune, as a rehearsal pianist would play it.

    The chords follow the tune (the root is the bar's first note or its most held pitch class),
    and their rhythm is not tied to the bar line: a bar of four beats changes chord at its middle
    as often as not, a bar of three sometimes before its last beat, a bar of two sometimes keeps
    the chord of the bar before, and a "chorale" accompaniment changes chord on every beat. In a
    four-beat bar the oom-pah's bass sounds on the first and the third beat, as in a march. A
    network trained on this cannot take a chord change for a bar line.
    """
    if kind == "none" or len(excerpt.part_names) != 1:
        return excerpt
    added: list[NoteEvent] = []
    root = None
    for bar in excerpt.bars:
        end = bar.start_ql + bar.length_ql
        melody = [n for n in excerpt.notes if bar.start_ql - 1e-6 <= n.onset_ql < end - 1e-6]
        if not melody or not bar.beats:
            continue
        chords = _harmonic_rhythm(bar, kind, rng)
        for k, (first, beats) in enumerate(chords):
            start = bar.beat_position_ql(beats[0])
            seg_end = bar.beat_position_ql(chords[k + 1][1][0]) if k + 1 < len(chords) else end
            held = first and len(bar.beats) == 2 and root is not None and rng.random() < 0.3
            if not held:
                root = _root(melody, start, seg_end, first and bar.beats[0] == 1)
            added.extend(_pattern(bar, beats, root, kind, seg_end, melody, rng))
    if not added:
        return excerpt
    notes = tuple(sorted((*excerpt.notes, *added), key=lambda n: (n.onset_ql, n.part, n.pitch)))
    return replace(excerpt, notes=notes, part_names=(*excerpt.part_names, "accompaniment"))


def _harmonic_rhythm(bar, kind: str, rng: np.random.Generator) -> list[tuple[bool, list[int]]]:
    """The bar's sounding beats cut into chords: (is the bar's first chord, its beats)."""
    beats = list(bar.beats)
    if kind == "chorale":
        return [(i == 0, [b]) for i, b in enumerate(beats)]
    share = {4: 0.5, 3: 0.2}.get(len(beats))  # how often such a bar changes after two beats
    if share is None or rng.random() >= share:
        return [(True, beats)]
    return [(True, beats[:2]), (False, beats[2:])]


def _root(melody: list[NoteEvent], start: float, end: float, on_downbeat: bool) -> int:
    """The chord's root: the first melody note on a downbeat, else the most held pitch class."""
    notes = [n for n in melody if start - 1e-6 <= n.onset_ql < end - 1e-6] or melody
    if on_downbeat and abs(notes[0].onset_ql - start) < 1e-6:
        return int(notes[0].pitch % 12)
    return int(np.argmax(_pitch_weights(notes)))


def _pitch_weights(notes: list[NoteEvent]) -> np.ndarray:
    """How long each pitch class sounds in ``notes`` (quarter lengths)."""
    weights = np.zeros(12)
    for n in notes:
        weights[n.pitch % 12] += n.duration_ql
    return weights


def _pattern(bar, beats: list[int], root: int, kind: str, end: float,
             melody: list[NoteEvent], rng: np.random.Generator) -> list[NoteEvent]:
    """One chord's notes: bass on its first beat, then the accompaniment's figure."""
    weights = _pitch_weights(melody)
    third = 4 if weights[(root + 4) % 12] >= weights[(root + 3) % 12] else 3
    bass = 36 + root if root >= 4 else 48 + root
    chord = [48 + (root + i) % 12 + (12 if (root + i) % 12 < 5 else 0) for i in (0, third, 7)]
    step = bar.beat_ql
    sub = step / (3 if abs(step - 1.5) < 1e-6 else 2)
    out: list[NoteEvent] = []
    first = bar.beat_position_ql(beats[0])
    if kind in ("held", "chorale"):
        length = end - first
        out.append(NoteEvent(first, length * 0.95, bass, 1, 1.0, -1))
        out.extend(NoteEvent(first, length * 0.95, p, 1, 1.0, -1) for p in chord)
        return out
    for k, index in enumerate(beats):
        start = bar.beat_position_ql(index)
        if k == 0 or (kind == "oompah" and len(bar.beats) == 4 and index == 3):
            out.append(NoteEvent(start, step * 0.9, bass if k == 0 else bass + 7, 1, 1.0, -1))
            if kind == "broken":
                for j, p in enumerate(chord[1:] if sub < step / 2 else chord[2:], 1):
                    out.append(NoteEvent(start + j * sub, sub * 0.9, p, 1, 1.0, -1))
        elif kind == "broken":
            for j in range(int(round(step / sub))):
                pitch = chord[(j + int(rng.integers(0, 3))) % 3]
                out.append(NoteEvent(start + j * sub, sub * 0.9, pitch, 1, 1.0, -1))
        else:
            out.extend(NoteEvent(start, step * 0.6, p, 1, 1.0, -1) for p in chord)
    return out


def synth_audio(midi_path: Path, lead_in_s: float, rng: np.random.Generator) -> np.ndarray:
    """The MIDI file played by ``pointe.music.synth`` (decaying harmonics), not fluidsynth.

    A plainer sound than any SoundFont's, with a random brightness: the network must not learn
    one synthesiser's instruments.
    """
    import mido

    from pointe.music import synth

    now, sounding, notes = 0.0, {}, []
    for message in mido.MidiFile(str(midi_path)):
        now += message.time
        if message.type == "note_on" and message.velocity > 0:
            sounding[(message.channel, message.note)] = (now, message.velocity)
        elif message.type in ("note_off", "note_on") and (message.channel, message.note) in \
                sounding:
            start, velocity = sounding.pop((message.channel, message.note))
            notes.append((start, now - start, message.note, velocity / 127.0))
    onsets, durations, pitches, velocities = (np.array(x) for x in zip(*notes, strict=True))
    audio = synth.render_notes(onsets + lead_in_s, durations, pitches, velocities,
                               sr=rendering.SAMPLE_RATE, tail_s=rendering.TAIL_S)
    tilt = float(rng.uniform(-0.5, 0.5))  # brighter (> 0) or duller (< 0): a first-order tilt
    audio = audio + tilt * (audio - np.convolve(audio, [0.5, 0.5], mode="same"))
    return (audio / (np.abs(audio).max() + 1e-9) * rendering.PEAK).astype(np.float32)


def render_one(job: tuple) -> dict:
    """Render one window; returns its index entry (or why it was skipped)."""
    source, window, seed, out, variant = job
    warnings.filterwarnings("ignore")
    out_dir = Path(out)
    stem = _stem(source, window) + ("-synth" if variant == "synth" else "")
    done_path = out_dir / f"{stem}.npz"
    if done_path.exists():
        return {"id": stem, "status": "kept"}
    rng = rendering.piece_rng(seed, stem)
    try:
        from music21 import corpus as m21corpus

        score = m21corpus.parse(source.corpus_path, number=source.number)
        title = (score.metadata.title if score.metadata else "") or ""
        if _held_title(title):
            return {"id": stem, "status": "skipped", "why": f"title {title!r} is held out"}
        parts = list(score.parts) if score.hasPartLikeStreams() else [score]
        numbers = sorted({m.number for m in parts[0].getElementsByClass("Measure")})
        picked = _window(len(numbers), source, window, rng)
        if picked is None:
            return {"id": stem, "status": "skipped", "why": "short work, one window"}
        first, length = picked
        play = ((numbers[first], numbers[min(first + length, len(numbers)) - 1]),)
        piece = Piece(stem, source.corpus_path, title or stem, "", "music21 corpus", 100.0,
                      play=play, number=source.number)
        excerpt = excerpts.load_excerpt(piece, score)
        if len(excerpt.beats()) < MIN_BEATS:
            return {"id": stem, "status": "skipped", "why": f"{len(excerpt.beats())} beats"}
        excerpt = replace(excerpt, piece=replace(piece, bpm=_felt_bpm(excerpt, rng)))
        kind = str(rng.choice(ACCOMPANIMENTS, p=ACCOMPANIMENT_P))
        kind = kind if len(excerpt.part_names) == 1 else "none"
        excerpt = accompany(excerpt, kind, rng)
        family = "piano" if variant == "synth" else str(rng.choice(rendering.FAMILIES))
        curve_kind = str(rng.choice(rendering.CURVE_KINDS))
        curve = rendering.draw_curve(curve_kind, excerpt, rng, rubato_swing=(0.08, 0.25))
        lead_in_s = round(float(rng.uniform(0.1, 2.0)), 3)
        with tempfile.TemporaryDirectory() as tmp:
            if variant == "synth":
                tempo = rendering.build_tempo_map(excerpt, curve)
                tracks = rendering.choose_tracks(excerpt, "piano")
                midi_path = Path(tmp) / "x.mid"
                rendering.write_midi(excerpt, tempo, tracks, midi_path, rng=rng)
                audio, sr = synth_audio(midi_path, lead_in_s, rng), rendering.SAMPLE_RATE
                truth = rendering.build_truth(
                    excerpt, tempo, curve, tracks, family="piano", lead_in_s=lead_in_s,
                    audio_name="x.wav", midi_name="x.mid", duration_s=len(audio) / sr)
                family = "synth"
            else:
                rendered = rendering.render_piece(excerpt, Path(tmp), family=family,
                                                  curve=curve, rng=rng, lead_in_s=lead_in_s,
                                                  stem="x", audio_suffix=".wav")
                import soundfile

                audio, sr = soundfile.read(rendered.audio_path, dtype="float32")
                truth = rendered.truth
        features = feats.extract([audio], sr=sr)
    except (excerpts.ScoreError, rendering.RenderError) as err:
        return {"id": stem, "status": "skipped", "why": str(err)[:200]}
    except Exception as err:  # music21 refuses some encodings in many ways
        return {"id": stem, "status": "skipped", "why": f"{type(err).__name__}: {err}"[:200]}
    beats = np.array([b["time"] for b in truth["beats"]])
    beat_in_bar = np.array([b["beat_in_bar"] for b in truth["beats"]], dtype=np.int16)
    downbeats = np.array(truth["downbeats"], dtype=float)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp_path = out_dir / f".{stem}.npz"
    with open(tmp_path, "wb") as handle:
        np.savez_compressed(handle, logmel=features.logmel, fps=np.float64(features.fps),
                            beats=beats, downbeats=downbeats, beat_in_bar=beat_in_bar,
                            meter=np.array(truth["meter"]), family=np.array(family),
                            curve=np.array(curve_kind), accompaniment=np.array(kind),
                            bpm=np.float64(excerpt.piece.bpm))
    tmp_path.replace(done_path)
    return {"id": stem, "status": "rendered", "group": source.group, "meter": truth["meter"],
            "family": family, "curve": curve_kind, "accompaniment": kind,
            "bpm": excerpt.piece.bpm, "duration": truth["duration"], "beats": len(beats)}


def _stem(source: corpus.Source, window: int) -> str:
    return source.id + (f"-w{window}" if window else "")


def _held_title(title: str) -> bool:
    def norm(text: str) -> str:
        return re.sub(r"[^a-z]+", " ", text.lower()).strip()

    held = {norm(piece.title.split("(")[0]) for piece in corpus.dataset.PIECES
            if piece.corpus_path.endswith(".abc")}
    mine = norm(title)
    return bool(mine) and any(h and (h in mine or mine in h) for h in held)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, help="render at most this many windows")
    parser.add_argument("--works", type=Path, help="render only the window ids in this file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    chosen = plan(args.seed, None if args.works else args.limit)
    jobs = [(source, window, args.seed, str(args.out), "") for source, window in chosen]
    # The same windows again, a share of them, played by pointe's own plain synthesiser.
    picks = np.random.default_rng([args.seed, 5]).permutation(len(chosen))
    picks = sorted(picks[: int(len(chosen) * SYNTH_SHARE)])
    jobs += [(*chosen[i], args.seed, str(args.out), "synth") for i in picks]
    if not args.limit:
        jobs += [(*work, args.seed, str(args.out), "") for work in more_chorales(args.seed)]
    if args.works:
        wanted = set(args.works.read_text(encoding="utf-8").split())
        jobs = [job for job in jobs
                if _stem(job[0], job[1]) + ("-synth" if job[4] else "") in wanted]
        missing = len(wanted) - len(jobs)
        if missing:
            print(f"{missing} ids of {args.works} are not in the plan for seed {args.seed}",
                  file=sys.stderr)
            return 2
    entries = []
    with Pool(args.jobs) as pool:
        for entry in pool.imap(render_one, jobs, chunksize=2):
            entries.append(entry)
            if entry["status"] == "rendered":
                print(f"{entry['id']:44} {entry['meter']:5} {entry['family']:9} "
                      f"{entry['curve']:11} {entry['accompaniment']:7} {entry['bpm']:6.1f} bpm "
                      f"{entry['duration']:5.1f} s", file=sys.stderr, flush=True)
    rendered = [e for e in entries if e["status"] in ("rendered", "kept")]
    args.out.mkdir(parents=True, exist_ok=True)
    index = {"schema": "pointe.training-index/1", "seed": args.seed, "pieces": entries}
    (args.out / "index.json").write_text(json.dumps(index, indent=1), encoding="utf-8")
    hours = sum(e.get("duration", 0.0) for e in entries) / 3600
    print(f"{len(rendered)} windows ({hours:.2f} h new audio) in {args.out}, "
          f"{len(entries) - len(rendered)} skipped ({time.perf_counter() - started:.0f} s)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
