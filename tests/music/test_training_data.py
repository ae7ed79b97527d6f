"""The training data's accompaniment: chords that change where music changes them, not at bar lines.

``training/make_data.py`` lays a rehearsal pianist's accompaniment under one-line tunes. If its
chords changed exactly once a bar, a network trained on it would take every change of harmony for
a bar line and bar a chorale or a quartet in 4/4 as 2/4.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "training"), str(ROOT / "benchmarks")]

import make_data  # noqa: E402  (training/make_data.py)
from excerpts import BarSpan, Excerpt, NoteEvent, Piece  # noqa: E402  (benchmarks/excerpts.py)


def tune(bars: int = 16, beats: int = 4) -> Excerpt:
    """A one-line tune, one note a beat, a new pitch on every beat (C D E F G …)."""
    scale = (60, 62, 64, 65, 67, 69, 71)
    spans, notes = [], []
    for b in range(bars):
        start = float(b * beats)
        spans.append(BarSpan(b + 1, start, float(beats), f"{beats}/4", 1.0,
                             tuple(range(1, beats + 1)), str(b + 1)))
        for k in range(beats):
            notes.append(NoteEvent(start + k, 1.0, scale[(b * beats + k) % 7], 0, k + 1.0, b + 1))
    piece = Piece("tune", "made", "tune", "", "made", 100.0)
    return Excerpt(piece, tuple(notes), tuple(spans), ("tune",), float(bars * beats))


def onsets(excerpt: Excerpt, notes: int) -> list[float]:
    """Where the accompaniment starts exactly ``notes`` notes together (4: bass and triad)."""
    together = Counter(n.onset_ql for n in excerpt.notes if n.part == 1)
    return sorted(t for t, count in together.items() if count == notes)


def test_a_four_beat_bar_often_changes_chord_at_its_middle():
    made = make_data.accompany(tune(), "held", np.random.default_rng(3))
    chords = onsets(made, 4)
    on_bar_lines = [t for t in chords if t % 4 == 0]
    in_the_middle = [t for t in chords if t % 4 == 2]
    assert len(on_bar_lines) == 16  # every bar starts a chord
    assert 3 <= len(in_the_middle) <= 13  # about half the bars change again at beat 3
    assert len(chords) == len(on_bar_lines) + len(in_the_middle)


def test_a_chorale_accompaniment_changes_chord_on_every_beat():
    made = make_data.accompany(tune(bars=8), "chorale", np.random.default_rng(0))
    assert onsets(made, 4) == [float(t) for t in range(32)]


def test_a_march_bass_sounds_on_one_and_three_of_a_four_beat_bar():
    made = make_data.accompany(tune(bars=8), "oompah", np.random.default_rng(1))
    bass_alone = onsets(made, 1)
    assert {t % 4 for t in bass_alone} == {0.0, 2.0}
    assert len(bass_alone) == 16
    assert {t % 4 for t in onsets(made, 3)} == {1.0, 3.0}  # the "pah": chords on 2 and 4


def test_the_accompaniment_is_decided_by_the_seed_and_stays_inside_the_bars():
    one = make_data.accompany(tune(beats=2), "broken", np.random.default_rng(7))
    two = make_data.accompany(tune(beats=2), "broken", np.random.default_rng(7))
    assert one == two
    assert one.part_names == ("tune", "accompaniment")
    for n in one.notes:
        bar = int(n.onset_ql // 2)
        assert n.onset_ql + n.duration_ql <= (bar + 1) * 2 + 1e-9


def test_a_tune_with_more_than_one_part_is_left_alone():
    two_parts = tune()
    two_parts = Excerpt(two_parts.piece, two_parts.notes, two_parts.bars, ("a", "b"),
                        two_parts.end_ql)
    assert make_data.accompany(two_parts, "oompah", np.random.default_rng(0)) is two_parts
