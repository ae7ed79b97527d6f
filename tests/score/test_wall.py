"""The studio-wall picture: PNG and HTML written, deterministic, self-contained, atomic."""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import matplotlib
import pytest

from pointe.errors import ExportError, UsageError
from pointe.music.model import MusicMap
from pointe.score import wall
from pointe.score.countsheet import clock

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def waltz_png(waltz: MusicMap, tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("png") / "waltz.png"
    wall.write_png(waltz, path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def long_html(long_waltz: MusicMap, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("html") / "long.html"
    wall.write_html(long_waltz, path)
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------- PNG


def test_png_is_written_at_the_asked_width(waltz_png: bytes) -> None:
    # One row (the whole 44 s waltz), drawn on a 16-inch sheet at 150 dpi.
    assert png_size(waltz_png) == (2400, 758)


def test_a_long_piece_wraps_onto_an_a4_landscape_sheet(long_waltz: MusicMap, tmp_path) -> None:
    wall.write_png(long_waltz, tmp_path / "long.png")
    width, height = png_size((tmp_path / "long.png").read_bytes())
    assert width == 2400
    assert height == pytest.approx(2400 * 210 / 297, abs=2)  # three rows of eight phrases


@pytest.mark.parametrize(("width_px", "dpi"), [(1200, 100), (2000, 150), (3508, 300), (999, 97)])
def test_png_size_is_exact_at_any_width_and_dpi(
    waltz: MusicMap, waltz_png: bytes, tmp_path, width_px, dpi
) -> None:
    wall.write_png(waltz, tmp_path / "w.png", width_px=width_px, dpi=dpi)
    width, height = png_size((tmp_path / "w.png").read_bytes())
    assert width == width_px
    # The same drawing, scaled: the proportions do not change with the width or the dpi.
    assert height == pytest.approx(png_size(waltz_png)[1] * width_px / 2400, abs=1.0)


def test_png_is_deterministic(waltz: MusicMap, waltz_png: bytes, tmp_path) -> None:
    wall.write_png(waltz, tmp_path / "again.png")
    assert (tmp_path / "again.png").read_bytes() == waltz_png
    assert b"Software" not in waltz_png and b"matplotlib" not in waltz_png.lower()


def test_png_ignores_the_users_matplotlib_style(waltz: MusicMap, waltz_png: bytes,
                                                tmp_path) -> None:
    changes = {"font.size": 20, "lines.linewidth": 5, "axes.facecolor": "black",
               "font.family": "serif", "svg.hashsalt": None}
    with matplotlib.rc_context(changes):
        wall.write_png(waltz, tmp_path / "styled.png")
        assert matplotlib.rcParams["font.size"] == 20  # and leaves it as it was
    assert (tmp_path / "styled.png").read_bytes() == waltz_png


def test_more_phrases_per_row_is_fewer_rows(long_waltz: MusicMap, tmp_path) -> None:
    heights = []
    for per_row in (4, 8, 12):
        wall.write_png(long_waltz, tmp_path / f"{per_row}.png", width_px=800, dpi=50,
                       phrases_per_row=per_row)
        heights.append(png_size((tmp_path / f"{per_row}.png").read_bytes())[1])
    assert heights[0] > heights[1] > heights[2]


def test_rows_hold_whole_phrases_and_the_intro_joins_the_first(long_waltz: MusicMap) -> None:
    rows = wall._rows(long_waltz, 8)
    assert [[p.number for p in row.phrases] for row in rows] == [
        list(range(0, 9)), list(range(9, 17)), list(range(17, 25))]
    assert rows[0].start_s == 0.0
    assert [row.end_s for row in rows[:-1]] == [row.start_s for row in rows[1:]]
    assert rows[-1].end_s == long_waltz.duration_s


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"width_px": 100}, r"width_px must be a whole number of pixels from 600 to 20000 "
                            r"\(not 100\)"),
        ({"width_px": 2400.0}, r"width_px .* \(not 2400\.0\)"),
        ({"dpi": 0}, r"dpi must be .* from 50 to 1200 \(not 0\)"),
        ({"phrases_per_row": 0}, r"phrases_per_row .* \(not 0\)"),
    ],
)
def test_bad_options_are_named(waltz: MusicMap, tmp_path, options, match) -> None:
    with pytest.raises(UsageError, match=match):
        wall.write_png(waltz, tmp_path / "bad.png", **options)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_named(waltz: MusicMap, tmp_path) -> None:
    target = tmp_path / "nowhere" / "wall.png"
    with pytest.raises(ExportError, match=r"the folder .*nowhere does not exist"):
        wall.write_png(waltz, target)
    assert not target.parent.exists()


