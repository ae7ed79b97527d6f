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
- A foot that bears no weight never goes through the floor: where interpolation would take its
  toes below it, the whole leg is lifted about the hip just enough.
- A foot that bears weight in two consecutive keys of a step that neither travels nor turns is
  locked: the pelvis is shifted so the planted feet do not drift on average, then each planted
  leg is re-solved frame by frame (two-bone IK, knee direction kept) so its ankle stays where
  its contact began. Travelling and turning steps are not pinned yet: their feet may slide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation, Slerp

from pointe.body.positions import TOE_M, pose
from pointe.body.skeleton import INDEX, N_JOINTS, forward_kinematics, posed, skeleton
from pointe.motion.performance import Motion
from pointe.vocabulary.step import Step

G = 9.81
MOVED_M = 0.02  # a supporting foot that moves more than this between keys is not planted
RAISED = ("demi-pointe", "pointe")  # levels on which the heel is off the floor
CLEARANCE_M = 0.0005  # weight-bearing toes stay this far above the floor (round-off margin)
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
    rotations, root = _pin_planted_legs(body, rotations, root, contacts,
                                        _pinnable(times, steps))
    rotations = _floor_guard(body, rotations, root, contacts)
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


def _floor_guard(body, rotations: np.ndarray, root: np.ndarray, contacts: np.ndarray
                 ) -> np.ndarray:
    """Lift free legs whose toes would go below the floor, by rotating them about the hip."""
    out = rotations.copy()
    toe = np.array([0.0, 0.0, TOE_M * body.height_m / 1.65])
    joints, world = posed(body, out, root)
    for leg, base in (("left", 0), ("right", 2)):
        free = ~(contacts[:, base] | contacts[:, base + 1])
        hip_j, foot_j = INDEX[f"{leg}_hip"], INDEX[f"{leg}_foot"]
        tips = joints[:, foot_j] + Rotation.from_quat(world[:, foot_j]).apply(toe)
        low = np.minimum(tips[:, 1], joints[:, foot_j, 1])
        frames = np.nonzero(free & (low < CLEARANCE_M))[0]
        for _ in range(6):
            if len(frames) == 0:
                break
            sub_joints, sub_world = posed(body, out[frames], root[frames])
            tips = sub_joints[:, foot_j] + Rotation.from_quat(sub_world[:, foot_j]).apply(toe)
            lowest = np.minimum(tips[:, 1], sub_joints[:, foot_j, 1])
            below = lowest < CLEARANCE_M
            frames, lowest = frames[below], lowest[below]
            if len(frames) == 0:
                break
            reach = tips[below] - sub_joints[below, hip_j]
            across = np.linalg.norm(reach[:, [0, 2]], axis=1)
            axis = np.cross(reach, [0.0, 1.0, 0.0])
            axis /= np.maximum(np.linalg.norm(axis, axis=1, keepdims=True), 1e-9)
            angle = np.minimum((CLEARANCE_M - lowest) / np.maximum(across, 0.05), 0.5) * 1.1
            lift = Rotation.from_rotvec(axis * angle[:, None])
            pelvis = Rotation.from_quat(sub_world[below, 0])
            hip_local = Rotation.from_quat(out[frames, hip_j])
            out[frames, hip_j] = (pelvis.inv() * lift * pelvis * hip_local).as_quat()
    return out


def _pinnable(times: np.ndarray, steps: Sequence[TimedStep]) -> np.ndarray:
    """Frames inside steps that neither travel nor turn (where planted feet must not move)."""
    ok = np.zeros(len(times), dtype=bool)
    for timed in steps:
        if timed.step.travel == "none" and not timed.step.turn_deg:
            ok |= (times >= timed.start_s) & (times <= timed.start_s + timed.duration_s)
    return ok


def _arc(u: np.ndarray, v: np.ndarray) -> Rotation:
    """Minimal rotations taking unit vectors ``u`` onto ``v`` (row by row)."""
    axis = np.cross(u, v)
    sine = np.linalg.norm(axis, axis=1)
    angle = np.arctan2(sine, np.sum(u * v, axis=1))
    safe = np.where(sine[:, None] > 1e-12, axis / np.maximum(sine, 1e-12)[:, None], 0.0)
    return Rotation.from_rotvec(safe * angle[:, None])


