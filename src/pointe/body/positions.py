"""The ballet body-position grammar: a position named as teachers name it → joint rotations.

A position is composed of: which leg supports (both, the other leg, the working leg itself, or
none) and at what level (flat, demi-plié, plié,
demi-pointe, pointe, or in the air), the position of the feet (1st–5th) when both are down, the
working leg's gesture (sur le cou-de-pied, retiré, attitude, extended à terre / 45° / 90° / high;
devant, à la seconde, derrière), each arm's position, the direction of the body (en face, croisé,
effacé, écarté devant/derrière), the torso (upright, cambré forward/back/side, spiral) and the head.

Conventions
-----------
- ``side`` is the working side: a position done "right" works the right leg and stands on the
  left; "repeat to the other side" mirrors it. ``support="working"`` stands on the working leg
  instead (a landing) and gives the gesture to the other leg. With both feet down the working
  foot is in front unless ``front="other"``.
- Supporting legs are placed by two-bone inverse kinematics: each foot is put on the floor where the
  position of the feet says, turned out, and the knee bends over the toes (a plié opens the knees
  to the side, never forward). Working legs are placed by their gesture.
- Axes as everywhere: metres, Y up, en face is facing +Z; the dancer's left is +X when en face.
- Body directions rotate the whole body about the vertical through the pelvis. Croisé makes the
  legs appear crossed to the audience: with the working leg in front the body faces the downstage
  corner on the supporting side, with it behind the other corner; effacé is the opposite.
- Joint angles are those of a trained dancer: 45° of turnout at each hip (the rest of the foot's
  70° turnout comes from knee and ankle), a pointed foot 70° of plantar flexion, arabesque to 90°.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from scipy.spatial.transform import Rotation

from pointe.body.skeleton import (
    INDEX,
    N_JOINTS,
    PARENTS,
    REFERENCE_HEIGHT_M,
    Skeleton,
    skeleton,
)

Side = Literal["left", "right"]
Level = Literal["flat", "demi-plie", "plie", "demi-pointe", "pointe", "air"]
Gesture = Literal["none", "cou-de-pied", "retire", "attitude", "extended"]
Direction = Literal["devant", "seconde", "derriere"]
Height = Literal["a-terre", "45", "90", "high"]
Arm = Literal["bras-bas", "first", "second", "fifth", "demi-seconde", "arabesque-front",
              "arabesque-side", "arabesque-back", "allonge-up"]
BodyDirection = Literal["en-face", "croise", "efface", "ecarte-devant", "ecarte-derriere",
                        "de-cote", "de-dos"]
Torso = Literal["upright", "cambre-forward", "cambre-back", "cambre-side", "spiral",
                "contraction", "flat-back", "tilt"]
Head = Literal["front", "turn", "incline", "lift"]

FLOOR = ("kneel", "knee", "sit")  # on the floor: knees, one knee (the other foot down), seat
LYING = ("lie-back", "lie-front", "lie-side")
SUPPORTS = ("both", "one", "working", "none") + FLOOR + LYING
STANDING = ("both", "one", "working")
TURNOUTS = ("out", "parallel")
LEANS = ("none", "forward", "back", "side")
LUNGES = ("none", "working", "other")
FRONTS = ("working", "other")
LEVELS = ("flat", "demi-plie", "plie", "demi-pointe", "pointe", "air")
GESTURES = ("none", "cou-de-pied", "retire", "attitude", "extended")
DIRECTIONS = ("devant", "seconde", "derriere")
HEIGHTS = ("a-terre", "45", "90", "high")
ARMS = ("bras-bas", "first", "second", "fifth", "demi-seconde", "arabesque-front",
        "arabesque-side", "arabesque-back", "allonge-up")
BODY_DIRECTIONS = ("en-face", "croise", "efface", "ecarte-devant", "ecarte-derriere", "de-cote",
                   "de-dos")
TORSOS = ("upright", "cambre-forward", "cambre-back", "cambre-side", "spiral", "contraction",
          "flat-back", "tilt")
HEADS = ("front", "turn", "incline", "lift")

HIP_TURNOUT_DEG = 45.0
FOOT_TURNOUT_DEG = 70.0
POINT_DEG = 70.0
DEMI_POINTE_DEG = 50.0
POINTE_DEG = 82.0
PLIE_DROP = {"flat": 0.0, "demi-plie": 0.10, "plie": 0.26}  # of the dancer's height / 1.65 m
HEIGHT_DEG = {"45": 45.0, "90": 90.0, "high": 115.0}
A_TERRE_START_DEG = 25.0
TOE_M = 0.05  # from the ball of the foot to the tips of the toes, for a 1.65 m dancer
# The torso's shapes that move the pelvis, and the lean of the whole body (degrees).
TUCK_DEG = 15.0  # a contraction tilts the pelvis back (the tuck) ...
CONTRACTION_DEG = 20.0  # ... and curves each of the three spine segments forward
HINGE_DEG = 75.0  # a flat back folds forward at the hips, the spine straight
HINGE_SHIFT_M = 0.10  # the pelvis goes back this far to keep the weight over the feet
TILT_DEG = 40.0  # a tilt tips the torso toward the supporting side, the gesture leg rising
LEAN_DEG = 20.0  # off balance: the whole body inclines from the feet
# On the floor, for a 1.65 m dancer: joints are points inside the body, so they rest above it.
KNEE_FLOOR_M = 0.05  # the knee joint of a kneeling leg
SHIN_FLOOR_M = 0.05  # the ankle of a shin lying on the floor
KNEEL_POINT_DEG = 88.0  # a kneeling leg's foot lies along the floor
SEAT_M = 0.09  # the hip joints, sitting
HEEL_FLOOR_M = 0.065  # the ankle of a straight leg lying on the floor, on its heel
TRUNK_FLOOR_M = 0.09  # the lowest joint of the trunk, lying down
LIMB_FLOOR_M = 0.025  # no joint of an arm or a free leg comes nearer the floor than this
STRADDLE_DEG = 40.0  # each leg from the front, sitting in 2nd
LUNGE_WEIGHT = 0.75  # a lunge puts the pelvis this much of the way toward the bent leg's foot
LUNGE_EXTRA_M = 0.08  # and lower than the plié on both knees by this (1.65 m dancer)


@dataclass(frozen=True)
class Position:
    """A body position, composed the way a teacher names it."""

    support: Literal["both", "one", "working", "none"] = "both"
    front: Literal["working", "other"] = "working"  # which foot is in front in 3rd, 4th, 5th
    level: Level = "flat"
    feet: int = 5  # position of the feet, 1–5, when both are down (or closed in the air)
    gesture: Gesture = "none"
    direction: Direction = "devant"
    height: Height = "a-terre"
    working_arm: Arm = "bras-bas"  # the arm on the working side
    other_arm: Arm = "bras-bas"
    body: BodyDirection = "en-face"
    torso: Torso = "upright"
    head: Head = "front"
    # In the air the other leg may take a shape too: the back leg of a grand jeté's split.
    other_gesture: Gesture = "none"
    other_direction: Direction = "derriere"
    other_height: Height = "90"
    turnout: Literal["out", "parallel"] = "out"
    lean: Literal["none", "forward", "back", "side"] = "none"
    # A lunge: in a plié on both feet only this leg bends, the other stays straight.
    lunge: Literal["none", "working", "other"] = "none"

    def __post_init__(self) -> None:
        _check("level", self.level, LEVELS)
        _check("gesture", self.gesture, GESTURES)
        _check("direction", self.direction, DIRECTIONS)
        _check("height", self.height, HEIGHTS)
        _check("working_arm", self.working_arm, ARMS)
        _check("other_arm", self.other_arm, ARMS)
        _check("body", self.body, BODY_DIRECTIONS)
        _check("torso", self.torso, TORSOS)
        _check("head", self.head, HEADS)
        if self.feet not in (1, 2, 3, 4, 5):
            raise ValueError(f"feet must be a position of the feet, 1 to 5 (not {self.feet!r})")
        _check("support", self.support, SUPPORTS)
        _check("front", self.front, FRONTS)
        _check("other_gesture", self.other_gesture, ("none", "retire", "attitude", "extended"))
        _check("other_direction", self.other_direction, DIRECTIONS)
        _check("other_height", self.other_height, HEIGHTS)
        if self.other_gesture != "none" and self.support != "none":
            raise ValueError("only in the air (support: none) can the other leg take a shape "
                             "as well; on the floor it is the supporting leg")
        if self.other_gesture in ("attitude", "extended") and \
                self.other_direction == self.direction:
            raise ValueError(f"both legs cannot be {self.direction} at once")
        if self.support in ("one", "working") and self.gesture == "none":
            raise ValueError("a position on one leg needs a gesture of the working leg "
                             "(cou-de-pied, retire, attitude or extended)")
        if self.support == "both" and self.gesture != "none" and self.height != "a-terre":
            raise ValueError(f"with both feet down the working leg can only be a terre "
                             f"(not {self.height!r}); use support='one'")
        _check("turnout", self.turnout, TURNOUTS)
        _check("lean", self.lean, LEANS)
        if self.turnout == "parallel" and self.feet in (3, 5) and self.gesture == "none" and \
                self.support in ("both", "none"):
            raise ValueError(f"parallel feet stand in 1st, 2nd or 4th (not {self.feet}th)")
        if self.lean != "none" and self.support not in STANDING:
            raise ValueError("only a dancer standing on her feet leans off balance "
                             f"(support is {self.support!r})")
        _check("lunge", self.lunge, LUNGES)
        if self.lunge != "none" and (self.support != "both" or self.gesture != "none" or
                                     self.level not in ("demi-plie", "plie") or
                                     self.feet not in (2, 4)):
            raise ValueError("a lunge bends one knee of a plié on both feet in 2nd or 4th "
                             "(support: both, level: demi-plie or plie, feet: 2 or 4)")
        self._check_floor()

    def _check_floor(self) -> None:
        if self.support in FLOOR and self.level != "flat":
            raise ValueError(f"on the floor ({self.support}) the level is flat "
                             f"(not {self.level!r})")
        if self.support in LYING and self.level not in ("flat", "pointe"):
            raise ValueError(f"lying down the feet are flexed (level: flat) or pointed "
                             f"(level: pointe), not {self.level!r}")
        if self.support == "kneel" and self.gesture != "none":
            raise ValueError("kneeling on both knees leaves no leg for a gesture; use "
                             "support: knee (on one knee)")
        if self.support == "knee" and self.gesture in ("retire", "cou-de-pied"):
            raise ValueError("on one knee the working leg is down in front (gesture: none), "
                             "extended or in attitude")
        if self.support == "sit" and (self.gesture != "none" or self.feet not in (1, 2)):
            raise ValueError("sitting, the legs lie in front together (feet: 1) or apart "
                             "(feet: 2), with no gesture")


@dataclass(frozen=True)
class Pose:
    """Local joint rotations and where the pelvis is, for one position."""

    rotations: np.ndarray  # (24, 4) scipy quaternions
    root_m: np.ndarray  # (3,) pelvis position; feet on the floor at y = 0
    supporting: tuple[str, ...]  # "left"/"right": the feet on the floor
    joints: np.ndarray  # (24, 3) world positions


def _check(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        import difflib

        near = difflib.get_close_matches(str(value), allowed, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}{hint}")


# --------------------------------------------------------------------------------- helpers


class _Rot:
    """One rotation as a unit quaternion (x, y, z, w): the few operations of scipy's ``Rotation``
    that posing uses (compose with ``*``, ``inv``, ``apply``, ``as_quat``), on plain floats.

    Posing composes a few hundred single rotations; scipy's per-call overhead made that most of
    its time. Rotations are still made by scipy (``_about``) and handed on as quaternion arrays.
    """

    __slots__ = ("x", "y", "z", "w")

    def __init__(self, x: float, y: float, z: float, w: float) -> None:
        self.x, self.y, self.z, self.w = x, y, z, w

    @classmethod
    def from_quat(cls, q) -> _Rot:
        x, y, z, w = (float(c) for c in q)
        norm = math.sqrt(x * x + y * y + z * z + w * w)
        return cls(x / norm, y / norm, z / norm, w / norm)

    def __mul__(self, other: _Rot) -> _Rot:
        px, py, pz, pw = self.x, self.y, self.z, self.w
        qx, qy, qz, qw = other.x, other.y, other.z, other.w
        return _Rot(pw * qx + px * qw + py * qz - pz * qy,
                    pw * qy - px * qz + py * qw + pz * qx,
                    pw * qz + px * qy - py * qx + pz * qw,
                    pw * qw - px * qx - py * qy - pz * qz)

    def inv(self) -> _Rot:
        return _Rot(-self.x, -self.y, -self.z, self.w)

    def apply(self, v) -> np.ndarray:
        vx, vy, vz = (float(c) for c in v)
        ux, uy, uz, w = self.x, self.y, self.z, self.w
        tx, ty, tz = 2.0 * (uy * vz - uz * vy), 2.0 * (uz * vx - ux * vz), 2.0 * (ux * vy - uy * vx)
        return np.array([vx + w * tx + uy * tz - uz * ty,
                         vy + w * ty + uz * tx - ux * tz,
                         vz + w * tz + ux * ty - uy * tx])

    def as_quat(self) -> np.ndarray:
        return np.array([self.x, self.y, self.z, self.w])


_IDENTITY = _Rot(0.0, 0.0, 0.0, 1.0)


@functools.lru_cache(maxsize=1024)
def _about(axis: str, deg: float) -> _Rot:
    """The rotation by ``deg`` degrees about one axis (``"x"``, ``"y"`` or ``"z"``)."""
    return _Rot.from_quat(Rotation.from_euler(axis, deg, degrees=True).as_quat())


def _yaw(deg: float) -> _Rot:
    return _about("y", float(deg))


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (np.linalg.norm(v) + 1e-12)


def _align(primary_to: np.ndarray, primary_from: np.ndarray, secondary_to: np.ndarray,
           secondary_from: np.ndarray) -> _Rot:
    """The rotation taking ``primary_from`` exactly onto ``primary_to`` and ``secondary_from`` as
    close as it can onto ``secondary_to``.

    What ``Rotation.align_vectors`` returns for the weights (inf, 1), in closed form: the shortest
    arc from one primary direction to the other, then the turn about the primary direction that
    brings the secondary directions' components across it together.
    """
    a, b = _unit(np.asarray(primary_from, float)), _unit(np.asarray(primary_to, float))
    cos = float(np.dot(a, b))
    if cos < -1.0 + 1e-12:  # opposite: half a turn about any axis across them
        across = _cross(a, np.array([1.0, 0.0, 0.0]))
        if np.linalg.norm(across) < 1e-6:
            across = _cross(a, np.array([0.0, 1.0, 0.0]))
        across = _unit(across)
        arc = _Rot(across[0], across[1], across[2], 0.0)
    else:
        axis = _cross(a, b)
        arc = _Rot.from_quat((axis[0], axis[1], axis[2], 1.0 + cos))
    moved = arc.apply(_unit(np.asarray(secondary_from, float)))
    goal = _unit(np.asarray(secondary_to, float))
    moved = moved - np.dot(moved, b) * b
    goal = goal - np.dot(goal, b) * b
    if np.linalg.norm(moved) < 1e-9 or np.linalg.norm(goal) < 1e-9:
        return arc
    half = 0.5 * math.atan2(float(np.dot(b, _cross(moved, goal))), float(np.dot(moved, goal)))
    sine = math.sin(half)
    return _Rot(b[0] * sine, b[1] * sine, b[2] * sine, math.cos(half)) * arc


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ax, ay, az = float(a[0]), float(a[1]), float(a[2])
    bx, by, bz = float(b[0]), float(b[1]), float(b[2])
    return np.array([ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx])


def _lr(side: str) -> float:
    """+1 for the left side (+X when en face), -1 for the right."""
    return 1.0 if side == "left" else -1.0


def _other(side: Side) -> Side:
    return "left" if side == "right" else "right"


class _Builder:
    """Accumulates world rotations joint by joint and turns them into local ones."""

    def __init__(self, body: Skeleton) -> None:
        self.body = body
        self.world = [_IDENTITY] * N_JOINTS
        self.positions = np.zeros((N_JOINTS, 3))

    def set(self, joint: str, world: _Rot) -> None:
        self.world[INDEX[joint]] = world

    def rest_dir(self, child: str) -> np.ndarray:
        return _unit(np.array(self.body.offsets[INDEX[child]]))

    def local(self) -> np.ndarray:
        quats = np.zeros((N_JOINTS, 4))
        for j, parent in enumerate(PARENTS):
            parent_world = self.world[parent] if parent >= 0 else _IDENTITY
            quats[j] = (parent_world.inv() * self.world[j]).as_quat()
        return quats

    def joints(self, pelvis: np.ndarray) -> np.ndarray:
        """World joint positions (24, 3) for the rotations set so far, the pelvis at ``pelvis``:
        forward kinematics of ``local()``, straight from the world rotations."""
        positions = np.zeros((N_JOINTS, 3))
        offsets = self.body.offsets
        for j, parent in enumerate(PARENTS):
            positions[j] = pelvis if parent < 0 else (
                positions[parent] + self.world[parent].apply(offsets[j]))
        return positions


# ------------------------------------------------------------------------------------ legs


def _foot_world(facing: _Rot, side: Side, pitch_deg: float,
                turnout_deg: float = FOOT_TURNOUT_DEG) -> _Rot:
    """A foot turned out on its side by ``turnout_deg`` and pitched (plantar flexion) by
    ``pitch_deg``."""
    return facing * _yaw(_lr(side) * turnout_deg) * _about("x", pitch_deg)


def _ankle_targets(position: Position, side: Side, body: Skeleton) -> dict[str, np.ndarray]:
    """Where each heel (ankle) stands on the floor, pelvis-relative, en face.

    Positions of the feet are defined by the heels: 1st heels together, 2nd a foot apart, 3rd the
    front heel at the middle of the back foot, 4th a foot in front, 5th the front heel at the
    back toe. The working foot is the front one. In parallel the feet point forward: 1st side by
    side, 2nd under the hips, 4th a foot apart, front to back.
    """
    scale = body.height_m / 1.65
    w, o = _lr(side), _lr(_other(side))
    if position.turnout == "parallel":
        xz = {1: ((w * 0.05 * scale, 0.0), (o * 0.05 * scale, 0.0)),
              2: ((w * 0.09 * scale, 0.0), (o * 0.09 * scale, 0.0)),
              4: ((w * 0.06 * scale, 0.15 * scale), (o * 0.06 * scale, -0.15 * scale))
              }.get(position.feet, ((w * 0.05 * scale, 0.0), (o * 0.05 * scale, 0.0)))
        return {side: np.array([xz[0][0], 0.0, xz[0][1]]),
                _other(side): np.array([xz[1][0], 0.0, xz[1][1]])}
    foot = float(np.linalg.norm(np.array(body.offsets[INDEX["left_foot"]])[[0, 2]]))
    across = foot * np.sin(np.radians(FOOT_TURNOUT_DEG))  # a turned-out foot's width
    heel = 0.035 * scale
    xz = {
        1: ((w * heel, 0.0), (o * heel, 0.0)),
        2: ((w * (heel + foot), 0.0), (o * (heel + foot), 0.0)),
        3: ((o * across / 4, 0.03 * scale), (w * across / 4, -0.03 * scale)),
        4: ((o * across / 2, 0.15 * scale), (w * across / 2, -0.15 * scale)),
        5: ((o * across / 2, 0.04 * scale), (w * across / 2, -0.04 * scale)),
    }[position.feet]
    return {side: np.array([xz[0][0], 0.0, xz[0][1]]),
            _other(side): np.array([xz[1][0], 0.0, xz[1][1]])}


def _solve_leg(builder: _Builder, side: Side, hip: np.ndarray, ankle: np.ndarray,
               knee_dir: np.ndarray) -> np.ndarray:
    """Two-bone IK: rotate hip and knee of ``side`` so the ankle reaches ``ankle``.

    The knee points along ``knee_dir`` (over the toes). Returns the knee position.
    """
    prefix = f"{side}_"
    body = builder.body
    a = float(np.linalg.norm(body.offsets[INDEX[prefix + "knee"]]))
    b = float(np.linalg.norm(body.offsets[INDEX[prefix + "ankle"]]))
    reach = ankle - hip
    c = float(np.clip(np.linalg.norm(reach), 1e-6, (a + b) * 0.9999))
    u = _unit(reach)
    v = _unit(knee_dir - np.dot(knee_dir, u) * u)
    alpha = np.arccos(np.clip((a * a + c * c - b * b) / (2 * a * c), -1.0, 1.0))
    knee = hip + a * (np.cos(alpha) * u + np.sin(alpha) * v)
    # Thigh: its rest direction onto hip→knee, its rest "front" (+Z) toward the knee direction.
    thigh_world = _align(knee - hip, builder.rest_dir(prefix + "knee"), knee_dir,
                         np.array([0.0, 0.0, 1.0]))
    builder.set(prefix + "hip", thigh_world)
    shin_world = _align(ankle - knee, builder.rest_dir(prefix + "ankle"), knee_dir,
                        np.array([0.0, 0.0, 1.0]))
    builder.set(prefix + "knee", shin_world)
    return knee


def _gesture_leg(builder: _Builder, position: Position, side: Side, facing: _Rot,
                 elevation_deg: float | None = None) -> None:
    """Set hip, knee, ankle and toes of the working leg from its gesture."""
    prefix = f"{side}_"
    s = _lr(side)
    parallel = position.turnout == "parallel"
    turnout = _IDENTITY if parallel else _yaw(s * HIP_TURNOUT_DEG)
    if position.gesture == "extended":
        elevation = A_TERRE_START_DEG if position.height == "a-terre" else \
            HEIGHT_DEG[position.height]
        knee_bend, point = 0.0, POINT_DEG
    elif position.gesture == "attitude":
        elevation = HEIGHT_DEG["90"] if position.height in ("a-terre", "45", "90") else 110.0
        knee_bend, point = 80.0, POINT_DEG
    else:
        raise ValueError(f"_gesture_leg places extended legs and attitudes, not {position.gesture}")
    if elevation_deg is not None:
        elevation = elevation_deg
    direction = position.direction
    e = np.radians(elevation)
    down = np.array([0.0, -np.cos(e), 0.0])
    out = {"devant": np.array([0.0, 0.0, 1.0]), "derriere": np.array([0.0, 0.0, -1.0]),
           "seconde": np.array([s, 0.0, 0.0])}[direction]
    leg_dir = down + np.sin(e) * out
    # Turned out: the knee cap faces the side, rotated outward by the hip's turnout.
    knee_front = turnout.apply(np.array([0.0, 0.0, 1.0]))
    if direction == "derriere":  # in arabesque the knee faces the side and down (parallel: down)
        knee_front = np.array([0.0, -1.0, 0.0]) if parallel else np.array([s * 1.0, -0.2, 0.0])
    thigh_world = facing * _align(leg_dir, builder.rest_dir(prefix + "knee"),
                                  _orthogonal(knee_front, leg_dir),
                                  np.array([0.0, 0.0, 1.0]))
    builder.set(prefix + "hip", thigh_world)
    shin_world = thigh_world * _about("x", knee_bend)
    builder.set(prefix + "knee", shin_world)
    ankle_world = shin_world * _about("x", point)
    builder.set(prefix + "ankle", ankle_world)
    builder.set(prefix + "foot", ankle_world)


def _orthogonal(v: np.ndarray, to: np.ndarray) -> np.ndarray:
    t = _unit(to)
    w = v - np.dot(v, t) * t
    if np.linalg.norm(w) < 1e-6:
        w = np.array([0.0, 0.0, 1.0]) - t[2] * t
    return _unit(w)


def _toe_tip(builder: _Builder, side: Side, pelvis: np.ndarray) -> np.ndarray:
    """World position of the tip of the toes of ``side`` for the rotations set so far."""
    # Down the chain pelvis → hip → knee → ankle → foot with the world rotations set so far
    # (what forward kinematics of ``builder.local()`` gives, without posing the whole body).
    offsets = builder.body.offsets
    point = np.asarray(pelvis, dtype=float)
    parent = builder.world[INDEX["pelvis"]]
    for joint in ("hip", "knee", "ankle", "foot"):
        point = point + parent.apply(np.array(offsets[INDEX[f"{side}_{joint}"]]))
        parent = builder.world[INDEX[f"{side}_{joint}"]]
    return point + parent.apply(np.array([0.0, 0.0, TOE_M * builder.body.height_m / 1.65]))


# ------------------------------------------------------------------------- arms and torso

# Upper-arm direction, where the forearm curves, and elbow bend, for the LEFT arm in the
# torso's frame (x out to the left, y up, z forward). The right arm mirrors x.
_ARMS: dict[str, tuple[tuple[float, float, float], tuple[float, float, float], float]] = {
    "bras-bas": ((0.12, -0.97, 0.20), (-0.7, 0.0, 0.7), 22.0),
    "first": ((0.22, -0.45, 0.86), (-1.0, 0.0, 0.1), 50.0),
    "second": ((0.95, -0.18, 0.25), (0.0, 0.0, 1.0), 15.0),
    "fifth": ((0.22, 0.94, 0.25), (-1.0, 0.0, 0.1), 50.0),
    "demi-seconde": ((0.75, -0.62, 0.22), (0.0, 0.0, 1.0), 10.0),
    "arabesque-front": ((0.05, 0.15, 0.99), (0.0, 1.0, 0.0), 5.0),
    "arabesque-side": ((0.97, 0.05, -0.22), (0.0, 0.0, 1.0), 5.0),
    "arabesque-back": ((0.45, 0.05, -0.89), (0.0, 1.0, 0.0), 5.0),
    "allonge-up": ((0.25, 0.95, 0.2), (0.0, 0.0, 1.0), 5.0),
}


def _arm(builder: _Builder, side: Side, name: str, chest: _Rot) -> None:
    upper, bend, elbow = _ARMS[name]
    s = _lr(side)
    upper_dir = np.array([s * upper[0], upper[1], upper[2]])
    bend_dir = np.array([s * bend[0], bend[1], bend[2]])
    prefix = f"{side}_"
    rest = builder.rest_dir(prefix + "elbow")
    shoulder = chest * _align(upper_dir, rest, _orthogonal(bend_dir, upper_dir),
                              np.array([0.0, 0.0, 1.0]))
    builder.set(prefix + "collar", chest)
    builder.set(prefix + "shoulder", shoulder)
    # Elbow flexion brings the forearm toward the upper arm's front (+Z of its rest frame).
    bend_rot = _about("y", -s * elbow)
    builder.set(prefix + "elbow", shoulder * bend_rot)
    builder.set(prefix + "wrist", shoulder * bend_rot)
    builder.set(prefix + "hand", shoulder * bend_rot)


def _torso(position: Position, side: Side) -> _Rot:
    """The rotation each of the three spine segments adds for the torso shape."""
    s = _lr(side)
    per_segment = {
        "upright": _IDENTITY,
        "cambre-forward": _about("x", 25),
        "cambre-back": _about("x", -13),
        "cambre-side": _about("z", s * -10),
        "spiral": _about("y", -s * 12),
        "contraction": _about("x", CONTRACTION_DEG),
        "flat-back": _IDENTITY,  # the pelvis folds (``_pelvis_turn``); the spine stays long
        # On one leg the pelvis tilts over the standing hip; on two feet, or on the floor, the
        # pelvis stays nearly level and the spine bends the rest of the way.
        "tilt": _IDENTITY if _on_one_leg(position) else _about("z", s * TILT_DEG / 4),
    }[position.torso]
    return per_segment


def pose(position: Position, *, side: Side = "right", body: Skeleton | None = None) -> Pose:
    """Joint rotations and pelvis position for ``position`` done on ``side``.

    Every length in the grammar scales with the dancer's height, so a position is posed once for
    the reference figure and scaled; those poses are memoised (a ballet reuses a few hundred
    positions), which changes nothing but the time.
    """
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right' (not {side!r})")
    body = body or skeleton()
    if body.offsets is not skeleton(body.height_m).offsets and not np.array_equal(
            body.offsets, skeleton(body.height_m).offsets):
        return _pose(position, side, body)  # a skeleton of other proportions
    reference = _reference_pose(position, side)
    if body.height_m == REFERENCE_HEIGHT_M:
        return Pose(reference.rotations.copy(), reference.root_m.copy(), reference.supporting,
                    reference.joints.copy())
    ratio = body.height_m / REFERENCE_HEIGHT_M
    return Pose(reference.rotations.copy(), reference.root_m * ratio, reference.supporting,
                reference.joints * ratio)


@functools.lru_cache(maxsize=4096)
def _reference_pose(position: Position, side: Side) -> Pose:
    return _pose(position, side, skeleton(REFERENCE_HEIGHT_M))


def _pose(position: Position, side: Side, body: Skeleton) -> Pose:
    if position.support in LYING:
        return _lying(position, side, body)
    if position.support in FLOOR:
        return _on_the_floor(position, side, body)
    builder, pelvis, supporting = _standing(position, side, body)
    return Pose(builder.local(), pelvis, supporting, builder.joints(pelvis))


def _standing(position: Position, side: Side, body: Skeleton
              ) -> tuple[_Builder, np.ndarray, tuple[str, ...]]:
    """The world rotations, pelvis and weight-bearing feet of a position on the feet (or in the
    air), before they are made local."""
    scale = body.height_m / 1.65
    working, other = side, _other(side)
    # The free leg takes the gesture; it is the working leg unless the dancer stands on it.
    free: Side = other if position.support == "working" else working
    stand: Side = _other(free)
    facing = _yaw(_body_yaw(position.body, free, behind=_working_behind(position)))
    hinge = _pelvis_turn(position, stand)
    lean = _lean(position, free)
    upright = facing if hinge is _IDENTITY else facing * hinge
    pelvis_world = upright if lean is _IDENTITY else facing * lean * hinge
    builder = _Builder(body)
    rest = body.rest_positions()
    pelvis_rest = rest[INDEX["pelvis"]]
    hip_offsets = {leg: rest[INDEX[f"{leg}_hip"]] - pelvis_rest for leg in ("left", "right")}
    turned = FOOT_TURNOUT_DEG if position.turnout == "out" else 0.0

    supporting: tuple[str, ...]
    if position.support == "both" and position.gesture == "none":
        supporting = (working, other)
    elif position.support == "none":
        supporting = ()
    else:
        supporting = (stand,)

    # In the air the feet point, the toes just off the floor at the lowest.
    pitch = {"demi-pointe": DEMI_POINTE_DEG, "pointe": POINTE_DEG,
             "air": POINT_DEG}.get(position.level, 0.0)
    targets = _ankle_targets(position, side if position.front == "working" else other, body)
    if len(supporting) == 1:
        targets[stand] = np.array([_lr(stand) * 0.02 * scale, 0.0, 0.0])
    builder.set("pelvis", pelvis_world)
    _upper_body(builder, position, side, pelvis_world)

    ankles: dict[str, np.ndarray] = {}
    for leg in supporting or (working, other):
        foot_world = _foot_world(facing, leg, pitch, turned)
        ankles[leg] = facing.apply(targets[leg])
        ankles[leg][1] = _ankle_height(body, leg, position.level, foot_world)
        builder.set(f"{leg}_ankle", foot_world)
        # On demi-pointe the toes stay flat on the floor; on pointe they continue the line.
        toes = -pitch if position.level == "demi-pointe" else 0.0
        builder.set(f"{leg}_foot", foot_world * _about("x", toes))
    # Pelvis height: legs straight (a trained dancer stands with locked knees), lowered by plié.
    legs = supporting or (working, other)
    height = min(_max_hip_height(body, upright.apply(hip_offsets[leg]), ankles[leg])
                 for leg in legs)
    drop = PLIE_DROP.get(position.level, 0.0) * scale
    pelvis = np.array([0.0, height - drop, 0.0])
    if len(supporting) == 1:
        # Weight over the supporting foot: the pelvis shifts above the point it stands on (the
        # heel when flat, the ball on demi-pointe, the tips of the toes on pointe), so a turn on
        # it turns about the body's own axis.
        over = ankles[stand] + _standing_point(body, stand, position.level,
                                               _foot_world(facing, stand, pitch, turned))
        pelvis[[0, 2]] = over[[0, 2]] - upright.apply(hip_offsets[stand])[[0, 2]] * 0.6
        height = _max_hip_height(body, upright.apply(hip_offsets[stand]),
                                 ankles[stand] - np.array([pelvis[0], 0.0, pelvis[2]]))
        pelvis[1] = height - drop
    if position.lunge != "none":
        pelvis = _lunge(body, position, side, pelvis, ankles, upright.apply, hip_offsets)
    if position.torso == "flat-back":
        pelvis = pelvis + facing.apply(np.array([0.0, 0.0, -HINGE_SHIFT_M * scale]))
    if lean is not _IDENTITY:
        pelvis = _leaned(body, pelvis, facing * lean * facing.inv(), pelvis_world, hip_offsets,
                         {leg: ankles[leg] for leg in legs})
    for leg in legs:
        hip = pelvis + pelvis_world.apply(hip_offsets[leg])
        knee_dir = facing.apply(_yaw(_lr(leg) * turned).apply(np.array([0, 0, 1.0])))
        _solve_leg(builder, leg, hip, ankles[leg], knee_dir)
    leg_frame = _leg_frame(position, facing, lean, hinge)
    if position.gesture in ("retire", "cou-de-pied"):
        _wrapped_leg(builder, position, free, facing, pelvis)
    elif position.gesture != "none":
        _gesture_leg(builder, position, free, leg_frame)
        if position.gesture == "extended" and position.height == "a-terre":
            _touch_floor(builder, position, free, leg_frame, pelvis)
    if position.other_gesture == "retire":  # in the air: both feet drawn up (a pas de chat)
        _air_retire(builder, stand, facing, pelvis, position.turnout == "parallel")
    elif position.other_gesture != "none":  # in the air: the split of a grand jeté
        _gesture_leg(builder, replace(position, gesture=position.other_gesture,
                                      direction=position.other_direction,
                                      height=position.other_height, other_gesture="none"),
                     stand, leg_frame)
    if lean is not _IDENTITY and position.gesture in ("extended", "attitude") and \
            position.height != "a-terre":
        _limbs_above(builder, pelvis, LIMB_FLOOR_M * scale, (f"{free}_hip",))  # leaning over it
    return builder, pelvis, tuple(supporting)


def _lunge(body: Skeleton, position: Position, side: Side, pelvis: np.ndarray, ankles: dict,
           turn, hip_offsets: dict) -> np.ndarray:
    """A lunge: the pelvis goes down by the plié's depth and ``LUNGE_WEIGHT`` of the way over
    the bent leg's foot, and the straight leg's foot slides out along the line of the feet
    until that leg reaches it at full length (``ankles`` is changed in place); returns the
    pelvis."""
    bent: Side = side if position.lunge == "working" else _other(side)
    straight = _other(bent)
    a, b = ankles[straight], ankles[bent]
    moved = pelvis.copy()
    moved[[0, 2]] = a[[0, 2]] + LUNGE_WEIGHT * (b[[0, 2]] - a[[0, 2]])
    moved[1] = pelvis[1] - LUNGE_EXTRA_M * body.height_m / 1.65
    hip = moved + turn(hip_offsets[straight])
    away = np.array([a[0] - b[0], 0.0, a[2] - b[2]])
    away = away / (np.linalg.norm(away) + 1e-12)
    leg = _straight_leg(body)
    rise = hip[1] - a[1]
    reach = math.sqrt(max(leg * leg - rise * rise, 0.0))
    # The foot goes where, along the line from the bent foot, the straight leg just reaches.
    across = np.array([hip[0], 0.0, hip[2]]) - np.array([b[0], 0.0, b[2]])
    along = float(np.dot(across, away))
    side_off = across - along * away
    out = along + math.sqrt(max(reach * reach - float(np.dot(side_off, side_off)), 0.0))
    ankles[straight] = np.array([b[0], a[1], b[2]]) + out * away
    return moved


def _upper_body(builder: _Builder, position: Position, side: Side, pelvis_world: _Rot) -> None:
    """Spine, head and arms above a pelvis turned ``pelvis_world``."""
    spine = _torso(position, side)
    world = pelvis_world
    for name in ("spine1", "spine2", "spine3"):
        world = world * spine
        builder.set(name, world)
    builder.set("neck", world)
    builder.set("head", world * _head(position.head, side))
    for arm_side, arm in ((side, position.working_arm), (_other(side), position.other_arm)):
        _arm(builder, arm_side, arm, world)


def _pelvis_turn(position: Position, stand: Side) -> _Rot:
    """How the torso's shape turns the pelvis from upright: a contraction tucks it, a flat back
    folds forward at the hips, a tilt tips it toward the supporting side ``stand``."""
    if position.torso == "contraction":
        return _about("x", -TUCK_DEG)
    if position.torso == "flat-back":
        return _about("x", HINGE_DEG)
    if position.torso == "tilt":
        return _about("z", -_lr(stand) * (TILT_DEG if _on_one_leg(position) else
                                          TILT_DEG / 4))
    return _IDENTITY


def _on_one_leg(position: Position) -> bool:
    return position.support in ("one", "working") or (position.support == "both" and
                                                      position.gesture != "none")


def _lean(position: Position, free: Side) -> _Rot:
    """The whole body inclined off balance: forward, back, or toward the free leg's side."""
    return {"none": _IDENTITY, "forward": _about("x", LEAN_DEG),
            "back": _about("x", -LEAN_DEG),
            "side": _about("z", -_lr(free) * LEAN_DEG)}[position.lean]


