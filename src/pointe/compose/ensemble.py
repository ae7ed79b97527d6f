"""The cast on the floor: default names, starting formations, and who dances with whom.

Conventions
-----------
- Places are metres on the stage floor (x to the audience's right, z toward the audience).
- A formation is symmetric about the centre line (x = 0), so a group can mirror the other.
- Dancers stand at least ``SPACING_M`` apart; a soloist stands downstage centre in front.
"""

from __future__ import annotations

from dataclasses import replace

from pointe.choreography.model import Dancer, Stage

NAMES = ("Ana", "Bea", "Cleo", "Dora", "Eva", "Fay", "Gia", "Hana", "Iris", "Jade", "Kira",
         "Lena")
SPACING_M = 1.6


def default_cast(dancers: int, level: str) -> tuple[Dancer, ...]:
    if not 1 <= dancers <= len(NAMES):
        raise ValueError(f"dancers must be 1 to {len(NAMES)} (not {dancers})")
    roles = ["soloist"] + ["corps"] * (dancers - 1) if dancers >= 3 else ["soloist"] * dancers
    return tuple(Dancer(NAMES[i], roles[i], level) for i in range(dancers))


def formation(cast: tuple[Dancer, ...], stage: Stage) -> tuple[Dancer, ...]:
    """The cast placed for the start: rows of up to four, the soloist downstage centre."""
    soloists = [d for d in cast if d.role in ("soloist", "principal")]
    if len(cast) >= 3 and len(soloists) == 1:
        lead, rest = soloists[0], [d for d in cast if d is not soloists[0]]
    else:
        lead, rest = None, list(cast)
    places: dict[str, tuple[float, float]] = {}
    spacing = min(SPACING_M, (stage.width_m - 1.2) / 4)
    rows = [rest[i:i + 4] for i in range(0, len(rest), 4)]
    z0 = 0.0 if lead is None else -0.9
    for r, row in enumerate(rows):
        n = len(row)
        z = z0 - r * spacing + (len(rows) - 1) * spacing / 2
        for i, dancer in enumerate(row):
            places[dancer.name] = (round((i - (n - 1) / 2) * spacing, 3), round(z, 3))
    if lead is not None:
        last_front = max((p[1] for p in places.values()), default=0.0)
        places[lead.name] = (0.0, round(min(last_front + spacing, stage.depth_m / 4), 3))
    return tuple(replace(d, start_m=places[d.name]) for d in cast)


def halves(names: list[str], places: dict[str, tuple[float, float]]
           ) -> tuple[list[str], list[str]]:
    """Stage-right and stage-left halves (the centre line goes to the right half)."""
    right = [n for n in names if places[n][0] < 0]
    left = [n for n in names if places[n][0] > 0]
    centre = [n for n in names if places[n][0] == 0]
    return right + centre[: len(centre) // 2 + len(centre) % 2], left + centre[len(centre) // 2
                                                                               + len(centre) % 2:]