@pytest.mark.parametrize("writer", ["png", "html"])
def test_a_failed_write_leaves_the_old_file_and_no_partial_one(
    waltz: MusicMap, tmp_path, monkeypatch, writer
) -> None:
    target = tmp_path / f"wall.{writer}"
    target.write_bytes(b"the choreographer's last good copy")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    write = wall.write_png if writer == "png" else wall.write_html
    with pytest.raises(ExportError, match=r"wall\.\w+: cannot write there \(No space left"):
        write(waltz, target)
    assert target.read_bytes() == b"the choreographer's last good copy"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_wrong_map_is_named(tmp_path) -> None:
    with pytest.raises(TypeError, match=r"write_png\(\) needs a MusicMap \(not str\)"):
        wall.write_png("waltz.json", tmp_path / "w.png")  # type: ignore[arg-type]


# ---------------------------------------------------------------------- HTML


def test_html_is_one_self_contained_page(long_html: str) -> None:
    assert long_html.startswith("<!DOCTYPE html>\n")
    assert long_html.endswith("</html>\n")
    assert long_html.count("<svg") == 1
    assert not re.search(r"https?:", long_html)
    assert not re.search(r"<(script|link|img|iframe|object)\b", long_html)
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", long_html)  # only #ids inside the SVG
    assert "@import" not in long_html and not re.search(r"url\((?!#)", long_html)
    assert "<?xml" not in long_html and "<!DOCTYPE svg" not in long_html


def test_html_reads_on_a_phone_and_prints_on_a4(long_html: str) -> None:
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in long_html
    assert "@page { size: A4 landscape;" in long_html
    assert "@media print" in long_html
    assert re.search(r'<svg width="[\d.]+pt" height="[\d.]+pt" viewBox="0 0 [\d. ]+"',
                     long_html)


def test_html_is_deterministic(long_waltz: MusicMap, long_html: str, tmp_path) -> None:
    wall.write_html(long_waltz, tmp_path / "again.html")
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == long_html


def test_html_table_has_every_phrase_and_count_with_its_time(
    long_waltz: MusicMap, long_html: str
) -> None:
    table = long_html[long_html.index("<h2>Phrases</h2>"):long_html.index("<h2>Sections</h2>")]
    rows = re.findall(r"<tr( class=\"block\")?><td>([^<]+)</td>(.*?)</tr>", table)
    assert [name for _, name, _ in rows] == ["intro", *map(str, range(1, 25))]
    assert sum(bool(block) for block, _, _ in rows) == 6  # after the intro, at each new section
    for (_, name, cells), phrase in zip(rows, long_waltz.phrases, strict=True):
        times = re.findall(r"<td(?: class=\"one\")?>([^<]*)</td>", cells)[2:]
        expected = [""] * 8
        for count in long_waltz.phrase_counts(phrase.number):
            expected[count.number - 1] = clock(count.time_s)
        assert times == expected, name


def test_html_names_the_piece_and_its_sections(long_html: str) -> None:
    assert "<title>Waltz in A minor · music map</title>" in long_html
    facts = '<p class="facts">3/4 · ~180 bpm · one count per bar · phrases of 8 counts; '
    assert facts in long_html
    sections = long_html[long_html.index("<h2>Sections</h2>"):]
    for label, words in [("A", "moderate, soft, lilting"), ("A′", "moderate, soft, warm"),
                         ("C", "slow, soft, dark"), ("A″", "moderate, loud, broad")]:
        assert f"></span>{label}</td>" in sections
        assert f'<td class="words">{words}</td>' in sections


def test_html_escapes_what_the_user_named(waltz: MusicMap, tmp_path) -> None:
    import dataclasses

    odd = dataclasses.replace(
        waltz, source=dataclasses.replace(waltz.source, name="Pas de <deux> & \"trois\"")
    )
    wall.write_html(odd, tmp_path / "odd.html")
    text = (tmp_path / "odd.html").read_text(encoding="utf-8")
    assert "<h1>Pas de &lt;deux&gt; &amp; &quot;trois&quot;</h1>" in text
    assert "<deux>" not in text


def test_an_uncounted_map_still_draws(waltz: MusicMap, tmp_path: Path) -> None:
    import dataclasses

    bare = dataclasses.replace(waltz, counts=(), phrases=(), sections=(), bars=(), tempo=())
    wall.write_png(bare, tmp_path / "bare.png", width_px=800, dpi=50)
    wall.write_html(bare, tmp_path / "bare.html")
    assert png_size((tmp_path / "bare.png").read_bytes())[0] == 800
    assert "<svg" in (tmp_path / "bare.html").read_text(encoding="utf-8")