def _leg_frame(position: Position, facing: _Rot, lean: _Rot, hinge: _Rot) -> _Rot:
    """The frame a gesture leg is placed in: the body's, leaning with it; a tilt carries a leg
    to the side up with it, so that body and leg make one line. (A flat back leaves the leg
    where its height says: a leg behind at 90° already makes the T with a folded body.)"""
    frame = facing if lean is _IDENTITY else facing * lean
    if position.torso == "tilt" and position.direction == "seconde":
        return frame * hinge
    return frame


def _leaned(body: Skeleton, pelvis: np.ndarray, lean: _Rot, pelvis_world: _Rot,
            hip_offsets: dict, ankles: dict) -> np.ndarray:
    """The pelvis of a body inclined by ``lean`` (a world rotation) about the point between the
    feet that bear it, lowered where a leg would not reach its foot."""
    pivot = np.mean([ankles[leg] for leg in ankles], axis=0)
    pivot[1] = 0.0
    moved = pivot + lean.apply(pelvis - pivot)
    for leg, ankle in ankles.items():
        reach = _max_hip_height(body, pelvis_world.apply(hip_offsets[leg]),
                                ankle - np.array([moved[0], 0.0, moved[2]]))
        moved[1] = min(moved[1], reach)
    return moved


def _lying(position: Position, side: Side, body: Skeleton) -> Pose:
    """Lying on the back, the front or the side (on the supporting side, the working leg on
    top): the position as it would stand, laid on the floor, the trunk resting on it. En face
    the head is upstage in all three, so that from one to the next the body rolls about its
    length."""
    scale = body.height_m / 1.65
    standing = replace(position, support="both" if position.gesture == "none" else "one",
                       body="en-face")
    builder, _, _ = _standing(standing, side, body)
    back = _about("x", -90.0)  # tipped back: the head upstage when en face
    tip = {"lie-back": back, "lie-front": _about("z", 180.0) * back,
           "lie-side": _about("z", -90.0 * _lr(_other(side))) * back}[position.support]
    turn = _yaw(_body_yaw(position.body, side)) * tip
    builder.world = [turn * w for w in builder.world]
    joints = builder.joints(np.zeros(3))
    pelvis = np.array([0.0, TRUNK_FLOOR_M * scale - joints[_TRUNK, 1].min(), 0.0])
    _limbs_above(builder, pelvis, LIMB_FLOOR_M * scale, _ARMS_AND_LEGS)
    joints = builder.joints(pelvis)
    pelvis[1] += max(0.0, LIMB_FLOOR_M * scale - float(joints[:, 1].min()))
    return Pose(builder.local(), pelvis, (), builder.joints(pelvis))


