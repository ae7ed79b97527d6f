"""Feet on the floor: what keeps a synthesised dancer standing, not skating or sinking.

Conventions
-----------
- A weight-bearing foot bears weight at a point: the ball of the foot, rolling onto the tips of
  the toes as the foot rises to pointe (``toe_roll``). That point stays where the foot was put
  for as long as the foot bears weight; the foot may turn about it (a pirouette pivots on the
  ball) but never slides. While the heel bears weight too the whole foot is held still, and
  afterwards it returns to its interpolated orientation over ``BLEND_FRAMES`` frames.
- Where a foot is put: a foot landing from a jump lands where the stage path has the dancer at
  that moment; a foot stepping while the other stands is put where the body's shape puts it,
  plus the stage path's travel since the standing foot was put, less half of any drift beyond
  5 cm (for a 1.65 m dancer) that the shapes have piled up, so the dancer keeps near her path.
- The body follows its feet: on one foot the pelvis stands over that foot as the key positions
  have it, on two it shifts its weight from one foot to the other, in the air it flies straight
  from take-off to landing. Legs bearing weight are solved by two-bone IK (the knee bending where
  the kneecap points); the pelvis comes down where a planted foot is out of reach.
- A foot that bears no weight swings from where it left the floor to where it lands, and never
  goes through the floor: the whole leg is lifted about the hip just enough (``floor_guard``).
- The work is done in the pose frame (the key positions' own, before the dancer's turn and place
  on stage) and moved to the stage by one turn about the vertical and one shift.
- Metres, Y up, frames at the Motion's rate; quaternions (x, y, z, w) as scipy orders them.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter1d, maximum_filter1d

from pointe.body.positions import TOE_M
from pointe.body.skeleton import INDEX, Skeleton, posed, quat_multiply, quat_rotate

CLEARANCE_M = 0.0005  # weight-bearing toes stay this far above the floor (round-off margin)
BLEND_FRAMES = 8
ROLL_DEG = (50.0, 82.0)  # from demi-pointe (on the ball) to pointe (on the tips of the toes)
DRIFT_M = 0.05  # drift from the stage path a stepping foot leaves alone (1.65 m dancer)
DRIFT_TAKEN = 0.5  # of the drift beyond that, the share a stepping foot takes back
STRIDE_M = 0.75  # the longest step a foot takes to make up the stage path (1.65 m dancer)
SWING_S = 0.3  # a foot that leaves the floor for good returns to its own path over this
SMOOTH_S = 0.06  # the body's path on the floor is smoothed over this (a Gaussian's sigma)
CENTRED_RAD_S = 1.5  # turning this fast or faster the body stands over the foot it turns on
SMOOTH_DROP_S = 0.12  # the pelvis takes this long to come down where a foot is out of reach

LEGS = ("left", "right")
LEFT, RIGHT, BOTH = 1, 2, 3
_LEG_JOINTS = ("hip", "knee", "ankle", "foot")


def stand(body: Skeleton, rotations: np.ndarray, pose_root: np.ndarray, yaw: np.ndarray,
          path: np.ndarray, lift: np.ndarray, support, *, fps: float
          ) -> tuple[np.ndarray, np.ndarray]:
    """Place the dancer on stage with her feet on the floor; return rotations and pelvis path.

    ``rotations`` (frames, 24, 4) and ``pose_root`` (frames, 3) are the interpolated key
    positions in the pose frame; ``yaw`` (frames,) the dancer's turn in radians about +Y and
    ``path`` (frames, 2) her intended place (x, z) on stage; ``lift`` (frames,) the pelvis's rise
    in flight; ``support`` the ``pointe.motion.support.Support`` plan.
    """
    frames = len(rotations)
    scale = body.height_m / 1.65
    out = rotations.copy()
    cos, sin = np.cos(yaw), np.sin(yaw)
    legs = _leg_chains(body, out, pose_root)
    held = {leg: _held_foot(legs[leg]["q_ankle"], support.heel[:, i])
            for i, leg in enumerate(LEGS)}
    # The toes keep their bend from the foot when the foot is held.
    toes = {leg: quat_multiply(held[leg], quat_multiply(_conjugate(legs[leg]["q_ankle"]),
                                                        legs[leg]["q_foot"])) for leg in LEGS}
    points = {leg: legs[leg]["ankle"] + _point_offset(body, held[leg], toes[leg], leg)
              for leg in LEGS}
    mask = support.toe[:, 0] * LEFT + support.toe[:, 1] * RIGHT
    # Turning on one foot the body stands right over the point it turns on, so that it turns
    # about its own axis (the more so the faster it turns).
    rate = np.abs(np.gradient(yaw)) * fps if frames > 1 else np.zeros(frames)
    centred = np.clip(rate / CENTRED_RAD_S, 0.0, 1.0)[:, None]
    over = {leg: (1.0 - centred) * points[leg][:, [0, 2]] + centred * pose_root[:, [0, 2]]
            for leg in LEGS}
    anchors, place = _anchors_and_place(mask, support.flight, support.travelling, points, over,
                                        cos, sin, path, scale)
    place = _glide(place, support.flight, SMOOTH_S * fps)

    # Goals of the ankles, in the pose frame: from each planted point, the way the foot is held;
    # the ball and the tips of the toes on or above the floor.
    targets = {}
    drop = np.zeros(frames)
    for i, leg in enumerate(LEGS):
        planted = support.toe[:, i]
        point = _to_pose(anchors[:, i], place, cos, sin)
        offset = points[leg] - legs[leg]["ankle"]
        target = legs[leg]["ankle"].copy()
        target[planted, 0] = point[planted, 0] - offset[planted, 0]
        target[planted, 2] = point[planted, 1] - offset[planted, 2]
        lowest = _lowest_ankle(body, held[leg], toes[leg], leg)
        target[planted, 1] = lowest[planted]
        targets[leg] = target
        # Where a planted foot is out of the leg's reach the pelvis comes down just enough.
        reach = target[planted] - legs[leg]["hip"][planted]
        length = _leg_length(body, leg) * 0.999
        across = np.sum(reach[:, [0, 2]] ** 2, axis=1)
        need = -reach[:, 1] - np.sqrt(np.maximum(length * length - across, 0.0))
        drop[planted] = np.maximum(drop[planted], need)
    drop = _smooth_drop(np.maximum(drop, 0.0), fps)

    for i, leg in enumerate(LEGS):
        planted = support.toe[:, i]
        target = targets[leg]
        target[planted, 1] += drop[planted]  # the pelvis comes down: the goal rises in its frame
        swing = _swing(planted, target - legs[leg]["ankle"], fps)
        moved = ~planted & (np.abs(swing).max(axis=1) > 1e-7)
        target[moved] = legs[leg]["ankle"][moved] + swing[moved]
        blended = ~planted & _held_or_blended(support.heel[:, i])
        solve = np.nonzero(planted | moved | blended)[0]
        if len(solve):
            _solve_leg(body, out, legs[leg], leg, solve, target[solve], held[leg][solve])
    pose_root = pose_root.copy()
    pose_root[:, 1] += lift - drop
    out = floor_guard(body, out, pose_root, support.toe)
    root = np.empty((frames, 3))
    root[:, 0] = cos * pose_root[:, 0] + sin * pose_root[:, 2] + place[:, 0]
    root[:, 1] = pose_root[:, 1]
    root[:, 2] = -sin * pose_root[:, 0] + cos * pose_root[:, 2] + place[:, 1]
    turn = np.zeros((frames, 4))
    turn[:, 1] = np.sin(yaw / 2)
    turn[:, 3] = np.cos(yaw / 2)
    out[:, 0] = quat_multiply(turn, out[:, 0])
    return out, root


# ------------------------------------------------------------------------------ the legs


def _leg_chains(body: Skeleton, rotations: np.ndarray, root: np.ndarray) -> dict:
    """Positions and frame-world rotations of pelvis, hip, knee, ankle and foot of each leg."""
    pelvis = rotations[:, 0] / np.linalg.norm(rotations[:, 0], axis=1, keepdims=True)
    chains = {}
    for leg in LEGS:
        chain = {"q_pelvis": pelvis}
        position, parent = root, pelvis
        for joint in _LEG_JOINTS:
            j = INDEX[f"{leg}_{joint}"]
            position = position + quat_rotate(parent, body.offsets[j])
            local = rotations[:, j] / np.linalg.norm(rotations[:, j], axis=1, keepdims=True)
            parent = quat_multiply(parent, local)
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
    toes), per frame, for the foot turned to ``q_ankle`` and the toes to ``q_toes``."""
    ball = quat_rotate(q_ankle, body.offsets[INDEX[f"{leg}_foot"]])
    tips = quat_rotate(q_toes, np.array([0.0, 0.0, TOE_M * body.height_m / 1.65]))
    return ball + toe_roll(q_ankle)[:, None] * tips


