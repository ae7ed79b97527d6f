"""The Choreography document: model, line form, reading and writing, validation."""

from pointe.choreography.check import Problem, check
from pointe.choreography.document import dumps, load, loads, save
from pointe.choreography.lines import format_line, parse_line
from pointe.choreography.model import (
    Choreography,
    Dancer,
    Line,
    Move,
    Music,
    Phrase,
    Section,
    Stage,
)

__all__ = [
    "Choreography", "Dancer", "Line", "Move", "Music", "Phrase", "Problem", "Section", "Stage",
    "check", "dumps", "format_line", "load", "loads", "parse_line", "save",
]
