"""Regenerate part of a ballet: a section, a phrase or one move, keeping what is locked.

Conventions
-----------
- The target is "3" (a section), "3.2" (a phrase) or "3.2@5" (the move that starts on count 5
  of phrase 3.2). Locked moves inside it are kept as written; everything else inside it is
  composed again with a new seed, from where the dancers' bodies are when it starts to where
  the next locked move (or the next phrase) needs them.
- A canon stays a canon: its first line is composed again around its locks and the second
  dances the new material as many counts later as before (unless the second line has locks of
  its own, when each line is composed on its own).
- Nothing outside the target changes. New moves are first asked to end where the old ones did
  (within 5 cm), so the phrases after stay where they were and checking the phrase and its seam
  is enough; failing that they may end anywhere and the whole ballet is checked. Other seeds are
  tried before giving up with a clear error.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from pointe.choreography.check import check
from pointe.choreography.flow import Body, Place, expand, start_body, travel
from pointe.choreography.model import Choreography, Line, Move, Phrase, line_dancers
from pointe.choreography.timing import label, parse_label
from pointe.compose.brief import Brief
from pointe.compose.composer import _Composer, canon_lines
from pointe.compose.search import SEAM_M
from pointe.errors import UsageError
from pointe.music.model import MusicMap
from pointe.vocabulary.library import Library

TRIES = 8


def parse_target(text: str, choreography: Choreography) -> tuple[int, int | None, int | None]:
    """(section, phrase or None, move start tick or None), zero-based; UsageError if absent."""
    text = str(text).strip()
    at = None
    if "@" in text:
        text, _, count = text.partition("@")
        try:
            at, _ = parse_label(count)
        except ValueError as err:
            raise UsageError(f"--move: {err}") from None
    parts = text.split(".")
    try:
        section = int(parts[0]) - 1
        phrase = int(parts[1]) - 1 if len(parts) > 1 else None
    except ValueError:
        raise UsageError(f"{text!r} is not a section (3), phrase (3.2) or move (3.2@5)") from None
    if not 0 <= section < len(choreography.sections):
        raise UsageError(f"there is no section {section + 1} (the ballet has "
                         f"{len(choreography.sections)})")
    if phrase is not None and not 0 <= phrase < len(choreography.sections[section].phrases):
        raise UsageError(f"section {section + 1} has no phrase {phrase + 1} (it has "
                         f"{len(choreography.sections[section].phrases)})")
    if at is not None:
        if phrase is None:
            raise UsageError("a move is named by its phrase and count, e.g. 3.2@5")
        lines = choreography.sections[section].phrases[phrase].lines
        if not any(m.start_q == at for line in lines for m in line.moves):
            raise UsageError(f"no move starts on count {label(at)} of phrase "
                             f"{section + 1}.{phrase + 1}")
    return section, phrase, at


def regenerate(choreography: Choreography, music_map: MusicMap, library: Library, target: str,
               *, seed: int, brief: Brief | None = None) -> Choreography:
    section, phrase, at = parse_target(target, choreography)
    brief = brief or Brief(style=choreography.style, stage=choreography.stage)
    brief = replace(brief, stage=choreography.stage)
    numbers = [phrase] if phrase is not None else list(range(len(choreography.sections[section]
                                                                 .phrases)))
    result = choreography
    for number in numbers:
        result = _regenerate_phrase(result, music_map, library, brief, section, number, at, seed)
    return result


def _regenerate_phrase(c: Choreography, music_map: MusicMap, library: Library, brief: Brief,
                       section: int, number: int, at: int | None, seed: int) -> Choreography:
    composer = _Composer(music_map, brief, library, c.cast, free_start=True)
    flat = [(s, p) for s, sec in enumerate(c.sections) for p in range(len(sec.phrases))]
    here = flat.index((section, number))
    for s, p in flat[:here]:
        old = c.sections[s].phrases[p]
        composer.advance([(list(line_dancers(old, line, c.names)), line.moves)
                          for line in old.lines])
    start = dict(composer.state)
    following = c.sections[flat[here + 1][0]].phrases[flat[here + 1][1]] \
        if here + 1 < len(flat) else None
    old_end = _ends(composer, c, c.sections[section].phrases[number])
    # First ask for moves that end where the old ones did: then nothing after the phrase moves,
    # and checking the phrase and its seam is enough. Failing that, anywhere, checked whole.
    for exact in (True, False):
        for attempt in range(TRIES):
            composer.state = dict(start)
            fresh = _phrase(composer, c, library, section, number, at, following,
                            seed=seed + 1000 * attempt, exact=exact)
            if fresh is None:
                continue
            candidate = _with_phrase(c, section, number, fresh)
            if exact:
                composer.state = dict(start)
                if _seam_holds(composer, c, fresh, following, old_end):
                    return candidate
            elif not check(candidate, library):
                return candidate
    raise UsageError(f"phrase {section + 1}.{number + 1}: no new moves meet the locked ones and "
                     "the phrases around it (unlock a move or regenerate a larger part)")


def _ends(composer: _Composer, c: Choreography, phrase: Phrase) -> dict[str, Place]:
    saved = dict(composer.state)
    composer.advance([(list(line_dancers(phrase, line, c.names)), line.moves)
                      for line in phrase.lines])
    out = {name: st.place for name, st in composer.state.items()}
    composer.state = saved
    return out


def _seam_holds(composer: _Composer, c: Choreography, fresh: Phrase, following: Phrase | None,
                old_end: dict[str, Place]) -> bool:
    ctx = composer.contexts[fresh.music]
    lines = [(list(line_dancers(fresh, line, c.names)), line.moves) for line in fresh.lines]
    after = composer.simulate(lines, fresh.counts, ctx.cpm)
    if after is None:
        return False
    composer.state.update(after)
    for name, st in composer.state.items():
        old = old_end[name]
        if math.hypot(st.place.x - old.x, st.place.z - old.z) > SEAM_M + 1e-9:
            return False
    if following is None:
        return True
    lines = [(list(line_dancers(following, line, c.names)), line.moves)
             for line in following.lines]
    return composer.simulate(lines, following.counts,
                             composer.contexts[following.music].cpm) is not None


def _with_phrase(c: Choreography, section: int, number: int, phrase: Phrase) -> Choreography:
    phrases = list(c.sections[section].phrases)
    phrases[number] = phrase
    sections = list(c.sections)
    sections[section] = replace(sections[section], phrases=tuple(phrases))
    return replace(c, sections=tuple(sections))


def _phrase(composer: _Composer, c: Choreography, library: Library, section: int, number: int,
            at: int | None, following: Phrase | None, *, seed: int, exact: bool
            ) -> Phrase | None:
    target = c.sections[section].phrases[number]
    ctx = composer.contexts.get(target.music)
    if ctx is None or len(ctx.strength) != target.counts:
        return None
    rng = np.random.default_rng([seed, target.music, section, number])
    delay = _canon_delay(target)
    if delay and at is None:
        return _canon_phrase(composer, c, library, target, ctx, delay, following, rng, exact)
    new_lines = []
    for line in target.lines:
        names = list(line_dancers(target, line, c.names))
        if not names:
            return None
        keep = [m for m in line.moves if m.locked or (at is not None and m.start_q != at)]
        if any(m.step == "repeat" for m in keep):
            return None  # a kept repeat depends on the counts before it
        end_need = _need(following, names[0], c, library) if following else None
        places = _old_places(composer, names[0], line.moves, library)
        for still in (False, True):  # travelling into another line's dancers: try in place
            moves = _fill_around(composer, ctx, names, keep, target.counts, end_need, rng,
                                 library, places, exact, still)
            if moves is None:
                continue
            done = [*new_lines, Line(line.dancers, tuple(moves))]
            lines = [(list(line_dancers(target, old, c.names)), new.moves)
                     for old, new in zip(target.lines, done, strict=False)]
            if composer.simulate(lines, target.counts, ctx.cpm) is not None:
                break
        else:
            return None
        new_lines.append(Line(line.dancers, tuple(moves)))
    return replace(target, lines=tuple(new_lines), why=_regenerated_why(target.why))


def _regenerated_why(why: str) -> str:
    if "regenerated" in why:
        return why
    return f"{why}; regenerated, locked moves kept" if why else "regenerated, locked moves kept"


def _canon_delay(phrase: Phrase) -> int:
    """Ticks the second line of a canon follows the first by (0: the phrase is no canon, or its
    second line has locks of its own): the second line is a hold, then the first's moves."""
    if len(phrase.lines) != 2:
        return 0
    first, second = (line.moves for line in phrase.lines)
    if len(first) < 2 or second[0].step != "hold" or first[-1].step != "hold":
        return 0
    delay = second[0].length_q
    return delay if canon_lines(first[:-1], delay, phrase.counts * 4) == (first, second) else 0


