"""The studio-wall picture of a piece of music: its shape, its phrases and its counts at a glance.

Conventions
-----------
- Time runs left to right in seconds from the start of the file, labelled ``m:ss``. A long piece
  wraps onto several rows ("systems", as in a score), each holding a fixed number of phrases and all
  drawn to the same scale, so a phrase is as wide on the last row as on the first.
- The filled grey curve is the loudness envelope (``MusicMap.envelope``, dB); the red line is the
  energy of each count (0..1, drawn at the middle of the count). Both share one vertical scale:
  quiet at the bottom, loud at the top; no numbers, because dancers read the shape.
- Strong lines with a numbered flag are phrase boundaries (the "1" of an eight); faint lines are
  bar lines. Every count is numbered along the bottom of its row, the "1"s bold; the intro shows
  the counts the dancers wait through ("5 6 7 8").
- Sections are coloured bands with their label (A, B, A′ …) and character words. A and A′ share a
  hue, so a return reads as a return.
- The drawing is designed for a 16-inch-wide sheet (2400 px at 150 dpi) printed on A4 landscape; at
  any other ``width_px``/``dpi`` every size scales with it, so it looks the same.
- Output is deterministic: matplotlib's default style whatever the user's matplotlibrc, no dates or
  versions in the files, a fixed SVG id salt. The same map gives the same bytes.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pointe.errors import UsageError
from pointe.fileio import write_bytes, write_text
from pointe.music.model import MusicMap, Phrase, Section
from pointe.score.countsheet import (
    bar_span,
    check_map,
    clock,
    clock_whole,
    count_columns,
    counting_words,
    phrase_rows,
    phrase_span,
    phrases_words,
    tempo_words,
    title_of,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["write_html", "write_png"]

# The design sheet: 16 inches wide. Every length below is in inches (or points) on that sheet.
_DESIGN_WIDTH_IN = 16.0
_MARGIN_X_IN = 0.45
_TITLE_IN = 1.05
_FOOTER_IN = 0.40
_AXIS_IN = 0.30  # time labels under a row
_GAP_IN = 0.30  # between rows
_COUNT_STRIP_IN = 0.30  # count numbers, bottom of a row
_RIBBON_IN = 0.40  # section ribbon, top of a row
_FLAG_DROP_IN = 0.17  # phrase flags hang this far under the ribbon
_ROW_MIN_IN, _ROW_MAX_IN = 1.9, 3.0
_PAGE_ASPECT = 297.0 / 210.0  # A4 landscape

_INK = "#1f2328"
_MUTED = "#57606a"
_ENVELOPE = "#b3bcc7"
_ENVELOPE_EDGE = "#56616d"
_ENERGY = "#c0392b"

# Pastel bands by section letter (Okabe–Ito hues, lightened), a shade deeper for each prime.
_BANDS = {
    "A": ("#dce9f7", "#c8dcf2", "#b5cfed"),
    "B": ("#fde5c8", "#fbd6ab", "#f9c78e"),
    "C": ("#d9efe3", "#c3e6d3", "#addcc2"),
    "D": ("#ece0f3", "#e0cdec", "#d3bbe5"),
    "E": ("#f7f0c6", "#f2e7a6", "#ede085"),
    "F": ("#f6dce4", "#f0c8d5", "#eab4c6"),
}
_OTHER_BANDS = ("#e6e6e6", "#dadada", "#cfcfcf")

_RC = {
    "font.family": "DejaVu Sans",
    "svg.hashsalt": "pointe",
    "svg.fonttype": "path",
    "path.simplify": True,
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
}


def write_png(
    music_map: MusicMap,
    path: str | Path,
    *,
    width_px: int = 2400,
    dpi: int = 150,
    phrases_per_row: int | None = None,
) -> None:
    """Draw the wall picture of ``music_map`` into a PNG at ``path``, ``width_px`` pixels wide.

    ``phrases_per_row``: how many phrases (after the intro) each row holds; by default 8 phrases of
    up to 8 counts (64 counts a row), else 4. A piece of up to eight eights fits on one row.
    """
    check_map(music_map, "write_png")
    _check_int("width_px", width_px, 600, 20000, "pixels")
    _check_int("dpi", dpi, 50, 1200, "dots per inch")
    per_row = _rows_option(music_map, phrases_per_row)
    import matplotlib
    import matplotlib.style

    with matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        figure = _draw(music_map, width_px=width_px, dpi=dpi, per_row=per_row, title=True)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    write_bytes(path, buffer.getvalue())


def write_html(
    music_map: MusicMap, path: str | Path, *, phrases_per_row: int | None = None
) -> None:
    """Write one self-contained HTML page: the wall picture (inline SVG) and the phrase table.

    Nothing outside the file is loaded. Readable on a phone (the picture scrolls sideways, the
    tables fit), printable on A4 landscape.
    """
    check_map(music_map, "write_html")
    per_row = _rows_option(music_map, phrases_per_row)
    write_text(path, _page(music_map, per_row))


# ---------------------------------------------------------------------- checks


def _check_int(name: str, value: object, low: int, high: int, unit: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise UsageError(f"{name} must be a whole number of {unit} from {low} to {high} "
                         f"(not {value!r})")


def _rows_option(music_map: MusicMap, phrases_per_row: int | None) -> int:
    if phrases_per_row is not None:
        _check_int("phrases_per_row", phrases_per_row, 1, 64, "phrases")
        return phrases_per_row
    return 8 if music_map.phrase_length <= 8 else 4


# ---------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Row:
    start_s: float
    end_s: float
    phrases: tuple[Phrase, ...]


def _rows(music_map: MusicMap, per_row: int) -> tuple[_Row, ...]:
    """Group the phrases into rows of ``per_row`` (the intro joins the first row)."""
    phrases = music_map.phrases
    if not phrases:
        return (_Row(0.0, max(music_map.duration_s, 1.0), ()),)
    groups: list[list[Phrase]] = [[]]
    dance_in_group = 0
    for phrase in phrases:
        if phrase.number != 0 and dance_in_group >= per_row:
            groups.append([])
            dance_in_group = 0
        groups[-1].append(phrase)
        dance_in_group += phrase.number != 0
    rows = []
    for index, group in enumerate(groups):
        start = 0.0 if index == 0 else group[0].start_s
        end = (
            groups[index + 1][0].start_s
            if index + 1 < len(groups)
            else max(music_map.duration_s, group[-1].end_s)
        )
        rows.append(_Row(start, end, tuple(group)))
    return tuple(rows)


def _pixels_to_inches(pixels: int, dpi: int) -> float:
    """``pixels / dpi``, nudged up so matplotlib's ``int(inches * dpi)`` gives back ``pixels``."""
    inches = pixels / dpi
    while int(inches * dpi) < pixels:
        inches = math.nextafter(inches, math.inf)
    return inches


