"""The bundled step library: every step loads, names are unique, every key position is a human
pose on the floor on both sides, and each step's start and end agree with its key positions."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from pointe.body.positions import pose
from pointe.body.skeleton import INDEX
from pointe.errors import VocabularyError
from pointe.vocabulary import library
from pointe.vocabulary.step import FLOOR_STATES, from_dict

LIB = library.load()
STEPS = {step.id: step for step in LIB.steps}


def test_the_library_loads_with_unique_ids_and_names():
    assert len(LIB) >= 3
    assert len(STEPS) == len(LIB.steps)


@pytest.mark.parametrize("step_id", sorted(STEPS))
@pytest.mark.parametrize("side", ["right", "left"])
def test_every_key_position_is_a_human_pose_on_the_floor(step_id, side):
    step = STEPS[step_id]
    for key in step.keys:
        result = pose(key.position, side=side)
        assert result.joints[:, 1].min() >= -1e-6, f"{step_id} at {key.at} goes through the floor"
        for knee in ("left_knee", "right_knee"):
            flexion = Rotation.from_quat(result.rotations[INDEX[knee]]).as_rotvec()[0]
            assert np.degrees(flexion) > -8.0, f"{step_id} at {key.at}: a knee bends backwards"


@pytest.mark.parametrize("step_id", sorted(STEPS))
def test_start_and_end_states_match_the_first_and_last_keys(step_id):
    step = STEPS[step_id]
    for state, key in ((step.start, step.keys[0]), (step.end, step.keys[-1])):
        if key.air:
            assert state.support == "none", f"{step_id}: a key in the air has support 'none'"
            continue
        position = key.position
        expected = {"both": "both", "one": "supporting", "working": "working",
                    "none": "none", **FLOOR_STATES}.get(position.support)
        if position.support == "both" and position.gesture != "none":
            expected = "supporting"  # the working foot points but bears no weight
        assert state.support == expected, f"{step_id}: {state.support} vs key {position.support}"
        if state.support == "both":
            assert state.feet == position.feet, f"{step_id}: feet {state.feet} vs {position.feet}"


RANK = {"knee": 2, "kneel": 1, "sit": 1, "lie-back": 0, "lie-front": 0, "lie-side": 0}


@pytest.mark.parametrize("step_id", sorted(STEPS))
def test_no_step_goes_from_its_feet_to_lying_at_once(step_id):
    """Going down or coming up passes through the levels between: from the feet (or the air) to
    one knee, to kneeling or sitting, to lying; one may be skipped, never two."""
    ranks = [RANK.get(key.position.support, 3) for key in STEPS[step_id].keys]
    for a, b in zip(ranks, ranks[1:], strict=False):
        assert abs(a - b) <= 2, f"{step_id}: from level {a} to {b} in one move"


def test_names_are_found_whatever_the_accents_and_case():
    assert LIB.get("Demi-Plié").id == "demi-plie"
    assert LIB.get("DEMI PLIE").id == "demi-plie"


def test_no_name_is_another_name_and_a_modifier():
    """The line form stays lossless: no step is called by another step name followed by words
    the line form reads as its side, direction or other modifier ("ballonné de côté" is the
    ballonné done de côté, not a name), so a move prints and parses back the same."""
    from pointe.choreography.lines import _modifiers
    from pointe.choreography.model import Move

    lib = library.load()
    clashes = []
    for step in lib.steps:
        for name in (step.name, *step.aliases):
            words = name.split()
            for i in range(1, len(words)):
                shorter = " ".join(words[:i])
                if lib.lookup(shorter) is None:
                    continue
                try:
                    _modifiers(Move(0, 4, shorter), words[i:])
                except ValueError:
                    continue
                clashes.append(f"{name!r} = {shorter!r} + {' '.join(words[i:])!r}")
    assert clashes == []


def test_unknown_step_suggests_the_nearest():
    with pytest.raises(VocabularyError, match="unknown step 'demi-plee'.*did you mean"):
        LIB.get("demi-plee")


@pytest.mark.parametrize(("change", "match"), [
    ({"family": "allegro"}, "family 'allegro' is not one of"),
    ({"keys": [{"at": 0.0, "position": {"feet": 5}}, {"at": 1.0, "position": {"fet": 5}}]},
     "unknown position field 'fet' \\(did you mean 'feet'\\?\\)"),
    ({"keys": [{"at": 0.0, "position": {}}, {"at": 0.5, "position": {}}]},
     "key times must rise from 0.0 to 1.0"),
    ({"counts": {"default": 9, "min": 1, "max": 4}}, "1 <= min <= default <= max"),
    ({"keys": [{"at": 0.0, "position": {}}, {"at": 1.0, "position": {"support": "one"}}]},
     "needs a gesture"),
])
def test_malformed_steps_get_precise_messages(change, match):
    base = {"id": "x", "name": "x", "family": "barre", "level": "beginner", "counts": 2,
            "keys": [{"at": 0.0, "position": {}}, {"at": 1.0, "position": {}}]}
    with pytest.raises(ValueError, match=match):
        from_dict({**base, **change}, where="my-steps.yaml, step 4")
