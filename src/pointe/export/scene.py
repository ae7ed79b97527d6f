"""The rehearsal picture: the stage, each dancer as a mannequin, and the counts burnt in.

Conventions
-----------
- Drawn in software with Skia (skia-python, BSD-3-Clause): antialiased, no display, no GPU.
  Frames are RGBA ``uint8`` arrays (height, width, 4), opaque.
- Time is music time in seconds (``MusicMap`` seconds). Frame ``i`` of a dancer's ``Motion`` is
  at ``i / fps`` seconds of the music; before her first frame and after her last she holds them.
- The mannequin is a dancer of her own height: filled capsule limbs (thigh, calf, upper arm,
  forearm, hand), a torso, a head with a bun at the back (so where she faces shows), and satin
  feet drawn out to the tip of the shoe (on pointe the foot stands vertical). Her parts are drawn
  far to near (depth sorting by the camera's depth), dancers far to near. Her right limbs are a
  shade darker than her left.
- Dancer colours come from ``PALETTE`` in the order of ``Performance.motions``.
- The count shown is the dancer's count (``MusicMap.counts``) that began last; it flashes gold on
  its beat and fades to white over the first third of the count.
"""

from __future__ import annotations

import bisect
import importlib.util
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import skia

from pointe.body.skeleton import INDEX, REFERENCE_HEIGHT_M, forward_kinematics, skeleton
from pointe.export.camera import Camera, camera
from pointe.motion.perform import Cue
from pointe.motion.performance import Performance
from pointe.music.model import MusicMap

PALETTE: tuple[str, ...] = (
    "#e4574f", "#4f9be4", "#f2b134", "#5cc17a", "#b57be0", "#ee7fb4",
    "#45c4c4", "#f08a3c", "#a4c94a", "#8f98ff", "#d9a07a", "#e0e0e0",
)
SKIN = (0xF0, 0xD2, 0xBE)
SATIN = (0xF4, 0xC4, 0xC0)
HAIR = (0x4A, 0x33, 0x28)
GOLD = (0xFF, 0xC8, 0x4A)
INK = (0x10, 0x12, 0x17)

# Points drawn besides the 24 joints.
TOE_L, TOE_R, HEAD, BUN, SHADOW, LABEL, SHOULDER_L, SHOULDER_R, WAIST_L, WAIST_R = range(24, 34)
# The skirt, a bell: a ring at the waist and a wider one at the hem, each starting at her left.
SKIRT_WAIST = tuple(range(34, 42))
SKIRT_HEM = tuple(range(42, 58))
SKIRT = SKIRT_WAIST + SKIRT_HEM
N_POINTS = 58

# Limb radii in metres for a dancer of the reference height.
J = INDEX
_LEGS = {
    "left": ((J["left_hip"], J["left_knee"], 0.072), (J["left_knee"], J["left_ankle"], 0.05)),
    "right": ((J["right_hip"], J["right_knee"], 0.072),
              (J["right_knee"], J["right_ankle"], 0.05)),
}
_FEET = {"left": (J["left_ankle"], TOE_L, 0.030), "right": (J["right_ankle"], TOE_R, 0.030)}
_ARMS = {
    side: ((J[f"{side}_shoulder"], J[f"{side}_elbow"], 0.044),
           (J[f"{side}_elbow"], J[f"{side}_wrist"], 0.034),
           (J[f"{side}_wrist"], J[f"{side}_hand"], 0.026))
    for side in ("left", "right")
}
_TORSO_POLYGON = (SHOULDER_L, SHOULDER_R, WAIST_R, WAIST_L)
_TORSO_ROUNDING_M = 0.065
_TORSO_CAPSULES = ((J["spine1"], J["spine3"], 0.095), (J["spine3"], J["neck"], 0.075))
_NECK = (J["neck"], HEAD, 0.036)
HEAD_RADIUS_M = 0.095
BUN_RADIUS_M = 0.042
SHADOW_RADIUS_M = 0.32
SKIRT_WAIST_M = (0.07, 0.125)  # above the pelvis, radius
SKIRT_HEM_M = (-0.17, 0.27)  # below the pelvis (negative), radius

AREAS = (("USR", "USC", "USL"), ("SR", "C", "SL"), ("DSR", "DSC", "DSL"))


def cues(moves: Sequence[Mapping]) -> tuple[Cue, ...]:
    """``moves`` dicts (``dancer``, ``start_s``, ``end_s``, ``label``) as cues, in time order."""
    out = [Cue(str(m["dancer"]), float(m["start_s"]), float(m["end_s"]), str(m["label"]))
           for m in moves]
    return tuple(sorted(out, key=lambda c: (c.start_s, c.end_s, c.dancer)))