@dataclass(frozen=True)
class _Sheet:
    scale: float  # sheet inches per design inch
    row_in: float  # height of one row's plot (design inches)
    height_px: int


def _sheet(n_rows: int, *, width_px: int, dpi: int, title: bool) -> _Sheet:
    width_in = width_px / dpi
    scale = width_in / _DESIGN_WIDTH_IN
    head = _TITLE_IN if title else 0.25
    page_in = _DESIGN_WIDTH_IN / _PAGE_ASPECT
    fill = (page_in - head - _FOOTER_IN) / n_rows - _AXIS_IN - _GAP_IN
    row_in = min(max(fill, _ROW_MIN_IN), _ROW_MAX_IN)
    total_in = head + n_rows * (row_in + _AXIS_IN + _GAP_IN) + _FOOTER_IN
    return _Sheet(scale, row_in, int(round(total_in * scale * dpi)))


def _band_colour(label: str) -> str:
    letter = label[:1].upper()
    primes = sum(label.count(mark) for mark in ("′", "'")) + 2 * label.count("″")
    shades = _BANDS.get(letter, _OTHER_BANDS)
    return shades[min(primes, len(shades) - 1)]


def _width_in(text: str, size_pt: float, bold: bool, *, italic: bool = False) -> float:
    """Width of ``text`` set at ``size_pt`` on the design sheet, in inches."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    font = FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal",
                          style="italic" if italic else "normal")
    return TextPath((0, 0), text, size=size_pt, prop=font).get_extents().width / 72.0


def _paler(colour: str, amount: float = 0.5) -> str:
    """``colour`` mixed with white: 0 keeps it, 1 is white."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def _time_step(span_s: float) -> float:
    for step in (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600):
        if span_s / step <= 14:
            return float(step)
    return 1200.0


