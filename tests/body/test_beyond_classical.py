"""The grammar beyond classical technique: parallel legs, the contraction, the flat back and the
tilt, leaning off balance, and the body on the floor (kneeling, sitting, lying)."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from pointe.body.positions import Position, pose
from pointe.body.skeleton import INDEX, world_rotations

ONE = dict(support="one")


def _at(result, joint):
    return result.joints[INDEX[joint]]


def _up_of(result, joint):
    """The direction the joint's own +Y (up in rest pose) points in the world."""
    world = world_rotations(result.rotations[None])[0, INDEX[joint]]
    return Rotation.from_quat(world).apply([0.0, 1.0, 0.0])


def test_parallel_feet_and_knees_point_forward():
    result = pose(Position(feet=1, level="demi-plie", turnout="parallel"))
    for leg in ("left", "right"):
        foot = _at(result, f"{leg}_foot") - _at(result, f"{leg}_ankle")
        assert abs(foot[0]) < 0.04 < foot[2]  # toes ahead, not out to the side
        knee = _at(result, f"{leg}_knee")
        assert knee[2] > _at(result, f"{leg}_ankle")[2] + 0.02  # the knee bends over the toes
    turned = pose(Position(feet=1, level="demi-plie"))
    foot = _at(turned, "right_foot") - _at(turned, "right_ankle")
    assert abs(foot[0]) > 0.08  # turned out, for comparison


def test_parallel_retire_points_the_knee_forward():
    result = pose(Position(gesture="retire", turnout="parallel", **ONE))
    knee, hip = _at(result, "right_knee"), _at(result, "right_hip")
    assert knee[2] - hip[2] > 0.25 and abs(knee[0] - hip[0]) < 0.08


def test_contraction_tucks_the_pelvis_and_curves_the_back_forward():
    upright = pose(Position(feet=2, turnout="parallel"))
    result = pose(Position(feet=2, turnout="parallel", torso="contraction"))
    # The pelvis tips back (its up direction leans behind), the head comes forward.
    assert _up_of(result, "pelvis")[2] < -0.2
    assert _at(result, "head")[2] - _at(result, "pelvis")[2] > \
        _at(upright, "head")[2] - _at(upright, "pelvis")[2] + 0.15


def test_flat_back_folds_at_the_hips_with_a_long_spine():
    result = pose(Position(feet=2, turnout="parallel", torso="flat-back"))
    spine = _at(result, "neck") - _at(result, "pelvis")
    assert np.degrees(np.arccos(spine[1] / np.linalg.norm(spine))) > 60  # near horizontal
    assert _at(result, "pelvis")[2] < -0.05  # the hips go back over the heels
    for leg in ("left", "right"):
        assert _at(result, f"{leg}_foot")[1] < 0.06  # feet flat on the floor


def test_t_balance_puts_the_leg_and_the_body_in_one_line():
    result = pose(Position(gesture="extended", direction="derriere", height="90",
                           torso="flat-back", turnout="parallel", **ONE))
    leg = _at(result, "right_ankle") - _at(result, "right_hip")
    body = _at(result, "head") - _at(result, "pelvis")
    cosine = np.dot(leg, body) / np.linalg.norm(leg) / np.linalg.norm(body)
    assert cosine < -0.9  # opposite ways along one line


def test_tilt_takes_the_torso_over_the_standing_leg_and_the_leg_above_the_hip():
    result = pose(Position(gesture="extended", direction="seconde", height="90", torso="tilt",
                           **ONE))
    assert _at(result, "right_ankle")[1] > _at(result, "right_hip")[1] + 0.3
    # Standing on the left leg (+X): the head goes that way.
    assert _at(result, "head")[0] - _at(result, "pelvis")[0] > 0.25


@pytest.mark.parametrize("lean, axis, sign", [("forward", 2, 1), ("back", 2, -1),
                                               ("side", 0, -1)])
def test_leaning_off_balance_inclines_the_whole_body_over_flat_feet(lean, axis, sign):
    result = pose(Position(feet=1, turnout="parallel", lean=lean))
    upright = pose(Position(feet=1, turnout="parallel"))
    moved = sign * (_at(result, "head")[axis] - _at(upright, "head")[axis])
    assert moved > 0.4  # 20° from the feet: half a metre at the head
    for leg in ("left", "right"):
        assert abs(_at(result, f"{leg}_ankle")[1] - _at(upright, f"{leg}_ankle")[1]) < 1e-6
        assert _at(result, f"{leg}_foot")[1] < 0.04


@pytest.mark.parametrize("feet, lunge", [(4, "working"), (4, "other"), (2, "working")])
def test_a_lunge_bends_one_knee_and_keeps_the_other_leg_straight(feet, lunge):
    result = pose(Position(feet=feet, level="plie", lunge=lunge, turnout="parallel"),
                  side="right")
    bent, straight = ("right", "left") if lunge == "working" else ("left", "right")

    def flexion(leg):
        hip, knee, ankle = (_at(result, f"{leg}_{j}") for j in ("hip", "knee", "ankle"))
        a, b = knee - hip, ankle - knee
        return np.degrees(np.arccos(np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b)))

    assert flexion(bent) > 60.0
    assert flexion(straight) < 10.0  # as straight as standing (the skeleton's knee: 5°–10°)
    standing = pose(Position(feet=1, turnout="parallel"))
    for leg in ("left", "right"):  # both feet flat on the floor
        assert _at(result, f"{leg}_ankle")[1] == pytest.approx(
            _at(standing, f"{leg}_ankle")[1], abs=1e-6)
    assert _at(result, "pelvis")[1] < _at(standing, "pelvis")[1] - 0.25
    # The weight is over the bent leg: the pelvis is nearer its foot.
    pelvis = _at(result, "pelvis")[[0, 2]]
    assert np.linalg.norm(pelvis - _at(result, f"{bent}_ankle")[[0, 2]]) < \
        np.linalg.norm(pelvis - _at(result, f"{straight}_ankle")[[0, 2]])


