"""Render docs/positions.png: the body-position grammar's named positions, front and side.

    python scripts/render_positions.py
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


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/positions.png")
    contact_sheet([(name, pose(p, side="right").joints) for name, p in SHEET], out, columns=4)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
