"""Feet on the floor: what keeps a synthesised dancer standing, not skating or sinking.

Conventions
-----------
- A weight-bearing foot bears weight at a point: the heel (the ankle joint), or the ball of the
  foot rolling onto the tips of the toes as the foot rises to pointe (``toe_roll``).
- In a step that stays in place, each planted foot keeps that point where its contact began
  (two-bone IK per frame, the knee bending where the kneecap points); in every step the heel may
  rise but the ball and the toes stay on or above the floor, the pelvis coming down where a
  planted foot is out of reach. A flat foot does not swivel: its orientation is held while its
  heel bears weight and blends back afterwards.
- A foot that bears no weight never goes through the floor: the whole leg is lifted about the hip
  just enough (``floor_guard``).
- Metres, Y up, frames at the Motion's rate; quaternions in scipy (x, y, z, w) order.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from pointe.body.positions import TOE_M
from pointe.body.skeleton import INDEX, posed

CLEARANCE_M = 0.0005  # weight-bearing toes stay this far above the floor (round-off margin)


def pin_planted_legs(body, rotations: np.ndarray, root: np.ndarray, contacts: np.ndarray,
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


def floor_guard(body, rotations: np.ndarray, root: np.ndarray, contacts: np.ndarray
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


def _arc(u: np.ndarray, v: np.ndarray) -> Rotation:
    """Minimal rotations taking unit vectors ``u`` onto ``v`` (row by row)."""
    axis = np.cross(u, v)
    sine = np.linalg.norm(axis, axis=1)
    angle = np.arctan2(sine, np.sum(u * v, axis=1))
    safe = np.where(sine[:, None] > 1e-12, axis / np.maximum(sine, 1e-12)[:, None], 0.0)
    return Rotation.from_rotvec(safe * angle[:, None])
