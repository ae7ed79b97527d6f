"""glTF export: read back with pygltflib, the node hierarchy and its animation evaluated here
(TRS composed by hand) give the motion's own joints; skin, buffers and bounds are consistent."""

import numpy as np
import pygltflib as gl
import pytest
from scipy.spatial.transform import Rotation

from pointe.body.skeleton import JOINTS, PARENTS
from pointe.errors import ExportError
from pointe.export import gltf
from pointe.motion.performance import Motion

DTYPES = {gl.FLOAT: np.float32, gl.UNSIGNED_BYTE: np.uint8}
WIDTHS = {gl.SCALAR: 1, gl.VEC3: 3, gl.VEC4: 4, gl.MAT4: 16}


def _motion(frames=24, seed=0, height=1.72) -> Motion:
    rng = np.random.default_rng(seed)
    rotvec = rng.normal(scale=0.5, size=(frames, 24, 3))
    quats = Rotation.from_rotvec(rotvec.reshape(-1, 3)).as_quat().reshape(frames, 24, 4)
    quats *= rng.choice([-1.0, 1.0], size=(frames, 24, 1))  # either sign is the same rotation
    root = np.cumsum(rng.normal(scale=0.02, size=(frames, 3)), axis=0) + [0.0, 0.95, 0.0]
    contacts = rng.random((frames, 4)) > 0.5
    return Motion("Odette", height, 60.0, root, quats, contacts)


@pytest.fixture(scope="module")
def solo():
    """Twelve seconds of real steps, turns and jumps among them."""
    from pointe.motion.synthesis import TimedStep, perform_steps
    from pointe.vocabulary import library
    from pointe.vocabulary.sequences import random_feasible

    timed, t = [], 0.0
    for step, side, duration in random_feasible(library.load().steps, 12.0, seed=7):
        timed.append(TimedStep(step, t, duration, side))
        t += duration
    return perform_steps(timed, dancer="Giselle", height_m=1.62)


def _read(motion, tmp_path):
    path = tmp_path / f"{motion.dancer}.glb"
    gltf.write(motion, path)
    return gl.GLTF2.load_binary(str(path))


def _array(document, index):
    accessor = document.accessors[index]
    view = document.bufferViews[accessor.bufferView]
    width = WIDTHS[accessor.type]
    start = view.byteOffset + accessor.byteOffset
    return np.frombuffer(document.binary_blob(), DTYPES[accessor.componentType],
                         accessor.count * width, start).reshape(accessor.count, width)


def _channels(document):
    """{(node, path): (times, values)} of the one animation."""
    animation = document.animations[0]
    out = {}
    for channel in animation.channels:
        sampler = animation.samplers[channel.sampler]
        assert sampler.interpolation == "LINEAR"
        out[channel.target.node, channel.target.path] = (
            _array(document, sampler.input)[:, 0], _array(document, sampler.output))
    return out


def _world(document, channels, frame):
    """World matrices (nodes, 4, 4) of every joint node at key ``frame``, composed from the
    nodes' TRS with the animated values in place."""
    world = {}

    def visit(index, parent):
        node = document.nodes[index]
        local = np.eye(4)
        translation = (channels[index, "translation"][1][frame]
                       if (index, "translation") in channels else node.translation)
        rotation = (channels[index, "rotation"][1][frame]
                    if (index, "rotation") in channels else node.rotation or [0, 0, 0, 1])
        local[:3, :3] = Rotation.from_quat(np.asarray(rotation, float)).as_matrix()
        local[:3, 3] = np.asarray(translation, float)
        world[index] = parent @ local
        for child in node.children:
            visit(child, world[index])

    for root in document.scenes[document.scene].nodes:
        visit(root, np.eye(4))
    return np.array([world[j] for j in range(len(JOINTS))])


