"""The self-contained 3D preview: its file, its data, and the page in headless Chromium.

The browser tests open the written file from disk in Debian's Chromium (driven by Playwright),
with WebGL on SwiftShader, and check what a person would see and hear: no errors, no network,
the music as the clock, the counts of the MusicMap, each dancer where she is, the floor pattern.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import statistics
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import rgb_to_hsv
from playwright.sync_api import expect

from pointe.errors import ExportError
from pointe.export.preview import PALETTE, SCHEMA, build_preview, write_preview
from pointe.motion.performance import Performance
from pointe.motion.synthesis import TimedStep, perform_steps
from pointe.music.analyze import analyze
from pointe.vocabulary import library

DEMO = Path(__file__).resolve().parents[2] / "src" / "pointe" / "data" / "demo"
AUDIO = DEMO / "demo.ogg"
# A trio of travelling steps (each starts in the state the one before ended in): who, where
# she starts, and her steps with their side and length in counts.
CAST = (
    ("Odette", (-3.0, -2.2), [
        ("pas-de-bourree-couru-demi-pointe", "right", 4), ("glissade-devant", "left", 1),
        ("pas-de-chat", "left", 2), ("glissade-devant", "left", 1), ("pas-de-chat", "left", 2),
        ("bourree-suivi-sur-pointe", "left", 4), ("pique-turn-en-dehors", "right", 2),
        ("pique-turn-en-dehors", "right", 2), ("grand-assemble", "left", 2),
        ("sissonne-fermee", "right", 2), ("pas-de-bourree-couru-demi-pointe", "left", 4)]),
    ("Giselle", (0.2, -3.0), [
        ("pas-de-valse-en-avant", "right", 3), ("pas-de-valse-en-avant", "left", 3),
        ("chaines", "right", 2), ("chaines", "right", 2), ("pas-marche", "right", 2),
        ("pas-marche", "left", 2), ("triplet", "right", 3), ("triplet", "left", 3),
        ("pas-de-course", "right", 1), ("pas-de-course", "left", 1), ("chaines", "left", 2)]),
    ("Aurora", (3.2, -1.8), [
        ("bourree-suivi-sur-pointe", "right", 4), ("glissade-dessous", "right", 1),
        ("pas-de-chat", "right", 2), ("pas-de-bourree-couru-demi-pointe", "left", 4),
        ("pique-turn-en-dehors", "left", 2), ("pique-turn-en-dehors", "left", 2),
        ("glissade-derriere", "right", 1), ("sissonne-fermee", "left", 2),
        ("grand-assemble", "right", 2), ("bourree-suivi-sur-pointe", "right", 4)]),
)


# ------------------------------------------------------------------------------ the inputs


@pytest.fixture(scope="module")
def music_map():
    return analyze(DEMO / "demo.mid")


@pytest.fixture(scope="module")
def dance(music_map):
    """The trio on the demo's counts, at 30 fps; and who does which step when."""
    times = [c.time_s for c in music_map.counts]
    count_s = statistics.median(b - a for a, b in zip(times, times[1:], strict=False))
    steps = library.load()
    motions, moves = [], []
    for name, place, sequence in CAST:
        timed, t = [], 0.0
        for step_id, side, counts in sequence:
            step = steps.get(step_id)
            timed.append(TimedStep(step, t, counts * count_s, side))
            moves.append({"dancer": name, "start_s": t, "end_s": t + counts * count_s,
                          "label": f"{step.name} ({side})"})
            t += counts * count_s
        motions.append(perform_steps(timed, fps=30.0, dancer=name, start_m=place))
    return Performance(30.0, tuple(motions)), moves


@pytest.fixture(scope="module")
def preview_file(music_map, dance, tmp_path_factory):
    performance, moves = dance
    path = tmp_path_factory.mktemp("preview") / "trio.html"
    write_preview(path, music_map=music_map, performance=performance, moves=moves,
                  audio_path=AUDIO, title="Trio <test> & co")
    return path


def _data(text: str) -> dict:
    found = re.search(r'<script type="application/json" id="pointe-data">(.*?)</script>', text,
                      re.S)
    assert found
    return json.loads(found.group(1))


# ------------------------------------------------------------------------------ the file


