"""Validation: every way a ballet document can be wrong, with the place and the fix.

``check(choreography, library)`` returns the problems in document order (an empty list: the
ballet can be danced). Each names the phrase ("2.1" is section 2, phrase 1), the count, the
dancer and the step, says what is wrong and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pointe.choreography.flow import (
    Body,
    Done,
    Place,
    end_body,
    expand,
    facing_deg,
    follows,
    start_body,
    travel,
)
from pointe.choreography.lines import format_move
from pointe.choreography.model import Choreography, Phrase, line_dancers
from pointe.choreography.timing import TICKS, format_span, label
from pointe.errors import PointeError
from pointe.music.model import MusicMap
from pointe.vocabulary.library import Library

MIN_GAP_M = 0.5  # two dancers' centres closer than this collide


@dataclass(frozen=True)
class Problem:
    place: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.place}: {self.problem} ({self.fix})"


@dataclass(frozen=True)
class Track:
    """One dancer through the ballet: her steps with absolute ticks, and her places."""

    dancer: str
    steps: tuple[tuple[str, int, Done], ...]  # (phrase id, absolute start tick, step)
    places: tuple[tuple[int, Place], ...]  # (absolute tick, place at that tick), at boundaries


def check(choreography: Choreography, library: Library, *,
          music_map: MusicMap | None = None) -> list[Problem]:
    problems: list[Problem] = []
    expanded = _expanded(choreography, library, problems)
    if music_map is not None:
        problems.extend(_against_music(choreography, music_map))
    if problems:
        return problems  # the body cannot be followed through moves that do not parse
    tracks = tracks_of(choreography, expanded)
    for track in tracks:
        problems.extend(_transitions(track, choreography))
        problems.extend(_on_stage(track, choreography))
    problems.extend(_collisions(tracks, choreography))
    return problems


def _phrase_starts(choreography: Choreography) -> dict[str, int]:
    starts, tick = {}, 0
    for phrase_id, phrase in zip(choreography.phrase_ids(), _phrases(choreography), strict=True):
        starts[phrase_id] = tick
        tick += phrase.length_q
    return starts


def _phrases(choreography: Choreography) -> list[Phrase]:
    return [p for s in choreography.sections for p in s.phrases]


def _expanded(choreography: Choreography, library: Library,
              problems: list[Problem]) -> dict[str, dict[str, list[Done]]]:
    """phrase id → dancer → her steps in that phrase; problems of counts and names on the way."""
    out: dict[str, dict[str, list[Done]]] = {}
    cast = choreography.names
    for phrase_id, phrase in zip(choreography.phrase_ids(), _phrases(choreography), strict=True):
        where = f"phrase {phrase_id}"
        per_dancer: dict[str, list[Done]] = {}
        for number, line in enumerate(phrase.lines):
            line_place = where if len(phrase.lines) == 1 else f"{where}, line {number + 1}"
            dancers = line_dancers(phrase, line, cast)
            if not dancers:
                problems.append(Problem(line_place, "this line has no dancers left to dance it",
                                        "name its dancers or remove it"))
            for name in dancers:
                if name in per_dancer:
                    problems.append(Problem(
                        f"{line_place}, {name}", "the dancer is in two lines at once",
                        "name her in one line of the phrase only"))
            counted = _counts(phrase, line.moves, line_place)
            problems.extend(counted)
            if counted:
                continue
            try:
                done = expand(line.moves, library)
            except PointeError as err:
                problems.append(Problem(line_place, str(err), "check the name with "
                                        "`pointe steps NAME`"))
                continue
            except ValueError as err:
                problems.append(Problem(line_place, str(err), "see docs/choreography.md"))
                continue
            for d in done:
                step = d.step
                if step is None:
                    continue
                low, high = step.counts[1], step.counts[2]
                if not low * TICKS <= d.length_q <= high * TICKS:
                    problems.append(Problem(
                        f"{line_place}, count {label(d.start_q)}",
                        f"{step.name!r} takes {low} to {high} counts, not {d.length_q / TICKS:g}",
                        "change its span, or add a hold"))
            for name in dancers:
                per_dancer.setdefault(name, done)
        out[phrase_id] = per_dancer
    return out


def _counts(phrase: Phrase, moves, place: str) -> list[Problem]:
    problems = []
    at = 0
    for move in sorted(moves, key=lambda m: m.start_q):
        where = f"{place}, count {label(move.start_q)}"
        if move.start_q < at:
            problems.append(Problem(where, f"{format_move(move)!r} starts before the move "
                                    "before it ends", "move it later or shorten the one before"))
        elif move.start_q > at:
            problems.append(Problem(f"{place}, count {label(at)}",
                                    f"counts {format_span(at, move.start_q - at)} are "
                                    "empty", "extend the move before or write 'hold' there"))
        if move.end_q > phrase.length_q:
            problems.append(Problem(where, f"{format_move(move)!r} runs past the phrase's "
                                    f"{phrase.counts} counts",
                                    "shorten it or move the rest into the next phrase"))
        at = max(at, move.end_q)
    if at < phrase.length_q and not problems:
        problems.append(Problem(f"{place}, count {label(at)}",
                                f"counts {format_span(at, phrase.length_q - at)} are empty",
                                "extend the last move or write 'hold' there"))
    return problems


def tracks_of(choreography: Choreography,
              expanded: dict[str, dict[str, list[Done]]]) -> list[Track]:
    starts = _phrase_starts(choreography)
    tracks = []
    for dancer in choreography.cast:
        place = Place(dancer.start_m[0], dancer.start_m[1], facing_deg(dancer.facing))
        steps: list[tuple[str, int, Done]] = []
        places: list[tuple[int, Place]] = [(0, place)]
        for phrase_id, per_dancer in expanded.items():
            base = starts[phrase_id]
            for done in per_dancer.get(dancer.name, []):
                steps.append((phrase_id, base + done.start_q, done))
                place = travel(place, done, dancer.height_m)
                places.append((base + done.end_q, place))
        tracks.append(Track(dancer.name, tuple(steps), tuple(places)))
    return tracks


def _transitions(track: Track, choreography: Choreography) -> list[Problem]:
    problems = []
    body: Body | None = None
    last = None
    for phrase_id, _tick, done in track.steps:
        if done.step is None:
            continue
        if not follows(body, done.step, done.side):
            need = start_body(done.step, done.side)
            problems.append(Problem(
                f"phrase {phrase_id}, count {label(done.start_q)}, {track.dancer}",
                f"{done.step.name!r} ({done.side}) starts {need.words()} but she is "
                f"{body.words()} after {last.step.name!r} ({last.side})",
                "choose a step that starts there, change a side, or put a linking step between"))
        body = end_body(done.step, done.side)
        last = done
    return problems


def _on_stage(track: Track, choreography: Choreography) -> list[Problem]:
    half_w, half_d = choreography.stage.width_m / 2, choreography.stage.depth_m / 2
    starts = {tick: (pid, done) for pid, tick, done in track.steps}
    ends = sorted(starts)
    for tick, place in track.places:
        if abs(place.x) <= half_w + 1e-6 and abs(place.z) <= half_d + 1e-6:
            continue
        if tick == 0:
            return [Problem(f"cast, {track.dancer}", f"she starts off the stage at "
                            f"({place.x:.1f}, {place.z:.1f}) m",
                            f"the stage is {choreography.stage.width_m:g} × "
                            f"{choreography.stage.depth_m:g} m around the centre")]
        # The step that ended here took her off.
        before = max(t for t in ends if t < tick)
        phrase_id, done = starts[before]
        name = done.step.name if done.step else "hold"
        return [Problem(f"phrase {phrase_id}, count {label(done.start_q)}, {track.dancer}",
                        f"{name!r} travels her off the stage to ({place.x:.1f}, {place.z:.1f}) m",
                        f"the stage is {choreography.stage.width_m:g} × "
                        f"{choreography.stage.depth_m:g} m; travel another way or start further "
                        "in")]
    return []


def _collisions(tracks: list[Track], choreography: Choreography) -> list[Problem]:
    if len(tracks) < 2:
        return []
    end = max((t.places[-1][0] for t in tracks), default=0)
    ticks = range(0, end + 1, 2)

    grid = np.arange(0, end + 1, 2)
    xs = np.array([np.interp(grid, [k for k, _ in t.places], [p.x for _, p in t.places])
                   for t in tracks])
    zs = np.array([np.interp(grid, [k for k, _ in t.places], [p.z for _, p in t.places])
                   for t in tracks])
    ids = choreography.phrase_ids()
    lengths = [p.length_q for p in _phrases(choreography)]
    bounds = np.cumsum([0, *lengths])
    for i in range(len(tracks)):
        for j in range(i + 1, len(tracks)):
            gap = np.hypot(xs[i] - xs[j], zs[i] - zs[j])
            close = np.flatnonzero(gap < MIN_GAP_M)
            if close.size:
                tick = ticks[int(close[0])]
                k = max(0, int(np.searchsorted(bounds, tick, side="right")) - 1)
                k = min(k, len(ids) - 1)
                return [Problem(
                    f"phrase {ids[k]}, count {label(tick - int(bounds[k]))}",
                    f"{tracks[i].dancer} and {tracks[j].dancer} collide "
                    f"({gap[close[0]]:.2f} m apart)",
                    "give them more space at the start or travel them apart")]
    return []


def _against_music(choreography: Choreography, music_map: MusicMap) -> list[Problem]:
    problems = []
    lengths = {p.number: p.length_counts for p in music_map.phrases}
    previous = 0
    for phrase_id, phrase in zip(choreography.phrase_ids(), _phrases(choreography), strict=True):
        where = f"phrase {phrase_id}"
        if phrase.music not in lengths or phrase.music == 0:
            problems.append(Problem(where, f"the music has no phrase {phrase.music}",
                                    f"its phrases are 1 to {max(lengths, default=0)}"))
        elif phrase.counts != lengths[phrase.music]:
            problems.append(Problem(
                where, f"the phrase has {phrase.counts} counts but the music's phrase "
                f"{phrase.music} has {lengths[phrase.music]}",
                "set counts to the music's, or correct the music's phrase length with "
                "`pointe counts --phrase-length`"))
        elif phrase.music <= previous:
            problems.append(Problem(where, f"music phrase {phrase.music} comes after "
                                    f"{previous}", "keep the phrases in the music's order"))
        previous = max(previous, phrase.music)
    return problems