def test_kneeling_stands_on_the_knees_with_the_shins_along_the_floor():
    result = pose(Position(support="kneel"))
    assert result.supporting == ()
    for leg in ("left", "right"):
        knee, hip, ankle = (_at(result, f"{leg}_{j}") for j in ("knee", "hip", "ankle"))
        assert 0.0 < knee[1] < 0.07
        assert np.hypot(hip[0] - knee[0], hip[2] - knee[2]) < 0.03  # thigh upright
        assert ankle[1] < 0.07 and ankle[2] < knee[2] - 0.3  # shin behind, on the floor
        assert _at(result, f"{leg}_foot")[1] > 0.0


def test_on_one_knee_the_working_foot_stands_in_front():
    result = pose(Position(support="knee", turnout="parallel"), side="right")
    assert result.supporting == ("right",)
    assert _at(result, "left_knee")[1] < 0.07
    assert _at(result, "right_knee")[1] > 0.4  # the front knee up, the thigh level
    assert _at(result, "right_ankle")[2] > _at(result, "pelvis")[2] + 0.3
    assert _at(result, "right_foot")[1] < 0.04  # flat on the floor


def test_sitting_the_legs_lie_long_in_front():
    result = pose(Position(support="sit", feet=1, turnout="parallel"))
    for leg in ("left", "right"):
        assert _at(result, f"{leg}_hip")[1] < 0.1
        ankle = _at(result, f"{leg}_ankle")
        assert ankle[2] > 0.7 and ankle[1] < 0.08
    apart = pose(Position(support="sit", feet=2))
    assert _at(apart, "left_ankle")[0] - _at(apart, "right_ankle")[0] > 0.9


@pytest.mark.parametrize("support, face", [("lie-back", 1), ("lie-front", -1)])
def test_lying_the_whole_body_is_on_the_floor_head_upstage(support, face):
    result = pose(Position(support=support, level="pointe"))
    assert result.joints[:, 1].max() < 0.35
    assert result.joints[:, 1].min() > 0.0
    assert _at(result, "head")[2] < _at(result, "pelvis")[2] - 0.4  # head upstage
    assert _up_of(result, "spine3")[2] < -0.9  # the body's up is along -Z
    front = Rotation.from_quat(result.rotations[0]).apply([0.0, 0.0, 1.0])
    assert face * front[1] > 0.9  # facing the ceiling, or the floor


def test_lying_on_the_side_lies_on_the_supporting_side_and_rolls_from_the_back():
    side = pose(Position(support="lie-side", level="pointe"), side="right")
    assert _at(side, "left_shoulder")[1] < _at(side, "right_shoulder")[1] - 0.2
    back = pose(Position(support="lie-back", level="pointe"), side="right")
    front = pose(Position(support="lie-front", level="pointe"), side="right")
    # From the back to the side to the front the body turns about its own length (world Z).
    for a, b in ((back, side), (side, front)):
        turn = Rotation.from_quat(b.rotations[0]) * Rotation.from_quat(a.rotations[0]).inv()
        axis = turn.as_rotvec()
        assert np.degrees(np.linalg.norm(axis)) == pytest.approx(90.0, abs=1e-6)
        assert abs(axis[2]) / np.linalg.norm(axis) > 0.999


def test_a_leg_raised_lying_on_the_back_points_at_the_ceiling():
    result = pose(Position(support="lie-back", level="pointe", gesture="extended",
                           direction="devant", height="90"))
    leg = _at(result, "right_ankle") - _at(result, "right_hip")
    assert leg[1] / np.linalg.norm(leg) > 0.95


def test_hands_that_reach_the_floor_rest_on_it():
    result = pose(Position(support="sit", feet=1, turnout="parallel"))  # arms bras bas
    for hand in ("left_hand", "right_hand", "left_wrist", "right_wrist"):
        assert _at(result, hand)[1] >= 0.025 - 1e-6


@pytest.mark.parametrize("fields, match", [
    (dict(feet=5, turnout="parallel"), "parallel feet stand in 1st, 2nd or 4th"),
    (dict(support="kneel", lean="forward"), "leans off balance"),
    (dict(support="sit", level="demi-plie"), "on the floor"),
    (dict(support="kneel", gesture="extended"), "support: knee"),
    (dict(support="knee", gesture="retire"), "on one knee"),
    (dict(support="sit", feet=5), "sitting"),
    (dict(support="lie-back", level="demi-pointe"), "flexed"),
    (dict(lean="sideways"), "did you mean 'side'"),
    (dict(feet=5, level="plie", lunge="working"), "a lunge bends one knee"),
    (dict(feet=4, lunge="working"), "a lunge bends one knee"),
])
def test_what_the_floor_cannot_be_is_refused_with_a_reason(fields, match):
    with pytest.raises(ValueError, match=match):
        Position(**fields)
