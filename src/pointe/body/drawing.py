"""Contact sheets: poses drawn from the audience and from the side, to check them by eye.

Conventions: the front view is what the audience sees (looking along -Z, the dancer's left on the
right of the picture); the side view looks from the dancer's left wall (stage left), so +Z, the
audience, is to the right. The dancer's right side is drawn red, the left blue.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pointe.body.skeleton import INDEX, JOINTS, PARENTS

RIGHT = "#c0392b"
LEFT = "#2e6fb7"
CENTRE = "#222222"
HEAD_RADIUS_M = 0.095


def _colour(joint: int) -> str:
    name = JOINTS[joint]
    return RIGHT if name.startswith("right_") else LEFT if name.startswith("left_") else CENTRE


def draw(ax, joints: np.ndarray, *, view: str = "front") -> None:
    """Draw one pose (24 × 3 joint positions) on a matplotlib axis."""
    from matplotlib.patches import Circle

    horizontal = joints[:, 0] if view == "front" else joints[:, 2]
    vertical = joints[:, 1]
    for child, parent in enumerate(PARENTS):
        if parent < 0:
            continue
        ax.plot([horizontal[parent], horizontal[child]], [vertical[parent], vertical[child]],
                color=_colour(child), lw=3.2, solid_capstyle="round")
    head = INDEX["head"]
    ax.add_patch(Circle((horizontal[head], vertical[head] + 0.05), HEAD_RADIUS_M,
                        facecolor="white", edgecolor=CENTRE, lw=2.0, zorder=3))
    ax.axhline(0.0, color="#999999", lw=1.0)
    centre = float(joints[INDEX["pelvis"], 0 if view == "front" else 2])
    ax.set_xlim(centre - 1.0, centre + 1.0)
    ax.set_ylim(-0.05, 2.15)
    ax.set_aspect("equal")
    ax.axis("off")


def contact_sheet(poses: Sequence[tuple[str, np.ndarray]], path: str | Path, *,
                  columns: int = 6, dpi: int = 110) -> None:
    """Write a PNG of named poses, each drawn front and side, ``columns`` to a row."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from pointe.fileio import write_bytes

    rows = (len(poses) + columns - 1) // columns
    figure = Figure(figsize=(columns * 2.6, rows * 3.2), dpi=dpi)
    FigureCanvasAgg(figure)
    for k, (name, joints) in enumerate(poses):
        row, col = divmod(k, columns)
        for v, view in enumerate(("front", "side")):
            ax = figure.add_axes([(col + 0.5 * v) / columns, 1 - (row + 0.93) / rows,
                                  0.5 / columns, 0.85 / rows])
            draw(ax, joints, view=view)
        figure.text((col + 0.5) / columns, 1 - (row + 0.05) / rows, name, ha="center",
                    va="center", fontsize=10)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    write_bytes(path, buffer.getvalue())


def step_sheet(rows: Sequence[tuple[str, Sequence[tuple[str, np.ndarray]]]], path: str | Path, *,
               dpi: int = 70) -> None:
    """Write a PNG with one row per step: its title, then each key position front and side."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from pointe.fileio import write_bytes

    if not rows:
        raise ValueError("step_sheet needs at least one row")
    cell = 1.25  # inches per view
    title_w = 2.4
    columns = max(len(keys) for _, keys in rows)
    width = title_w + columns * 2 * cell
    height = len(rows) * (cell * 1.25)
    figure = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(figure)
    for r, (title, keys) in enumerate(rows):
        top = 1 - r / len(rows)
        row_h = 1 / len(rows)
        figure.text(0.1 / width, top - 0.5 * row_h, title, ha="left", va="center", fontsize=9)
        for k, (label, joints) in enumerate(keys):
            for v, view in enumerate(("front", "side")):
                left = (title_w + (2 * k + v) * cell) / width
                ax = figure.add_axes([left, top - 0.92 * row_h, cell / width, 0.78 * row_h])
                draw(ax, joints, view=view)
            figure.text((title_w + (2 * k + 1) * cell) / width, top - 0.1 * row_h, label,
                        ha="center", va="center", fontsize=7, color="#555555")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    write_bytes(path, buffer.getvalue())
