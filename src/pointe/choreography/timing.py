"""Count labels the way dancers write them: "1", "7&", "a8", "3e".

Conventions
-----------
- Inside a phrase, time is counted in quarter counts from the phrase's "1": tick 0 is "1",
  tick 2 is "1&", tick 1 is "1e", tick 3 is "a2" (the last quarter of count 1, said "a" before
  the 2). Code keeps ticks (``*_q``, integers) so that counts add up exactly.
- A range "2-3" covers counts 2 and 3: from the start of 2 to the end of 3. The end of a label is
  its start plus its own grain: a whole count lasts one count, "&" half a count, "a" and "e" a
  quarter. "1+1.5" gives a length outright (one and a half counts from 1).
"""

from __future__ import annotations

import re

TICKS = 4  # quarter counts per count

_LABEL = re.compile(r"^(?:(?P<a>a)(?P<n1>\d+)|(?P<n2>\d+)(?P<suffix>&|\+|and|e|a)?)$")


def parse_label(text: str) -> tuple[int, int]:
    """``(tick, grain)`` of a count label; ``ValueError`` says what was wrong."""
    match = _LABEL.match(text.strip().lower())
    if not match:
        raise ValueError(f"{text!r} is not a count (write 1, 7&, a8 or 3e)")
    if match["a"]:
        number = int(match["n1"])
        if number < 2:
            raise ValueError(f"{text!r}: the 'a' comes before a count from 2 on (write a2 … a8; "
                             "the a before 1 belongs to the phrase before)")
        return (number - 1) * TICKS - 1, 1
    number = int(match["n2"])
    if number < 1:
        raise ValueError(f"{text!r}: counts start at 1")
    suffix = match["suffix"] or ""
    offset, grain = {"": (0, TICKS), "&": (2, 2), "+": (2, 2), "and": (2, 2), "e": (1, 1),
                     "a": (3, 1)}[suffix]
    return (number - 1) * TICKS + offset, grain


def label(tick: int) -> str:
    """The dancer's label of a tick: 0 → "1", 26 → "7&", 27 → "a8", 25 → "7e"."""
    if tick < 0:
        raise ValueError(f"tick must be 0 or more (not {tick})")
    number, rest = divmod(tick, TICKS)
    return {0: f"{number + 1}", 1: f"{number + 1}e", 2: f"{number + 1}&",
            3: f"a{number + 2}"}[rest]


def grain(tick: int) -> int:
    """The length of the label written at ``tick``: a whole count, half or a quarter."""
    return {0: TICKS, 2: 2}.get(tick % TICKS, 1)


def parse_span(text: str) -> tuple[int, int]:
    """``(start tick, length in ticks)`` of "5", "2-3", "7&-8" or "1+1.5"."""
    text = text.strip()
    if "+" in text[1:] and not text.endswith("+"):
        first, _, amount = text.partition("+")
        start, _ = parse_label(first)
        try:
            length = float(amount) * TICKS
        except ValueError:
            raise ValueError(f"{text!r}: the length after '+' must be a number of counts") from None
        if length <= 0 or length != int(length):
            raise ValueError(f"{text!r}: the length must be a positive number of quarter counts")
        return start, int(length)
    if "-" in text:
        first, _, last = text.partition("-")
        start, _ = parse_label(first)
        end_tick, end_grain = parse_label(last)
        length = end_tick + end_grain - start
        if length <= 0:
            raise ValueError(f"{text!r}: the range ends before it starts")
        return start, length
    start, size = parse_label(text)
    return start, size


def format_span(start: int, length: int) -> str:
    """The shortest span text that parses back to ``(start, length)``."""
    if length <= 0:
        raise ValueError(f"length must be positive (not {length})")
    if length == grain(start):
        return label(start)
    end = start + length
    # The range's last label is the one whose own end is the move's end.
    for size in (TICKS, 2):
        last = end - size
        if last > start and grain(last) == size:
            return f"{label(start)}-{label(last)}"
    counts = length / TICKS
    text = f"{counts:g}"
    return f"{label(start)}+{text}"
