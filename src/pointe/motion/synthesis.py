"""Motion synthesis: a timed list of steps becomes one dancer's Motion.

Conventions
-----------
- Time in seconds here (the choreography's counts are turned into seconds by the MusicMap before
  this stage); frames at ``fps`` (default 60).
- Each step's key positions are posed by the body-position grammar on the step's side and
  interpolated with quaternion slerp under smoothstep easing, so the body settles into each key.
- The dancer's place on stage and facing integrate each step's travel (metres for a 1.65 m dancer,
  scaled by height; relative to where she faces, "side" toward the working side) and turn
  (degrees, en dehors: toward the working side's back, i.e. clockwise seen from above for a
  right-side step).
- Flight is ballistic: from the last key on the floor before a key in the air to the first key on
  the floor after it, the pelvis rises on the parabola g·τ·(T−τ)/2 (g = 9.81 m/s²), so the height
  agrees with the flight time T.
- Feet: the pelvis is shifted so planted feet do not drift on average, then ``pointe.motion.feet``
  keeps weight-bearing feet on the floor (and still, in steps that stay in place) and free feet
  above it. Travelling and turning steps are not pinned yet: their feet may slide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation, Slerp

from pointe.body.positions import pose
from pointe.body.skeleton import INDEX, N_JOINTS, forward_kinematics, skeleton
from pointe.motion.feet import floor_guard, pin_planted_legs
from pointe.motion.performance import Motion
from pointe.vocabulary.step import Step

G = 9.81
MOVED_M = 0.02  # a supporting foot that moves more than this between keys is not planted
RAISED = ("demi-pointe", "pointe")  # levels on which the heel is off the floor
TRAVEL_DIRECTIONS = {
    "none": (0.0, 0.0), "forward": (0.0, 1.0), "back": (0.0, -1.0), "side": (1.0, 0.0),
    "other-side": (-1.0, 0.0), "diagonal-forward": (0.7071, 0.7071),
    "diagonal-back": (0.7071, -0.7071), "circle": (0.0, 1.0),
}


@dataclass(frozen=True)
class TimedStep:
    step: Step
    start_s: float
    duration_s: float
    side: str = "right"


@dataclass(frozen=True)
class _Key:
    time_s: float
    rotations: np.ndarray  # (24, 4)
    root_m: np.ndarray  # pose-relative pelvis position
    air: bool
    supporting: tuple[str, ...]
    level: str
    step_index: int
    ankles: dict  # leg → ankle position in the pose's own frame


def perform_steps(
    steps: Sequence[TimedStep],
    *,
    fps: float = 60.0,
    dancer: str = "dancer",
    height_m: float = 1.65,
    start_m: tuple[float, float] = (0.0, 0.0),
    facing_deg: float = 0.0,
) -> Motion:
    """One dancer's Motion for ``steps`` (in time order, each starting when the last ends)."""
    if not steps:
        raise ValueError("perform_steps needs at least one step")
    if fps <= 0:
        raise ValueError(f"fps must be positive (not {fps})")
    for a, b in zip(steps, steps[1:], strict=False):
        if b.start_s < a.start_s + a.duration_s - 1e-6:
            raise ValueError(f"step {b.step.id!r} starts at {b.start_s:.3f} s, before "
                             f"{a.step.id!r} ends at {a.start_s + a.duration_s:.3f} s")
    body = skeleton(height_m)
    scale = height_m / 1.65
    keys = _keys(steps, body)
    end_s = steps[-1].start_s + steps[-1].duration_s
    start_s = steps[0].start_s
    frames = max(2, int(round((end_s - start_s) * fps)) + 1)
    times = start_s + np.arange(frames) / fps
    key_times = np.array([k.time_s for k in keys])
    eased = _eased_times(times, key_times)

    rotations = np.zeros((frames, N_JOINTS, 4))
    stack = np.stack([k.rotations for k in keys])  # (keys, 24, 4)
    for j in range(N_JOINTS):
        rotations[:, j] = Slerp(key_times, Rotation.from_quat(stack[:, j]))(eased).as_quat()
    pose_root = np.stack([np.interp(eased, key_times, [k.root_m[a] for k in keys])
                          for a in range(3)], axis=1)

    yaw_deg, place = _stage_path(steps, times, scale, facing_deg, start_m)
    yaw = Rotation.from_euler("y", yaw_deg[:, None], degrees=True)
    rotations[:, 0] = (yaw * Rotation.from_quat(rotations[:, 0])).as_quat()
    root = yaw.apply(pose_root) + np.column_stack([place[:, 0], np.zeros(frames), place[:, 1]])
    root[:, 1] += _flight(times, keys)
    contacts = _contacts(times, keys)
    root = _lock_feet(body, rotations, root, times, keys, steps)
    rotations, root = pin_planted_legs(body, rotations, root, contacts,
                                       _pinnable(times, steps))
    rotations = floor_guard(body, rotations, root, contacts)
    return Motion(dancer, float(height_m), float(fps), root, rotations, contacts)


