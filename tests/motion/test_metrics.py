"""Motion metrics on made motions whose answers can be worked out by hand.

The figure is a fixed standing pose (Y up, metres, SMPL order, feet flat: ankles 0.07 m and toe
joints 0.02 m above the floor) moved in ways chosen so that each metric's answer is known.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.ndimage import gaussian_filter
from scipy.signal import argrelextrema

from pointe.motion import metrics

STANDING = np.array([
    [0.00, 0.93, 0.00],  # 0 pelvis
    [0.06, 0.85, 0.00],  # 1 left_hip
    [-0.06, 0.85, 0.00],  # 2 right_hip
    [0.00, 1.04, -0.01],  # 3 spine1
    [0.09, 0.50, 0.01],  # 4 left_knee
    [-0.09, 0.50, 0.01],  # 5 right_knee
    [0.00, 1.17, -0.01],  # 6 spine2
    [0.10, 0.07, -0.03],  # 7 left_ankle
    [-0.10, 0.07, -0.03],  # 8 right_ankle
    [0.00, 1.22, 0.00],  # 9 spine3
    [0.11, 0.02, 0.10],  # 10 left_foot (toe joint)
    [-0.11, 0.02, 0.10],  # 11 right_foot
    [0.00, 1.44, -0.01],  # 12 neck
    [0.07, 1.36, 0.00],  # 13 left_collar
    [-0.07, 1.36, 0.00],  # 14 right_collar
    [0.00, 1.55, 0.03],  # 15 head
    [0.17, 1.38, -0.01],  # 16 left_shoulder
    [-0.17, 1.38, -0.01],  # 17 right_shoulder
    [0.43, 1.38, -0.02],  # 18 left_elbow
    [-0.43, 1.38, -0.02],  # 19 right_elbow
    [0.68, 1.38, -0.01],  # 20 left_wrist
    [-0.68, 1.38, -0.01],  # 21 right_wrist
    [0.76, 1.38, -0.01],  # 22 left_hand
    [-0.76, 1.38, -0.01],  # 23 right_hand
])
FEET = [7, 8, 10, 11]
LEFT_FOOT_JOINTS = [7, 10]
RIGHT_FOOT_JOINTS = [8, 11]
BODY = [j for j in range(24) if j not in FEET]


def still(frames):
    return np.repeat(STANDING[None], frames, axis=0)


def times(frames, fps):
    return np.arange(frames) / fps


def edge_pfc_by_hand(z_up):
    """EDGE's eval/eval_pfc.py formula written out for one Z-up clip at 30 fps."""
    dt = 1 / 30
    root_v = (z_up[1:, 0, :] - z_up[:-1, 0, :]) / dt
    root_a = (root_v[1:] - root_v[:-1]) / dt
    root_a[:, 2] = np.maximum(root_a[:, 2], 0)
    root_a = np.linalg.norm(root_a, axis=-1)
    root_a /= root_a.max()
    feet = z_up[:, [7, 10, 8, 11]]
    foot_v = np.linalg.norm(feet[2:, :, [0, 1]] - feet[1:-1, :, [0, 1]], axis=-1)
    left = np.minimum(foot_v[:, 0], foot_v[:, 1])
    right = np.minimum(foot_v[:, 2], foot_v[:, 3])
    return (left * right * root_a).mean() * 10000


def bailando_ba_by_hand(keypoints, music_beat_frames):
    """Bailando's utils/beat_align_score.py (calc_db, get_mb, BA) for one clip at 60 fps."""
    kinetic_vel = np.mean(np.sqrt(np.sum((keypoints[1:] - keypoints[:-1]) ** 2, axis=2)), axis=1)
    kinetic_vel = gaussian_filter(kinetic_vel, 5)
    motion_beats = argrelextrema(kinetic_vel, np.less)
    one_hot = np.zeros(10_000, dtype=bool)
    one_hot[music_beat_frames] = True
    music_beats = np.arange(len(kinetic_vel))[one_hot[: len(kinetic_vel)]]
    ba = 0
    for bb in music_beats:
        ba += np.exp(-np.min((motion_beats[0] - bb) ** 2) / 2 / 9)
    return ba / len(music_beats)


