"""BVH export: one dancer's Motion as a Biovision hierarchy that Blender and others open.

Conventions
-----------
- Joint names are SMPL's (``pelvis`` is the root); offsets are the dancer's rest offsets in
  metres (Blender's importer at scale 1.0 gives a figure of the dancer's height), Y up.
- Channels: the root has ``Xposition Yposition Zposition Zrotation Xrotation Yrotation``, every
  other joint ``Zrotation Xrotation Yrotation``; angles in degrees. The rotation of a joint is
  Rz·Rx·Ry in that channel order (intrinsic), converted by scipy (``as_euler("ZXY")``), never by
  hand. Leaf joints (head, hands, feet) end in an ``End Site``.
- Numbers are written with fixed precision (6 decimals), so the same motion gives the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from scipy.spatial.transform import Rotation

from pointe.body.skeleton import JOINTS, N_JOINTS, PARENTS
from pointe.fileio import write_text
from pointe.motion.performance import Motion

EULER = "ZXY"
CHANNELS_ROOT = "CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation"
CHANNELS_JOINT = "CHANNELS 3 Zrotation Xrotation Yrotation"
END_SITE_M = {"head": (0.0, 0.10, 0.0), "left_hand": (0.08, 0.0, 0.0),
              "right_hand": (-0.08, 0.0, 0.0), "left_foot": (0.0, -0.02, 0.06),
              "right_foot": (0.0, -0.02, 0.06)}


def children_of(joint: int) -> list[int]:
    return [j for j, parent in enumerate(PARENTS) if parent == joint]


def render(motion: Motion) -> str:
    """The BVH text of ``motion``."""
    out = io.StringIO()
    offsets = motion.body.offsets
    scale = motion.height_m / 1.65
    out.write("HIERARCHY\n")
    order: list[int] = []

    def joint(j: int, depth: int) -> None:
        pad = "\t" * depth
        order.append(j)
        keyword = "ROOT" if PARENTS[j] < 0 else "JOINT"
        offset = (0.0, 0.0, 0.0) if PARENTS[j] < 0 else offsets[j]
        out.write(f"{pad}{keyword} {JOINTS[j]}\n{pad}{{\n")
        out.write(f"{pad}\tOFFSET {_f(offset[0])} {_f(offset[1])} {_f(offset[2])}\n")
        out.write(f"{pad}\t{CHANNELS_ROOT if PARENTS[j] < 0 else CHANNELS_JOINT}\n")
        kids = children_of(j)
        for child in kids:
            joint(child, depth + 1)
        if not kids:
            end = np.array(END_SITE_M[JOINTS[j]]) * scale
            out.write(f"{pad}\tEnd Site\n{pad}\t{{\n")
            out.write(f"{pad}\t\tOFFSET {_f(end[0])} {_f(end[1])} {_f(end[2])}\n{pad}\t}}\n")
        out.write(f"{pad}}}\n")

    joint(0, 0)
    out.write(f"MOTION\nFrames: {motion.frames}\nFrame Time: {1.0 / motion.fps:.8f}\n")
    flat = np.asarray(motion.rotations, float).reshape(-1, 4)
    angles = Rotation.from_quat(flat).as_euler(EULER, degrees=True)
    angles = angles.reshape(motion.frames, N_JOINTS, 3)[:, order]
    values = np.concatenate([motion.root_m, angles.reshape(motion.frames, -1)], axis=1)
    values = np.where(np.abs(values) < 5e-7, 0.0, values)  # no "-0.000000"
    for row in values:
        out.write(" ".join(_f(v) for v in row) + "\n")
    return out.getvalue()


def write(motion: Motion, path: str | Path) -> None:
    """Write ``motion`` as BVH to ``path`` (atomically)."""
    write_text(path, render(motion))


def _f(value: float) -> str:
    return f"{float(value):.6f}"
