"""Every step of the library, on both sides: it synthesises, stays on and above the floor, keeps
human joints, and its weight-bearing feet stay where they were put, travelling and turning steps
included."""

import numpy as np
import pytest

from pointe.body.limits import check
from pointe.body.positions import FLOOR, LYING
from pointe.motion import metrics
from pointe.motion.feet import contact_points
from pointe.motion.synthesis import TimedStep, perform_steps
from pointe.vocabulary import library
from pointe.vocabulary.sequences import can_follow

STEPS = {step.id: step for step in library.load().steps}
COUNT_S = 0.5
ON_THE_FLOOR = FLOOR + LYING
DOWN = sorted(i for i, s in STEPS.items()
              if any(k.position.support in ON_THE_FLOOR for k in s.keys))
MOVING = sorted(i for i, s in STEPS.items() if (s.travel != "none" or s.turn_deg)
                and i not in DOWN)


def _between_keys(step, duration, frames, fps, which):
    """Per frame: whether the key before it or the key after it is one ``which`` picks."""
    times = np.arange(frames) / fps
    at = np.array([k.at * duration for k in step.keys])
    span = np.clip(np.searchsorted(at, times, side="right") - 1, 0, len(at) - 2)
    picked = np.array([which(k) for k in step.keys])
    return picked[span], picked[span + 1]


@pytest.mark.parametrize("step_id", sorted(STEPS))
def test_step_performs_well_on_both_sides(step_id):
    step = STEPS[step_id]
    for side in ("right", "left"):
        motion = perform_steps([TimedStep(step, 0.0, step.counts[0] * COUNT_S, side)])
        joints = motion.joints()
        sink = metrics.ground_penetration(joints)
        assert sink.frames == (), f"{step_id} ({side}) goes {sink.max_depth_m * 1000:.1f} mm " \
                                  "below the floor"
        assert check(joints, motion.rotations) == (), f"{step_id} ({side}): joint limits"
        points = contact_points(motion)
        slide = metrics.planted_slide(joints, motion.contacts, fps=motion.fps, points=points)
        assert slide < 0.01, f"{step_id} ({side}): planted feet slide {slide:.4f} m/s"
        # A foot that bears weight is on the floor: the ball (or the tips) no higher than it
        # stands in rest pose, with a centimetre and a half for a toe rolling up to pointe.
        for column in (1, 3):
            planted = motion.contacts[:, column]
            height = points[planted, column, 1].max(initial=0.0)
            assert height < 0.04, f"{step_id} ({side}): a planted foot {height:.3f} m up"


@pytest.mark.parametrize("step_id", MOVING)
def test_travelling_and_turning_steps_bear_weight(step_id):
    """Feet are not let off by calling them weightless: every travelling or turning step bears
    weight on some foot for a fifth of its time at least (the longest jumps)."""
    step = STEPS[step_id]
    motion = perform_steps([TimedStep(step, 0.0, step.counts[0] * COUNT_S, "right")])
    assert motion.contacts[:, [1, 3]].any(axis=1).mean() > 0.2


@pytest.mark.parametrize("step_id", sorted(STEPS))
def test_no_foot_leaves_the_floor_before_the_other_is_down(step_id):
    """Off the floor only in the air: outside the stretches next to a key in the air or a key
    on the floor (kneeling, sitting, lying), some foot bears weight at every frame (the foot
    that stood stays down until the one stepping out to take the weight, in a piqué, a posé or
    a tombé, is down)."""
    step = STEPS[step_id]
    duration = step.counts[0] * COUNT_S
    motion = perform_steps([TimedStep(step, 0.0, duration, "right")])
    frames = len(motion.contacts)
    before, after = _between_keys(step, duration, frames, motion.fps, lambda k: k.air)
    down = _between_keys(step, duration, frames, motion.fps,
                         lambda k: k.position.support in ON_THE_FLOOR)
    excused = before | after | down[0] | down[1]
    unsupported = ~motion.contacts.any(axis=1) & ~excused
    times = np.arange(frames) / motion.fps
    assert not unsupported.any(), (
        f"{step_id}: no foot bears weight at {times[unsupported][0]:.3f} s, on the floor")


