"""Human joint limits: what a trained dancer's joints can do, checked on motion.

Conventions: angles in degrees. Knees and elbows are hinges: their flexion is measured between
the two bones (0 = straight) and must lie in ``HINGES``; a knee must not bend the wrong way (the
shin swinging in front of the thigh's line), which shows as negative flexion in the thigh's
own frame (see ``knee_flexion_deg``). Limits are generous for trained dancers and strict for
impossibilities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

from pointe.body.skeleton import INDEX, skeleton, world_rotations

HINGES = {  # joint: (parent joint, child joint, max flexion degrees)
    "left_knee": ("left_hip", "left_ankle", 165.0),
    "right_knee": ("right_hip", "right_ankle", 165.0),
    "left_elbow": ("left_shoulder", "left_wrist", 155.0),
    "right_elbow": ("right_shoulder", "right_wrist", 155.0),
}
KNEE_HYPEREXTENSION_DEG = 8.0


@dataclass(frozen=True)
class Violation:
    joint: str
    frames: tuple[int, ...]
    worst_deg: float
    problem: str


def check(joints: np.ndarray, rotations: np.ndarray) -> tuple[Violation, ...]:
    """Every joint-limit violation: joints (frames, 24, 3), rotations (frames, 24, 4)."""
    found: list[Violation] = []
    for name, (parent, child, limit) in HINGES.items():
        upper = joints[:, INDEX[name]] - joints[:, INDEX[parent]]
        lower = joints[:, INDEX[child]] - joints[:, INDEX[name]]
        cosine = np.sum(upper * lower, axis=1) / (
            np.linalg.norm(upper, axis=1) * np.linalg.norm(lower, axis=1) + 1e-12)
        flexion = np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0)))
        bad = np.nonzero(flexion > limit)[0]
        if len(bad):
            found.append(Violation(name, tuple(int(f) for f in bad), float(flexion[bad].max()),
                                   f"bends more than {limit:.0f}°"))
    world = world_rotations(rotations)
    for side in ("left", "right"):
        knee = f"{side}_knee"
        bend = knee_flexion_deg(joints, world, side)
        bad = np.nonzero(bend < -KNEE_HYPEREXTENSION_DEG)[0]
        if len(bad):
            found.append(Violation(knee, tuple(int(f) for f in bad), float(-bend[bad].min()),
                                   "bends backwards"))
    return tuple(found)


def knee_flexion_deg(joints: np.ndarray, world: np.ndarray, side: str) -> np.ndarray:
    """Signed knee flexion per frame: positive when the shin swings behind the thigh's line (a
    knee bending as knees do), negative when it swings in front (hyperextension). Measured in the
    thigh's own frame, so twist about the bones does not count."""
    hip, knee, ankle = (INDEX[f"{side}_{j}"] for j in ("hip", "knee", "ankle"))
    shin = joints[:, ankle] - joints[:, knee]
    local = Rotation.from_quat(world[:, hip]).inv().apply(shin)
    rest = np.array(skeleton().offsets[ankle])  # a direction: the same at every height
    angle = np.arctan2(-local[:, 2], -local[:, 1]) - np.arctan2(-rest[2], -rest[1])
    return np.degrees(angle)

