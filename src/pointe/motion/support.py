"""Which feet bear the dancer's weight, moment by moment, and when she may turn and travel.

Conventions
-----------
- Time in seconds, frames at the Motion's rate; legs "left" and "right" (the dancer's own).
- Between two key positions on the floor a foot bears weight when it supports at both keys;
  where each stands on a different foot (the weight goes over to the other foot: a posé, a
  piqué, a tombé) the foot that bore it stands until the other is down (``STEP_OVER``). When
  both feet support at both keys but stand in another relation at the second (1st to 4th), one
  of them steps: in a travelling step the one that moves the way the step travels; else the
  other stays if it carried the weight alone just before or just after; else a travelling step
  moves the foot that has stood longer and a step in place the one that stepped last (it steps
  back); else the working leg steps. Between a key in the air and any other nobody bears weight
  (flight).
- A dancer travels by her feet: a foot bearing weight stays where it was put, so the stage path
  is carried by the feet that land. Where a travelling or turning step gives a foot no moment to
  land (a bourrée on both feet, chaînés, the supporting leg of a piqué), the plan puts in the
  steps its keys cannot show: the feet take turns, one standing while the other steps.
- The body turns only while at most one foot bears weight: it pivots on the ball of that foot
  (the heel eases off the floor), or turns in the air; both feet planted never twist.
- A foot down for less than ``BRIEF_FRAMES`` frames between two moments in the air (a key it
  merely passes through) touches the floor without bearing weight.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MOVED_M = 0.02  # feet whose relation changes more than this between keys: one of them steps
RAISED = ("demi-pointe", "pointe")  # levels on which the heel is off the floor
STRIDE_M = 0.45  # the furthest a foot goes in one step (1.65 m dancer)
STEP_S = 0.12  # the quickest such step
TURN_PER_STEP_DEG = 180.0  # the most the body turns on one foot between steps it takes
BRIEF_FRAMES = 3  # a foot down for fewer frames than this bears no weight
SHIFT = 0.2  # fraction of a put-in step spent with both feet down (the weight shifting)
# Weight from one foot to the other between two keys: the new foot is down by the first
# fraction of the stretch (its leg moves in that time), the old one leaves the floor at the
# second (its leg moves after).
STEP_OVER = (0.5, 0.6)
# A posé or piqué: both feet down, the other foot alone while this one steps out, both down as
# the weight goes over, then this one alone; in fractions of the stretch it starts.
STEP_OUT = (0.0, 0.08, 0.45, 0.65)

NONE, LEFT, RIGHT, BOTH = 0, 1, 2, 3
# Relative to where the dancer faces, "side" toward the working side (x for the left side).
TRAVEL_DIRECTIONS = {
    "none": (0.0, 0.0), "forward": (0.0, 1.0), "back": (0.0, -1.0), "side": (1.0, 0.0),
    "other-side": (-1.0, 0.0), "diagonal-forward": (0.7071, 0.7071),
    "diagonal-back": (0.7071, -0.7071), "circle": (0.0, 1.0),
}
BIT = {"left": LEFT, "right": RIGHT}


@dataclass(frozen=True)
class Support:
    """Per frame: which feet bear weight, flight, and where turn and travel may happen."""

    toe: np.ndarray  # (frames, 2) bool, left and right: the ball of the foot (or the tips)
    heel: np.ndarray  # (frames, 2) bool: the heel bears weight too (the foot is flat)
    flight: np.ndarray  # (frames,) bool: between a take-off and a landing
    turn_weight: np.ndarray  # (frames,) how much of a step's turn each frame takes (relative)
    travel_weight: np.ndarray  # (frames,) how much of a step's travel each frame takes
    travelling: np.ndarray  # (frames,) bool: the frame is in a step that travels


@dataclass
class _Span:
    t0: float
    t1: float
    legs: int  # bit mask of the feet bearing weight
    step: int
    flight: bool = False
    raised: bool = False  # the feet are on demi-pointe or pointe at both ends
    flat: bool = False  # the feet are flat at both ends (heels down)
    hold: bool = False  # a put-in moment when one foot stands while the other steps out
    chosen: bool = False  # one foot stands because the other had to step (not by the keys)
    down: int = NONE  # the feet down at the key the span starts from


def plan(keys, steps: Sequence, times: np.ndarray, scale: float) -> Support:
    """The weight-bearing plan for ``keys`` (``synthesis._Key``) of ``steps`` at ``times``."""
    spans = _key_spans(keys, steps)
    spans = _put_in_steps(spans, steps, scale)
    spans = _shift_weight(spans)
    return _rasterise(spans, steps, times, _down(keys[0]), _down(keys[-1]))


def _down(key) -> int:
    return NONE if key.air else sum(BIT[leg] for leg in key.supporting)


def _key_spans(keys, steps) -> list[_Span]:
    spans: list[_Span] = []
    since = {"left": -math.inf, "right": -math.inf}  # when each foot's weight bearing began
    for k in range(len(keys) - 1):
        a, b = keys[k], keys[k + 1]
        flight = a.air or b.air
        legs = NONE
        chosen = False
        if not flight:
            both = set(a.supporting) & set(b.supporting)
            if len(both) == 2:
                change = _relation(b) - _relation(a)
                if math.hypot(change[0], change[1]) < MOVED_M:
                    legs = BOTH
                else:
                    standing = _standing_leg(keys, k, spans, since, steps[b.step_index],
                                             change)
                    legs = BIT[standing]
                    chosen = True
            elif len(both) == 1:
                legs = BIT[next(iter(both))]
        parts = [(a.time_s, b.time_s, legs)]
        over = transfer(a, b)
        if over is not None:
            # The weight goes from one foot to the other (a posé, a piqué, a tombé): the foot
            # that bore it stands until the other is down, both bear it a moment, then the new
            # one alone (synthesis times the legs to match).
            old, new = BIT[over[0]], BIT[over[1]]
            down, up = (a.time_s + f * (b.time_s - a.time_s) for f in STEP_OVER)
            parts = [(a.time_s, down, old), (down, up, BOTH), (up, b.time_s, new)]
        for t0, t1, legs in parts:
            previous = spans[-1].legs if spans else NONE
            for leg, bit in BIT.items():
                if legs & bit and not previous & bit:
                    since[leg] = t0
                elif chosen and not legs & bit:
                    since[leg] = b.time_s  # the foot that stepped stands again from key b
            spans.append(_Span(t0, t1, legs, b.step_index, flight,
                               raised=a.level in RAISED and b.level in RAISED,
                               flat=a.level not in RAISED and b.level not in RAISED,
                               chosen=chosen,
                               down=_down(a) if t0 == a.time_s else previous))
    return spans


def transfer(a, b) -> tuple[str, str] | None:
    """(old, new): the feet between which the weight goes from key ``a`` to key ``b``, both on
    the floor, where each stands on one foot and not the same; None otherwise."""
    if a.air or b.air or len(a.supporting) != 1 or len(b.supporting) != 1:
        return None
    old, new = a.supporting[0], b.supporting[0]
    return None if old == new else (old, new)


def _relation(key) -> np.ndarray:
    """Where the left heel stands from the right one (x, z)."""
    return (key.ankles["left"] - key.ankles["right"])[[0, 2]]


def _standing_leg(keys, k: int, spans: list[_Span], since: dict, timed, change: np.ndarray
                  ) -> str:
    """Of two feet down at keys k and k + 1 whose relation changes (by ``change``, the left heel
    from the right one), the one that stays (see the module's conventions)."""
    step = timed.step
    if step.travel != "none" and step.travel_m > 0:
        lateral, ahead = TRAVEL_DIRECTIONS[step.travel]
        toward = (-1.0 if timed.side == "right" else 1.0) * lateral * change[0] + ahead * change[1]
        if abs(toward) > 0.01:
            return "right" if toward > 0 else "left"  # the left moving forward: the right stays
    if spans and spans[-1].legs in (LEFT, RIGHT) and not spans[-1].chosen:
        return "left" if spans[-1].legs == LEFT else "right"
    if k + 2 < len(keys):
        b, c = keys[k + 1], keys[k + 2]
        if not (b.air or c.air):
            after = set(b.supporting) & set(c.supporting)
            if len(after) == 1:
                return next(iter(after))
    if since["left"] != since["right"]:
        # Travelling, the foot that has stood longer steps; in place, the foot that stepped
        # last steps back.
        older = "left" if since["left"] < since["right"] else "right"
        newer = "right" if older == "left" else "left"
        return newer if step.travel != "none" and step.travel_m > 0 else older
    return "left" if timed.side == "right" else "right"


def _lands(spans: list[_Span], index: int, bit: int) -> bool:
    return bool(spans[index].legs & bit) and not (index > 0 and spans[index - 1].legs & bit)


def _put_in_steps(spans: list[_Span], steps: Sequence, scale: float) -> list[_Span]:
    """Steps the keys cannot show, where a step must travel or turn and its feet cannot."""
    out: list[_Span] = []
    start = 0
    for index, timed in enumerate(steps):
        end = start
        while end < len(spans) and spans[end].step == index:
            end += 1
        own = spans[start:end]
        travel_m = timed.step.travel_m * scale if timed.step.travel != "none" else 0.0
        turn = abs(timed.step.turn_deg)
        if own and (travel_m > MOVED_M or turn > 0.5):
            before = out[-1].legs if out else NONE
            own = _steps_for(own, spans, start, before, travel_m, turn, timed.side)
        out.extend(own)
        start = end
    return out


def _steps_for(own: list[_Span], spans: list[_Span], first: int, before: int, travel_m: float,
               turn: float, working: str) -> list[_Span]:
    """``own`` (the spans of one step) with the steps put in that its travel and turn need."""
    other = "left" if working == "right" else "right"
    deficit: dict[str, int] = {}
    if travel_m > MOVED_M and not any(span.legs == NONE for span in own):
        # Every foot the step ends on must land in it, often enough that no step is too long
        # (landing from the air, or from a moment without weight, the body goes anywhere).
        required = math.ceil(travel_m / STRIDE_M)
        for leg in (working, other):
            bit = BIT[leg]
            if own[-1].legs & bit:
                landings = sum(_lands(spans, first + i, bit) for i in range(1, len(own)))
                if landings < required:
                    deficit[leg] = required - landings
    can_turn = any(span.legs in (NONE, LEFT, RIGHT) and span.t1 > span.t0 for span in own)
    if not deficit and (turn <= 0.5 or can_turn):
        return own
    double = [i for i, span in enumerate(own) if span.legs == BOTH]
    if not double:
        for leg in deficit:
            own = _step_out(own, leg, before)
        return own
    # The foot that has stood longer steps first.
    last = {leg: max([i for i in range(1, double[0] + 1) if _lands(own, i, BIT[leg])],
                     default=-1) for leg in (working, other)}
    leader = working if last[working] <= last[other] else other
    most = max(deficit.values(), default=0)
    alone = len(deficit) == 1 and leader in deficit
    count = 2 * most - 1 if alone else 2 * most
    if not can_turn:
        count = max(count, math.ceil(turn / TURN_PER_STEP_DEG))
    lengths = [own[i].t1 - own[i].t0 for i in double]
    quickest = int(sum(lengths) / STEP_S)
    # Travelling on both feet is a patter of small quick steps (a bourrée); turning, a few.
    count = max(min(max(count, quickest if deficit else 0), quickest), 1)
    order = [leader if i % 2 == 0 else (other if leader == working else working)
             for i in range(count)]
    replaced: dict[int, list[_Span]] = {}
    taken = 0
    for i, share in zip(double, _apportion(count, lengths), strict=True):
        replaced[i] = _alternating(own[i], order[taken:taken + share])
        taken += share
    return [part for i, span in enumerate(own) for part in replaced.get(i, [span])]


def _apportion(count: int, lengths: list[float]) -> list[int]:
    """``count`` steps shared among stretches of ``lengths`` by largest remainder."""
    total = sum(lengths)
    exact = [count * length / total for length in lengths]
    shares = [int(e) for e in exact]
    for i in sorted(range(len(exact)), key=lambda i: (shares[i] - exact[i], i))[
            :count - sum(shares)]:
        shares[i] += 1
    return shares


def _alternating(span: _Span, stepping: list[str]) -> list[_Span]:
    """A stretch on both feet as ``len(stepping)`` steps, the named foot stepping in each."""
    if not stepping:
        return [span]
    slot = (span.t1 - span.t0) / len(stepping)
    parts: list[_Span] = []
    for i, leg in enumerate(stepping):
        t0 = span.t0 + i * slot
        standing = BOTH & ~BIT[leg]
        for a, b, legs in ((0.0, SHIFT / 2, BOTH), (SHIFT / 2, 1 - SHIFT / 2, standing),
                           (1 - SHIFT / 2, 1.0, BOTH)):
            parts.append(_Span(t0 + a * slot, t0 + b * slot, legs, span.step, False,
                               span.raised, span.flat))
    return parts


def _step_out(own: list[_Span], leg: str, before: int) -> list[_Span]:
    """The supporting foot of a posé or piqué steps out: the other foot, down when the step
    begins, holds the weight while it does, early on (before it has gone far on its own way)."""
    bit = BIT[leg]
    other = BOTH & ~bit
    for i, span in enumerate(own):
        if span.legs != bit:
            continue
        if not ((own[i - 1].legs if i > 0 else before) | span.down) & other:
            continue
        t0, length = span.t0, span.t1 - span.t0
        marks = [t0 + f * length for f in STEP_OUT]
        parts = [_Span(marks[0], marks[1], BOTH, span.step, False, span.raised, span.flat),
                 _Span(marks[1], marks[2], other, span.step, False, span.raised, span.flat,
                       hold=True),
                 _Span(marks[2], marks[3], BOTH, span.step, False, span.raised, span.flat),
                 _Span(marks[3], span.t1, bit, span.step, False, span.raised, span.flat)]
        return own[:i] + parts + own[i + 1:]
    return own


def _shift_weight(spans: list[_Span]) -> list[_Span]:
    """Weight passes from one foot to the other through a moment on both: where one foot lifts
    just as the other lands, the first stays down a little longer."""
    out: list[_Span] = []
    for span in spans:
        if out and out[-1].legs in (LEFT, RIGHT) and span.legs in (LEFT, RIGHT) \
                and span.legs != out[-1].legs and span.t1 > span.t0:
            cut = span.t0 + min(0.1, 0.3 * (span.t1 - span.t0))
            out.append(_Span(span.t0, cut, BOTH, span.step, False, span.raised, span.flat))
            span = _Span(cut, span.t1, span.legs, span.step, span.flight, span.raised,
                         span.flat, span.hold)
        out.append(span)
    return out


def _lasting(down: np.ndarray) -> np.ndarray:
    """A foot down for fewer than ``BRIEF_FRAMES`` frames between two moments off the floor
    touches it without bearing weight (it is not put anywhere for so short a time)."""
    edges = np.diff(np.concatenate([[0], down.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    brief = (ends - starts < BRIEF_FRAMES) & (starts > 0) & (ends < len(down))
    out = down.copy()
    for s, e in zip(starts[brief], ends[brief], strict=True):
        out[s:e] = False
    return out


def _rasterise(spans: list[_Span], steps: Sequence, times: np.ndarray, first: int, last: int
               ) -> Support:
    starts = np.array([s.t0 for s in spans])
    which = np.clip(np.searchsorted(starts, times + 1e-9, side="right") - 1, 0, len(spans) - 1)
    legs = np.array([s.legs for s in spans])[which]
    # The first and last frames stand as their keys do, even next to a flight.
    if legs[0] == NONE and times[0] <= spans[0].t0 + 1e-9:
        legs[0] = first
    if legs[-1] == NONE and times[-1] >= spans[-1].t1 - 1e-9:
        legs[-1] = last
    flat = np.array([s.flat for s in spans])[which]
    flying = np.array([s.flight for s in spans])
    flight = flying[which]
    toe = np.stack([_lasting((legs & LEFT) > 0), _lasting((legs & RIGHT) > 0)], axis=1)

    single = np.array([s.legs in (LEFT, RIGHT) for s in spans])
    free = np.array([s.legs == NONE for s in spans])
    raised = np.array([s.raised for s in spans])
    hold = np.array([s.hold for s in spans])
    turn_w = np.where(free, 1.0, np.where(single & ~hold, np.where(raised, 1.0, 0.25), 0.0))
    # A step travels on one foot and in the air; on the floor (no foot bearing weight, and not
    # in flight: kneeling, sitting, lying) only if it never stands, as a roll does. Going down
    # to the floor or coming up, the body's own shape carries it.
    step_of = np.array([s.step for s in spans])
    stands = np.zeros(len(steps), bool)
    np.logical_or.at(stands, step_of, single | flying)
    travel_w = np.where(single | flying | (free & ~stands[step_of]), 1.0, 0.0)
    turn_weight = turn_w[which]
    travel_weight = travel_w[which]

    # The heel bears weight when the foot is flat at both keys, and never while the body turns
    # on that foot (it pivots on the ball).
    turning = turn_weight > 0
    step_index = step_of[which]
    turns = np.array([abs(t.step.turn_deg) > 0.5 for t in steps])[step_index]
    heel = toe & flat[:, None] & ~(turning & turns)[:, None]

    # A step's travel is done by the time the last of the feet it ends on has landed in it.
    done = np.full(len(steps), np.inf)
    first = 0
    while first < len(spans):
        index, last = spans[first].step, first
        while last + 1 < len(spans) and spans[last + 1].step == index:
            last += 1
        for bit in (LEFT, RIGHT):
            if spans[last].legs & bit:
                landed = [spans[i].t0 for i in range(first + 1, last + 1)
                          if _lands(spans, i, bit)]
                if landed:
                    done[index] = min(done[index], max(landed))
        first = last + 1
    travel_weight[times > done[step_index] + 1e-9] = 0.0
    travels = np.array([t.step.travel != "none" and t.step.travel_m > 0 for t in steps])
    return Support(toe, heel, flight, turn_weight, travel_weight, travels[step_index])