@pytest.mark.parametrize("step_id", DOWN)
@pytest.mark.parametrize("side", ["right", "left"])
def test_a_body_on_the_floor_rests_on_it(step_id, side):
    """Between two keys on the floor the body lies, sits or kneels on it: its lowest joint is
    never more than 12 cm up (joints are inside the body: a kneeling knee's is 5 cm up), and
    never below it."""
    step = STEPS[step_id]
    duration = step.counts[0] * COUNT_S
    motion = perform_steps([TimedStep(step, 0.0, duration, side)])
    joints = motion.joints()
    before, after = _between_keys(step, duration, len(joints), motion.fps,
                                  lambda k: k.position.support in ON_THE_FLOOR)
    lowest = joints[before & after, :, 1].min(axis=1)
    assert len(lowest) > 0
    assert lowest.max() < 0.12, f"{step_id} ({side}) hovers {lowest.max():.3f} m up"
    assert lowest.min() >= 0.0


@pytest.mark.parametrize("step_id", sorted(i for i in DOWN if STEPS[i].travel != "none"))
def test_steps_on_the_floor_travel_as_far_as_the_library_says(step_id):
    """A log roll rolls the body over its own width; going down to kneel takes it a step back."""
    step = STEPS[step_id]
    motion = perform_steps([TimedStep(step, 0.0, step.counts[0] * COUNT_S, "right")])
    went = np.linalg.norm(motion.root_m[-1, [0, 2]] - motion.root_m[0, [0, 2]])
    assert went == pytest.approx(step.travel_m, rel=0.25), step_id


TRAVELLERS = sorted(i for i, s in STEPS.items()
                    if s.travel not in ("none", "circle") and s.travel_m > 0
                    and s.turn_deg % 360 == 0 and can_follow(s, s))


@pytest.mark.parametrize("step_id", TRAVELLERS)
def test_travelling_steps_travel_as_far_as_the_library_says(step_id):
    """The feet carry the dancer: four of a travelling step in a row take her four times its
    distance (within a quarter; the shapes of its positions travel a little on their own)."""
    step = STEPS[step_id]
    duration = step.counts[0] * COUNT_S
    motion = perform_steps([TimedStep(step, i * duration, duration, "right") for i in range(4)])
    went = np.linalg.norm(motion.root_m[-1, [0, 2]] - motion.root_m[0, [0, 2]])
    assert went == pytest.approx(4 * step.travel_m, rel=0.25), step_id


@pytest.mark.parametrize("step_id", ["pirouette-en-dehors-double-from-fifth",
                                     "pirouette-en-dedans-single-from-fourth",
                                     "fouette-rond-de-jambe-en-tournant"])
def test_a_pirouette_turns_about_the_ball_of_the_supporting_foot(step_id):
    step = STEPS[step_id]
    motion = perform_steps([TimedStep(step, 0.0, step.counts[0] * COUNT_S, "right")])
    points = contact_points(motion)
    from scipy.spatial.transform import Rotation

    facing = Rotation.from_quat(motion.rotations[:, 0]).as_euler("yxz")[:, 0]
    fast = np.abs(np.gradient(np.unwrap(facing))) * motion.fps > 3.0  # half a turn a second
    assert fast.sum() > 10
    on = motion.contacts[:, 1] & fast  # on the left foot (the supporting leg of a right step)
    assert on.sum() == fast.sum()
    ball = points[on, 1][:, [0, 2]]
    assert np.ptp(ball, axis=0).max() < 1e-5  # the ball never moves (10 µm of round-off)
    pelvis = motion.root_m[on][:, [0, 2]]
    assert np.linalg.norm(pelvis - ball, axis=1).max() < 0.05  # the body turns over it
