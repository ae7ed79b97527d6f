"""The skeleton: SMPL's 24 joints, their rest offsets scaled to a dancer's height, and FK.

Conventions
-----------
- Joint names, order and parents are SMPL's, so motion can be written in the layout of the
  dance-generation literature (AIST++, EDGE).
- Metres; right-handed, Y up; the figure in rest pose stands en face, facing +Z (toward the
  audience), so its left side is at +X. Rest pose is SMPL's T-pose (arms out along ±X).
- Rest offsets are the SMPL neutral template's joint positions (rounded to the millimetre and made
  left/right symmetric), for a figure of ``REFERENCE_HEIGHT_M``; a dancer of another height scales
  them uniformly.
- Rotations in code are ``scipy.spatial.transform.Rotation`` or quaternion arrays
  ``(frames, joints, 4)`` in scipy's (x, y, z, w) order; local rotations are relative to the
  parent joint's frame, applied at the joint.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

JOINTS: tuple[str, ...] = (
    "pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2",
    "left_ankle", "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar",
    "right_collar", "head", "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
    "left_wrist", "right_wrist", "left_hand", "right_hand",
)
PARENTS: tuple[int, ...] = (
    -1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21,
)
N_JOINTS = len(JOINTS)
INDEX = {name: i for i, name in enumerate(JOINTS)}

REFERENCE_HEIGHT_M = 1.65
DEFAULT_HEIGHT_M = 1.65

# World positions of the joints in rest pose for the reference figure, pelvis-relative (SMPL
# neutral template, symmetrised). The soles are SOLE_BELOW_PELVIS_M below the pelvis.
_REST_POSITIONS = {
    "pelvis": (0.0, 0.0, 0.0),
    "left_hip": (0.069, -0.091, -0.005),
    "spine1": (0.0, 0.114, -0.026),
    "left_knee": (0.105, -0.470, -0.012),
    "spine2": (0.0, 0.248, -0.026),
    "left_ankle": (0.090, -0.868, -0.058),
    "spine3": (0.0, 0.304, 0.000),
    "left_foot": (0.119, -0.920, 0.066),
    "neck": (0.0, 0.511, -0.038),
    "left_collar": (0.079, 0.425, -0.031),
    "head": (0.0, 0.582, 0.017),
    "left_shoulder": (0.172, 0.459, -0.043),
    "left_elbow": (0.419, 0.447, -0.062),
    "left_wrist": (0.676, 0.457, -0.065),
    "left_hand": (0.760, 0.449, -0.074),
}
SOLE_BELOW_PELVIS_M = 0.945  # from the pelvis down to the floor under the rest-pose feet
HEAD_TOP_ABOVE_PELVIS_M = 0.705  # so the reference figure is 1.65 m tall


def _rest_positions() -> np.ndarray:
    out = np.zeros((N_JOINTS, 3))
    for name, (x, y, z) in _REST_POSITIONS.items():
        out[INDEX[name]] = (x, y, z)
        if name.startswith("left_"):
            out[INDEX["right_" + name[5:]]] = (-x, y, z)
    return out


@dataclass(frozen=True)
class Skeleton:
    """A dancer's skeleton: rest offsets of every joint from its parent, for one height."""

    height_m: float
    offsets: np.ndarray  # (24, 3) metres, each joint's rest offset in its parent's frame

    @property
    def pelvis_height_m(self) -> float:
        """Height of the pelvis above the floor when standing in rest pose."""
        return SOLE_BELOW_PELVIS_M * self.height_m / REFERENCE_HEIGHT_M

    def rest_positions(self) -> np.ndarray:
        """World positions in rest pose, standing on the floor at the origin."""
        # Forward kinematics with every rotation the identity: each joint is its parent plus
        # its offset, added in the same order as ``posed`` adds them.
        positions = np.zeros((N_JOINTS, 3))
        for j, parent in enumerate(PARENTS):
            positions[j] = (np.array([0.0, self.pelvis_height_m, 0.0]) if parent < 0
                            else positions[parent] + self.offsets[j])
        return positions


@functools.lru_cache(maxsize=64)
def skeleton(height_m: float = DEFAULT_HEIGHT_M) -> Skeleton:
    """The SMPL skeleton scaled to ``height_m`` (1.2 to 2.2 m); the same (frozen) object for the
    same height."""
    if not 1.2 <= float(height_m) <= 2.2:
        raise ValueError(f"height_m must be between 1.2 and 2.2 metres (not {height_m!r}; "
                         "did you give centimetres?)")
    rest = _rest_positions() * (float(height_m) / REFERENCE_HEIGHT_M)
    offsets = np.zeros_like(rest)
    for j, parent in enumerate(PARENTS):
        offsets[j] = rest[j] - (rest[parent] if parent >= 0 else 0.0)
    offsets.setflags(write=False)
    return Skeleton(float(height_m), offsets)


