"""Render public-domain scores to audio with an exact tempo map, and write their truth.

Shared by ``benchmarks/dataset.py`` (the benchmark set) and ``scripts/render_demo.py`` (the bundled
demo). Nothing here calls pointe: the truth comes from the score and the tempo curve alone.

Conventions
-----------
- Positions in the score, felt beats, bars and pickups are as ``excerpts.py`` lays them out.
  MIDI tick 0 is the nominal start of the first bar (``TICKS_PER_QUARTER`` ticks a quarter): a
  pickup is padded with rests, the way notation programs export it.
- Audio time = MIDI time + ``lead_in_s`` (silence put in front of the render). The truth JSON holds
  audio times and ``midi_offset_s`` (= ``lead_in_s``) so that the MIDI file can be checked too.
- A tempo curve multiplies the written tempo as a function of the position in the excerpt,
  ``u`` = position / length in quarter notes, from 0 to 1. The MIDI tempo map holds it as one
  ``set_tempo`` every ``TEMPO_STEP_QL`` (and at every bar line), each a whole number of
  microseconds per quarter, and every truth time is computed from those same integers, with the
  arithmetic a MIDI player does: the truth is exact (to the 1 µs the JSON keeps).
- A truth time is a note-on time. Instruments speak a little later (see ``_REGISTER_PROGRAMS``).
- fluidsynth renders 32-bit float at ``SAMPLE_RATE`` with its default reverb and chorus; the mix
  is normalised to -1 dBFS; the benchmark keeps it mono FLAC, the demo stereo Ogg Vorbis.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import mido
import numpy as np
import soundfile
from excerpts import EPS_QL, Excerpt
from scipy.interpolate import PchipInterpolator

TRUTH_SCHEMA = "pointe.benchmark-truth/1"
SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
TICKS_PER_QUARTER = 960  # divisible by 2, 3, 4, 5, 8, 16: tuplets land on whole ticks
TEMPO_STEP_QL = 0.25  # one set_tempo per sixteenth note
SAMPLE_RATE = 22_050
TAIL_S = 1.5  # silence after the last note-off, for the release and the reverb
PEAK = 0.89  # -1 dBFS
OGG_SERIAL = 0x706F696E  # "poin": a fixed Ogg stream serial number, so Ogg files are reproducible

CurveKind = Literal["steady", "accelerando", "ritardando", "rubato", "sudden"]
CURVE_KINDS: tuple[CurveKind, ...] = ("steady", "accelerando", "ritardando", "rubato", "sudden")
Family = Literal["piano", "strings", "orchestra", "winds"]
FAMILIES: tuple[Family, ...] = ("piano", "strings", "orchestra", "winds")


class RenderError(Exception):
    """A render that failed: fluidsynth missing or failing, too many parts, a broken file."""


# -------------------------------------------------------------------------------- tempo curves


@dataclass(frozen=True)
class TempoCurve:
    """A multiplier of the written tempo over the excerpt (see Conventions)."""

    kind: CurveKind
    params: dict[str, Any] = field(default_factory=dict)

    def factor(self, u: np.ndarray) -> np.ndarray:
        u = np.clip(np.asarray(u, float), 0.0, 1.0)
        p = self.params
        if self.kind == "steady":
            return np.ones_like(u)
        if self.kind == "accelerando":
            ramp = np.clip((u - p["start_u"]) / (1.0 - p["start_u"]), 0.0, 1.0)
            return 1.0 + p["gain"] * ramp
        if self.kind == "ritardando":
            ramp = np.clip((u - p["start_u"]) / (1.0 - p["start_u"]), 0.0, 1.0)
            return 1.0 - p["loss"] * ramp**1.5  # gradual at first, then broadening
        if self.kind == "rubato":
            knots_u = np.asarray(p["knots_u"], float)
            return 1.0 + PchipInterpolator(knots_u, np.asarray(p["knots"], float))(u)
        if self.kind == "sudden":
            return np.where(u >= p["at_u"] - 1e-12, p["factor"], 1.0)
        raise ValueError(f"unknown tempo curve {self.kind!r} (expected one of {CURVE_KINDS})")


def draw_curve(kind: CurveKind, excerpt: Excerpt, rng: np.random.Generator, *,
               rubato_swing: tuple[float, float] = (0.10, 0.15)) -> TempoCurve:
    """A tempo curve of ``kind`` with its parameters drawn from ``rng``.

    accelerando: 12-25 % faster by the end, from a start in the first 30 %; ritardando: 20-35 %
    slower by the end, from a start between 40 and 70 %; rubato: a smooth random swing whose
    largest deviation is drawn from ``rubato_swing``; sudden: 15-30 % faster or slower from a bar
    line between 40 and 60 % of the way, on a four-bar boundary where there is one.
    """
    bar_starts_u = [bar.start_ql / excerpt.end_ql for bar in excerpt.bars]
    if kind == "steady":
        return TempoCurve(kind)
    if kind == "accelerando":
        return TempoCurve(kind, {"start_u": _r(rng.uniform(0.0, 0.3)),
                                 "gain": _r(rng.uniform(0.12, 0.25))})
    if kind == "ritardando":
        return TempoCurve(kind, {"start_u": _r(rng.uniform(0.4, 0.7)),
                                 "loss": _r(rng.uniform(0.2, 0.35))})
    if kind == "rubato":
        # one knot every two bars, joined by a shape-preserving cubic (PCHIP, no overshoot)
        n_knots = max(4, len(excerpt.bars) // 2 + 1)
        values = rng.uniform(-1.0, 1.0, n_knots)
        values *= rng.uniform(*rubato_swing) / np.max(np.abs(values))
        return TempoCurve(kind, {"knots_u": [_r(x) for x in np.linspace(0.0, 1.0, n_knots)],
                                 "knots": [_r(x) for x in values]})
    if kind == "sudden":
        full = [u for bar, u in zip(excerpt.bars, bar_starts_u, strict=True) if not bar.pickup]
        middle = [k for k in range(len(full)) if 0.4 <= k / len(full) <= 0.6]
        phrase_starts = [k for k in middle if k % 4 == 0] or middle or [len(full) // 2]
        at = full[int(rng.choice(phrase_starts))]
        change = rng.uniform(0.15, 0.3) * (1 if rng.random() < 0.5 else -1)
        return TempoCurve(kind, {"at_u": _r(at, 9), "factor": _r(1.0 + change)})
    raise ValueError(f"unknown tempo curve {kind!r} (expected one of {CURVE_KINDS})")


@dataclass(frozen=True)
class TempoMap:
    """Piecewise-constant MIDI tempo: segment start ticks and microseconds per quarter."""

    start_ticks: np.ndarray  # int64, first 0
    us_per_quarter: np.ndarray  # int64

    def seconds(self, ticks) -> np.ndarray:
        """Exact MIDI time of ``ticks`` (the same arithmetic a MIDI player does)."""
        ticks = np.asarray(ticks, np.int64)
        durations_us = np.diff(self.start_ticks) * self.us_per_quarter[:-1]
        elapsed_us = np.concatenate([[0], np.cumsum(durations_us)])
        segment = np.searchsorted(self.start_ticks, ticks, side="right") - 1
        within = (ticks - self.start_ticks[segment]) * self.us_per_quarter[segment]
        return (elapsed_us[segment] + within) / (TICKS_PER_QUARTER * 1e6)


def to_ticks(position_ql: float) -> int:
    return int(round(position_ql * TICKS_PER_QUARTER))


def written_qpm(excerpt: Excerpt, bar_index: int) -> float:
    """Quarters per minute the score asks for in a bar, before the curve."""
    piece = excerpt.piece
    bpm, since = piece.bpm, 0
    for index, changed_bpm in piece.bpm_changes:
        if index <= bar_index and index >= since:
            bpm, since = changed_bpm, index
    first = excerpt.bars[since]
    return bpm * first.beat_ql


def build_tempo_map(excerpt: Excerpt, curve: TempoCurve) -> TempoMap:
    """One tempo per ``TEMPO_STEP_QL`` and per bar line, taken at the middle of its step."""
    grid_ql = set(np.arange(0.0, excerpt.end_ql, TEMPO_STEP_QL).round(9).tolist())
    grid_ql.update(round(bar.start_ql, 9) for bar in excerpt.bars)
    starts = sorted({to_ticks(q) for q in grid_ql})
    starts_ql = np.asarray(starts, float) / TICKS_PER_QUARTER
    ends_ql = np.append(starts_ql[1:], excerpt.end_ql)
    middles_ql = (starts_ql + ends_ql) / 2
    bar_starts = np.asarray([bar.start_ql for bar in excerpt.bars])
    bar_of = np.searchsorted(bar_starts, middles_ql, side="right") - 1
    base = np.asarray([written_qpm(excerpt, int(b)) for b in bar_of])
    qpm = base * curve.factor(middles_ql / excerpt.end_ql)
    us = np.round(60e6 / qpm).astype(np.int64)
    return TempoMap(np.asarray(starts, np.int64), us)


# ------------------------------------------------------------------------------- instruments


@dataclass(frozen=True)
class Track:
    part: int
    program: int  # General MIDI program, 0-based
    channel: int
    velocity_offset: int = 0


GM_NAMES = {0: "Acoustic Grand Piano", 40: "Violin", 41: "Viola", 42: "Cello",
            48: "String Ensemble 1", 60: "French Horn", 68: "Oboe", 70: "Bassoon", 71: "Clarinet"}

# Programs per family for a part by register (high, middle, low), for a chordal part and for a
# one-part tune (a second program doubles it). How late FluidR3_GM's instruments speak, as the
# peak of librosa's onset strength after the note-on: piano 20 ms, clarinet 9, oboe 29, horn 35,
# string ensemble 41, violin and viola 49, bassoon 49, cello 73, flute 122. The flute is left
# out: no tracker could meet a 70 ms window on a flute melody's note-ons.
_REGISTER_PROGRAMS: dict[str, dict[str, int]] = {
    "strings": {"high": 40, "middle": 41, "low": 42, "chords": 48, "tune": 40},
    "orchestra": {"high": 40, "middle": 60, "low": 70, "chords": 48, "tune": 40, "double": 68},
    "winds": {"high": 68, "middle": 71, "low": 70, "chords": 71, "tune": 71},
}


def choose_tracks(excerpt: Excerpt, family: Family) -> tuple[Track, ...]:
    """General MIDI programs for each part: one piano, or instruments by register."""
    n_parts = len(excerpt.part_names)
    channels = [c for c in range(16) if c != 9]  # channel 10 is the drum kit
    if n_parts > len(channels):
        raise RenderError(f"{excerpt.piece.id}: {n_parts} parts, at most {len(channels)} fit")
    if family == "piano":
        return tuple(Track(p, 0, channels[p]) for p in range(n_parts))
    if family not in _REGISTER_PROGRAMS:
        raise ValueError(f"unknown program family {family!r} (expected one of {FAMILIES})")
    programs = _REGISTER_PROGRAMS[family]
    if n_parts == 1:  # a tune: one instrument, doubled in the orchestra
        tracks = [Track(0, programs["tune"], channels[0])]
        if "double" in programs:
            tracks.append(Track(0, programs["double"], channels[1], velocity_offset=-12))
        return tuple(tracks)
    mean_pitch = {p: np.mean([n.pitch for n in excerpt.notes if n.part == p] or [60])
                  for p in range(n_parts)}
    ranked = sorted(range(n_parts), key=lambda p: -mean_pitch[p])
    tracks = []
    for rank, part in enumerate(ranked):
        register = "high" if rank == 0 else "low" if rank == n_parts - 1 else "middle"
        if _is_chordal(excerpt, part):
            register = "chords" if register != "low" else "low"
        tracks.append(Track(part, programs[register], channels[part]))
    return tuple(sorted(tracks, key=lambda t: t.part))


def _is_chordal(excerpt: Excerpt, part: int) -> bool:
    onsets = [n.onset_ql for n in excerpt.notes if n.part == part]
    return len(onsets) > 1.3 * len(set(onsets))


# ---------------------------------------------------------------------------------------- MIDI


def accent_of(excerpt: Excerpt, onset_ql: float) -> int:
    """Velocity added for the metrical place of an onset: 10 on a downbeat, 4 on a beat."""
    starts = [bar.start_ql for bar in excerpt.bars]
    bar = excerpt.bars[max(0, int(np.searchsorted(starts, onset_ql + EPS_QL, side="right")) - 1)]
    offset_ql = onset_ql - bar.start_ql
    if abs(offset_ql) < EPS_QL and not bar.pickup:
        return 10
    beats = offset_ql / bar.beat_ql
    return 4 if abs(beats - round(beats)) < EPS_QL else 0


def write_midi(excerpt: Excerpt, tempo: TempoMap, tracks: Sequence[Track], path: Path, *,
               rng: np.random.Generator, base_velocity: int = 76) -> None:
    """A type-1 MIDI file: track 0 the tempo map and meters, then one track per instrument.

    Velocities: ``base_velocity`` with a player's mild metrical accent (``accent_of``) and a
    seeded jitter of up to 4 either way. Notes stop 12 ticks early, so repeated notes sound.
    """
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_QUARTER)
    midi.tracks.append(_conductor_track(excerpt, tempo))
    last_off = 0
    for track in tracks:
        events: list[tuple[int, int, mido.Message]] = []
        for note in excerpt.notes:
            if note.part != track.part:
                continue
            on = to_ticks(note.onset_ql)
            off = max(on + 1, to_ticks(note.onset_ql + note.duration_ql) - 12)  # tiny gap
            velocity = int(np.clip(base_velocity + track.velocity_offset
                                   + accent_of(excerpt, note.onset_ql)
                                   + rng.integers(-4, 5), 1, 127))
            events.append((on, 1, mido.Message("note_on", channel=track.channel, note=note.pitch,
                                               velocity=velocity)))
            events.append((off, 0, mido.Message("note_off", channel=track.channel,
                                                note=note.pitch, velocity=0)))
            last_off = max(last_off, off)
        events.sort(key=lambda e: (e[0], e[1], e[2].note))  # offs before ons at the same tick
        header = [mido.Message("program_change", channel=track.channel, program=track.program)]
        midi.tracks.append(_delta_track(header, events))
    end_tick = last_off + to_ticks(TAIL_S * written_qpm(excerpt, len(excerpt.bars) - 1) / 60)
    for midi_track in midi.tracks:
        midi_track.append(mido.MetaMessage("end_of_track", time=_remaining(midi_track, end_tick)))
    _atomic_write(path, lambda tmp: midi.save(filename=str(tmp)))


def _conductor_track(excerpt: Excerpt, tempo: TempoMap) -> mido.MidiTrack:
    events: list[tuple[int, int, mido.MetaMessage]] = []
    previous = None
    for bar in excerpt.bars:
        if bar.meter != previous:
            numerator, denominator = (int(x) for x in bar.meter.split("/"))
            events.append((to_ticks(bar.start_ql), 0, mido.MetaMessage(
                "time_signature", numerator=numerator, denominator=denominator,
                clocks_per_click=int(24 * bar.beat_ql), notated_32nd_notes_per_beat=8)))
            previous = bar.meter
    for tick, us in zip(tempo.start_ticks, tempo.us_per_quarter, strict=True):
        events.append((int(tick), 1, mido.MetaMessage("set_tempo", tempo=int(us))))
    events.sort(key=lambda e: (e[0], e[1]))
    header = [mido.MetaMessage("track_name", name=excerpt.piece.title)]
    return _delta_track(header, events)


def _delta_track(header: list, events: list[tuple[int, int, Any]]) -> mido.MidiTrack:
    track = mido.MidiTrack(header)
    now = 0
    for tick, _, message in events:
        track.append(message.copy(time=tick - now))
        now = tick
    return track


def _remaining(track: mido.MidiTrack, end_tick: int) -> int:
    return max(0, end_tick - sum(message.time for message in track))


def midi_note_onsets_s(path: Path) -> np.ndarray:
    """Note-on times of a MIDI file as mido plays it (an independent check of the tempo map)."""
    now_s, onsets = 0.0, []
    for message in mido.MidiFile(str(path)):
        now_s += message.time
        if message.type == "note_on" and message.velocity > 0:
            onsets.append(now_s)
    return np.asarray(onsets)


# ---------------------------------------------------------------------------------------- audio


def render_audio(midi_path: Path, audio_path: Path, *, lead_in_s: float,
                 sample_rate: int = SAMPLE_RATE, channels: int = 1,
                 subtype: str | None = None) -> float:
    """Render with the fluidsynth CLI and FluidR3_GM, put ``lead_in_s`` of silence in front.

    The format follows ``audio_path``'s suffix (.flac, .ogg, .wav). Returns the duration in seconds.
    """
    if shutil.which("fluidsynth") is None:
        raise RenderError("fluidsynth is not installed (apt-get install fluidsynth "
                          "fluid-soundfont-gm)")
    if not SOUNDFONT.exists():
        raise RenderError(f"{SOUNDFONT} is missing (apt-get install fluid-soundfont-gm)")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "render.wav"
        command = ["fluidsynth", "-ni", "-q", "-g", "0.5", "-r", str(sample_rate), "-T", "wav",
                   "-O", "float", "-F", str(wav), str(SOUNDFONT), str(midi_path)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not wav.exists():
            raise RenderError(f"fluidsynth failed on {midi_path}: {done.stderr.strip()[-300:]}")
        audio, rate = soundfile.read(wav, dtype="float64", always_2d=True)
    if rate != sample_rate:
        raise RenderError(f"fluidsynth wrote {rate} Hz, not {sample_rate} Hz")
    audio = audio.mean(axis=1, keepdims=True) if channels == 1 else audio[:, :channels]
    peak = float(np.max(np.abs(audio))) or 1.0
    audio = audio * (PEAK / peak)
    lead = np.zeros((int(round(lead_in_s * sample_rate)), audio.shape[1]))
    audio = np.concatenate([lead, audio])
    _atomic_write(audio_path, lambda tmp: _write_audio(Path(tmp), audio, sample_rate, subtype))
    return len(audio) / sample_rate


def _write_audio(path: Path, audio: np.ndarray, sample_rate: int, subtype: str | None) -> None:
    soundfile.write(path, audio, sample_rate, subtype=subtype, format=path.suffix[1:].upper())
    if path.suffix == ".ogg":
        set_ogg_serial(path, OGG_SERIAL)


def set_ogg_serial(path: Path, serial: int) -> None:
    """Give every page of an Ogg file the stream serial ``serial``, and fix the page checksums.

    libsndfile draws the serial number at random; with a fixed one the same audio gives the same
    bytes (the Vorbis packets themselves are already deterministic).
    """
    data = bytearray(path.read_bytes())
    position = 0
    while position < len(data):
        if data[position:position + 4] != b"OggS":
            raise RenderError(f"{path}: no Ogg page at byte {position}")
        segments = data[position + 26]
        body = sum(data[position + 27:position + 27 + segments])
        end = position + 27 + segments + body
        data[position + 14:position + 18] = serial.to_bytes(4, "little")
        data[position + 22:position + 26] = bytes(4)
        checksum = _ogg_crc(bytes(data[position:end]))
        data[position + 22:position + 26] = checksum.to_bytes(4, "little")
        position = end
    path.write_bytes(bytes(data))


def _ogg_crc(page: bytes) -> int:
    """Ogg's CRC-32: polynomial 0x04C11DB7, initial value 0, not reflected, no final xor."""
    crc = 0
    for byte in page:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _OGG_CRC_TABLE[((crc >> 24) ^ byte) & 0xFF]
    return crc