@lru_cache(maxsize=1)
def _font_manager() -> skia.FontMgr:
    return skia.FontMgr.New_Custom_Empty()  # fonts from files only, not the system's fontconfig


@lru_cache(maxsize=2)
def _typeface(bold: bool) -> skia.Typeface:
    """DejaVu Sans as matplotlib ships it: the same glyphs on every machine."""
    spec = importlib.util.find_spec("matplotlib")
    folder = os.path.join(spec.submodule_search_locations[0], "mpl-data", "fonts", "ttf")
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    typeface = _font_manager().makeFromFile(os.path.join(folder, name))
    if typeface is None:
        raise RuntimeError(f"cannot read the font {name} in {folder}")
    return typeface


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.lstrip("#"), 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b, strict=True))  # type: ignore


def _argb(rgb: tuple[int, int, int], alpha: int = 255) -> int:
    return skia.ColorSetARGB(alpha, *rgb)


@dataclass(frozen=True)
class _Look:
    """A dancer's colours, as Skia ARGB ints."""

    torso: int
    left: int
    right: int
    skin: int
    satin: int
    hair: int
    outline: int
    satin_outline: int
    trail: int
    name: int
    skirt: int

    @classmethod
    def of(cls, colour: str) -> _Look:
        base = _rgb(colour)
        return cls(
            torso=_argb(base), left=_argb(_mix(base, (255, 255, 255), 0.22)),
            right=_argb(_mix(base, (0, 0, 0), 0.22)),
            skin=_argb(_mix(SKIN, base, 0.18)), satin=_argb(SATIN), hair=_argb(HAIR),
            outline=_argb(_mix(base, INK, 0.72)), satin_outline=_argb(_mix(SATIN, INK, 0.6)),
            trail=_argb(_mix(base, (0x3A, 0x3F, 0x4A), 0.25)),
            name=_argb(_mix(base, (255, 255, 255), 0.35)),
            skirt=_argb(_mix(base, (255, 255, 255), 0.45), 215),
        )