def _on_the_floor(position: Position, side: Side, body: Skeleton) -> Pose:
    """Kneeling (both knees), on one knee (the other leg's: the working foot down in front, or
    the working leg extended), or sitting with the legs in front."""
    scale = body.height_m / 1.65
    working, other = side, _other(side)
    facing = _yaw(_body_yaw(position.body, working))
    hinge = _pelvis_turn(position, other)
    pelvis_world = facing if hinge is _IDENTITY else facing * hinge
    builder = _Builder(body)
    builder.set("pelvis", pelvis_world)
    _upper_body(builder, position, side, pelvis_world)
    rest = body.rest_positions()
    hip_offsets = {leg: pelvis_world.apply(rest[INDEX[f"{leg}_hip"]] - rest[INDEX["pelvis"]])
                   for leg in ("left", "right")}
    thigh = float(np.linalg.norm(body.offsets[INDEX["left_knee"]]))
    shin = float(np.linalg.norm(body.offsets[INDEX["left_ankle"]]))
    forward = facing.apply(np.array([0.0, 0.0, 1.0]))
    turned = position.turnout == "out"
    supporting: tuple[str, ...] = ()
    if position.support == "sit":
        pelvis = np.array([0.0, SEAT_M * scale - min(h[1] for h in hip_offsets.values()), 0.0])
        for leg in (working, other):
            s = _lr(leg)
            spread = STRADDLE_DEG if position.feet == 2 else 3.0
            along = facing.apply(_yaw(s * spread).apply(np.array([0.0, 0.0, 1.0])))
            hip = pelvis + hip_offsets[leg]
            drop = hip[1] - HEEL_FLOOR_M * scale
            flat = math.sqrt(max((thigh + shin) ** 2 * 0.9999 - drop * drop, 0.0))
            ankle = hip + flat * along - np.array([0.0, drop, 0.0])
            up = np.array([s * math.sin(math.radians(HIP_TURNOUT_DEG)) if turned else 0.0,
                           math.cos(math.radians(HIP_TURNOUT_DEG)) if turned else 1.0, 0.0])
            _solve_leg(builder, leg, hip, ankle, facing.apply(up))
            _point(builder, leg, POINT_DEG)
    else:
        kneeling = (working, other) if position.support == "kneel" else (other,)
        pelvis = np.array([0.0, 0.0, 0.0])
        pelvis[1] = min(KNEE_FLOOR_M * scale + thigh - hip_offsets[leg][1] for leg in kneeling)
        for leg in kneeling:
            hip = pelvis + hip_offsets[leg]
            drop = KNEE_FLOOR_M * scale - SHIN_FLOOR_M * scale
            behind = math.sqrt(max(shin * shin - drop * drop, 0.0))
            ankle = np.array([hip[0], SHIN_FLOOR_M * scale, hip[2]]) - behind * forward
            _solve_leg(builder, leg, hip, ankle, forward)
            _point(builder, leg, KNEEL_POINT_DEG)
        if position.support == "knee":
            if position.gesture == "none":  # the working foot down in front, the knee up
                out = _yaw(_lr(working) * HIP_TURNOUT_DEG) if turned else _IDENTITY
                ahead = facing.apply(out.apply(np.array([0.0, 0.0, 1.0])))
                hip = pelvis + hip_offsets[working]
                foot = _foot_world(facing, working, 0.0, FOOT_TURNOUT_DEG if turned else 0.0)
                ankle = np.array([hip[0], _ankle_height(body, working, "flat", foot), hip[2]]) \
                    + thigh * ahead
                _solve_leg(builder, working, hip, ankle, ahead + np.array([0.0, 1.0, 0.0]))
                builder.set(f"{working}_ankle", foot)
                builder.set(f"{working}_foot", foot)
                supporting = (working,)
            else:
                _gesture_leg(builder, position, working, facing)
                if position.gesture == "extended" and position.height == "a-terre":
                    _touch_floor(builder, position, working, facing, pelvis, highest=89.0)
    _limbs_above(builder, pelvis, LIMB_FLOOR_M * scale, _BOTH_ARMS)
    return Pose(builder.local(), pelvis, supporting, builder.joints(pelvis))


