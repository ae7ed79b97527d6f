"""Feet on the floor: what keeps a synthesised dancer standing, not skating or sinking.

Conventions
-----------
- A weight-bearing foot bears weight at a point: the ball of the foot, rolling onto the tips of
  the toes as the foot rises to pointe (``toe_roll``). That point stays where the foot was put
  for as long as the foot bears weight; the foot may turn about it (a pirouette pivots on the
  ball) but never slides. While the heel bears weight too the whole foot is held still, and
  afterwards it returns to its interpolated orientation over ``BLEND_FRAMES`` frames.
- Where a foot is put: a foot landing from a jump lands where the stage path has the dancer at
  that moment; a foot stepping while the other stands goes where the body's shape puts it, and
  back toward the stage path (all the way in a step that travels, a stride at most; in a step
  that stays in place only half of any drift beyond 5 cm for a 1.65 m dancer), so she keeps to
  her path; never more than 80 cm from the standing foot, nor more than 10 cm across it, so
  that both legs reach the floor.
- The body follows its feet: on one foot the pelvis stands over that foot as the key positions
  have it (right over it while turning on it), on two it shifts its weight from one foot to the
  other, in the air it flies straight from take-off to landing, and on the floor it glides
  (smoothed) rather than jerks. Legs bearing weight are solved by two-bone IK (the knee bending
  where the kneecap points); the pelvis comes down where a planted foot is out of reach (30 cm
  at most, eased in and out).
- A foot that bears no weight swings from where it left the floor to where it lands, and never
  goes through the floor: the whole leg is lifted about the hip just enough (``_floor_guard``).
- The work is done in the pose frame (the key positions' own, before the dancer's turn and place
  on stage) and moved to the stage by one turn about the vertical and one shift.
- Metres, Y up, frames at the Motion's rate; quaternions (x, y, z, w) as scipy orders them.
  Inside, vectors and quaternions are kept component-major, (3, frames) and (4, frames), so
  that each arithmetic step runs over contiguous memory.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter1d, maximum_filter1d

from pointe.body.positions import TOE_M
from pointe.body.skeleton import INDEX, Skeleton, posed, quat_rotate

CLEARANCE_M = 0.0005  # weight-bearing toes stay this far above the floor (round-off margin)
BLEND_FRAMES = 8
ROLL_DEG = (50.0, 82.0)  # from demi-pointe (on the ball) to pointe (on the tips of the toes)
DRIFT_M = 0.05  # drift from the stage path a stepping foot leaves alone (1.65 m dancer)
DRIFT_TAKEN = 0.5  # of the drift beyond that, the share a stepping foot takes back
STRIDE_M = 0.75  # the longest step a foot takes to make up the stage path (1.65 m dancer)
STANCE_M = 0.8  # the widest two planted feet are put apart (1.65 m dancer)
CROSS_M = 0.1  # the most a stepping foot is put across the standing one (a 5th crosses less)
SWING_S = 0.3  # a foot that leaves the floor for good returns to its own path over this
SMOOTH_S = 0.06  # the body's path on the floor is smoothed over this (a Gaussian's sigma)
CENTRED_RAD_S = 1.5  # turning this fast or faster the body stands over the foot it turns on
DROP_M = 0.3  # the most the pelvis comes down for a foot out of reach (1.65 m dancer)
SMOOTH_DROP_S = 0.12  # the pelvis takes this long to come down where a foot is out of reach

LEGS = ("left", "right")
LEFT, RIGHT, BOTH = 1, 2, 3
_LEG_JOINTS = ("hip", "knee", "ankle", "foot")
_CHAIN = (INDEX["pelvis"],) + tuple(INDEX[f"{leg}_{j}"] for leg in LEGS for j in _LEG_JOINTS)
_Z = np.array([0.0, 0.0, 1.0])


def stand(body: Skeleton, rotations: np.ndarray, pose_root: np.ndarray, yaw: np.ndarray,
          path: np.ndarray, lift: np.ndarray, support, *, fps: float
          ) -> tuple[dict[int, np.ndarray], np.ndarray]:
    """Place the dancer on stage with her feet on the floor.

    ``rotations`` (frames, 24, 4) and ``pose_root`` (frames, 3) are the interpolated key
    positions in the pose frame; ``yaw`` (frames,) the dancer's turn in radians about +Y and
    ``path`` (frames, 2) her intended place (x, z) on stage; ``lift`` (frames,) the pelvis's rise
    in flight; ``support`` the ``pointe.motion.support.Support`` plan.

    Returns the new local rotations (frames, 4) of the joints it moves (the pelvis, turned to
    face where she faces, and the legs' hips, knees and ankles), by joint index, and the pelvis
    path on stage (frames, 3).
    """
    frames = len(rotations)
    scale = body.height_m / 1.65
    cos, sin = np.cos(yaw), np.sin(yaw)
    local = {j: np.ascontiguousarray(rotations[:, j].T) for j in _CHAIN}
    root = np.ascontiguousarray(pose_root.T)
    legs = _leg_chains(body, local, root)
    out = {INDEX[f"{leg}_{j}"]: local[INDEX[f"{leg}_{j}"]].copy()
           for leg in LEGS for j in ("hip", "knee", "ankle")}
    held = {leg: _held_foot(legs[leg]["q_ankle"], support.heel[:, i])
            for i, leg in enumerate(LEGS)}
    # The toes keep their bend from the foot when the foot is held.
    toes = {leg: _qmul(held[leg], local[INDEX[f"{leg}_foot"]]) for leg in LEGS}
    offsets = {leg: _point_offset(body, held[leg], toes[leg], leg) for leg in LEGS}
    points = {leg: np.stack([legs[leg]["ankle"][0] + offsets[leg][0],
                             legs[leg]["ankle"][2] + offsets[leg][2]], axis=1) for leg in LEGS}
    mask = support.toe[:, 0] * LEFT + support.toe[:, 1] * RIGHT
    # Turning on one foot the body stands right over the point it turns on, so that it turns
    # about its own axis (the more so the faster it turns).
    rate = np.abs(np.gradient(yaw)) * fps if frames > 1 else np.zeros(frames)
    centred = np.clip(rate / CENTRED_RAD_S, 0.0, 1.0)[:, None]
    pelvis = np.stack([root[0], root[2]], axis=1)
    over = {leg: points[leg] + centred * (pelvis - points[leg]) for leg in LEGS}
    anchors, place = _anchors_and_place(mask, support.flight, support.travelling, points, over,
                                        cos, sin, path, scale)
    place = _glide(place, support.flight, SMOOTH_S * fps)

    # Goals of the ankles, in the pose frame: from each planted point, the way the foot is held;
    # the ball and the tips of the toes on the floor.
    targets = {}
    drop = np.zeros(frames)
    for i, leg in enumerate(LEGS):
        planted = support.toe[:, i]
        dx = anchors[planted, i, 0] - place[planted, 0]
        dz = anchors[planted, i, 1] - place[planted, 1]
        c, s = cos[planted], sin[planted]
        target = legs[leg]["ankle"].copy()
        target[0, planted] = c * dx - s * dz - offsets[leg][0, planted]
        target[2, planted] = s * dx + c * dz - offsets[leg][2, planted]
        target[1, planted] = _lowest_ankle(body, held[leg][:, planted], toes[leg][:, planted],
                                           leg)
        targets[leg] = target
        # Where a planted foot is out of the leg's reach the pelvis comes down just enough.
        hip = legs[leg]["hip"][:, planted]
        rx, ry, rz = (target[k, planted] - hip[k] for k in range(3))
        length = _leg_length(body, leg) * 0.999
        need = -ry - np.sqrt(np.maximum(length * length - rx * rx - rz * rz, 0.0))
        drop[planted] = np.maximum(drop[planted], need)
    drop = _smooth_drop(np.clip(drop, 0.0, DROP_M * scale), fps)

    for i, leg in enumerate(LEGS):
        planted = support.toe[:, i]
        target = targets[leg]
        target[1, planted] += drop[planted]  # the pelvis comes down: the goal rises in its frame
        swing = _swing(planted, target - legs[leg]["ankle"], fps)
        moved = ~planted & (np.abs(swing).max(axis=0) > 1e-7)
        target[:, moved] = legs[leg]["ankle"][:, moved] + swing[:, moved]
        solve = planted | moved | (~planted & _held_or_blended(support.heel[:, i]))
        if solve.any():
            _solve_leg(body, out, local, legs[leg], leg, solve, target, held[leg])
    root[1] += lift - drop
    _floor_guard(body, local, out, root, support.toe)
    stage = np.empty((frames, 3))
    stage[:, 0] = cos * root[0] + sin * root[2] + place[:, 0]
    stage[:, 1] = root[1]
    stage[:, 2] = -sin * root[0] + cos * root[2] + place[:, 1]
    turn = np.zeros((4, frames))
    turn[1] = np.sin(yaw / 2)
    turn[3] = np.cos(yaw / 2)
    out[INDEX["pelvis"]] = _qmul(turn, local[INDEX["pelvis"]])
    return {j: q.T for j, q in out.items()}, stage


# ------------------------------------------------------------------------------ the legs


def _leg_chains(body: Skeleton, local: dict, root: np.ndarray, legs: tuple[str, ...] = LEGS
                ) -> dict:
    """Positions (3, frames) and frame-world rotations (4, frames) of pelvis, hip, knee, ankle
    and foot of each leg, from the local unit quaternions (4, frames) of those joints in
    ``local`` (by joint index) and the pelvis at ``root`` (3, frames)."""
    pelvis = local[INDEX["pelvis"]]
    chains = {}
    for leg in legs:
        chain = {"q_pelvis": pelvis}
        position, parent = root, pelvis
        for joint in _LEG_JOINTS:
            j = INDEX[f"{leg}_{joint}"]
            position = position + _qrot(parent, body.offsets[j])
            parent = _qmul(parent, local[j])
            chain[joint] = position
            chain[f"q_{joint}"] = parent
        chains[leg] = chain
    return chains


def _leg_length(body: Skeleton, leg: str) -> float:
    return float(np.linalg.norm(body.offsets[INDEX[f"{leg}_knee"]])
                 + np.linalg.norm(body.offsets[INDEX[f"{leg}_ankle"]]))


def _point_offset(body: Skeleton, q_ankle: np.ndarray, q_toes: np.ndarray, leg: str
                  ) -> np.ndarray:
    """From the ankle to the point that bears weight (the ball, rolling onto the tips of the
    toes), per frame (3, frames), for the foot turned to ``q_ankle`` and the toes to
    ``q_toes``."""
    ball = _qrot(q_ankle, body.offsets[INDEX[f"{leg}_foot"]])
    tips = _qrot(q_toes, np.array([0.0, 0.0, TOE_M * body.height_m / 1.65]))
    return ball + _roll(q_ankle) * tips


def _lowest_ankle(body: Skeleton, q_ankle: np.ndarray, q_toes: np.ndarray, leg: str
                  ) -> np.ndarray:
    """The height the ankle stands at with this foot on the floor: the ball no lower than it
    stands in rest pose, the tips of the toes on or above the floor."""
    ball = _qrot(q_ankle, body.offsets[INDEX[f"{leg}_foot"]])[1]
    tips = _qrot(q_toes, np.array([0.0, 0.0, TOE_M * body.height_m / 1.65]))[1]
    ball_floor = float(body.rest_positions()[INDEX[f"{leg}_foot"], 1])
    return np.maximum(ball_floor - ball, -(ball + tips)) + CLEARANCE_M


def _solve_leg(body: Skeleton, out: dict, local: dict, chain: dict, leg: str, solve: np.ndarray,
               goal: np.ndarray, foot: np.ndarray) -> None:
    """Two-bone IK of ``leg`` toward ``goal`` (3, frames; pose frame, pelvis not lowered) on the
    frames where ``solve``, the foot turned to ``foot`` (4, frames); writes hip, knee and ankle
    local rotations (4, frames) into ``out`` (by joint index)."""
    hip_j, knee_j, ankle_j = (INDEX[f"{leg}_{j}"] for j in ("hip", "knee", "ankle"))
    every = bool(solve.all())

    def take(a: np.ndarray) -> np.ndarray:
        return a if every else a[:, solve]

    hip, q_thigh = take(chain["hip"]), take(chain["q_hip"])
    a = float(np.linalg.norm(body.offsets[knee_j]))
    b = float(np.linalg.norm(body.offsets[ankle_j]))
    reach = take(goal) - hip
    distance = np.sqrt(_dot(reach, reach))
    c = np.clip(distance, 1e-6, (a + b) * 0.9999)
    u = reach / np.maximum(distance, 1e-9)
    # The knee bends where the kneecap points (the thigh's +Z), a direction that stays defined
    # when the leg is straight.
    kneecap = _qrot(q_thigh, _Z)
    pole = _unit(kneecap - _dot(kneecap, u) * u)
    cos_alpha = np.clip((a * a + c * c - b * b) / (2 * a * c), -1.0, 1.0)
    sin_alpha = np.sqrt(1.0 - cos_alpha * cos_alpha)
    along = cos_alpha * u + sin_alpha * pole  # from the hip to where the knee goes
    knee = hip + a * along
    # The thigh onto its new line, turned about it so that the kneecap faces where the knee
    # bends: the knee stays a hinge whatever the goal.
    thigh_rest = np.asarray(body.offsets[knee_j], float)
    thigh = _qmul(_arc(_qrot(q_thigh, thigh_rest / np.linalg.norm(thigh_rest)), along),
                  q_thigh)
    bend = pole - _dot(pole, along) * along
    thigh = _qmul(_twist(along, _qrot(thigh, _Z), bend), thigh)
    # The shin as the knee had it on the new thigh, then onto the goal.
    shin = _qmul(thigh, take(local[knee_j]))
    shin_rest = np.asarray(body.offsets[ankle_j], float)
    shin = _qmul(_arc(_qrot(shin, shin_rest / np.linalg.norm(shin_rest)),
                      _unit(hip + u * c - knee)), shin)
    results = ((hip_j, _qmul(_conj(take(chain["q_pelvis"])), thigh)),
               (knee_j, _qmul(_conj(thigh), shin)),
               (ankle_j, _qmul(_conj(shin), take(foot))))
    for joint, value in results:
        if every:
            out[joint] = value
        else:
            out[joint][:, solve] = value


# ------------------------------------------------------------------- where the body goes


def _anchors_and_place(mask: np.ndarray, flight: np.ndarray, travelling: np.ndarray,
                       points: dict, over: dict, cos: np.ndarray, sin: np.ndarray,
                       path: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Where each planted foot bears weight on stage (frames, 2 legs, x z), and the body's place
    (the pose frame's origin on stage, frames × x z) that follows them.

    ``points`` are the points (frames, x z) the feet bear weight on, ``over`` where in the pose
    frame the body wants each planted foot's point (itself, or under the pelvis while turning on
    it).
    """
    frames = len(mask)
    local = points

    def turned(leg: str, f: int, where: dict = local) -> tuple[float, float]:
        x, z = where[leg][f]
        return cos[f] * x + sin[f] * z, -sin[f] * x + cos[f] * z

    cuts = np.flatnonzero(np.diff(mask)) + 1
    starts = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts - 1, [frames - 1]])
    anchors = np.zeros((frames, 2, 2))
    anchor: dict[str, tuple[float, float]] = {}
    drift = DRIFT_M * scale
    stride = STRIDE_M * scale
    stance = STANCE_M * scale
    cross = CROSS_M * scale
    share0 = np.zeros(len(starts))
    share1 = np.zeros(len(starts))
    for g, (s, e) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        m = int(mask[s])
        before = int(mask[s - 1]) if s > 0 else 0
        after = int(mask[e + 1]) if e + 1 < frames else 0
        new = m & ~before
        if new:
            qx, qz = path[s]
            standing = m & before
            if standing:
                stand_leg = LEGS[standing - 1]
                ax, az = anchor[stand_leg]
                cx, cz = turned(stand_leg, s, over)
                bx, bz = ax - cx, az - cz  # the body, over the standing foot
                ex, ez = bx - qx, bz - qz  # how far it is from its path
                size = (ex * ex + ez * ez) ** 0.5
                if travelling[s]:  # the step puts the foot back on the path, a stride at most
                    taken = min(size, stride)
                else:  # shapes drift: some of it is taken back, and never more than a stride
                    taken = min(DRIFT_TAKEN * max(0.0, size - drift), stride)
                if size > 0:
                    bx, bz = bx - ex * taken / size, bz - ez * taken / size
            else:
                bx, bz = qx, qz  # landing from the air, or the first step: on the path
            for bit, leg in ((LEFT, "left"), (RIGHT, "right")):
                if new & bit:
                    cx, cz = turned(leg, s)
                    x, z = bx + cx, bz + cz
                    if standing:
                        x, z = _reachable(x, z, anchor[stand_leg], leg, cos[s], sin[s],
                                          stance, cross)
                    anchor[leg] = (x, z)
        for bit, i, leg in ((LEFT, 0, "left"), (RIGHT, 1, "right")):
            if m & bit:
                anchors[s:e + 1, i] = anchor[leg]
        if m == BOTH:
            share0[g] = 1.0 if before == LEFT else 0.0 if before == RIGHT else 0.5
            share1[g] = 1.0 if after == LEFT else 0.0 if after == RIGHT else 0.5

    # The body over its feet: on one foot over it, on two between them as the weight shifts.
    segment = np.repeat(np.arange(len(starts)), ends - starts + 1)
    length = (ends - starts + 1)[segment]
    progress = (np.arange(frames) - starts[segment] + 0.5) / length
    eased = progress * progress * (3 - 2 * progress)
    left_share = np.where(mask == LEFT, 1.0, np.where(mask == RIGHT, 0.0, share0[segment] + (
        share1[segment] - share0[segment]) * eased))
    place = np.zeros((frames, 2))
    for i, leg in enumerate(LEGS):
        weight = left_share if i == 0 else 1.0 - left_share
        x, z = over[leg][:, 0], over[leg][:, 1]
        place[:, 0] += weight * (anchors[:, i, 0] - (cos * x + sin * z))
        place[:, 1] += weight * (anchors[:, i, 1] - (-sin * x + cos * z))

    # In the air, or between feet without weight: straight from where the body left the floor
    # to where it lands (eased when no flight carries it).
    free = mask[starts] == 0
    if free.all():
        return anchors, path.copy()
    for g in np.nonzero(free)[0]:
        s, e = int(starts[g]), int(ends[g])
        if s == 0:
            place[:e + 1] = path[:e + 1] + (place[e + 1] - path[e + 1])
            continue
        if e == frames - 1:
            place[s:] = path[s:] + (place[s - 1] - path[s - 1])
            continue
        r = (np.arange(s, e + 1) - (s - 1)) / (e + 2 - s)
        if not flight[s:e + 1].all():
            r = r * r * (3 - 2 * r)
        place[s:e + 1] = place[s - 1] + r[:, None] * (place[e + 1] - place[s - 1])
    return anchors, place


