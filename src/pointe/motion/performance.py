"""The Performance: how each dancer moves, frame by frame.

Conventions
-----------
- One ``Motion`` per dancer at a fixed ``fps``: the pelvis path ``root_m`` (frames, 3) in world
  metres (Y up, audience at +Z, origin at the centre of the stage floor) and local joint
  rotations ``rotations`` (frames, 24, 4) as scipy (x, y, z, w) quaternions in SMPL joint order.
- ``contacts`` (frames, 4) says which part of each foot bears weight: left heel (ankle), left
  toe, right heel, right toe.
- Stored as NPZ arrays plus a JSON header (``save``/``load``), written atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pointe.body.skeleton import N_JOINTS, Skeleton, forward_kinematics, skeleton
from pointe.errors import DocumentError

SCHEMA = "pointe.performance/1"
CONTACT_PARTS = ("left_heel", "left_toe", "right_heel", "right_toe")


@dataclass(frozen=True)
class Motion:
    dancer: str
    height_m: float
    fps: float
    root_m: np.ndarray  # (frames, 3)
    rotations: np.ndarray  # (frames, 24, 4)
    contacts: np.ndarray  # (frames, 4) bool

    def __post_init__(self) -> None:
        frames = len(self.root_m)
        if self.fps <= 0:
            raise ValueError(f"fps must be positive (not {self.fps})")
        if np.shape(self.root_m) != (frames, 3):
            raise ValueError(f"root_m must have shape (frames, 3), not {np.shape(self.root_m)}")
        if np.shape(self.rotations) != (frames, N_JOINTS, 4):
            raise ValueError(f"rotations must have shape ({frames}, {N_JOINTS}, 4), "
                             f"not {np.shape(self.rotations)}")
        if np.shape(self.contacts) != (frames, len(CONTACT_PARTS)):
            raise ValueError(f"contacts must have shape ({frames}, 4), "
                             f"not {np.shape(self.contacts)}")

    @property
    def frames(self) -> int:
        return len(self.root_m)

    @property
    def duration_s(self) -> float:
        return self.frames / self.fps

    @property
    def body(self) -> Skeleton:
        return skeleton(self.height_m)

    def joints(self) -> np.ndarray:
        """World joint positions (frames, 24, 3) in metres."""
        return forward_kinematics(self.body, self.rotations, self.root_m)


@dataclass(frozen=True)
class Performance:
    fps: float
    motions: tuple[Motion, ...]

    def save(self, path: str | Path) -> None:
        """One NPZ holding every dancer's arrays and a JSON header."""
        from pointe.fileio import npz_bytes, write_bytes

        header = {"schema": SCHEMA, "fps": self.fps,
                  "dancers": [{"name": m.dancer, "height_m": m.height_m, "frames": m.frames}
                              for m in self.motions]}
        arrays: dict[str, np.ndarray] = {"header": np.array(json.dumps(header, sort_keys=True))}
        for i, m in enumerate(self.motions):
            arrays[f"d{i}_root_m"] = m.root_m.astype(np.float64)
            arrays[f"d{i}_rotations"] = m.rotations.astype(np.float64)
            arrays[f"d{i}_contacts"] = m.contacts.astype(bool)
        write_bytes(path, npz_bytes(arrays, compress=True))

    @classmethod
    def load(cls, path: str | Path) -> Performance:
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(str(data["header"]))
                if header.get("schema") != SCHEMA:
                    raise DocumentError(path, "header", f"unknown schema {header.get('schema')!r}",
                                        f"this pointe reads {SCHEMA!r}")
                motions = tuple(
                    Motion(d["name"], float(d["height_m"]), float(header["fps"]),
                           data[f"d{i}_root_m"], data[f"d{i}_rotations"],
                           data[f"d{i}_contacts"])
                    for i, d in enumerate(header["dancers"])
                )
        except (OSError, ValueError, KeyError) as err:
            raise DocumentError(path, "", f"not a pointe performance ({err})",
                                "write it again with pointe") from err
        return cls(float(header["fps"]), motions)
