"""Blender's own BVH importer reads pointe's BVH back to pointe's joint positions.

    python benchmarks/blender_bvh.py --blender-python PATH [--minutes 1] [--seed 0]

PATH is a Python that has Blender as a module (``pip install bpy``, in an environment of its
own: Blender is GPL and never part of pointe's install). Writes a random solo of the bundled
library (jumps, turns and floor work among its steps) as BVH, imports it with
``bpy.ops.import_anim.bvh`` (benchmarks/blender_import_bvh.py), and compares every bone's head
at every frame with pointe's forward kinematics, turned into Blender's Z up. Prints JSON: the
largest and mean distance in millimetres, and the frames and joints compared.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from motion import random_solo
from pointe.body.skeleton import JOINTS
from pointe.export import bvh
from pointe.motion.synthesis import perform_steps

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blender-python", type=Path, required=True,
                        help="a Python with the bpy module")
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    motion = perform_steps(random_solo(args.minutes, args.seed), dancer="solo")
    joints = motion.joints()  # (frames, 24, 3), Y up
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "solo.bvh", Path(folder) / "heads.npz"
        bvh.write(motion, source)
        run = subprocess.run([str(args.blender_python), str(HERE / "blender_import_bvh.py"),
                              str(source), str(target)], capture_output=True, text=True,
                             check=False)
        if run.returncode != 0:
            print(run.stderr[-2000:], file=sys.stderr)
            return run.returncode
        read = np.load(target)
        names, heads = [str(n) for n in read["names"]], read["heads"]
        fps = float(read["fps"])
    order = [names.index(name) for name in JOINTS]
    blender = heads[:, order]
    ours = np.stack([joints[..., 0], -joints[..., 2], joints[..., 1]], axis=-1)  # Y up → Z up
    frames = min(len(blender), len(ours))
    distance = np.linalg.norm(blender[:frames] - ours[:frames], axis=-1)
    print(json.dumps({
        "frames": frames, "frames_written": len(ours), "joints": len(JOINTS),
        "fps_in_blender": fps, "max_mm": round(float(distance.max()) * 1000, 4),
        "mean_mm": round(float(distance.mean()) * 1000, 4),
    }, indent=2))
    return 0 if distance.max() < 1e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