def _reachable(x: float, z: float, standing: tuple[float, float], leg: str, cos: float,
               sin: float, stance: float, cross: float) -> tuple[float, float]:
    """Where a foot stepping to (x, z) beside the foot ``standing`` can go: no further from it
    than ``stance``, and across it (the right foot to the left of the left foot, as the dancer
    faces) by no more than ``cross``, so that both legs reach the floor from their hips."""
    sx, sz = standing
    dx, dz = x - sx, z - sz
    # Across, in the dancer's frame (+ toward her left): the turn undone.
    side = cos * dx - sin * dz
    over = side - cross if leg == "right" else -side - cross
    if over > 0:
        back = over if leg == "right" else -over
        dx, dz = dx - cos * back, dz + sin * back
    apart = (dx * dx + dz * dz) ** 0.5
    if apart > stance:
        dx, dz = dx * stance / apart, dz * stance / apart
    return sx + dx, sz + dz


def _glide(place: np.ndarray, flight: np.ndarray, sigma_frames: float) -> np.ndarray:
    """The body's place smoothed on the floor (it glides over its feet rather than jumping from
    one to the other as the weight shifts), and straight through every flight."""
    if sigma_frames <= 0 or len(place) < 3:
        return place
    smooth = gaussian_filter1d(place, sigma_frames, axis=0, mode="nearest")
    starts, ends = _runs(flight)
    for s, e in zip(starts, ends, strict=True):
        if s == 0 or e == len(place) - 1:
            continue
        r = (np.arange(s, e + 1) - (s - 1)) / (e + 2 - s)
        smooth[s:e + 1] = smooth[s - 1] + r[:, None] * (smooth[e + 1] - smooth[s - 1])
    return smooth