def lodge_ratios_by_hand(positions):
    """LODGE's metric/foot_skating.py (set_on_ground_139, calc_foot_skating_ratio) at 30 fps."""
    left_toe, right_toe = positions[0, 10, 1], positions[0, 11, 1]
    if abs(left_toe - right_toe) < 0.02:
        height = (left_toe + right_toe) / 2
    else:
        height = min(left_toe, right_toe)
    xp = positions.copy()
    xp[:, :, 1] -= height
    joint_xyz = xp[:, [7, 8, 10, 11], :]
    vel = np.zeros_like(joint_xyz)
    vel[:-1] = joint_xyz[1:] - joint_xyz[:-1]
    left_mask = (xp[:, 7, 1] <= 0.08) & (xp[:, 10, 1] <= 0.05)
    right_mask = (xp[:, 8, 1] <= 0.08) & (xp[:, 11, 1] <= 0.05)
    ratios = []
    for mask, (a, b) in ((left_mask, (0, 2)), (right_mask, (1, 3))):
        foot = np.concatenate([vel[:, a : a + 1], vel[:, b : b + 1]], axis=1)
        foot[~mask] = 0
        tangent = np.concatenate([foot[:, :, 0:1], foot[:, :, 2:3]], axis=2)
        tangent = np.abs(np.mean(tangent, axis=-1)) > 0.01
        ratios.append(np.sum(np.any(tangent, axis=-1)) / np.sum(mask))
    return ratios


def z_up_by_hand(y_up):
    """EDGE's +90 degrees about X: x stays, the new y is minus the old z, the new z the old y."""
    out = np.empty_like(y_up)
    out[..., 0] = y_up[..., 0]
    out[..., 1] = -y_up[..., 2]
    out[..., 2] = y_up[..., 1]
    return out


def lively(frames, fps, seed=7):
    """A smooth, bouncing, travelling, turning figure with feet that wander: no special values."""
    rng = np.random.default_rng(seed)
    t = times(frames, fps)[:, None, None]
    freq = rng.uniform(0.5, 2.5, size=(1, 24, 3))
    phase = rng.uniform(0, 2 * np.pi, size=(1, 24, 3))
    wobble = 0.05 * np.sin(2 * np.pi * freq * t + phase)
    bounce = np.zeros((frames, 24, 3))
    bounce[:, :, 1] = 0.08 * np.sin(2 * np.pi * 1.3 * t[:, :, 0])
    travel = np.zeros((frames, 24, 3))
    travel[:, :, 2] = 0.4 * t[:, :, 0] ** 2
    return STANDING[None] + wobble + bounce + travel


# ------------------------------------------------------------------------------------------
# A figure standing still


def test_standing_still_scores_nothing_anywhere():
    joints = still(90)
    assert metrics.pfc(joints, fps=30) == 0.0  # EDGE itself gets 0/0 = NaN here (documented)
    skate = metrics.foot_skating(joints, fps=30)
    assert skate == metrics.FootSkate(
        ratio=0.0, left_ratio=0.0, right_ratio=0.0, contact_s=6.0, slide_m=0.0,
        slide_m_per_contact_s=0.0,
    )
    assert metrics.ground_penetration(joints) == metrics.Penetration(frames=(), max_depth_m=0.0)
    # No speed minimum at all: no kinematic beat, so nothing lines up with the music.
    assert metrics.beat_alignment(joints, fps=30, music_beats_s=[0.5, 1.0, 1.5]) == 0.0


# ------------------------------------------------------------------------------------------
# PFC (EDGE)


def rising_on_sliding_feet(frames, fps, *, accel, slide_m_per_s, slide_axis=2):
    """Body accelerating vertically at ``accel`` m/s^2 while both feet slide (+Z unless told)."""
    t = times(frames, fps)
    joints = still(frames)
    joints[:, BODY, 1] += (0.5 * accel * t**2)[:, None]
    joints[:, FEET, slide_axis] += (slide_m_per_s * t)[:, None]
    return joints