_TRUNK = [INDEX[j] for j in ("pelvis", "spine1", "spine2", "spine3", "neck", "head",
                             "left_hip", "right_hip", "left_collar", "right_collar",
                             "left_shoulder", "right_shoulder")]
_LIMB_JOINTS = {
    "left_shoulder": ("left_shoulder", "left_elbow", "left_wrist", "left_hand"),
    "right_shoulder": ("right_shoulder", "right_elbow", "right_wrist", "right_hand"),
    "left_hip": ("left_hip", "left_knee", "left_ankle", "left_foot"),
    "right_hip": ("right_hip", "right_knee", "right_ankle", "right_foot"),
}
_BOTH_ARMS = ("left_shoulder", "right_shoulder")
_ARMS_AND_LEGS = tuple(_LIMB_JOINTS)


def _point(builder: _Builder, leg: Side, degrees: float) -> None:
    """Point the foot of ``leg`` by ``degrees`` from its shin."""
    pointed = builder.world[INDEX[f"{leg}_knee"]] * _about("x", degrees)
    builder.set(f"{leg}_ankle", pointed)
    builder.set(f"{leg}_foot", pointed)


def _limbs_above(builder: _Builder, pelvis: np.ndarray, floor_m: float,
                 limbs: tuple[str, ...]) -> None:
    """Raise each of ``limbs`` (named by the joint it turns at) about that joint, just enough
    that none of its joints comes nearer the floor than ``floor_m``: a hand or a foot meeting
    the floor rests on it."""
    for root in limbs:
        chain = [INDEX[j] for j in _LIMB_JOINTS[root]]
        for _ in range(8):
            joints = builder.joints(pelvis)
            points = joints[chain[1:]]
            low = int(np.argmin(points[:, 1]))
            depth = floor_m - float(points[low, 1])
            if depth <= 1e-6:
                break
            reach = points[low] - joints[chain[0]]
            across = math.hypot(float(reach[0]), float(reach[2]))
            if across < 1e-6:
                reach = reach + np.array([0.0, 0.0, 1e-3])
                across = 1e-3
            axis = np.array([-reach[2], 0.0, reach[0]]) / across
            angle = min(depth / max(across, 0.05), 0.5) * 1.1
            half = 0.5 * angle
            lift = _Rot(axis[0] * math.sin(half), 0.0, axis[2] * math.sin(half), math.cos(half))
            for j in chain:
                builder.world[j] = lift * builder.world[j]