def _keys(steps: Sequence[TimedStep], body) -> list[_Key]:
    keys: list[_Key] = []
    cache: dict[tuple, object] = {}
    for index, timed in enumerate(steps):
        for key in timed.step.keys:
            time_s = timed.start_s + key.at * timed.duration_s
            if keys and time_s <= keys[-1].time_s + 1e-9:
                continue  # the first key of a step is where the last one ended
            cache_key = (key.position, timed.side)
            result = cache.get(cache_key)
            if result is None:
                result = pose(key.position, side=timed.side, body=body)
                cache[cache_key] = result
            ankles = {leg: result.joints[INDEX[f"{leg}_ankle"]] for leg in ("left", "right")}
            keys.append(_Key(time_s, result.rotations, result.root_m, key.air,
                             () if key.air else result.supporting, key.position.level, index,
                             ankles))
    if len(keys) < 2:
        raise ValueError("the steps give fewer than two key positions")
    return keys


def _eased_times(times: np.ndarray, key_times: np.ndarray) -> np.ndarray:
    """Frame times mapped through smoothstep inside each key interval."""
    i = np.clip(np.searchsorted(key_times, times, side="right") - 1, 0, len(key_times) - 2)
    t0, t1 = key_times[i], key_times[i + 1]
    u = np.clip((times - t0) / np.maximum(t1 - t0, 1e-9), 0.0, 1.0)
    return t0 + (3 * u * u - 2 * u * u * u) * (t1 - t0)