def test_pfc_by_hand_feet_sliding_under_a_rising_body():
    # Constant upward acceleration: the normalised root acceleration is 1 in every frame, and each
    # foot moves 0.01 m per 30 fps frame, so PFC = 0.01 * 0.01 * 1 * 10,000 = 1.
    joints = rising_on_sliding_feet(60, 30, accel=2.0, slide_m_per_s=0.3)
    assert metrics.pfc(joints, fps=30) == pytest.approx(1.0, rel=1e-6)
    # The same motion captured at 60 fps is taken to 30 fps with [::2], as EDGE does.
    joints_60 = rising_on_sliding_feet(119, 60, accel=2.0, slide_m_per_s=0.3)
    assert metrics.pfc(joints_60, fps=60) == pytest.approx(1.0, rel=1e-6)
    # Feet sliding twice as fast: four times the score.
    faster = rising_on_sliding_feet(60, 30, accel=2.0, slide_m_per_s=0.6)
    assert metrics.pfc(faster, fps=30) == pytest.approx(4.0, rel=1e-6)


def test_pfc_forgives_falling_but_not_rising():
    # Falling freely is physical whatever the feet do: EDGE clamps downward root acceleration.
    falling = rising_on_sliding_feet(60, 30, accel=-2.0, slide_m_per_s=0.3, slide_axis=0)
    assert metrics.pfc(falling, fps=30) == 0.0
    # Which only works with the right up axis: read as if Z were already up, the fall would be
    # a sideways acceleration and score 0.01 * 0.01 * 1 * 10,000 = 1.
    assert edge_pfc_by_hand(falling.copy()) == pytest.approx(1.0, rel=1e-6)
    # EDGE's own script divides 0 by 0 here; pointe returns the limit, 0 (documented).
    with np.errstate(invalid="ignore"):
        assert np.isnan(edge_pfc_by_hand(z_up_by_hand(falling)))


def test_pfc_is_the_edge_formula_on_the_z_up_motion():
    joints = lively(150, 30)
    expected = edge_pfc_by_hand(z_up_by_hand(joints))
    assert expected > 0
    assert metrics.pfc(joints, fps=30) == pytest.approx(expected, rel=1e-12)
    # Feet sliding along pointe's Z (the audience's depth) are horizontal in EDGE's frame too.
    assert edge_pfc_by_hand(joints.copy()) != pytest.approx(expected, rel=1e-3)


def test_pfc_at_60_fps_is_edge_on_every_other_frame():
    joints = lively(300, 60)
    expected = edge_pfc_by_hand(z_up_by_hand(joints)[::2])
    assert metrics.pfc(joints, fps=60) == pytest.approx(expected, rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    yaw=st.floats(-math.pi, math.pi),
    shift_x=st.floats(-5, 5),
    shift_z=st.floats(-5, 5),
)
def test_pfc_does_not_care_where_on_stage_or_which_way_the_figure_faces(yaw, shift_x, shift_z):
    joints = lively(90, 30, seed=3)
    c, s = math.cos(yaw), math.sin(yaw)
    turned = joints.copy()
    turned[..., 0] = c * joints[..., 0] + s * joints[..., 2] + shift_x
    turned[..., 2] = -s * joints[..., 0] + c * joints[..., 2] + shift_z
    assert metrics.pfc(turned, fps=30) == pytest.approx(metrics.pfc(joints, fps=30), rel=1e-6)


# ------------------------------------------------------------------------------------------
# Beat alignment (Bailando)


def pulsing(frames, fps, *, period_s, shift_s=0.0):
    """All joints travel along X with speed minima at shift_s + k * period_s (+ half a frame).

    Speed is c - a cos(2 pi (t - t0) / T). Bailando's speed at index i is the step from frame i
    to i + 1 at 60 fps, centred half a frame later, so t0 = half a 60 fps frame puts each minimum
    of that curve exactly on frame 60 * (shift_s + k * T).
    """
    t = times(frames, fps)
    t0 = shift_s + 0.5 / 60
    c, a = 1.0, 0.8
    x = c * t - a * period_s / (2 * np.pi) * np.sin(2 * np.pi * (t - t0) / period_s)
    joints = still(frames)
    joints[:, :, 0] += x[:, None]
    return joints


BEATS_S = np.arange(1, 10) * 0.5  # 120 bpm, beats at 0.5 .. 4.5 s, clear of the 5 s ends


def test_minima_on_the_beats_align_perfectly():
    joints = pulsing(301, 60, period_s=0.5)
    assert metrics.beat_alignment(joints, fps=60, music_beats_s=BEATS_S) == pytest.approx(
        1.0, abs=1e-12
    )