def _standing_point(body: Skeleton, leg: str, level: str, foot_world: _Rot) -> np.ndarray:
    """From the ankle to the point a foot standing at ``level`` bears weight on."""
    if level not in ("demi-pointe", "pointe"):
        return np.zeros(3)
    ball = foot_world.apply(np.array(body.offsets[INDEX[f"{leg}_foot"]]))
    if level == "demi-pointe":
        return ball
    return ball + foot_world.apply(np.array([0.0, 0.0, TOE_M * body.height_m / 1.65]))


def _ankle_height(body: Skeleton, leg: str, level: str, foot_world: _Rot) -> float:
    """Height of the ankle joint when this foot stands at ``level``.

    Flat: as in rest pose. Demi-pointe: the ball of the foot stays where it is in rest pose and
    the heel rises. Pointe: the tips of the toes (a toe's length beyond the ball) touch the floor.
    In the air (the foot pointed): as on pointe, the tips of the toes just off the floor.
    """
    rest = body.rest_positions()
    ankle_rest = float(rest[INDEX[f"{leg}_ankle"], 1])
    if level in ("flat", "demi-plie", "plie"):
        return ankle_rest
    ball_rest = float(rest[INDEX[f"{leg}_foot"], 1])
    ball = foot_world.apply(np.array(body.offsets[INDEX[f"{leg}_foot"]]))
    if level == "demi-pointe":
        return ball_rest - float(ball[1])
    toe = foot_world.apply(np.array([0.0, 0.0, TOE_M * body.height_m / 1.65]))
    return -float(ball[1]) - float(toe[1]) + 0.01 * body.height_m / 1.65


