"""Sections of the music (A, B, A′ …) and their character, from phrases.

Method: each phrase is described by its count-by-count pitch content (chroma resampled to eight
points, so phrases of different lengths compare) and its mean timbre. A section boundary falls
between two phrases where a checkerboard kernel over the phrase self-similarity peaks; sections
are then labelled by similarity to earlier sections: close to one → the same letter, fairly
close → the letter with a prime (A′), otherwise the next letter.

Conventions: similarities are cosines in [-1, 1]; character values are means over the section.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pointe.music.features import Features

SAME = 0.85
VARIANT = 0.6
BOUNDARY_Z = 0.5
MIN_PHRASES = 2
PRIME = "′"


@dataclass(frozen=True)
class Span:
    label: str
    first_phrase: int  # index into the phrase list
    last_phrase: int


def phrase_vectors(features: Features, bounds_s: list[tuple[float, float]]) -> np.ndarray:
    rows = []
    timbre_mean = features.timbre.mean(axis=0)
    timbre_std = features.timbre.std(axis=0) + 1e-6
    for start, end in bounds_s:
        a, b = features.frame_of(np.array([start, end]))
        a = min(a, max(0, features.frames - 9))
        b = min(max(b, a + 9), features.frames)
        points = np.linspace(a, b, 9).astype(int)
        seq = np.stack([features.chroma[p:max(q, p + 1)].mean(axis=0)
                        for p, q in zip(points[:-1], points[1:], strict=True)])
        seq = seq - seq.mean()
        timbre = ((features.timbre[a:b] - timbre_mean) / timbre_std).mean(axis=0)
        vec = np.concatenate([seq.ravel() / (np.linalg.norm(seq) + 1e-9),
                              0.5 * timbre / (np.linalg.norm(timbre) + 1e-9)])
        rows.append(vec / (np.linalg.norm(vec) + 1e-9))
    return np.array(rows)


def find(features: Features, bounds_s: list[tuple[float, float]]) -> list[Span]:
    """Sections over the phrases whose (start, end) times are ``bounds_s``."""
    n = len(bounds_s)
    if n == 0:
        return []
    if n < 2 * MIN_PHRASES:
        return [Span("A", 0, n - 1)]
    vectors = phrase_vectors(features, bounds_s)
    similarity = vectors @ vectors.T
    cuts = _boundaries(similarity)
    spans = list(zip([0, *cuts], [c - 1 for c in cuts] + [n - 1], strict=True))
    labels = _labels(vectors, spans)
    return [Span(label, a, b) for label, (a, b) in zip(labels, spans, strict=True)]


def _boundaries(similarity: np.ndarray) -> list[int]:
    n = len(similarity)
    k = MIN_PHRASES
    sign = np.concatenate([-np.ones(k), np.ones(k)])
    kernel = np.outer(sign, sign)
    padded = np.pad(similarity, k, mode="edge")
    novelty = np.array([np.sum(kernel * padded[i:i + 2 * k, i:i + 2 * k]) for i in range(n)])
    z = (novelty - novelty.mean()) / (novelty.std() + 1e-9)
    cuts: list[int] = []
    for i in range(MIN_PHRASES, n - MIN_PHRASES + 1):
        is_peak = z[i] >= z[max(0, i - 1)] and z[i] >= z[min(n - 1, i + 1)]
        if is_peak and z[i] > BOUNDARY_Z and (not cuts or i - cuts[-1] >= MIN_PHRASES):
            cuts.append(i)
    return cuts


def _labels(vectors: np.ndarray, spans: list[tuple[int, int]]) -> list[str]:
    centroids = [vectors[a:b + 1].mean(axis=0) for a, b in spans]
    centroids = [c / (np.linalg.norm(c) + 1e-9) for c in centroids]
    labels: list[str] = []
    letters: list[tuple[str, np.ndarray]] = []
    for centroid in centroids:
        best_letter, best_sim = None, -1.0
        for letter, prototype in letters:
            sim = float(centroid @ prototype)
            if sim > best_sim:
                best_letter, best_sim = letter, sim
        if best_letter is not None and best_sim >= SAME:
            labels.append(best_letter)
        elif best_letter is not None and best_sim >= VARIANT:
            labels.append(best_letter + PRIME)
        else:
            letter = chr(ord("A") + len(letters)) if len(letters) < 26 else f"S{len(letters)}"
            letters.append((letter, centroid))
            labels.append(letter)
    return labels


def character_words(
    *, tempo_bpm: float, loudness_db: float, brightness_hz: float, density_per_s: float,
    piece_loudness_db: float, piece_brightness_hz: float, piece_density_per_s: float,
) -> tuple[str, ...]:
    words = ["slow" if tempo_bpm < 80 else "quick" if tempo_bpm > 130 else "moderate"]
    if loudness_db < piece_loudness_db - 3:
        words.append("soft")
    elif loudness_db > piece_loudness_db + 3:
        words.append("loud")
    if brightness_hz > 1.15 * piece_brightness_hz:
        words.append("bright")
    elif brightness_hz < 0.85 * piece_brightness_hz:
        words.append("dark")
    if density_per_s > 1.25 * piece_density_per_s:
        words.append("busy")
    elif density_per_s < 0.75 * piece_density_per_s:
        words.append("sustained")
    return tuple(words)


def onset_times(features: Features) -> np.ndarray:
    """Onsets as novelty peaks, for onset density."""
    from scipy.signal import find_peaks

    curve = features.onset
    if len(curve) < 3:
        return np.zeros(0)
    height = np.mean(curve) + np.std(curve)
    peaks, _ = find_peaks(curve, height=height, distance=max(1, int(0.05 * features.fps)))
    return peaks / features.fps
