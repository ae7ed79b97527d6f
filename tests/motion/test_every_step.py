"""Every step of the library, on both sides: it synthesises, stays on and above the floor, keeps
human joints, and a step that stays in place keeps its weight-bearing feet still."""

import pytest

from pointe.body.limits import check
from pointe.motion import metrics
from pointe.motion.feet import contact_points
from pointe.motion.synthesis import TimedStep, perform_steps
from pointe.vocabulary import library

STEPS = {step.id: step for step in library.load().steps}
COUNT_S = 0.5


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
        if step.travel == "none" and not step.turn_deg:
            slide = metrics.planted_slide(joints, motion.contacts, fps=motion.fps,
                                          points=contact_points(motion))
            assert slide < 0.01, f"{step_id} ({side}): planted feet slide {slide:.3f} m/s"
