"""The body-position grammar: named positions become human poses on the floor."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from pointe.body.positions import Position, pose
from pointe.body.skeleton import INDEX, JOINTS

ONE_LEG = dict(support="one")
POSITIONS = {
    "first": Position(feet=1),
    "second demi-plie": Position(feet=2, level="demi-plie"),
    "fifth grand plie": Position(feet=5, level="plie"),
    "fifth demi-pointe": Position(feet=5, level="demi-pointe", working_arm="fifth",
                                  other_arm="fifth"),
    "fifth pointe": Position(feet=5, level="pointe"),
    "fourth": Position(feet=4, body="croise", working_arm="first", other_arm="second"),
    "tendu devant": Position(gesture="extended", direction="devant"),
    "tendu a la seconde": Position(gesture="extended", direction="seconde"),
    "tendu derriere": Position(gesture="extended", direction="derriere", body="efface"),
    "retire": Position(gesture="retire", working_arm="first", other_arm="first", **ONE_LEG),
    "cou-de-pied": Position(gesture="cou-de-pied", **ONE_LEG),
    "first arabesque": Position(gesture="extended", direction="derriere", height="90",
                                working_arm="arabesque-side", other_arm="arabesque-front",
                                body="efface", **ONE_LEG),
    "attitude croisee": Position(gesture="attitude", direction="derriere", height="90",
                                 working_arm="fifth", other_arm="second", body="croise",
                                 **ONE_LEG),
    "developpe a la seconde releve": Position(gesture="extended", direction="seconde",
                                              height="90", level="demi-pointe", **ONE_LEG),
    "cambre back": Position(feet=5, torso="cambre-back", head="lift", working_arm="fifth",
                            other_arm="fifth"),
    "fifth, other foot front": Position(feet=5, front="other"),
    "landing on the working leg, cou-de-pied derriere": Position(
        support="working", gesture="cou-de-pied", direction="derriere", level="demi-plie"),
    "retire derriere": Position(gesture="retire", direction="derriere", **ONE_LEG),
    # Beyond classical technique (tests/body/test_beyond_classical.py checks what they show).
    "parallel retire": Position(gesture="retire", turnout="parallel", **ONE_LEG),
    "contraction": Position(feet=2, turnout="parallel", level="demi-plie", torso="contraction"),
    "t-balance": Position(gesture="extended", direction="derriere", height="90",
                          torso="flat-back", turnout="parallel", **ONE_LEG),
    "graham tilt": Position(gesture="extended", direction="seconde", height="90", torso="tilt",
                            **ONE_LEG),
    "off balance to the side": Position(gesture="extended", direction="seconde", height="45",
                                        lean="side", **ONE_LEG),
    "lunge": Position(feet=4, level="plie", lunge="working", turnout="parallel"),
    "side lunge": Position(feet=2, level="demi-plie", lunge="other"),
    "kneeling": Position(support="kneel", working_arm="second", other_arm="fifth"),
    "on one knee": Position(support="knee", turnout="parallel"),
    "on one knee, leg to the side": Position(support="knee", gesture="extended",
                                             direction="seconde"),
    "sitting in second, folded": Position(support="sit", feet=2, torso="cambre-forward"),
    "on the back, leg up": Position(support="lie-back", level="pointe", gesture="extended",
                                    direction="devant", height="90"),
    "on the side": Position(support="lie-side", level="pointe", working_arm="fifth"),
    "on the front, arched": Position(support="lie-front", level="pointe", torso="cambre-back",
                                     head="lift"),
}


def _mirror(joints: np.ndarray) -> np.ndarray:
    swapped = np.array([INDEX[n.replace("left_", "@").replace("right_", "left_").replace(
        "@", "right_")] for n in JOINTS])
    out = joints[swapped].copy()
    out[:, 0] *= -1
    return out


@pytest.mark.parametrize("name", POSITIONS)
def test_other_side_is_the_mirror_image(name):
    right = pose(POSITIONS[name], side="right").joints
    left = pose(POSITIONS[name], side="left").joints
    assert np.allclose(left, _mirror(right), atol=1e-6)


@pytest.mark.parametrize("name", POSITIONS)
@pytest.mark.parametrize("side", ["left", "right"])
def test_standing_on_the_floor_never_through_it(name, side):
    result = pose(POSITIONS[name], side=side)
    assert result.joints[:, 1].min() >= -1e-6
    for leg in result.supporting:
        foot = result.joints[INDEX[f"{leg}_foot"], 1]
        assert foot < 0.06, f"{leg} foot should bear weight"


@pytest.mark.parametrize("name", POSITIONS)
def test_knees_bend_only_forwards(name):
    result = pose(POSITIONS[name], side="right")
    for knee in ("left_knee", "right_knee"):
        flexion = Rotation.from_quat(result.rotations[INDEX[knee]]).as_rotvec()
        # Flexion of the shin is about the knee's own x axis, backwards (positive): never the
        # other way by more than a few degrees (no knee bending backwards).
        assert np.degrees(flexion[0]) > -8.0


def test_plie_lowers_and_releve_raises():
    flat = pose(Position(feet=5)).root_m[1]
    assert pose(Position(feet=5, level="demi-plie")).root_m[1] < flat - 0.08
    assert pose(Position(feet=5, level="plie")).root_m[1] < flat - 0.2
    assert pose(Position(feet=5, level="demi-pointe")).root_m[1] > flat + 0.05
    assert pose(Position(feet=5, level="pointe")).root_m[1] > pose(
        Position(feet=5, level="demi-pointe")).root_m[1]


def test_positions_of_the_feet():
    def heels(feet):
        joints = pose(Position(feet=feet)).joints
        return joints[INDEX["right_ankle"]], joints[INDEX["left_ankle"]]

    r, left = heels(1)
    assert np.linalg.norm(r - left) < 0.1  # heels together
    r, left = heels(2)
    assert np.linalg.norm(r - left) > 0.25  # a foot apart
    r, left = heels(5)
    assert r[2] > left[2] and r[0] > left[0] - 0.02  # right foot front, crossed over
    r, left = heels(4)
    assert r[2] - left[2] > 0.25


@pytest.mark.parametrize("direction", ["devant", "seconde", "derriere"])
def test_tendu_toe_just_touches_the_floor(direction):
    from pointe.body.positions import TOE_M
    from pointe.body.skeleton import world_rotations

    result = pose(Position(gesture="extended", direction=direction))
    foot = Rotation.from_quat(world_rotations(result.rotations[None])[0, INDEX["right_foot"]])
    tip = result.joints[INDEX["right_foot"]] + foot.apply([0.0, 0.0, TOE_M])
    assert tip[1] == pytest.approx(0.0, abs=0.01)
    assert result.joints[INDEX["right_ankle"], 1] > 0.08  # the heel is off the floor: pointed


def test_arabesque_leg_is_at_hip_height_behind():
    joints = pose(POSITIONS["first arabesque"], side="right").joints
    hip, ankle = joints[INDEX["right_hip"]], joints[INDEX["right_ankle"]]
    assert ankle[1] == pytest.approx(hip[1], abs=0.1)
    # Effacé with the right leg behind faces the downstage corner on the dancer's left (+X).
    facing = Rotation.from_euler("y", 45, degrees=True).apply([0, 0, 1.0])
    assert np.dot(ankle - hip, facing) < -0.6  # well behind the dancer


@pytest.mark.parametrize(("field", "value", "match"), [
    ("level", "releve", "level must be one of"),
    ("working_arm", "fith", "did you mean 'fifth'"),
    ("feet", 6, "position of the feet, 1 to 5"),
])
def test_unknown_names_are_refused_with_a_suggestion(field, value, match):
    with pytest.raises(ValueError, match=match):
        Position(**{field: value})


def test_one_leg_needs_a_gesture():
    with pytest.raises(ValueError, match="needs a gesture"):
        Position(support="one")


@pytest.mark.parametrize(("body", "direction", "crossed"), [
    ("croise", "devant", True), ("croise", "derriere", True),
    ("efface", "devant", False), ("efface", "derriere", False),
])
def test_croise_crosses_the_legs_as_the_audience_sees_them(body, direction, crossed):
    # Seen from the audience (+Z), the right (working) leg of a crossed pose is on the side of
    # the supporting leg: its ankle is further toward +X than the supporting ankle.
    joints = pose(Position(gesture="extended", direction=direction, body=body), side="right").joints
    working, supporting = joints[INDEX["right_ankle"], 0], joints[INDEX["left_ankle"], 0]
    assert (working > supporting) == crossed


def test_standing_on_the_working_leg():
    result = pose(Position(support="working", gesture="cou-de-pied", direction="derriere"),
                  side="right")
    assert result.supporting == ("right",)
    joints = result.joints
    assert joints[INDEX["left_ankle"], 1] > 0.15  # the other leg is the free one
    assert joints[INDEX["right_foot"], 1] < 0.06


def test_other_foot_in_front_in_fifth():
    front = pose(Position(feet=5), side="right").joints
    behind = pose(Position(feet=5, front="other"), side="right").joints
    assert front[INDEX["right_ankle"], 2] > front[INDEX["left_ankle"], 2]
    assert behind[INDEX["right_ankle"], 2] < behind[INDEX["left_ankle"], 2]


@pytest.mark.parametrize("gesture", ["retire", "cou-de-pied"])
def test_wrapped_gestures_go_behind_when_asked(gesture):
    def toe_z(direction):
        joints = pose(Position(support="one", gesture=gesture, direction=direction)).joints
        return joints[INDEX["right_ankle"], 2] - joints[INDEX["left_knee" if gesture == "retire"
                                                             else "left_ankle"], 2]

    assert toe_z("devant") > 0.02 > -0.02 > toe_z("derriere")


def test_in_the_air_the_other_leg_can_split_behind():
    split = Position(support="none", level="air", gesture="extended", direction="devant",
                     height="high", other_gesture="extended", other_direction="derriere",
                     other_height="90")
    joints = pose(split, side="right").joints
    hip = joints[INDEX["pelvis"]]
    front, back = joints[INDEX["right_ankle"]], joints[INDEX["left_ankle"]]
    leg = np.linalg.norm(joints[INDEX["right_hip"]] - joints[INDEX["right_knee"]]) * 2
    assert front[2] - hip[2] > 0.6 * leg and back[2] - hip[2] < -0.6 * leg  # forward and back
    assert front[1] > hip[1] and back[1] > hip[1] - 0.3 * leg  # both legs raised, not hanging
    closed = pose(Position(support="none", level="air", gesture="extended", direction="devant",
                           height="high"), side="right").joints
    assert closed[INDEX["left_ankle"]][1] < hip[1] - 0.8 * leg  # without it the leg hangs


def test_in_the_air_the_feet_point_just_off_the_floor():
    result = pose(Position(support="none", level="air", feet=1))
    for leg in ("left", "right"):
        ankle, ball = (result.joints[INDEX[f"{leg}_{j}"]] for j in ("ankle", "foot"))
        assert ankle[1] - ball[1] > 0.08  # the ball well below the ankle: pointed
        assert 0.0 <= ball[1] < 0.06


def test_in_the_air_both_legs_can_be_drawn_up_in_retire():
    """A pas de chat: both pointed feet under the body, both knees open to the side."""
    both = pose(Position(support="none", level="air", gesture="retire", other_gesture="retire"))
    one = pose(Position(support="none", level="air", gesture="retire"))
    for leg, s in (("left", 1.0), ("right", -1.0)):
        ankle, knee, hip = (both.joints[INDEX[f"{leg}_{j}"]] for j in ("ankle", "knee", "hip"))
        assert hip[1] - ankle[1] < 0.36  # drawn up (a hanging leg's ankle is 0.8 m below)
        assert s * (knee[0] - hip[0]) > 0.1  # the knee opens to its own side
    assert one.joints[INDEX["left_ankle"], 1] < both.joints[INDEX["left_ankle"], 1] - 0.3


def test_the_other_leg_takes_a_shape_only_in_the_air():
    with pytest.raises(ValueError, match="only in the air"):
        Position(support="one", gesture="extended", other_gesture="extended")
    with pytest.raises(ValueError, match="both legs"):
        Position(support="none", level="air", gesture="extended", direction="derriere",
                 other_gesture="extended", other_direction="derriere")
