"""The Brief: what the choreographer asks of a draft. Every field is optional.

Conventions
-----------
- ``themes`` are free words looked up in ``themes.yaml`` (theme → movement qualities); an
  unknown word is an error that names the nearest known themes.
- ``level`` is the company's: student, intermediate, advanced or principal (the vocabulary's
  beginner … professional are accepted too); no step above it is chosen.
- ``max_jumps_per_minute`` bounds the jumps any dancer does in any minute of the ballet.
- ``locked`` maps phrase ids ("2.1") to moves in the line form that must be kept as written.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from pointe.choreography.model import ROLES, STYLES, Dancer, Stage
from pointe.errors import DocumentError
from pointe.vocabulary.step import LEVELS

BRIEF_LEVELS = {"student": "intermediate", "intermediate": "intermediate",
                "advanced": "advanced", "principal": "professional",
                **{level: level for level in LEVELS}}
TRAVEL_WISHES = ("forward", "back", "around", "still", "downstage", "upstage")
ELEVATION_WISHES = ("up", "down", "level")
DEVICES = ("unison", "canon", "mirror", "solo")


@dataclass(frozen=True)
class Theme:
    name: str
    effort: dict[str, str]
    families: dict[str, float]
    elevation: str
    travel: str
    devices: tuple[str, ...]
    words: str


@dataclass(frozen=True)
class Brief:
    title: str = ""
    themes: tuple[str, ...] = ()
    style: str = "classical"
    level: str = "advanced"
    cast: tuple[Dancer, ...] = ()
    stage: Stage = field(default_factory=Stage)
    use: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    max_jumps_per_minute: float | None = None
    locked: tuple[tuple[str, str], ...] = ()  # (phrase id, line form)

    @property
    def step_level(self) -> str:
        return BRIEF_LEVELS[self.level]

    def theme_list(self) -> list[Theme]:
        table = themes()
        return [table[name] for name in self.themes]


@cache
def themes() -> dict[str, Theme]:
    text = (resources.files("pointe.compose") / "themes.yaml").read_text(encoding="utf-8")
    out = {}
    for name, data in yaml.safe_load(text).items():
        out[name] = Theme(name, dict(data.get("effort", {})),
                          {k: float(v) for k, v in (data.get("families") or {}).items()},
                          str(data.get("elevation", "level")), str(data.get("travel", "around")),
                          tuple(data.get("devices", ())), str(data.get("words", "")))
    return out


def load(path: str | Path) -> Brief:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DocumentError(path, "", "no such file", "check the path") from None
    except (OSError, UnicodeDecodeError) as err:
        raise DocumentError(path, "", f"cannot read it ({err.__class__.__name__})",
                            "give a UTF-8 YAML file") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise DocumentError(path, f"line {mark.line + 1}" if mark else "",
                            "this is not valid YAML", "check the indentation and quotes") from None
    return from_dict(data or {}, path=path)


def from_dict(data: Any, *, path: str | Path | None = None) -> Brief:
    def fail(place: str, problem: str, fix: str) -> DocumentError:
        return DocumentError(path, place, problem, fix)

    if not isinstance(data, dict):
        raise fail("", "a brief must be a mapping", "e.g. themes: [love, loss]")
    known = {"title", "themes", "style", "level", "cast", "stage", "use", "avoid",
             "max_jumps_per_minute", "locked"}
    for key in data:
        if key not in known:
            near = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"known: {', '.join(sorted(known))}"
            raise fail(str(key), f"unknown field {key!r}", hint)
    table = themes()
    names = data.get("themes") or []
    if isinstance(names, str):
        names = [w.strip() for w in names.replace(",", " ").split()]
    chosen = []
    for word in names:
        key = str(word).strip().lower().replace(" ", "-")
        if key not in table:
            near = difflib.get_close_matches(key, sorted(table), n=3, cutoff=0.4)
            raise fail("themes", f"unknown theme {word!r}",
                       f"did you mean {', '.join(near)}?" if near else
                       f"known themes: {', '.join(sorted(table))}")
        chosen.append(key)
    style = str(data.get("style", "classical"))
    if style not in STYLES:
        raise fail("style", f"unknown style {style!r}", f"use one of {', '.join(STYLES)}")
    level = str(data.get("level", "advanced"))
    if level not in BRIEF_LEVELS:
        raise fail("level", f"unknown level {level!r}",
                   "use student, intermediate, advanced or principal")
    cast = []
    for i, entry in enumerate(data.get("cast") or []):
        entry = {"name": entry} if isinstance(entry, str) else entry
        if not isinstance(entry, dict) or not entry.get("name"):
            raise fail(f"cast {i + 1}", "a dancer needs a name", "write - {name: Ana}")
        role = str(entry.get("role", "soloist" if i == 0 else "corps"))
        if role not in ROLES:
            raise fail(f"cast {i + 1}", f"unknown role {role!r}", f"use one of {', '.join(ROLES)}")
        dancer_level = str(entry.get("level", level))
        if dancer_level not in BRIEF_LEVELS:
            raise fail(f"cast {i + 1}", f"unknown level {dancer_level!r}",
                       "use student, intermediate, advanced or principal")
        try:
            height = float(entry.get("height_m", 1.65))
        except (TypeError, ValueError):
            raise fail(f"cast {i + 1}", "height_m must be a number", "e.g. 1.65") from None
        if not 1.2 <= height <= 2.2:
            raise fail(f"cast {i + 1}", f"height {height:g} m", "give 1.2 to 2.2 m")
        cast.append(Dancer(str(entry["name"]), role, BRIEF_LEVELS[dancer_level], height))
    if len({d.name for d in cast}) != len(cast):
        raise fail("cast", "two dancers share a name", "give each a unique name")
    if len(cast) > 12:
        raise fail("cast", f"{len(cast)} dancers", "pointe stages up to 12 dancers")
    stage_data = data.get("stage") or {}
    try:
        stage = Stage(float(stage_data.get("width_m", 10.0)), float(stage_data.get("depth_m", 8.0)))
    except (TypeError, ValueError, AttributeError):
        raise fail("stage", "width_m and depth_m must be numbers", "e.g. {width_m: 10}") from None
    if not (4.0 <= stage.width_m <= 60.0 and 3.0 <= stage.depth_m <= 60.0):
        raise fail("stage", f"{stage.width_m:g} × {stage.depth_m:g} m", "give 4 to 60 m wide, "
                   "3 to 60 m deep")
    jumps = data.get("max_jumps_per_minute")
    if jumps is not None:
        try:
            jumps = float(jumps)
        except (TypeError, ValueError):
            raise fail("max_jumps_per_minute", f"{jumps!r} is not a number", "e.g. 20") from None
        if jumps < 0:
            raise fail("max_jumps_per_minute", "it cannot be negative", "0 means no jumps")
    locked = []
    for phrase_id, line in (data.get("locked") or {}).items():
        locked.append((str(phrase_id), str(line)))
    return Brief(title=str(data.get("title", "")), themes=tuple(chosen), style=style, level=level,
                 cast=tuple(cast), stage=stage, use=tuple(str(s) for s in data.get("use") or ()),
                 avoid=tuple(str(s) for s in data.get("avoid") or ()),
                 max_jumps_per_minute=jumps, locked=tuple(locked))

