"""Motion synthesis: a timed list of steps becomes one dancer's Motion.

Conventions
-----------
- Time in seconds here (the choreography's counts are turned into seconds by the MusicMap before
  this stage); frames at ``fps`` (default 60).
- Each step's key positions are posed by the body-position grammar on the step's side and
  interpolated with quaternion slerp under smoothstep easing, so the body settles into each key.
- The dancer's place on stage and facing follow each step's travel (metres for a 1.65 m dancer,
  scaled by height; relative to where she faces, "side" toward the working side) and turn
  (degrees, en dehors: toward the working side's back, i.e. clockwise seen from above for a
  right-side step). A step given a facing turns her to face that way (the shorter way round)
  as it goes, and travels that way. She travels by her feet and turns on one foot or in the air
  (``pointe.motion.support``), so the stage path is where her feet are put, and her place
  follows them (``pointe.motion.feet``).
- Flight is ballistic: from the last key on the floor before a key in the air to the first key on
  the floor after it, the pelvis rises on the parabola g·τ·(T−τ)/2 (g = 9.81 m/s²), so the height
  agrees with the flight time T.
- Between two keys on different feet the new foot is put down first and the old one lifts
  after (``pointe.motion.support.STEP_OVER``): the legs' rotations follow their own timing.
- Feet: a foot bearing weight stays where it was put for as long as it bears weight, in every
  step, travelling and turning ones too (it may pivot on the ball, never slide); free feet stay
  above the floor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pointe.body.positions import pose
from pointe.body.skeleton import INDEX, skeleton
from pointe.motion import support as weight
from pointe.motion.feet import stand
from pointe.motion.performance import Motion
from pointe.motion.support import TRAVEL_DIRECTIONS
from pointe.vocabulary.step import Step

G = 9.81
CHUNK_FRAMES = 2048  # interpolation works in blocks of frames that stay in the processor's cache


@dataclass(frozen=True)
class TimedStep:
    step: Step
    start_s: float
    duration_s: float
    side: str = "right"
    # Seconds of each key position; None: at its fraction ``at`` of the step's time.
    key_times: tuple[float, ...] | None = None
    # Where the dancer faces as the step goes (degrees, as ``start``'s facing); None: as she is.
    facing_deg: float | None = None


@dataclass(frozen=True)
class _Key:
    time_s: float
    rotations: np.ndarray  # (24, 4)
    root_m: np.ndarray  # pose-relative pelvis position
    air: bool
    supporting: tuple[str, ...]
    level: str
    step_index: int
    ankles: dict  # leg → ankle position in the pose's own frame


def perform_steps(
    steps: Sequence[TimedStep],
    *,
    fps: float = 60.0,
    dancer: str = "dancer",
    height_m: float = 1.65,
    start_m: tuple[float, float] = (0.0, 0.0),
    facing_deg: float = 0.0,
) -> Motion:
    """One dancer's Motion for ``steps`` (in time order, each starting when the last ends)."""
    if not steps:
        raise ValueError("perform_steps needs at least one step")
    if fps <= 0:
        raise ValueError(f"fps must be positive (not {fps})")
    for a, b in zip(steps, steps[1:], strict=False):
        if b.start_s < a.start_s + a.duration_s - 1e-6:
            raise ValueError(f"step {b.step.id!r} starts at {b.start_s:.3f} s, before "
                             f"{a.step.id!r} ends at {a.start_s + a.duration_s:.3f} s")
    body = skeleton(height_m)
    scale = height_m / 1.65
    keys = _keys(steps, body)
    end_s = steps[-1].start_s + steps[-1].duration_s
    start_s = steps[0].start_s
    frames = max(2, int(round((end_s - start_s) * fps)) + 1)
    times = start_s + np.arange(frames) / fps
    key_times = np.array([k.time_s for k in keys])
    interval = np.clip(np.searchsorted(key_times, times, side="right") - 1, 0, len(keys) - 2)
    t0, t1 = key_times[interval], key_times[interval + 1]
    u = np.clip((times - t0) / np.maximum(t1 - t0, 1e-9), 0.0, 1.0)
    eased = 3 * u * u - 2 * u * u * u

    key_quats = np.stack([k.rotations for k in keys])
    rotations = _slerp(key_quats, interval, eased)
    _step_over(rotations, key_quats, keys, interval, u)
    roots = np.stack([k.root_m for k in keys])
    pose_root = roots[interval] + eased[:, None] * (roots[interval + 1] - roots[interval])
    plan = weight.plan(keys, steps, times, scale)
    yaw_deg, path = _stage_path(steps, times, plan, scale, facing_deg, start_m)
    lift = _flight(times, keys)
    moved, root = stand(body, rotations, pose_root, np.radians(yaw_deg), path, lift, plan,
                        fps=fps)
    for joint, local in moved.items():
        rotations[:, joint] = local
    contacts = np.stack([plan.heel[:, 0], plan.toe[:, 0], plan.heel[:, 1], plan.toe[:, 1]],
                        axis=1)
    return Motion(dancer, float(height_m), float(fps), root, rotations, contacts)


