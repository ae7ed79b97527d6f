"""The step library: every YAML file under ``pointe/vocabulary/steps``, loaded and checked.

Lookups ignore case, accents, hyphens and spaces ("Grand jeté", "grand-jete" and "GRAND JETE" are
one step); an unknown name gets the nearest names as suggestions.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from pointe.errors import VocabularyError
from pointe.vocabulary.step import Step, from_dict


def normalise(name: str) -> str:
    """'Grand jeté' → 'grandjete': the form lookups compare."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


@dataclass(frozen=True)
class Library:
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        ids: set[str] = set()
        for step in self.steps:
            if step.id in ids:
                raise VocabularyError(f"{step.source}: step id {step.id!r} is defined twice")
            ids.add(step.id)
            for name in {step.id, *step.names}:
                key = normalise(name)
                if key in seen and seen[key] != step.id:
                    raise VocabularyError(
                        f"{step.source}: the name {name!r} of {step.id!r} is already used by "
                        f"{seen[key]!r} (give one of them another alias)")
                seen[key] = step.id
        object.__setattr__(self, "_index", seen)
        object.__setattr__(self, "_by_id", {step.id: step for step in self.steps})
        # Names already resolved, exactly as asked: documents repeat their step names.
        object.__setattr__(self, "_resolved", dict(self._by_id))

    def __len__(self) -> int:
        return len(self.steps)

    def lookup(self, name: str) -> Step | None:
        """The step called ``name`` (id, French name or alias), or None: no suggestions made."""
        found = self._index.get(normalise(name))  # type: ignore[attr-defined]
        return None if found is None else self._by_id[found]  # type: ignore[attr-defined]

    def get(self, name: str) -> Step:
        """The step called ``name`` (id, French name or alias); ``VocabularyError`` if none."""
        known = self._resolved.get(name)  # type: ignore[attr-defined]
        if known is not None:  # asked before: no normalising again
            return known
        key = normalise(name)
        found = self._index.get(key)  # type: ignore[attr-defined]
        if found is not None:
            step = self._by_id[found]  # type: ignore[attr-defined]
            self._resolved[name] = step  # type: ignore[attr-defined]
            return step
        names = sorted({n for s in self.steps for n in s.names})
        near = difflib.get_close_matches(name, names, n=3, cutoff=0.5) or difflib.get_close_matches(
            key, list(self._index), n=3, cutoff=0.5)  # type: ignore[attr-defined]
        hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else \
            " (`pointe steps` lists them)"
        raise VocabularyError(f"unknown step {name!r}{hint}")

    def search(self, text: str = "", *, family: str | None = None,
               level: str | None = None, category: str | None = None) -> tuple[Step, ...]:
        key = normalise(text)
        return tuple(
            s for s in self.steps
            if (not key or any(key in normalise(n) for n in (s.id, *s.names)))
            and (family is None or s.family == family)
            and (level is None or s.level == level)
            and (category is None or category in s.categories)
        )


def load_file(path: Path) -> tuple[Step, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise VocabularyError(f"{path.name}: not valid YAML ({err})") from err
    if not isinstance(data, list):
        raise VocabularyError(f"{path.name}: a step file is a YAML list of steps")
    steps = []
    for i, entry in enumerate(data, start=1):
        try:
            step = from_dict(entry, where=f"{path.name}, step {i}")
        except ValueError as err:
            raise VocabularyError(str(err)) from err
        steps.append(Step(**{**step.__dict__, "source": path.name}))
    return tuple(steps)


def load(folder: Path | None = None) -> Library:
    """The library in ``folder`` (default: the bundled steps), checked."""
    if folder is None:
        return _bundled()
    return Library(tuple(s for p in sorted(Path(folder).glob("*.yaml")) for s in load_file(p)))


@lru_cache(maxsize=1)
def _bundled() -> Library:
    folder = Path(str(resources.files("pointe.vocabulary") / "steps"))
    return Library(tuple(s for p in sorted(folder.glob("*.yaml")) for s in load_file(p)))
