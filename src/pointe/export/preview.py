"""The 3D preview: one self-contained HTML file that shows the dance in time with its music.

Conventions
-----------
- The file opens from disk by double-click, offline: the viewer (three.js and pointe's code,
  built from ``web/`` into ``preview_assets/``), the music (base64) and the motion are all inside
  it, and its Content-Security-Policy forbids every network request.
- Time is seconds of the music file: the ``MusicMap``'s times, each move's ``start_s``/``end_s``,
  and the motion, whose frame ``i`` is at ``i / fps`` seconds. The ``<audio>`` element is the
  viewer's clock.
- Motion travels as world positions (metres → little-endian int16 millimetres) of the 24 SMPL
  joints plus one point 10 cm in front of the face (so the head's turn shows), resampled to at
  most ``PREVIEW_FPS`` frames a second. World axes are pointe's: Y up, audience at +Z, +X stage
  left; the stage is ``stage_size_m`` = (width along X, depth along Z), centred on the origin.
- The data block is JSON with schema ``SCHEMA``; ``docs/preview.md`` describes the file's layout.
- Deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import base64
import difflib
import html
import json
import math
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

import pointe
from pointe.body.skeleton import JOINTS, posed, quat_rotate
from pointe.errors import ExportError
from pointe.fileio import write_text
from pointe.motion.performance import Motion, Performance
from pointe.music.model import MusicMap

SCHEMA = "pointe.preview/1"
PREVIEW_FPS = 30.0
UNIT_M = 0.001  # positions are stored in millimetres
FACE_OFFSET_M = (0.0, 0.02, 0.10)  # the face point, in the head's frame, for a 1.65 m dancer
POINTS = (*JOINTS, "face")
ENERGY_FLOOR_DB = 36.0  # the energy curve shows the top 36 dB of the music's loudness
MAX_ENERGY_VALUES = 4000

# One colour per dancer, in cast order: distinct hues that read on the dark stage.
PALETTE = ("#3a86ff", "#ff006e", "#ffbe0b", "#8338ec", "#06d6a0", "#fb5607", "#00b4d8",
           "#9ef01a")

# Audio a browser plays, by file suffix.
AUDIO_TYPES = {
    ".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg", ".mp3": "audio/mpeg",
    ".wav": "audio/wav", ".flac": "audio/flac", ".m4a": "audio/mp4", ".aac": "audio/aac",
    ".webm": "audio/webm",
}
SCORE_SUFFIXES = (".mid", ".midi", ".xml", ".musicxml", ".mxl")

_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data: blob:; media-src data: blob:")


def write_preview(
    path: str | Path,
    *,
    music_map: MusicMap,
    performance: Performance,
    moves: Sequence[Mapping[str, Any]],
    audio_path: str | Path,
    title: str = "",
    stage_size_m: tuple[float, float] = (10.0, 8.0),
) -> None:
    """Write the self-contained HTML preview to ``path`` (atomically)."""
    text = build_preview(music_map=music_map, performance=performance, moves=moves,
                         audio_path=audio_path, title=title, stage_size_m=stage_size_m)
    write_text(path, text)


def build_preview(
    *,
    music_map: MusicMap,
    performance: Performance,
    moves: Sequence[Mapping[str, Any]],
    audio_path: str | Path,
    title: str = "",
    stage_size_m: tuple[float, float] = (10.0, 8.0),
) -> str:
    """The preview's HTML: reads the music file and the bundled viewer, writes nothing."""
    width_m, depth_m = _stage(stage_size_m)
    if not performance.motions:
        raise ExportError("performance: it has no dancers (perform the choreography first)")
    names = [m.dancer for m in performance.motions]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ExportError(f"performance: dancer name {duplicates[0]!r} is used twice (give each "
                          "dancer of the cast a name of her own)")
    mime, audio = _audio(audio_path)
    fps = min(PREVIEW_FPS, float(performance.fps))
    dancers = [_dancer(m, i, fps) for i, m in enumerate(performance.motions)]
    motion_s = max((d["frames"] - 1) / fps for d in dancers)
    data = {
        "schema": SCHEMA,
        "title": title or music_map.source.name,
        "duration_s": _r(max(music_map.duration_s, motion_s)),
        "stage": {"width_m": width_m, "depth_m": depth_m},
        "music": _music(music_map),
        "motion": {"fps": fps, "unit_m": UNIT_M, "points": list(POINTS), "dancers": dancers},
        "moves": _moves(moves, names),
    }
    return _page(data, mime, audio)


# ---------------------------------------------------------------------------------- inputs


