"""One hierarchy of errors people can act on.

The library raises these; the CLI turns each into one line and a non-zero exit code. Every message
names the file (or parameter), the place and what to do about it.
"""

from __future__ import annotations

from pathlib import Path


class PointeError(Exception):
    """Base of every error pointe raises on purpose."""

    exit_code = 1


class MusicError(PointeError):
    """A music file that cannot be read or counted, or a correction that does not fit it."""

    exit_code = 2

    def __init__(self, path: str | Path | None, problem: str, fix: str) -> None:
        self.path = None if path is None else Path(path)
        self.problem = problem
        self.fix = fix
        where = f"{self.path}: " if self.path is not None else ""
        super().__init__(f"{where}{problem} ({fix})")


class DocumentError(PointeError):
    """A malformed pointe document (MusicMap JSON, ballet YAML …); carries file and place."""

    exit_code = 3

    def __init__(self, path: str | Path | None, place: str, problem: str, fix: str) -> None:
        self.path = None if path is None else Path(path)
        self.place = place
        self.problem = problem
        self.fix = fix
        parts = [str(self.path)] if self.path is not None else []
        if place:
            parts.append(place)
        prefix = ", ".join(parts)
        super().__init__(f"{prefix}: {problem} ({fix})" if prefix else f"{problem} ({fix})")


class UsageError(PointeError):
    """An option value that is not allowed; names the option, the value and what is allowed."""

    exit_code = 2


class ExportError(PointeError):
    """An output that cannot be written (unknown format, unwritable place)."""

    exit_code = 4


class VocabularyError(PointeError):
    """An unknown step, or a step library file that is malformed."""

    exit_code = 3
