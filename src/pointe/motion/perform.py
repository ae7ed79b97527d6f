"""The ballet danced: a Choreography on its MusicMap becomes a Performance.

Conventions
-----------
- Counts become seconds through the MusicMap: a move that starts on "3&" of a phrase starts
  halfway between the times of that phrase's counts 3 and 4, so the dance follows the music's
  tempo changes and rubato. Past the last count the last count's length is reused.
- Every dancer's motion covers the whole music: she stands in her first position through the
  introduction and holds her last one to the end. A ``hold`` keeps the position she is in.
- A step's inner key positions land on the beat grid (``pointe.motion.musicality``): on a
  beat, its "&" or its quarters, as a dancer reaches positions on the counts.
- A move's body direction (croisé, effacé …) replaces the direction of the step's key positions;
  its travel replaces the step's; its facing (front, stage-left …) turns the dancer to face that
  way of the stage as the move goes.
- ``cues`` list what each dancer does when (dancer, start and end in seconds, the move as the
  line form writes it), for previews and videos.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from pointe.body.positions import Position
from pointe.choreography.flow import Done, expand
from pointe.choreography.lines import DIRECTION_NAMES
from pointe.choreography.model import FACINGS, Choreography, line_dancers
from pointe.motion.musicality import on_the_beat
from pointe.motion.performance import Performance
from pointe.motion.synthesis import TimedStep, perform_steps
from pointe.music.model import MusicMap
from pointe.vocabulary.library import Library
from pointe.vocabulary.step import Key, State, Step


@dataclass(frozen=True)
class Cue:
    """What one dancer does from ``start_s`` to ``end_s`` (music seconds): a step's label."""

    dancer: str
    start_s: float
    end_s: float
    label: str

    def to_dict(self) -> dict:
        return {"dancer": self.dancer, "start_s": round(self.start_s, 4),
                "end_s": round(self.end_s, 4), "label": self.label}


def seconds(music_map: MusicMap, count_index: int, tick: int) -> float:
    """Time of ``tick`` quarter counts after count ``count_index`` of the music."""
    counts = music_map.counts
    index = count_index + tick // 4
    fraction = (tick % 4) / 4
    if index < len(counts):
        return music_map.count_time(index, fraction)
    last = len(counts) - 1
    step = counts[last].time_s - counts[last - 1].time_s if last > 0 else 0.5
    return counts[last].time_s + (index - last + fraction) * step


def timeline(choreography: Choreography, music_map: MusicMap, library: Library
             ) -> dict[str, list[tuple[float, float, Done]]]:
    """Each dancer's steps with start and end in seconds, in order."""
    firsts = {p.number: p.first_count for p in music_map.phrases}
    out: dict[str, list[tuple[float, float, Done]]] = {d.name: [] for d in choreography.cast}
    for section in choreography.sections:
        for phrase in section.phrases:
            first = firsts[phrase.music]
            for line in phrase.lines:
                done = expand(line.moves, library)
                for name in line_dancers(phrase, line, choreography.names):
                    for d in done:
                        start = seconds(music_map, first, d.start_q)
                        end = seconds(music_map, first, d.end_q)
                        out[name].append((start, end, d))
    return out


def cues(choreography: Choreography, music_map: MusicMap, library: Library) -> list[Cue]:
    out = []
    for name, steps in timeline(choreography, music_map, library).items():
        for start, end, d in steps:
            out.append(Cue(name, start, end, _words(d)))
    out.sort(key=lambda c: (c.start_s, c.dancer))
    return out


def _words(d: Done) -> str:
    if d.step is None:
        return "hold"
    parts = [d.step.name, "R" if d.side == "right" else "L"]
    if d.direction:
        parts.append(DIRECTION_NAMES[d.direction])
    return " ".join(parts)


def perform(choreography: Choreography, music_map: MusicMap, library: Library, *,
            fps: float = 60.0, progress: Callable[[int, int], None] | None = None
            ) -> Performance:
    plan = timeline(choreography, music_map, library)
    beats = np.array([b.time_s for b in music_map.beats])
    motions = []
    for i, dancer in enumerate(choreography.cast):
        steps = _timed(plan[dancer.name], music_map.duration_s, beats)
        motions.append(perform_steps(steps, fps=fps, dancer=dancer.name,
                                     height_m=dancer.height_m, start_m=dancer.start_m,
                                     facing_deg=FACINGS[dancer.facing]))
        if progress is not None:
            progress(i + 1, len(choreography.cast))
    return Performance(float(fps), tuple(motions))



def _timed(steps: list[tuple[float, float, Done]], duration_s: float, beats: np.ndarray
           ) -> list[TimedStep]:
    out: list[TimedStep] = []
    last_position: Position | None = None
    real = [d for _, _, d in steps if d.step is not None]
    first_position = real[0].step.keys[0].position if real else Position()
    first_side = real[0].side if real else "right"
    if steps and steps[0][0] > 1e-3:
        out.append(TimedStep(_hold(first_position), 0.0, steps[0][0], first_side))
        last_position = first_position
    side = first_side
    for start, end, d in steps:
        if end - start <= 1e-4:
            continue
        facing = FACINGS[d.facing] if d.facing else None
        if d.step is None:
            position = last_position or first_position
            out.append(TimedStep(_hold(position), start, end - start, side, facing_deg=facing))
            continue
        step = _adapted(d)
        times = on_the_beat([k.at for k in step.keys], start, end, beats)
        out.append(TimedStep(step, start, end - start, d.side, times, facing))
        last_position, side = step.keys[-1].position, d.side
    if not out:
        out.append(TimedStep(_hold(first_position), 0.0, max(duration_s, 0.1), first_side))
    end = out[-1].start_s + out[-1].duration_s
    if duration_s - end > 1e-3:
        out.append(TimedStep(_hold(last_position or first_position), end, duration_s - end, side))
    return out


def _adapted(d: Done) -> Step:
    step = d.step
    assert step is not None
    if d.direction:
        step = replace(step, keys=tuple(replace(k, position=replace(k.position, body=d.direction))
                                        for k in step.keys))
    if d.travel:
        step = replace(step, travel=d.travel)
    return step


def _hold(position: Position) -> Step:
    state = State("both", position.feet, position.level if position.level != "air" else "flat")
    still = replace(position, level="flat") if position.level == "air" else position
    return Step(id="hold", name="hold", family="linking", categories=(), level="beginner",
                counts=(1, 1, 64), bpm=(20.0, 320.0), accent="any", start=state, end=state,
                travel="none", travel_m=0.0, turn_deg=0.0, elevation="none", effort={}, load=0.0,
                keys=(Key(0.0, still), Key(1.0, still)))
