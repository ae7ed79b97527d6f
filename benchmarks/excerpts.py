"""The excerpts the benchmark and the demo play: scores from music21's corpus laid out in bars.

Shared by ``benchmarks/dataset.py`` and ``scripts/render_demo.py`` through ``rendering.py``.

Conventions
-----------
- A ``Piece`` names a score in music21's bundled corpus and the measures to play, in playing order
  (repeats are written out by hand as measure ranges, so what is played is plain to read).
- Score positions are in quarter notes (``*_ql``) from the nominal start of the excerpt's first bar:
  for a pickup (anacrusis) that is the bar line the pickup would have, so the pickup's notes start
  after its padding.
- The felt beat, which beat-tracking data sets annotate and ``MusicMap`` calls a beat: the quarter
  in 2/4, 3/4 and 4/4, the half note in 2/2 and 3/2, the dotted quarter in 6/8, 9/8 and 12/8, the
  bar in 3/8. A bar's beats sit at whole multiples of the felt beat from its bar line; a pickup
  keeps only the beats that fall where it sounds (an eighth-note pickup in 6/8 keeps none).
- Bars are numbered as in ``MusicMap``: 0 for a pickup, then 1, 2, …; a downbeat is the first
  beat of a full bar (``beat_in_bar`` 1).
- The truth starts at the first note: beats before it are left out, and a first bar that loses
  its downbeat so (a bar of rests ending in an upbeat) is a pickup too, bar 0.
- A measure's length is the one most of its parts agree on (encodings have slips); a short first
  measure is a pickup, two short measures that make one bar (the halves a repeat sign splits) are
  one bar, a short last measure is a final bar, and any other irregular measure is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

EPS_QL = 1e-6


class ScoreError(Exception):
    """A piece whose measures cannot be laid out as bars (the message says which and why)."""


# ---------------------------------------------------------------------------------------- pieces


@dataclass(frozen=True)
class Piece:
    """One score from music21's corpus, the measures to play and the tempo to play them at."""

    id: str  # file stem: lower-case words joined by "-"
    corpus_path: str  # as ``music21.corpus.parse`` takes it
    title: str
    composer: str
    source: str  # original publication, for people
    bpm: float  # felt beats per minute at the start (the written tempo, before the curve)
    play: tuple[tuple[int, int], ...] = ()  # score measure ranges, inclusive, in playing order
    number: int | None = None  # work number inside a corpus file that holds many (ABC books)
    bpm_changes: tuple[tuple[int, float], ...] = ()  # (bar index in the excerpt, felt bpm from it)
    drop_parts: tuple[int, ...] = ()  # parts (0-based) left out, where an encoding is broken
    kind: str = ""  # "menuet", "jig" …: what it is, for people


# ------------------------------------------------------------------------------------- excerpts


@dataclass(frozen=True)
class NoteEvent:
    onset_ql: float
    duration_ql: float
    pitch: int  # MIDI note number
    part: int
    score_beat: float  # music21's own beat of the note in its measure (1 = downbeat), for checks
    measure: int  # the score's measure number


@dataclass(frozen=True)
class BarSpan:
    """A bar of the excerpt, nominal: a pickup's ``start_ql`` is the bar line it would have."""

    number: int  # 0 = pickup, then 1, 2, …
    start_ql: float
    length_ql: float  # the meter's full length
    meter: str
    beat_ql: float
    beats: tuple[int, ...]  # the felt beats that sound, 1-based (a pickup in 4/4: (4,))
    measures: str  # the score's measure number(s) it came from
    pickup: bool = False

    def beat_position_ql(self, beat: int) -> float:
        return self.start_ql + (beat - 1) * self.beat_ql


@dataclass(frozen=True)
class Excerpt:
    piece: Piece
    notes: tuple[NoteEvent, ...]
    bars: tuple[BarSpan, ...]
    part_names: tuple[str, ...]
    end_ql: float  # end of the last bar
    dropped_notes: int = 0  # notes an encoding slip put past the end of their measure

    @property
    def pickup(self) -> bool:
        return bool(self.bars) and self.bars[0].pickup

    def beats(self) -> list[tuple[float, int, int]]:
        """Every felt beat as (position_ql, bar number, beat_in_bar)."""
        return [(bar.beat_position_ql(b), bar.number, b) for bar in self.bars for b in bar.beats]

    def meters(self) -> list[str]:
        """The meters in order of first appearance."""
        return list(dict.fromkeys(bar.meter for bar in self.bars))

    def main_meter(self) -> str:
        """The meter that covers the most quarter notes (the first one on a tie)."""
        total: dict[str, float] = {}
        for bar in self.bars:
            total[bar.meter] = total.get(bar.meter, 0.0) + bar.length_ql
        return max(total, key=lambda meter: (total[meter], -self.meters().index(meter)))


