"""The MusicMap: a piece of music counted the way dancers count it.

Conventions
-----------
- Times are in seconds from the start of the file (``*_s`` in code, plain ``time``/``start`` keys in
  the JSON form, which the issue tracker and the docs fix as the public schema).
- A *beat* is the felt pulse: the quarter in 2/4, 3/4 and 4/4, the half note in 2/2, the dotted
  quarter in 6/8, 9/8 and 12/8 (the level beat-tracking data sets annotate).
- A *bar* starts on a downbeat; ``beat_in_bar`` 1 is the downbeat. A pickup (anacrusis) is
  bar 0.
- A *count* is the dancer's count: one beat, half a bar or one bar (``count_unit``). Counts are
  numbered 1…phrase length inside a phrase; phrase 0 is the introduction before the dance's first
  "1" (the "5, 6, 7, 8" the dancers wait through).
- Phrases are usually eight counts; the music decides (6 and 12 are legal).
- Sections are labelled A, B, C … by what they sound like; a return of A that differs is A′.

The JSON form is versioned (``schema``); ``to_dict``/``from_dict`` round-trip it exactly.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pointe.errors import DocumentError

SCHEMA = "pointe.musicmap/1"

CountUnit = Literal["beat", "half-bar", "bar"]
COUNT_UNITS: tuple[str, ...] = ("beat", "half-bar", "bar")


@dataclass(frozen=True)
class Beat:
    time_s: float
    bar: int
    beat_in_bar: int
    strength: float  # 0..1, how strongly the music marks this beat
    confidence: float  # 0..1, how sure the tracker is a beat is here


@dataclass(frozen=True)
class Bar:
    number: int  # 0 for a pickup bar, then 1, 2, …
    start_s: float
    meter: str  # "3/4", "6/8" …
    beats: int  # felt beats in this bar (fewer than the meter's in a pickup)
    pickup: bool = False


@dataclass(frozen=True)
class TempoPoint:
    time_s: float
    bpm: float  # felt beats per minute around this time


@dataclass(frozen=True)
class Count:
    time_s: float
    phrase: int  # 0 = introduction
    number: int  # 1 … phrase length
    bar: int
    energy: float  # 0..1 loudness of the music over this count, relative to the piece
    accent: float  # 0..1 attack strength on this count, relative to the piece


@dataclass(frozen=True)
class Phrase:
    number: int  # 0 = introduction
    start_s: float
    end_s: float
    first_count: int  # index into MusicMap.counts
    length_counts: int
    first_bar: int
    last_bar: int
    section: str


@dataclass(frozen=True)
class Character:
    tempo_bpm: float
    loudness_db: float  # mean RMS level, dBFS
    brightness_hz: float  # mean spectral centroid
    onset_density_per_s: float
    words: tuple[str, ...]  # "slow", "soft", "bright" … for people to read


@dataclass(frozen=True)
class Section:
    label: str  # "A", "B", "A′" …
    start_s: float
    end_s: float
    first_phrase: int
    last_phrase: int
    character: Character


@dataclass(frozen=True)
class Envelope:
    """Loudness over time at a fixed rate: what the studio-wall picture draws."""

    rate_hz: float
    db: tuple[float, ...]


@dataclass(frozen=True)
class Analysis:
    method: Literal["audio", "symbolic"]
    tracker: str  # which beat tracker produced the beats
    confidence: float  # 0..1 overall
    meter_confidence: float
    corrections: dict[str, Any] = field(default_factory=dict)  # what the user fixed by hand
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    path: str  # as given, for people
    name: str
    sha256: str
    format: str  # "wav", "ogg", "midi", "musicxml" …


@dataclass(frozen=True)
class MusicMap:
    source: Source
    duration_s: float
    meter: str  # the main meter
    count_unit: CountUnit
    phrase_length: int
    beats: tuple[Beat, ...]
    bars: tuple[Bar, ...]
    tempo: tuple[TempoPoint, ...]
    counts: tuple[Count, ...]
    phrases: tuple[Phrase, ...]
    sections: tuple[Section, ...]
    envelope: Envelope
    analysis: Analysis

    # ------------------------------------------------------------------ queries

    @property
    def bpm(self) -> float:
        """Median felt tempo in beats per minute."""
        if not self.tempo:
            return float("nan")
        values = sorted(point.bpm for point in self.tempo)
        return values[len(values) // 2]

    @property
    def counts_per_minute(self) -> float:
        if len(self.counts) < 2:
            return float("nan")
        span = self.counts[-1].time_s - self.counts[0].time_s
        return 60.0 * (len(self.counts) - 1) / span if span > 0 else float("nan")

    def count_time(self, index: int, fraction: float = 0.0) -> float:
        """Seconds of count ``index`` (into ``counts``) plus ``fraction`` of the way to the next.

        ``fraction`` 0.5 is the "&", 0.75 the "a". Past the last count the last interval is reused.
        """
        if not 0 <= index < len(self.counts):
            raise IndexError(f"count index {index} outside 0..{len(self.counts) - 1}")
        if not 0.0 <= fraction < 1.0:
            raise ValueError(f"fraction must be in [0, 1) (not {fraction})")
        start = self.counts[index].time_s
        if index + 1 < len(self.counts):
            step = self.counts[index + 1].time_s - start
        elif index > 0:
            step = start - self.counts[index - 1].time_s
        else:
            step = 60.0 / self.bpm if math.isfinite(self.bpm) else 0.5
        return start + fraction * step

    def phrase_counts(self, number: int) -> tuple[Count, ...]:
        return tuple(count for count in self.counts if count.phrase == number)

    # ------------------------------------------------------------------ JSON form

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "source": asdict(self.source),
            "duration": _r(self.duration_s),
            "meter": self.meter,
            "count_unit": self.count_unit,
            "phrase_length": self.phrase_length,
            "bpm": _r(self.bpm, 2),
            "beats": [
                {
                    "time": _r(b.time_s),
                    "bar": b.bar,
                    "beat_in_bar": b.beat_in_bar,
                    "strength": _r(b.strength, 3),
                    "confidence": _r(b.confidence, 3),
                }
                for b in self.beats
            ],
            "bars": [
                {
                    "number": b.number,
                    "start": _r(b.start_s),
                    "meter": b.meter,
                    "beats": b.beats,
                    "pickup": b.pickup,
                }
                for b in self.bars
            ],
            "tempo": [{"time": _r(t.time_s), "bpm": _r(t.bpm, 2)} for t in self.tempo],
            "counts": [
                {
                    "time": _r(c.time_s),
                    "phrase": c.phrase,
                    "count": c.number,
                    "bar": c.bar,
                    "energy": _r(c.energy, 3),
                    "accent": _r(c.accent, 3),
                }
                for c in self.counts
            ],
            "phrases": [
                {
                    "number": p.number,
                    "start": _r(p.start_s),
                    "end": _r(p.end_s),
                    "first_count": p.first_count,
                    "length": p.length_counts,
                    "first_bar": p.first_bar,
                    "last_bar": p.last_bar,
                    "section": p.section,
                }
                for p in self.phrases
            ],
            "sections": [
                {
                    "label": s.label,
                    "start": _r(s.start_s),
                    "end": _r(s.end_s),
                    "first_phrase": s.first_phrase,
                    "last_phrase": s.last_phrase,
                    "character": {
                        "tempo_bpm": _r(s.character.tempo_bpm, 2),
                        "loudness_db": _r(s.character.loudness_db, 2),
                        "brightness_hz": _r(s.character.brightness_hz, 1),
                        "onset_density_per_s": _r(s.character.onset_density_per_s, 3),
                        "words": list(s.character.words),
                    },
                }
                for s in self.sections
            ],
            "envelope": {
                "rate_hz": self.envelope.rate_hz,
                "db": [_r(v, 1) for v in self.envelope.db],
            },
            "analysis": {
                "method": self.analysis.method,
                "tracker": self.analysis.tracker,
                "confidence": _r(self.analysis.confidence, 3),
                "meter_confidence": _r(self.analysis.meter_confidence, 3),
                "corrections": dict(self.analysis.corrections),
                "notes": list(self.analysis.notes),
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, path: str | None = None) -> MusicMap:
        if not isinstance(data, dict):
            raise DocumentError(path, "", "a MusicMap must be a JSON object", "write it with "
                                "`pointe counts MUSIC --json`")
        schema = data.get("schema")
        if schema != SCHEMA:
            raise DocumentError(
                path, "schema", f"unknown MusicMap schema {schema!r}",
                f"this pointe reads {SCHEMA!r}; re-run `pointe counts MUSIC --json`",
            )
        try:
            return _from_dict(data)
        except (KeyError, TypeError, ValueError) as err:
            raise DocumentError(
                path, _place_of(err), f"malformed MusicMap ({err})",
                "re-run `pointe counts MUSIC --json` or fix the field by hand",
            ) from err


def _from_dict(data: dict[str, Any]) -> MusicMap:
    character = lambda c: Character(  # noqa: E731
        float(c["tempo_bpm"]), float(c["loudness_db"]), float(c["brightness_hz"]),
        float(c["onset_density_per_s"]), tuple(str(w) for w in c["words"]),
    )
    analysis = data["analysis"]
    unit = data["count_unit"]
    if unit not in COUNT_UNITS:
        raise ValueError(f"count_unit {unit!r} is not one of {COUNT_UNITS}")
    return MusicMap(
        source=Source(**data["source"]),
        duration_s=float(data["duration"]),
        meter=str(data["meter"]),
        count_unit=unit,
        phrase_length=int(data["phrase_length"]),
        beats=tuple(
            Beat(float(b["time"]), int(b["bar"]), int(b["beat_in_bar"]), float(b["strength"]),
                 float(b["confidence"]))
            for b in data["beats"]
        ),
        bars=tuple(
            Bar(int(b["number"]), float(b["start"]), str(b["meter"]), int(b["beats"]),
                bool(b["pickup"]))
            for b in data["bars"]
        ),
        tempo=tuple(TempoPoint(float(t["time"]), float(t["bpm"])) for t in data["tempo"]),
        counts=tuple(
            Count(float(c["time"]), int(c["phrase"]), int(c["count"]), int(c["bar"]),
                  float(c["energy"]), float(c["accent"]))
            for c in data["counts"]
        ),
        phrases=tuple(
            Phrase(int(p["number"]), float(p["start"]), float(p["end"]), int(p["first_count"]),
                   int(p["length"]), int(p["first_bar"]), int(p["last_bar"]), str(p["section"]))
            for p in data["phrases"]
        ),
        sections=tuple(
            Section(str(s["label"]), float(s["start"]), float(s["end"]), int(s["first_phrase"]),
                    int(s["last_phrase"]), character(s["character"]))
            for s in data["sections"]
        ),
        envelope=Envelope(float(data["envelope"]["rate_hz"]),
                          tuple(float(v) for v in data["envelope"]["db"])),
        analysis=Analysis(
            method=analysis["method"], tracker=str(analysis["tracker"]),
            confidence=float(analysis["confidence"]),
            meter_confidence=float(analysis["meter_confidence"]),
            corrections=dict(analysis["corrections"]),
            notes=tuple(str(n) for n in analysis["notes"]),
        ),
    )


def _place_of(err: Exception) -> str:
    if isinstance(err, KeyError):
        return f"field {err.args[0]!r}"
    return ""


def _r(value: float, digits: int = 4) -> float:
    """Round for a stable, diff-friendly JSON form (0.1 ms resolution for times)."""
    return round(float(value), digits)