class Rehearsal:
    """Draws rehearsal frames of a performance on the counts of its music.

    ``frames(times_s)`` yields one RGBA frame per music time; the array it yields is reused for
    the next frame, so copy it to keep it.
    """

    def __init__(self, *, music_map: MusicMap, performance: Performance, moves: Sequence[Mapping],
                 view: str = "audience", size: tuple[int, int] = (1280, 720),
                 stage_size_m: tuple[float, float] = (10.0, 8.0), speed: float = 1.0) -> None:
        self.music_map = music_map
        self.performance = performance
        self.cues = cues(moves)
        self.view = view
        self.speed = float(speed)
        self.camera: Camera = camera(view, size, stage_size_m)
        width, height = self.camera.size
        self.unit = height / 720.0  # text and line sizes scale with the picture
        self.looks = [_Look.of(PALETTE[i % len(PALETTE)]) for i in range(len(performance.motions))]
        self.buffer = np.zeros((height, width, 4), np.uint8)
        self._surface = skia.Surface(self.buffer)
        self._canvas = self._surface.getCanvas()
        self.floor = np.zeros_like(self.buffer)
        floor_surface = skia.Surface(self.floor)
        self._floor_surface = floor_surface
        self._floor_canvas = floor_surface.getCanvas()
        _draw_stage(self._floor_canvas, self.camera, self.unit)
        self._stage = self.floor.copy()
        self._fonts = {
            "count": skia.Font(_typeface(True), 118 * self.unit),
            "phrase_counts": skia.Font(_typeface(True), 19 * self.unit),
            "title": skia.Font(_typeface(True), 26 * self.unit),
            "small": skia.Font(_typeface(False), 15 * self.unit),
            "name": skia.Font(_typeface(True), 14 * self.unit),
            "step": skia.Font(_typeface(False), 13 * self.unit),
        }
        for font in self._fonts.values():
            font.setEdging(skia.Font.Edging.kAntiAlias)
            font.setSubpixel(True)
        self._fill = skia.Paint(AntiAlias=True, Style=skia.Paint.kFill_Style)
        self._stroke = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style,
                                  StrokeCap=skia.Paint.kRound_Cap,
                                  StrokeJoin=skia.Paint.kRound_Join)
        self._count_times = np.array([c.time_s for c in music_map.counts])
        self._phrase_starts = np.array([p.start_s for p in music_map.phrases])
        self._section_starts = np.array([s.start_s for s in music_map.sections])
        self._cues_by_dancer: dict[str, list[Cue]] = {}
        for cue in self.cues:
            self._cues_by_dancer.setdefault(cue.dancer, []).append(cue)
        self._cue_starts = {d: [c.start_s for c in cs] for d, cs in self._cues_by_dancer.items()}
        self._cue_reach = {d: list(np.maximum.accumulate([c.end_s for c in cs]))
                           for d, cs in self._cues_by_dancer.items()}
        self._bodies = [skeleton(m.height_m) for m in performance.motions]
        self._trail_last: list[tuple[float, float]] | None = None

    # ------------------------------------------------------------------ geometry

    def points(self, times_s: np.ndarray) -> np.ndarray:
        """World positions (times, dancers, N_POINTS, 3) of every drawn point at ``times_s``."""
        times_s = np.asarray(times_s, dtype=float)
        out = np.zeros((len(times_s), len(self.performance.motions), N_POINTS, 3))
        for d, (motion, body) in enumerate(zip(self.performance.motions, self._bodies,
                                               strict=True)):
            index = np.clip(times_s * motion.fps, 0.0, motion.frames - 1)
            first = int(np.floor(index.min())) if len(index) else 0
            last = min(int(np.ceil(index.max())) + 1, motion.frames) if len(index) else 1
            joints = forward_kinematics(body, motion.rotations[first:last],
                                        motion.root_m[first:last])
            i0 = np.floor(index).astype(int) - first
            i1 = np.minimum(i0 + 1, last - first - 1)
            w = (index - np.floor(index))[:, None, None]
            out[:, d, :24] = joints[i0] * (1.0 - w) + joints[i1] * w
            _derived_points(out[:, d], motion.height_m / REFERENCE_HEIGHT_M)
        return out

    # ------------------------------------------------------------------ frames

    def frames(self, times_s: Sequence[float], *, trail_from_s: float | None = None,
               chunk: int = 240) -> Iterator[np.ndarray]:
        """One RGBA frame per music time in ``times_s`` (seconds, increasing).

        In the top view each dancer's trail starts at ``trail_from_s`` (default: the first time).
        """
        times_s = np.asarray(times_s, dtype=float)
        if len(times_s) == 0:
            return
        self._reset_floor(times_s[0] if trail_from_s is None else trail_from_s, times_s[0])
        for start in range(0, len(times_s), chunk):
            part = times_s[start:start + chunk]
            points = self.points(part)
            xy, depth, scale = self.camera.project(points)
            for k, time_s in enumerate(part):
                self._frame(float(time_s), xy[k], depth[k], scale[k])
                yield self.buffer

    def frame(self, time_s: float, *, trail_from_s: float | None = None) -> np.ndarray:
        """One RGB frame (height, width, 3) at music time ``time_s``, as a new array."""
        for rgba in self.frames([time_s], trail_from_s=trail_from_s):
            return rgba[..., :3].copy()
        raise AssertionError("unreachable")

    def _reset_floor(self, trail_from_s: float, first_s: float) -> None:
        np.copyto(self.floor, self._stage)
        self._trail_last = None
        if self.camera.perspective or first_s <= trail_from_s:
            return
        # The path so far, up to the first frame, sampled at 30 Hz.
        times = np.linspace(trail_from_s, first_s, max(2, int((first_s - trail_from_s) * 30) + 1))
        xy = self.camera.project(self.points(times)[:, :, J["pelvis"]] * [1.0, 0.0, 1.0])[0]
        for d, look in enumerate(self.looks):
            path = skia.Path()
            path.addPoly([skia.Point(float(x), float(y)) for x, y in xy[:, d]], False)
            self._stroke.setColor(look.trail)
            self._stroke.setStrokeWidth(3.0 * self.unit)
            self._floor_canvas.drawPath(path, self._stroke)
        self._trail_last = [(float(x), float(y)) for x, y in xy[-1]]

    def _frame(self, time_s: float, xy: np.ndarray, depth: np.ndarray, scale: np.ndarray) -> None:
        if not self.camera.perspective:
            self._extend_trails(xy)
        np.copyto(self.buffer, self.floor)
        canvas = self._canvas
        pts = xy.tolist()
        scl = scale.tolist()
        for d in range(len(self.looks)):
            self._shadow(canvas, pts[d][SHADOW], scl[d][SHADOW])
        order = np.argsort(-depth[:, J["pelvis"]], kind="stable")
        for d in order.tolist():
            self._mannequin(canvas, d, pts[d], depth[d], scl[d])
        self._labels(canvas, time_s, order.tolist(), pts)
        self._overlay(canvas, time_s)

    def _extend_trails(self, xy: np.ndarray) -> None:
        here = [(float(x), float(y)) for x, y in xy[:, J["pelvis"]]]
        if self._trail_last is not None:
            self._stroke.setStrokeWidth(3.0 * self.unit)
            for d, look in enumerate(self.looks):
                (x0, y0), (x1, y1) = self._trail_last[d], here[d]
                self._stroke.setColor(look.trail)
                self._floor_canvas.drawLine(x0, y0, x1, y1, self._stroke)
        self._trail_last = here

    # ------------------------------------------------------------------ the mannequin

    def _shadow(self, canvas: skia.Canvas, centre: list[float], scale: float) -> None:
        radius = SHADOW_RADIUS_M * scale
        self._fill.setColor(skia.ColorSetARGB(70, 0, 0, 0))
        if self.camera.perspective:
            squash = 0.34
            canvas.drawOval(skia.Rect.MakeXYWH(centre[0] - radius, centre[1] - radius * squash,
                                               2 * radius, 2 * radius * squash), self._fill)
        else:
            canvas.drawCircle(centre[0], centre[1], radius, self._fill)

    def _mannequin(self, canvas: skia.Canvas, d: int, pts: list, depth: np.ndarray,
                   scl: list) -> None:
        """Legs under the skirt, the skirt, then the body and any lifted leg, far to near."""
        look = self.looks[d]
        size = self.performance.motions[d].height_m / REFERENCE_HEIGHT_M
        edge = 1.3 * self.unit
        hem_depth = float(depth[list(SKIRT_HEM)].mean())
        hem_y = float(np.mean([pts[i][1] for i in SKIRT_HEM]))
        lower, upper = [], ["torso", "head", "bun", "left_arm", "right_arm"]
        for leg in ("left_leg", "right_leg"):
            knee = J[leg.replace("leg", "knee")]
            lifted = (pts[knee][1] < hem_y if self.camera.perspective
                      else depth[knee] < hem_depth)
            (upper if lifted else lower).append(leg)

        def by_depth(parts: list[str]) -> list[str]:
            keyed = [(-float(depth[list(_GROUP_POINTS[p])].mean()), i, p)
                     for i, p in enumerate(parts)]
            return [p for _, _, p in sorted(keyed)]

        for part in by_depth(lower):
            self._limb(canvas, look, part, pts, scl, size, edge)
        self._skirt(canvas, look, pts, edge)
        for part in by_depth(upper):
            if part == "torso":
                self._torso(canvas, look, pts, scl, size, edge)
            elif part == "head":
                self._head(canvas, look, pts, scl, size, edge)
            elif part == "bun":
                bx, by = pts[BUN]
                radius = BUN_RADIUS_M * size * scl[BUN]
                self._fill.setColor(look.outline)
                canvas.drawCircle(bx, by, radius + edge, self._fill)
                self._fill.setColor(look.hair)
                canvas.drawCircle(bx, by, radius, self._fill)
            else:
                self._limb(canvas, look, part, pts, scl, size, edge)

    def _limb(self, canvas: skia.Canvas, look: _Look, part: str, pts: list, scl: list,
              size: float, edge: float) -> None:
        side, limb = part.split("_")
        colour = look.left if side == "left" else look.right
        segments = _LEGS[side] if limb == "leg" else _ARMS[side]
        stroke = self._stroke
        for outline, extra in ((True, 2 * edge), (False, 0.0)):
            stroke.setColor(look.outline if outline else colour)
            for a, b, r in segments:
                stroke.setStrokeWidth(2 * r * size * scl[a] + extra)
                canvas.drawLine(*pts[a], *pts[b], stroke)
            if limb == "leg":
                a, b, r = _FEET[side]
                stroke.setColor(look.satin_outline if outline else look.satin)
                stroke.setStrokeWidth(2 * r * size * scl[a] + extra)
                canvas.drawLine(*pts[a], *pts[b], stroke)

    def _torso(self, canvas: skia.Canvas, look: _Look, pts: list, scl: list, size: float,
               edge: float) -> None:
        path = skia.Path()
        path.addPoly([skia.Point(*pts[i]) for i in _TORSO_POLYGON], True)
        width = 2 * _TORSO_ROUNDING_M * size * scl[J["spine1"]]
        stroke, fill = self._stroke, self._fill
        for colour, extra in ((look.outline, 2 * edge), (look.torso, 0.0)):
            stroke.setColor(colour)
            fill.setColor(colour)
            stroke.setStrokeWidth(width + extra)
            canvas.drawPath(path, fill)
            canvas.drawPath(path, stroke)
            for a, b, r in _TORSO_CAPSULES:
                stroke.setStrokeWidth(2 * r * size * scl[a] + extra)
                canvas.drawLine(*pts[a], *pts[b], stroke)

    def _head(self, canvas: skia.Canvas, look: _Look, pts: list, scl: list, size: float,
              edge: float) -> None:
        a, b, r = _NECK
        hx, hy = pts[HEAD]
        radius = HEAD_RADIUS_M * size * scl[HEAD]
        for colour, extra in ((look.outline, 2 * edge), (look.skin, 0.0)):
            self._stroke.setColor(colour)
            self._stroke.setStrokeWidth(2 * r * size * scl[a] + extra)
            canvas.drawLine(*pts[a], *pts[b], self._stroke)
            self._fill.setColor(colour)
            canvas.drawCircle(hx, hy, radius + extra / 2, self._fill)

    def _skirt(self, canvas: skia.Canvas, look: _Look, pts: list, edge: float) -> None:
        """The skirt's outline: the convex hull of its waist and hem rings."""
        hull = _convex_hull([pts[i] for i in SKIRT])
        path = skia.Path()
        path.addPoly([skia.Point(x, y) for x, y in hull], True)
        self._fill.setColor(look.skirt)
        canvas.drawPath(path, self._fill)
        self._stroke.setColor(look.outline)
        self._stroke.setStrokeWidth(2 * edge)
        canvas.drawPath(path, self._stroke)

    def _labels(self, canvas: skia.Canvas, time_s: float, order: list[int], pts: list) -> None:
        """Each dancer's name and step above her head, moved up where they would overlap."""
        name_font, step_font = self._fonts["name"], self._fonts["step"]
        line = 16 * self.unit
        placed: list[tuple[float, float, float, float]] = []
        for d in sorted(order, key=lambda i: -pts[i][LABEL][1]):
            motion = self.performance.motions[d]
            x, y = pts[d][LABEL]
            if not self.camera.perspective:  # beside the figure, not on it
                x, y = pts[d][J["pelvis"]][0], pts[d][J["pelvis"]][1] - 30 * self.unit
            step = self._step_label(motion.dancer, time_s)
            half = max(name_font.measureText(motion.dancer), step_font.measureText(step)) / 2
            height = line * (2 if step else 1)
            for _ in range(len(placed) + 1):
                box = (x - half, y - height, x + half, y + 4 * self.unit)
                hit = next((p for p in placed if box[0] < p[2] and p[0] < box[2]
                            and box[1] < p[3] and p[1] < box[3]), None)
                if hit is None:
                    break
                y = hit[1] - 4 * self.unit
            placed.append(box)
            if step:
                _text(canvas, step, x, y, step_font, _argb((0xF4, 0xF4, 0xF4)), align=0.5,
                      halo=self.unit)
                y -= line
            _text(canvas, motion.dancer, x, y, name_font, self.looks[d].name, align=0.5,
                  halo=self.unit)

    def _step_label(self, dancer: str, time_s: float) -> str:
        """The label of the latest-starting cue of ``dancer`` that covers ``time_s``."""
        cues_of = self._cues_by_dancer.get(dancer)
        if not cues_of:
            return ""
        reach = self._cue_reach[dancer]
        i = bisect.bisect_right(self._cue_starts[dancer], time_s) - 1
        while i >= 0 and reach[i] > time_s:
            if time_s < cues_of[i].end_s:
                return cues_of[i].label
            i -= 1
        return ""

    # ------------------------------------------------------------------ counts and names

    def _overlay(self, canvas: skia.Canvas, time_s: float) -> None:
        u = self.unit
        width, height = self.camera.size
        counts = self.music_map.counts
        at = int(np.searchsorted(self._count_times, time_s, side="right")) - 1
        box = skia.Rect.MakeXYWH(14 * u, 14 * u, 178 * u, 178 * u)
        self._fill.setColor(skia.ColorSetARGB(170, *INK))
        canvas.drawRoundRect(box, 12 * u, 12 * u, self._fill)
        if at >= 0:
            count = counts[at]
            length = (counts[at + 1].time_s if at + 1 < len(counts)
                      else count.time_s + 60.0 / max(self.music_map.bpm, 1.0)) - count.time_s
            fade = min(1.0, max(0.0, (time_s - count.time_s) / max(length, 1e-6) / 0.33))
            colour = _argb(_mix(GOLD, (255, 255, 255), fade))
            _text(canvas, str(count.number), box.centerX(), 14 * u + 128 * u,
                  self._fonts["count"], colour, align=0.5)
            numbers = [c.number for c in counts if c.phrase == count.phrase]
            self._count_row(canvas, numbers, count.number, box)
        else:
            _text(canvas, "–", box.centerX(), 14 * u + 128 * u, self._fonts["count"],
                  _argb((120, 124, 134)), align=0.5)
        # Section and phrase, top right.
        phrase = self._phrase_at(time_s)
        section = self._section_at(time_s)
        lines = []
        if section is not None:
            words = ", ".join(section.character.words)
            lines.append((f"Section {section.label}", words))
        if phrase is not None:
            name = "Introduction" if phrase.number == 0 else f"Phrase {phrase.number}"
            lines.append((name, f"{phrase.length_counts} counts"))
        if lines:
            title, small = self._fonts["title"], self._fonts["small"]
            widest = max(max(title.measureText(a), small.measureText(b)) for a, b in lines)
            box_w = widest + 32 * u
            box = skia.Rect.MakeXYWH(width - 14 * u - box_w, 14 * u, box_w,
                                     (16 + 58 * len(lines)) * u)
            self._fill.setColor(skia.ColorSetARGB(170, *INK))
            canvas.drawRoundRect(box, 12 * u, 12 * u, self._fill)
            y = 14 * u + 38 * u
            for big, small_text in lines:
                _text(canvas, big, box.right() - 16 * u, y, title, _argb((255, 255, 255)),
                      align=1.0)
                _text(canvas, small_text, box.right() - 16 * u, y + 20 * u, small,
                      _argb((170, 176, 190)), align=1.0)
                y += 58 * u
        # Status line.
        small = self._fonts["small"]
        grey = _argb((170, 176, 190))
        view = {"audience": "audience view", "mirror": "mirror view", "top": "floor plan"}
        _text(canvas, view[self.view], 16 * u, height - 14 * u, small, grey)
        clock = f"{_clock(time_s)} / {_clock(self.music_map.duration_s)}"
        _text(canvas, clock, width / 2, height - 14 * u, small, grey, align=0.5)
        if self.speed != 1.0:
            _text(canvas, f"speed {self.speed:g}×", width - 16 * u, height - 14 * u, small,
                  _argb(GOLD), align=1.0)

    def _count_row(self, canvas: skia.Canvas, numbers: list[int], current: int,
                   box: skia.Rect) -> None:
        font = self._fonts["phrase_counts"]
        texts = [str(n) for n in numbers]
        gap = 7 * self.unit
        widths = [font.measureText(t) for t in texts]
        total = sum(widths) + gap * (len(texts) - 1)
        if total > box.width() - 12 * self.unit:
            return
        x = box.centerX() - total / 2
        y = box.bottom() - 16 * self.unit
        for text, w, n in zip(texts, widths, numbers, strict=True):
            colour = _argb(GOLD) if n == current else _argb((110, 116, 130))
            _text(canvas, text, x, y, font, colour)
            x += w + gap

    def _phrase_at(self, time_s: float):
        i = int(np.searchsorted(self._phrase_starts, time_s, side="right")) - 1
        return self.music_map.phrases[i] if i >= 0 else None

    def _section_at(self, time_s: float):
        i = int(np.searchsorted(self._section_starts, time_s, side="right")) - 1
        return self.music_map.sections[i] if i >= 0 else None