def _lowest_ankle(body: Skeleton, q_ankle: np.ndarray, q_foot: np.ndarray, leg: str
                  ) -> np.ndarray:
    """The lowest the ankle may go with this foot: the ball and the tips of the toes stay on or
    above the floor (the ball no lower than it stands in rest pose)."""
    ball = quat_rotate(q_ankle, body.offsets[INDEX[f"{leg}_foot"]])
    tips = quat_rotate(q_foot, np.array([0.0, 0.0, TOE_M * body.height_m / 1.65]))
    ball_floor = float(body.rest_positions()[INDEX[f"{leg}_foot"], 1])
    return np.maximum(ball_floor - ball[:, 1], -(ball[:, 1] + tips[:, 1])) + CLEARANCE_M


def _solve_leg(body: Skeleton, out: np.ndarray, chain: dict, leg: str, frames: np.ndarray,
               goal: np.ndarray, foot: np.ndarray) -> None:
    """Two-bone IK of ``leg`` toward ``goal`` (pose frame, pelvis not lowered) on ``frames``,
    the foot turned to ``foot``; writes hip, knee and ankle local rotations into ``out``."""
    hip_j, knee_j, ankle_j = (INDEX[f"{leg}_{j}"] for j in ("hip", "knee", "ankle"))
    hip, knee, ankle = chain["hip"][frames], chain["knee"][frames], chain["ankle"][frames]
    q_thigh, q_shin = chain["q_hip"][frames], chain["q_knee"][frames]
    a = float(np.linalg.norm(body.offsets[knee_j]))
    b = float(np.linalg.norm(body.offsets[ankle_j]))
    reach = goal - hip
    distance = np.linalg.norm(reach, axis=1)
    c = np.clip(distance, 1e-6, (a + b) * 0.9999)
    u = reach / np.maximum(distance, 1e-9)[:, None]
    # The knee bends where the kneecap points (the thigh's +Z), a direction that stays defined
    # when the leg is straight.
    kneecap = quat_rotate(q_thigh, np.array([0.0, 0.0, 1.0]))
    pole = kneecap - np.sum(kneecap * u, axis=1, keepdims=True) * u
    pole /= np.maximum(np.linalg.norm(pole, axis=1, keepdims=True), 1e-9)
    cos_alpha = np.clip((a * a + c * c - b * b) / (2 * a * c), -1.0, 1.0)
    sin_alpha = np.sqrt(1.0 - cos_alpha * cos_alpha)
    new_knee = hip + a * (cos_alpha[:, None] * u + sin_alpha[:, None] * pole)
    new_ankle = hip + u * c[:, None]
    # The thigh onto its new line, turned about it so that the kneecap faces where the knee
    # bends: the knee stays a hinge whatever the goal.
    along = _unit_rows(new_knee - hip)
    thigh_fix = _arc(_unit_rows(knee - hip), along)
    facing = quat_rotate(quat_multiply(thigh_fix, q_thigh), np.array([0.0, 0.0, 1.0]))
    bend = pole - np.sum(pole * along, axis=1, keepdims=True) * along
    thigh_fix = quat_multiply(_twist(along, facing, bend), thigh_fix)
    thigh = quat_multiply(thigh_fix, q_thigh)
    shin_old = quat_multiply(thigh_fix, q_shin)
    moved_ankle = new_knee + quat_rotate(thigh_fix, ankle - knee)
    shin = quat_multiply(_arc(_unit_rows(moved_ankle - new_knee),
                              _unit_rows(new_ankle - new_knee)), shin_old)
    out[frames, hip_j] = quat_multiply(_conjugate(chain["q_pelvis"][frames]), thigh)
    out[frames, knee_j] = quat_multiply(_conjugate(thigh), shin)
    out[frames, ankle_j] = quat_multiply(_conjugate(shin), foot)