def _pin_planted_legs(body, rotations: np.ndarray, root: np.ndarray, contacts: np.ndarray,
                      pinnable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keep weight-bearing feet on the floor (and still, where the step stays in place) by IK.

    Where a planted foot is out of the leg's reach the pelvis is lowered just enough. Returns the
    new rotations and pelvis path.
    """
    out = rotations.copy()
    root = root.copy()
    joints, world = posed(body, out, root)
    goals = {}
    for leg, base in (("left", 0), ("right", 2)):
        planted = contacts[:, base] | contacts[:, base + 1]
        if planted.any():
            world[:, INDEX[f"{leg}_ankle"]] = _held_foot(world[:, INDEX[f"{leg}_ankle"]],
                                                         contacts[:, base] & pinnable)
            goals[leg] = _ankle_goals(body, joints, world, leg, np.nonzero(planted)[0],
                                      pinnable)
    drop = np.zeros(len(out))
    for leg, (frames, goal) in goals.items():
        reach = goal - joints[frames, INDEX[f"{leg}_hip"]]
        length = float(np.linalg.norm(body.offsets[INDEX[f"{leg}_knee"]])
                       + np.linalg.norm(body.offsets[INDEX[f"{leg}_ankle"]])) * 0.999
        across = np.sum(reach[:, [0, 2]] ** 2, axis=1)
        need = -reach[:, 1] - np.sqrt(np.maximum(length * length - across, 0.0))
        drop[frames] = np.maximum(drop[frames], need)
    if np.any(drop > 0):
        root[:, 1] -= np.maximum(drop, 0.0)
        joints, _ = posed(body, out, root)
    for leg, (frames, goal) in goals.items():
        _solve_planted(body, out, joints, world, leg, frames, goal)
        base = 0 if leg == "left" else 2
        # Frames where the foot is free but its orientation was held or blended back.
        ankle_j, knee_j = INDEX[f"{leg}_ankle"], INDEX[f"{leg}_knee"]
        free = np.setdiff1d(np.nonzero(_held_or_blended(contacts[:, base] & pinnable))[0], frames)
        if len(free):
            shin_free = Rotation.from_quat(world[free, knee_j])
            out[free, ankle_j] = (shin_free.inv() * Rotation.from_quat(
                world[free, ankle_j])).as_quat()
    return out, root


def _ankle_goals(body, joints: np.ndarray, world: np.ndarray, leg: str, frames: np.ndarray,
                 pinnable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each planted frame wants the ankle.

    In a step that stays in place each frame keeps the point that bears weight (the ball of the
    foot, rolling onto the tips of the toes on pointe) where it was at the start of its run; in
    every step the heel may rise (relevé) but the ball and the toes stay on or above the floor.
    """
    ankle_j, foot_j = INDEX[f"{leg}_ankle"], INDEX[f"{leg}_foot"]
    toe = np.array([0.0, 0.0, TOE_M * body.height_m / 1.65])
    foot_world = Rotation.from_quat(world[frames, ankle_j])
    ball_offset = foot_world.apply(np.array(body.offsets[foot_j]))
    toe_offset = Rotation.from_quat(world[frames, foot_j]).apply(toe)
    point_offset = ball_offset + toe_roll(world[frames, ankle_j])[:, None] * toe_offset
    point = joints[frames, ankle_j] + point_offset
    run_start = np.concatenate([[True], np.diff(frames) != 1])
    anchors = np.maximum.accumulate(np.where(run_start, np.arange(len(frames)), 0))
    goal = point[anchors] - point_offset
    # Steps that travel or turn move their feet: there the foot only keeps to the floor.
    moving = ~pinnable[frames]
    goal[moving] = joints[frames[moving], ankle_j]
    ball_floor = float(body.rest_positions()[foot_j, 1])
    lowest_ankle = np.maximum(ball_floor - ball_offset[:, 1],
                              -(ball_offset[:, 1] + toe_offset[:, 1])) + CLEARANCE_M
    goal[:, 1] = np.maximum(joints[frames, ankle_j, 1], lowest_ankle)
    return frames, goal


def _solve_planted(body, out: np.ndarray, joints: np.ndarray, world: np.ndarray, leg: str,
                   frames: np.ndarray, goal: np.ndarray) -> None:
    """Two-bone IK of ``leg`` toward ``goal`` on ``frames``, writing local rotations into out."""
    hip_j, knee_j = INDEX[f"{leg}_hip"], INDEX[f"{leg}_knee"]
    ankle_j = INDEX[f"{leg}_ankle"]
    hip, knee, ankle = joints[frames, hip_j], joints[frames, knee_j], joints[frames, ankle_j]
    a = float(np.linalg.norm(body.offsets[knee_j]))
    b = float(np.linalg.norm(body.offsets[ankle_j]))
    reach = goal - hip
    c = np.clip(np.linalg.norm(reach, axis=1), 1e-6, (a + b) * 0.9999)
    u = reach / np.maximum(np.linalg.norm(reach, axis=1, keepdims=True), 1e-9)
    # The knee bends where the kneecap points (the thigh's +Z), a direction that stays defined
    # when the leg is straight.
    kneecap = Rotation.from_quat(world[frames, hip_j]).apply([0.0, 0.0, 1.0])
    pole = kneecap - np.sum(kneecap * u, axis=1, keepdims=True) * u
    pole /= np.maximum(np.linalg.norm(pole, axis=1, keepdims=True), 1e-9)
    alpha = np.arccos(np.clip((a * a + c * c - b * b) / (2 * a * c), -1.0, 1.0))
    new_knee = hip + a * (np.cos(alpha)[:, None] * u + np.sin(alpha)[:, None] * pole)
    new_ankle = hip + u * c[:, None]
    thigh_fix = _arc(_unit_rows(knee - hip), _unit_rows(new_knee - hip))
    thigh = thigh_fix * Rotation.from_quat(world[frames, hip_j])
    shin_old = thigh_fix * Rotation.from_quat(world[frames, knee_j])
    moved_ankle = new_knee + thigh_fix.apply(ankle - knee)
    shin = _arc(_unit_rows(moved_ankle - new_knee), _unit_rows(new_ankle - new_knee)) * shin_old
    foot = Rotation.from_quat(world[frames, ankle_j])
    pelvis = Rotation.from_quat(world[frames, 0])
    out[frames, hip_j] = (pelvis.inv() * thigh).as_quat()
    out[frames, knee_j] = (thigh.inv() * shin).as_quat()
    out[frames, ankle_j] = (shin.inv() * foot).as_quat()


BLEND_FRAMES = 8
ROLL_DEG = (50.0, 82.0)  # from demi-pointe (on the ball) to pointe (on the tips of the toes)


def toe_roll(foot_world: np.ndarray) -> np.ndarray:
    """How far each foot has rolled from the ball onto the tips of its toes, 0..1, from its
    pitch (world quaternions of the ankle joint): 0 up to demi-pointe, 1 on full pointe."""
    forward = Rotation.from_quat(foot_world).apply([0.0, 0.0, 1.0])
    pitch = np.degrees(np.arcsin(np.clip(-forward[:, 1], -1.0, 1.0)))
    return np.clip((pitch - ROLL_DEG[0]) / (ROLL_DEG[1] - ROLL_DEG[0]), 0.0, 1.0)


def on_pointe(foot_world: np.ndarray) -> np.ndarray:
    """Whether each foot stands on the tips of its toes (fully rolled)."""
    return toe_roll(foot_world) >= 1.0


def contact_points(motion) -> np.ndarray:
    """The point of each foot part that bears weight, per frame: (frames, 4, 3).

    Columns as ``Motion.contacts``: left heel (the ankle joint), left toes (the ball of the foot,
    rolling onto the tips of the toes as the foot rises to pointe), right heel, right toes.
    """
    body = motion.body
    joints, world = posed(body, motion.rotations, motion.root_m)
    toe = np.array([0.0, 0.0, TOE_M * body.height_m / 1.65])
    points = np.zeros((motion.frames, 4, 3))
    for leg, base in (("left", 0), ("right", 2)):
        ankle_j, foot_j = INDEX[f"{leg}_ankle"], INDEX[f"{leg}_foot"]
        tips = joints[:, foot_j] + Rotation.from_quat(world[:, foot_j]).apply(toe)
        points[:, base] = joints[:, ankle_j]
        roll = toe_roll(world[:, ankle_j])[:, None]
        points[:, base + 1] = joints[:, foot_j] + roll * (tips - joints[:, foot_j])
    return points


def _held_or_blended(heel: np.ndarray) -> np.ndarray:
    """Frames a held foot orientation touches: the heel runs and the blend after each."""
    touched = heel.copy()
    ends = np.nonzero(heel[:-1] & ~heel[1:])[0]
    for end in ends:
        touched[end + 1:end + 1 + BLEND_FRAMES] = True
    return touched


def _held_foot(foot_world: np.ndarray, heel: np.ndarray) -> np.ndarray:
    """Foot orientations with the foot held still while its heel bears weight.

    A flat foot does not swivel on the floor: through each run of heel contact it keeps the
    orientation it had when the run began, and afterwards it returns to the interpolated one
    over ``BLEND_FRAMES`` frames.
    """
    out = foot_world.copy()
    frames = np.nonzero(heel)[0]
    if len(frames) == 0:
        return out
    starts = frames[np.concatenate([[True], np.diff(frames) != 1])]
    ends = frames[np.concatenate([np.diff(frames) != 1, [True]])]
    for start, end in zip(starts, ends, strict=True):
        out[start:end + 1] = foot_world[start]
        after = np.arange(end + 1, min(end + 1 + BLEND_FRAMES, len(out)))
        if len(after):
            held = Rotation.from_quat(np.repeat(foot_world[start][None], len(after), axis=0))
            goal = Rotation.from_quat(foot_world[after])
            weight = (np.arange(1, len(after) + 1) / (BLEND_FRAMES + 1))[:, None]
            delta = (held.inv() * goal).as_rotvec() * weight
            out[after] = (held * Rotation.from_rotvec(delta)).as_quat()
    return out


def _unit_rows(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