def _wrapped_leg(builder: _Builder, position: Position, side: Side, facing: _Rot,
                 pelvis: np.ndarray) -> None:
    """Retiré: the pointed toe at the supporting knee; cou-de-pied: the foot wrapped just above
    the supporting ankle; in front, or behind (``direction: derriere``). The knee opens to the
    side, or in parallel points forward with the foot in front of the supporting leg."""
    body = builder.body
    scale = body.height_m / 1.65
    s = _lr(side)
    other = _other(side)
    joints = builder.joints(pelvis)
    forward = -1.0 if position.direction == "derriere" else 1.0
    parallel = position.turnout == "parallel"
    across = 0.0 if parallel else 1.0
    if position.gesture == "retire":
        anchor = joints[INDEX[f"{other}_knee"]]
        offset = np.array([s * 0.05 * across, 0.10, forward * (0.08 if parallel else 0.05)])
    else:
        anchor = joints[INDEX[f"{other}_ankle"]]
        offset = np.array([s * 0.04 * across, 0.13, forward * (0.08 if forward > 0 else 0.06)])
    hip = joints[INDEX[f"{side}_hip"]]
    knee_dir = facing.apply(np.array([0.0, 0.0, 1.0]) if parallel else
                            _unit(np.array([s * 0.9, 0.0, 0.45])))
    _solve_leg(builder, side, hip, anchor + facing.apply(offset * scale), knee_dir)
    _point(builder, side, POINT_DEG)