def _smooth_drop(drop: np.ndarray, fps: float) -> np.ndarray:
    """The pelvis comes down (and goes back up) over a moment, not in a frame: the drop
    widened by ``SMOOTH_DROP_S`` either side, then smoothed, never less than what is needed."""
    if not drop.any():
        return drop
    width = max(1, int(round(SMOOTH_DROP_S * fps)))
    wide = maximum_filter1d(drop, 2 * width + 1, mode="nearest")
    return np.maximum(gaussian_filter1d(wide, width / 2, mode="nearest"), drop)




def _swing(planted: np.ndarray, residual: np.ndarray, fps: float) -> np.ndarray:
    """Where a free foot goes beyond its interpolated path (3, frames): from where it left the
    floor (``residual`` there) to where it lands (``residual`` there), eased; toward its own
    path after its last step."""
    frames = len(planted)
    out = np.zeros((3, frames))
    if not planted.any():
        return out
    edges = np.diff(planted.astype(np.int8))
    lands = np.flatnonzero(edges == 1) + 1  # first planted frame after a swing
    leaves = np.flatnonzero(edges == -1)  # last planted frame before a swing
    free = np.flatnonzero(~planted)
    if not len(free):
        return out
    # Each free frame between the frame its foot left the floor and the one it lands on.
    left_at = np.searchsorted(leaves, free, side="right") - 1
    lands_at = np.searchsorted(lands, free, side="left")
    start = np.append(leaves, -1)[np.where(left_at >= 0, left_at, len(leaves))]
    has_end = lands_at < len(lands)
    end = np.append(lands, frames)[lands_at]
    since = residual[:, np.maximum(start, 0)] * (start >= 0)
    until = residual[:, np.minimum(end, frames - 1)] * has_end
    # Without a landing to come the foot returns to its own path over SWING_S.
    span = np.where(has_end, end - start, max(1, int(round(SWING_S * fps))))
    begin = np.where(start >= 0, start, 0)
    r = np.clip((free - begin) / np.maximum(span, 1), 0.0, 1.0)
    r = r * r * (3 - 2 * r)
    out[:, free] = (1 - r) * since + r * until
    return out


