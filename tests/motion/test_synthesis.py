"""Motion synthesis: steps become motion on the floor, in time, travelling and turning."""

import numpy as np
import pytest

from pointe.body.skeleton import INDEX, JOINTS
from pointe.motion import metrics
from pointe.motion.synthesis import G, TimedStep, perform_steps
from pointe.vocabulary import library
from pointe.vocabulary.step import from_dict

LIB = library.load()


def _step(**change):
    base = {"id": "made", "name": "made", "family": "petit-allegro", "level": "beginner",
            "counts": 1,
            "keys": [{"at": 0.0, "position": {"feet": 1}}, {"at": 1.0, "position": {"feet": 1}}]}
    return from_dict({**base, **change}, where="test")


SAUTE = _step(id="saute-made", elevation="small", keys=[
    {"at": 0.0, "position": {"feet": 1, "level": "demi-plie"}},
    {"at": 0.5, "position": {"support": "none", "level": "air", "feet": 1}, "air": True},
    {"at": 1.0, "position": {"feet": 1, "level": "demi-plie"}},
], start={"support": "both", "feet": 1}, end={"support": "both", "feet": 1})


def _barre(side):
    names = ["demi-plie", "battement tendu devant", "retire passe", "demi-plie"]
    return [TimedStep(LIB.get(n), float(i), 1.0, side) for i, n in enumerate(names)]


@pytest.mark.parametrize("side", ["right", "left"])
def test_barre_sequence_stays_on_the_floor_without_sliding(side):
    motion = perform_steps(_barre(side))
    joints = motion.joints()
    assert motion.frames == 241 and motion.fps == 60.0
    assert metrics.ground_penetration(joints).frames == ()
    assert metrics.planted_slide(joints, motion.contacts, fps=60.0) < 0.01


def test_the_left_side_mirrors_the_right():
    right = perform_steps(_barre("right")).joints()
    left = perform_steps(_barre("left")).joints()
    swap = [INDEX[n.replace("left_", "@").replace("right_", "left_").replace("@", "right_")]
            for n in JOINTS]
    mirrored = right[:, swap].copy()
    mirrored[..., 0] *= -1
    assert np.allclose(left, mirrored, atol=1e-6)


@pytest.mark.parametrize("duration", [0.5, 0.8])
def test_jump_height_agrees_with_flight_time(duration):
    from pointe.body.positions import pose

    standing = perform_steps([TimedStep(SAUTE, 0.0, duration)])
    pelvis = standing.root_m[:, 1]
    flight = duration  # from the plié before to the plié after
    in_the_air = pose(SAUTE.keys[1].position).root_m[1]  # pelvis height of the pose in the air
    assert pelvis.max() - in_the_air == pytest.approx(G * flight**2 / 8, abs=0.01)
    airborne = ~standing.contacts.any(axis=1)
    assert airborne.sum() > 0.5 * duration * 60
    assert metrics.ground_penetration(standing.joints()).frames == ()


def test_travel_and_turn_integrate():
    walk = _step(id="travel-made", travel={"direction": "forward", "distance_m": 1.0})
    turn = _step(id="turn-made", turn={"degrees": 360})
    motion = perform_steps([TimedStep(walk, 0.0, 1.0), TimedStep(turn, 1.0, 1.0)])
    assert motion.root_m[60, 2] - motion.root_m[0, 2] == pytest.approx(1.0, abs=0.02)
    from scipy.spatial.transform import Rotation

    facing = Rotation.from_quat(motion.rotations[:, 0]).apply([0, 0, 1.0])
    assert facing[90] == pytest.approx([0, 0, -1.0], abs=0.02)  # half-way round
    assert facing[-1] == pytest.approx([0, 0, 1.0], abs=0.02)


def test_steps_must_not_overlap():
    step = LIB.get("demi-plie")
    with pytest.raises(ValueError, match="starts at 0.500 s, before 'demi-plie' ends at 1.000 s"):
        perform_steps([TimedStep(step, 0.0, 1.0), TimedStep(step, 0.5, 1.0)])


def test_same_steps_same_motion():
    a, b = perform_steps(_barre("right")), perform_steps(_barre("right"))
    assert np.array_equal(a.rotations, b.rotations) and np.array_equal(a.root_m, b.root_m)
