"""BVH and NPZ exports: read back by a third-party parser to the same joints, deterministic."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from pointe.body.skeleton import JOINTS
from pointe.export import bvh, npz
from pointe.motion.performance import Motion, Performance


def _motion(frames=24, seed=0, height=1.72) -> Motion:
    rng = np.random.default_rng(seed)
    rotvec = rng.normal(scale=0.5, size=(frames, 24, 3))
    quats = Rotation.from_rotvec(rotvec.reshape(-1, 3)).as_quat().reshape(frames, 24, 4)
    root = np.cumsum(rng.normal(scale=0.02, size=(frames, 3)), axis=0) + [0.0, 0.95, 0.0]
    contacts = rng.random((frames, 4)) > 0.5
    return Motion("Odette", height, 60.0, root, quats, contacts)


def test_bvh_reads_back_to_the_same_joint_positions(tmp_path):
    import bvhio
    motion = _motion()
    path = tmp_path / "odette.bvh"
    bvh.write(motion, path)
    joints = motion.joints()
    hierarchy = bvhio.readAsHierarchy(str(path))
    for frame in (0, 7, 23):
        found = {j.Name: np.array(j.PositionWorld) for j, _, _ in
                 hierarchy.loadPose(frame).layout()}
        for index, name in enumerate(JOINTS):
            assert np.linalg.norm(found[name] - joints[frame, index]) < 1e-3, (frame, name)


def test_bvh_header_and_determinism(tmp_path):
    motion = _motion()
    text = bvh.render(motion)
    assert text.startswith("HIERARCHY\nROOT pelvis\n")
    assert text.count("JOINT ") == 23 and text.count("End Site") == 5
    assert "Frames: 24\nFrame Time: 0.01666667\n" in text
    bvh.write(motion, tmp_path / "a.bvh")
    bvh.write(motion, tmp_path / "b.bvh")
    assert (tmp_path / "a.bvh").read_bytes() == (tmp_path / "b.bvh").read_bytes()


def test_npz_has_the_aist_layout(tmp_path):
    motion = _motion(frames=30)
    path = tmp_path / "odette.npz"
    npz.write(motion, path)
    with np.load(path) as data:
        assert set(data.files) == {"smpl_poses", "smpl_trans", "fps", "joints"}
        assert data["smpl_poses"].shape == (30, 72)
        assert data["smpl_trans"].shape == (30, 3) and float(data["fps"]) == 60.0
        assert np.allclose(data["joints"], motion.joints(), atol=1e-5)
        back = Rotation.from_rotvec(data["smpl_poses"].reshape(-1, 3).astype(float))
        original = Rotation.from_quat(motion.rotations.reshape(-1, 4))
        assert np.allclose((back.inv() * original).magnitude(), 0.0, atol=1e-5)
    npz.write(motion, tmp_path / "again.npz")
    assert path.read_bytes() == (tmp_path / "again.npz").read_bytes()


def test_performance_round_trip_and_bad_file(tmp_path):
    performance = Performance(60.0, (_motion(seed=1), _motion(seed=2, height=1.6)))
    path = tmp_path / "ballet.performance.npz"
    performance.save(path)
    back = Performance.load(path)
    assert [m.dancer for m in back.motions] == ["Odette", "Odette"]
    assert np.array_equal(back.motions[1].rotations, performance.motions[1].rotations)
    assert back.motions[1].height_m == 1.6
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not an archive")
    from pointe.errors import DocumentError

    with pytest.raises(DocumentError, match="broken.npz.*not a pointe performance"):
        Performance.load(broken)


def test_motion_checks_its_shapes():
    with pytest.raises(ValueError, match=r"rotations must have shape \(2, 24, 4\)"):
        Motion("x", 1.65, 60.0, np.zeros((2, 3)), np.zeros((2, 24, 3)), np.zeros((2, 4), bool))
