"""pointe's beat and downbeat network, run in numpy: frames in, four probabilities per frame out.

The weights (``beatnet.npz``, MIT, trained by ``training/train.py`` on audio rendered from
music21's public-domain corpus) sit beside this module. The arithmetic is the network's forward
pass exactly (see ``training/train.py``): a stem convolution, dilated residual blocks, a 1×1 head,
ELU between; convolutions are matrix products over shifted copies of the frames.

The shipped file holds an ensemble (schema ``pointe.beatnet/2``): networks of the same design
trained on different data or seeds (``training/ensemble.py`` joins them), whose probabilities are
averaged. A file of one network as ``training/train.py`` exports it (``pointe.beatnet/1``) loads
as an ensemble of one.

Conventions: frames as ``pointe.music.features`` computes them (``Features.logmel``, ~86 a
second); the answer is ``(frames, outputs)``: P(beat), P(downbeat), P(middle of a beat in simple
time), P(a third of a beat in compound time) per frame (``meta["outputs"]`` names them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from pointe.errors import MusicError

WEIGHTS = "beatnet.npz"
SCHEMA = "pointe.beatnet/2"  # an ensemble: ``meta["members"]``, arrays prefixed "m0_", "m1_" …
NETWORK_SCHEMA = "pointe.beatnet/1"  # one network, as training/train.py exports it
CHUNK = 8192  # frames per matrix product
WINDOW = 32768  # frames run at once (about 6 minutes), plus the network's reach either side
OUTPUTS = ("beats", "downbeats", "halves", "thirds")
FIX = "reinstall pointe (pip install --force-reinstall pointe), or retrain it with " \
      "training/train.py"


@dataclass(frozen=True)
class Network:
    arrays: dict[str, np.ndarray]
    meta: dict

    @property
    def blocks(self) -> int:
        return int(self.meta["blocks"])

    @property
    def receptive_field(self) -> int:
        """Frames either side of a frame that reach its answer."""
        kernel = int(self.meta["kernel"])
        return 1 + sum((kernel - 1) // 2 * 2**i for i in range(self.blocks))


@dataclass(frozen=True)
class Model:
    members: tuple[Network, ...]
    meta: dict

    @property
    def receptive_field(self) -> int:
        return max(member.receptive_field for member in self.members)


def weights_path() -> Path:
    return Path(str(resources.files("pointe.music") / WEIGHTS))


@lru_cache(maxsize=2)
def load(path: str | None = None) -> Model:
    """The network's weights, checked; a clear error when the file is missing or broken."""
    where = Path(path) if path else weights_path()
    if not where.exists():
        raise MusicError(where, "the beat network's weights file is missing", FIX)
    try:
        with np.load(where, allow_pickle=False) as data:
            arrays = {key: np.asarray(data[key]) for key in data.files}
        meta = json.loads(str(arrays.pop("meta")))
    except Exception as err:  # a truncated zip, a bad header, bad JSON: all mean a broken file
        raise MusicError(where, f"the beat network's weights cannot be read ({err})", FIX) \
            from None
    if meta.get("schema") == NETWORK_SCHEMA:
        return Model((_network(where, arrays, meta, ""),), meta)
    if meta.get("schema") != SCHEMA:
        raise MusicError(where, f"weights of schema {meta.get('schema')!r}, not {SCHEMA}", FIX)
    members = meta.get("members") or []
    if not members:
        raise MusicError(where, "the weights file names no networks", FIX)
    return Model(tuple(_network(where, arrays, member, f"m{i}_")
                       for i, member in enumerate(members)), meta)


def _network(where: Path, arrays: dict, meta: dict, prefix: str) -> Network:
    """One network's arrays (named ``prefix`` + layer), checked."""
    needed = ["mean", "std", "stem_w", "stem_b", "head_w", "head_b"]
    for i in range(int(meta.get("blocks", 0))):
        needed += [f"dil{i}_w", f"dil{i}_b", f"mix{i}_w", f"mix{i}_b"]
    missing = [prefix + key for key in needed if prefix + key not in arrays]
    if missing:
        raise MusicError(where, f"the weights file lacks {', '.join(missing[:4])}", FIX)
    head_b = arrays[prefix + "head_b"]
    if head_b.shape != (len(OUTPUTS),):
        raise MusicError(where, f"the network answers {head_b.shape[0]} things a frame, "
                         f"not {len(OUTPUTS)} ({', '.join(OUTPUTS)})", FIX)
    return Network({key: arrays[prefix + key].astype(np.float32) for key in needed}, meta)


def activations(logmel: np.ndarray, model: Model | None = None) -> np.ndarray:
    """(frames, outputs) probabilities: beat, downbeat, half-beat, third-beat at each frame.

    The mean of the ensemble's networks. Long pieces are run ``WINDOW`` frames at a time, each
    with the network's whole reach of music either side, so memory stays flat with length and
    the answer is the same.
    """
    model = model or load()
    n = len(logmel)
    out = np.zeros((n, len(OUTPUTS)), np.float32)
    for network in model.members:
        reach = network.receptive_field
        for start in range(0, n, WINDOW):
            stop = min(n, start + WINDOW)
            lo, hi = max(0, start - reach), min(n, stop + reach)
            out[start:stop] += _forward(logmel, lo, hi, network)[start - lo:stop - lo]
    return out / len(model.members)


def _forward(logmel: np.ndarray, lo: int, hi: int, network: Network) -> np.ndarray:
    """The network on frames ``lo:hi`` (the frame before feeds the first difference)."""
    frames = np.asarray(logmel[max(0, lo - 1):hi], dtype=np.float32)
    rise = np.maximum(np.diff(frames, axis=0, prepend=frames[:1]), 0.0)
    if lo > 0:
        frames, rise = frames[1:], rise[1:]
    a = network.arrays
    x = ((np.concatenate([frames, rise], axis=1) - a["mean"]) / a["std"]).T  # (128, frames)
    x = _elu(_conv(x, a["stem_w"], a["stem_b"], dilation=1))
    for i in range(network.blocks):
        y = _elu(_conv(x, a[f"dil{i}_w"], a[f"dil{i}_b"], dilation=2**i))
        x = x + a[f"mix{i}_w"][:, :, 0] @ y + a[f"mix{i}_b"][:, None]
    logits = a["head_w"][:, :, 0] @ x + a["head_b"][:, None]
    return (1.0 / (1.0 + np.exp(-logits))).T.astype(np.float32)


def _conv(x: np.ndarray, w: np.ndarray, b: np.ndarray, *, dilation: int) -> np.ndarray:
    """'Same' 1-D convolution (torch's Conv1d, zero padding): x (in, T), w (out, in, k)."""
    n_out, n_in, k = w.shape
    pad = (k - 1) // 2 * dilation
    padded = np.pad(x, ((0, 0), (pad, pad)))
    frames = x.shape[1]
    out = np.empty((n_out, frames), np.float32)
    flat = w.transpose(0, 2, 1).reshape(n_out, k * n_in)  # [out, (tap, in)]
    for start in range(0, frames, CHUNK):
        stop = min(frames, start + CHUNK)
        taps = np.concatenate([padded[:, start + j * dilation: stop + j * dilation]
                               for j in range(k)], axis=0)
        out[:, start:stop] = flat @ taps
    return out + b[:, None]


def _elu(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0.0)))
