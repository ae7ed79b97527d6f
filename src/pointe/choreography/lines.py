"""The compact line form dancers write, parsed and printed losslessly.

``1 glissade R | 2-3 grand jeté effacé | 4 assemblé | 5-8 repeat other side``

One move per ``|``: its span (see ``pointe.choreography.timing``), the step by any of its names,
then any of: ``R``/``L`` (side), ``x2`` (done twice in the span), ``en croix`` (devant, à la
seconde, derrière, à la seconde), a body direction (``en face``, ``croisé``, ``effacé``,
``écarté``, ``écarté derrière``, ``de côté``), ``facing downstage-left``, ``travel back``,
``locked``, and a note in parentheses at the end. ``repeat`` (the counts just before, again) and
``repeat other side`` (mirrored) and ``hold`` (stay where you are) stand in place of a step.

``format_line(parse_line(text))`` gives back ``text`` written the canonical way (accents, single
spaces, ``R``/``L``), and ``parse_line(format_line(moves)) == moves`` always.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pointe.choreography.model import FACINGS, Move
from pointe.choreography.timing import format_span, parse_span
from pointe.vocabulary.library import Library, normalise
from pointe.vocabulary.step import TRAVELS

DIRECTION_NAMES = {
    "en-face": "en face", "croise": "croisé", "efface": "effacé", "ecarte-devant": "écarté",
    "ecarte-derriere": "écarté derrière", "de-cote": "de côté",
}
_DIRECTION_WORDS = {
    ("en", "face"): "en-face", ("croise",): "croise", ("croisee",): "croise",
    ("efface",): "efface", ("effacee",): "efface", ("ecarte",): "ecarte-devant",
    ("ecartee",): "ecarte-devant", ("ecarte", "devant"): "ecarte-devant",
    ("ecarte", "derriere"): "ecarte-derriere", ("de", "cote"): "de-cote",
}
_SIDES = {"r": "right", "right": "right", "droite": "right", "l": "left", "left": "left",
          "gauche": "left"}
_TIMES = re.compile(r"^[x×](\d+)$")
_NOTE = re.compile(r"\(([^()]*)\)\s*$")


def parse_line(text: str, library: Library) -> tuple[Move, ...]:
    """The moves of one line; ``ValueError`` naming the move (1-based) and what is wrong."""
    moves = []
    for index, segment in enumerate(text.split("|")):
        segment = segment.strip()
        if not segment:
            raise ValueError(f"move {index + 1} is empty (remove the extra '|')")
        try:
            moves.append(parse_move(segment, library))
        except ValueError as err:
            raise ValueError(f"move {index + 1} ({segment!r}): {err}") from None
    return tuple(moves)


def parse_move(segment: str, library: Library) -> Move:
    note = ""
    found = _NOTE.search(segment)
    if found:
        note = found.group(1).strip()
        segment = segment[:found.start()].strip()
    words = segment.split()
    if not words:
        raise ValueError("write a count and a step, e.g. '1 glissade R'")
    start, length = parse_span(words[0])
    words = words[1:]
    if not words:
        raise ValueError("a count needs a step after it, e.g. '1 glissade R'")
    name, rest = _split_step(words, library)
    move = Move(start_q=start, length_q=length, step=name, note=note)
    return _modifiers(move, rest)


def format_line(moves: tuple[Move, ...] | list[Move]) -> str:
    return " | ".join(format_move(move) for move in moves)


def format_move(move: Move) -> str:
    parts = [format_span(move.start_q, move.length_q), move.step]
    if move.other_side:
        parts.append("other side")
    if move.times != 1:
        parts.append(f"x{move.times}")
    if move.side:
        parts.append("R" if move.side == "right" else "L")
    if move.en_croix:
        parts.append("en croix")
    if move.direction:
        parts.append(DIRECTION_NAMES[move.direction])
    if move.facing:
        parts.append(f"facing {move.facing}")
    if move.travel:
        parts.append(f"travel {move.travel}")
    if move.locked:
        parts.append("locked")
    if move.note:
        parts.append(f"({move.note})")
    return " ".join(parts)


def _split_step(words: list[str], library: Library) -> tuple[str, list[str]]:
    """The step's words (longest known name first) and the modifier words after them."""
    if normalise(words[0]) in ("repeat", "hold"):
        return normalise(words[0]), words[1:]
    for end in range(len(words), 0, -1):
        if library.lookup(" ".join(words[:end])) is not None:
            return " ".join(words[:end]), words[end:]
    # Unknown: the words up to the first modifier; validation names it and suggests others.
    end = 1
    while end < len(words) and not _is_modifier(words, end):
        end += 1
    return " ".join(words[:end]), words[end:]


def _is_modifier(words: list[str], i: int) -> bool:
    word = normalise(words[i])
    pair = (word, normalise(words[i + 1])) if i + 1 < len(words) else None
    return (word in _SIDES or bool(_TIMES.match(words[i].lower())) or (word,) in _DIRECTION_WORDS
            or pair in _DIRECTION_WORDS or word in ("facing", "travel", "locked")
            or pair in (("en", "croix"), ("other", "side")))


def _modifiers(move: Move, words: list[str]) -> Move:
    changes: dict = {}
    i = 0
    while i < len(words):
        word = normalise(words[i])
        pair = (word, normalise(words[i + 1])) if i + 1 < len(words) else None
        times = _TIMES.match(words[i].lower())
        if pair in _DIRECTION_WORDS:
            _set(changes, "direction", _DIRECTION_WORDS[pair], words[i])
            i += 2
        elif pair == ("en", "croix"):
            _set(changes, "en_croix", True, "en croix")
            i += 2
        elif pair == ("other", "side") or word == "otherside":
            if move.step != "repeat":
                raise ValueError("'other side' goes with repeat ('5-8 repeat other side'); "
                                 "for one step write its side, R or L")
            _set(changes, "other_side", True, "other side")
            i += 2 if pair == ("other", "side") else 1
        elif word in _SIDES:
            _set(changes, "side", _SIDES[word], words[i])
            i += 1
        elif times:
            count = int(times.group(1))
            if count < 1:
                raise ValueError(f"{words[i]!r}: do a step at least once (x1, x2 …)")
            _set(changes, "times", count, words[i])
            i += 1
        elif (word,) in _DIRECTION_WORDS:
            _set(changes, "direction", _DIRECTION_WORDS[(word,)], words[i])
            i += 1
        elif word in ("facing", "travel"):
            if i + 1 >= len(words):
                raise ValueError(f"'{word}' needs a direction after it")
            value = words[i + 1].lower()
            allowed = tuple(FACINGS) if word == "facing" else TRAVELS
            if value not in allowed:
                raise ValueError(f"{word} {value!r} is not one of {', '.join(allowed)}")
            _set(changes, word, value, words[i])
            i += 2
        elif word == "locked":
            _set(changes, "locked", True, "locked")
            i += 1
        else:
            raise ValueError(f"{words[i]!r} is not a side, direction or other word a move "
                             "takes (R, L, x2, en croix, croisé, facing …, travel …, locked, "
                             "(a note)); is it part of an unknown step name?")
    if move.step in ("repeat", "hold") and (set(changes) - {"other_side", "locked"}):
        raise ValueError(f"{move.step} takes no side, direction or count of times (only "
                         "'other side' and 'locked')")
    return replace(move, **changes)


def _set(changes: dict, name: str, value, word: str) -> None:
    if name in changes:
        raise ValueError(f"{word!r}: the move already has a {name.replace('_', ' ')}")
    changes[name] = value
