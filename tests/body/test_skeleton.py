"""The SMPL skeleton: names, parents, rest pose on the floor, height scaling, forward kinematics."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from pointe.body.skeleton import (
    HEAD_TOP_ABOVE_PELVIS_M,
    INDEX,
    JOINTS,
    PARENTS,
    REFERENCE_HEIGHT_M,
    forward_kinematics,
    identity_rotations,
    skeleton,
)


def test_smpl_names_order_and_parents():
    assert len(JOINTS) == len(PARENTS) == 24
    assert JOINTS[:3] == ("pelvis", "left_hip", "right_hip") and JOINTS[-1] == "right_hand"
    assert all(parent < child for child, parent in enumerate(PARENTS) if parent >= 0)
    assert PARENTS[INDEX["left_ankle"]] == INDEX["left_knee"]
    assert PARENTS[INDEX["head"]] == INDEX["neck"]


def test_rest_pose_stands_on_the_floor_facing_the_audience():
    rest = skeleton().rest_positions()
    assert rest[:, 1].min() == pytest.approx(0.025, abs=0.01)  # toes just above the floor
    assert rest[INDEX["left_ankle"], 1] < 0.08
    assert rest[INDEX["left_hand"], 0] > 0.5 > -0.5 > rest[INDEX["right_hand"], 0]  # left is +X
    assert rest[INDEX["left_foot"], 2] > rest[INDEX["left_ankle"], 2]  # toes point to +Z
    head_top = rest[INDEX["pelvis"], 1] + HEAD_TOP_ABOVE_PELVIS_M
    assert head_top == pytest.approx(REFERENCE_HEIGHT_M, abs=0.01)


@pytest.mark.parametrize("height", [1.50, 1.65, 1.85])
def test_bones_scale_with_height(height):
    ratio = height / REFERENCE_HEIGHT_M
    assert np.allclose(skeleton(height).offsets, skeleton().offsets * ratio)
    assert skeleton(height).pelvis_height_m == pytest.approx(skeleton().pelvis_height_m * ratio)


def test_height_in_centimetres_is_refused_with_a_hint():
    with pytest.raises(ValueError, match="did you give centimetres"):
        skeleton(165)


def test_knee_flexion_swings_the_shin_backwards():
    body = skeleton()
    quats = identity_rotations(1)
    quats[0, INDEX["left_knee"]] = Rotation.from_euler("x", 90, degrees=True).as_quat()
    joints = forward_kinematics(body, quats, np.array([[0.0, 1.0, 0.0]]))[0]
    shin = np.linalg.norm(body.offsets[INDEX["left_ankle"]])
    knee, ankle = joints[INDEX["left_knee"]], joints[INDEX["left_ankle"]]
    assert ankle[2] < knee[2] - 0.9 * shin  # behind the knee: the dancer faces +Z
    assert np.linalg.norm(ankle - knee) == pytest.approx(shin)


def test_fk_is_vectorised_over_frames_and_keeps_bone_lengths():
    rng = np.random.default_rng(0)
    body = skeleton(1.7)
    quats = Rotation.random(10 * 24, random_state=1).as_quat().reshape(10, 24, 4)
    roots = rng.normal(size=(10, 3))
    together = forward_kinematics(body, quats, roots)
    for f in range(10):
        alone = forward_kinematics(body, quats[f:f + 1], roots[f:f + 1])[0]
        assert np.allclose(together[f], alone)
    for j, parent in enumerate(PARENTS[1:], start=1):
        lengths = np.linalg.norm(together[:, j] - together[:, parent], axis=1)
        assert np.allclose(lengths, np.linalg.norm(body.offsets[j]))


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match=r"local_quats must have shape \(frames, 24, 4\)"):
        forward_kinematics(skeleton(), np.zeros((2, 23, 4)), np.zeros((2, 3)))


def test_numpy_quaternions_agree_with_scipy():
    from pointe.body.skeleton import quat_multiply, quat_rotate

    p = Rotation.random(50, random_state=3)
    q = Rotation.random(50, random_state=4)
    v = np.random.default_rng(5).normal(size=(50, 3))
    product = Rotation.from_quat(quat_multiply(p.as_quat(), q.as_quat()))
    assert np.allclose(product.as_matrix(), (p * q).as_matrix())
    assert np.allclose(quat_rotate(p.as_quat(), v), p.apply(v))
