"""MusicMaps built by hand, whose every time is known, for the score renderers.

``build_map`` lays out bars from a list of bar lengths, puts counts on them the way a dancer counts
(one per bar in a quick waltz, one per beat in 4/4), groups them into the phrases of a plan and
synthesises a loudness envelope with an attack on every beat, so the renderers see the shape of real
analyser output without the analyser.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest

from pointe.music.model import (
    Analysis,
    Bar,
    Beat,
    Character,
    Count,
    Envelope,
    MusicMap,
    Phrase,
    Section,
    Source,
    TempoPoint,
)

#: label → (tempo word, loudness word, extra word, level dB)
CHARACTER = {
    "A": (("moderate", "soft", "lilting"), -20.0),
    "A′": (("moderate", "soft", "warm"), -17.0),
    "A″": (("moderate", "loud", "broad"), -11.0),
    "B": (("brisk", "loud", "bright"), -12.0),
    "B′": (("brisk", "loud", "driving"), -10.0),
    "C": (("slow", "soft", "dark"), -24.0),
}


def build_map(
    plan: Sequence[tuple[str, int]],
    *,
    name: str = "Waltz in A minor",
    path: str = "music/waltz-in-a-minor.wav",
    meter: str = "3/4",
    beats_per_bar: int = 3,
    count_unit: str = "bar",
    phrase_length: int = 8,
    bar_s: float = 1.0,
    lead_in_s: float = 0.5,
    tail_s: float = 1.5,
    envelope_hz: float = 20.0,
) -> MusicMap:
    """A MusicMap for ``plan``: (section label, counts) per phrase, phrase 0 the intro.

    Each section slows by 6 % and 12 % over its last two counts' bars (a dancer's ritardando);
    section B is 4 % quicker throughout.
    """
    counts_per_bar = {"bar": 1.0, "half-bar": 2.0, "beat": float(beats_per_bar)}[count_unit]
    # Bars: how many each phrase needs, and how long each bar lasts.
    bar_plan: list[tuple[int, str, bool]] = []  # (phrase, section, section ends here)
    for phrase_number, (label, length) in enumerate(plan):
        section_ends = phrase_number + 1 == len(plan) or plan[phrase_number + 1][0] != label
        n_bars = math.ceil(length / counts_per_bar)
        for b in range(n_bars):
            bar_plan.append((phrase_number, label, section_ends and b >= n_bars - 2))
    bars: list[Bar] = []
    beats: list[Beat] = []
    tempo: list[TempoPoint] = []
    t = lead_in_s
    for index, (_, label, slowing) in enumerate(bar_plan):
        length = bar_s * (0.96 if label.startswith("B") else 1.0)
        if slowing:
            length *= 1.06 if index + 1 < len(bar_plan) and bar_plan[index + 1][2] else 1.12
        number = index + 1
        bars.append(Bar(number, round(t, 4), meter, beats_per_bar))
        tempo.append(TempoPoint(round(t, 4), round(60.0 * beats_per_bar / length, 2)))
        for k in range(beats_per_bar):
            beats.append(
                Beat(round(t + k * length / beats_per_bar, 4), number, k + 1,
                     1.0 if k == 0 else 0.5, 0.9)
            )
        t += length
    end_of_music = round(t, 4)
    duration = round(end_of_music + tail_s, 4)

    # Counts, phrases.
    bar_starts = [bar.start_s for bar in bars] + [end_of_music]
    counts: list[Count] = []
    phrases_raw: list[tuple[int, int, int, str]] = []  # number, first count, length, label
    bar_index = 0
    for phrase_number, (label, length) in enumerate(plan):
        first_count = len(counts)
        numbers = (
            range(phrase_length - length + 1, phrase_length + 1)
            if phrase_number == 0
            else range(1, length + 1)
        )
        for k, number in enumerate(numbers):
            sub = k % counts_per_bar
            b = bar_index + int(k // counts_per_bar)
            time = bar_starts[b] + sub / counts_per_bar * (bar_starts[b + 1] - bar_starts[b])
            counts.append(Count(round(time, 4), phrase_number, number, b + 1, 0.0, 0.0))
        bar_index += math.ceil(length / counts_per_bar)
        phrases_raw.append((phrase_number, first_count, length, label))

    # Envelope: a section level, an attack on every beat, silence before, a fade after.
    n = int(round(duration * envelope_hz)) + 1
    times = np.arange(n) / envelope_hz
    level = np.full(n, -60.0)
    beat_times = np.array([b.time_s for b in beats])
    beat_gain = np.array([6.0 if b.beat_in_bar == 1 else 3.0 for b in beats])
    for b_index in range(len(bars)):
        label = bar_plan[b_index][1]
        start, stop = bar_starts[b_index], bar_starts[b_index + 1]
        inside = (times >= start) & (times < stop)
        swell = 3.0 * math.sin(math.pi * (b_index % 8) / 8.0)  # each eight breathes
        level[inside] = CHARACTER[label][1] + swell
    fade = times >= end_of_music
    level[fade] = CHARACTER[plan[-1][0]][1] - 12.0 * (times[fade] - end_of_music)
    since = times[:, None] - beat_times[None, :]
    pulses = np.where(since >= 0, beat_gain * np.exp(-np.maximum(since, 0) / 0.12), 0.0)
    db = np.maximum(level + pulses.max(axis=1, initial=0.0), -60.0)
    db = np.round(db, 1)

    # Energy and accent per count, from the envelope, relative to the piece.
    lo, hi = float(db.min()), float(db.max())
    with_energy = []
    count_ends = [c.time_s for c in counts[1:]] + [end_of_music]
    downbeats = {bar.start_s for bar in bars}
    for count, end in zip(counts, count_ends, strict=True):
        inside = (times >= count.time_s) & (times < end)
        mean = float(db[inside].mean()) if inside.any() else lo
        energy = round((mean - lo) / (hi - lo), 3)
        accent = 1.0 if count.number == 1 else 0.8 if count.time_s in downbeats else 0.4
        with_energy.append(
            Count(count.time_s, count.phrase, count.number, count.bar, energy, accent)
        )
    counts = with_energy

    count_starts = [c.time_s for c in counts] + [end_of_music]
    phrases = tuple(
        Phrase(
            number=number,
            start_s=count_starts[first],
            end_s=count_starts[first + length],
            first_count=first,
            length_counts=length,
            first_bar=counts[first].bar,
            last_bar=counts[first + length - 1].bar,
            section=label,
        )
        for number, first, length, label in phrases_raw
    )
    sections: list[Section] = []
    for phrase in phrases:
        if sections and sections[-1].label == phrase.section:
            last = sections[-1]
            sections[-1] = Section(last.label, last.start_s, phrase.end_s, last.first_phrase,
                                   phrase.number, last.character)
            continue
        words, level_db = CHARACTER[phrase.section]
        bpm = 60.0 * beats_per_bar / (bar_s * (0.96 if phrase.section.startswith("B") else 1.0))
        sections.append(
            Section(phrase.section, phrase.start_s, phrase.end_s, phrase.number, phrase.number,
                    Character(round(bpm, 2), level_db, 1800.0, 2.5, words))
        )
    return MusicMap(
        source=Source(path=path, name=name, sha256="0" * 64, format="wav"),
        duration_s=duration,
        meter=meter,
        count_unit=count_unit,  # type: ignore[arg-type]
        phrase_length=phrase_length,
        beats=tuple(beats),
        bars=tuple(bars),
        tempo=tuple(tempo),
        counts=tuple(counts),
        phrases=phrases,
        sections=tuple(sections),
        envelope=Envelope(envelope_hz, tuple(float(v) for v in db)),
        analysis=Analysis(method="audio", tracker="hand-built", confidence=1.0,
                          meter_confidence=1.0),
    )


#: A quick 3/4 waltz counted one count per bar: intro "5 6 7 8", then A A B B(6) A′.
WALTZ_PLAN = (("A", 4), ("A", 8), ("A", 8), ("B", 8), ("B", 6), ("A′", 8))

#: The same waltz at full length (3:15): 24 phrases after the intro, six sections.
LONG_PLAN = (
    ("A", 4),
    *[("A", 8)] * 4, *[("B", 8)] * 4, *[("A′", 8)] * 4,
    *[("C", 8)] * 4, *[("B′", 8)] * 3, ("B′", 6), *[("A″", 8)] * 4,
)


@pytest.fixture(scope="session")
def waltz() -> MusicMap:
    return build_map(WALTZ_PLAN)


@pytest.fixture(scope="session")
def long_waltz() -> MusicMap:
    return build_map(LONG_PLAN)


@pytest.fixture(scope="session")
def make_map():
    """``build_map`` itself, for tests that lay out their own plan."""
    return build_map