def _stage(stage_size_m: tuple[float, float]) -> tuple[float, float]:
    try:
        width_m, depth_m = (float(v) for v in stage_size_m)
    except (TypeError, ValueError) as err:
        raise ExportError(f"stage_size_m: expected (width, depth) in metres, such as (10.0, 8.0) "
                          f"(not {stage_size_m!r})") from err
    for name, value in (("width", width_m), ("depth", depth_m)):
        if not (math.isfinite(value) and 2.0 <= value <= 60.0):
            raise ExportError(f"stage_size_m: the stage {name} must be between 2 and 60 metres "
                              f"(not {value!r}; did you give centimetres?)")
    return width_m, depth_m


def _audio(audio_path: str | Path) -> tuple[str, bytes]:
    path = Path(audio_path)
    suffix = path.suffix.lower()
    if suffix in SCORE_SUFFIXES:
        raise ExportError(f"{path}: a score, not a recording; a browser cannot play it (give the "
                          f"audio file: {', '.join(sorted(AUDIO_TYPES))})")
    if suffix not in AUDIO_TYPES:
        raise ExportError(f"{path}: unknown audio type {suffix or '(no suffix)'!r} (give one of "
                          f"{', '.join(sorted(AUDIO_TYPES))})")
    if not path.is_file():
        raise ExportError(f"{path}: the music file does not exist (give the path of the audio "
                          "the MusicMap was counted from)")
    data = path.read_bytes()
    if not data:
        raise ExportError(f"{path}: the music file is empty (render or copy it again)")
    return AUDIO_TYPES[suffix], data


def _dancer(motion: Motion, index: int, fps: float) -> dict[str, Any]:
    points = _points(motion)
    if not np.all(np.isfinite(points)):
        raise ExportError(f"performance, dancer {motion.dancer!r}: the motion has NaN or "
                          "infinite positions (perform it again)")
    points = _resample(points, motion.fps, fps)
    mm = np.round(points / UNIT_M)
    limit = np.iinfo(np.int16).max
    if np.abs(mm).max() > limit:
        frame, point, _ = np.unravel_index(int(np.abs(mm).argmax()), mm.shape)
        raise ExportError(
            f"performance, dancer {motion.dancer!r}: {POINTS[point]} is "
            f"{np.abs(points[frame, point]).max():.1f} m from the centre of the stage at "
            f"{frame / fps:.2f} s; the preview holds ±{limit * UNIT_M:.1f} m (is the motion in "
            "centimetres?)")
    return {
        "name": motion.dancer,
        "color": PALETTE[index % len(PALETTE)],
        "height_m": _r(motion.height_m, 3),
        "frames": int(len(mm)),
        "positions": base64.b64encode(mm.astype("<i2").tobytes()).decode("ascii"),
    }


def _points(motion: Motion) -> np.ndarray:
    """World positions (frames, 25, 3): the 24 joints and the point in front of the face."""
    positions, world = posed(motion.body, motion.rotations, motion.root_m)
    head = JOINTS.index("head")
    offset = np.asarray(FACE_OFFSET_M) * motion.height_m / 1.65
    face = positions[:, head] + quat_rotate(world[:, head], offset)
    return np.concatenate([positions, face[:, None]], axis=1)


def _resample(points: np.ndarray, fps_in: float, fps_out: float) -> np.ndarray:
    """Linear resampling from ``fps_in`` to ``fps_out`` frames a second, from time 0."""
    frames = len(points)
    if frames == 1 or fps_in == fps_out:
        return points
    duration_s = (frames - 1) / fps_in
    n = int(math.floor(duration_s * fps_out + 1e-9)) + 1
    where = np.arange(n) * (fps_in / fps_out)
    lo = np.minimum(np.floor(where).astype(int), frames - 1)
    hi = np.minimum(lo + 1, frames - 1)
    a = (where - lo)[:, None, None]
    return points[lo] * (1.0 - a) + points[hi] * a


def _moves(moves: Sequence[Mapping[str, Any]], names: list[str]) -> list[dict[str, Any]]:
    if isinstance(moves, (str, bytes, Mapping)) or not isinstance(moves, Sequence):
        raise ExportError("moves: expected a list of {'dancer', 'start_s', 'end_s', 'label'} "
                          f"dicts (not {type(moves).__name__})")
    out = []
    for i, move in enumerate(moves):
        where = f"moves[{i}]"
        if not isinstance(move, Mapping):
            raise ExportError(f"{where}: expected a dict with 'dancer', 'start_s', 'end_s' and "
                              f"'label' (not {move!r})")
        missing = [k for k in ("dancer", "start_s", "end_s", "label") if k not in move]
        if missing:
            raise ExportError(f"{where}: missing {', '.join(repr(k) for k in missing)} (each move "
                              "names the dancer, its start and end in seconds and its step)")
        dancer = move["dancer"]
        if dancer not in names:
            near = difflib.get_close_matches(str(dancer), names, n=1, cutoff=0.5)
            hint = f"did you mean {near[0]!r}?" if near else f"the cast is {', '.join(names)}"
            raise ExportError(f"{where}: no dancer {dancer!r} in the performance ({hint})")
        try:
            start_s, end_s = float(move["start_s"]), float(move["end_s"])
        except (TypeError, ValueError) as err:
            raise ExportError(f"{where}: start_s and end_s must be seconds (not "
                              f"{move['start_s']!r}, {move['end_s']!r})") from err
        if not (math.isfinite(start_s) and math.isfinite(end_s) and 0 <= start_s < end_s):
            raise ExportError(f"{where}: the move must start at or after 0 s and end after it "
                              f"starts (not {start_s!r} to {end_s!r} s)")
        out.append({"dancer": names.index(dancer), "start_s": _r(start_s), "end_s": _r(end_s),
                     "label": str(move["label"])})
    out.sort(key=lambda m: (m["dancer"], m["start_s"], m["end_s"], m["label"]))
    return out


