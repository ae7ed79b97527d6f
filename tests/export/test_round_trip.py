"""A 3-minute solo of random feasible steps round-trips through BVH and NPZ within 1 mm."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from pointe.body.skeleton import JOINTS, forward_kinematics, skeleton
from pointe.export import bvh, npz
from pointe.motion.synthesis import TimedStep, perform_steps
from pointe.vocabulary import library
from pointe.vocabulary.sequences import can_follow, random_feasible


@pytest.fixture(scope="module")
def solo():
    picked = random_feasible(library.load().steps, 180.0, seed=7)
    for (before, _, _), (after, _, _) in zip(picked, picked[1:], strict=False):
        assert can_follow(before, after)
    timed, t = [], 0.0
    for step, side, duration in picked:
        timed.append(TimedStep(step, t, duration, side))
        t += duration
    return perform_steps(timed, dancer="Giselle", height_m=1.62)


def test_npz_round_trip(tmp_path, solo):
    assert solo.duration_s >= 180.0
    path = tmp_path / "giselle.npz"
    npz.write(solo, path)
    with np.load(path) as data:
        poses, trans = data["smpl_poses"].astype(float), data["smpl_trans"].astype(float)
        stored = data["joints"]
    quats = Rotation.from_rotvec(poses.reshape(-1, 3)).as_quat().reshape(len(poses), 24, 4)
    rebuilt = forward_kinematics(skeleton(1.62), quats, trans)
    original = solo.joints()
    assert np.abs(rebuilt - original).max() < 1e-3
    assert np.abs(stored - original).max() < 1e-3


def test_bvh_round_trip(tmp_path, solo):
    import bvhio

    path = tmp_path / "giselle.bvh"
    bvh.write(solo, path)
    hierarchy = bvhio.readAsHierarchy(str(path))
    original = solo.joints()
    for frame in range(0, solo.frames, 997):
        found = {j.Name: np.array(j.PositionWorld) for j, _, _ in
                 hierarchy.loadPose(frame).layout()}
        for index, name in enumerate(JOINTS):
            assert np.linalg.norm(found[name] - original[frame, index]) < 1e-3, (frame, name)