def _mss(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


# ---------------------------------------------------------------------- drawing


def _draw(music_map: MusicMap, *, width_px: int, dpi: int, per_row: int, title: bool) -> Figure:
    import numpy as np
    from matplotlib.figure import Figure

    rows = _rows(music_map, per_row)
    sheet = _sheet(len(rows), width_px=width_px, dpi=dpi, title=title)
    s = sheet.scale
    width_in = _pixels_to_inches(width_px, dpi)
    height_in = _pixels_to_inches(sheet.height_px, dpi)
    figure = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")

    def frac_y(top_design_in: float) -> float:  # a design-inch distance from the top → figure y
        return 1.0 - top_design_in * s / height_in

    span = max(row.end_s - row.start_s for row in rows)
    env = music_map.envelope
    db = np.asarray(env.db, dtype=float)
    env_t = np.arange(len(db)) / env.rate_hz if env.rate_hz > 0 else np.zeros(0)
    finite = db[np.isfinite(db)]
    # The vertical scale: from a little under the quiet music (not the silence around it) to the
    # loudest moment, between 20 and 48 dB, so crescendos show.
    top_db = float(finite.max()) if finite.size else 0.0
    quiet_db = float(np.percentile(finite, 10)) - 6.0 if finite.size else top_db - 48.0
    floor_db = min(max(quiet_db, top_db - 48.0), top_db - 20.0)

    if title:
        _draw_title(figure, music_map, s, frac_y)
    head = _TITLE_IN if title else 0.25
    left = _MARGIN_X_IN / _DESIGN_WIDTH_IN
    ax_width = 1.0 - 2 * left
    row_step = sheet.row_in + _AXIS_IN + _GAP_IN
    for index, row in enumerate(rows):
        top = head + _GAP_IN + index * row_step
        bottom = frac_y(top + sheet.row_in)
        ax = figure.add_axes((left, bottom, ax_width, frac_y(top) - bottom))
        _draw_row(
            ax, music_map, row, span=span, scale=s, row_in=sheet.row_in,
            env_t=env_t, env_db=db, floor_db=floor_db, top_db=top_db,
        )
    # On the HTML page the title and the source are text around the picture.
    _draw_footer(figure, music_map, s, source=title)
    return figure


def _facts(music_map: MusicMap) -> str:
    """``3/4 · ~180 bpm · one count per bar · phrases of 8 counts; intro + 5 phrases · 0:44``."""
    return " · ".join([
        music_map.meter,
        tempo_words(music_map),
        counting_words(music_map),
        f"phrases of {phrases_words(music_map)}",
        clock_whole(music_map.duration_s),
    ])


def _draw_title(figure: Figure, music_map: MusicMap, s: float, frac_y) -> None:
    x = _MARGIN_X_IN / _DESIGN_WIDTH_IN
    room_in = _DESIGN_WIDTH_IN - 2 * _MARGIN_X_IN
    title = title_of(music_map)
    size = min(24.0, 24.0 * room_in / max(_width_in(title, 24, True), 1e-6))
    figure.text(x, frac_y(0.22), title, fontsize=size * s, fontweight="bold",
                color=_INK, va="top", ha="left")
    facts = _facts(music_map)
    size = min(13.0, 13.0 * room_in / max(_width_in(facts, 13, False), 1e-6))
    figure.text(x, frac_y(0.70), facts, fontsize=size * s, color=_MUTED, va="top", ha="left")


def _draw_footer(figure: Figure, music_map: MusicMap, s: float, *, source: bool) -> None:
    """The key to the curves and lines (bottom right); where the counts came from (bottom left)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    x = _MARGIN_X_IN / _DESIGN_WIDTH_IN
    y = 0.1 * s / figure.get_figheight()
    handles = [
        Patch(facecolor=_ENVELOPE, edgecolor=_ENVELOPE_EDGE, lw=0.8 * s, label="loudness"),
        Line2D([], [], color=_ENERGY, lw=2 * s, marker="o", ms=4 * s, label="energy per count"),
        Line2D([], [], color=_INK, lw=2.4 * s, label="phrase"),
        Line2D([], [], color=_INK, lw=0.8 * s, alpha=0.3, label="bar"),
    ]
    figure.legend(
        handles=handles, loc="lower right", ncols=4, frameon=False, fontsize=10 * s,
        bbox_to_anchor=(1.0 - x, y), borderaxespad=0.0, borderpad=0.0, handlelength=1.8,
        columnspacing=1.6,
    )
    if source:
        analysis = music_map.analysis
        how = "audio" if analysis.method == "audio" else "the score"
        text = (
            f"{music_map.source.path or title_of(music_map)} · counted from {how} "
            f"({analysis.tracker}, confidence {analysis.confidence:.2f})"
        )
        figure.text(x, y, text, fontsize=9 * s, color=_MUTED, ha="left", va="bottom")


def _draw_row(
    ax: Axes,
    music_map: MusicMap,
    row: _Row,
    *,
    span: float,
    scale: float,
    row_in: float,
    env_t,
    env_db,
    floor_db: float,
    top_db: float,
) -> None:
    import numpy as np
    from matplotlib.offsetbox import AnnotationBbox, HPacker, TextArea

    s = scale
    x0, x1 = row.start_s, row.start_s + span
    # Vertical layout of a row, in axes fractions, bottom to top: count numbers, curves, phrase
    # flags, the section ribbon. Phrase lines stop under the ribbon, so labels never cross them.
    count_top = _COUNT_STRIP_IN / row_in
    ribbon_lo = 1.0 - _RIBBON_IN / row_in
    flag_y = ribbon_lo - _FLAG_DROP_IN / row_in
    curve_lo, curve_hi = count_top + 0.04 / row_in, flag_y - 0.2 / row_in
    ax.set_xlim(x0, x1)
    ax.set_ylim(0.0, 1.0)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(_MUTED)
    ax.spines["bottom"].set_linewidth(0.8 * s)
    ax.set_facecolor("white")

    def visible(t: float) -> bool:
        return row.start_s - 1e-9 <= t < row.end_s - 1e-9

    # Section bands: a ribbon with the label and character words, a paler body beneath.
    seconds_per_in = span / (ax.get_position().width * ax.figure.get_figwidth() / s)
    for section in music_map.sections:
        lo, hi = max(section.start_s, row.start_s), min(section.end_s, row.end_s)
        if hi <= lo:
            continue
        colour = _band_colour(section.label)
        ax.axvspan(lo, hi, ymin=ribbon_lo, ymax=1.0, color=colour, lw=0, zorder=0)
        ax.axvspan(lo, hi, ymin=0.0, ymax=ribbon_lo, color=_paler(colour), lw=0, zorder=0)
        ax.vlines([lo], ribbon_lo, 1.0, color="white", lw=2.5 * s, zorder=0.5)
        parts = [TextArea(section.label, textprops={
            "fontsize": 19 * s, "fontweight": "bold", "color": _INK})]
        continued = section.start_s < row.start_s - 1e-9
        words = _section_words(section, continued)
        room_in = (hi - lo) / seconds_per_in - 0.16 - 0.2 - _width_in(section.label, 19, True)
        if words and _width_in(words, 11, False, italic=True) <= room_in:
            parts.append(TextArea(words, textprops={
                "fontsize": 11 * s, "style": "italic", "color": _INK}))
        box = HPacker(children=parts, align="baseline", pad=0, sep=8 * s)
        ax.add_artist(AnnotationBbox(
            box, (lo + 0.16 * seconds_per_in, (ribbon_lo + 1.0) / 2), xycoords="data",
            box_alignment=(0.0, 0.5), frameon=False, pad=0, zorder=6, annotation_clip=False,
        ))

    # Loudness envelope (filled) and energy per count (line).
    def to_y(values):
        return curve_lo + (np.clip(values, floor_db, top_db) - floor_db) / (
            top_db - floor_db) * (curve_hi - curve_lo)

    if len(env_t):
        rate = music_map.envelope.rate_hz
        i0 = max(int(math.floor(row.start_s * rate)) - 1, 0)
        last_row = row.end_s >= music_map.duration_s - 1e-9
        i1 = len(env_t) if last_row else min(int(math.floor(row.end_s * rate)) + 1, len(env_t))
        t = env_t[i0:i1]
        y = to_y(np.nan_to_num(env_db[i0:i1], nan=floor_db, neginf=floor_db, posinf=top_db))
        ax.fill_between(t, curve_lo, y, color=_ENVELOPE, lw=0, zorder=2)
        ax.plot(t, y, color=_ENVELOPE_EDGE, lw=0.8 * s, zorder=2.1)
    counts = music_map.counts
    mids, energies = [], []
    for index, count in enumerate(counts):
        if visible(count.time_s):
            end = counts[index + 1].time_s if index + 1 < len(counts) else _last_end(music_map)
            mids.append((count.time_s + end) / 2)
            energies.append(count.energy)
    if mids:
        ey = curve_lo + np.clip(np.array(energies), 0, 1) * (curve_hi - curve_lo)
        ax.plot(mids, ey, color=_ENERGY, lw=2.0 * s, marker="o", ms=3.6 * s, zorder=3,
                solid_joinstyle="round")

    # Bar lines (faint), phrase lines (strong) with flags, count numbers along the bottom.
    bars = [bar.start_s for bar in music_map.bars if visible(bar.start_s)]
    if bars:
        ax.vlines(bars, count_top, curve_hi, color=_INK, alpha=0.22, lw=0.8 * s, zorder=1)
    for phrase in row.phrases:
        ax.vlines([phrase.start_s], count_top, flag_y, color=_INK, lw=2.4 * s, zorder=4)
        ax.text(phrase.start_s, flag_y, "intro" if phrase.number == 0 else str(phrase.number),
                ha="center", va="center", fontsize=11 * s, fontweight="bold", color="white",
                zorder=7, clip_on=False,
                bbox={"boxstyle": "round,pad=0.28", "fc": _INK, "ec": "none"})
    if row.phrases and row.phrases[-1] is music_map.phrases[-1]:
        end = row.phrases[-1].end_s
        ax.vlines([end], count_top, flag_y, color=_INK, lw=2.4 * s, zorder=4)
        ax.vlines([end + 0.12 * seconds_per_in], count_top, flag_y, color=_INK, lw=5 * s,
                  zorder=4)
    for count in counts:
        if not visible(count.time_s):
            continue
        one = count.number == 1
        ax.text(count.time_s, count_top / 2, str(count.number), ha="center", va="center",
                fontsize=(13 if one else 10) * s, fontweight="bold" if one else "normal",
                color=_INK if one else _MUTED, zorder=5)

    # Time axis in m:ss.
    step = _time_step(span)
    first = math.ceil(x0 / step) * step
    ticks = [t for t in np.arange(first, x1 + 1e-9, step) if t <= row.end_s + 1e-9]
    ax.set_xticks(ticks, [_mss(t) for t in ticks])
    ax.tick_params(axis="x", labelsize=10 * s, colors=_MUTED, length=4 * s, width=0.8 * s,
                   pad=3 * s)


def _section_words(section: Section, continued: bool) -> str:
    if continued:
        return "(continued)"
    return " · ".join(section.character.words)


def _last_end(music_map: MusicMap) -> float:
    if music_map.phrases:
        return music_map.phrases[-1].end_s
    return music_map.duration_s


# ---------------------------------------------------------------------- HTML


_CSS = """
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 16px; max-width: 1600px; color: var(--ink); background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
h1 { font-size: 1.6em; margin: 0 0 2px; }
h2 { font-size: 1.15em; margin: 24px 0 8px; }
.facts { color: var(--muted); margin: 0 0 12px; }
.wall { margin: 0; overflow-x: auto; -webkit-overflow-scrolling: touch; }
.wall svg { display: block; width: 100%; height: auto; min-width: 960px; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: separate; border-spacing: 0; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 8px; text-align: right; white-space: nowrap; }
th { font-weight: 600; color: var(--muted); border-bottom: 2px solid var(--ink); }
td.l, th.l { text-align: left; }
tr.block td { border-top: 1px solid var(--ink); }
tbody tr:nth-child(even) td { background: #f6f8fa; }
td.one { font-weight: 700; }
.sw { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 6px;
  vertical-align: -0.1em; border: 1px solid rgba(0,0,0,.25); border-radius: 2px; }
.words { font-style: italic; color: var(--muted); white-space: normal; text-align: left; }
footer { margin-top: 24px; color: var(--muted); font-size: 0.85em; }
.phrases th:first-child, .phrases td:first-child { position: sticky; left: 0; background: #fff; }
.phrases tbody tr:nth-child(even) td:first-child { background: #f6f8fa; }
@media (max-width: 700px) {
  body { padding: 10px; font-size: 14px; }
  th, td { padding: 3px 5px; }
  .wall svg { min-width: 1250px; }
}
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  .wall, .scroll { overflow: visible; }
  .wall svg { min-width: 0; width: auto; height: auto; max-width: 100%; max-height: 165mm;
    margin: 0 auto; }
  figure, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".strip()


def _page(music_map: MusicMap, per_row: int) -> str:
    title = title_of(music_map)
    facts = _facts(music_map)
    analysis = music_map.analysis
    how = "audio" if analysis.method == "audio" else "the score"
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)} · music map</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="facts">{esc(facts)}</p>',
        "</header>",
        f'<figure class="wall">\n{_svg(music_map, per_row)}\n</figure>',
        '<section class="phrases">',
        "<h2>Phrases</h2>",
        f'<div class="scroll">\n{_phrase_table(music_map)}\n</div>',
        "</section>",
    ]
    if music_map.sections:
        parts += [
            '<section class="sections">',
            "<h2>Sections</h2>",
            f'<div class="scroll">\n{_section_table(music_map.sections)}\n</div>',
            "</section>",
        ]
    parts += [
        f"<footer>{esc(music_map.source.path or title)} · counted from {how} "
        f"({esc(analysis.tracker)}, confidence {analysis.confidence:.2f})</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _svg(music_map: MusicMap, per_row: int) -> str:
    import matplotlib
    import matplotlib.style

    with matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        figure = _draw(music_map, width_px=2400, dpi=150, per_row=per_row, title=False)
        buffer = io.StringIO()
        figure.savefig(
            buffer, format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and DOCTYPE: this SVG lives inside HTML
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    head_end = svg.index(">")
    head = svg[:head_end]
    head = re.sub(r'\sxmlns(?::\w+)?="[^"]*"', "", head)  # the HTML parser supplies these
    label = html.escape(f"Wall picture of {title_of(music_map)}: loudness, energy per count, "
                        "phrases and sections over time", quote=True)
    head += f' role="img" aria-label="{label}"'
    return (head + svg[head_end:]).strip()


def _phrase_table(music_map: MusicMap) -> str:
    columns = count_columns(music_map)
    colours = {s.label: _band_colour(s.label) for s in music_map.sections}
    esc = html.escape
    head = "".join(f"<th>{n}</th>" for n in range(1, columns + 1))
    out = [
        "<table>",
        "<thead><tr><th>phrase</th><th class=\"l\">section</th><th>bars</th><th>start</th>"
        f"{head}</tr></thead>",
        "<tbody>",
    ]
    for index, row in enumerate(phrase_rows(music_map)):
        phrase = row.phrase
        colour = colours.get(phrase.section, _band_colour(phrase.section))
        swatch = f'<span class="sw" style="background:{colour}"></span>'
        label = f"{swatch}{esc(phrase.section)}" if row.starts_block else swatch
        cells = "".join(
            ('<td class="one">' if n == 0 else "<td>") + (clock(t) if t is not None else "")
            + "</td>"
            for n, t in enumerate(row.times)
        )
        css = ' class="block"' if row.starts_block and index > 0 else ""
        out.append(
            f"<tr{css}><td>{esc(row.name)}</td><td class=\"l\">{label}</td>"
            f"<td>{esc(bar_span(phrase))}</td><td>{clock(phrase.start_s)}</td>{cells}</tr>"
        )
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _section_table(sections: Sequence[Section]) -> str:
    esc = html.escape
    out = [
        "<table>",
        "<thead><tr><th class=\"l\">section</th><th>from</th><th>to</th><th>phrases</th>"
        "<th class=\"l\">character</th></tr></thead>",
        "<tbody>",
    ]
    for section in sections:
        swatch = f'<span class="sw" style="background:{_band_colour(section.label)}"></span>'
        out.append(
            f"<tr><td class=\"l\">{swatch}{esc(section.label)}</td>"
            f"<td>{clock(section.start_s)}</td><td>{clock(section.end_s)}</td>"
            f"<td>{esc(phrase_span(section.first_phrase, section.last_phrase))}</td>"
            f"<td class=\"words\">{esc(', '.join(section.character.words)) or '-'}</td></tr>"
        )
    out += ["</tbody>", "</table>"]
    return "\n".join(out)