def _air_retire(builder: _Builder, side: Side, facing: _Rot, pelvis: np.ndarray,
                parallel: bool) -> None:
    """The other leg drawn up in the air as the working leg is (a double retiré): the pointed
    foot under the body at the height of a standing knee, the knee open to the side (forward
    in parallel)."""
    scale = builder.body.height_m / 1.65
    s = _lr(side)
    hip = builder.joints(pelvis)[INDEX[f"{side}_hip"]]
    ankle = hip + facing.apply(np.array([-s * 0.04, -0.30, 0.06]) * scale)
    knee_dir = facing.apply(np.array([0.0, 0.0, 1.0]) if parallel else
                            _unit(np.array([s * 0.9, 0.0, 0.45])))
    _solve_leg(builder, side, hip, ankle, knee_dir)
    _point(builder, side, POINT_DEG)


def _touch_floor(builder: _Builder, position: Position, side: Side, facing: _Rot,
                 pelvis: np.ndarray, *, highest: float = 60.0) -> None:
    """Raise or lower a straight working leg à terre until the tips of its toes touch the floor
    (from a hip nearer the floor than standing, it rises to ``highest`` degrees or less)."""
    low, high = 1.0, highest
    for _ in range(30):
        mid = 0.5 * (low + high)
        _gesture_leg(builder, position, side, facing, elevation_deg=mid)
        if _toe_tip(builder, side, pelvis)[1] < 0.0:
            low = mid  # still through the floor: lift the leg
        else:
            high = mid
    _gesture_leg(builder, position, side, facing, elevation_deg=high)