def felt_beat_ql(numerator: int, denominator: int) -> float:
    """Length of the felt beat of a meter in quarter notes (see Conventions)."""
    unit = 4.0 / denominator
    if denominator >= 8 and numerator % 3 == 0:
        return 3 * unit  # 3/8, 6/8, 9/8, 12/8: the dotted quarter (3/8: the whole bar)
    return unit


def load_excerpt(piece: Piece, score: Any = None) -> Excerpt:
    """Parse the piece from music21's corpus and lay its measures out in playing order.

    ``score``: the piece already parsed (``training/`` lays several windows of one score out).
    """
    if score is None:
        from music21 import corpus  # slow to import: only where a score is parsed

        score = corpus.parse(piece.corpus_path, number=piece.number)
    parts = list(score.parts) if score.hasPartLikeStreams() else [score]
    parts = [part for index, part in enumerate(parts) if index not in piece.drop_parts]
    measures = [_measures_by_number(part) for part in parts]
    meters = _meter_of_each_measure(parts[0], piece)
    order = _playing_order(piece, measures[0])
    bars, starts_ql, lengths_ql = _lay_out_bars(piece, order, measures, meters)
    notes, dropped = _collect_notes(order, measures, starts_ql, lengths_ql)
    names = tuple(_part_name(part, index) for index, part in enumerate(parts))
    if not notes:
        raise ScoreError(f"{piece.id}: the measures {piece.play} hold no notes")
    bars = _silent_start_as_pickup(piece, bars, notes[0].onset_ql)
    last = bars[-1]
    return Excerpt(piece, notes, bars, names, last.start_ql + last.length_ql, dropped)


def _measures_by_number(part) -> dict[int, list[Any]]:
    from music21 import stream

    found: dict[int, list[Any]] = {}
    for measure in part.getElementsByClass(stream.Measure):
        found.setdefault(measure.number, []).append(measure)
    return found


def _meter_of_each_measure(part, piece: Piece) -> dict[int, tuple[int, int]]:
    """(numerator, denominator) in force in each measure, following the score from its start."""
    from music21 import meter as m21meter
    from music21 import stream

    current: tuple[int, int] | None = None
    meters: dict[int, tuple[int, int]] = {}
    for measure in part.getElementsByClass(stream.Measure):
        signatures = measure.getElementsByClass(m21meter.TimeSignature)
        if signatures:
            current = (signatures[0].numerator, signatures[0].denominator)
        if current is None:
            raise ScoreError(f"{piece.id}: measure {measure.number} has no time signature")
        meters[measure.number] = current
    return meters


def _playing_order(piece: Piece, measures: dict[int, list[Any]]) -> list[int]:
    numbers = sorted(measures)
    if not piece.play:
        order = numbers
    else:
        order = []
        for first, last in piece.play:
            if first not in measures or last not in measures or last < first:
                raise ScoreError(f"{piece.id}: play range {first}-{last} is not in "
                                  f"{piece.corpus_path} (measures {numbers[0]}-{numbers[-1]})")
            order.extend(n for n in range(first, last + 1) if n in measures)
    twice = sorted({n for n in order if len(measures[n]) > 1})
    if twice:
        raise ScoreError(f"{piece.id}: measure number(s) {twice} appear more than once in "
                          f"{piece.corpus_path}; play cannot name them")
    return order


def _measure_length_ql(number: int, measures: list[dict[int, list[Any]]]) -> float:
    """How long a measure lasts: the length most of its parts agree on.

    Encodings have slips (a stray rest that overfills one part's bar, a part that leaves its last
    rest out); the majority decides, the first part breaking ties.
    """
    lengths = [float(part[number][0].duration.quarterLength) for part in measures if number in part]
    return max(lengths, key=lambda length: (sum(abs(x - length) < EPS_QL for x in lengths),
                                            -lengths.index(length)))