_GROUP_POINTS: dict[str, tuple[int, ...]] = {
    "torso": (J["spine1"], J["spine3"], SHOULDER_L, SHOULDER_R),
    "head": (HEAD,),
    "bun": (BUN,),
    "left_leg": (J["left_knee"], J["left_ankle"]),
    "right_leg": (J["right_knee"], J["right_ankle"]),
    "left_arm": (J["left_elbow"], J["left_wrist"]),
    "right_arm": (J["right_elbow"], J["right_wrist"]),
}


def _derived_points(points: np.ndarray, size: float) -> None:
    """Fill the points past the 24 joints in ``points`` (frames, N_POINTS, 3), in place."""
    joint = points[:, :24]
    up_world = np.array([0.0, 1.0, 0.0])

    def unit(v: np.ndarray) -> np.ndarray:
        n = np.linalg.norm(v, axis=-1, keepdims=True)
        return v / np.where(n > 1e-9, n, 1.0)

    pelvis, neck, head = joint[:, J["pelvis"]], joint[:, J["neck"]], joint[:, J["head"]]
    up = unit(neck - pelvis)
    across = unit(joint[:, J["left_shoulder"]] - joint[:, J["right_shoulder"]])
    forward = unit(np.cross(across, up))
    for toe, ankle, foot in ((TOE_L, "left_ankle", "left_foot"),
                             (TOE_R, "right_ankle", "right_foot")):
        a, f = joint[:, J[ankle]], joint[:, J[foot]]
        points[:, toe] = f + unit(f - a) * 0.065 * size
    head_up = unit(head - neck)
    centre = head + head_up * 0.035 * size + forward * 0.012 * size
    points[:, HEAD] = centre
    points[:, BUN] = centre - forward * 0.085 * size + head_up * 0.03 * size
    points[:, SHADOW] = pelvis * [1.0, 0.0, 1.0]
    points[:, LABEL] = centre + up_world * 0.24 * size
    for out, side in ((SHOULDER_L, "left"), (SHOULDER_R, "right")):
        points[:, out] = (joint[:, J[f"{side}_shoulder"]] + joint[:, J[f"{side}_collar"]]) / 2
    hips = joint[:, J["left_hip"]] - joint[:, J["right_hip"]]
    hips_up = unit(joint[:, J["spine1"]] - pelvis)
    across = unit(hips - hips_up * np.sum(hips * hips_up, axis=-1, keepdims=True))
    ahead = np.cross(across, hips_up)
    points[:, WAIST_L] = joint[:, J["spine1"]] + across * 0.075 * size
    points[:, WAIST_R] = joint[:, J["spine1"]] - across * 0.075 * size
    for ring, (height, radius) in ((SKIRT_WAIST, SKIRT_WAIST_M), (SKIRT_HEM, SKIRT_HEM_M)):
        centre = pelvis + hips_up * height * size
        for k, index in enumerate(ring):
            angle = 2 * np.pi * k / len(ring)
            points[:, index] = centre + radius * size * (np.cos(angle) * across
                                                         + np.sin(angle) * ahead)


