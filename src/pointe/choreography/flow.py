"""What each dancer does and where her body is: directives expanded, states and places followed.

Conventions
-----------
- A step's start and end state (``pointe.vocabulary.step.State``) say which leg bears weight
  relative to the side it is done on; here they become absolute: ``weight`` is "both", "left",
  "right" or "none" (in the air), with the position of the feet when both are down.
- A step can follow when it starts with the weight where the last one left it (and, on both
  feet, in the same position of the feet). A dancer's first step may start anyhow: she prepares
  during the introduction.
- Places are metres on the stage floor (x to the audience's right, z toward the audience),
  facing in degrees (0 faces the audience, 90 stage left), integrated exactly as the motion
  stage plans it (``pointe.motion.support``): travel relative to facing, scaled by height.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pointe.choreography.model import FACINGS, Move
from pointe.motion.support import TRAVEL_DIRECTIONS
from pointe.vocabulary.library import Library
from pointe.vocabulary.step import Step

CROIX = ("devant", "seconde", "derriere", "seconde")
FEET_WORDS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th"}


@dataclass(frozen=True)
class Body:
    weight: str  # both, left, right, none (in the air), kneeling, sitting, lying, lying-front
    feet: int = 5
    level: str = "flat"

    def words(self) -> str:
        if self.weight == "both":
            return f"on both feet in {FEET_WORDS[self.feet]}"
        if self.weight == "none":
            return "in the air"
        if self.weight == "lying-front":
            return "lying on her front"
        if self.weight in ("kneeling", "sitting", "lying"):
            return f"{self.weight} on the floor"
        return f"on the {self.weight} leg"

    def mirrored(self) -> Body:
        other = {"left": "right", "right": "left"}.get(self.weight, self.weight)
        return Body(other, self.feet, self.level)


@dataclass(frozen=True)
class Done:
    """One step as danced: a move with its directives expanded."""

    start_q: int  # in the phrase
    length_q: int
    step: Step | None  # None: hold still
    side: str
    direction: str
    facing: str
    travel: str
    move: int  # which move of the line it comes from (0-based)

    @property
    def end_q(self) -> int:
        return self.start_q + self.length_q


def other(side: str) -> str:
    return "left" if side == "right" else "right"


def _absolute(support: str, side: str) -> str:
    return {"working": side, "supporting": other(side)}.get(support, support)


def start_body(step: Step, side: str) -> Body:
    return Body(_absolute(step.start.support, side), step.start.feet, step.start.level)


def end_body(step: Step, side: str) -> Body:
    return Body(_absolute(step.end.support, side), step.end.feet, step.end.level)


def follows(body: Body | None, step: Step, side: str) -> bool:
    if body is None:
        return True
    need = start_body(step, side)
    if need.weight != body.weight:
        return False
    return need.weight != "both" or need.feet == body.feet


def expand(moves: tuple[Move, ...], library: Library) -> list[Done]:
    """The steps a line dances, in order; ``ValueError`` names the move (1-based) at fault."""
    done: list[Done] = []
    for index, move in enumerate(moves):
        try:
            done.extend(_expand_move(move, index, done, library))
        except ValueError as err:
            raise ValueError(f"move {index + 1}: {err}") from None
    return done


def _expand_move(move: Move, index: int, before: list[Done], library: Library) -> list[Done]:
    if move.step == "hold":
        return [Done(move.start_q, move.length_q, None, "right", "", move.facing, "", index)]
    if move.step == "repeat":
        return _repeat(move, index, before)
    step = library.get(move.step)  # VocabularyError with suggestions
    side = move.side or "right"
    steps = [step]
    if move.en_croix:
        steps = [_croix_sibling(step, way, library) for way in CROIX]
    parts = steps * move.times
    if move.length_q % len(parts):
        raise ValueError(f"{len(parts)} steps cannot share {_counts(move.length_q)} evenly "
                         "(give the move a span they divide)")
    each = move.length_q // len(parts)
    return [Done(move.start_q + i * each, each, part, side, move.direction,
                 move.facing if i == 0 else "", move.travel, index)
            for i, part in enumerate(parts)]


def _repeat(move: Move, index: int, before: list[Done]) -> list[Done]:
    start = move.start_q - move.length_q
    source = [d for d in before if d.start_q >= start and d.end_q <= move.start_q]
    covered = sum(d.length_q for d in source)
    if start < 0 or covered != move.length_q or (source and source[0].start_q != start):
        raise ValueError(f"repeat over {_counts(move.length_q)} needs the "
                         f"{_counts(move.length_q)} just before it to be whole moves")
    out = []
    for d in source:
        side = other(d.side) if move.other_side else d.side
        out.append(Done(d.start_q + move.length_q, d.length_q, d.step, side, d.direction,
                        _mirror_facing(d.facing) if move.other_side else d.facing, d.travel,
                        index))
    return out


def _counts(ticks: int) -> str:
    value = ticks / 4
    return f"{value:g} count" + ("" if value == 1 else "s")


def _mirror_facing(facing: str) -> str:
    if not facing:
        return ""
    return {"stage-left": "stage-right", "stage-right": "stage-left",
            "downstage-left": "downstage-right", "downstage-right": "downstage-left",
            "upstage-left": "upstage-right", "upstage-right": "upstage-left"}.get(facing, facing)


def _croix_sibling(step: Step, way: str, library: Library) -> Step:
    for suffix in ("-devant", "-seconde", "-derriere"):
        if step.id.endswith(suffix):
            sibling = library.lookup(step.id[: -len(suffix)] + "-" + way)
            if sibling is not None:
                return sibling
    raise ValueError(f"{step.name!r} has no devant, à la seconde and derrière forms to do "
                     "en croix (take a battement such as battement tendu devant)")


@dataclass(frozen=True)
class Place:
    x: float
    z: float
    facing_deg: float


def facing_deg(name: str) -> float:
    return FACINGS[name]


def travel(place: Place, done: Done, height_m: float) -> Place:
    """Where a dancer is after ``done`` (where the motion stage plans her to be)."""
    facing = FACINGS[done.facing] if done.facing else place.facing_deg
    if done.step is None:
        return Place(place.x, place.z, facing)
    step = done.step
    lateral, ahead = TRAVEL_DIRECTIONS[done.travel or step.travel]
    side_sign = -1.0 if done.side == "right" else 1.0
    a = math.radians(facing)
    # Rotation about +Y by ``a`` of (side_sign·lateral, 0, ahead).
    vx, vz = side_sign * lateral, ahead
    dx = math.cos(a) * vx + math.sin(a) * vz
    dz = -math.sin(a) * vx + math.cos(a) * vz
    distance = step.travel_m * height_m / 1.65
    turn = (-1.0 if done.side == "right" else 1.0) * step.turn_deg
    return Place(place.x + dx * distance, place.z + dz * distance,
                 _wrap(facing + turn))


def _wrap(degrees: float) -> float:
    return (degrees + 180.0) % 360.0 - 180.0
