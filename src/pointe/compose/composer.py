"""The composer: music, brief and vocabulary in; a first draft of a ballet out.

Conventions
-----------
- Dancers start in 5th position (a contemporary piece: however its first step starts).
- Sections of the ballet follow the sections of the music, phrases its phrases (the
  introduction, phrase 0, is the dancers' preparation and is not danced).
- In each section the first phrase states a motif (half a phrase, then repeated to the other
  side); later phrases develop it (again, other side, augmentation, diminution, retrograde,
  fragmentation) or contrast with new material, and the last phrase finishes on a pose. Music
  that returns (A … A′) brings its motif back.
- With more than one dancer each phrase is danced in unison, in canon (the second group comes
  in ``CANON_DELAY`` counts after the first and dances all of its material, which the first
  ends by holding), in mirror (the two halves of the stage on opposite sides, as many dancers
  on each give or take one), or as a solo against the corps; dancers whose bodies are in
  different places after a canon dance answering lines until they meet again.
- Every phrase is checked before it is kept: each step starts where the dancer's body is, no
  step comes three times running, every
  dancer stays on stage and no two come closer than ``pointe.choreography.check.MIN_GAP_M``;
  when a device fails the check the next is tried, and the last resort is new material that
  does not travel.
- Same music, brief, vocabulary and seed: the same document, byte for byte.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from pointe.choreography.check import MIN_GAP_M
from pointe.choreography.flow import Body, Place, end_body, expand, follows, start_body, travel
from pointe.choreography.model import (
    FACINGS,
    Choreography,
    Dancer,
    Line,
    Move,
    Music,
    Phrase,
    Section,
)
from pointe.compose.brief import Brief
from pointe.compose.ensemble import default_cast, formation, halves
from pointe.compose.palette import Context, allowed, contexts, static_cost
from pointe.compose.search import Candidate, Span, box_for, candidates, fill, index, jitter_for
from pointe.music.model import MusicMap
from pointe.vocabulary.library import Library
from pointe.vocabulary.library import load as load_library

BEAM = 10
CANON_DELAY = 2  # counts the second group of a canon comes in after the first
# What a line's moves do, kept across composers (a ballet replayed again and again to
# regenerate its phrases): (library id, moves) → (library, steps, end body, last steps, travels).
_REPLAYS: dict[tuple[int, tuple[Move, ...]], tuple] = {}
_REPLAYS_KEPT = 100_000
# The phrases' contexts of the last few MusicMaps: id → (music map, contexts).
_CONTEXTS: dict[int, tuple[MusicMap, dict[int, Context]]] = {}
_CONTEXTS_KEPT = 4


def forget() -> None:
    """Drop what composers keep between calls (replayed lines, phrase contexts)."""
    _REPLAYS.clear()
    _CONTEXTS.clear()


def _contexts(music_map: MusicMap) -> dict[int, Context]:
    found = _CONTEXTS.get(id(music_map))
    if found is None or found[0] is not music_map:
        if len(_CONTEXTS) >= _CONTEXTS_KEPT:
            _CONTEXTS.pop(next(iter(_CONTEXTS)))
        found = _CONTEXTS[id(music_map)] = (music_map, contexts(music_map))
    return found[1]


@dataclass
class _Dancer:
    dancer: Dancer
    body: Body | None
    place: Place
    recent: tuple[str, ...] = ()


@dataclass
class _Motif:
    moves: tuple[Move, ...]  # half a phrase, whole counts
    counts: int


class _Composer:
    def __init__(self, music_map: MusicMap, brief: Brief, library: Library,
                 cast: tuple[Dancer, ...], *, free_start: bool = False) -> None:
        self.music_map = music_map
        self.brief = brief
        self.library = library
        self.cast = cast
        self.contexts = _contexts(music_map)
        self.level = brief.step_level
        avoid = {library.get(name).id for name in brief.avoid}
        self.use = {library.get(name).id for name in brief.use}
        self.steps = [s for s in library.steps if allowed(s, brief, avoid, self.level)]
        self.themes = brief.theme_list()
        # Classical dancers prepare in 5th; a contemporary piece may start anyhow.
        ready = None if brief.style == "contemporary" or free_start else Body("both", 5)
        self.state = {d.name: _Dancer(d, ready, Place(d.start_m[0], d.start_m[1],
                                                      FACINGS[d.facing])) for d in cast}
        self.home = {d.name: d.start_m for d in cast}
        self.motifs: dict[str, _Motif] = {}
        self._palettes: dict[tuple, dict] = {}
        self.jumps_per_minute = brief.max_jumps_per_minute
        self.usage: Counter[str] = Counter()
        # Where a section's last phrase should leave the body: where the motif the next section
        # brings back starts (None: anywhere).
        self.section_end_need: Body | None = None

    # ------------------------------------------------------------------ palettes

    def palette(self, ctx: Context, families: set[str] | None = None) -> dict:
        key = (round(ctx.cpm / 6), round(ctx.energy * 4), ctx.climax,
               tuple(sorted(families)) if families else ())
        found = self._palettes.get(key)
        if found is None:
            weights = ctx.family_weights(self.brief)
            chosen = [s for s in self.steps if families is None or s.family in families]
            costs = [(s, static_cost(s, ctx, self.brief, weights, self.themes, self.use))
                     for s in chosen]
            costs.sort(key=lambda item: (item[1], item[0].id))
            # The best steps, and for every way of standing the best few that start there.
            kept = {s.id for s, _ in costs[:80]}
            by_start: dict[tuple, int] = {}
            for s, _ in costs:
                way = (s.start.support, s.start.feet)
                by_start[way] = by_start.get(way, 0) + 1
                if by_start[way] <= 6:
                    kept.add(s.id)
            costs = [(s, c) for s, c in costs if s.id in kept]
            height = max(d.height_m for d in self.cast)
            cands = candidates(costs, height)
            found = {"index": index(cands), "steps": [s for s, _ in costs]}
            self._palettes[key] = found
        return found

    # ------------------------------------------------------------------ moves

    def search(self, ctx: Context, names: list[str], counts: int, *, rng, finish: bool,
               closure: str = "", mirrored: list[str] | None = None,
               families: set[str] | None = None, still: bool = False, start: int = 0,
               end_need: Body | None = None, target: tuple[float, float] | None = None,
               exact: bool = False) -> list[Move] | None:
        lead = self.state[names[0]]
        palette = self.palette(ctx, families)
        places = [(self.state[n].place.x, self.state[n].place.z) for n in names]
        mirror_places = [(self.state[n].place.x, self.state[n].place.z) for n in mirrored or []]
        stage = self.brief.stage
        box = box_for(places, stage.width_m, stage.depth_m, mirror_places or None)
        if still:
            box = replace(box, x=(-0.01, 0.01), z=(-0.01, 0.01),
                          mirror_x=None if box.mirror_x is None else (-0.01, 0.01))
        phrase_s = counts * 60.0 / max(ctx.cpm, 1.0)
        budget = 99 if self.jumps_per_minute is None else int(
            self.jumps_per_minute * phrase_s / 60.0)
        wish = next((t.travel for t in self.themes if t.travel in ("downstage", "upstage")), "")
        home = self.home[names[0]]
        span = Span(counts, lead.body, lead.place.facing_deg, box,
                    ctx.strength[start:start + counts] + (0.3,) * counts, budget, finish=finish,
                    end_need=end_need, closure=closure, travel_wish=wish, before=lead.recent,
                    target=target, home=(home[0] - lead.place.x, home[1] - lead.place.z),
                    exact=exact)
        jitter = jitter_for(palette["steps"], rng)
        for step_id, uses in self.usage.items():  # new material prefers steps not yet danced
            if step_id in jitter:
                jitter[step_id] += min(0.12 * uses, 1.2)
        for step_id in self.use:  # the brief's steps come in until each has been danced
            if step_id in jitter and not self.usage[step_id]:
                jitter[step_id] -= 2.0
        found = fill(span, palette["index"], width=BEAM, jitter=jitter)
        if found is None:
            return None
        return [_move(c, (start + t) * 4, n * 4) for c, t, n in found]

    # ------------------------------------------------------------------ checking

    def advance(self, lines: list[tuple[list[str], tuple[Move, ...]]]) -> None:
        """Follow the dancers through ``lines`` without checking them (a document replayed).

        What a line's moves do is kept (``_REPLAYS``): a motif that returns, or a ballet replayed
        to regenerate a phrase, costs a dictionary lookup the second time.
        """
        for names, moves in lines:
            key = (id(self.library), moves)
            remembered = _REPLAYS.get(key)
            if remembered is None or remembered[0] is not self.library:
                done = expand(moves, self.library)
                body, recent = None, ()
                for d in done:
                    if d.step is not None:
                        body = end_body(d.step, d.side)
                        recent = (*recent[-2:], d.step.id)
                if len(_REPLAYS) >= _REPLAYS_KEPT:
                    _REPLAYS.clear()
                remembered = _REPLAYS[key] = (self.library, done, body, recent, {})
            _library, done, body, recent, moved = remembered
            if "unit" not in moved and not any(d.facing for d in done):
                # No step sets where the dancer faces: the line's path turns with her and
                # grows with her height, so one path (facing front, 1.65 m) serves every dancer.
                place = Place(0.0, 0.0, 0.0)
                for d in done:
                    place = travel(place, d, 1.65)
                moved["unit"] = (place.x, place.z, place.facing_deg)
            unit = moved.get("unit")
            for name in names:
                st = self.state[name]
                if unit is not None:
                    a = math.radians(st.place.facing_deg)
                    grow = st.dancer.height_m / 1.65
                    dx = grow * (math.cos(a) * unit[0] + math.sin(a) * unit[1])
                    dz = grow * (-math.sin(a) * unit[0] + math.cos(a) * unit[1])
                    facing = (st.place.facing_deg + unit[2] + 180.0) % 360.0 - 180.0
                else:
                    key = (round(st.place.facing_deg, 6), st.dancer.height_m)
                    if key not in moved:
                        place = Place(0.0, 0.0, st.place.facing_deg)
                        for d in done:
                            place = travel(place, d, st.dancer.height_m)
                        moved[key] = (place.x, place.z, place.facing_deg)
                    dx, dz, facing = moved[key]
                self.state[name] = _Dancer(
                    st.dancer, body if body is not None else st.body,
                    Place(st.place.x + dx, st.place.z + dz, facing),
                    (*st.recent, *recent)[-3:])

    def simulate(self, lines: list[tuple[list[str], tuple[Move, ...]]], counts: int,
                 cpm: float = 100.0) -> dict[str, _Dancer] | None:
        """The dancers after ``lines`` if every step can follow, on stage, without collision."""
        after: dict[str, _Dancer] = {}
        tracks: dict[str, list[tuple[int, float, float]]] = {}
        stage = self.brief.stage
        hw, hd = stage.width_m / 2, stage.depth_m / 2
        for names, moves in lines:
            try:
                done = expand(moves, self.library)
            except ValueError:
                return None
            for name in names:
                st = self.state[name]
                body, place, recent = st.body, st.place, st.recent
                track = [(0, place.x, place.z)]
                for d in done:
                    if d.step is not None:
                        low, high = d.step.counts[1] * 4, d.step.counts[2] * 4
                        if not follows(body, d.step, d.side) or not low <= d.length_q <= high:
                            return None
                        if len(recent) >= 2 and recent[-1] == recent[-2] == d.step.id:
                            return None  # three of one step running is filler
                        body = end_body(d.step, d.side)
                        recent = (*recent[-2:], d.step.id)
                    place = travel(place, d, st.dancer.height_m)
                    if abs(place.x) > hw - 0.2 or abs(place.z) > hd - 0.2:
                        return None
                    track.append((d.end_q, place.x, place.z))
                after[name] = _Dancer(st.dancer, body, place, recent)
                tracks[name] = track
        if self.jumps_per_minute is not None:
            phrase_s = counts * 60.0 / max(cpm, 1.0)
            allowed_jumps = int(self.jumps_per_minute * phrase_s / 60.0)
            for _names, moves in lines:
                jumps = sum(1 for d in expand(moves, self.library) if d.step and d.step.jumps)
                if jumps > allowed_jumps:
                    return None
        if len(tracks) > 1:
            grid = np.arange(0, counts * 4 + 1, 2)
            xs = np.array([np.interp(grid, [t[0] for t in tr], [t[1] for t in tr])
                           for tr in tracks.values()])
            zs = np.array([np.interp(grid, [t[0] for t in tr], [t[2] for t in tr])
                           for tr in tracks.values()])
            for i in range(len(xs)):
                gaps = np.hypot(xs[i + 1:] - xs[i], zs[i + 1:] - zs[i])
                if gaps.size and gaps.min() < MIN_GAP_M + 0.1:
                    return None
        return after

    # ------------------------------------------------------------------ phrases

    def phrase(self, number: int, role: str, label: str, rng) -> Phrase:
        ctx = self.contexts[number]
        counts = len(ctx.strength)
        names = [d.name for d in self.cast]
        groups = self._body_groups(names)
        reasons = [f"music: section {label}, {ctx.cpm:.0f} counts a minute, energy "
                   f"{ctx.energy:.2f}" + (" (the climax)" if ctx.climax else "")
                   + (f", {', '.join(ctx.words)}" if ctx.words else "")]
        if self.themes:
            reasons.append("themes: " + "; ".join(f"{t.name} ({t.words})" for t in self.themes))
        for plan in self._plans(role, label, groups, names, rng):
            built = plan(ctx, counts, rng)
            if built is None:
                continue
            lines, device, why = built
            after = self.simulate([(ns, mv) for ns, mv in lines], counts, ctx.cpm)
            if after is None:
                continue
            self.state.update(after)
            for d in expand(lines[0][1], self.library):
                if d.step is not None:
                    self.usage[d.step.id] += 1
            if device.startswith("motif") and "(canon)" not in device:  # a canon's is shorter
                self.motifs.setdefault(label.rstrip("′'"), _Motif(
                    tuple(m for m in lines[0][1] if m.step != "repeat"), counts // 2))
            doc_lines = tuple(Line(() if len(lines) == 1 else tuple(ns), tuple(mv))
                              for ns, mv in lines)
            return Phrase(number, counts, doc_lines, device, "; ".join([*reasons, why]))
        raise RuntimeError(f"no plan could fill music phrase {number}")  # the last plan cannot fail

    def _body_groups(self, names: list[str]) -> list[list[str]]:
        groups: dict[tuple, list[str]] = {}
        for name in names:
            body = self.state[name].body
            key = ("any",) if body is None else (body.weight, body.feet)
            groups.setdefault(key, []).append(name)
        return list(groups.values())

    def _plans(self, role: str, label: str, groups: list[list[str]], names: list[str], rng
               ) -> list[Callable]:
        plans: list[Callable] = []
        base = label.rstrip("′'")
        if len(groups) > 1:
            plans.append(lambda ctx, n, r: self._answer(ctx, n, r, groups))
            plans.append(lambda ctx, n, r: self._answer(ctx, n, r, groups, still=True))
        else:
            devices = self._ensemble_devices(role, names, rng)
            if role == "return" and base in self.motifs:
                plans.append(lambda ctx, n, r: self._return(ctx, n, r, names, base))
            if role in ("develop", "return") and base in self.motifs:
                order = list(rng.permutation(
                    ["again", "other side", "augmentation", "diminution", "retrograde",
                     "fragmentation"]))
                for how in order:
                    plans.append(lambda ctx, n, r, how=how: self._develop(ctx, n, r, names,
                                                                          base, how))
            for device in devices:
                if role in ("statement", "return", "develop"):
                    plans.append(lambda ctx, n, r, d=device: self._statement(ctx, n, r, names, d))
                plans.append(lambda ctx, n, r, d=device: self._through(ctx, n, r, names, d,
                                                                        finish_word=role))
        plans.append(lambda ctx, n, r: self._through(ctx, n, r, names, "unison",
                                                     finish_word=role, still=True))
        plans.append(lambda ctx, n, r: self._hold(ctx, n, names))
        return plans

    def _ensemble_devices(self, role: str, names: list[str], rng) -> list[str]:
        if len(names) == 1:
            return ["solo"]
        wished = [d for t in self.themes for d in t.devices]
        options = ["unison", "canon", "mirror"]
        if any(self.state[n].dancer.role in ("soloist", "principal") for n in names) and \
                len(names) >= 3:
            options.append("solo")
        if role == "statement":
            first = ["unison"]
        else:
            first = [d for d in wished if d in options] + list(rng.permutation(options))
        out = []
        for d in first + options:
            if d not in out:
                out.append(d)
        return out

    def motif_start(self, label: str) -> Body | None:
        """The body the motif of section ``label`` starts from, if that section has one."""
        motif = self.motifs.get(label.rstrip("′'"))
        first = next((m for m in motif.moves if m.step not in ("hold", "repeat")), None) \
            if motif else None
        return None if first is None else start_body(self.library.get(first.step),
                                                     first.side or "right")

    # Each plan returns (lines, device, why) or None.

    def _statement(self, ctx, counts, rng, names, device):
        material = counts - (CANON_DELAY if device == "canon" else 0)
        if material % 2 or material < 2:
            return None
        half = material // 2
        lead, other_names, mirrored = self._groups_for(device, names)
        moves = self.search(ctx, lead, half, rng=rng, finish=False, closure="other",
                            mirrored=mirrored)
        if moves is None:
            return None
        moves.append(Move(half * 4, half * 4, "repeat", other_side=True))
        lines = self._arrange(device, names, lead, other_names, mirrored, tuple(moves), counts,
                              ctx, rng)
        if lines is None:
            return None
        device = _actual(device, lines, names)
        return lines, f"motif, repeated to the other side ({device})", (
            f"device: a motif of {half} counts stated, then repeated to the other side; "
            f"{_device_words(device)}")

    def _through(self, ctx, counts, rng, names, device, *, finish_word, still=False):
        material = counts - (CANON_DELAY if device == "canon" else 0)
        if material < 1:
            return None
        lead, other_names, mirrored = self._groups_for(device, names)
        moves = None
        if finish_word == "finish" and self.section_end_need is not None:
            # The next section brings its motif back: end where it starts, if the music allows.
            moves = self.search(ctx, lead, material, rng=rng, finish=True, mirrored=mirrored,
                                still=still, end_need=self.section_end_need)
        if moves is None:
            moves = self.search(ctx, lead, material, rng=rng, finish=True, mirrored=mirrored,
                                still=still)
        if moves is None:
            return None
        lines = self._arrange(device, names, lead, other_names, mirrored, tuple(moves), counts,
                              ctx, rng)
        if lines is None:
            return None
        device = _actual(device, lines, names)
        kind = {"contrast": "new material in contrast", "finish": "new material, ending the "
                "section on a finish"}.get(finish_word, "new material")
        return lines, f"{kind} ({device})" + (" in place" if still else ""), (
            f"device: {kind}; {_device_words(device)}")

    def _develop(self, ctx, counts, rng, names, base, how):
        motif = self.motifs[base]
        if counts == motif.counts * 4 and how != "fragmentation":
            # A motif from a short phrase in a phrase twice as long: developed, then again.
            if how == "augmentation":
                doubled = _developed(motif, how)
                half = motif.counts * 8
                moves = (*doubled, Move(half, half, "repeat", other_side=True))
            else:
                half = motif.counts * 8
                developed = _developed(motif, how)
                if developed is None:
                    return None
                moves = (*developed, Move(half, half, "repeat"))
            return [(names, tuple(moves))], f"development: {how}", (
                f"device: the motif of section {base} developed by {how}, twice")
        if counts != motif.counts * 2:
            return None
        moves = _developed(motif, how)
        if moves is None:
            return None
        if how == "fragmentation":
            fragment = moves
            st = self.state[names[0]]
            body = st.body
            for m in fragment:
                step = self.library.get(m.step)
                if not follows(body, step, m.side or "right"):
                    return None
                body = end_body(step, m.side or "right")
            saved = {n: self.state[n] for n in names}
            after = self.simulate([(names, fragment)], counts)
            if after is None:
                return None
            self.state.update(after)
            rest = self.search(ctx, names, counts - motif.counts // 2, rng=rng, finish=True,
                               start=motif.counts // 2)
            self.state.update(saved)
            if rest is None:
                return None
            moves = (*fragment, *rest)
        return [(names, tuple(moves))], f"development: {how}", (
            f"device: the motif of section {base} developed by {how}")

    def _return(self, ctx, counts, rng, names, base):
        motif = self.motifs[base]
        if counts != motif.counts * 2:
            return None
        # On the side it was stated on, or else the other (whichever the body can start).
        for material in (motif.moves, tuple(_flip(m) for m in motif.moves)):
            moves = (*material, Move(motif.counts * 4, motif.counts * 4, "repeat",
                                     other_side=True))
            if self.simulate([(names, moves)], counts, ctx.cpm) is not None:
                break
        return [(names, moves)], "return of the motif", (
            f"device: the music of section {base} returns, and so does its motif")

    def _answer(self, ctx, counts, rng, groups, still=False):
        lines = []
        saved = dict(self.state)
        for group in groups:
            moves = self.search(ctx, group, counts, rng=rng, finish=True, end_need=Body("both", 5),
                                still=still)
            if moves is None:
                moves = self.search(ctx, group, counts, rng=rng, finish=True, still=still)
            if moves is None:
                self.state.update(saved)
                return None
            lines.append((group, tuple(moves)))
        return lines, "answer", ("device: the dancers are in different places after the canon; "
                                 "each group answers with its own line until they meet again")

    def _hold(self, ctx, counts, names):
        return [(names, (Move(0, counts * 4, "hold"),))], "hold", (
            "device: nothing could be danced here within the stage and the brief's limits; "
            "the dancers hold their position")

    def _groups_for(self, device, names):
        if device == "mirror":
            places = {n: (self.state[n].place.x, self.state[n].place.z) for n in names}
            right, left = halves(names, places)
            if not right or not left or abs(len(right) - len(left)) > 1:
                return names, [], None  # no mirror of one dancer against many: unison
            return right, left, left
        if device == "solo":
            soloist = [n for n in names if self.state[n].dancer.role in ("soloist", "principal")]
            return soloist[:1], [n for n in names if n != soloist[0]], None
        return names, [], None

    def _arrange(self, device, names, lead, others, mirrored, moves, counts, ctx, rng):
        if device in ("solo",) and len(names) == 1:
            return [(names, moves)]
        if device == "canon":
            half = len(names) // 2
            first, second = names[:half + len(names) % 2], names[half + len(names) % 2:]
            if not second:
                return None
            return list(zip((first, second), canon_lines(moves, CANON_DELAY * 4, counts * 4),
                            strict=True))
        if device == "unison" or not others:
            return [(names, moves)]
        if device == "mirror":
            flipped = tuple(_flip(m) for m in moves)
            return [(lead, moves), (others, flipped)]
        if device == "solo":
            corps = self.search(ctx, others, counts, rng=rng, finish=True,
                                families={"pose", "adagio", "linking", "barre"}, still=True)
            if corps is None:
                return None
            return [(lead, moves), (others, tuple(corps))]
        return [(names, moves)]


def _actual(device: str, lines: list, names: list[str]) -> str:
    """The device the lines really are: one line for everyone is unison (or a solo)."""
    if len(lines) > 1:
        return device
    return "solo" if len(names) == 1 else "unison"


def _device_words(device: str) -> str:
    return {"solo": "danced as a solo", "unison": "everyone in unison",
            "mirror": "the two halves of the stage in mirror, on opposite sides",
            "canon": "in canon, the second group two counts behind",
            }.get(device, device)


def _move(c: Candidate, start_q: int, length_q: int) -> Move:
    return Move(start_q, length_q, c.step.name, side="right" if c.side == "right" else "left")


def _flip(move: Move) -> Move:
    if move.step == "repeat" or move.step == "hold":
        return move
    return replace(move, side="left" if (move.side or "right") == "right" else "right")


def canon_lines(moves: tuple[Move, ...], delay_q: int, phrase_q: int
                ) -> tuple[tuple[Move, ...], tuple[Move, ...]]:
    """The two lines of a canon on ``moves`` (the material, ``delay_q`` ticks shorter than the
    phrase's ``phrase_q``): the first group dances it and holds its last position; the second
    holds, then dances all of it ``delay_q`` ticks later (its own moves unlocked)."""
    first = (*moves, Move(phrase_q - delay_q, delay_q, "hold"))
    second = (Move(0, delay_q, "hold"),
              *(replace(m, start_q=m.start_q + delay_q, locked=False) for m in moves))
    return first, second


def _developed(motif: _Motif, how: str) -> tuple[Move, ...] | None:
    half = motif.counts * 4
    moves = motif.moves
    if how == "again":
        return (*moves, Move(half, half, "repeat"))
    if how == "other side":
        flipped = tuple(_flip(m) for m in moves)
        return (*flipped, Move(half, half, "repeat", other_side=True))
    if how == "augmentation":
        out, at = [], 0
        for m in moves:
            out.append(replace(m, start_q=at, length_q=m.length_q * 2))
            at += m.length_q * 2
        return tuple(out)
    if how == "diminution":
        # Every move in half the time: the motif and its other side in the first half, again.
        if any(m.length_q % 2 for m in moves) or half % 2:
            return None
        out, at = [], 0
        for m in moves:
            out.append(replace(m, start_q=at, length_q=m.length_q // 2))
            at += m.length_q // 2
        quarter = half // 2
        return (*out, Move(quarter, quarter, "repeat", other_side=True),
                Move(half, half, "repeat"))
    if how == "retrograde":
        out, at = [], 0
        for m in reversed(moves):
            out.append(replace(m, start_q=at))
            at += m.length_q
        return (*out, Move(half, half, "repeat", other_side=True))
    if how == "fragmentation":
        out, at = [], 0
        for m in moves:
            if at + m.length_q > half // 2:
                break
            out.append(m)
            at += m.length_q
        return tuple(out) if out and at == half // 2 else None
    raise ValueError(how)


def compose(music_map: MusicMap, brief: Brief | None = None, library: Library | None = None, *,
            seed: int = 0, dancers: int | None = None, music_file: str = "",
            map_file: str = "", title: str = "",
            progress: Callable[[int, int], None] | None = None) -> Choreography:
    """A first draft of a ballet on ``music_map``; see the module's conventions."""
    brief = brief or Brief()
    library = library or load_library()
    if brief.cast:
        cast = brief.cast
    else:
        cast = default_cast(dancers or 1, brief.step_level)
    cast = formation(cast, brief.stage)
    composer = _Composer(music_map, brief, library, cast)
    sections = []
    danced = [p for p in music_map.phrases if p.number >= 1]
    total = len(danced)
    done = 0
    for section in music_map.sections:
        numbers = [p.number for p in danced if section.first_phrase <= p.number
                   <= section.last_phrase]
        if not numbers:
            continue
        base = section.label.rstrip("′'")
        returning = base in composer.motifs
        phrases = []
        for i, number in enumerate(numbers):
            role = _role(i, len(numbers), returning)
            rng = np.random.default_rng([seed, number, zlib.crc32(section.label.encode())])
            composer.section_end_need = composer.motif_start(
                _next_label(music_map, danced, section)) if i == len(numbers) - 1 else None
            phrases.append(composer.phrase(number, role, section.label, rng))
            done += 1
            if progress is not None:
                progress(done, total)
        composer.section_end_need = None
        character = ", ".join(section.character.words)
        sections.append(Section(section.label, tuple(phrases), name=section.label,
                                why=f"follows music section {section.label}"
                                + (f" ({character})" if character else "")))
    if not sections:
        raise ValueError("the music has no phrases to dance (is it shorter than one phrase?)")
    return Choreography(
        title=title or brief.title or f"Variation on {music_map.source.name}",
        music=Music(music_file or music_map.source.path, map_file, music_map.source.sha256),
        cast=cast, sections=tuple(sections), stage=brief.stage, style=brief.style, seed=seed)


def _next_label(music_map: MusicMap, danced: list, section) -> str:
    """The label of the next section of the music that has phrases to dance, or ""."""
    after = [s for s in music_map.sections if s.first_phrase > section.last_phrase
             and any(s.first_phrase <= p.number <= s.last_phrase for p in danced)]
    return after[0].label if after else ""


def _role(i: int, n: int, returning: bool) -> str:
    if i == 0:
        return "return" if returning else "statement"
    if i == n - 1 and n >= 3:
        return "finish"
    return "develop" if i % 2 else "contrast"