def identity_rotations(frames: int) -> np.ndarray:
    """Quaternions (frames, 24, 4) of the rest pose."""
    quats = np.zeros((frames, N_JOINTS, 4))
    quats[..., 3] = 1.0
    return quats


def forward_kinematics(body: Skeleton, local_quats: np.ndarray, root_positions: np.ndarray
                       ) -> np.ndarray:
    """World joint positions (frames, 24, 3) from local rotations and the pelvis path.

    ``local_quats`` (frames, 24, 4) in scipy (x, y, z, w) order; ``root_positions`` (frames, 3)
    is where the pelvis is in the world.
    """
    return posed(body, local_quats, root_positions)[0]


def posed(body: Skeleton, local_quats: np.ndarray, root_positions: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray]:
    """World joint positions (frames, 24, 3) and world rotations (frames, 24, 4), one pass."""
    local_quats = np.asarray(local_quats, dtype=float)
    root_positions = np.asarray(root_positions, dtype=float)
    frames = local_quats.shape[0]
    if local_quats.shape != (frames, N_JOINTS, 4):
        raise ValueError(f"local_quats must have shape (frames, {N_JOINTS}, 4), "
                         f"not {local_quats.shape}")
    if root_positions.shape != (frames, 3):
        raise ValueError(f"root_positions must have shape ({frames}, 3), "
                         f"not {root_positions.shape}")
    positions = np.zeros((frames, N_JOINTS, 3))
    quats = np.zeros((frames, N_JOINTS, 4))
    norms = np.linalg.norm(local_quats, axis=2, keepdims=True)
    local_quats = local_quats / np.where(norms > 0, norms, 1.0)
    for j, parent in enumerate(PARENTS):
        if parent < 0:
            quats[:, j] = local_quats[:, j]
            positions[:, j] = root_positions
        else:
            quats[:, j] = quat_multiply(quats[:, parent], local_quats[:, j])
            positions[:, j] = positions[:, parent] + quat_rotate(quats[:, parent],
                                                                 body.offsets[j])
    return positions, quats


def quat_multiply(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Hamilton products p·q of (n, 4) scipy-order (x, y, z, w) quaternions: q applied first,
    as ``Rotation.from_quat(p) * Rotation.from_quat(q)``."""
    px, py, pz, pw = p[:, 0], p[:, 1], p[:, 2], p[:, 3]
    qx, qy, qz, qw = q[:, 0], q[:, 1], q[:, 2], q[:, 3]
    out = np.empty((max(len(p), len(q)), 4))
    out[:, 0] = pw * qx + px * qw + py * qz - pz * qy
    out[:, 1] = pw * qy - px * qz + py * qw + pz * qx
    out[:, 2] = pw * qz + px * qy - py * qx + pz * qw
    out[:, 3] = pw * qw - px * qx - py * qy - pz * qz
    return out


def quat_rotate(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rotate vector(s) ``v`` (3,) or (n, 3) by unit quaternions ``q`` (n, 4):
    v + 2w(u×v) + 2u×(u×v), component by component."""
    v = np.asarray(v, dtype=float)
    ux, uy, uz, w = q[:, 0], q[:, 1], q[:, 2], q[:, 3]
    vx, vy, vz = (v[0], v[1], v[2]) if v.ndim == 1 else (v[:, 0], v[:, 1], v[:, 2])
    tx = 2.0 * (uy * vz - uz * vy)
    ty = 2.0 * (uz * vx - ux * vz)
    tz = 2.0 * (ux * vy - uy * vx)
    out = np.empty((len(q), 3))
    out[:, 0] = vx + w * tx + (uy * tz - uz * ty)
    out[:, 1] = vy + w * ty + (uz * tx - ux * tz)
    out[:, 2] = vz + w * tz + (ux * ty - uy * tx)
    return out


def world_rotations(local_quats: np.ndarray) -> np.ndarray:
    """World orientation quaternions (frames, 24, 4) of every joint."""
    local_quats = np.asarray(local_quats, dtype=float)
    world: list[Rotation] = [None] * N_JOINTS  # type: ignore[list-item]
    out = np.zeros_like(local_quats)
    for j, parent in enumerate(PARENTS):
        local = Rotation.from_quat(local_quats[:, j])
        world[j] = local if parent < 0 else world[parent] * local
        out[:, j] = world[j].as_quat()
    return out