def test_bailando_sigma_is_three_frames_at_60_fps():
    # Music 0.05 s (3 frames) late: every beat scores exp(-3^2 / (2 * 3^2)) = exp(-1/2).
    joints = pulsing(301, 60, period_s=0.5)
    late = BEATS_S + 0.05
    assert metrics.beat_alignment(joints, fps=60, music_beats_s=late) == pytest.approx(
        math.exp(-0.5), rel=1e-12
    )


def test_half_a_beat_off_scores_almost_nothing():
    joints = pulsing(301, 60, period_s=0.5)
    on = metrics.beat_alignment(joints, fps=60, music_beats_s=BEATS_S)
    off = metrics.beat_alignment(joints, fps=60, music_beats_s=BEATS_S + 0.25)
    assert off == pytest.approx(math.exp(-(15**2) / 18), rel=1e-9)  # 15 frames away
    assert off < 1e-4 < on


def test_beat_alignment_takes_other_frame_rates_to_60_fps():
    at_120 = pulsing(601, 120, period_s=0.5)
    assert metrics.beat_alignment(at_120, fps=120, music_beats_s=BEATS_S) == pytest.approx(
        1.0, abs=1e-9
    )
    # 30 fps is interpolated up: the minima may move by a frame, exp(-1/18) = 0.946 at worst.
    at_30 = pulsing(151, 30, period_s=0.5)
    assert metrics.beat_alignment(at_30, fps=30, music_beats_s=BEATS_S) > 0.94


def test_beat_alignment_averages_over_music_beats_inside_the_motion():
    joints = pulsing(301, 60, period_s=0.5)
    # Beats after the end of the motion are dropped, as Bailando's get_mb(key, length) does.
    with_tail = np.concatenate([BEATS_S, [7.0, 9.0]])
    assert metrics.beat_alignment(joints, fps=60, music_beats_s=with_tail) == pytest.approx(1.0)
    # Averaged over MUSIC beats: an extra beat between two minima lowers the mean.
    extra = np.sort(np.concatenate([BEATS_S, [1.25]]))
    expected = (9 + math.exp(-(15**2) / 18)) / 10
    assert metrics.beat_alignment(joints, fps=60, music_beats_s=extra) == pytest.approx(expected)


def test_beat_alignment_is_bailandos_formula_on_irregular_motion():
    joints = lively(360, 60, seed=11)
    beat_frames = np.array([17, 40, 71, 100, 133, 190, 222, 250, 301, 340, 358, 400])
    expected = bailando_ba_by_hand(joints, beat_frames)
    assert 0.05 < expected < 0.95
    got = metrics.beat_alignment(joints, fps=60, music_beats_s=beat_frames / 60)
    assert got == pytest.approx(expected, rel=1e-12)


def test_beat_times_in_milliseconds_are_caught():
    joints = pulsing(301, 60, period_s=0.5)
    with pytest.raises(ValueError, match=r"none of the 9 beats.*milliseconds"):
        metrics.beat_alignment(joints, fps=60, music_beats_s=BEATS_S * 1000)
    with pytest.raises(ValueError, match=r"music_beats_s\[1\] is -1.0"):
        metrics.beat_alignment(joints, fps=60, music_beats_s=[0.5, -1.0])
    with pytest.raises(ValueError, match="music_beats_s is empty"):
        metrics.beat_alignment(joints, fps=60, music_beats_s=[])
    with pytest.raises(ValueError, match=r"music_beats_s has shape \(2, 2\)"):
        metrics.beat_alignment(joints, fps=60, music_beats_s=[[0.5, 1.0], [1.5, 2.0]])


# ------------------------------------------------------------------------------------------
# Foot skating (LODGE)


def gliding(frames, fps, *, velocity_m_per_s):
    """The whole figure, feet flat on the floor, gliding at a constant horizontal velocity."""
    t = times(frames, fps)
    joints = still(frames)
    joints[:, :, 0] += velocity_m_per_s[0] * t[:, None]
    joints[:, :, 2] += velocity_m_per_s[1] * t[:, None]
    return joints