def _lay_out_bars(piece: Piece, order: list[int], measures: list[dict[int, list[Any]]],
                  meters: dict[int, tuple[int, int]],
                  ) -> tuple[tuple[BarSpan, ...], list[float], list[float]]:
    """Bars of the excerpt, and the start and length (ql) of each played measure.

    A short first measure is a pickup; a short measure followed by the short measure that
    completes it (the two halves of a bar split by a repeat sign) is one bar; a short last measure
    is a final bar. Anything else irregular is refused, so a piece's truth is never a guess.
    """
    bars: list[BarSpan] = []
    starts_ql: list[float] = []
    lengths_ql = [_measure_length_ql(number, measures) for number in order]
    position_ql = 0.0
    i = 0
    while i < len(order):
        number = order[i]
        numerator, denominator = meters[number]
        meter = f"{numerator}/{denominator}"
        bar_ql = numerator * 4.0 / denominator
        beat_ql = felt_beat_ql(numerator, denominator)
        n_beats = round(bar_ql / beat_ql)
        length_ql = lengths_ql[i]
        label = str(number)
        if i == 0 and length_ql < bar_ql - EPS_QL:  # pickup
            padding_ql = bar_ql - length_ql
            beats = tuple(b for b in range(1, n_beats + 1)
                          if (b - 1) * beat_ql >= padding_ql - EPS_QL)
            starts_ql.append(padding_ql)
            bars.append(BarSpan(0, 0.0, bar_ql, meter, beat_ql, beats, label, pickup=True))
            position_ql = bar_ql
            i += 1
            continue
        taken = [number]
        while length_ql < bar_ql - EPS_QL and i + len(taken) < len(order):
            following = order[i + len(taken)]
            if meters[following] != meters[number]:
                break
            taken.append(following)
            length_ql += lengths_ql[i + len(taken) - 1]
        is_last = i + len(taken) == len(order)
        if abs(length_ql - bar_ql) > EPS_QL and not (is_last and length_ql < bar_ql):
            raise ScoreError(
                f"{piece.id}: measure(s) {'+'.join(map(str, taken))} last {length_ql:g} quarters "
                f"in {meter} (a bar is {bar_ql:g}); choose play ranges that avoid them")
        offset_ql = position_ql
        for k in range(len(taken)):
            starts_ql.append(offset_ql)
            offset_ql += lengths_ql[i + k]
        sounding = tuple(b for b in range(1, n_beats + 1) if (b - 1) * beat_ql < length_ql - EPS_QL)
        bar_number = len(bars) + (0 if bars and bars[0].pickup else 1)
        bars.append(BarSpan(bar_number, position_ql, bar_ql, meter, beat_ql, sounding,
                            "+".join(map(str, taken))))
        position_ql += bar_ql
        i += len(taken)
    return tuple(bars), starts_ql, lengths_ql


def _silent_start_as_pickup(piece: Piece, bars: tuple[BarSpan, ...],
                            first_onset_ql: float) -> tuple[BarSpan, ...]:
    """Leave out the beats before the first note; a first bar that loses its downbeat that way
    (a full bar of rests ending in an upbeat) is a pickup, as a listener hears it."""
    first = bars[0]
    if first.start_ql + first.length_ql <= first_onset_ql + EPS_QL:
        raise ScoreError(f"{piece.id}: the first bar ({first.measures}) is silent; "
                         "start the play ranges at the measure where the music begins")
    sounding = tuple(b for b in first.beats
                     if first.beat_position_ql(b) >= first_onset_ql - EPS_QL)
    if sounding == first.beats:
        return bars
    if first.pickup or 1 in sounding:
        return (replace(first, beats=sounding), *bars[1:])
    return (replace(first, number=0, beats=sounding, pickup=True),
            *(replace(bar, number=bar.number - 1) for bar in bars[1:]))


def _collect_notes(order: list[int], measures: list[dict[int, list[Any]]], starts_ql: list[float],
                   lengths_ql: list[float]) -> tuple[tuple[NoteEvent, ...], int]:
    """Every sounding note, ties joined, grace notes and unpitched notes left out.

    Returns the notes and how many were dropped for starting past their measure's end.
    """
    events: list[NoteEvent] = []
    dropped = 0
    for part_index, part in enumerate(measures):
        open_ties: dict[int, int] = {}  # pitch -> index into events of the note a tie continues
        for number, start_ql, length_ql in zip(order, starts_ql, lengths_ql, strict=True):
            if number not in part:
                continue
            measure = part[number][0]
            for element in measure.recurse().notes:
                if element.duration.isGrace:
                    continue
                offset_ql = float(element.getOffsetInHierarchy(measure))
                if offset_ql >= length_ql - EPS_QL:
                    dropped += 1
                    continue
                onset_ql = start_ql + offset_ql
                duration_ql = float(element.duration.quarterLength)
                score_beat = float(element.beat)
                for pitch, tie in _pitches_and_ties(element):
                    tie_type = tie.type if tie is not None else None
                    held = open_ties.get(pitch)
                    if (tie_type in ("stop", "continue") and held is not None
                            and abs(events[held].onset_ql + events[held].duration_ql - onset_ql)
                            < 1e-3):
                        prior = events[held]
                        events[held] = NoteEvent(prior.onset_ql, prior.duration_ql + duration_ql,
                                                 pitch, part_index, prior.score_beat,
                                                 prior.measure)
                        index = held
                    else:
                        events.append(NoteEvent(onset_ql, duration_ql, pitch, part_index,
                                                score_beat, number))
                        index = len(events) - 1
                    if tie_type in ("start", "continue"):
                        open_ties[pitch] = index
                    else:
                        open_ties.pop(pitch, None)
    events.sort(key=lambda e: (e.onset_ql, e.part, e.pitch))
    return tuple(events), dropped


def _pitches_and_ties(element) -> list[tuple[int, Any]]:
    from music21 import chord, note

    if isinstance(element, note.Note):
        return [(int(element.pitch.midi), element.tie)]
    if isinstance(element, chord.Chord):
        return [(int(n.pitch.midi), n.tie if n.tie is not None else element.tie)
                for n in element.notes]
    return []  # unpitched


def _part_name(part, index: int) -> str:
    name = getattr(part, "partName", None)
    return str(name) if name else f"part {index + 1}"