def _canon_phrase(composer: _Composer, c: Choreography, library: Library, target: Phrase, ctx,
                  delay: int, following: Phrase | None, rng, exact: bool) -> Phrase | None:
    """A canon composed again as a canon: the first line's material around its locks, the
    second line that material ``delay`` ticks later."""
    first, second = target.lines
    names = list(line_dancers(target, first, c.names))
    others = list(line_dancers(target, second, c.names))
    if not names or not others:
        return None
    keep = [m for m in first.moves if m.locked] + [first.moves[-1]]  # and its closing hold
    end_need = _need(following, names[0], c, library) if following else None
    places = _old_places(composer, names[0], first.moves, library)
    for still in (False, True):
        moves = _fill_around(composer, ctx, names, keep, target.counts, end_need, rng, library,
                             places, exact, still)
        if moves is None:
            continue
        later = canon_lines(tuple(moves[:-1]), delay, target.counts * 4)[1]
        lines = [(names, tuple(moves)), (others, later)]
        if composer.simulate(lines, target.counts, ctx.cpm) is not None:
            return replace(target, lines=(Line(first.dancers, tuple(moves)),
                                          Line(second.dancers, later)),
                           why=_regenerated_why(target.why))
    return None


def _need(phrase: Phrase, name: str, c: Choreography, library: Library) -> Body | None:
    for line in phrase.lines:
        if name in line_dancers(phrase, line, c.names):
            try:
                done = expand(line.moves, library)
            except ValueError:
                return None
            for d in done:
                if d.step is not None:
                    return start_body(d.step, d.side)
    return None