def test_same_inputs_give_the_same_bytes(music_map, dance, preview_file):
    performance, moves = dance
    again = build_preview(music_map=music_map, performance=performance, moves=moves[::-1],
                          audio_path=AUDIO, title="Trio <test> & co")
    assert again.encode("utf-8") == preview_file.read_bytes()


def test_the_file_carries_everything_and_loads_nothing(preview_file):
    text = preview_file.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<title>Trio &lt;test&gt; &amp; co</title>" in text
    # Nothing outside the file is referenced by the page itself.
    assert not re.search(r"<(script|link|img|audio|source)[^>]*\s(src|href)=\"(?!data:)", text)
    assert "default-src 'none'" in text  # the browser itself forbids any request
    audio = re.search(r'id="pointe-audio" data-mime="audio/ogg">([A-Za-z0-9+/=]+)</script>', text)
    assert audio and base64.b64decode(audio.group(1)) == AUDIO.read_bytes()
    assert "three.js 0.187.0" in text


def test_motion_is_the_dancers_joints_in_millimetres(music_map, dance, preview_file):
    performance, moves = dance
    data = _data(preview_file.read_text("utf-8"))
    assert data["schema"] == SCHEMA
    assert data["stage"] == {"width_m": 10.0, "depth_m": 8.0}
    motion = data["motion"]
    assert motion["fps"] == 30.0 and motion["unit_m"] == 0.001 and len(motion["points"]) == 25
    for i, (dancer, original) in enumerate(zip(motion["dancers"], performance.motions,
                                               strict=True)):
        assert dancer["name"] == original.dancer and dancer["color"] == PALETTE[i]
        raw = np.frombuffer(base64.b64decode(dancer["positions"]), dtype="<i2")
        positions = raw.reshape(dancer["frames"], 25, 3) * 0.001
        assert dancer["frames"] == original.frames
        assert np.abs(positions[:, :24] - original.joints()).max() <= 0.0005 + 1e-9
        face = np.linalg.norm(positions[:, 24] - positions[:, 15], axis=1)
        assert np.allclose(face, np.hypot(0.02, 0.10), atol=0.002)
    counts = data["music"]["counts"]
    assert counts["number"] == [c.number for c in music_map.counts]
    assert counts["phrase"] == [c.phrase for c in music_map.counts]
    assert np.allclose(counts["time_s"], [c.time_s for c in music_map.counts], atol=5e-5)
    assert [p["section"] for p in data["music"]["phrases"]] == \
        [p.section for p in music_map.phrases]
    energy = data["music"]["energy"]["values"]
    assert len(energy) > 100 and min(energy) >= 0.0 and max(energy) == 1.0
    assert len(data["moves"]) == len(moves)
    assert data["moves"][0] == {"dancer": 0, "start_s": 0.0, "end_s": round(moves[0]["end_s"], 4),
                                "label": moves[0]["label"]}


def test_a_60_fps_motion_is_stored_at_30_fps_and_under_a_megabyte_a_dancer_minute(music_map):
    steps = [TimedStep(library.load().get("pas de bourrée dessus"), 0.0, 4.0, "right")]
    motion = perform_steps(steps, fps=60.0, dancer="Odile")
    text = build_preview(music_map=music_map, performance=Performance(60.0, (motion,)),
                         moves=[], audio_path=AUDIO)
    dancer = _data(text)["motion"]["dancers"][0]
    assert dancer["frames"] == 121  # 4 s at 30 fps, both ends
    positions = np.frombuffer(base64.b64decode(dancer["positions"]), "<i2").reshape(-1, 25, 3)
    assert np.abs(positions[:, :24] * 0.001 - motion.joints()[::2]).max() <= 0.0005 + 1e-9
    per_minute = len(dancer["positions"]) * 60.0 / motion.duration_s
    assert per_minute < 1_000_000