# ------------------------------------------------------------------- where the body goes


def _anchors_and_place(mask: np.ndarray, flight: np.ndarray, travelling: np.ndarray,
                       points: dict, over: dict, cos: np.ndarray, sin: np.ndarray,
                       path: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Where each planted foot bears weight on stage (frames, 2 legs, x z), and the body's place
    (the pose frame's origin on stage, frames × x z) that follows them.

    ``points`` are the points the feet bear weight on, ``over`` where in the pose frame the body
    wants each planted foot's point (itself, or under the pelvis while turning on it).
    """
    frames = len(mask)
    local = {leg: points[leg][:, [0, 2]] for leg in LEGS}

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
                    anchor[leg] = (bx + cx, bz + cz)
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


def _glide(place: np.ndarray, flight: np.ndarray, sigma_frames: float) -> np.ndarray:
    """The body's place smoothed on the floor (it glides over its feet rather than jumping from
    one to the other as the weight shifts), and straight through every flight."""
    if sigma_frames <= 0 or len(place) < 3:
        return place
    smooth = gaussian_filter1d(place, sigma_frames, axis=0, mode="nearest")
    edges = np.diff(flight.astype(np.int8))
    starts = np.flatnonzero(edges == 1) + 1
    ends = np.flatnonzero(edges == -1)
    if flight[0]:
        starts = np.concatenate([[0], starts])
    if flight[-1]:
        ends = np.concatenate([ends, [len(flight) - 1]])
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


def _to_pose(world: np.ndarray, place: np.ndarray, cos: np.ndarray, sin: np.ndarray
             ) -> np.ndarray:
    """Stage points (frames, x z) in the pose frame (frames, x z)."""
    dx, dz = world[:, 0] - place[:, 0], world[:, 1] - place[:, 1]
    return np.stack([cos * dx - sin * dz, sin * dx + cos * dz], axis=1)


def _swing(planted: np.ndarray, residual: np.ndarray, fps: float) -> np.ndarray:
    """Where a free foot goes beyond its interpolated path (frames, 3): from where it left the
    floor to where it lands, eased; toward its own path after its last step."""
    frames = len(planted)
    out = np.zeros((frames, 3))
    if not planted.any():
        return out
    edges = np.diff(planted.astype(np.int8))
    lands = np.flatnonzero(edges == 1) + 1  # first planted frame after a swing
    leaves = np.flatnonzero(edges == -1)  # last planted frame before a swing
    if not planted[0]:
        first = int(lands[0])
        r = np.arange(first) / first
        out[:first] = (r * r * (3 - 2 * r))[:, None] * residual[first]
    for e in leaves:
        following = lands[lands > e]
        if len(following):
            s = int(following[0])
            r = (np.arange(e + 1, s) - e) / (s - e)
            r = r * r * (3 - 2 * r)
            out[e + 1:s] = (1 - r)[:, None] * residual[e] + r[:, None] * residual[s]
        else:
            span = max(1, min(frames - 1 - e, int(round(SWING_S * fps))))
            r = np.minimum((np.arange(e + 1, frames) - e) / span, 1.0)
            r = r * r * (3 - 2 * r)
            out[e + 1:] = (1 - r)[:, None] * residual[e]
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


def _held_or_blended(heel: np.ndarray) -> np.ndarray:
    """Frames a held foot orientation touches: the heel runs and the blend after each."""
    touched = heel.copy()
    for end in np.nonzero(heel[:-1] & ~heel[1:])[0]:
        touched[end + 1:end + 1 + BLEND_FRAMES] = True
    return touched


def _held_foot(foot: np.ndarray, heel: np.ndarray) -> np.ndarray:
    """Foot orientations with the foot held still while its heel bears weight.

    A flat foot does not swivel on the floor: through each run of heel contact it keeps the
    orientation it had when the run began, and afterwards it returns to the interpolated one
    over ``BLEND_FRAMES`` frames.
    """
    out = foot.copy()
    frames = np.nonzero(heel)[0]
    if len(frames) == 0:
        return out
    starts = frames[np.concatenate([[True], np.diff(frames) != 1])]
    ends = frames[np.concatenate([np.diff(frames) != 1, [True]])]
    for start, end in zip(starts, ends, strict=True):
        out[start:end + 1] = foot[start]
        after = np.arange(end + 1, min(end + 1 + BLEND_FRAMES, len(out)))
        if len(after):
            weight = np.arange(1, len(after) + 1) / (BLEND_FRAMES + 1)
            out[after] = _nlerp(np.repeat(foot[start][None], len(after), axis=0), foot[after],
                                weight)
    return out


def _nlerp(p: np.ndarray, q: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Rotations from ``p`` toward ``q`` by ``weight`` (normalised linear blend, shortest way)."""
    q = np.where(np.sum(p * q, axis=1, keepdims=True) < 0, -q, q)
    blend = p + weight[:, None] * (q - p)
    return blend / np.linalg.norm(blend, axis=1, keepdims=True)


# ---------------------------------------------------------------------------- free legs


def floor_guard(body: Skeleton, rotations: np.ndarray, root: np.ndarray, toe: np.ndarray
                ) -> np.ndarray:
    """Lift free legs whose toes (or knee) would go below the floor, by rotating them about the
    hip.

    ``root`` is the pelvis in a frame with the floor at y = 0 (its turn about the vertical does
    not matter); ``toe`` (frames, 2) says which feet bear weight (those are left alone).
    """
    out = rotations.copy()
    tip = np.array([0.0, 0.0, TOE_M * body.height_m / 1.65])
    for i, leg in enumerate(LEGS):
        hip_j = INDEX[f"{leg}_hip"]
        frames = np.nonzero(~toe[:, i])[0]
        for _ in range(6):
            if len(frames) == 0:
                break
            chain = _leg_chains(body, out[frames], root[frames])[leg]
            tips = chain["foot"] + quat_rotate(chain["q_foot"], tip)
            points = np.stack([tips, chain["foot"], chain["knee"]], axis=1)
            low = np.argmin(points[:, :, 1], axis=1)
            point = points[np.arange(len(points)), low]
            below = point[:, 1] < CLEARANCE_M
            frames, lowest = frames[below], point[below, 1]
            if len(frames) == 0:
                break
            reach = point[below] - chain["hip"][below]
            across = np.linalg.norm(reach[:, [0, 2]], axis=1)
            axis = np.stack([-reach[:, 2], np.zeros(len(reach)), reach[:, 0]], axis=1)
            axis /= np.maximum(np.linalg.norm(axis, axis=1, keepdims=True), 1e-9)
            angle = np.minimum((CLEARANCE_M - lowest) / np.maximum(across, 0.05), 0.5) * 1.1
            lift = np.concatenate([axis * np.sin(angle / 2)[:, None],
                                   np.cos(angle / 2)[:, None]], axis=1)
            pelvis = chain["q_pelvis"][below]
            out[frames, hip_j] = quat_multiply(
                _conjugate(pelvis), quat_multiply(lift, quat_multiply(pelvis, out[frames, hip_j])))
    return out


# ---------------------------------------------------------------------------- quaternions


def _conjugate(q: np.ndarray) -> np.ndarray:
    return q * np.array([-1.0, -1.0, -1.0, 1.0])


def _unit_rows(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def _twist(axis: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rotations about unit ``axis`` taking the components of ``u`` across it onto those of
    ``v`` (no turn where either has none)."""
    cross = np.stack([u[:, 1] * v[:, 2] - u[:, 2] * v[:, 1],
                      u[:, 2] * v[:, 0] - u[:, 0] * v[:, 2],
                      u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]], axis=1)
    half = 0.5 * np.arctan2(np.sum(axis * cross, axis=1),
                            np.sum(u * v, axis=1) - np.sum(u * axis, axis=1)
                            * np.sum(v * axis, axis=1))
    return np.concatenate([axis * np.sin(half)[:, None], np.cos(half)[:, None]], axis=1)


def _arc(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Shortest-arc rotations (quaternions) taking unit vectors ``u`` onto ``v`` row by row."""
    cross = np.stack([u[:, 1] * v[:, 2] - u[:, 2] * v[:, 1],
                      u[:, 2] * v[:, 0] - u[:, 0] * v[:, 2],
                      u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]], axis=1)
    q = np.concatenate([cross, 1.0 + np.sum(u * v, axis=1, keepdims=True)], axis=1)
    norm = np.linalg.norm(q, axis=1, keepdims=True)
    return np.where(norm > 1e-9, q / np.maximum(norm, 1e-12), np.array([0.0, 0.0, 0.0, 1.0]))
