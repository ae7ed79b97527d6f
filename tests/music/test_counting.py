"""Counting rules: count unit, phrase lengths, the phrase programme, the novelty kernel."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pointe.errors import UsageError
from pointe.music import counting


@pytest.mark.parametrize(("bpm", "per_bar", "unit"), [
    (120, 2, "beat"), (96, 4, "beat"), (150, 3, "beat"), (180, 3, "bar"), (200, 4, "half-bar"),
    (200, 2, "bar"), (100, 2, "beat"),
])
def test_count_unit_aims_at_60_to_160_counts_a_minute(bpm, per_bar, unit):
    assert counting.choose_count_unit(bpm, per_bar) == unit


def test_phrase_lengths_must_be_whole_bars():
    counting.check_phrase_length(6, 3, "beat")
    with pytest.raises(UsageError, match="bar has 3 counts when counting in beats"):
        counting.check_phrase_length(8, 3, "beat")
    assert counting.default_phrase_length(1) == 8
    assert counting.default_phrase_length(2) == 8
    assert counting.default_phrase_length(3) == 6


def test_half_bar_needs_an_even_bar():
    with pytest.raises(UsageError, match="no half"):
        counting.counts_per_bar("half-bar", 3)


def test_phrases_are_eights_without_evidence_against():
    bar_start = np.zeros(40, bool)
    bar_start[::2] = True
    starts = counting.segment(bar_start, np.zeros(40), first=0, length=8, per_bar=2, fixed=False)
    assert starts == [0, 8, 16, 24, 32]


def test_consistent_evidence_lengthens_a_phrase():
    bar_start = np.ones(64, bool)
    novelty = np.full(64, -0.5)
    novelty[[12, 20, 28, 36, 44, 52, 60]] = 0.5  # the music restarts 4 counts late from then on
    starts = counting.segment(bar_start, novelty, first=0, length=8, per_bar=1, fixed=False)
    assert starts[:3] == [0, 12, 20]


@settings(max_examples=40, deadline=None)
@given(st.integers(4, 80), st.integers(1, 4), st.sampled_from([4, 6, 8, 12]),
       st.integers(0, 2**31 - 1))
def test_phrases_start_on_bar_lines_after_a_short_introduction(n, per_bar, length, seed):
    if length % per_bar:
        length = per_bar * max(1, length // per_bar)
    bar_start = np.arange(n) % per_bar == 0
    novelty = np.random.default_rng(seed).normal(size=n).clip(-1, 1) * 0.5
    starts = counting.segment(bar_start, novelty, first=0, length=length, per_bar=per_bar,
                              fixed=False)
    assert 0 <= starts[0] < length  # an introduction, if any, is shorter than a phrase
    assert starts == sorted(set(starts))
    assert all(bar_start[s] for s in starts)


def test_banded_checkerboard_equals_the_dense_definition():
    x = np.random.default_rng(1).normal(size=(50, 7))
    k = 4
    similarity = x @ x.T
    sign = np.concatenate([-np.ones(k), np.ones(k)])
    taper = np.exp(-0.5 * (np.linspace(-1, 1, 2 * k) / 0.6) ** 2)
    kernel = np.outer(sign * taper, sign * taper)
    padded = np.pad(similarity, k, mode="edge")
    dense = np.array([np.sum(kernel * padded[i:i + 2 * k, i:i + 2 * k]) for i in range(50)])
    dense = (dense - dense.mean()) / dense.std()
    assert np.allclose(counting.checkerboard(x, k), dense)
