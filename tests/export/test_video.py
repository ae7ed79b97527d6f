"""The rehearsal video: a real MP4 that ffmpeg decodes, on the counts of the music, deterministic.

The dancers are made by hand where the test needs to know where they are: a figure in the rest
pose (arms out, en face) whose pelvis walks a straight line at a known speed.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
import skia

from pointe.body.skeleton import INDEX, identity_rotations, skeleton
from pointe.errors import ExportError
from pointe.export import scene
from pointe.export.scene import PALETTE, Rehearsal
from pointe.export.video import _atempo_factors, write_video
from pointe.motion.performance import Motion, Performance
from pointe.music.analyze import analyze

DEMO = Path(__file__).parents[2] / "src" / "pointe" / "data" / "demo"
AUDIO = DEMO / "demo.ogg"
SIZE = (640, 360)


@pytest.fixture(scope="module")
def music_map():
    return analyze(DEMO / "demo.mid")


def walker(name: str = "Odette", *, start=(-2.0, 0.0), end=(2.0, 0.0), seconds: float = 12.0,
           fps: float = 30.0, height_m: float = 1.65) -> Motion:
    """A dancer in the rest pose walking from ``start`` to ``end`` (x, z) over ``seconds``."""
    frames = int(seconds * fps) + 1
    u = np.linspace(0.0, 1.0, frames)[:, None]
    xz = np.asarray(start) * (1 - u) + np.asarray(end) * u
    body = skeleton(height_m)
    root = np.column_stack([xz[:, 0], np.full(frames, body.pelvis_height_m), xz[:, 1]])
    return Motion(name, height_m, fps, root, identity_rotations(frames),
                  np.zeros((frames, 4), bool))


def still(name: str = "Odette", at=(0.0, 0.0)) -> Motion:
    return walker(name, start=at, end=at)


def moves_for(*names: str, until: float = 12.0) -> list[dict]:
    return [{"dancer": n, "start_s": 0.0, "end_s": until, "label": "bourrée"} for n in names]


def probe(path: Path) -> str:
    """What ``ffmpeg -i`` says about ``path`` (imageio-ffmpeg ships no ffprobe)."""
    run = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
                         capture_output=True, text=True)
    return run.stderr


def decode(path: Path) -> tuple[dict, list[np.ndarray]]:
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    width, height = meta["size"]
    frames = [np.frombuffer(f, np.uint8).reshape(height, width, 3) for f in reader]
    return meta, frames


def decode_audio(path: Path, rate: int = 8000) -> np.ndarray:
    run = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error",
                          "-i", str(path), "-vn", "-ac", "1", "-ar", str(rate), "-f", "s16le",
                          "-"], capture_output=True, check=True)
    return np.frombuffer(run.stdout, np.int16).astype(float) / 32768.0


# ---------------------------------------------------------------------- the file


def test_the_video_decodes_with_its_duration_and_music(tmp_path, music_map):
    out = tmp_path / "rehearsal.mp4"
    calls = []
    write_video(out, music_map=music_map, performance=Performance(30.0, (walker(),)),
                moves=moves_for("Odette"), audio_path=AUDIO, size=SIZE,
                span_s=(2.0, 5.0), progress=lambda done, total: calls.append((done, total)))
    info = probe(out)
    assert re.search(r"Video: h264 .*yuv420p.*640x360.* 30 fps", info), info
    assert re.search(r"Audio: aac", info), info
    hours, minutes, seconds = re.search(r"Duration: (\d+):(\d+):([\d.]+)", info).groups()
    assert abs(int(hours) * 3600 + int(minutes) * 60 + float(seconds) - 3.0) <= 1 / 30 + 0.011
    meta, frames = decode(out)
    assert abs(len(frames) - 90) <= 1 and meta["fps"] == 30
    assert calls[-1] == (90, 90) and len(calls) == 90
    audio = decode_audio(out)
    assert abs(len(audio) / 8000 - 3.0) <= 1 / 30
    assert np.sqrt(np.mean(audio ** 2)) > 0.01  # the music is there
    assert not list(tmp_path.glob(".*.tmp"))


def test_slower_speed_stretches_video_and_music(tmp_path, music_map):
    out = tmp_path / "slow.mp4"
    write_video(out, music_map=music_map, performance=Performance(30.0, (walker(),)),
                moves=[], audio_path=AUDIO, size=(320, 180), span_s=(10.0, 11.5), speed=0.5)
    _, frames = decode(out)
    assert abs(len(frames) - 90) <= 1  # 1.5 s of music at half speed: 3 s
    audio = decode_audio(out)
    assert abs(len(audio) / 8000 - 3.0) <= 1 / 30
    first, last = audio[: len(audio) // 2], audio[len(audio) // 2:]
    # Slowed, the music fills all 3 s; merely trimmed, the second half would be padded silence.
    assert np.sqrt(np.mean(last ** 2)) > 0.3 * np.sqrt(np.mean(first ** 2))


def test_same_inputs_give_the_same_bytes(tmp_path, music_map):
    kwargs = dict(music_map=music_map, performance=Performance(30.0, (walker(), still("Odile"))),
                  moves=moves_for("Odette", "Odile"), audio_path=AUDIO, size=(320, 180),
                  span_s=(1.0, 2.0), view="top")
    write_video(tmp_path / "a.mp4", **kwargs)
    write_video(tmp_path / "b.mp4", **kwargs)
    assert (tmp_path / "a.mp4").read_bytes() == (tmp_path / "b.mp4").read_bytes()


def test_atempo_chain_keeps_each_factor_in_range():
    assert _atempo_factors(1.0) == []
    assert _atempo_factors(0.75) == [0.75]
    assert _atempo_factors(0.25) == [0.5, 0.5]
    assert _atempo_factors(2.0) == [2.0]
    assert np.prod(_atempo_factors(0.3)) == pytest.approx(0.3)


# ---------------------------------------------------------------------- what the frames show


def count_at(music_map, phrase: int, number: int, fraction: float = 0.6) -> float:
    index = next(i for i, c in enumerate(music_map.counts)
                 if c.phrase == phrase and c.number == number)
    return music_map.count_time(index, fraction)


def digit_mask(image: np.ndarray, height: int) -> np.ndarray:
    """The bright glyph in the count box (its top part, above the row of small counts)."""
    unit = height / 720
    box = image[int(20 * unit):int(150 * unit), int(14 * unit):int(192 * unit)]
    bright = box.astype(float).mean(axis=2) > 160
    rows, cols = np.nonzero(bright)
    return bright[rows.min():rows.max() + 1, cols.min():cols.max() + 1]


def expected_digit(text: str, height: int) -> np.ndarray:
    """``text`` drawn on its own in the count's font and size."""
    canvas_px = np.zeros((400, 400, 4), np.uint8)
    surface = skia.Surface(canvas_px)
    font = skia.Font(scene._typeface(True), 118 * height / 720)
    font.setEdging(skia.Font.Edging.kAntiAlias)
    font.setSubpixel(True)
    surface.getCanvas().drawString(text, 50, 300, font, skia.Paint(AntiAlias=True,
                                                                   Color=skia.ColorWHITE))
    bright = canvas_px[..., :3].astype(float).mean(axis=2) > 160
    rows, cols = np.nonzero(bright)
    return bright[rows.min():rows.max() + 1, cols.min():cols.max() + 1]


