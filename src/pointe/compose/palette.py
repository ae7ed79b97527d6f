"""What the music and the brief ask of the steps: a static cost per step for one phrase.

Conventions
-----------
- A phrase's *context* is what the music says about it: counts a minute, its energy relative to
  the piece (0..1), whether its section is the climax, and the strength of each count (where a
  jump should land: the metre's strong counts, and the counts the music accents).
- The cost of a step, per count danced, is ``−ln(weight)`` of its family under the tempo, energy,
  style and themes, plus its tempo misfit and how far its Laban effort is from the themes'.
  Lower is better; steps above the company's level or avoided by the brief are left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pointe.compose.brief import Brief, Theme
from pointe.music.model import MusicMap
from pointe.vocabulary.step import LEVELS, Step

# Family weights by tempo (counts a minute), interpolated between the three bands.
TEMPO_BANDS = (70.0, 105.0, 140.0)
FAMILY_BY_TEMPO = {
    "adagio": (1.0, 0.4, 0.1), "pose": (0.8, 0.5, 0.3), "contemporary": (0.8, 0.6, 0.5),
    "barre": (0.35, 0.25, 0.15), "linking": (0.5, 0.8, 0.7), "turn": (0.35, 0.7, 0.6),
    "pointe": (0.4, 0.6, 0.7), "petit-allegro": (0.1, 0.6, 1.0),
    "grand-allegro": (0.15, 0.5, 0.35),
}
STYLE_WEIGHT = {  # (classical steps, contemporary steps)
    "classical": (1.0, 0.0), "neoclassical": (1.0, 0.6), "contemporary": (0.35, 1.0),
    "blend": (1.0, 1.0),
}
STYLE_KEEPS = {"linking", "pose"}  # classical families a contemporary piece keeps more of


@dataclass(frozen=True)
class Context:
    cpm: float  # counts a minute
    energy: float  # 0..1, the phrase's loudness relative to the piece
    climax: bool  # its section is the loudest
    strength: tuple[float, ...]  # per count of the phrase, 0..1
    section: str
    words: tuple[str, ...]  # the section's character, for explanations

    def family_weights(self, brief: Brief) -> dict[str, float]:
        out = {}
        for family, bands in FAMILY_BY_TEMPO.items():
            w = float(np.interp(self.cpm, TEMPO_BANDS, bands))
            if family == "grand-allegro":
                w *= 0.5 + 1.5 * self.energy + (0.8 if self.climax else 0.0)
            elif family == "turn":
                w *= 0.7 + 0.5 * self.energy + (0.2 if self.climax else 0.0)
            elif family in ("adagio", "pose"):
                w *= 1.3 - 0.6 * self.energy
            for theme in brief.theme_list():
                w *= theme.families.get(family, 1.0)
            out[family] = w
        return out


def contexts(music_map: MusicMap) -> dict[int, Context]:
    """The context of every phrase of the music (introduction included)."""
    energies = np.array([c.energy for c in music_map.counts]) if music_map.counts else np.zeros(1)
    loud = {s.label: s.character.loudness_db for s in music_map.sections}
    climax = max(loud, key=loud.get) if len(loud) > 1 else ""
    section_words = {s.label: s.character.words for s in music_map.sections}
    out = {}
    lo, hi = float(np.percentile(energies, 10)), float(np.percentile(energies, 90))
    for phrase in music_map.phrases:
        first, stop = phrase.first_count, phrase.first_count + phrase.length_counts
        counts = music_map.counts[first:stop]
        if len(counts) >= 2:
            span = counts[-1].time_s - counts[0].time_s
            cpm = 60.0 * (len(counts) - 1) / span if span > 0 else music_map.counts_per_minute
        else:
            cpm = music_map.counts_per_minute
        energy = float(energies[first:stop].mean()) if counts else 0.5
        energy = float(np.clip((energy - lo) / max(hi - lo, 1e-6), 0.0, 1.0))
        n = phrase.length_counts
        metric = [1.0 if i == 0 else 0.8 if i == n // 2 else 0.55 if i % 2 == 0 else 0.3
                  for i in range(n)]
        accents = [c.accent for c in counts] + [0.0] * (n - len(counts))
        strength = tuple(0.6 * m + 0.4 * a for m, a in zip(metric, accents, strict=False))
        out[phrase.number] = Context(
            cpm=float(cpm if math.isfinite(cpm) else 100.0), energy=energy,
            climax=phrase.section == climax, strength=strength, section=phrase.section,
            words=tuple(section_words.get(phrase.section, ())))
    return out


def allowed(step: Step, brief: Brief, avoid: set[str], level: str) -> bool:
    if step.id in avoid or step.partnering:
        return False
    if LEVELS.index(step.level) > LEVELS.index(level):
        return False
    contemporary = "contemporary" in step.categories
    classical_w, contemporary_w = STYLE_WEIGHT[brief.style]
    return (contemporary_w if contemporary else classical_w) > 0.0


def static_cost(step: Step, ctx: Context, brief: Brief, family_w: dict[str, float],
                themes: list[Theme], used: set[str]) -> float:
    """Cost per count of ``step`` in this context (lower is better)."""
    contemporary = "contemporary" in step.categories
    classical_w, contemporary_w = STYLE_WEIGHT[brief.style]
    style_w = contemporary_w if contemporary else classical_w
    if brief.style == "contemporary" and not contemporary and step.family in STYLE_KEEPS:
        style_w = 0.7
    weight = family_w.get(step.family, 0.5) * style_w
    for theme in themes:
        if theme.elevation == "up" and step.jumps:
            weight *= 1.25
        elif theme.elevation == "down" and step.jumps:
            weight *= 0.6
    cost = -math.log(max(weight, 1e-3))
    low, high = step.bpm
    if ctx.cpm < low:
        cost += (low - ctx.cpm) / 15.0
    elif ctx.cpm > high:
        cost += (ctx.cpm - high) / 15.0
    for theme in themes:
        for quality, value in theme.effort.items():
            mine = step.effort.get(quality)
            if mine == value:
                cost -= 0.12
            elif mine is not None:
                cost += 0.12
    if step.id in used:
        cost -= 0.6
    return cost