# ---------------------------------------------------------------------------------- music


def _music(music_map: MusicMap) -> dict[str, Any]:
    return {
        "meter": music_map.meter,
        "count_unit": music_map.count_unit,
        "counts": {
            "time_s": [_r(c.time_s) for c in music_map.counts],
            "phrase": [c.phrase for c in music_map.counts],
            "number": [c.number for c in music_map.counts],
        },
        "phrases": [{"number": p.number, "start_s": _r(p.start_s), "end_s": _r(p.end_s),
                     "length": p.length_counts, "section": p.section}
                    for p in music_map.phrases],
        "sections": [{"label": s.label, "start_s": _r(s.start_s), "end_s": _r(s.end_s),
                      "words": list(s.character.words)} for s in music_map.sections],
        "energy": _energy(music_map),
    }


def _energy(music_map: MusicMap) -> dict[str, Any]:
    """The loudness curve as 0..1 (from its 5th percentile, at most ``ENERGY_FLOOR_DB`` below
    its peak, to the peak), or else the counts' energy."""
    rate_hz = float(music_map.envelope.rate_hz)
    db = np.asarray(music_map.envelope.db, dtype=float)
    if len(db) > 1 and rate_hz > 0 and np.all(np.isfinite(db)):
        block = max(1, math.ceil(len(db) / MAX_ENERGY_VALUES))
        if block > 1:
            db = db[: len(db) // block * block].reshape(-1, block).max(axis=1)
            rate_hz /= block
        top = float(db.max())
        floor = max(float(np.percentile(db, 5)), top - ENERGY_FLOOR_DB)
        values = np.clip((db - floor) / max(top - floor, 1e-9), 0.0, 1.0)
    elif len(music_map.counts) > 1:
        rate_hz = 10.0
        times = np.array([c.time_s for c in music_map.counts])
        grid = np.arange(0.0, music_map.duration_s, 1.0 / rate_hz)
        values = np.interp(grid, times, [c.energy for c in music_map.counts])
    else:
        return {"rate_hz": 1.0, "values": []}
    return {"rate_hz": _r(rate_hz, 6), "values": [_r(v, 3) for v in values]}


# ---------------------------------------------------------------------------------- page


def _asset(name: str) -> str:
    try:
        return (resources.files("pointe.export") / "preview_assets" / name).read_text("utf-8")
    except FileNotFoundError as err:
        raise ExportError(f"the preview viewer ({name}) is missing from this pointe install "
                          "(reinstall pointe, or run `make web` in a source checkout)") from err


def _page(data: dict[str, Any], mime: str, audio: bytes) -> str:
    script = _asset("preview.js")
    style = _asset("preview.css")
    for text, what in ((script, "preview.js"), (style, "preview.css")):
        if "</script" in text.lower() or "</style" in text.lower():
            raise ExportError(f"the preview viewer ({what}) cannot be inlined: it contains a "
                              "closing tag (rebuild it with `make web`)")
    payload = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"),
                         allow_nan=False)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    title = html.escape(data["title"] or "pointe preview")
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        f"<meta name=\"generator\" content=\"pointe {pointe.__version__}\">\n",
        f"<title>{title}</title>\n<link rel=\"icon\" href=\"data:,\">\n",
        f"<style>\n{style}</style>\n</head>\n<body>\n",
        f"<script type=\"application/json\" id=\"pointe-data\">{payload}</script>\n",
        f"<script type=\"application/octet-stream\" id=\"pointe-audio\" data-mime=\"{mime}\">",
        base64.b64encode(audio).decode("ascii"),
        "</script>\n",
        f"<script>\n{script}</script>\n</body>\n</html>\n",
    ])


def _r(value: float, digits: int = 4) -> float:
    """Round for a stable, compact JSON form (0.1 ms resolution for times)."""
    return round(float(value), digits)