def read_digit(mask: np.ndarray, height: int) -> tuple[str, float]:
    """The digit whose glyph overlaps ``mask`` best, and how well."""
    scores = {d: overlap(mask, expected_digit(d, height)) for d in "0123456789"}
    best = max(scores, key=scores.get)
    return best, scores[best]


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    h, w = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    pa, pb = np.zeros((h, w), bool), np.zeros((h, w), bool)
    pa[:a.shape[0], :a.shape[1]] = a
    pb[:b.shape[0], :b.shape[1]] = b
    return (pa & pb).sum() / (pa | pb).sum()


@pytest.mark.parametrize("number", [1, 3, 5, 6])
def test_the_frame_shows_the_current_count(music_map, number):
    rehearsal = Rehearsal(music_map=music_map, performance=Performance(30.0, (still(),)),
                          moves=[], size=SIZE)
    frame = rehearsal.frame(count_at(music_map, 2, number))
    digit, score = read_digit(digit_mask(frame, SIZE[1]), SIZE[1])
    assert digit == str(number) and score > 0.85


def test_the_video_frame_at_a_count_shows_that_count(tmp_path, music_map):
    out = tmp_path / "counts.mp4"
    start = count_at(music_map, 3, 1, 0.0)
    write_video(out, music_map=music_map, performance=Performance(30.0, (still(),)), moves=[],
                audio_path=AUDIO, size=SIZE, span_s=(start, start + 2.5))
    _, frames = decode(out)
    for number in (2, 4, 5):
        index = int(round((count_at(music_map, 3, number) - start) * 30))
        digit, score = read_digit(digit_mask(frames[index], SIZE[1]), SIZE[1])
        assert digit == str(number) and score > 0.8, (number, digit, score)


