"""NPZ export in the AIST++/EDGE layout, so research tools can score pointe's dances.

Keys: ``smpl_poses`` (frames × 72: 24 SMPL joints × axis-angle in radians, SMPL order, local
rotations), ``smpl_trans`` (frames × 3, pelvis position in metres), ``fps`` (scalar), and
``joints`` (frames × 24 × 3 world positions in metres, Y up, after forward kinematics with the
dancer's skeleton). Axes are pointe's (Y up, audience at +Z); AIST++ is also Y up.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.spatial.transform import Rotation

from pointe.body.skeleton import N_JOINTS
from pointe.fileio import npz_bytes, write_bytes
from pointe.motion.performance import Motion


def arrays(motion: Motion) -> dict[str, np.ndarray]:
    rotvec = Rotation.from_quat(np.asarray(motion.rotations, float).reshape(-1, 4)).as_rotvec()
    return {
        "smpl_poses": rotvec.reshape(motion.frames, N_JOINTS * 3).astype(np.float32),
        "smpl_trans": np.asarray(motion.root_m, np.float32),
        "fps": np.array(motion.fps, dtype=np.float32),
        "joints": motion.joints().astype(np.float32),
    }


def write(motion: Motion, path: str | Path) -> None:
    """Write ``motion`` in the AIST++/EDGE NPZ layout to ``path`` (atomically)."""
    write_bytes(path, npz_bytes(arrays(motion)))