# ------------------------------------------------------------------------- the foot itself


def toe_roll(foot_world: np.ndarray) -> np.ndarray:
    """How far each foot has rolled from the ball onto the tips of its toes, 0..1, from its
    pitch (world quaternions of the ankle joint): 0 up to demi-pointe, 1 on full pointe."""
    forward_y = 2.0 * (foot_world[:, 1] * foot_world[:, 2] - foot_world[:, 3] * foot_world[:, 0])
    norm = np.sum(foot_world * foot_world, axis=1)
    pitch = np.degrees(np.arcsin(np.clip(-forward_y / norm, -1.0, 1.0)))
    return np.clip((pitch - ROLL_DEG[0]) / (ROLL_DEG[1] - ROLL_DEG[0]), 0.0, 1.0)


def on_pointe(foot_world: np.ndarray) -> np.ndarray:
    """Whether each foot stands on the tips of its toes (fully rolled)."""
    return toe_roll(foot_world) >= 1.0


def contact_points(motion) -> np.ndarray:
    """The point of each foot part that bears weight, per frame: (frames, 4, 3).

    Columns as ``Motion.contacts``: left heel (the ankle joint), left toes (the ball of the foot,
    rolling onto the tips of the toes as the foot rises to pointe), right heel, right toes.
    """
    body = motion.body
    joints, world = posed(body, motion.rotations, motion.root_m)
    toe = np.array([0.0, 0.0, TOE_M * body.height_m / 1.65])
    points = np.zeros((motion.frames, 4, 3))
    for leg, base in (("left", 0), ("right", 2)):
        ankle_j, foot_j = INDEX[f"{leg}_ankle"], INDEX[f"{leg}_foot"]
        tips = joints[:, foot_j] + quat_rotate(world[:, foot_j], toe)
        points[:, base] = joints[:, ankle_j]
        roll = toe_roll(world[:, ankle_j])[:, None]
        points[:, base + 1] = joints[:, foot_j] + roll * (tips - joints[:, foot_j])
    return points




