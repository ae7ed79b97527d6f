"""Join networks exported by ``train.py`` into the ensemble file pointe ships.

    python training/ensemble.py MEMBER [MEMBER …] --out src/pointe/music/beatnet.npz

A MEMBER is a file of one network as ``train.py`` exports it (schema ``pointe.beatnet/1``), or
``ENSEMBLE.npz:I``, the I-th network of an ensemble file (``src/pointe/music/beatnet.npz:0`` keeps
the shipped first network while the others are retrained). The ensemble (``pointe.beatnet/2``)
keeps every member's arrays under the prefix ``m<i>_`` and its record in ``meta["members"]``;
``pointe.music.beatnet`` averages their probabilities.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from pointe.music.beatnet import NETWORK_SCHEMA, SCHEMA

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src" / "pointe" / "music" / "beatnet.npz"


def read_member(spec: str) -> tuple[dict, dict[str, np.ndarray]]:
    """(meta, arrays) of one network: a file of one, or ``ENSEMBLE.npz:I``."""
    path, colon, index = spec.rpartition(":")
    if not (colon and index.isdigit()):
        path, index = spec, ""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        if index:
            if meta.get("schema") != SCHEMA or int(index) >= len(meta["members"]):
                raise SystemExit(f"{path}: no network {index} in it")
            prefix = f"m{index}_"
            return meta["members"][int(index)], {key[len(prefix):]: data[key]
                                                 for key in data.files if key.startswith(prefix)}
        if meta.get("schema") != NETWORK_SCHEMA:
            raise SystemExit(f"{path}: not one network as train.py exports it "
                             f"(schema {meta.get('schema')!r}); name one with {path}:0")
        return meta, {key: data[key] for key in data.files if key != "meta"}


def join(members: list[str], out: Path) -> dict:
    """Write the ensemble of ``members`` to ``out``; returns its meta."""
    arrays: dict[str, np.ndarray] = {}
    metas = []
    for i, spec in enumerate(members):
        meta, weights = read_member(str(spec))
        arrays.update({f"m{i}_{key}": value for key, value in weights.items()})
        metas.append(meta)
    licences = {m["licence"] for m in metas}
    meta = {"schema": SCHEMA, "outputs": metas[0]["outputs"],
            "licence": licences.pop() if len(licences) == 1 else sorted(licences),
            "members": metas}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez(tmp, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)
    tmp.replace(out)
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("members", nargs="+", help="FILE.npz or ENSEMBLE.npz:I")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    meta = join(args.members, args.out)
    print(f"{len(meta['members'])} networks joined in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
