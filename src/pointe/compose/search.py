"""Beam search over body states: the moves that fill a span of counts best.

Conventions
-----------
- The search walks whole counts. A state is where the body is (weight, feet), where the dancer
  is on the floor relative to where the span started (metres, in the stage frame) and which way
  she faces, the steps taken so far and their cost.
- The cost of a span is the sum over its moves of: the step's static cost per count times its
  counts (``pointe.compose.palette``); 0.4 − 0.8 × the strength of the count a jump lands on (1.5
  if it lands between counts); 2.5 for the same step twice running, 0.7 for one of the two
  before, 0.6 for each earlier use in the span, 0.25 for a second step of one family in a row
  and 0.5 more for a third, 0.08 for the same side again; a small seeded jitter (up to 0.35) so
  seeds give different drafts; and, at the end, 1.5 when the span ends a phrase without a finish
  (weight on both feet, or a pose), and 3 per metre it ends away from its target place when it
  has one (regenerating keeps the seams), else 0.35 per metre away from home (the line's place
  at the start of the ballet), so that dancers who travel out come back. Hard limits: each move
  starts where the last left the body, every dancer of the line stays 0.4 m inside the stage,
  the brief's jump budget, never one step three times running, and the body at the end can go
  on to what follows.
- The beam keeps the ``width`` cheapest states at each count (distinct in body, last step and
  place to a decimetre). Where the span must end in a given body (the next step's need, or the
  body its first move starts from), it also keeps the cheapest state of every other way of
  standing, so the need is not lost to cheaper states that cannot meet it. Where the span has a
  target place, states are ranked mid-span by their cost plus 3 per metre off a steady way
  there (the target times the share of the span gone); an exact span must end within
  ``SEAM_M`` of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from pointe.choreography.flow import Body, end_body, other, start_body
from pointe.motion.support import TRAVEL_DIRECTIONS
from pointe.vocabulary.step import Step

MARGIN_M = 0.4
SEAM_M = 0.05  # how near its target place an exact span ends (a regenerated phrase's seam)
TARGET_GUIDE = 3.0  # per metre off a steady way to the target, in ranking states mid-span
PER_BODY = 1  # states kept for every way of standing, beyond the beam's width
HOME_PULL = 0.35  # per metre the line ends away from home: travel out, then come back
TRAVEL_WISH = {"downstage": (0.0, 1.0), "upstage": (0.0, -1.0)}


@dataclass(frozen=True)
class Candidate:
    step: Step
    side: str
    need: Body
    end: Body
    lateral: float  # travel in the dancer's frame (x toward her left-hand audience side), m
    ahead: float
    turn_deg: float
    jumps: bool
    landing: float  # fraction of the step where a jump lands (0 if none)
    cost: float  # static, per count
    lengths: tuple[int, ...]
    end_key: tuple = ()  # the way of standing it ends in, as the search tells them apart
    step_id: str = ""
    family: str = ""


def candidates(steps_costs: list[tuple[Step, float]], height_m: float) -> list[Candidate]:
    out = []
    scale = height_m / 1.65
    for step, cost in steps_costs:
        lat, ahead = TRAVEL_DIRECTIONS[step.travel]
        default, low, high = step.counts
        lengths = tuple(sorted({n for n in (default, low, min(high, default * 2)) if n <= 8}))
        landing = 0.0
        if step.jumps:
            air = [i for i, k in enumerate(step.keys) if k.air]
            after = [k.at for k in step.keys[air[-1] + 1:]]
            landing = after[0] if after else 1.0
        for side in ("right", "left"):
            if side == "left" and not step.mirror:
                continue
            sign = -1.0 if side == "right" else 1.0
            out.append(Candidate(step, side, start_body(step, side), end_body(step, side),
                                 sign * lat * step.travel_m * scale, ahead * step.travel_m * scale,
                                 sign * step.turn_deg, step.jumps, landing, cost, lengths,
                                 _key(end_body(step, side)), step.id, step.family))
    return out


def _key(body: Body | None) -> tuple:
    if body is None:
        return ("any",)
    return (body.weight, body.feet) if body.weight == "both" else (body.weight,)


def index(cands: list[Candidate]) -> dict[tuple, list[Candidate]]:
    out: dict[tuple, list[Candidate]] = {("any",): list(cands)}
    for c in cands:
        out.setdefault(_key(c.need), []).append(c)
    return out


@dataclass(frozen=True)
class Box:
    """Where the line's dancers may go: displacements that keep every one of them on stage."""

    x: tuple[float, float]
    z: tuple[float, float]
    mirror_x: tuple[float, float] | None = None  # for a mirrored group: −dx must lie in this

    def inside(self, dx: float, dz: float) -> bool:
        if not (self.x[0] <= dx <= self.x[1] and self.z[0] <= dz <= self.z[1]):
            return False
        return self.mirror_x is None or self.mirror_x[0] <= -dx <= self.mirror_x[1]