def _keys(steps: Sequence[TimedStep], body) -> list[_Key]:
    keys: list[_Key] = []
    cache: dict[tuple, _Key] = {}
    for index, timed in enumerate(steps):
        times = timed.key_times
        if times is None:
            times = tuple(timed.start_s + key.at * timed.duration_s for key in timed.step.keys)
        elif len(times) != len(timed.step.keys):
            raise ValueError(f"step {timed.step.id!r} has {len(timed.step.keys)} key positions "
                             f"but {len(times)} key times")
        for key, time_s in zip(timed.step.keys, times, strict=True):
            if keys and time_s <= keys[-1].time_s + 1e-9:
                continue  # the first key of a step is where the last one ended
            cache_key = (key.position, timed.side, key.air)
            posed = cache.get(cache_key)
            if posed is None:
                result = pose(key.position, side=timed.side, body=body)
                ankles = {leg: result.joints[INDEX[f"{leg}_ankle"]] for leg in ("left", "right")}
                posed = _Key(0.0, result.rotations, result.root_m, key.air,
                             () if key.air else result.supporting, key.position.level, 0, ankles)
                cache[cache_key] = posed
            keys.append(_Key(time_s, posed.rotations, posed.root_m, posed.air, posed.supporting,
                             posed.level, index, posed.ankles))
    if len(keys) < 2:
        raise ValueError("the steps give fewer than two key positions")
    return keys


def _step_over(rotations: np.ndarray, key_quats: np.ndarray, keys: list[_Key],
               interval: np.ndarray, u: np.ndarray) -> None:
    """Between two keys on different feet the legs take turns: the foot taking the weight gets
    to its place by ``support.STEP_OVER[0]`` of the stretch, the one giving it up moves only
    from ``STEP_OVER[1]`` (a dancer steps onto the new foot, then lifts the old)."""
    arrive, leave = weight.STEP_OVER
    # Per key interval: +1 where this leg takes the weight, -1 where it gives it up.
    role = {leg: np.zeros(len(keys) - 1, dtype=np.int8) for leg in ("left", "right")}
    for k in range(len(keys) - 1):
        over = weight.transfer(keys[k], keys[k + 1])
        if over is not None:
            role[over[0]][k], role[over[1]][k] = -1, 1
    for leg, roles in role.items():
        if not roles.any():
            continue
        which = roles[interval]
        frames = np.flatnonzero(which)
        if frames.size == 0:
            continue
        uf = u[frames]
        p = np.where(which[frames] > 0, np.clip(uf / arrive, 0.0, 1.0),
                     np.clip((uf - leave) / (1.0 - leave), 0.0, 1.0))
        joints = [INDEX[f"{leg}_{j}"] for j in ("hip", "knee", "ankle", "foot")]
        turned = _slerp(key_quats[:, joints], interval[frames], 3 * p * p - 2 * p * p * p)
        rotations[np.ix_(frames, joints)] = turned


def _slerp(key_quats: np.ndarray, interval: np.ndarray, eased: np.ndarray) -> np.ndarray:
    """Spherical linear interpolation of every joint between key ``interval`` and the next, at
    the fractions ``eased`` (frames,): (frames, joints, 4) quaternions, the shorter way round.

    Each pair of keys gives, per joint, the arc's angle and the unit quaternion at right angles
    to the first key toward the second; a frame is then cos·first + sin·across.
    """
    q0 = key_quats[:-1]
    q1 = key_quats[1:]
    dot = np.sum(q0 * q1, axis=2)
    q1 = np.where(dot[..., None] < 0, -q1, q1)
    dot = np.minimum(np.abs(dot), 1.0)
    angle = np.arccos(dot)
    across = q1 - dot[..., None] * q0
    length = np.linalg.norm(across, axis=2, keepdims=True)
    across = np.where(length > 1e-12, across / np.maximum(length, 1e-12), 0.0)
    out = np.empty((len(interval), key_quats.shape[1], 4))
    for a in range(0, len(interval), CHUNK_FRAMES):
        i = interval[a:a + CHUNK_FRAMES]
        theta = eased[a:a + CHUNK_FRAMES, None] * angle[i]
        out[a:a + CHUNK_FRAMES] = (np.cos(theta)[..., None] * q0[i]
                                   + np.sin(theta)[..., None] * across[i])
    return out


