"""Train pointe's beat and downbeat network and export it for numpy inference.

    python training/train.py --data training/data --seed 0 [--epochs 40] [--device cpu]
        [--out training/members/seed0.npz]

The network (``pointe.music.beatnet`` runs the same arithmetic in numpy) reads the log-mel frames
pointe's analysis computes (64 bands, ~86 frames a second) and their positive differences,
normalised per band, and answers four probabilities per frame: a beat here, a downbeat here, the
middle of a beat in simple time here (an eighth in 2/4), a third of a beat in compound time here
(an eighth in 6/8). The last two tell 2/4 from 6/8 and 3/4 from 9/8.

    stem     conv 128 -> C, kernel 3, ELU
    blocks   x + conv1x1(dropout(ELU(conv(x, kernel 5, dilation 2**i))))   for i in 0 … N-1
    head     conv1x1 C -> 4 (beat, downbeat, half-beat, third-beat logits)

Targets are the score's beats and downbeats (the subdivisions placed between beats by the
main meter: compound for 6/8, 9/8, 12/8 and 3/8), one frame each, widened to the frames either side
at half weight (Böck et al., 2019). Training takes random crops, with a random gain and a random
time stretch (labels stretched with the frames); the loss is binary cross-entropy. A twentieth of
the works (by id) is kept for validation; the benchmark's pieces are never in the data at all
(``training/corpus.py``). The epoch with the lowest validation loss is exported, with the band
statistics, the architecture and a record of how it was trained (device, epochs, seconds).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from split import held_for_validation  # noqa: E402

MEMBERS = Path(__file__).resolve().parent / "members"  # one network a file; ensemble.py joins them
CHANNELS = 48
BLOCKS = 10
KERNEL = 5
CROP = 2048
BATCH = 8
DROPOUT = 0.1
OUTPUTS = 4


class Net(nn.Module):
    def __init__(self, n_in: int, channels: int = CHANNELS, blocks: int = BLOCKS) -> None:
        super().__init__()
        self.stem = nn.Conv1d(n_in, channels, 3, padding=1)
        self.dilated = nn.ModuleList(
            nn.Conv1d(channels, channels, KERNEL, dilation=2**i, padding=2 * 2**i)
            for i in range(blocks))
        self.mix = nn.ModuleList(nn.Conv1d(channels, channels, 1) for _ in range(blocks))
        self.drop = nn.Dropout(DROPOUT)
        self.head = nn.Conv1d(channels, OUTPUTS, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = nn.functional.elu(self.stem(x))
        for conv, mix in zip(self.dilated, self.mix, strict=True):
            x = x + mix(self.drop(nn.functional.elu(conv(x))))
        return self.head(x)


def load(data_dir: Path) -> list[dict]:
    pieces = []
    for path in sorted(data_dir.glob("*.npz")):
        with np.load(path) as d:
            beats = d["beats"]
            compound = compound_meter(str(d["meter"]))
            gaps = np.diff(beats)
            ok = gaps < 2.0 * np.median(gaps)  # no subdivisions across a held bar or a pause
            cuts = (1 / 3, 2 / 3) if compound else (1 / 2,)
            subdivisions = np.concatenate([beats[:-1][ok] + c * gaps[ok] for c in cuts])
            pieces.append({"id": path.stem, "logmel": d["logmel"].astype(np.float32),
                           "fps": float(d["fps"]), "beats": beats,
                           "downbeats": d["downbeats"],
                           "halves": np.zeros(0) if compound else subdivisions,
                           "thirds": subdivisions if compound else np.zeros(0)})
    return pieces


def compound_meter(meter: str) -> bool:
    numerator, denominator = (int(x) for x in meter.split("/"))
    return denominator >= 8 and numerator % 3 == 0


KINDS = ("beats", "downbeats", "halves", "thirds")


def inputs(logmel: np.ndarray) -> np.ndarray:
    """(frames, 128): the log-mel and its positive difference (before normalisation)."""
    rise = np.maximum(np.diff(logmel, axis=0, prepend=logmel[:1]), 0.0)
    return np.concatenate([logmel, rise], axis=1)


def targets(times: np.ndarray, frames: int, fps: float) -> np.ndarray:
    y = np.zeros(frames, np.float32)
    idx = np.rint(np.asarray(times) * fps).astype(int)
    idx = idx[(idx >= 0) & (idx < frames)]
    for shift in (-1, 1):
        near = np.clip(idx + shift, 0, frames - 1)
        y[near] = np.maximum(y[near], 0.5)
    y[idx] = 1.0
    return y


def crop(piece: dict, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A random crop with random gain and stretch: (CROP, 64) log-mel and (CROP, 2) targets."""
    stretch = float(np.exp(rng.uniform(np.log(0.85), np.log(1.18))))
    logmel, fps = piece["logmel"], piece["fps"]
    frames = len(logmel)
    new_frames = int(frames * stretch)
    positions = np.arange(new_frames) / stretch
    start = int(rng.integers(0, max(1, new_frames - CROP)))
    positions = positions[start:start + CROP]
    lo = np.clip(np.floor(positions).astype(int), 0, frames - 1)
    hi = np.clip(lo + 1, 0, frames - 1)
    w = (positions - lo)[:, None].astype(np.float32)
    x = (1 - w) * logmel[lo] + w * logmel[hi]
    gain = float(np.exp(rng.uniform(np.log(0.25), np.log(4.0))))
    x = np.log1p(np.expm1(x) * gain)
    offset = start / (fps * stretch)
    y = np.stack([targets(piece[kind] * stretch - offset * stretch, len(x), fps)
                  for kind in KINDS], axis=1)
    if len(x) < CROP:
        pad = CROP - len(x)
        x = np.pad(x, ((0, pad), (0, 0)))
        y = np.pad(y, ((0, pad), (0, 0)))
    return x, y


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent / "data")
    parser.add_argument("--out", type=Path, help="default: training/members/seed<SEED>.npz")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--steps", type=int, default=150, help="batches per epoch")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--init", type=Path, help="start from these exported weights (and their "
                        "band statistics) instead of random ones: a fine-tuning run")
    parser.add_argument("--lr", type=float, default=2e-3, help="peak learning rate")
    args = parser.parse_args(argv)
    args.out = args.out or MEMBERS / f"seed{args.seed}.npz"
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    pieces = load(args.data)
    if not pieces:
        raise SystemExit(f"no training data in {args.data}: run training/make_data.py first")
    valid = [p for p in pieces if held_for_validation(p["id"])]
    train = [p for p in pieces if not held_for_validation(p["id"])]
    stack = np.concatenate([inputs(p["logmel"]) for p in train[:: max(1, len(train) // 200)]])
    mean, std = stack.mean(axis=0), stack.std(axis=0) + 1e-3
    start_from = None
    if args.init:
        with np.load(args.init) as init:
            start_from = {key: init[key] for key in init.files}
        mean, std = start_from["mean"], start_from["std"]
    lengths = np.array([len(p["logmel"]) for p in train], float)
    print(f"{len(train)} training works ({lengths.sum() / 86.13 / 3600:.2f} h), "
          f"{len(valid)} validation", file=sys.stderr, flush=True)
    device = torch.device(args.device)
    net = Net(stack.shape[1]).to(device)
    if start_from is not None:
        net.load_state_dict({name: torch.tensor(value) for name, value in
                             state_from_export(start_from).items()})
    optimiser = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr,
                                                   total_steps=args.epochs * args.steps)
    loss_fn = nn.BCEWithLogitsLoss()
    norm_mean = torch.tensor(mean, device=device)[None, :, None]
    norm_std = torch.tensor(std, device=device)[None, :, None]

    def batch_of(items):
        xs, ys = zip(*items, strict=True)
        x = torch.tensor(np.stack([inputs(a) for a in xs]), device=device).transpose(1, 2)
        y = torch.tensor(np.stack(ys), device=device).transpose(1, 2)
        return (x - norm_mean) / norm_std, y

    best, best_state, history = np.inf, None, []
    started = time.perf_counter()
    for epoch in range(args.epochs):
        net.train()
        total = 0.0
        for _ in range(args.steps):
            chosen = rng.choice(len(train), BATCH, p=lengths / lengths.sum())
            x, y = batch_of([crop(train[i], rng) for i in chosen])
            loss = loss_fn(net(x), y)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach())
        net.eval()
        with torch.no_grad():
            vloss = 0.0
            for p in valid:
                x = torch.tensor(inputs(p["logmel"]), device=device).T[None]
                y = np.stack([targets(p[kind], len(p["logmel"]), p["fps"]) for kind in KINDS])
                vloss += float(loss_fn(net((x - norm_mean) / norm_std),
                                       torch.tensor(y, device=device)[None]))
            vloss /= max(1, len(valid))
        history.append({"epoch": epoch + 1, "train": round(total / args.steps, 5),
                        "valid": round(vloss, 5),
                        "seconds": round(time.perf_counter() - started, 1)})
        print(json.dumps(history[-1]), file=sys.stderr, flush=True)
        if vloss < best:
            best = vloss
            best_state = {k: v.detach().cpu().numpy().copy() for k, v in net.state_dict().items()}
            record = {
                "device": str(device), "epochs_run": epoch + 1, "best_epoch": epoch + 1,
                "seed": args.seed, "train_works": len(train), "valid_works": len(valid),
                "valid_loss": round(vloss, 5), "seconds": round(time.perf_counter() - started),
                "torch": torch.__version__, "lr": args.lr}
            if start_from is not None:
                before = json.loads(str(start_from["meta"]))["trained"]
                record["fine_tuned_from"] = before
            export(args.out, best_state, mean, std, record)
    return 0


def _names() -> list[tuple[str, str]]:
    """(exported array, torch parameter) names of every weight, in the exported order."""
    pairs = [("stem_w", "stem.weight"), ("stem_b", "stem.bias"),
             ("head_w", "head.weight"), ("head_b", "head.bias")]
    for i in range(BLOCKS):
        pairs += [(f"dil{i}_w", f"dilated.{i}.weight"), (f"dil{i}_b", f"dilated.{i}.bias"),
                  (f"mix{i}_w", f"mix.{i}.weight"), (f"mix{i}_b", f"mix.{i}.bias")]
    return pairs


def state_from_export(arrays: dict) -> dict:
    """The torch state dict of exported weights (the inverse of ``export``)."""
    return {parameter: arrays[array] for array, parameter in _names()}


def export(path: Path, state: dict, mean: np.ndarray, std: np.ndarray, record: dict) -> None:
    """Weights as float32 arrays named like ``pointe.music.beatnet`` reads them."""
    arrays = {"mean": mean.astype(np.float32), "std": std.astype(np.float32),
              **{array: state[parameter] for array, parameter in _names()}}
    arrays = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in arrays.items()}
    meta = {"schema": "pointe.beatnet/1", "blocks": BLOCKS, "kernel": KERNEL,
            "channels": CHANNELS, "outputs": list(KINDS), "licence": "MIT", "trained": record}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)
    tmp.replace(path)


if __name__ == "__main__":
    sys.exit(main())