def _roll(q: np.ndarray) -> np.ndarray:
    """``toe_roll`` of component-major quaternions (4, frames)."""
    forward_y = 2.0 * (q[1] * q[2] - q[3] * q[0])
    pitch = np.degrees(np.arcsin(np.clip(-forward_y / _dot4(q, q), -1.0, 1.0)))
    return np.clip((pitch - ROLL_DEG[0]) / (ROLL_DEG[1] - ROLL_DEG[0]), 0.0, 1.0)


def _held_or_blended(heel: np.ndarray) -> np.ndarray:
    """Frames a held foot orientation touches: the heel runs and the blend after each."""
    touched = heel.copy()
    for end in np.nonzero(heel[:-1] & ~heel[1:])[0]:
        touched[end + 1:end + 1 + BLEND_FRAMES] = True
    return touched


def _held_foot(foot: np.ndarray, heel: np.ndarray) -> np.ndarray:
    """Foot orientations (4, frames) with the foot held still while its heel bears weight.

    A flat foot does not swivel on the floor: through each run of heel contact it keeps the
    orientation it had when the run began, and afterwards it returns to the interpolated one
    over ``BLEND_FRAMES`` frames.
    """
    out = foot.copy()
    frames = len(heel)
    if not heel.any():
        return out
    starts, ends = _runs(heel)
    index = np.arange(frames)
    first = np.maximum.accumulate(np.where(np.isin(index, starts), index, 0))
    out[:, heel] = foot[:, first[heel]]
    # After each run the foot goes back to its own orientation over BLEND_FRAMES frames.
    step = np.arange(1, BLEND_FRAMES + 1)
    after = (ends[:, None] + step[None, :]).ravel()
    held = np.repeat(starts, BLEND_FRAMES)
    weight = np.tile(step / (BLEND_FRAMES + 1), len(ends))
    keep = (after < frames) & ~heel[np.minimum(after, frames - 1)]
    after, held, weight = after[keep], held[keep], weight[keep]
    out[:, after] = _nlerp(foot[:, held], foot[:, after], weight)
    return out


