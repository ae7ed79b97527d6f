"""glTF 2.0 export: one dancer's Motion as a skinned, animated figure in a single ``.glb``.

Conventions
-----------
- Axes and units are the BVH export's and pointe's: metres, right-handed, Y up, the rest figure
  facing +Z (the audience). A viewer (Blender, three.js) shows the dancer where she dances.
- Nodes 0–23 are the 24 SMPL joints in SMPL order, named as in ``pointe.body.skeleton``, each a
  child of its SMPL parent. A joint's node translation is its rest offset from its parent (the
  pelvis: its rest position above the floor); node rotations are the identity, so the nodes'
  own transforms are the T-pose the skin is bound in. Node 24 holds the mesh and the skin.
- The skin's joints are nodes 0–23 in order; its inverse bind matrices undo each joint's
  rest-pose world transform (a pure translation, as every rest rotation is the identity).
- The mesh is a "bone" per segment, an eight-faced spindle from a joint to its child (or, for
  the head, hands and feet, to the BVH export's end sites), every vertex weighted wholly to the
  joint that moves the segment; flat normals, one material.
- One animation: per joint a rotation channel (local rotations as unit quaternions in glTF's and
  scipy's (x, y, z, w) order, the sign kept continuous from frame to frame so component-wise
  interpolation follows the short way) and the pelvis's translation channel (``root_m``), LINEAR
  interpolation, one key per frame at ``frame / fps`` seconds.
- One buffer, embedded in the GLB's binary chunk; each accessor has its own 4-byte aligned
  buffer view. Nothing varies but the motion, so the same motion gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygltflib as gl

from pointe.body.skeleton import JOINTS, N_JOINTS, PARENTS, REFERENCE_HEIGHT_M
from pointe.errors import ExportError
from pointe.export.bvh import END_SITE_M
from pointe.fileio import write_bytes
from pointe.motion.performance import Motion

MESH_NODE = N_JOINTS
RING_AT = 0.2  # where along a bone its widest ring sits
RADIUS_OF_LENGTH = 0.1  # a bone's ring radius as a share of its length …
RADIUS_RANGE_M = (0.015, 0.04)  # … kept within these
COLOUR = [0.85, 0.72, 0.68, 1.0]  # the figure's base colour (linear RGBA)
_TYPES = {1: gl.SCALAR, 3: gl.VEC3, 4: gl.VEC4, 16: gl.MAT4}
_COMPONENTS = {np.dtype(np.float32): gl.FLOAT, np.dtype(np.uint8): gl.UNSIGNED_BYTE}


def render(motion: Motion) -> bytes:
    """The GLB bytes of ``motion``: a skinned SMPL figure and its animation."""
    _check(motion)
    body = motion.body
    rest = body.rest_positions()
    layout = _Layout()
    document = gl.GLTF2(asset=gl.Asset(generator="pointe", version="2.0"))

    for j, name in enumerate(JOINTS):
        translation = rest[j] if PARENTS[j] < 0 else body.offsets[j]
        document.nodes.append(gl.Node(name=name, translation=_floats(translation),
                                      children=[c for c, p in enumerate(PARENTS) if p == j]))

    positions, normals, joints = _bones(rest, motion.height_m / REFERENCE_HEIGHT_M)
    weights = np.zeros((len(joints), 4), np.float32)
    weights[:, 0] = 1.0
    influences = np.zeros((len(joints), 4), np.uint8)
    influences[:, 0] = joints
    attributes = gl.Attributes(
        POSITION=layout.add(positions, target=gl.ARRAY_BUFFER, bounds=True),
        NORMAL=layout.add(normals, target=gl.ARRAY_BUFFER),
        JOINTS_0=layout.add(influences, target=gl.ARRAY_BUFFER),
        WEIGHTS_0=layout.add(weights, target=gl.ARRAY_BUFFER),
    )
    document.materials.append(gl.Material(
        name="figure", pbrMetallicRoughness=gl.PbrMetallicRoughness(
            baseColorFactor=COLOUR, metallicFactor=0.0, roughnessFactor=0.8)))
    document.meshes.append(gl.Mesh(name="bones", primitives=[
        gl.Primitive(attributes=attributes, material=0, mode=gl.TRIANGLES)]))

    inverse_bind = np.tile(np.eye(4, dtype=np.float32), (N_JOINTS, 1, 1))
    inverse_bind[:, :3, 3] = -rest
    # glTF matrices are column-major: each 4×4 is stored as its transpose's rows.
    document.skins.append(gl.Skin(
        name=motion.dancer, skeleton=0, joints=list(range(N_JOINTS)),
        inverseBindMatrices=layout.add(inverse_bind.transpose(0, 2, 1).reshape(N_JOINTS, 16))))
    document.nodes.append(gl.Node(name=motion.dancer, mesh=0, skin=0))

    times = layout.add(np.arange(motion.frames, dtype=np.float64) / motion.fps, bounds=True)
    quats = _continuous(np.asarray(motion.rotations, float))
    samplers, channels = [], []
    for j in range(N_JOINTS):
        samplers.append(gl.AnimationSampler(input=times, output=layout.add(quats[:, j]),
                                            interpolation=gl.ANIM_LINEAR))
        channels.append(gl.AnimationChannel(
            sampler=j, target=gl.AnimationChannelTarget(node=j, path=gl.ROTATION)))
    samplers.append(gl.AnimationSampler(input=times, output=layout.add(motion.root_m),
                                        interpolation=gl.ANIM_LINEAR))
    channels.append(gl.AnimationChannel(
        sampler=N_JOINTS, target=gl.AnimationChannelTarget(node=0, path=gl.TRANSLATION)))
    document.animations.append(gl.Animation(name=motion.dancer, samplers=samplers,
                                            channels=channels))

    document.scenes.append(gl.Scene(name=motion.dancer, nodes=[0, MESH_NODE], extras={
        "dancer": motion.dancer, "height_m": float(motion.height_m), "fps": float(motion.fps)}))
    document.scene = 0
    layout.finish(document)
    return b"".join(document.save_to_bytes())


def write(motion: Motion, path: str | Path) -> None:
    """Write ``motion`` as a binary glTF (``.glb``) to ``path`` (atomically)."""
    target = Path(path)
    if target.suffix.lower() != ".glb":
        raise ExportError(f"{target}: the glTF export writes one binary .glb file (name it "
                          f"{target.with_suffix('.glb').name})")
    write_bytes(target, render(motion))


def _check(motion: Motion) -> None:
    if not isinstance(motion, Motion):
        raise ExportError(f"motion must be a Motion (not {type(motion).__name__}; give one of "
                          "a Performance's motions)")
    if motion.frames == 0:
        raise ExportError(f"motion of {motion.dancer!r}: it has no frames (perform a "
                          "choreography of at least one count first)")
    if not (np.isfinite(motion.root_m).all() and np.isfinite(motion.rotations).all()):
        raise ExportError(f"motion of {motion.dancer!r}: it has NaN or infinite values "
                          "(perform it again; report it if it happens twice)")
    if (np.linalg.norm(motion.rotations, axis=2) == 0).any():
        raise ExportError(f"motion of {motion.dancer!r}: a rotation is the zero quaternion "
                          "(rotations must be unit quaternions in (x, y, z, w) order)")


def _continuous(quats: np.ndarray) -> np.ndarray:
    """Unit quaternions (frames, joints, 4), each joint's first with w ≥ 0 and every later one
    signed to lie within 90° in 4-space of the one before (the same rotations)."""
    quats = quats / np.linalg.norm(quats, axis=2, keepdims=True)
    signs = np.ones(quats.shape[:2])
    signs[0] = np.where(quats[0, :, 3] < 0, -1.0, 1.0)
    if len(quats) > 1:
        flips = np.where(np.sum(quats[1:] * quats[:-1], axis=2) < 0, -1.0, 1.0)
        signs[1:] = signs[0] * np.cumprod(flips, axis=0)
    return quats * signs[..., None]


def _bones(rest: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vertex positions and normals (n, 3) and the joint (n,) of every vertex, three vertices a
    face, eight faces a bone, in the rest pose."""
    segments = []
    for j, parent in enumerate(PARENTS):
        if parent >= 0:
            segments.append((parent, rest[parent], rest[j]))
        if JOINTS[j] in END_SITE_M:
            segments.append((j, rest[j], rest[j] + np.array(END_SITE_M[JOINTS[j]]) * scale))
    positions, normals, joints = [], [], []
    for joint, head, tail in segments:
        for face in _spindle(head, tail):
            normal = np.cross(face[1] - face[0], face[2] - face[0])
            positions.extend(face)
            normals.extend([normal / np.linalg.norm(normal)] * 3)
            joints.extend([joint] * 3)
    return np.array(positions), np.array(normals), np.array(joints, np.uint8)


