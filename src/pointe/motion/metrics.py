"""Motion-quality metrics, computed the way the dance-generation literature computes them.

Each metric reproduces a published evaluation script line by line, so that a figure pointe prints
can be read next to a table in a paper. Each function names the script it follows and says where,
if anywhere, it departs from it and why.

Conventions
-----------
- Input is pointe's: joint positions ``joints`` of shape (frames, 24, 3) in metres, in the SMPL
  joint order (7/8 left/right ankle, 10/11 left/right foot, i.e. the toe joint), world axes
  right-handed with Y up and the floor at y = 0, sampled at ``fps`` frames per second.
- Each metric converts to its source's own convention inside the function: EDGE works at 30 fps
  with Z up, Bailando at 60 fps (axes do not matter to it), LODGE at 30 fps with Y up.
- Frame-rate conversion: frame k of the target rate is the input at time k / target_fps, taken by
  linear interpolation between the two nearest input frames, for every k up to the last input
  frame. When the input rate is a whole multiple of the target this picks every n-th frame
  exactly, which is what the sources do themselves (EDGE and LODGE take AIST++'s 60 fps motion
  with ``[::2]``); other rates are interpolated, which the sources never needed.
- Arithmetic is float64 throughout; the sources ran in float32 (torch), so figures can differ in
  the last digits and a displacement lying exactly on a threshold can fall the other way.
- Bad input raises ``ValueError`` naming the parameter, its shape or value and what is expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.ndimage import gaussian_filter
from scipy.signal import argrelextrema

from pointe.body.skeleton import N_JOINTS

PELVIS = 0
LEFT_ANKLE, RIGHT_ANKLE, LEFT_FOOT, RIGHT_FOOT = 7, 8, 10, 11

EDGE_FPS = 30.0
BAILANDO_FPS = 60.0
LODGE_FPS = 30.0

# Bailando: ``G(kinetic_vel, 5)`` and ``np.exp(-d**2 / 2 / 9)`` -- both in frames at 60 fps.
BAILANDO_SMOOTH_SIGMA_FRAMES = 5.0
BAILANDO_ALIGN_SIGMA_FRAMES = 3.0

# LODGE: contact when ankle <= 0.08 m and toe <= 0.05 m; sliding when |mean(vx, vz)| > 0.01 m/frame.
LODGE_ANKLE_CONTACT_M = 0.08
LODGE_TOE_CONTACT_M = 0.05
LODGE_SLIDE_M_PER_FRAME = 0.01
LODGE_SAME_HEIGHT_M = 0.02  # set_on_ground_139: toes this close in frame 0 count as level


@dataclass(frozen=True)
class FootSkate:
    """Foot skating as LODGE measures it, plus the distance the contact feet slid.

    ``ratio`` is the figure LODGE reports: the mean of the left and right ratios, each the number
    of sliding frames over the number of contact frames of that foot. ``slide_m`` and
    ``slide_m_per_contact_s`` are pointe's additions (LODGE reports no distance).
    """

    ratio: float
    left_ratio: float
    right_ratio: float
    contact_s: float  # time in contact, both feet summed, at LODGE's 30 fps
    slide_m: float  # horizontal distance slid in the frames flagged as sliding, both feet
    slide_m_per_contact_s: float


@dataclass(frozen=True)
class Penetration:
    """Joints below the floor: the frames where any joint is, and the deepest point reached."""

    frames: tuple[int, ...]  # indices (at the input fps) of frames with a joint below the floor
    max_depth_m: float  # 0.0 when no joint goes below the floor


# --------------------------------------------------------------------------------------------
# EDGE: Physical Foot Contact score


def pfc(joints: np.ndarray, *, fps: float) -> float:
    """Physical Foot Contact score (PFC) of one motion, as EDGE computes it; lower is better.

    Source: Stanford-TML/EDGE, ``eval/eval_pfc.py``, ``calc_physical_score`` (Tseng, Castellon and
    Liu, "EDGE: Editable Dance Generation from Music", CVPR 2023). Their convention, from
    ``dataset/dance_dataset.py`` of the same repository: AIST++ is taken from 60 to 30 fps with
    ``[::2]``, and rotated from Y up to Z up by +90 degrees about X, ``(x, y, z) -> (x, -z, y)``
    ("basically (y, z) -> (-z, y)"). This function does both, then their formula:

    - root (pelvis, joint 0) velocity and acceleration by finite differences with DT = 1/30 s;
      the up (Z) component of the acceleration clamped to >= 0 (a body may fall freely, it may
      not be pushed up without support); its norm divided by its maximum over the motion;
    - horizontal (X, Y) displacement per 30 fps frame of joints 7, 10 (left ankle, toe) and 8, 11
      (right ankle, toe), from frame t-1 to t for t = 2 .. S-1 (not divided by DT);
    - per frame, min(left ankle, left toe) * min(right ankle, right toe) * normalised root
      acceleration; the mean over frames, times 10,000.

    EDGE's script averages this over the clips in a folder before scaling by 10,000; for one motion
    that is the motion's own score, which is what this returns. Their published figures are means
    over 5-second clips, and the acceleration is normalised by its maximum within each clip, so a
    long piece scores differently from its 5-second slices: to compare with their tables, cut the
    motion into 150-frame (5 s at 30 fps) windows and average ``pfc`` over them.

    Deviation: when the root never accelerates upward or horizontally (a figure standing still,
    or gliding at constant velocity), EDGE divides 0 by 0 and gets NaN; this returns 0.0, the
    limit of the formula (no unsupported acceleration, nothing to penalise).
    """
    positions = _check_joints(joints, fps=fps)
    z_up = _edge_z_up(_resample(positions, fps, EDGE_FPS))
    _check_length(z_up, minimum=3, metric="pfc", rate=EDGE_FPS, fps=fps, frames=len(positions))

    dt = 1.0 / EDGE_FPS
    up = 2
    flat = [0, 1]
    root_v = (z_up[1:, PELVIS] - z_up[:-1, PELVIS]) / dt  # (S-1, 3)
    root_a = (root_v[1:] - root_v[:-1]) / dt  # (S-2, 3)
    root_a[:, up] = np.maximum(root_a[:, up], 0.0)
    root_a = np.linalg.norm(root_a, axis=-1)  # (S-2,)
    scaling = root_a.max()
    if scaling == 0.0:
        return 0.0
    root_a = root_a / scaling

    feet = z_up[:, [LEFT_ANKLE, LEFT_FOOT, RIGHT_ANKLE, RIGHT_FOOT]]  # (S, 4, 3)
    foot_v = np.linalg.norm(feet[2:][:, :, flat] - feet[1:-1][:, :, flat], axis=-1)  # (S-2, 4)
    left = np.minimum(foot_v[:, 0], foot_v[:, 1])
    right = np.minimum(foot_v[:, 2], foot_v[:, 3])
    return float(np.mean(left * right * root_a) * 10000.0)


def _edge_z_up(positions: np.ndarray) -> np.ndarray:
    """pointe's Y-up world to EDGE's Z-up one: +90 degrees about X, (x, y, z) -> (x, -z, y)."""
    return np.stack([positions[..., 0], -positions[..., 2], positions[..., 1]], axis=-1)


# --------------------------------------------------------------------------------------------
# Bailando: Beat Alignment Score


def beat_alignment(
    joints: np.ndarray, *, fps: float, music_beats_s: Sequence[float] | np.ndarray
) -> float:
    """Beat Alignment Score (BAS) of a motion against music beats, as Bailando computes it.

    Source: lisiyao21/Bailando, ``utils/beat_align_score.py``, ``calc_db``, ``BA`` and ``get_mb``
    (Li et al., "Bailando: 3D Dance Generation by Actor-Critic GPT with Choreographic Memory",
    CVPR 2022). Their motion is AIST++ at 60 fps, and their music beats are the one-hot
    ``onset_beat`` column (index 53) of music features on the same 60 fps frame grid
    (``_prepro_aistpp_music.py``). This function resamples the motion to 60 fps, then:

    - kinetic velocity: for each pair of consecutive frames, the mean over the 24 joints of the
      distance each joint moved (no division by time, so units do not matter, nor do axes);
    - smoothed with ``scipy.ndimage.gaussian_filter(v, 5)``: sigma = 5 frames (83 ms), scipy's
      defaults otherwise (reflect at the ends, truncate at 4 sigma);
    - motion (kinematic) beats: ``scipy.signal.argrelextrema(v, np.less)``: strict local minima,
      order 1, never the first or last sample;
    - the score is averaged over the MUSIC beats: for each music beat, exp(-d^2 / (2 * 9)) with d
      the distance in 60 fps frames to the nearest motion beat (sigma = 3 frames = 50 ms).

    As in their code, index i of the velocity (the step from frame i to i + 1) is compared with
    music-beat frame i directly, and only music beats before the end of the velocity curve count
    (``get_mb(key, length)`` keeps ``[:length]``).

    ``music_beats_s`` are beat times in seconds, as ``MusicMap`` gives them; each is put on the
    60 fps grid by rounding to the nearest frame (their beats are born as frames there, and
    frame f is at f / 60 s), and beats landing on the same frame count once, as in a one-hot row.

    Deviation: if the motion has no speed minimum at all (no motion beat), their ``np.min`` of an
    empty array raises; this returns 0.0, the limit of the formula as the nearest motion beat
    moves away.
    """
    positions = _check_joints(joints, fps=fps)
    beats_s = _check_beats(music_beats_s)
    motion = _resample(positions, fps, BAILANDO_FPS)
    _check_length(
        motion, minimum=3, metric="beat_alignment", rate=BAILANDO_FPS, fps=fps,
        frames=len(positions),
    )

    kinetic_vel = np.mean(np.sqrt(np.sum((motion[1:] - motion[:-1]) ** 2, axis=2)), axis=1)
    kinetic_vel = gaussian_filter(kinetic_vel, BAILANDO_SMOOTH_SIGMA_FRAMES)
    motion_beats = argrelextrema(kinetic_vel, np.less)[0]
    length = len(kinetic_vel)

    music_beats = np.unique(np.rint(beats_s * BAILANDO_FPS).astype(np.int64))
    music_beats = music_beats[music_beats < length]
    if music_beats.size == 0:
        raise ValueError(
            f"music_beats_s: none of the {beats_s.size} beats falls within the motion "
            f"(0 to {length / BAILANDO_FPS:.3f} s at Bailando's 60 fps; first beat "
            f"{beats_s.min():.3f} s); did you pass beat times in milliseconds or frames "
            "instead of seconds, or beats of a different part of the music?"
        )
    if motion_beats.size == 0:
        return 0.0
    d2 = np.min((motion_beats[None, :] - music_beats[:, None]) ** 2, axis=1)
    sigma2 = BAILANDO_ALIGN_SIGMA_FRAMES**2
    return float(np.sum(np.exp(-d2 / 2.0 / sigma2)) / music_beats.size)


def _check_beats(music_beats_s: Sequence[float] | np.ndarray) -> np.ndarray:
    try:
        beats = np.asarray(music_beats_s, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(
            f"music_beats_s must be a sequence of beat times in seconds (not {music_beats_s!r})"
        ) from err
    if beats.ndim != 1:
        raise ValueError(
            f"music_beats_s has shape {beats.shape}; expected (beats,): one time in seconds "
            "per beat"
        )
    if beats.size == 0:
        raise ValueError("music_beats_s is empty; expected at least one beat time in seconds")
    if not np.all(np.isfinite(beats)) or np.any(beats < 0):
        bad = int(np.flatnonzero(~np.isfinite(beats) | (beats < 0))[0])
        raise ValueError(
            f"music_beats_s[{bad}] is {beats[bad]}; beat times must be finite seconds >= 0"
        )
    return beats


# --------------------------------------------------------------------------------------------
# LODGE: foot skating


def foot_skating(
    joints: np.ndarray, *, fps: float, ground: Literal["first_frame", "floor"] = "first_frame"
) -> FootSkate:
    """Foot skating ratio as LODGE computes it, plus sliding distance; lower is better.

    Source: li-ronghui/LODGE, ``metric/foot_skating.py``, ``calc_foot_skating_ratio`` and
    ``set_on_ground_139`` (Li et al., "Lodge: A Coarse to Fine Diffusion Network for Long Dance
    Generation Guided by the Characteristic Dance Primitives", CVPR 2024). Their motion is Y up,
    like pointe's, at 30 fps (FineDance; ``dld/data/FineDance_dataset.py`` takes AIST++ from 60 fps
    with ``[::2]``). This function resamples to 30 fps, then:

    - grounding (``ground="first_frame"``, their ``set_on_ground_139`` with ground height 0): the
      whole motion is moved vertically so that in frame 0 the toe joints (10, 11) are at y = 0:
      to their mean height if the two differ by less than 0.02 m, else to the lower one. Their
      "floor" is therefore the plane of the toe joints of the first frame, not the soles.
      ``ground="floor"`` skips this and measures heights from pointe's floor (y = 0), which is
      truer for a dance that starts off the floor but counts contact differently from LODGE, as
      the toe joint of a flat foot stands a few centimetres above the sole;
    - contact per foot and frame: ankle (7 or 8) height <= 0.08 m and toe (10 or 11) <= 0.05 m;
    - displacement of each of those joints from frame t to t + 1 (zero for the last frame), set to
      zero where the foot is not in contact;
    - a joint slides when |mean(dx, dz)| > 0.01 m per 30 fps frame -- the absolute value of the
      MEAN of the two horizontal components, as their code has it, not the horizontal distance:
      a foot moving 0.03 m along X scores 0.015, and one moving diagonally along X = -Z scores 0;
    - a foot skates in a frame when its ankle or its toe slides; its ratio is skating frames over
      contact frames; ``ratio`` is the mean of the left and right ratios, the figure they report.

    Additions (not in LODGE): ``slide_m`` sums, over both feet and the frames flagged as sliding,
    the larger of the ankle's and the toe's horizontal distance moved in that frame;
    ``contact_s`` is the contact frames of both feet over 30 fps; ``slide_m_per_contact_s`` is
    their quotient (0.0 without contact).

    Deviation: a foot that never touches the floor makes their ratio 0 / 0 = NaN. Here such a foot
    has ratio 0.0 and ``ratio`` is the other foot's ratio alone (0.0 when neither touches), so a
    held retiré or a long jump does not turn the score into NaN or halve the other foot's.
    """
    if ground not in ("first_frame", "floor"):
        raise ValueError(f'ground must be "first_frame" or "floor" (not {ground!r})')
    positions = _check_joints(joints, fps=fps)
    motion = _resample(positions, fps, LODGE_FPS)
    _check_length(
        motion, minimum=2, metric="foot_skating", rate=LODGE_FPS, fps=fps, frames=len(positions)
    )
    if ground == "first_frame":
        motion = _lodge_set_on_ground(motion)

    feet = motion[:, [LEFT_ANKLE, RIGHT_ANKLE, LEFT_FOOT, RIGHT_FOOT]]  # (S, 4, 3)
    vel = np.zeros_like(feet)
    vel[:-1] = feet[1:] - feet[:-1]

    left_contact = (motion[:, LEFT_ANKLE, 1] <= LODGE_ANKLE_CONTACT_M) & (
        motion[:, LEFT_FOOT, 1] <= LODGE_TOE_CONTACT_M
    )
    right_contact = (motion[:, RIGHT_ANKLE, 1] <= LODGE_ANKLE_CONTACT_M) & (
        motion[:, RIGHT_FOOT, 1] <= LODGE_TOE_CONTACT_M
    )

    ratios = []
    slide_m = 0.0
    for contact, (ankle, toe) in ((left_contact, (0, 2)), (right_contact, (1, 3))):
        foot_vel = vel[:, [ankle, toe]].copy()  # (S, 2, 3)
        foot_vel[~contact] = 0.0
        tangent = np.abs(np.mean(foot_vel[:, :, [0, 2]], axis=-1))  # (S, 2)
        sliding = np.any(tangent > LODGE_SLIDE_M_PER_FRAME, axis=-1)  # (S,)
        contact_frames = int(np.sum(contact))
        ratios.append(int(np.sum(sliding)) / contact_frames if contact_frames else None)
        distance = np.linalg.norm(foot_vel[:, :, [0, 2]], axis=-1).max(axis=-1)  # (S,)
        slide_m += float(np.sum(distance[sliding]))

    left_ratio, right_ratio = ratios
    touching = [r for r in ratios if r is not None]
    contact_s = (int(np.sum(left_contact)) + int(np.sum(right_contact))) / LODGE_FPS
    return FootSkate(
        ratio=float(np.mean(touching)) if touching else 0.0,
        left_ratio=0.0 if left_ratio is None else left_ratio,
        right_ratio=0.0 if right_ratio is None else right_ratio,
        contact_s=contact_s,
        slide_m=slide_m,
        slide_m_per_contact_s=slide_m / contact_s if contact_s else 0.0,
    )


def _lodge_set_on_ground(motion: np.ndarray) -> np.ndarray:
    """LODGE's ``set_on_ground_139`` with ground height 0: frame 0's toes moved to y = 0."""
    left_toe, right_toe = motion[0, LEFT_FOOT, 1], motion[0, RIGHT_FOOT, 1]
    if abs(left_toe - right_toe) < LODGE_SAME_HEIGHT_M:
        height = (left_toe + right_toe) / 2.0
    else:
        height = min(left_toe, right_toe)
    grounded = motion.copy()
    grounded[:, :, 1] -= height
    return grounded


# --------------------------------------------------------------------------------------------
# Ground penetration


def ground_penetration(joints: np.ndarray, *, floor_y: float = 0.0) -> Penetration:
    """Frames in which any joint is below the floor, and the deepest any joint goes (metres).

    The common definition, with no published script to follow: a joint penetrates when its
    height is strictly below ``floor_y`` (no tolerance), and its depth is ``floor_y - y``. It is
    measured on the frames as given, at their own rate, on all 24 joints; joints are points, so a
    toe joint resting on the floor is not "in" it even though the toes' skin would be.
    """
    positions = _check_joints(joints, fps=None)
    if (
        isinstance(floor_y, bool)
        or not isinstance(floor_y, int | float | np.integer | np.floating)
        or not np.isfinite(floor_y)
    ):
        raise ValueError(f"floor_y must be a finite height in metres (not {floor_y!r})")
    depth = floor_y - positions[:, :, 1]  # (frames, 24), positive below the floor
    below = np.any(depth > 0.0, axis=1)
    return Penetration(
        frames=tuple(int(i) for i in np.flatnonzero(below)),
        max_depth_m=float(max(depth.max(), 0.0)),
    )


# --------------------------------------------------------------------------------------------
# Input checks and frame-rate conversion


def _check_joints(joints: np.ndarray, *, fps: float | None) -> np.ndarray:
    """``joints`` as float64 (frames, 24, 3), or a ValueError that says what was expected."""
    if fps is not None:
        if isinstance(fps, bool) or not isinstance(fps, int | float | np.integer | np.floating):
            raise ValueError(f"fps must be a number of frames per second (not {fps!r})")
        if not np.isfinite(fps) or fps <= 0:
            raise ValueError(f"fps must be a positive number of frames per second (not {fps})")
    try:
        positions = np.asarray(joints, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(
            f"joints must be a numeric array of shape (frames, 24, 3) (not {type(joints).__name__})"
        ) from err
    if positions.ndim != 3 or positions.shape[1:] != (N_JOINTS, 3):
        raise ValueError(
            f"joints has shape {positions.shape}; expected (frames, 24, 3): joint positions in "
            f"metres in the SMPL joint order{_shape_hint(positions.shape)}"
        )
    if positions.shape[0] == 0:
        raise ValueError("joints has no frames; expected (frames, 24, 3) with frames >= 1")
    finite = np.isfinite(positions)
    if not finite.all():
        frame, joint, _ = np.argwhere(~finite)[0]
        raise ValueError(
            f"joints[{frame}, {joint}] is {positions[frame, joint].tolist()}; positions must be "
            "finite metres"
        )
    return positions


def _shape_hint(shape: tuple[int, ...]) -> str:
    if len(shape) == 2 and shape == (N_JOINTS, 3):
        return " (a single pose? add a frames axis: joints[None])"
    if len(shape) == 2 and shape[1] == N_JOINTS * 3:
        return " (flattened? reshape to (frames, 24, 3))"
    if len(shape) == 3 and shape[-1] == 4:
        return " (these look like quaternion rotations; run forward kinematics first)"
    if len(shape) == 3 and shape[-1] == 3 and shape[1] != N_JOINTS:
        return f" (got {shape[1]} joints; pointe's skeleton has the 24 SMPL joints)"
    if len(shape) == 3 and shape[1] == 3 and shape[2] == N_JOINTS:
        return " (axes swapped? transpose to (frames, 24, 3))"
    return ""


def _check_length(
    resampled: np.ndarray, *, minimum: int, metric: str, rate: float, fps: float, frames: int
) -> None:
    if len(resampled) < minimum:
        raise ValueError(
            f"joints is too short for {metric}: {frames} frames at {fps:g} fps give "
            f"{len(resampled)} at its {rate:g} fps; it needs at least {minimum} "
            f"({(minimum - 1) / rate:.3f} s)"
        )


def _resample(positions: np.ndarray, fps: float, target_fps: float) -> np.ndarray:
    """Frames at ``target_fps`` from t = 0 to the last input frame, by linear interpolation.

    For a whole-number ratio (60 -> 30, 120 -> 60) the source indices are exact integers, so the
    result is exactly ``positions[::ratio]``.
    """
    if fps == target_fps:
        return positions
    frames = len(positions)
    step = fps / target_fps  # input frames per output frame
    count = int(np.floor((frames - 1) / step + 1e-9)) + 1
    source = np.arange(count) * step
    lower = np.minimum(np.floor(source).astype(np.int64), frames - 1)
    upper = np.minimum(lower + 1, frames - 1)
    weight = (source - lower)[:, None, None]
    return positions[lower] * (1.0 - weight) + positions[upper] * weight


def planted_slide(joints: np.ndarray, contacts: np.ndarray, *, fps: float,
                  points: np.ndarray | None = None) -> float:
    """Metres a weight-bearing foot slides per second of contact (pointe's own measure).

    Unlike LODGE's skating ratio, which calls any foot near the floor "in contact" (so a tendu's
    brushing foot counts as skating), this follows the Motion's own ``contacts``: the heel
    (ankle joint) while the heel bears weight, the ball (foot joint) while the toes do — or, when
    ``points`` (frames, 4, 3) gives the exact points that bear weight (the tips of the toes on
    pointe; ``pointe.motion.feet.contact_points``), those. Horizontal movement between
    consecutive frames in which the part bears weight in both is summed.
    """
    positions = _check_joints(joints, fps=fps)
    contacts = np.asarray(contacts, dtype=bool)
    if contacts.shape != (len(positions), 4):
        raise ValueError(f"contacts must have shape ({len(positions)}, 4) (left heel, left toe, "
                         f"right heel, right toe), not {contacts.shape}")
    parts = (LEFT_ANKLE, LEFT_FOOT, RIGHT_ANKLE, RIGHT_FOOT)
    if points is not None and np.shape(points) != (len(positions), 4, 3):
        raise ValueError(f"points must have shape ({len(positions)}, 4, 3), "
                         f"not {np.shape(points)}")
    slid = 0.0
    contact_frames = 0
    for column, joint in enumerate(parts):
        held = contacts[1:, column] & contacts[:-1, column]
        track = positions[:, joint] if points is None else np.asarray(points)[:, column]
        step = np.linalg.norm(np.diff(track[:, [0, 2]], axis=0), axis=1)
        slid += float(step[held].sum())
        contact_frames += int(contacts[:, column].sum())
    seconds = contact_frames / fps
    return slid / seconds if seconds > 0 else 0.0
