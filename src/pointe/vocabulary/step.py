"""The Step: one entry of the vocabulary, as data.

Conventions
-----------
- A step is written for the right side (``side: right`` leads with the right leg, the
  working leg); the other side is its mirror image, made by the motion stage.
- ``counts`` are the dancer's counts the step takes (default, min, max); key positions are timed
  in fractions of the step (``at`` 0.0 … 1.0), so a step stretches to the counts it is given.
- Key positions use the body-position grammar (``pointe.body.positions.Position``) field for
  field; ``air: true`` marks a key in flight (both feet off the floor).
- Travel is relative to where the dancer faces: ``forward``, ``back``, ``side`` (toward the
  working side), ``diagonal-forward`` …; metres for a 1.65 m dancer. Turn is degrees, positive
  ``en-dehors`` (away from the supporting leg), to the working side.
- Names: ``id`` is ASCII kebab-case; ``name`` is the French term as teachers write it, with
  accents; ``aliases`` are other names and spellings (without accents too).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from pointe.body.positions import Position

FAMILIES = (
    "barre", "adagio", "turn", "petit-allegro", "grand-allegro", "pointe", "linking", "pose",
    "contemporary",
)
LEVELS = ("beginner", "intermediate", "advanced", "professional")
ELEVATIONS = ("none", "small", "medium", "big")
TRAVELS = ("none", "forward", "back", "side", "other-side", "diagonal-forward", "diagonal-back",
           "circle")
ACCENTS = ("down", "up", "and", "any")
EFFORT = {
    "weight": ("light", "strong"),
    "time": ("sudden", "sustained"),
    "space": ("direct", "indirect"),
    "flow": ("free", "bound"),
}
SUPPORTS = ("both", "working", "supporting", "none", "kneeling", "sitting", "lying",
            "lying-front")
# The state a key position on the floor leaves the body in (a step does not start or end on
# one knee: it goes on to kneel or rise).
FLOOR_STATES = {"kneel": "kneeling", "sit": "sitting", "lie-back": "lying",
                "lie-front": "lying-front"}


@dataclass(frozen=True)
class State:
    """Where the body is between steps: which feet bear weight, their position, the level."""

    # both, working (the right leg in a right-side step), supporting, none (in the air), or on
    # the floor: kneeling, sitting, lying (on the back), lying-front
    support: str = "both"
    feet: int = 5
    level: str = "flat"


@dataclass(frozen=True)
class Key:
    at: float  # fraction of the step, 0.0 … 1.0
    position: Position
    air: bool = False


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    family: str
    categories: tuple[str, ...]
    level: str
    counts: tuple[int, int, int]  # default, min, max
    bpm: tuple[float, float]  # the tempo range of counts it fits
    accent: str
    start: State
    end: State
    travel: str
    travel_m: float
    turn_deg: float
    elevation: str
    effort: dict[str, str]
    load: float  # 0..1, how tiring per count
    keys: tuple[Key, ...]
    aliases: tuple[str, ...] = ()
    mirror: bool = True
    partnering: bool = False
    description: str = ""
    source: str = field(default="", compare=False)  # the file it came from

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def jumps(self) -> bool:
        return any(key.air for key in self.keys)


POSITION_FIELDS = {f.name for f in fields(Position)}
STEP_FIELDS = {
    "id", "name", "aliases", "family", "categories", "level", "counts", "music", "start", "end",
    "travel", "turn", "elevation", "effort", "load", "mirror", "partnering", "keys",
    "description",
}


def from_dict(data: dict[str, Any], *, where: str) -> Step:
    """Build a ``Step`` from its YAML mapping; ``where`` ("file.yaml, step 3") prefixes errors.

    Raises ``ValueError`` with the place, the problem and a suggestion.
    """
    def fail(problem: str) -> ValueError:
        return ValueError(f"{where}: {problem}")

    if not isinstance(data, dict):
        raise fail("a step must be a mapping of fields")
    unknown = sorted(set(data) - STEP_FIELDS)
    if unknown:
        raise fail(f"unknown field {unknown[0]!r}{_suggest(unknown[0], STEP_FIELDS)}")
    for required in ("id", "name", "family", "level", "counts", "keys"):
        if required not in data:
            raise fail(f"missing field {required!r}")
    step_id = str(data["id"])
    where = f"{where} ({step_id})"
    if not step_id.replace("-", "").isalnum() or step_id != step_id.lower():
        raise fail(f"id {step_id!r} must be lower-case ASCII words joined by '-'")
    family = _choice(data["family"], FAMILIES, "family", fail)
    level = _choice(data["level"], LEVELS, "level", fail)
    counts = data["counts"]
    if isinstance(counts, int):
        counts = {"default": counts, "min": counts, "max": counts}
    try:
        default, low, high = int(counts["default"]), int(counts["min"]), int(counts["max"])
    except (KeyError, TypeError, ValueError):
        raise fail("counts must be a number or {default, min, max}") from None
    if not 1 <= low <= default <= high <= 32:
        raise fail(f"counts must satisfy 1 <= min <= default <= max <= 32 (got {low}, {default}, "
                   f"{high})")
    music = data.get("music", {})
    bpm = tuple(float(v) for v in music.get("bpm", (40, 200)))
    if len(bpm) != 2 or not 20 <= bpm[0] < bpm[1] <= 320:
        raise fail(f"music.bpm must be [low, high] counts a minute (got {list(bpm)})")
    accent = _choice(music.get("accent", "any"), ACCENTS, "music.accent", fail)
    travel = data.get("travel", {}) or {}
    turn = data.get("turn", {}) or {}
    effort = dict(data.get("effort", {}) or {})
    for quality, value in effort.items():
        if quality not in EFFORT:
            raise fail(f"effort quality {quality!r} is not one of {', '.join(EFFORT)}")
        _choice(value, EFFORT[quality], f"effort.{quality}", fail)
    keys = tuple(_key(k, i, fail) for i, k in enumerate(data["keys"] or []))
    if len(keys) < 2:
        raise fail("a step needs at least two key positions (where it starts and ends)")
    ats = [k.at for k in keys]
    if ats[0] != 0.0 or ats[-1] != 1.0 or any(b <= a for a, b in zip(ats, ats[1:], strict=False)):
        raise fail(f"key times must rise from 0.0 to 1.0 (got {ats})")
    load = float(data.get("load", 0.3))
    if not 0.0 <= load <= 1.0:
        raise fail(f"load must be between 0 and 1 (got {load})")
    return Step(
        id=step_id, name=str(data["name"]), family=family,
        categories=tuple(str(c) for c in data.get("categories", ())), level=level,
        counts=(default, low, high), bpm=(bpm[0], bpm[1]), accent=accent,
        start=_state(data.get("start", {}), "start", fail),
        end=_state(data.get("end", {}), "end", fail),
        travel=_choice(travel.get("direction", "none"), TRAVELS, "travel.direction", fail),
        travel_m=float(travel.get("distance_m", 0.0)),
        turn_deg=float(turn.get("degrees", 0.0)),
        elevation=_choice(data.get("elevation", "none"), ELEVATIONS, "elevation", fail),
        effort=effort, load=load, keys=keys,
        aliases=tuple(str(a) for a in data.get("aliases", ())),
        mirror=bool(data.get("mirror", True)), partnering=bool(data.get("partnering", False)),
        description=str(data.get("description", "")),
    )


def _key(data: Any, index: int, fail) -> Key:
    if not isinstance(data, dict) or "at" not in data:
        raise fail(f"key {index + 1} must be a mapping with 'at' and 'position'")
    position = dict(data.get("position", {}) or {})
    unknown = set(position) - POSITION_FIELDS
    if unknown:
        name = sorted(unknown)[0]
        raise fail(f"key {index + 1}: unknown position field {name!r}"
                   f"{_suggest(name, POSITION_FIELDS)}")
    if "height" in position:
        position["height"] = str(position["height"])
    try:
        built = Position(**position)
    except ValueError as err:
        raise fail(f"key {index + 1}: {err}") from None
    at = float(data["at"])
    if not 0.0 <= at <= 1.0:
        raise fail(f"key {index + 1}: at must be a fraction of the step, 0.0 to 1.0 (not {at})")
    return Key(at, built, bool(data.get("air", False)))


def _state(data: dict[str, Any], name: str, fail) -> State:
    state = State(**{k: v for k, v in (data or {}).items() if k in ("support", "feet", "level")})
    extra = set(data or {}) - {"support", "feet", "level"}
    if extra:
        raise fail(f"{name}: unknown field {sorted(extra)[0]!r} (use support, feet, level)")
    _choice(state.support, SUPPORTS, f"{name}.support", fail)
    if state.feet not in (1, 2, 3, 4, 5):
        raise fail(f"{name}.feet must be 1 to 5 (not {state.feet!r})")
    return state


def _choice(value: Any, allowed: tuple[str, ...], name: str, fail) -> str:
    if value not in allowed:
        raise fail(f"{name} {value!r} is not one of {', '.join(allowed)}"
                   f"{_suggest(str(value), allowed)}")
    return str(value)


def _suggest(value: str, allowed) -> str:
    import difflib

    near = difflib.get_close_matches(value, list(allowed), n=1)
    return f" (did you mean {near[0]!r}?)" if near else ""