def _nlerp(p: np.ndarray, q: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Rotations (4, n) from ``p`` toward ``q`` by ``weight`` (normalised linear blend, the
    shortest way)."""
    q = np.where(_dot4(p, q) < 0, -q, q)
    blend = p + weight * (q - p)
    return blend / np.sqrt(_dot4(blend, blend))


# ---------------------------------------------------------------------------- free legs


def _floor_guard(body: Skeleton, local: dict, legs: dict, root: np.ndarray, toe: np.ndarray
                 ) -> None:
    """Lift free legs whose toes (or ankle, or knee) would go below the floor, by rotating them
    about the hip: the hips' local rotations in ``legs`` (by joint index, (4, frames)) are
    changed in place; the other joints' rotations come from ``legs`` where given, else from
    ``local``.

    ``root`` (3, frames) is the pelvis in a frame with the floor at y = 0 (its turn about the
    vertical does not matter); ``toe`` (frames, 2) says which feet bear weight (those are left
    alone).
    """
    tip = np.array([0.0, 0.0, TOE_M * body.height_m / 1.65])
    for i, leg in enumerate(LEGS):
        hip_j = INDEX[f"{leg}_hip"]
        chain_joints = [INDEX["pelvis"]] + [INDEX[f"{leg}_{j}"] for j in _LEG_JOINTS]
        frames = np.nonzero(~toe[:, i])[0]
        for _ in range(6):
            if len(frames) == 0:
                break
            some = {j: (legs[j] if j in legs else local[j])[:, frames] for j in chain_joints}
            chain = _leg_chains(body, some, root[:, frames], (leg,))[leg]
            tips = chain["foot"] + _qrot(chain["q_foot"], tip)
            points = np.stack([tips, chain["foot"], chain["ankle"], chain["knee"]])  # (4, 3, n)
            low = np.argmin(points[:, 1], axis=0)
            point = points[low, :, np.arange(len(frames))].T  # (3, n)
            below = point[1] < CLEARANCE_M
            frames, lowest = frames[below], point[1, below]
            if len(frames) == 0:
                break
            reach = point[:, below] - chain["hip"][:, below]
            across = np.sqrt(reach[0] * reach[0] + reach[2] * reach[2])
            axis = np.stack([-reach[2], np.zeros(len(frames)), reach[0]])
            axis /= np.maximum(across, 1e-9)
            angle = np.minimum((CLEARANCE_M - lowest) / np.maximum(across, 0.05), 0.5) * 1.1
            lift = np.concatenate([axis * np.sin(angle / 2), np.cos(angle / 2)[None]])
            pelvis = chain["q_pelvis"][:, below]
            legs[hip_j][:, frames] = _qmul(
                _conj(pelvis), _qmul(lift, _qmul(pelvis, legs[hip_j][:, frames])))


# ------------------------------------------------------------- quaternions, component-major


def _qmul(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Hamilton products p·q of quaternions (4, n), q applied first."""
    px, py, pz, pw = p
    qx, qy, qz, qw = q
    out = np.empty((4, max(p.shape[1], q.shape[1])))
    out[0] = pw * qx + px * qw + py * qz - pz * qy
    out[1] = pw * qy - px * qz + py * qw + pz * qx
    out[2] = pw * qz + px * qy - py * qx + pz * qw
    out[3] = pw * qw - px * qx - py * qy - pz * qz
    return out


def _qrot(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Vector(s) ``v`` ((3,), or (3, n)) turned by unit quaternions ``q`` (4, n): (3, n)."""
    ux, uy, uz, w = q
    vx, vy, vz = v
    tx = 2.0 * (uy * vz - uz * vy)
    ty = 2.0 * (uz * vx - ux * vz)
    tz = 2.0 * (ux * vy - uy * vx)
    out = np.empty((3, q.shape[1]))
    out[0] = vx + w * tx + (uy * tz - uz * ty)
    out[1] = vy + w * ty + (uz * tx - ux * tz)
    out[2] = vz + w * tz + (ux * ty - uy * tx)
    return out


def _conj(q: np.ndarray) -> np.ndarray:
    out = -q
    out[3] = q[3]
    return out


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _dot4(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3]


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.sqrt(_dot(v, v)), 1e-12)


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.empty((3, max(np.shape(a)[-1], np.shape(b)[-1])))
    out[0] = a[1] * b[2] - a[2] * b[1]
    out[1] = a[2] * b[0] - a[0] * b[2]
    out[2] = a[0] * b[1] - a[1] * b[0]
    return out


def _twist(axis: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rotations (4, n) about unit ``axis`` taking the components of ``u`` across it onto those
    of ``v`` (no turn where either has none)."""
    half = 0.5 * np.arctan2(_dot(axis, _cross(u, v)), _dot(u, v) - _dot(u, axis) * _dot(v, axis))
    sine = np.sin(half)
    return np.stack([axis[0] * sine, axis[1] * sine, axis[2] * sine, np.cos(half)])


def _arc(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Shortest-arc rotations (4, n) taking unit vectors ``u`` onto ``v``, column by column
    (left alone where they are opposite)."""
    q = np.empty((4, u.shape[1]))
    q[:3] = _cross(u, v)
    q[3] = 1.0 + _dot(u, v)
    norm = np.sqrt(_dot4(q, q))
    q /= np.maximum(norm, 1e-12)
    q[:, norm <= 1e-9] = np.array([[0.0], [0.0], [0.0], [1.0]])
    return q


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last frame (inclusive) of each run of true frames in ``mask``."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
