"""Check pointe's glTF against the Khronos glTF-Validator.

    make validate-gltf          (installs the validator from npm into build/, then runs this)
    python benchmarks/gltf_validator.py --modules build/gltf-validator/node_modules

Writes a random 3-minute solo of the bundled library (jumps, turns and floor work among its
steps; the same seed gives the same solo) as a binary glTF and runs the official validator on
it with Node; prints JSON: the validator's counts of errors, warnings, infos and hints, and its
first messages. Exits non-zero if it reports an error.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from motion import random_solo
from pointe.export import gltf
from pointe.motion.synthesis import perform_steps

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=Path, required=True,
                        help="the node_modules folder that holds gltf-validator")
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    motion = perform_steps(random_solo(args.minutes, args.seed), dancer="solo")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "solo.glb"
        gltf.write(motion, path)
        run = subprocess.run(
            ["node", str(HERE / "gltf_validate.mjs"), str(path)], capture_output=True,
            text=True, env={**os.environ, "GLTF_VALIDATOR_MODULES": str(args.modules.resolve())},
            check=False)
    if run.returncode != 0:
        print(run.stderr, file=sys.stderr)
        return run.returncode
    report = json.loads(run.stdout.strip().splitlines()[-1])
    report["file"] = f"random {args.minutes:g}-minute solo, seed {args.seed}"
    report["frames"] = len(motion.root_m)
    print(json.dumps(report, indent=2))
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