def _spindle(head: np.ndarray, tail: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """The eight triangles, wound counter-clockwise seen from outside, of a bone from ``head``
    to ``tail``: two pyramids on a square ring near the head."""
    along = tail - head
    length = float(np.linalg.norm(along))
    axis = along / length
    across = np.cross(axis, np.eye(3)[np.argmin(np.abs(axis))])
    across /= np.linalg.norm(across)
    other = np.cross(axis, across)
    radius = float(np.clip(RADIUS_OF_LENGTH * length, *RADIUS_RANGE_M))
    centre = head + RING_AT * along
    ring = [centre + radius * v for v in (across, other, -across, -other)]
    faces = []
    for k in range(4):
        a, b = ring[k], ring[(k + 1) % 4]
        faces.append((head, b, a))
        faces.append((tail, a, b))
    middle = (head + tail) / 2
    return [f if np.dot(np.cross(f[1] - f[0], f[2] - f[0]), sum(f) / 3 - middle) > 0
            else (f[0], f[2], f[1]) for f in faces]


class _Layout:
    """Accessors and buffer views over one growing binary buffer, each view 4-byte aligned."""

    def __init__(self) -> None:
        self.blob = bytearray()
        self.accessors: list[gl.Accessor] = []
        self.views: list[gl.BufferView] = []

    def add(self, values: np.ndarray, *, target: int | None = None, bounds: bool = False) -> int:
        """Append ``values`` (n,) or (n, k) as one accessor; its index. ``bounds`` records the
        min and max (required for POSITION and for animation times)."""
        values = np.asarray(values)
        values = values.astype(np.uint8 if values.dtype == np.uint8 else np.float32)
        columns = 1 if values.ndim == 1 else values.shape[1]
        data = values.astype(values.dtype.newbyteorder("<")).tobytes()
        self.views.append(gl.BufferView(buffer=0, byteOffset=len(self.blob),
                                        byteLength=len(data), target=target))
        self.blob += data + b"\0" * (-len(data) % 4)
        flat = values.reshape(len(values), columns)
        self.accessors.append(gl.Accessor(
            bufferView=len(self.views) - 1, componentType=_COMPONENTS[values.dtype],
            count=len(values), type=_TYPES[columns],
            min=[float(v) for v in flat.min(axis=0)] if bounds else [],
            max=[float(v) for v in flat.max(axis=0)] if bounds else []))
        return len(self.accessors) - 1

    def finish(self, document: gl.GLTF2) -> None:
        document.accessors = self.accessors
        document.bufferViews = self.views
        document.buffers = [gl.Buffer(byteLength=len(self.blob))]
        document.set_binary_blob(bytes(self.blob))


def _floats(values: np.ndarray) -> list[float]:
    return [float(v) for v in values]