def box_for(places: list[tuple[float, float]], width_m: float, depth_m: float,
            mirrored: list[tuple[float, float]] | None = None) -> Box:
    hw, hd = width_m / 2 - MARGIN_M, depth_m / 2 - MARGIN_M
    xs = [p[0] for p in places]
    zs = [p[1] for p in places]
    mirror = None
    if mirrored:
        mx = [p[0] for p in mirrored]
        mirror = (-hw - min(mx), hw - max(mx))
        zs = zs + [p[1] for p in mirrored]
    return Box((-hw - min(xs), hw - max(xs)), (-hd - min(zs), hd - max(zs)), mirror)


@dataclass
class _State:
    cost: float
    t: int
    body: Body | None
    dx: float
    dz: float
    facing: float
    ids: tuple[str, ...]
    families: tuple[str, ...]
    jumps: int
    moves: tuple[tuple[Candidate, int, int], ...] = field(default=())  # (cand, start, counts)


@dataclass(frozen=True)
class Span:
    """What to fill: counts, from where, with what strength on each count."""

    counts: int
    body: Body | None
    facing_deg: float
    box: Box
    strength: tuple[float, ...]
    jump_budget: int
    finish: bool = True  # the span ends a phrase
    end_need: Body | None = None  # the body the next step needs (None: anything)
    closure: str = ""  # "same"/"other": the end must allow the span's first move again
    travel_wish: str = ""
    before: tuple[str, ...] = ()  # ids of the steps just before the span
    target: tuple[float, float] | None = None  # where the span should end (dx, dz), if anywhere
    home: tuple[float, float] = (0.0, 0.0)  # the displacement that brings the line back home
    exact: bool = False  # the span must end at its target (within SEAM_M)