def test_same_count_looks_the_same_in_another_phrase(music_map):
    rehearsal = Rehearsal(music_map=music_map, performance=Performance(30.0, ()), moves=[],
                          size=SIZE)
    box = (slice(0, 140), slice(0, 110))
    a = rehearsal.frame(count_at(music_map, 2, 5))[box].astype(int)
    b = rehearsal.frame(count_at(music_map, 4, 5))[box].astype(int)
    c = rehearsal.frame(count_at(music_map, 4, 6))[box].astype(int)
    assert np.abs(a - b).max() == 0
    assert np.abs(a - c).max() > 100


def seen_from(rehearsal: Rehearsal, time_s: float) -> tuple[int, int]:
    """The pixel (row, column) of her chest, or from above the top of her head."""
    points = rehearsal.points([time_s])[0, 0]
    if rehearsal.camera.perspective:
        part = (points[INDEX["spine1"]] + points[INDEX["spine3"]]) / 2
    else:
        part = points[scene.HEAD]
    xy = rehearsal.camera.project(part)[0]
    return int(round(xy[1])), int(round(xy[0]))


def rgb(argb: int) -> np.ndarray:
    return np.array([(argb >> 16) & 255, (argb >> 8) & 255, argb & 255])


@pytest.mark.parametrize("view, size", [("audience", SIZE), ("mirror", SIZE),
                                        ("top", (1280, 720))])
def test_the_dancer_is_where_her_projection_says(tmp_path, music_map, view, size):
    motion = walker(start=(-3.0, 1.0), end=(3.0, -1.0), seconds=6.0)
    performance = Performance(30.0, (motion,))
    out = tmp_path / f"{view}.mp4"
    write_video(out, music_map=music_map, performance=performance, moves=[], audio_path=AUDIO,
                size=size, span_s=(0.0, 6.0), view=view)
    _, frames = decode(out)
    rehearsal = Rehearsal(music_map=music_map, performance=performance, moves=[], size=size,
                          view=view)
    empty = Rehearsal(music_map=music_map, performance=Performance(30.0, ()), moves=[],
                      size=size, view=view).frame(0.0)
    look = scene._Look.of(PALETTE[0])
    colour = rgb(look.torso if view != "top" else look.skin)
    for time_s in (1.0, 3.0, 5.0):
        row, col = seen_from(rehearsal, time_s)
        seen = frames[int(round(time_s * 30))][row - 1:row + 2, col - 1:col + 2]
        seen = seen.reshape(-1, 3).mean(axis=0)
        assert np.abs(seen - colour).max() < 40, (time_s, seen, colour)
        assert np.abs(seen - empty[row, col]).max() > 60
    if view == "mirror":
        row, col = seen_from(rehearsal, 1.0)
        assert col > size[0] / 2  # she starts at stage right, on the mirror's right


def test_the_floor_plan_keeps_her_trail(music_map):
    motion = walker(start=(-3.0, 0.0), end=(3.0, 0.0), seconds=6.0)
    performance = Performance(30.0, (motion,))
    rehearsal = Rehearsal(music_map=music_map, performance=performance, moves=[], size=SIZE,
                          view="top")
    frame = rehearsal.frame(5.0, trail_from_s=0.0)
    empty = Rehearsal(music_map=music_map, performance=Performance(30.0, ()), moves=[],
                      size=SIZE, view="top").frame(5.0)
    x, y = rehearsal.camera.project(np.array([-2.0, 0.0, 0.0]))[0]  # passed at 0.5 s
    assert np.abs(frame[int(y), int(x)].astype(int) - empty[int(y), int(x)]).max() > 30
    x, y = rehearsal.camera.project(np.array([2.5, 0.0, 0.0]))[0]  # not yet reached at 5 s
    assert np.abs(frame[int(y), int(x)].astype(int) - empty[int(y), int(x)]).max() == 0


