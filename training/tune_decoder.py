"""Choose the bar decoder's settings on the validation works (never on the benchmark).

    python training/tune_decoder.py --data training/data [--weights src/pointe/music/beatnet.npz]

The validation works are the ones ``train.py`` keeps out of training (a twentieth, by id). For each
setting of ``dbn.DOWNBEAT_BIAS`` (log-odds added to "this beat is a 1") and
``dbn.SWITCH_LOG_PENALTY`` (cost of changing the beats in a bar) it decodes every validation work
with the shipped network and prints the mean beat F, downbeat F and how often the main grouping
(beats per bar) is right, as JSON, best first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from pointe.music import beatnet, dbn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from split import held_for_validation  # noqa: E402


def f_measure(estimated: np.ndarray, reference: np.ndarray) -> float:
    """mir_eval's beat F-measure (±70 ms), as ``benchmarks/counts.py`` scores."""
    import mir_eval

    return float(mir_eval.beat.f_measure(np.asarray(reference, float),
                                         np.asarray(estimated, float)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent / "data")
    parser.add_argument("--weights", help="weights file (default: the package's)")
    args = parser.parse_args(argv)
    model = beatnet.load(args.weights)
    works = []
    for path in sorted(args.data.glob("*.npz")):
        if not held_for_validation(path.stem):
            continue
        with np.load(path) as d:
            act = beatnet.activations(d["logmel"], model)
            fps = float(d["fps"])
            grouping = int(np.bincount(d["beat_in_bar"]).nonzero()[0].max())
            works.append({"id": path.stem, "act": act, "fps": fps,
                          "truth_beats": d["beats"], "truth_downbeats": d["downbeats"],
                          "grouping": grouping})
    results = []
    found = [dbn.track_beats(w["act"][:, :2].max(axis=1), w["fps"]) for w in works]
    for bias in (-0.5, 0.0, 0.25, 0.5, 0.75, 1.0):
        for penalty in (3.0, 6.0, 10.0):
            dbn.DOWNBEAT_BIAS, dbn.SWITCH_LOG_PENALTY = bias, penalty
            beat_f, down_f, right = [], [], []
            for w, beats in zip(works, found, strict=True):
                times = beats.times_s
                probability = dbn.downbeat_probability(w["act"], times, w["fps"])
                places = dbn.place_in_bars(probability)
                beat_f.append(f_measure(times, w["truth_beats"]))
                down_f.append(f_measure(times[places.positions == 1], w["truth_downbeats"]))
                main = int(np.bincount(places.groupings).argmax()) if len(times) else 0
                right.append(main == w["grouping"])
            results.append({"bias": bias, "penalty": penalty, "works": len(works),
                            "beat_f": round(float(np.mean(beat_f)), 4),
                            "downbeat_f": round(float(np.mean(down_f)), 4),
                            "grouping_right": round(float(np.mean(right)), 4)})
    results.sort(key=lambda r: (-r["downbeat_f"], -r["grouping_right"]))
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