def _ogg_crc_table() -> tuple[int, ...]:
    table = []
    for index in range(256):
        value = index << 24
        for _ in range(8):
            value = ((value << 1) ^ 0x04C11DB7) if value & 0x80000000 else value << 1
        table.append(value & 0xFFFFFFFF)
    return tuple(table)


_OGG_CRC_TABLE = _ogg_crc_table()


# ---------------------------------------------------------------------------------------- truth


def build_truth(excerpt: Excerpt, tempo: TempoMap, curve: TempoCurve, tracks: Sequence[Track], *,
                family: Family, lead_in_s: float, audio_name: str, midi_name: str,
                duration_s: float) -> dict[str, Any]:
    """The truth document (schema ``TRUTH_SCHEMA``); every time in seconds of the audio file.

    - ``id``, ``title``, ``composer``, ``source``, ``kind``, ``corpus_path``, ``number``, ``play``
      (score measure ranges in playing order), ``drop_parts``: what was played.
    - ``audio``, ``midi``: file names next to the truth; ``duration``: of the audio;
      ``midi_offset_s``: audio time minus MIDI time; ``first_note``: the first note-on.
    - ``meter``: the main meter (most quarter notes); ``meters``: all, in order of appearance.
    - ``pickup``: whether bar 0 is an anacrusis; ``pickup_beats``: felt beats it holds (0 when
      it is shorter than a felt beat); ``dropped_notes``: notes an encoding slip put past the
      end of their measure, left out.
    - ``beats``: ``[{time, bar, beat_in_bar}]``, every felt beat from the first that sounds;
      ``downbeats``: the times of the beats with ``beat_in_bar`` 1 (the starts of full bars).
    - ``bars``: ``[{number, start, meter, beats, pickup, measures}]``; a pickup's ``start`` is its
      nominal bar line, before the music; ``measures``: the score measures ("8+0" for two halves).
    - ``tempo``: ``written_bpm``, ``bpm_changes``, ``curve``, ``params``, and ``beats_bpm``, the
      felt tempo between consecutive beats.
    - ``instruments``: ``family``, ``tracks`` ``[{part, program, name}]``, ``soundfont``.
    """
    beats = excerpt.beats()
    ticks = [to_ticks(position) for position, _, _ in beats]
    times_s = tempo.seconds(ticks) + lead_in_s
    bar_ticks = [to_ticks(bar.start_ql) for bar in excerpt.bars]
    bar_times_s = tempo.seconds(bar_ticks) + lead_in_s
    piece = excerpt.piece
    first_sound_s = float(tempo.seconds([to_ticks(excerpt.notes[0].onset_ql)])[0] + lead_in_s)
    return {
        "schema": TRUTH_SCHEMA,
        "id": piece.id,
        "title": piece.title,
        "composer": piece.composer,
        "source": piece.source,
        "kind": piece.kind,
        "corpus_path": piece.corpus_path,
        "number": piece.number,
        "play": [list(r) for r in piece.play],
        "drop_parts": list(piece.drop_parts),
        "audio": audio_name,
        "midi": midi_name,
        "duration": _r(duration_s),
        "midi_offset_s": _r(lead_in_s, 6),
        "first_note": _r(first_sound_s, 6),
        "meter": excerpt.main_meter(),
        "meters": excerpt.meters(),
        "pickup": excerpt.pickup,
        "pickup_beats": len(excerpt.bars[0].beats) if excerpt.pickup else 0,
        "dropped_notes": excerpt.dropped_notes,
        "beats": [{"time": _r(t, 6), "bar": bar, "beat_in_bar": b}
                  for t, (_, bar, b) in zip(times_s, beats, strict=True)],
        "downbeats": [_r(t, 6) for t, (_, _, b) in zip(times_s, beats, strict=True) if b == 1],
        "bars": [{"number": bar.number, "start": _r(t, 6), "meter": bar.meter,
                  "beats": len(bar.beats), "pickup": bar.pickup, "measures": bar.measures}
                 for bar, t in zip(excerpt.bars, bar_times_s, strict=True)],
        "tempo": {
            "written_bpm": piece.bpm,
            "bpm_changes": [list(c) for c in piece.bpm_changes],
            "curve": curve.kind,
            "params": curve.params,
            "beats_bpm": [_r(60.0 / d, 3) for d in np.diff(times_s)],
        },
        "instruments": {
            "family": family,
            "tracks": [{"part": excerpt.part_names[t.part], "program": t.program,
                        "name": GM_NAMES.get(t.program, str(t.program))} for t in tracks],
            "soundfont": SOUNDFONT.name,
        },
    }