def test_each_dancer_has_her_name_and_step_written(music_map):
    performance = Performance(30.0, (still("Odette", (-2.0, 0.0)), still("Odile", (2.0, 0.0))))
    moves = [{"dancer": "Odette", "start_s": 0.0, "end_s": 2.0, "label": "glissade"},
             {"dancer": "Odile", "start_s": 1.0, "end_s": 3.0, "label": "assemblé"}]
    rehearsal = Rehearsal(music_map=music_map, performance=performance, moves=moves, size=SIZE)
    assert rehearsal._step_label("Odette", 0.5) == "glissade"
    assert rehearsal._step_label("Odile", 0.5) == ""
    assert rehearsal._step_label("Odile", 2.5) == "assemblé"
    without = Rehearsal(music_map=music_map, performance=performance, moves=[], size=SIZE)
    # The labels change the picture above each dancer's head, nowhere near the other one.
    a, b = rehearsal.frame(1.5), without.frame(1.5)
    changed = np.nonzero(np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 0)
    assert changed[1].min() < SIZE[0] / 2 < changed[1].max()


# ---------------------------------------------------------------------- bad input


@pytest.mark.parametrize("change, message", [
    ({"audio_path": "nowhere.ogg"}, r"nowhere\.ogg: the music file does not exist"),
    ({"view": "tpo"}, r"view 'tpo' is not a view .*did you mean 'top'\?"),
    ({"view": "side"}, r"view 'side' .*use one of audience, top, mirror"),
    ({"speed": 0.1}, r"speed 0\.1 is outside 0\.25–2 \(0\.75 rehearses at three-quarter speed\)"),
    ({"speed": 75}, r"speed 75 is outside .*percentage"),
    ({"size": (641, 360)}, r"size \(641, 360\) must be .*even pixels"),
    ({"fps": 0}, r"fps 0 must be a whole number"),
    ({"stage_size_m": (1000, 800)}, r"stage_size_m .* centimetres"),
    ({"span_s": (10.0, 99.0)}, r"span_s \(10\.0, 99\.0\) is not inside the music's 0–45\.13 s"),
    ({"moves": [{"dancer": "Odete", "start_s": 0, "end_s": 1, "label": "x"}]},
     r"moves\[0\]: dancer 'Odete' is not in the performance \(did you mean 'Odette'\?\)"),
    ({"moves": [{"dancer": "Odette", "start": 0}]}, r"moves\[0\] must be a dict with keys"),
    ({"moves": [{"dancer": "Odette", "start_s": 2, "end_s": 1, "label": "x"}]},
     r"moves\[0\]: start_s 2 must be a time in seconds before end_s 1"),
])
def test_bad_input_is_refused_with_a_message(tmp_path, music_map, change, message):
    kwargs = dict(music_map=music_map, performance=Performance(30.0, (still(),)), moves=[],
                  audio_path=AUDIO, size=(320, 180), span_s=(0.0, 1.0))
    kwargs.update(change)
    with pytest.raises(ExportError, match=message):
        write_video(tmp_path / "out.mp4", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_wrong_suffix_and_missing_folder(tmp_path, music_map):
    kwargs = dict(music_map=music_map, performance=Performance(30.0, (still(),)), moves=[],
                  audio_path=AUDIO, size=(320, 180), span_s=(0.0, 1.0))
    with pytest.raises(ExportError, match=r"out\.avi: the rehearsal video is an MP4 .*out\.mp4"):
        write_video(tmp_path / "out.avi", **kwargs)
    with pytest.raises(ExportError, match=r"the folder .*missing does not exist"):
        write_video(tmp_path / "missing" / "out.mp4", **kwargs)


def test_unreadable_music_leaves_no_file(tmp_path, music_map):
    noise = tmp_path / "noise.ogg"
    noise.write_bytes(b"this is not music" * 100)
    out = tmp_path / "out.mp4"
    with pytest.raises(ExportError, match=r"out\.mp4: ffmpeg could not write the video: "
                                          r".*noise\.ogg a music file"):
        write_video(out, music_map=music_map, performance=Performance(30.0, (still(),)),
                    moves=[], audio_path=noise, size=(320, 180), span_s=(0.0, 1.0))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["noise.ogg"]


def test_an_interrupted_render_keeps_the_old_video(tmp_path, music_map):
    out = tmp_path / "out.mp4"
    out.write_bytes(b"the old video")

    def stop(done, total):
        if done == 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_video(out, music_map=music_map, performance=Performance(30.0, (still(),)),
                    moves=[], audio_path=AUDIO, size=(320, 180), span_s=(0.0, 2.0),
                    progress=stop)
    assert out.read_bytes() == b"the old video"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4"]