def test_the_skeleton_is_smpl_with_its_names_and_parents(tmp_path):
    document = _read(_motion(), tmp_path)
    assert [n.name for n in document.nodes[:24]] == list(JOINTS)
    parent_of = {child: j for j, node in enumerate(document.nodes) for child in node.children}
    assert [parent_of.get(j, -1) for j in range(24)] == list(PARENTS)
    skin = document.skins[0]
    assert skin.joints == list(range(24)) and skin.skeleton == 0
    mesh_node = document.nodes[24]
    assert (mesh_node.mesh, mesh_node.skin, mesh_node.name) == (0, 0, "Odette")
    assert document.scenes[document.scene].nodes == [0, 24]
    assert document.scenes[0].extras == {"dancer": "Odette", "height_m": 1.72, "fps": 60.0}


@pytest.mark.parametrize("frame", [0, 7, 23])
def test_the_animation_puts_the_joints_where_the_motion_does(tmp_path, frame):
    motion = _motion()
    document = _read(motion, tmp_path)
    channels = _channels(document)
    assert len(channels) == 25 and (0, "translation") in channels
    times, _ = channels[0, "rotation"]
    assert np.allclose(times, np.arange(24) / 60.0, atol=1e-6)
    found = _world(document, channels, frame)[:, :3, 3]
    assert np.linalg.norm(found - motion.joints()[frame], axis=1).max() < 1e-3


def test_real_steps_round_trip_within_a_millimetre(tmp_path, solo):
    document = _read(solo, tmp_path)
    channels = _channels(document)
    original = solo.joints()
    for frame in range(0, solo.frames, 37):
        found = _world(document, channels, frame)[:, :3, 3]
        assert np.linalg.norm(found - original[frame], axis=1).max() < 1e-3, frame
    _assert_keys_keep_their_sign(channels)


def test_rotation_keys_keep_their_sign(tmp_path):
    motion = _motion()
    assert (np.sum(motion.rotations[1:] * motion.rotations[:-1], axis=2) < 0).any()
    channels = _channels(_read(motion, tmp_path))
    _assert_keys_keep_their_sign(channels)
    for j in range(24):
        keys = Rotation.from_quat(channels[j, "rotation"][1].astype(float))
        angle = (keys.inv() * Rotation.from_quat(motion.rotations[:, j])).magnitude()
        assert angle.max() < 1e-5, JOINTS[j]


def _assert_keys_keep_their_sign(channels):
    """Keys of a joint never jump to the other sign, so component-wise interpolation (Blender)
    turns the short way as slerp does (three.js)."""
    for j in range(24):
        keys = channels[j, "rotation"][1].astype(float)
        assert (np.sum(keys[1:] * keys[:-1], axis=1) >= 0).all(), JOINTS[j]
        assert np.allclose(np.linalg.norm(keys, axis=1), 1.0, atol=1e-6)


def test_the_skin_follows_the_joints(tmp_path):
    """Inverse bind matrices undo the rest pose: skinned at any frame, the tip of the bone a
    joint moves lands on its child joint."""
    motion = _motion(seed=3)
    document = _read(motion, tmp_path)
    skin = document.skins[0]
    inverse_bind = _array(document, skin.inverseBindMatrices).reshape(24, 4, 4).transpose(0, 2, 1)
    rest = motion.body.rest_positions()
    channels = _channels(document)
    rest_world = np.tile(np.eye(4), (24, 1, 1))
    rest_world[:, :3, 3] = rest
    assert np.allclose(inverse_bind @ rest_world, np.eye(4), atol=1e-6)

    attributes = document.meshes[0].primitives[0].attributes
    positions = _array(document, attributes.POSITION).astype(float)
    joints = _array(document, attributes.JOINTS_0)
    weights = _array(document, attributes.WEIGHTS_0)
    assert (weights[:, 0] == 1.0).all() and (weights[:, 1:] == 0.0).all()
    for frame in (0, 11, 23):
        world = _world(document, channels, frame)
        skinning = world @ inverse_bind
        moved = np.einsum("nij,nj->ni", skinning[joints[:, 0]],
                          np.c_[positions, np.ones(len(positions))])[:, :3]
        for child, parent in enumerate(PARENTS):
            if parent < 0:
                continue
            tip = np.flatnonzero((joints[:, 0] == parent)
                                 & (np.linalg.norm(positions - rest[child], axis=1) < 1e-6))
            assert len(tip) > 0, JOINTS[child]
            assert np.linalg.norm(moved[tip] - motion.joints()[frame, child], axis=1).max() < 1e-3