@pytest.mark.parametrize(("change", "message"), [
    ({"audio_path": DEMO / "missing.ogg"}, r"missing\.ogg: the music file does not exist"),
    ({"audio_path": DEMO / "demo.mid"}, r"demo\.mid: a score, not a recording"),
    ({"audio_path": DEMO / "README.md"}, r"README\.md: unknown audio type '\.md'"),
    ({"moves": [{"dancer": "Odete", "start_s": 0, "end_s": 1, "label": "x"}]},
     r"moves\[0\]: no dancer 'Odete' .*did you mean 'Odette'"),
    ({"moves": [{"dancer": "Odette", "start_s": 2, "end_s": 1, "label": "x"}]},
     r"moves\[0\]: the move must start at or after 0 s and end after it starts"),
    ({"moves": [{"dancer": "Odette", "start_s": 0, "label": "x"}]}, r"moves\[0\]: missing 'end_s'"),
    ({"stage_size_m": (1000.0, 800.0)}, r"stage width must be between 2 and 60 metres"),
    ({"stage_size_m": "big"}, r"stage_size_m: expected \(width, depth\)"),
    ({"performance": Performance(30.0, ())}, r"performance: it has no dancers"),
])
def test_bad_input_gets_a_clear_error(music_map, dance, change, message):
    performance, moves = dance
    kwargs = {"music_map": music_map, "performance": performance, "moves": moves,
              "audio_path": AUDIO, **change}
    with pytest.raises(ExportError, match=message):
        build_preview(**kwargs)


def test_empty_music_file_and_twice_the_same_name(music_map, dance, tmp_path):
    performance, _ = dance
    empty = tmp_path / "silence.ogg"
    empty.write_bytes(b"")
    with pytest.raises(ExportError, match=r"silence\.ogg: the music file is empty"):
        build_preview(music_map=music_map, performance=performance, moves=[], audio_path=empty)
    twins = Performance(30.0, (performance.motions[0], performance.motions[0]))
    with pytest.raises(ExportError, match="dancer name 'Odette' is used twice"):
        build_preview(music_map=music_map, performance=twins, moves=[], audio_path=AUDIO)


def test_a_failed_write_leaves_the_old_file(music_map, dance, tmp_path):
    performance, moves = dance
    path = tmp_path / "ballet.html"
    path.write_text("the old preview")
    with pytest.raises(ExportError, match="does not exist"):
        write_preview(path, music_map=music_map, performance=performance, moves=moves,
                      audio_path=tmp_path / "gone.ogg")
    assert path.read_text() == "the old preview"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ballet.html"]
    with pytest.raises(ExportError, match="the folder .* does not exist"):
        write_preview(tmp_path / "no" / "such.html", music_map=music_map,
                      performance=performance, moves=moves, audio_path=AUDIO)


# ------------------------------------------------------------------------------ the page


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("the preview tests need Chromium: apt-get install chromium")
    return found


@pytest.fixture(scope="module")
def page(preview_file):
    """The preview opened from disk, with every console error and request recorded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=_chromium(),
            args=["--autoplay-policy=no-user-gesture-required", "--enable-unsafe-swiftshader"])
        page = browser.new_page(viewport={"width": 820, "height": 540})
        page.errors = []
        page.requests = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto(preview_file.as_uri())
        page.wait_for_function("() => window.pointe && window.pointe.ready", timeout=20_000)
        yield page
        browser.close()


@pytest.fixture
def fresh(page):
    """The shared page, paused at 100 % in the audience view with no loop."""
    page.evaluate("""() => {
        const s = window.pointe.state();
        if (s.playing) document.getElementById('pointe-play').click();
        if (s.loop) document.getElementById('pointe-loop').click();
        document.querySelector('[data-rate="1"]').click();
        window.pointe.setCamera('audience');
    }""")
    return page


def _click(page, selector: str) -> None:
    """A real mouse click in the middle of the element (without waiting for the page to be
    still, which software WebGL makes slow while the dance plays)."""
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _state(page) -> dict:
    return page.evaluate("window.pointe.state()")


def _seek(page, t: float) -> None:
    page.evaluate("t => window.pointe.seek(t)", t)


def _shot(page) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB"))


def _colour_mask(image: np.ndarray, colour: str) -> np.ndarray:
    """Pixels of a dancer's colour (her hue, strongly saturated), however lit."""
    hsv = rgb_to_hsv(image / 255.0)
    target = rgb_to_hsv(np.array([int(colour[i:i + 2], 16) / 255.0 for i in (1, 3, 5)]))[0]
    distance = np.abs(hsv[..., 0] - target)
    distance = np.minimum(distance, 1.0 - distance)
    return (distance < 0.05) & (hsv[..., 1] > 0.5) & (hsv[..., 2] > 0.2)