def write_json(path: Path, document: dict[str, Any]) -> None:
    """A JSON object with one line per key, and one line per item of a list of objects."""
    write_text(path, dumps(document))


def write_text(path: Path, text: str) -> None:
    _atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def dumps(document: dict[str, Any]) -> str:
    """``document`` as JSON laid out for reading and diffing (see ``write_json``)."""
    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = []
    for key, value in document.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            items = ",\n".join(f"  {one(v)}" for v in value)
            lines.append(f" {one(key)}: [\n{items}\n ]")
        else:
            lines.append(f" {one(key)}: {one(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


# ------------------------------------------------------------------------------------ one piece


@dataclass(frozen=True)
class Rendered:
    truth: dict[str, Any]
    audio_path: Path
    midi_path: Path
    truth_path: Path


def render_piece(excerpt: Excerpt, out_dir: Path, *, family: Family, curve: TempoCurve,
                 rng: np.random.Generator, lead_in_s: float, audio_suffix: str = ".flac",
                 stem: str | None = None, channels: int = 1) -> Rendered:
    """MIDI, audio and truth of one excerpt in ``out_dir`` (``stem`` + .mid/.flac/.truth.json)."""
    stem = stem or excerpt.piece.id
    out_dir.mkdir(parents=True, exist_ok=True)
    tempo = build_tempo_map(excerpt, curve)
    tracks = choose_tracks(excerpt, family)
    midi_path = out_dir / f"{stem}.mid"
    audio_path = out_dir / f"{stem}{audio_suffix}"
    truth_path = out_dir / f"{stem}.truth.json"
    write_midi(excerpt, tempo, tracks, midi_path, rng=rng)
    duration_s = render_audio(midi_path, audio_path, lead_in_s=lead_in_s, channels=channels,
                              subtype="PCM_16" if audio_suffix == ".flac" else None)
    truth = build_truth(excerpt, tempo, curve, tracks, family=family, lead_in_s=lead_in_s,
                        audio_name=audio_path.name, midi_name=midi_path.name,
                        duration_s=duration_s)
    write_json(truth_path, truth)
    return Rendered(truth, audio_path, midi_path, truth_path)


def piece_rng(seed: int, piece_id: str) -> np.random.Generator:
    """A generator for one piece: the same for a seed whatever else is in the list."""
    return np.random.default_rng([seed, zlib.crc32(piece_id.encode("utf-8"))])


# ---------------------------------------------------------------------------------------- files


def _atomic_write(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(handle)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; these are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _r(value: float, digits: int = 4) -> float:
    value = float(value)
    return round(value, digits) if math.isfinite(value) else value
