"""Cameras for the rehearsal video: where a point on stage lands in the picture.

Conventions
-----------
- World axes are pointe's: metres, Y up, origin at the centre of the stage floor, the audience at
  +Z looking at the stage (so +X, stage left, is on the audience's right).
- Pictures are ``size = (width, height)`` pixels, x to the right, y down, (0, 0) the top-left
  corner of the top-left pixel.
- Views: ``audience`` is a perspective from the front of house (a seat in the circle, a little
  above the stage, on the centre line), fitted so the whole stage and a dancer's height above it
  fill the picture; ``mirror`` is the audience view flipped left-right, as the dancers see
  themselves in a studio mirror; ``top`` is a floor plan seen from above, orthographic, upstage at
  the top and the audience at the bottom.
- ``project`` gives, for each point, its pixel position, its depth (larger is farther from the
  viewer, so drawing in decreasing depth paints far things first) and the pixels a metre spans
  there (for limb widths and text sizes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

View = Literal["audience", "top", "mirror"]
VIEWS: tuple[str, ...] = ("audience", "top", "mirror")

FIGURE_HEIGHT_M = 2.3  # the tallest a dancer reaches: on pointe with the arms en haut
EYE_HEIGHT_M = 10.0  # the seat: in the circle, above the stage floor …
EYE_DISTANCE_M = 18.0  # … this far in front of the downstage edge
LOOK_AT_HEIGHT_M = 0.8
WING_M = 0.8  # how much of the wings is kept in the picture on each side


@dataclass(frozen=True)
class Camera:
    view: str
    size: tuple[int, int]
    stage_size_m: tuple[float, float]
    eye: np.ndarray  # (3,) world position (perspective views)
    basis: np.ndarray  # (3, 3) rows: right, up, forward (perspective views)
    focal_px: float  # perspective: pixels per unit of x/depth; top: pixels per metre
    centre_px: tuple[float, float]  # where the optical axis (or the stage centre) lands

    @property
    def perspective(self) -> bool:
        return self.view != "top"

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pixels (..., 2), depth (...) and pixels per metre (...) of world ``points`` (..., 3)."""
        points = np.asarray(points, dtype=float)
        cx, cy = self.centre_px
        if not self.perspective:
            xy = np.stack([cx + self.focal_px * points[..., 0],
                           cy + self.focal_px * points[..., 2]], axis=-1)
            depth = -points[..., 1]
            return xy, depth, np.full(depth.shape, self.focal_px)
        local = (points - self.eye) @ self.basis.T
        depth = np.maximum(local[..., 2], 1e-3)
        scale = self.focal_px / depth
        x = cx + local[..., 0] * scale
        if self.view == "mirror":
            x = self.size[0] - x
        xy = np.stack([x, cy - local[..., 1] * scale], axis=-1)
        return xy, depth, scale


def camera(view: str, size: tuple[int, int], stage_size_m: tuple[float, float]) -> Camera:
    """The camera of ``view`` for pictures of ``size`` pixels and a stage of ``stage_size_m``."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)} (not {view!r})")
    width_px, height_px = int(size[0]), int(size[1])
    stage_w, stage_d = float(stage_size_m[0]), float(stage_size_m[1])
    # The part of the picture the stage may fill: room for the status line at the bottom.
    left, right = 0.02 * width_px, 0.98 * width_px
    top, bottom = 0.03 * height_px, 0.855 * height_px
    if view == "top":
        scale = min((right - left) / (stage_w + 2 * WING_M), (bottom - top) / (stage_d + 1.0))
        centre = ((left + right) / 2, (top + bottom) / 2)
        return Camera(view, (width_px, height_px), (stage_w, stage_d), np.zeros(3), np.eye(3),
                      float(scale), centre)
    eye = np.array([0.0, EYE_HEIGHT_M, stage_d / 2 + EYE_DISTANCE_M])
    target = np.array([0.0, LOOK_AT_HEIGHT_M, 0.0])
    forward = (target - eye) / np.linalg.norm(target - eye)
    right_axis = np.cross(forward, [0.0, 1.0, 0.0])
    right_axis /= np.linalg.norm(right_axis)
    up = np.cross(right_axis, forward)
    basis = np.stack([right_axis, up, forward])
    # Fit: the stage floor, its wings and a tall dancer anywhere on it fill the picture.
    xs = (-stage_w / 2 - WING_M, stage_w / 2 + WING_M)
    corners = np.array([(x, y, z) for x in xs for y in (0.0, FIGURE_HEIGHT_M)
                        for z in (-stage_d / 2, stage_d / 2)])
    local = (corners - eye) @ basis.T
    u, v = local[:, 0] / local[:, 2], local[:, 1] / local[:, 2]
    focal = min((right - left) / (u.max() - u.min()), (bottom - top) / (v.max() - v.min()))
    cx = (left + right) / 2 - focal * (u.max() + u.min()) / 2
    cy = bottom + focal * v.min()  # the audience's edge near the bottom, the backdrop above
    return Camera(view, (width_px, height_px), (stage_w, stage_d), eye, basis, float(focal),
                  (float(cx), float(cy)))
