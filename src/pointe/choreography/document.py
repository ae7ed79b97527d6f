"""The Choreography's YAML form: read with precise errors, written atomically and stably.

The moves of a line are written in the dancers' line form (``pointe.choreography.lines``); on
reading, a line may also be a list of move mappings (count, counts, step, side …).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pointe.choreography.lines import format_line, parse_line, parse_move
from pointe.choreography.model import (
    FACINGS,
    ROLES,
    SCHEMA,
    SIDES,
    STYLES,
    Choreography,
    Dancer,
    Line,
    Move,
    Music,
    Phrase,
    Section,
    Stage,
)
from pointe.choreography.timing import TICKS, format_span, parse_label
from pointe.errors import DocumentError
from pointe.vocabulary.library import Library
from pointe.vocabulary.step import LEVELS


def to_dict(choreography: Choreography) -> dict[str, Any]:
    c = choreography
    return {
        "schema": SCHEMA,
        "title": c.title,
        "style": c.style,
        **({"seed": c.seed} if c.seed is not None else {}),
        **({"brief": c.brief} if c.brief else {}),
        "music": {k: v for k, v in (("file", c.music.file), ("map", c.music.map),
                                    ("sha256", c.music.sha256)) if v},
        "stage": {"width_m": c.stage.width_m, "depth_m": c.stage.depth_m},
        "cast": [{"name": d.name, "role": d.role, "level": d.level, "height_m": d.height_m,
                  "start_m": [round(d.start_m[0], 3), round(d.start_m[1], 3)],
                  "facing": d.facing} for d in c.cast],
        "sections": [_section_dict(s) for s in c.sections],
    }


def _section_dict(section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {"label": section.label}
    if section.name:
        out["name"] = section.name
    if section.why:
        out["why"] = section.why
    out["phrases"] = [_phrase_dict(p) for p in section.phrases]
    return out


def _phrase_dict(phrase: Phrase) -> dict[str, Any]:
    out: dict[str, Any] = {"music": phrase.music, "counts": phrase.counts}
    if phrase.device:
        out["device"] = phrase.device
    if phrase.why:
        out["why"] = phrase.why
    if len(phrase.lines) == 1 and not phrase.lines[0].dancers:
        out["dance"] = format_line(phrase.lines[0].moves)
    else:
        out["dance"] = [{"dancers": list(line.dancers), "line": format_line(line.moves)}
                        for line in phrase.lines]
    return out


def dumps(choreography: Choreography) -> str:
    return yaml.safe_dump(to_dict(choreography), sort_keys=False, allow_unicode=True, width=100)


def save(choreography: Choreography, path: str | Path) -> None:
    from pointe.fileio import write_text

    write_text(path, dumps(choreography))


def load(path: str | Path, library: Library) -> Choreography:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DocumentError(path, "", "no such file", "check the path") from None
    except (OSError, UnicodeDecodeError) as err:
        raise DocumentError(path, "", f"cannot read it ({err.__class__.__name__})",
                            "give a UTF-8 YAML file written by pointe or by hand") from None
    return loads(text, library, path=path)


def loads(text: str, library: Library, *, path: str | Path | None = None) -> Choreography:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else ""
        raise DocumentError(path, place, "this is not valid YAML",
                            "check the indentation and quotes there") from None
    return from_dict(data, library, path=path)


class _Reader:
    def __init__(self, path: str | Path | None) -> None:
        self.path = path

    def fail(self, place: str, problem: str, fix: str) -> DocumentError:
        return DocumentError(self.path, place, problem, fix)


def from_dict(data: Any, library: Library, *, path: str | Path | None = None) -> Choreography:
    r = _Reader(path)
    if not isinstance(data, dict):
        raise r.fail("", "a ballet document must be a mapping with title, music, cast and "
                     "sections", "start from `pointe compose` or docs/choreography.md")
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise r.fail("schema", f"unknown schema {schema!r}", f"this pointe reads {SCHEMA}")
    known = {"schema", "title", "style", "seed", "brief", "music", "stage", "cast", "sections"}
    _no_unknown(r, "", data, known)
    style = str(data.get("style", "classical"))
    if style not in STYLES:
        raise r.fail("style", f"unknown style {style!r}", f"use one of {', '.join(STYLES)}")
    music = data.get("music") or {}
    if not isinstance(music, dict) or "file" not in music:
        raise r.fail("music", "the music needs a file", "write music: {file: piece.ogg}")
    stage_data = data.get("stage") or {}
    try:
        stage = Stage(float(stage_data.get("width_m", 10.0)), float(stage_data.get("depth_m", 8.0)))
    except (TypeError, ValueError, AttributeError):
        raise r.fail("stage", "width_m and depth_m must be numbers of metres",
                     "e.g. stage: {width_m: 10, depth_m: 8}") from None
    if not (2.0 <= stage.width_m <= 60.0 and 2.0 <= stage.depth_m <= 60.0):
        raise r.fail("stage", f"a {stage.width_m:g} × {stage.depth_m:g} m stage is out of range",
                     "give 2 to 60 m each way")
    cast = tuple(_dancer(r, i, d) for i, d in enumerate(_list(r, "cast", data.get("cast"))))
    if not cast:
        raise r.fail("cast", "the ballet needs at least one dancer", "add cast: [{name: Ana}]")
    names = [d.name for d in cast]
    for name in names:
        if names.count(name) > 1:
            raise r.fail("cast", f"two dancers are called {name!r}", "give each a unique name")
    sections = tuple(_section(r, i, s, library, names)
                     for i, s in enumerate(_list(r, "sections", data.get("sections"))))
    seed = data.get("seed")
    if seed is not None and not isinstance(seed, int):
        raise r.fail("seed", f"seed must be a whole number (not {seed!r})", "e.g. seed: 7")
    return Choreography(
        title=str(data.get("title", "")), music=Music(str(music["file"]), str(music.get("map", "")),
                                                      str(music.get("sha256", ""))),
        cast=cast, sections=sections, stage=stage, style=style, seed=seed,
        brief=str(data.get("brief", "")))


def _no_unknown(r: _Reader, place: str, data: dict, known: set[str]) -> None:
    import difflib

    for key in data:
        if key not in known:
            near = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"known: {', '.join(sorted(known))}"
            raise r.fail(place or str(key), f"unknown field {key!r}", hint)


def _list(r: _Reader, place: str, value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise r.fail(place, f"{place} must be a list", "write one '- ' item per entry")
    return value


def _dancer(r: _Reader, index: int, data: Any) -> Dancer:
    place = f"cast {index + 1}"
    if isinstance(data, str):
        data = {"name": data}
    if not isinstance(data, dict) or not data.get("name"):
        raise r.fail(place, "a dancer needs a name", "write - {name: Ana}")
    _no_unknown(r, place, data, {"name", "role", "level", "height_m", "start_m", "facing"})
    role, level = str(data.get("role", "soloist")), str(data.get("level", "advanced"))
    if role not in ROLES:
        raise r.fail(place, f"unknown role {role!r}", f"use one of {', '.join(ROLES)}")
    if level not in LEVELS:
        raise r.fail(place, f"unknown level {level!r}", f"use one of {', '.join(LEVELS)}")
    facing = str(data.get("facing", "front"))
    if facing not in FACINGS:
        raise r.fail(place, f"unknown facing {facing!r}", f"use one of {', '.join(FACINGS)}")
    try:
        height = float(data.get("height_m", 1.65))
        start = tuple(float(v) for v in data.get("start_m", (0.0, 0.0)))
    except (TypeError, ValueError):
        raise r.fail(place, "height_m and start_m must be numbers",
                     "e.g. height_m: 1.65, start_m: [0, 0]") from None
    if not 1.2 <= height <= 2.2:
        raise r.fail(place, f"height {height:g} m is not a dancer's", "give 1.2 to 2.2 m")
    if len(start) != 2:
        raise r.fail(place, "start_m must be [x, z] in metres", "e.g. start_m: [0, 1.5]")
    return Dancer(str(data["name"]), role, level, height, (start[0], start[1]), facing)


def _section(r: _Reader, index: int, data: Any, library: Library, names: list[str]) -> Section:
    place = f"section {index + 1}"
    if not isinstance(data, dict):
        raise r.fail(place, "a section must be a mapping with label and phrases",
                     "write - {label: A, phrases: [...]}")
    _no_unknown(r, place, data, {"label", "name", "why", "phrases"})
    phrases = tuple(_phrase(r, f"{place}, phrase {i + 1}", p, library, names)
                    for i, p in enumerate(_list(r, place, data.get("phrases"))))
    if not phrases:
        raise r.fail(place, "the section has no phrases", "add phrases or remove the section")
    return Section(str(data.get("label", chr(ord("A") + index % 26))), phrases,
                   str(data.get("name", "")), str(data.get("why", "")))


def _phrase(r: _Reader, place: str, data: Any, library: Library, names: list[str]) -> Phrase:
    if not isinstance(data, dict):
        raise r.fail(place, "a phrase must be a mapping with music, counts and dance",
                     "write - {music: 1, counts: 8, dance: '1-8 hold'}")
    _no_unknown(r, place, data, {"music", "counts", "device", "why", "dance"})
    try:
        music, counts = int(data.get("music", 0)), int(data.get("counts", 8))
    except (TypeError, ValueError):
        raise r.fail(place, "music and counts must be whole numbers", "e.g. counts: 8") from None
    if not 1 <= counts <= 64:
        raise r.fail(place, f"a phrase of {counts} counts", "give 1 to 64 counts (usually 8)")
    dance = data.get("dance")
    if isinstance(dance, str):
        lines = (Line((), _moves(r, place, dance, library)),)
    elif isinstance(dance, list) and dance and all(isinstance(d, dict) for d in dance) and \
            all("line" in d or "moves" in d for d in dance):
        lines = tuple(_line(r, f"{place}, line {i + 1}", d, library, names)
                      for i, d in enumerate(dance))
    elif isinstance(dance, list) and dance:
        lines = (Line((), tuple(_move_dict(r, f"{place}, move {i + 1}", m, library)
                                for i, m in enumerate(dance))),)
    else:
        raise r.fail(place, "the phrase has no dance", "write dance: '1-8 hold' or the moves")
    return Phrase(music, counts, lines, str(data.get("device", "")), str(data.get("why", "")))


def _line(r: _Reader, place: str, data: dict, library: Library, names: list[str]) -> Line:
    _no_unknown(r, place, data, {"dancers", "line", "moves"})
    dancers = data.get("dancers") or []
    if isinstance(dancers, str):
        dancers = [n.strip() for n in dancers.split(",")]
    for name in dancers:
        if name not in names:
            import difflib

            near = difflib.get_close_matches(str(name), names, n=1)
            raise r.fail(place, f"{name!r} is not in the cast",
                         f"did you mean {near[0]!r}?" if near else "add her to cast")
    if "line" in data:
        moves = _moves(r, place, str(data["line"]), library)
    else:
        moves = tuple(_move_dict(r, f"{place}, move {i + 1}", m, library)
                      for i, m in enumerate(_list(r, place, data["moves"])))
    return Line(tuple(str(n) for n in dancers), moves)


def _moves(r: _Reader, place: str, text: str, library: Library) -> tuple[Move, ...]:
    try:
        return parse_line(text, library)
    except ValueError as err:
        raise r.fail(place, str(err), "see docs/choreography.md for the line form") from None


def _move_dict(r: _Reader, place: str, data: Any, library: Library) -> Move:
    if isinstance(data, str):
        try:
            return parse_move(data, library)
        except ValueError as err:
            raise r.fail(place, str(err), "see docs/choreography.md for the line form") from None
    if not isinstance(data, dict) or "step" not in data:
        raise r.fail(place, "a move needs a count and a step", "write {count: '1', step: glissade}")
    fields = {"count", "counts", "step", "side", "direction", "facing", "travel", "times",
              "en_croix", "other_side", "locked", "note"}
    _no_unknown(r, place, data, fields)
    try:
        start, grain = parse_label(str(data.get("count", "1")))
        length = int(round(float(data.get("counts", grain / TICKS)) * TICKS))
        if length <= 0:
            raise ValueError("counts must be positive")
        format_span(start, length)
    except ValueError as err:
        raise r.fail(place, str(err), "e.g. count: '7&', counts: 1.5") from None
    side = str(data.get("side", ""))
    if side not in ("", *SIDES):
        raise r.fail(place, f"side {side!r}", "use right or left")
    try:
        return parse_move(f"{format_span(start, length)} {data['step']} " + " ".join(
            w for w in (
                {"right": "R", "left": "L", "": ""}[side],
                f"x{int(data['times'])}" if int(data.get("times", 1)) != 1 else "",
                "en croix" if data.get("en_croix") else "",
                "other side" if data.get("other_side") else "",
                str(data.get("direction", "")).replace("-", " "),
                f"facing {data['facing']}" if data.get("facing") else "",
                f"travel {data['travel']}" if data.get("travel") else "",
                "locked" if data.get("locked") else "",
                f"({data['note']})" if data.get("note") else "") if w), library)
    except (ValueError, TypeError) as err:
        raise r.fail(place, str(err), "see docs/choreography.md for move fields") from None