def test_feet_sliding_on_the_floor_are_caught_and_measured():
    # 0.9 m/s along X = 0.03 m per 30 fps frame; LODGE's test |mean(0.03, 0)| = 0.015 > 0.01.
    # 31 contact frames per foot, 30 of them with a step to the next frame (the last has none).
    joints = gliding(31, 30, velocity_m_per_s=(0.9, 0.0))
    skate = metrics.foot_skating(joints, fps=30)
    assert skate.left_ratio == pytest.approx(30 / 31)
    assert skate.right_ratio == pytest.approx(30 / 31)
    assert skate.ratio == pytest.approx(30 / 31)
    assert skate.slide_m == pytest.approx(2 * 30 * 0.03)
    assert skate.contact_s == pytest.approx(62 / 30)
    assert skate.slide_m_per_contact_s == pytest.approx(1.8 / (62 / 30))
    # Captured at 60 fps, the same glide is read at LODGE's 30 fps and gives the same figures.
    at_60 = metrics.foot_skating(gliding(61, 60, velocity_m_per_s=(0.9, 0.0)), fps=60)
    assert at_60.ratio == pytest.approx(skate.ratio)
    assert at_60.slide_m == pytest.approx(skate.slide_m)


@pytest.mark.parametrize("seed", [1, 2, 5])
def test_foot_skating_is_lodges_formula_on_irregular_motion(seed):
    joints = lively(240, 30, seed=seed)
    left, right = lodge_ratios_by_hand(joints)
    assert 0 < left < 1 and 0 < right < 1
    skate = metrics.foot_skating(joints, fps=30)
    assert (skate.left_ratio, skate.right_ratio) == pytest.approx((left, right), rel=1e-12)
    assert skate.ratio == pytest.approx((left + right) / 2, rel=1e-12)
    # At 60 fps, LODGE's 30 fps is every other frame.
    at_60 = lively(480, 60, seed=seed)
    expected_60 = lodge_ratios_by_hand(at_60[::2])
    assert [metrics.foot_skating(at_60, fps=60).left_ratio] == pytest.approx(expected_60[:1])


def test_lodge_thresholds_the_mean_of_the_horizontal_components():
    # 0.45 m/s along X: 0.015 m per frame of real sliding, but |mean(0.015, 0)| = 0.0075 <= 0.01.
    slow = metrics.foot_skating(gliding(31, 30, velocity_m_per_s=(0.45, 0.0)), fps=30)
    assert slow.ratio == 0.0 and slow.slide_m == 0.0
    # Diagonally along X = -Z the two components cancel: LODGE sees no sliding at all.
    diagonal = metrics.foot_skating(gliding(31, 30, velocity_m_per_s=(1.5, -1.5)), fps=30)
    assert diagonal.ratio == 0.0
    # Along X = +Z they add up: |mean(0.03, 0.03)| = 0.03, and the distance is the true one.
    along = metrics.foot_skating(gliding(31, 30, velocity_m_per_s=(0.9, 0.9)), fps=30)
    assert along.ratio == pytest.approx(30 / 31)
    assert along.slide_m == pytest.approx(2 * 30 * 0.03 * math.sqrt(2))


def test_a_lifted_foot_is_not_in_contact_and_does_not_halve_the_ratio():
    joints = gliding(31, 30, velocity_m_per_s=(0.9, 0.0))
    joints[:, RIGHT_FOOT_JOINTS, 1] += 0.25  # right foot held in the air the whole time
    skate = metrics.foot_skating(joints, fps=30)
    assert skate.right_ratio == 0.0  # LODGE: 0 / 0 = NaN (documented deviation)
    assert skate.left_ratio == pytest.approx(30 / 31)
    assert skate.ratio == pytest.approx(30 / 31)
    assert skate.contact_s == pytest.approx(31 / 30)
    assert skate.slide_m == pytest.approx(30 * 0.03)


def test_lodge_grounds_the_motion_on_the_first_frames_toes():
    # The whole glide 0.5 m above the floor: LODGE moves it down to put frame 0's toes at y = 0,
    # pointe's floor does not, so only the first finds the feet sliding.
    joints = gliding(31, 30, velocity_m_per_s=(0.9, 0.0))
    joints[:, :, 1] += 0.5
    assert metrics.foot_skating(joints, fps=30).ratio == pytest.approx(30 / 31)
    assert metrics.foot_skating(joints, fps=30, ground="floor").ratio == 0.0
    # Toes uneven by more than 0.02 m in frame 0: the lower one is put on the floor.
    uneven = gliding(31, 30, velocity_m_per_s=(0.9, 0.0))
    uneven[:, RIGHT_FOOT_JOINTS, 1] += 0.03  # right toe 0.05 -> 0.03 after grounding on the left
    uneven[:, RIGHT_FOOT_JOINTS[0], 1] += 0.02  # right ankle 0.12 -> 0.10: not in contact
    skate = metrics.foot_skating(uneven + np.array([0.0, 0.4, 0.0]), fps=30)
    assert skate.left_ratio == pytest.approx(30 / 31)
    assert skate.contact_s == pytest.approx(31 / 30)