def test_the_page_opens_from_disk_with_no_errors_and_no_network(page, preview_file):
    assert page.errors == []
    assert page.requests, "the page made no request at all (not even for itself)"
    outside = [u for u in page.requests if not u.startswith(("file:", "data:", "blob:"))]
    assert outside == []
    state = _state(page)
    assert state["dancers"] == ["Odette", "Giselle", "Aurora"]
    assert not state["silent"] and abs(state["duration"] - 49.17) < 0.1  # the music's length
    assert page.title() == "Trio <test> & co"


def _clock_rate(page) -> float:
    """Seconds of music per second of the page's own clock, over most of a second of play."""
    page.wait_for_function("() => window.pointe.state().playing")
    now = "() => [window.pointe.state().time, performance.now() / 1000]"
    a = page.evaluate(now)
    page.wait_for_timeout(700)
    b = page.evaluate(now)
    return (b[0] - a[0]) / (b[1] - a[1])


def test_play_runs_the_clock_and_speed_keeps_the_pitch(fresh):
    page = fresh
    _seek(page, 2.0)
    _click(page, "#pointe-play")
    assert 0.85 < _clock_rate(page) < 1.15
    assert _state(page)["time"] > 2.5
    page.keyboard.press(" ")
    page.wait_for_function("() => !window.pointe.state().playing")
    paused = _state(page)["time"]
    page.wait_for_timeout(300)
    assert _state(page)["time"] == paused
    _click(page, '[data-rate="0.5"]')
    rate = page.evaluate("() => { const a = document.querySelector('audio');"
                         " return [a.playbackRate, a.preservesPitch]; }")
    assert rate == [0.5, True] and _state(page)["rate"] == 0.5
    _click(page, "#pointe-play")
    assert 0.35 < _clock_rate(page) < 0.65
    _click(page, '[data-rate="0.75"]')
    assert 0.6 < _clock_rate(page) < 0.9
    _click(page, "#pointe-play")


def test_the_count_shown_is_the_music_maps_count(fresh, music_map, dance):
    page = fresh
    counts = music_map.counts
    _, moves = dance
    for i in (0, 5, 6, 11, 17, 40, 77, len(counts) - 2):
        t = (counts[i].time_s + counts[i + 1].time_s) / 2
        _seek(page, t)
        assert page.inner_text("#pointe-count") == str(counts[i].number), t
        assert page.inner_text("#pointe-phrase") == f"Phrase {counts[i].phrase}", t
        section = next(p.section for p in music_map.phrases if p.number == counts[i].phrase)
        assert page.inner_text("#pointe-section").startswith(f"Section {section}")
        for d, (name, _, _) in enumerate(CAST):
            doing = [m["label"] for m in moves
                     if m["dancer"] == name and m["start_s"] <= t < m["end_s"]]
            assert page.inner_text(f"#pointe-step-{d}") == (doing[0] if doing else "—")


def test_arrows_step_a_count_and_brackets_a_phrase(fresh, music_map):
    page = fresh
    counts, phrases = music_map.counts, music_map.phrases

    def lands_on(seconds):
        page.wait_for_function("s => Math.abs(window.pointe.state().time - s) < 0.002",
                               arg=seconds)

    _seek(page, (counts[20].time_s + counts[21].time_s) / 2)
    page.keyboard.press("ArrowRight")
    lands_on(counts[21].time_s)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    lands_on(counts[19].time_s)
    page.keyboard.press("]")
    following = next(i for i, p in enumerate(phrases) if p.start_s > counts[19].time_s)
    lands_on(phrases[following].start_s)
    page.keyboard.press("[")
    page.keyboard.press("[")
    lands_on(phrases[following - 2].start_s)
    # the clock moves at once; the HUD follows on the next animation frame
    expect(page.locator("#pointe-count")).to_have_text("1")
    expect(page.locator("#pointe-phrase")).to_have_text(f"Phrase {phrases[following - 2].number}")


def test_loop_phrase_plays_the_phrase_again(fresh, music_map):
    page = fresh
    phrase = music_map.phrases[2]
    _seek(page, phrase.start_s + 0.1)
    _click(page, "#pointe-loop")
    assert _state(page)["loop"] == pytest.approx([phrase.start_s, phrase.end_s], abs=1e-3)
    _seek(page, phrase.end_s - 0.3)
    _click(page, "#pointe-play")
    page.wait_for_timeout(900)
    t = _state(page)["time"]
    _click(page, "#pointe-play")
    assert phrase.start_s <= t < phrase.end_s - 0.3  # back to the start, not on past the end