def fill(span: Span, by_start: dict[tuple, list[Candidate]], *, width: int,
         jitter: dict[str, float]) -> list[tuple[Candidate, int, int]] | None:
    """The best moves (candidate, start count, counts) filling ``span``, or None if none can."""
    start = _State(0.0, 0, span.body, 0.0, 0.0, span.facing_deg, span.before[-3:], (), 0)
    # Expansions wait as light tuples; only those that survive pruning become states.
    pending: dict[int, list[tuple]] = {}
    beams: dict[int, list[_State]] = {0: [start]}
    wish = TRAVEL_WISH.get(span.travel_wish)
    # Where the end must meet a need, the beam keeps every way of standing it can.
    per_body = PER_BODY if span.end_need is not None or span.closure else 0
    strength = span.strength
    target = span.target
    last_strength = len(strength) - 1
    budget = span.jump_budget
    counts = span.counts
    (x0, x1), (z0, z1) = span.box.x, span.box.z
    mirror = span.box.mirror_x
    for t in range(span.counts):
        states = beams.pop(t, None)
        if states is None:
            states = _materialise(pending.pop(t, []), width, per_body)
        for st in states:
            a = math.radians(st.facing)
            ca, sa = math.cos(a), math.sin(a)
            ids = st.ids
            last = ids[-1] if ids else None
            twice = last if len(ids) >= 2 and ids[-2] == last else None
            recent = ids[-3:]
            used: dict[str, int] = {}
            for m in st.moves:
                used[m[0].step.id] = used.get(m[0].step.id, 0) + 1
            fam = st.families
            last_family = fam[-1] if fam else None
            family_twice = last_family if len(fam) >= 2 and fam[-2] == last_family else None
            last_side = st.moves[-1][0].side if st.moves else None
            for c in by_start.get(_key(st.body), ()):
                step_id = c.step_id
                if step_id == twice:
                    continue  # never three of one step running: that is filler
                jumps = st.jumps + 1 if c.jumps else st.jumps
                if jumps > budget:
                    continue
                dx = st.dx + ca * c.lateral + sa * c.ahead
                dz = st.dz - sa * c.lateral + ca * c.ahead
                if not (x0 <= dx <= x1 and z0 <= dz <= z1) or (
                        mirror is not None and not mirror[0] <= -dx <= mirror[1]):
                    continue
                base = c.cost + jitter.get(step_id, 0.0)
                rep = 0.6 * used.get(step_id, 0)
                if step_id == last:
                    rep += 2.5
                elif step_id in recent:
                    rep += 0.7
                if c.family == last_family:
                    rep += 0.75 if c.family == family_twice else 0.25
                if c.side == last_side:
                    rep += 0.08
                if wish is not None:
                    rep -= 0.15 * (wish[1] * (dz - st.dz))
                so_far = st.cost + rep
                for n in c.lengths:
                    end = t + n
                    if end > counts:
                        continue
                    cost = so_far + base * n
                    if c.jumps:
                        land = t + c.landing * n
                        whole = round(land)
                        if abs(land - whole) > 0.25:
                            cost += 1.5
                        else:
                            cost += 0.4 - 0.8 * strength[min(int(whole), last_strength)]
                    rank = cost
                    if target is not None:  # behind or ahead of a steady way to the target
                        p = end / counts
                        rank += TARGET_GUIDE * math.hypot(dx - p * target[0], dz - p * target[1])
                    pending.setdefault(end, []).append((rank, cost, st, c, t, n, dx, dz, jumps))
    final_states = _materialise(pending.pop(span.counts, []), 10 * width, per_body)
    finals = []
    for st in final_states:
        cost = st.cost
        if span.end_need is not None and not _meets(st.body, span.end_need):
            continue
        if span.closure and st.moves:
            first = st.moves[0][0]
            side = first.side if span.closure == "same" else other(first.side)
            need = start_body(first.step, side)
            if not _meets(st.body, need):
                continue
            # Doing the span again must keep the line on stage too.
            if not span.box.inside(2 * st.dx if span.closure == "same" else st.dx - st.dx,
                                   2 * st.dz):
                continue
        if span.target is not None:
            miss = math.hypot(st.dx - span.target[0], st.dz - span.target[1])
            if span.exact and miss > SEAM_M + 1e-9:
                continue
            cost += 3.0 * miss
        else:
            cost += HOME_PULL * math.hypot(st.dx - span.home[0], st.dz - span.home[1])
        if span.finish:
            last = st.moves[-1][0]
            if not (last.end.weight == "both" or last.step.family == "pose"):
                cost += 1.5
        finals.append((cost, st))
    if not finals:
        return None
    finals.sort(key=lambda item: (item[0], [m[0].step.id for m in item[1].moves]))
    return list(finals[0][1].moves)


def _meets(body: Body | None, need: Body) -> bool:
    if body is None:
        return True
    if need.weight != body.weight:
        return False
    return need.weight != "both" or need.feet == body.feet


def _materialise(expansions: list[tuple], width: int, per_body: int = 0) -> list[_State]:
    """The best ``width`` distinct expansions as states (distinct: body, last step, place), and
    beside them the best ``per_body`` of every way of standing they leave out, so that the beam
    does not lose the bodies a need at the end (the next phrase's first step) can start from."""
    expansions.sort(key=lambda e: (e[0], e[2].ids, e[3].step.id, e[3].side, e[5]))
    kept: list[_State] = []
    seen: set = set()
    bodies: dict[tuple, int] = {}
    for _rank, cost, st, c, t, n, dx, dz, jumps in expansions:
        body = c.end_key
        if len(kept) >= width and bodies.get(body, 0) >= per_body:
            if not per_body:
                break
            continue
        key = (body, c.step.id, round(dx, 1), round(dz, 1))
        if key in seen:
            continue
        seen.add(key)
        bodies[body] = bodies.get(body, 0) + 1
        kept.append(_State(cost, t + n, c.end, dx, dz, st.facing + c.turn_deg,
                           (*st.ids[-2:], c.step.id), (*st.families[-2:], c.step.family), jumps,
                           (*st.moves, (c, t, n))))
    return kept


def jitter_for(steps: list[Step], rng: np.random.Generator, amount: float = 0.35
               ) -> dict[str, float]:
    values = rng.random(len(steps)) * amount
    return {s.id: float(v) for s, v in zip(steps, values, strict=True)}