def test_foot_skating_rejects_an_unknown_ground():
    expected = r"ground must be \"first_frame\" or \"floor\" \(not 'air'\)"
    with pytest.raises(ValueError, match=expected):
        metrics.foot_skating(still(10), fps=30, ground="air")


# ------------------------------------------------------------------------------------------
# Ground penetration


def test_a_foot_pushed_three_centimetres_into_the_floor():
    joints = still(40)
    joints[10:20, 10, 1] = -0.03  # left toe joint 3 cm below the floor in frames 10..19
    joints[15, 7, 1] = -0.01  # and the left ankle 1 cm below in frame 15
    result = metrics.ground_penetration(joints)
    assert result.frames == tuple(range(10, 20))
    assert result.max_depth_m == pytest.approx(0.03)


def test_penetration_against_a_raised_floor():
    # A stage riser at 0.05 m: the toe joints (0.02 m) are 0.03 m under it, the ankles are not.
    result = metrics.ground_penetration(still(5), floor_y=0.05)
    assert result.frames == (0, 1, 2, 3, 4)
    assert result.max_depth_m == pytest.approx(0.03)
    with pytest.raises(ValueError, match="floor_y must be a finite height in metres"):
        metrics.ground_penetration(still(5), floor_y=float("nan"))


# ------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("shape", "hint"),
    [
        ((100, 22, 3), r"\(100, 22, 3\); expected \(frames, 24, 3\).*got 22 joints"),
        ((24, 3), r"\(24, 3\); expected \(frames, 24, 3\).*single pose"),
        ((100, 72), r"\(100, 72\); expected \(frames, 24, 3\).*flattened"),
        ((100, 24, 4), r"\(100, 24, 4\); expected \(frames, 24, 3\).*quaternion"),
        ((100, 3, 24), r"\(100, 3, 24\); expected \(frames, 24, 3\).*axes swapped"),
    ],
)
def test_wrong_shapes_say_what_is_expected(shape, hint):
    bad = np.zeros(shape)
    with pytest.raises(ValueError, match=r"joints has shape " + hint):
        metrics.pfc(bad, fps=30)
    with pytest.raises(ValueError, match=r"joints has shape " + hint):
        metrics.beat_alignment(bad, fps=30, music_beats_s=[0.5])
    with pytest.raises(ValueError, match=r"joints has shape " + hint):
        metrics.foot_skating(bad, fps=30)
    with pytest.raises(ValueError, match=r"joints has shape " + hint):
        metrics.ground_penetration(bad)


def test_other_bad_input_is_named():
    with pytest.raises(ValueError, match=r"fps must be a positive number of frames per second"):
        metrics.pfc(still(10), fps=0)
    with pytest.raises(ValueError, match=r"fps must be a number of frames per second"):
        metrics.pfc(still(10), fps="30")
    broken = still(10)
    broken[3, 7, 1] = np.nan
    with pytest.raises(ValueError, match=r"joints\[3, 7\] is .*finite metres"):
        metrics.foot_skating(broken, fps=30)
    with pytest.raises(ValueError, match="joints has no frames"):
        metrics.ground_penetration(np.zeros((0, 24, 3)))
    with pytest.raises(ValueError, match=r"too short for pfc: 4 frames at 60 fps give 2 at its 30"):
        metrics.pfc(still(4), fps=60)


def test_held_grammar_positions_neither_skate_nor_sink():
    from pointe.body.positions import Position, pose

    for position in (Position(feet=5, level="demi-plie"),
                     Position(gesture="extended", direction="derriere", height="90",
                              support="one")):
        held = np.repeat(pose(position).joints[None], 90, axis=0)
        assert metrics.foot_skating(held, fps=60.0).ratio == 0.0
        assert metrics.ground_penetration(held).frames == ()
