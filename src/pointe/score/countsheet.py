"""The count sheet: a piece of music as the rows of counts a choreographer writes steps against.

Conventions
-----------
- One row per phrase (an "eight", or a six, a twelve …); phrase 0 is the introduction, shown as
  ``intro`` with its counts numbered as the dancers count them while they wait ("5 6 7 8").
- Every count sits in the column of its number, so the intro's 5 6 7 8 line up under the 5 6 7 8
  of the eights below it, and a short phrase leaves its last columns empty.
- Times are seconds from the start of the file, printed as ``m:ss.s`` (``0:04.5``); the duration is
  printed to the second (``3:20``).
- The text is exact and deterministic: no terminal width, no colours, ``\\n`` line ends, a final
  newline. Eight counts fit in 100 columns; twelve in 120.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from pointe.music.model import MusicMap, Phrase, Section

__all__ = ["render", "render_json"]

_COUNTING = {
    "beat": "one count per beat",
    "half-bar": "one count per half bar",
    "bar": "one count per bar",
}


def render(music_map: MusicMap, *, bar_numbers: bool = True) -> str:
    """The plain-text count sheet of ``music_map``: header, one row per phrase, section legend."""
    check_map(music_map, "render")
    lines = [*_header(music_map), ""]
    rows = phrase_rows(music_map)
    if rows:
        lines += _table(music_map, rows, bar_numbers=bar_numbers)
    else:
        lines.append("(no phrases: the music has not been counted)")
    if music_map.sections:
        lines += ["", *_legend(music_map.sections)]
    return "\n".join(lines) + "\n"


def render_json(music_map: MusicMap) -> str:
    """The MusicMap's versioned JSON form, in schema order, UTF-8 text with a final newline."""
    check_map(music_map, "render_json")
    return json.dumps(music_map.to_dict(), indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------- shared with score.wall


@dataclass(frozen=True)
class PhraseRow:
    """One phrase as the count sheet (and the wall picture's table) shows it."""

    phrase: Phrase
    name: str  # "intro", "1", "2" …
    times: tuple[float | None, ...]  # seconds of count 1, 2 … (None: no such count here)
    starts_block: bool  # the first row of a section (or the first row after the intro)


def phrase_rows(music_map: MusicMap) -> tuple[PhraseRow, ...]:
    """The phrases in order, each with the time of every count placed in its count's column."""
    columns = count_columns(music_map)
    by_phrase: dict[int, list[float | None]] = {}
    for count in music_map.counts:
        slots = by_phrase.setdefault(count.phrase, [None] * columns)
        if 1 <= count.number <= columns:
            slots[count.number - 1] = count.time_s
    rows = []
    previous: Phrase | None = None
    for phrase in music_map.phrases:
        starts_block = (
            previous is None or previous.section != phrase.section or previous.number == 0
        )
        rows.append(
            PhraseRow(
                phrase=phrase,
                name=phrase_name(phrase.number),
                times=tuple(by_phrase.get(phrase.number, [None] * columns)),
                starts_block=starts_block,
            )
        )
        previous = phrase
    return tuple(rows)


def count_columns(music_map: MusicMap) -> int:
    """How many count columns the sheet needs: the phrase length, or more if a count says so."""
    numbers = [count.number for count in music_map.counts]
    lengths = [phrase.length_counts for phrase in music_map.phrases]
    return max([music_map.phrase_length, *numbers, *lengths, 1])


def phrase_name(number: int) -> str:
    return "intro" if number == 0 else str(number)


def phrase_span(first: int, last: int) -> str:
    """``intro, 1-2`` for phrases 0…2; ``3-4``; ``5``."""
    if first == 0:
        return "intro" if last == 0 else f"intro, {_span(1, last)}"
    return _span(first, last)


def bar_span(phrase: Phrase) -> str:
    return _span(phrase.first_bar, phrase.last_bar)


def clock(seconds: float) -> str:
    """``m:ss.s``: 4.46 s → ``0:04.5``; 125.0 s → ``2:05.0``."""
    if not math.isfinite(seconds):
        return "?"
    sign = "-" if seconds < 0 else ""
    tenths = math.floor(abs(seconds) * 10 + 0.5)
    minutes, rest = divmod(tenths, 600)
    return f"{sign}{minutes}:{rest // 10:02d}.{rest % 10}"


def clock_whole(seconds: float) -> str:
    """``m:ss`` to the nearest second: 43.6 s → ``0:44``."""
    if not math.isfinite(seconds):
        return "?"
    sign = "-" if seconds < 0 else ""
    minutes, secs = divmod(math.floor(abs(seconds) + 0.5), 60)
    return f"{sign}{minutes}:{secs:02d}"


def title_of(music_map: MusicMap) -> str:
    return music_map.source.name or music_map.source.path or "untitled music"


def tempo_words(music_map: MusicMap) -> str:
    """``~180 bpm`` (the median felt beat), or ``unknown``."""
    bpm = music_map.bpm
    return f"~{bpm:.0f} bpm" if math.isfinite(bpm) else "unknown"


def counting_words(music_map: MusicMap) -> str:
    return _COUNTING.get(music_map.count_unit, f"one count per {music_map.count_unit}")


def phrases_words(music_map: MusicMap) -> str:
    """``8 counts; intro + 5 phrases (phrase 4 has 6 counts)``."""
    phrases = music_map.phrases
    dance = [p for p in phrases if p.number != 0]
    has_intro = len(dance) != len(phrases)
    amount = f"{len(dance)} phrase{'' if len(dance) == 1 else 's'}"
    if has_intro:
        amount = f"intro + {amount}"
    odd = [p for p in dance if p.length_counts != music_map.phrase_length]
    text = f"{music_map.phrase_length} counts; {amount}"
    if len(odd) == 1:
        return text + f" (phrase {odd[0].number} has {odd[0].length_counts} counts)"
    if odd:
        by_length: dict[int, list[int]] = {}
        for phrase in odd:
            by_length.setdefault(phrase.length_counts, []).append(phrase.number)
        detail = "; ".join(
            f"{length} counts: phrase{'s' if len(numbers) > 1 else ''} {_runs(numbers)}"
            for length, numbers in sorted(by_length.items())
        )
        if len(detail) > 48:
            detail = f"{len(odd)} phrases are not {music_map.phrase_length} counts"
        text += f" ({detail})"
    return text


# ---------------------------------------------------------------------- the text


def check_map(music_map: object, function: str) -> None:
    if not isinstance(music_map, MusicMap):
        raise TypeError(
            f"{function}() needs a MusicMap (not {type(music_map).__name__}); "
            "read one with pointe.music.model.MusicMap.from_dict(json.load(file))"
        )


def _header(music_map: MusicMap) -> list[str]:
    tempo = tempo_words(music_map)
    per_minute = music_map.counts_per_minute
    if math.isfinite(per_minute) and music_map.count_unit != "beat":
        tempo += f" (~{per_minute:.0f} counts a minute)"
    facts = [
        ("file", music_map.source.path or "-"),
        ("duration", clock_whole(music_map.duration_s)),
        ("meter", music_map.meter),
        ("tempo", tempo),
        ("counting", counting_words(music_map)),
        ("phrases", phrases_words(music_map)),
    ]
    return [f"{title_of(music_map)} - count sheet", *(f"{k:<10}{v}" for k, v in facts)]


def _table(music_map: MusicMap, rows: Sequence[PhraseRow], *, bar_numbers: bool) -> list[str]:
    columns = count_columns(music_map)
    gap = " " * (2 if columns <= 8 else 1)
    starts = [clock(row.phrase.start_s) for row in rows]
    times = [[clock(t) if t is not None else "" for t in row.times] for row in rows]
    time_width = max(len(text) for text in [*starts, *(t for r in times for t in r), "start"])
    label_width = max(len("section"), *(len(row.phrase.section) for row in rows))
    bars = [bar_span(row.phrase) for row in rows]
    bar_width = max(len("bars"), *(len(text) for text in bars))

    def line(name: str, section: str, bar: str, start: str, cells: Sequence[str]) -> str:
        left = [f"{name:>6}", f"{section:<{label_width}}"]
        if bar_numbers:
            left.append(f"{bar:<{bar_width}}")
        left.append(f"{start:>{time_width}}")
        right = gap.join(f"{cell:>{time_width}}" for cell in cells)
        return ("  ".join(left) + " |" + gap + right).rstrip()

    head = line("phrase", "section", "bars", "start", [str(n) for n in range(1, columns + 1)])
    rule = "-" * len(head)
    out = [head, rule]
    for index, row in enumerate(rows):
        if row.starts_block and index > 0:
            out.append(rule)
        section = row.phrase.section if row.starts_block else ""
        out.append(line(row.name, section, bars[index], starts[index], times[index]))
    return out


def _legend(sections: Sequence[Section]) -> list[str]:
    label_width = max(len(s.label) for s in sections)
    spans = [f"{clock(s.start_s)}-{clock(s.end_s)}" for s in sections]
    span_width = max(len(text) for text in spans)
    phrases = [
        ("phrase " if s.first_phrase == s.last_phrase else "phrases ")
        + phrase_span(s.first_phrase, s.last_phrase)
        for s in sections
    ]
    phrase_width = max(len(text) for text in phrases)
    out = ["sections"]
    for section, span, phrase in zip(sections, spans, phrases, strict=True):
        words = ", ".join(section.character.words) or "-"
        out.append(
            f"  {section.label:<{label_width}}  {span:<{span_width}}  "
            f"{phrase:<{phrase_width}}  {words}".rstrip()
        )
    return out


def _runs(numbers: Sequence[int]) -> str:
    """``1, 2, 3, 7`` → ``1-3, 7``."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(_span(run[0], run[-1]) for run in runs)


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"
