"""Score captured dance with the metrics pointe scores its own motion with, as a reference.

    python benchmarks/reference.py [--folder DIR] [FILE.bvh ...]

The default clips are two dance takes of subject 5 of the CMU Graphics Lab Motion Capture
Database (``05_03.bvh``, ``05_16.bvh``, the BVH conversion at 120 frames a second, in units of
0.056444 m: inches / 0.45, as those conversions scale them); the folder is ``POINTE_REFERENCE`` or
``../shared/reference/cmu-mocap`` beside the repository. BVH files are read with bvhio (the test
extra). The joints the metrics need are mapped by name: Hips → pelvis, LeftFoot/RightFoot →
ankles, LeftToeBase/RightToeBase → toes (``pointe.motion.metrics`` reads joints 0, 7, 8, 10, 11
of the SMPL order and nothing else).

Printed, per clip: frames, seconds, EDGE's PFC, LODGE's foot-skating ratio and contact time with
the toes of the first frame as the floor (as LODGE grounds its data: meaningless for a take that
starts on half-toe, whose "contact" then lasts a few frames) and with the capture's own floor
(y = 0), the pelvis's vertical range and its mean horizontal speed, as JSON (``schema``
"pointe.bench.reference/1"). pointe's own figures for the same metrics come from
``benchmarks/compose.py`` (composed solos) and ``benchmarks/motion.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

from pointe.body.skeleton import INDEX, N_JOINTS
from pointe.motion import metrics

UNIT_M = 0.0254 / 0.45  # CMU BVH units: inches / 0.45
CLIPS = ("05_03.bvh", "05_16.bvh")
MAPPING = {"pelvis": "Hips", "left_ankle": "LeftFoot", "right_ankle": "RightFoot",
           "left_foot": "LeftToeBase", "right_foot": "RightToeBase"}


def default_folder() -> Path:
    here = Path(__file__).resolve().parent.parent
    return Path(os.environ.get("POINTE_REFERENCE", here.parent / "shared" / "reference"
                               / "cmu-mocap"))


def joints_of(path: Path) -> tuple[np.ndarray, float]:
    """(frames, 24, 3) metres, Y up, with the mapped joints filled (the rest at the pelvis)."""
    import bvhio

    bvh = bvhio.readAsBvh(str(path))
    hierarchy = bvhio.readAsHierarchy(str(path))
    out = np.zeros((bvh.FrameCount, N_JOINTS, 3))
    for frame in range(bvh.FrameCount):
        found = {j.Name: np.array(j.PositionWorld) for j, _, _ in
                 hierarchy.loadPose(frame).layout()}
        out[frame, :] = found[MAPPING["pelvis"]]
        for ours, theirs in MAPPING.items():
            out[frame, INDEX[ours]] = found[theirs]
    return out * UNIT_M, 1.0 / bvh.FrameTime


def score(path: Path) -> dict:
    joints, fps = joints_of(path)
    pelvis = joints[:, INDEX["pelvis"]]
    step = np.linalg.norm(np.diff(pelvis[:, [0, 2]], axis=0), axis=1)
    lodge = metrics.foot_skating(joints, fps=fps)
    floor = metrics.foot_skating(joints, fps=fps, ground="floor")
    return {"clip": path.name, "frames": len(joints), "fps": round(fps, 3),
            "seconds": round(len(joints) / fps, 2),
            "pfc": round(metrics.pfc(joints, fps=fps), 4),
            "lodge_skating_ratio": round(float(lodge.ratio), 4),
            "lodge_contact_s": round(float(lodge.contact_s), 3),
            "floor_skating_ratio": round(float(floor.ratio), 4),
            "floor_contact_s": round(float(floor.contact_s), 3),
            "pelvis_rise_m": round(float(pelvis[:, 1].max() - pelvis[:, 1].min()), 3),
            "pelvis_speed_m_s": round(float(step.mean() * fps), 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="BVH files (default: the CMU clips)")
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args(argv)
    folder = args.folder or default_folder()
    files = args.files or [folder / name for name in CLIPS]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        print(f"missing: {', '.join(missing)} (give BVH files, --folder, or POINTE_REFERENCE)",
              file=sys.stderr)
        return 2
    clips = [score(f) for f in files]
    print(json.dumps({"schema": "pointe.bench.reference/1", "unit_m": UNIT_M, "clips": clips},
                     indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