def test_each_dancer_is_drawn_where_she_is(fresh):
    page = fresh
    _seek(page, 1.0)  # the three apart, across the stage
    boxes = page.evaluate("window.pointe.boxes()")
    image = _shot(page)
    for i, box in enumerate(boxes):
        x0, y0, x1, y1 = (int(round(box[k])) for k in ("x0", "y0", "x1", "y1"))
        assert 25 < y1 - y0 < 400 and x1 - x0 > 8  # a figure of a sensible size on screen
        region = image[y0:y1 + 1, x0:x1 + 1]
        own = _colour_mask(region, PALETTE[i]).sum()
        others = [_colour_mask(region, PALETTE[j]).sum() for j in range(3) if j != i]
        assert own > 60, (i, own)
        assert own > 3 * max(others), (i, own, others)


def test_the_mirror_view_swaps_left_and_right(fresh):
    page = fresh
    _seek(page, 1.0)
    audience = _shot(page)
    boxes = page.evaluate("window.pointe.boxes()")
    _click(page, '[data-camera="mirror"]')
    page.wait_for_function("() => window.pointe.state().camera === 'mirror'")
    mirror = _shot(page)
    canvas = page.evaluate("() => { const r = document.getElementById('pointe-canvas')"
                           ".getBoundingClientRect(); return [r.left, r.width]; }")
    # The band of rows the figures stand in (below the panels, above the controls).
    top = int(min(b["y0"] for b in boxes))
    bottom = int(max(b["y1"] for b in boxes)) + 1
    for colour in PALETTE[:3]:
        xa = np.nonzero(_colour_mask(audience[top:bottom], colour))[1]
        xm = np.nonzero(_colour_mask(mirror[top:bottom], colour))[1]
        assert len(xa) > 60 and len(xm) > 60, colour
        # Her figure is where the mirror puts it: the other side, as far from the middle.
        figure_a = np.median(xa) - canvas[0]
        figure_m = np.median(xm) - canvas[0]
        assert abs(figure_m - (canvas[1] - figure_a)) < 6, colour


def test_the_top_view_shows_each_dancers_floor_pattern(fresh, dance):
    page = fresh
    performance, _ = dance
    t = 9.0
    _seek(page, t)
    _click(page, '[data-camera="top"]')
    page.wait_for_function("() => window.pointe.state().camera === 'top'")
    boxes = page.evaluate("window.pointe.boxes()")
    image = _shot(page)
    for i, motion in enumerate(performance.motions):
        frames = np.arange(0, int(t * motion.fps) - 10, 5)
        path = [[float(x), 0.0, float(z)] for x, _, z in motion.root_m[frames]]
        screen = np.array(page.evaluate("p => window.pointe.projectPoints(p)", path))
        mask = _colour_mask(image, PALETTE[i])
        box = boxes[i]
        hits = total = 0
        for x, y in np.round(screen).astype(int):
            if box["x0"] - 4 <= x <= box["x1"] + 4 and box["y0"] - 4 <= y <= box["y1"] + 4:
                continue  # under her own figure
            total += 1
            hits += bool(mask[y - 2:y + 3, x - 2:x + 3].any())
        assert total >= 10 and hits >= 0.9 * total, (i, hits, total)
    # The audience view does not draw the trails: the same floor points are bare there.
    _click(page, '[data-camera="audience"]')
    page.wait_for_function("() => window.pointe.state().camera === 'audience'")
    assert _colour_mask(_shot(page), PALETTE[0]).sum() < _colour_mask(image, PALETTE[0]).sum()


def test_orbit_turns_the_camera_with_the_mouse(fresh):
    page = fresh
    _seek(page, 4.0)
    _click(page, '[data-camera="orbit"]')
    before = _shot(page)
    box = page.locator("#pointe-canvas").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 200, cy, steps=8)
    page.mouse.up()
    page.wait_for_timeout(100)
    after = _shot(page)
    assert _state(page)["camera"] == "orbit"
    assert np.abs(after.astype(int) - before.astype(int)).mean() > 5
