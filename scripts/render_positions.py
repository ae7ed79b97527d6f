"""Render docs/positions.png and docs/positions-beyond.png: the body-position grammar's named
positions, front and side (the second sheet: parallel legs, the torso's contemporary shapes,
leaning off balance, and the floor).

    python scripts/render_positions.py [FOLDER]
"""

from __future__ import annotations

import sys
from pathlib import Path

from pointe.body.drawing import contact_sheet
from pointe.body.positions import Position, pose

ONE = {"support": "one"}
SHEET = [
    ("1st position", Position(feet=1)),
    ("2nd, demi-plié", Position(feet=2, level="demi-plie", working_arm="second",
                                 other_arm="second")),
    ("5th, grand plié", Position(feet=5, level="plie", working_arm="first", other_arm="first")),
    ("5th on demi-pointe", Position(feet=5, level="demi-pointe", working_arm="fifth",
                                    other_arm="fifth")),
    ("5th on pointe", Position(feet=5, level="pointe", working_arm="fifth", other_arm="fifth")),
    ("4th croisé", Position(feet=4, body="croise", working_arm="first", other_arm="second")),
    ("tendu devant", Position(gesture="extended", direction="devant", working_arm="second",
                              other_arm="second")),
    ("tendu à la seconde", Position(gesture="extended", direction="seconde",
                                    working_arm="second", other_arm="second")),
    ("sur le cou-de-pied", Position(gesture="cou-de-pied", working_arm="demi-seconde",
                                    other_arm="demi-seconde", **ONE)),
    ("retiré", Position(gesture="retire", working_arm="first", other_arm="first", **ONE)),
    ("développé devant 90°", Position(gesture="extended", direction="devant", height="90",
                                      working_arm="second", other_arm="second", **ONE)),
    ("à la seconde 90°, relevé", Position(gesture="extended", direction="seconde", height="90",
                                          level="demi-pointe", working_arm="second",
                                          other_arm="second", **ONE)),
    ("1st arabesque", Position(gesture="extended", direction="derriere", height="90",
                               working_arm="arabesque-side", other_arm="arabesque-front",
                               body="efface", **ONE)),
    ("attitude croisée", Position(gesture="attitude", direction="derriere", height="90",
                                  working_arm="fifth", other_arm="second", body="croise", **ONE)),
    ("cambré back", Position(feet=5, torso="cambre-back", head="lift", working_arm="fifth",
                             other_arm="fifth")),
    ("écarté devant", Position(gesture="extended", direction="seconde", height="90",
                               body="ecarte-devant", working_arm="fifth", other_arm="second",
                               head="turn", **ONE)),
    ("5th, working foot behind", Position(feet=5, front="other")),
    ("retiré derrière", Position(gesture="retire", direction="derriere", working_arm="first",
                                 other_arm="first", **ONE)),
    ("landing on the working leg", Position(support="working", gesture="cou-de-pied",
                                            direction="derriere", level="demi-plie",
                                            working_arm="second", other_arm="first")),
    ("4th, working foot behind", Position(feet=4, front="other", level="demi-plie",
                                          working_arm="second", other_arm="first",
                                          body="croise")),
]
# What the grammar says beyond classical technique: parallel legs, the torso's contraction, flat
# back and tilt, an off-balance lean, and the floor.
BEYOND = [
    ("parallel 1st", Position(feet=1, turnout="parallel")),
    ("parallel retiré", Position(gesture="retire", turnout="parallel", working_arm="first",
                                 other_arm="first", **ONE)),
    ("contraction", Position(feet=2, turnout="parallel", level="demi-plie", torso="contraction",
                             working_arm="first", other_arm="first")),
    ("flat back", Position(feet=2, turnout="parallel", torso="flat-back",
                           working_arm="fifth", other_arm="fifth")),
    ("T-balance (flat back)", Position(gesture="extended", direction="derriere", height="90",
                                       turnout="parallel", torso="flat-back",
                                       working_arm="second", other_arm="second", **ONE)),
    ("Graham tilt", Position(gesture="extended", direction="seconde", height="90",
                             torso="tilt", working_arm="second", other_arm="second", **ONE)),
    ("off balance, forward", Position(feet=1, turnout="parallel", lean="forward",
                                      working_arm="arabesque-front",
                                      other_arm="arabesque-front")),
    ("off balance, side", Position(gesture="extended", direction="seconde", height="45",
                                   lean="side", working_arm="second", other_arm="second",
                                   **ONE)),
    ("lunge in 4th", Position(feet=4, level="plie", lunge="working", turnout="parallel",
                              working_arm="arabesque-front", other_arm="arabesque-front")),
    ("lunge to the side", Position(feet=2, level="plie", lunge="working", working_arm="second",
                                   other_arm="second", head="turn")),
    ("kneeling", Position(support="kneel", working_arm="second", other_arm="second")),
    ("kneeling, contraction", Position(support="kneel", torso="contraction",
                                       working_arm="first", other_arm="first")),
    ("on one knee", Position(support="knee", turnout="parallel", working_arm="demi-seconde",
                             other_arm="demi-seconde")),
    ("on one knee, leg to the side", Position(support="knee", gesture="extended",
                                              direction="seconde", working_arm="second",
                                              other_arm="fifth")),
    ("sitting, legs in front", Position(support="sit", feet=1, turnout="parallel")),
    ("sitting in 2nd, folded", Position(support="sit", feet=2, torso="cambre-forward",
                                        working_arm="first", other_arm="first")),
    ("lying on the back", Position(support="lie-back", level="pointe", working_arm="fifth",
                                   other_arm="fifth")),
    ("on the back, leg up", Position(support="lie-back", level="pointe", gesture="extended",
                                     direction="devant", height="90", working_arm="second",
                                     other_arm="second")),
    ("lying on the front", Position(support="lie-front", level="pointe", working_arm="fifth",
                                    other_arm="fifth")),
    ("lying on the side", Position(support="lie-side", level="pointe", working_arm="fifth",
                                   other_arm="second")),
    ("on the side, leg lifted", Position(support="lie-side", level="pointe",
                                         gesture="extended", direction="seconde",
                                         height="45", working_arm="second",
                                         other_arm="fifth")),
    ("on the front, arched", Position(support="lie-front", level="pointe", torso="cambre-back",
                                      head="lift", working_arm="bras-bas",
                                      other_arm="bras-bas")),
]


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs")
    for sheet, name in ((SHEET, "positions.png"), (BEYOND, "positions-beyond.png")):
        out = folder / name
        contact_sheet([(title, pose(p, side="right").joints) for title, p in sheet], out,
                      columns=4)
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