def _stage_path(steps: Sequence[TimedStep], times: np.ndarray, plan, scale: float,
                facing_deg: float, start_m: tuple[float, float]
                ) -> tuple[np.ndarray, np.ndarray]:
    """Facing (degrees) and intended floor position (x, z) of the dancer at every frame.

    Within a step the turn is spread over the moments the plan lets the body turn, and the
    travel over those it lets the feet travel; both ease in and out.
    """
    count = len(steps)
    starts = np.array([t.start_s for t in steps])
    ends = starts + np.array([t.duration_s for t in steps])
    before = np.zeros((count, 3))  # facing, x, z where each step begins
    change = np.zeros((count, 3))  # its turn, and its travel x and z
    facing, x, z = float(facing_deg), float(start_m[0]), float(start_m[1])
    for k, timed in enumerate(steps):
        step = timed.step
        # En dehors turns toward the working side's back: clockwise from above for the right.
        sign = -1.0 if timed.side == "right" else 1.0
        lateral, ahead = TRAVEL_DIRECTIONS[step.travel]
        lateral *= -1.0 if timed.side == "right" else 1.0  # the working side, en face
        # A step that names where she faces turns her there, the shorter way, as it goes, and
        # travels that way.
        toward = facing
        if timed.facing_deg is not None:
            toward = facing + (timed.facing_deg - facing + 180.0) % 360.0 - 180.0
        angle = math.radians(toward)
        distance = step.travel_m * scale if step.travel != "none" else 0.0
        dx = (math.cos(angle) * lateral + math.sin(angle) * ahead) * distance
        dz = (-math.sin(angle) * lateral + math.cos(angle) * ahead) * distance
        before[k] = facing, x, z
        change[k] = toward - facing + sign * step.turn_deg, dx, dz
        facing, x, z = facing + change[k, 0], x + dx, z + dz
    which = np.clip(np.searchsorted(starts, times + 1e-9, side="right") - 1, 0, count - 1)
    turning = _progress(plan.turn_weight, times, starts, ends, which)
    going = _progress(plan.travel_weight, times, starts, ends, which)
    yaw = before[which, 0] + change[which, 0] * turning
    place = before[which, 1:] + change[which, 1:] * going[:, None]
    return yaw, place


def _progress(weights: np.ndarray, times: np.ndarray, starts: np.ndarray, ends: np.ndarray,
              which: np.ndarray) -> np.ndarray:
    """How far through its step's turn (or travel) each frame is, 0..1, eased: the weights say
    how much each frame's time (to the next frame) counts; a step with no weight anywhere goes
    by the clock."""
    dt = np.diff(times, append=times[-1])
    done = np.concatenate([[0.0], np.cumsum(weights * dt)])  # done[f]: frames before f
    lo = np.searchsorted(times, starts - 1e-9, side="left")
    last = np.searchsorted(times, ends + 1e-9, side="right") - 1
    inside = last >= lo
    last = np.maximum(last, lo).clip(max=len(times) - 1)
    lo = lo.clip(max=len(times) - 1)
    total = done[last] - done[lo] + weights[last] * np.clip(ends - times[last], 0.0, dt[last])
    by_weight = inside & (total > 1e-12)
    elapsed = np.where(by_weight[which], done[:-1] - done[lo[which]], times - starts[which])
    span = np.where(by_weight, total, ends - starts)
    p = np.clip(elapsed / np.maximum(span[which], 1e-12), 0.0, 1.0)
    return 3 * p * p - 2 * p * p * p


def _flight(times: np.ndarray, keys: list[_Key]) -> np.ndarray:
    """Extra pelvis height: a ballistic arc over every stretch of keys in the air."""
    lift = np.zeros(len(times))
    k = 0
    while k < len(keys):
        if not keys[k].air:
            k += 1
            continue
        first = k
        while k < len(keys) and keys[k].air:
            k += 1
        takeoff = keys[first - 1].time_s if first > 0 else keys[first].time_s
        landing = keys[k].time_s if k < len(keys) else keys[-1].time_s
        span = landing - takeoff
        lo = int(np.searchsorted(times, takeoff, side="right"))
        hi = int(np.searchsorted(times, landing, side="left"))
        tau = times[lo:hi] - takeoff
        lift[lo:hi] = 0.5 * G * tau * (span - tau)
    return lift