def test_buffers_accessors_and_bounds_are_consistent(tmp_path):
    document = _read(_motion(frames=30), tmp_path)
    blob = document.binary_blob()
    assert len(document.buffers) == 1 and document.buffers[0].uri is None
    assert document.buffers[0].byteLength == len(blob)
    for view in document.bufferViews:
        assert view.byteOffset % 4 == 0 and view.byteOffset + view.byteLength <= len(blob)
    for accessor in document.accessors:
        view = document.bufferViews[accessor.bufferView]
        size = np.dtype(DTYPES[accessor.componentType]).itemsize * WIDTHS[accessor.type]
        assert accessor.byteOffset + accessor.count * size <= view.byteLength
    primitive = document.meshes[0].primitives[0]
    assert primitive.mode == gl.TRIANGLES
    counts = {document.accessors[i].count for i in (primitive.attributes.POSITION,
              primitive.attributes.NORMAL, primitive.attributes.JOINTS_0,
              primitive.attributes.WEIGHTS_0)}
    assert len(counts) == 1 and counts.pop() % 3 == 0
    position = document.accessors[primitive.attributes.POSITION]
    values = _array(document, primitive.attributes.POSITION)
    assert position.min == values.min(axis=0).tolist()
    assert position.max == values.max(axis=0).tolist()
    assert values[:, 1].min() >= 0.0 and values[:, 1].max() < 1.72  # on the floor, her height
    normals = _array(document, primitive.attributes.NORMAL)
    assert np.allclose(np.linalg.norm(normals, axis=1), 1.0, atol=1e-6)
    for sampler in document.animations[0].samplers:
        times = document.accessors[sampler.input]
        assert times.count == document.accessors[sampler.output].count == 30
        assert times.min == [0.0] and times.max == [_array(document, sampler.input).max()]


def test_the_same_motion_gives_the_same_bytes(tmp_path):
    gltf.write(_motion(), tmp_path / "a.glb")
    gltf.write(_motion(), tmp_path / "b.glb")
    data = (tmp_path / "a.glb").read_bytes()
    assert data == (tmp_path / "b.glb").read_bytes()
    assert data[:4] == b"glTF" and int.from_bytes(data[8:12], "little") == len(data)
    assert gltf.render(_motion(seed=1)) != data


def test_bad_targets_and_motions_raise_export_errors(tmp_path):
    motion = _motion()
    with pytest.raises(ExportError, match=r"odette\.gltf: the glTF export writes one binary "
                                          r"\.glb file \(name it odette\.glb\)"):
        gltf.write(motion, tmp_path / "odette.gltf")
    with pytest.raises(ExportError, match=r"the folder .*missing does not exist"):
        gltf.write(motion, tmp_path / "missing" / "odette.glb")
    (tmp_path / "taken.glb").mkdir()
    with pytest.raises(ExportError, match=r"taken\.glb: cannot write there"):
        gltf.write(motion, tmp_path / "taken.glb")
    assert [p.name for p in tmp_path.iterdir()] == ["taken.glb"]  # nothing half-written
    empty = Motion("Odile", 1.65, 60.0, np.zeros((0, 3)), np.zeros((0, 24, 4)),
                   np.zeros((0, 4), bool))
    with pytest.raises(ExportError, match="motion of 'Odile': it has no frames"):
        gltf.render(empty)
    broken = np.array(motion.root_m)
    broken[3, 1] = np.nan
    with pytest.raises(ExportError, match="motion of 'Odette': it has NaN"):
        gltf.render(Motion("Odette", 1.72, 60.0, broken, motion.rotations, motion.contacts))