def _convex_hull(points: list) -> list[tuple[float, float]]:
    """The convex hull of 2D ``points``, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted(set(map(tuple, points)))
    if len(pts) < 3:
        return pts

    def cross(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _text(canvas: skia.Canvas, text: str, x: float, y: float, font: skia.Font, colour: int, *,
          align: float = 0.0, halo: float = 0.0) -> None:
    """``text`` with its baseline at ``y``; ``align`` 0 left, 0.5 centre, 1 right of ``x``."""
    if align:
        x -= font.measureText(text) * align
    if halo:
        paint = skia.Paint(AntiAlias=True, Color=skia.ColorSetARGB(200, *INK),
                           Style=skia.Paint.kStroke_Style, StrokeWidth=3 * halo,
                           StrokeJoin=skia.Paint.kRound_Join)
        canvas.drawString(text, x, y, font, paint)
    canvas.drawString(text, x, y, font, skia.Paint(AntiAlias=True, Color=colour))


def _clock(seconds: float) -> str:
    seconds = max(0.0, seconds)
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


# ---------------------------------------------------------------------- the stage


def _draw_stage(canvas: skia.Canvas, cam: Camera, unit: float) -> None:
    """The empty stage: floor, the nine areas, wings, backdrop and the audience's edge."""
    width_m, depth_m = cam.stage_size_m
    half_w, half_d = width_m / 2, depth_m / 2
    canvas.clear(_argb((0x15, 0x17, 0x1C)))
    paint = skia.Paint(AntiAlias=True)

    def project(points) -> list[skia.Point]:
        xy = cam.project(np.asarray(points, float))[0]
        return [skia.Point(float(x), float(y)) for x, y in xy]

    def polygon(points, colour: int) -> None:
        path = skia.Path()
        path.addPoly(project(points), True)
        paint.setStyle(skia.Paint.kFill_Style)
        paint.setColor(colour)
        canvas.drawPath(path, paint)

    def line(a, b, colour: int, width: float) -> None:
        (p, q) = project([a, b])
        paint.setStyle(skia.Paint.kStroke_Style)
        paint.setStrokeWidth(width)
        paint.setColor(colour)
        canvas.drawLine(p, q, paint)

    wing = half_w + 3.0
    if cam.perspective:
        # Backdrop: a cyclorama across the back, lit from below.
        top = 7.0
        corners = project([(-wing, 0, -half_d), (wing, 0, -half_d), (wing, top, -half_d),
                           (-wing, top, -half_d)])
        shader = skia.GradientShader.MakeLinear(
            [corners[0], corners[3]], [_argb((0x2B, 0x35, 0x4A)), _argb((0x12, 0x15, 0x1E))])
        path = skia.Path()
        path.addPoly(corners, True)
        canvas.drawPath(path, skia.Paint(AntiAlias=True, Shader=shader))
    # Floor beyond the stage (the wings' floor), then the dance floor.
    polygon([(-wing, 0, -half_d), (wing, 0, -half_d), (wing, 0, half_d), (-wing, 0, half_d)],
            _argb((0x22, 0x25, 0x2C)))
    corners = project([(-half_w, 0, -half_d), (half_w, 0, -half_d), (half_w, 0, half_d),
                       (-half_w, 0, half_d)])
    shader = skia.GradientShader.MakeLinear(
        [corners[0], corners[3]], [_argb((0x34, 0x38, 0x42)), _argb((0x45, 0x4A, 0x56))])
    path = skia.Path()
    path.addPoly(corners, True)
    canvas.drawPath(path, skia.Paint(AntiAlias=True, Shader=shader))
    # The nine areas, faintly.
    faint = skia.ColorSetARGB(40, 255, 255, 255)
    for x in (-width_m / 6, width_m / 6):
        line((x, 0, -half_d), (x, 0, half_d), faint, 1.0 * unit)
    for z in (-depth_m / 6, depth_m / 6):
        line((-half_w, 0, z), (half_w, 0, z), faint, 1.0 * unit)
    label_font = skia.Font(_typeface(True), 12 * unit)
    for row, z in zip(AREAS, (-depth_m / 3, 0.0, depth_m / 3), strict=True):
        for name, x in zip(row, (-width_m / 3, 0.0, width_m / 3), strict=True):
            (p,) = project([(x, 0, z)])
            _text(canvas, name, p.x(), p.y() + 4 * unit, label_font,
                  skia.ColorSetARGB(60, 255, 255, 255), align=0.5)
    # Centre line and metre marks along the audience's edge, as on a real stage.
    mark = skia.ColorSetARGB(90, 255, 255, 255)
    line((0, 0, -half_d), (0, 0, -half_d + 0.25), mark, 1.2 * unit)
    tick_font = skia.Font(_typeface(False), 11 * unit)
    for metre in range(-int(half_w), int(half_w) + 1):
        line((metre, 0, half_d), (metre, 0, half_d - 0.2), mark, 1.2 * unit)
        (p,) = project([(metre, 0, half_d + 0.35)])
        _text(canvas, str(abs(metre)), p.x(), p.y() + 4 * unit, tick_font,
              skia.ColorSetARGB(110, 255, 255, 255), align=0.5)
    # Wings: three legs (masking flats) on each side.
    leg_colour = _argb((0x1D, 0x20, 0x27))
    leg_edge = _argb((0x3A, 0x3E, 0x48))
    for z in (-half_d + depth_m / 4, 0.0 + depth_m / 12, half_d - depth_m / 12):
        for sign in (-1, 1):
            inner, outer = sign * (half_w + 0.3), sign * (half_w + 1.6)
            if cam.perspective:
                quad = [(inner, 0, z), (outer, 0, z), (outer, 7.0, z), (inner, 7.0, z)]
                polygon(quad, leg_colour)
                line((inner, 0, z), (inner, 7.0, z), leg_edge, 1.5 * unit)
            else:
                polygon([(inner, 0, z - 0.08), (outer, 0, z - 0.08), (outer, 0, z + 0.08),
                         (inner, 0, z + 0.08)], leg_edge)
    # The audience's edge: footlights.
    line((-half_w - 0.3, 0, half_d), (half_w + 0.3, 0, half_d), _argb((0xE8, 0xB8, 0x6A)),
         2.2 * unit)
    side_font = skia.Font(_typeface(True), 13 * unit)
    (p,) = project([(0, 0, half_d + 0.9)])
    front = "FRONT · MIRROR" if cam.view == "mirror" else "AUDIENCE"
    _text(canvas, front, p.x(), p.y() + 4 * unit, side_font, _argb((0xE8, 0xB8, 0x6A)),
          align=0.5)
    for sign, name in ((-1, "STAGE RIGHT"), (1, "STAGE LEFT")):
        (p,) = project([(sign * (half_w - 0.9), 0, half_d + 0.9)])
        _text(canvas, name, p.x(), p.y() + 4 * unit, tick_font,
              skia.ColorSetARGB(120, 255, 255, 255), align=0.5)