def _old_places(composer: _Composer, name: str, moves, library: Library) -> dict[int, Place]:
    """Where the old moves put the dancer at each of their boundaries (tick → place)."""
    st = composer.state[name]
    place = st.place
    out = {0: place}
    try:
        done = expand(moves, library)
    except ValueError:
        return out
    for d in done:
        place = travel(place, d, st.dancer.height_m)
        out[d.end_q] = place
    return out


def _fill_around(composer: _Composer, ctx, names, keep: list[Move], counts: int,
                 end_need: Body | None, rng, library: Library,
                 places: dict[int, Place], exact: bool, still: bool) -> list[Move] | None:
    keep = sorted(keep, key=lambda m: m.start_q)
    out: list[Move] = []
    at = 0
    saved = dict(composer.state)
    try:
        for fixed in [*keep, None]:
            until = fixed.start_q if fixed is not None else counts * 4
            if until > at:
                gap = _fill_gap(composer, ctx, names, at, until, fixed, end_need, rng, library,
                                places, exact, still)
                if gap is None:
                    return None
                out.extend(gap)
            if fixed is not None:
                out.append(fixed)
                after = composer.simulate([(names, (*_holds_before(fixed), fixed))], counts)
                if after is None:
                    return None
                composer.state.update(after)
                at = fixed.end_q
        return out
    finally:
        composer.state.clear()
        composer.state.update(saved)


def _holds_before(move: Move) -> tuple[Move, ...]:
    return (Move(0, move.start_q, "hold"),) if move.start_q else ()


def _fill_gap(composer, ctx, names, start_q, end_q, fixed, end_need, rng, library, places,
              exact, still):
    """Moves from ``start_q`` to ``end_q``: whole counts searched, quarter edges held."""
    first = -(-start_q // 4) * 4
    last = end_q // 4 * 4
    moves = []
    if first > start_q:
        moves.append(Move(start_q, min(first, end_q) - start_q, "hold"))
    if last > first:
        need = end_need
        if fixed is not None and fixed.step not in ("hold", "repeat"):
            need = start_body(library.get(fixed.step), fixed.side or "right")
        here = composer.state[names[0]].place
        goal = places.get(last)
        target = None if goal is None else (goal.x - here.x, goal.z - here.z)
        if still and exact and target is not None and math.hypot(*target) > SEAM_M + 1e-9:
            return None  # in place the line cannot reach a place it must end at
        found = composer.search(ctx, names, (last - first) // 4, rng=rng,
                                finish=fixed is None, start=first // 4, end_need=need,
                                target=target, exact=exact and target is not None,
                                still=still)
        if found is None:
            return None
        moves.extend(found)
    if end_q > max(last, first):
        moves.append(Move(max(last, first), end_q - max(last, first), "hold"))
    after = composer.simulate([(names, (*_holds_before(moves[0]), *moves))], 64)
    if after is None:
        return None
    composer.state.update(after)
    return moves
