"""The Choreography: the user's document, sections → phrases → lines → moves.

Conventions
-----------
- Time is in counts, never seconds: a move starts at a count label of its phrase ("1", "7&",
  "a8") and lasts a number of counts; code keeps quarter-count ticks (``start_q``, ``length_q``,
  see ``pointe.choreography.timing``). The MusicMap turns counts into seconds.
- A phrase is danced in one or more *lines*: the moves of the dancers it names (``dancers``
  empty: everyone not named by another line of the phrase). Canon, mirror and solo against corps
  are lines.
- A move's ``step`` is kept as written (id, French name or alias), so the document stays the
  user's words; ``repeat`` and ``hold`` are directives, not steps.
- ``side`` "right" means led by the right leg; ``""`` leaves the step's own (right). ``direction``
  is a body direction of the grammar (croise, efface, ecarte-devant …; ``""`` keeps the step's);
  ``facing`` the stage direction faced at the move's start (``""`` keeps on from where the dancer
  is), by name: front, back, stage-left, stage-right, downstage-left …
- Phrase ids are "section.phrase", both from 1: "3.2" is the second phrase of the third section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA = "pointe.choreography/1"
SIDES = ("right", "left")
FACINGS = {
    "front": 0.0, "downstage-left": 45.0, "stage-left": 90.0, "upstage-left": 135.0,
    "back": 180.0, "upstage-right": -135.0, "stage-right": -90.0, "downstage-right": -45.0,
}
DIRECTIVES = ("repeat", "hold")
STYLES = ("classical", "neoclassical", "contemporary", "blend")
ROLES = ("soloist", "principal", "corps", "demi-soloist")


@dataclass(frozen=True)
class Move:
    start_q: int  # quarter counts from the phrase's "1"
    length_q: int
    step: str  # as written, or a directive: "repeat", "hold"
    side: str = ""
    direction: str = ""
    facing: str = ""
    travel: str = ""
    times: int = 1  # "x2": the step done twice in the move's span
    en_croix: bool = False
    other_side: bool = False  # "repeat other side"
    locked: bool = False
    note: str = ""

    @property
    def end_q(self) -> int:
        return self.start_q + self.length_q


@dataclass(frozen=True)
class Line:
    dancers: tuple[str, ...]  # () = everyone the phrase's other lines do not name
    moves: tuple[Move, ...]


@dataclass(frozen=True)
class Phrase:
    music: int  # the MusicMap phrase it is danced on
    counts: int
    lines: tuple[Line, ...]
    device: str = ""  # how it was made: motif, repeat, other side, canon …
    why: str = ""  # the composer's reasons, for `pointe explain`

    @property
    def length_q(self) -> int:
        return self.counts * 4


@dataclass(frozen=True)
class Section:
    label: str  # A, B, A′ … as in the MusicMap
    phrases: tuple[Phrase, ...]
    name: str = ""
    why: str = ""


@dataclass(frozen=True)
class Dancer:
    name: str
    role: str = "soloist"
    level: str = "advanced"
    height_m: float = 1.65
    start_m: tuple[float, float] = (0.0, 0.0)  # place on the floor at the start (x, z)
    facing: str = "front"


@dataclass(frozen=True)
class Stage:
    width_m: float = 10.0
    depth_m: float = 8.0


@dataclass(frozen=True)
class Music:
    file: str  # the music, as the user gave it (relative to the document where possible)
    map: str = ""  # the MusicMap JSON beside it
    sha256: str = ""


@dataclass(frozen=True)
class Choreography:
    title: str
    music: Music
    cast: tuple[Dancer, ...]
    sections: tuple[Section, ...]
    stage: Stage = field(default_factory=Stage)
    style: str = "classical"
    seed: int | None = None
    brief: str = ""  # the brief file it was composed from, if any

    def phrase(self, phrase_id: str) -> Phrase:
        section, number = parse_phrase_id(phrase_id, self)
        return self.sections[section].phrases[number]

    def phrase_ids(self) -> list[str]:
        return [f"{s + 1}.{p + 1}" for s, section in enumerate(self.sections)
                for p in range(len(section.phrases))]

    def dancer(self, name: str) -> Dancer:
        for dancer in self.cast:
            if dancer.name == name:
                return dancer
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.cast)


def parse_phrase_id(text: str, choreography: Choreography) -> tuple[int, int]:
    """Zero-based (section, phrase) of "3.2"; ``ValueError`` with what exists."""
    try:
        section_text, _, phrase_text = str(text).partition(".")
        section, phrase = int(section_text) - 1, int(phrase_text) - 1
    except ValueError:
        raise ValueError(f"phrase {text!r} is not section.phrase, e.g. 2.1") from None
    if not 0 <= section < len(choreography.sections):
        raise ValueError(f"there is no section {section + 1} (the ballet has "
                         f"{len(choreography.sections)})")
    phrases = choreography.sections[section].phrases
    if not 0 <= phrase < len(phrases):
        raise ValueError(f"section {section + 1} has no phrase {phrase + 1} (it has "
                         f"{len(phrases)})")
    return section, phrase


def line_dancers(phrase: Phrase, line: Line, cast: tuple[str, ...]) -> tuple[str, ...]:
    """Who dances ``line``: its own names, or everyone the phrase's other lines leave."""
    if line.dancers:
        return line.dancers
    named = {name for other in phrase.lines for name in other.dancers}
    return tuple(name for name in cast if name not in named)