def _straight_leg(body: Skeleton) -> float:
    """Hip to ankle of a straight leg, a hair short so that two-bone IK always reaches."""
    return float(np.linalg.norm(body.offsets[INDEX["left_knee"]]) + np.linalg.norm(
        body.offsets[INDEX["left_ankle"]])) * 0.999


def _max_hip_height(body: Skeleton, hip_offset: np.ndarray, ankle: np.ndarray) -> float:
    """Highest pelvis above ``ankle`` with a straight leg (hip→ankle at full length)."""
    leg = _straight_leg(body)
    dx = ankle[0] - hip_offset[0]
    dz = ankle[2] - hip_offset[2]
    flat = min(dx * dx + dz * dz, leg * leg * 0.98)
    return float(ankle[1] - hip_offset[1] + np.sqrt(leg * leg - flat))


def _working_behind(position: Position) -> bool:
    return position.gesture in ("extended", "attitude") and position.direction == "derriere"


def _body_yaw(direction: str, side: Side, *, behind: bool = False) -> float:
    """Yaw of the body for a direction. Croisé crosses the working leg over the body's line as
    the audience sees it: with the leg in front the body faces the downstage corner on the
    supporting side, with the leg behind the other one (effacé the opposite)."""
    s = -_lr(side)  # +1 when the working side is right
    crossed = 45.0 * s * (-1.0 if behind else 1.0)
    return {"en-face": 0.0, "croise": crossed, "efface": -crossed,
            "ecarte-devant": 45.0 * s, "ecarte-derriere": -45.0 * s,
            "de-cote": 90.0 * s, "de-dos": 180.0}[direction]


def _head(head: str, side: Side) -> _Rot:
    s = _lr(side)
    return {"front": _IDENTITY,
            "turn": _about("y", -s * 35),
            "incline": _about("z", -s * 12),
            "lift": _about("x", -15)}[head]