def _stage_path(steps: Sequence[TimedStep], times: np.ndarray, scale: float, facing_deg: float,
                start_m: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Facing (degrees) and floor position (x, z) of the dancer at every frame."""
    yaw = np.full(len(times), float(facing_deg))
    place = np.tile(np.asarray(start_m, float), (len(times), 1))
    facing, x, z = float(facing_deg), float(start_m[0]), float(start_m[1])
    for timed in steps:
        step = timed.step
        inside = (times >= timed.start_s) & (times <= timed.start_s + timed.duration_s)
        after = times > timed.start_s + timed.duration_s
        u = np.clip((times - timed.start_s) / timed.duration_s, 0.0, 1.0)
        progress = 3 * u * u - 2 * u * u * u
        # En dehors turns toward the working side's back: clockwise from above for the right.
        sign = -1.0 if timed.side == "right" else 1.0
        turn = sign * step.turn_deg
        lateral, ahead = TRAVEL_DIRECTIONS[step.travel]
        side_sign = -1.0 if timed.side == "right" else 1.0  # the working side, en face
        direction = Rotation.from_euler("y", facing, degrees=True).apply(
            [side_sign * lateral, 0.0, ahead])
        distance = step.travel_m * scale
        yaw[inside] = facing + turn * progress[inside]
        place[inside, 0] = x + direction[0] * distance * progress[inside]
        place[inside, 1] = z + direction[2] * distance * progress[inside]
        facing += turn
        x += direction[0] * distance
        z += direction[2] * distance
        yaw[after] = facing
        place[after] = (x, z)
    return yaw, place


def _flight(times: np.ndarray, keys: list[_Key]) -> np.ndarray:
    """Extra pelvis height: a ballistic arc over every stretch of keys in the air."""
    lift = np.zeros(len(times))
    k = 0
    while k < len(keys):
        if not keys[k].air:
            k += 1
            continue
        first = k
        while k < len(keys) and keys[k].air:
            k += 1
        takeoff = keys[first - 1].time_s if first > 0 else keys[first].time_s
        landing = keys[k].time_s if k < len(keys) else keys[-1].time_s
        span = landing - takeoff
        inside = (times > takeoff) & (times < landing)
        tau = times[inside] - takeoff
        lift[inside] = 0.5 * G * tau * (span - tau)
    return lift


def _contacts(times: np.ndarray, keys: list[_Key]) -> np.ndarray:
    """Which heels and toes bear weight: those of the nearer key, none in flight.

    A foot that bears weight at two keys but stands in another place at the second (an échappé,
    a coupé) springs or slides between them: it bears no weight in between, only at the keys.
    """
    key_times = np.array([k.time_s for k in keys])
    contacts = np.zeros((len(times), 4), dtype=bool)
    i = np.clip(np.searchsorted(key_times, times, side="right") - 1, 0, len(keys) - 1)
    for f, index in enumerate(i):
        a = keys[index]
        b = keys[min(index + 1, len(keys) - 1)]
        if a.air or b.air:
            continue
        at_key = min(abs(times[f] - a.time_s), abs(b.time_s - times[f])) < 1e-9
        near = a if times[f] - a.time_s <= b.time_s - times[f] else b
        staying = {leg for leg in set(a.supporting) & set(b.supporting)
                   if np.linalg.norm(a.ankles[leg][[0, 2]] - b.ankles[leg][[0, 2]]) < MOVED_M}
        legs = set(near.supporting) if at_key else staying
        # A heel bears weight between two keys only if it is down at both (a relevé lifts it
        # from the first frame on).
        heel_down = (near.level not in RAISED) if at_key else (
            a.level not in RAISED and b.level not in RAISED)
        for leg in legs:
            base = 0 if leg == "left" else 2
            contacts[f, base + 1] = True  # the toes
            contacts[f, base] = heel_down
    return contacts


def _lock_feet(body, rotations: np.ndarray, root: np.ndarray, times: np.ndarray,
               keys: list[_Key], steps: Sequence[TimedStep]) -> np.ndarray:
    """Shift the pelvis so planted feet do not slide, between keys that share a planted foot.

    The horizontal correction is continuous: it is carried forward from one locked stretch to
    the next, so locking never makes the dancer jump.
    """
    joints = forward_kinematics(body, rotations, root)
    correction = np.zeros((len(times), 2))
    carried = np.zeros(2)
    last = 0
    for a, b in zip(keys, keys[1:], strict=False):
        step = steps[b.step_index].step
        planted = set(a.supporting) & set(b.supporting)
        if step.travel != "none" or step.turn_deg or not planted or a.air or b.air:
            continue
        frames = np.nonzero((times >= a.time_s) & (times <= b.time_s))[0]
        if len(frames) == 0:
            continue
        correction[last:frames[0]] = carried
        drift = np.zeros((len(frames), 2))
        for leg in planted:
            ankle = joints[frames][:, INDEX[f"{leg}_ankle"]][:, [0, 2]]
            drift += ankle - ankle[0]
        correction[frames] = carried - drift / len(planted)
        carried = correction[frames[-1]]
        last = frames[-1] + 1
    correction[last:] = carried
    out = root.copy()
    out[:, [0, 2]] += correction
    return out


def _pinnable(times: np.ndarray, steps: Sequence[TimedStep]) -> np.ndarray:
    """Frames inside steps that neither travel nor turn (where planted feet must not move)."""
    ok = np.zeros(len(times), dtype=bool)
    for timed in steps:
        if timed.step.travel == "none" and not timed.step.turn_deg:
            ok |= (times >= timed.start_s) & (times <= timed.start_s + timed.duration_s)
    return ok
