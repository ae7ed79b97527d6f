"""Rehearsal video: the performance danced on stage, in time with its music, counts burnt in.

Conventions
-----------
- H.264 MP4 (``yuv420p``, BT.709, a key frame every two seconds) with the music as AAC.
  Frames are drawn in software (``pointe.export.scene``: Skia, no display, no GPU) and piped
  as raw RGBA to the ffmpeg that ``imageio-ffmpeg`` ships, which encodes them with x264 and muxes
  the music read from ``audio_path``.
- Music time is ``MusicMap`` seconds. ``span_s = (start, end)`` renders part of the music
  (default: all of it). ``speed`` below 1 slows the rehearsal down: the video lasts
  ``(end - start) / speed`` seconds, frame ``i`` shows music time ``start + i * speed / fps``,
  and the music is slowed with ffmpeg's ``atempo`` (pitch kept).
- Deterministic: the same inputs give the same bytes (fixed encoder settings and thread count,
  bit-exact muxing, no metadata), on one machine and one version of Skia and ffmpeg.
- Written atomically: a temporary file beside ``path``, renamed over it only when ffmpeg has
  finished; a failure leaves no half-written MP4.
"""

from __future__ import annotations

import difflib
import math
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from numbers import Real
from pathlib import Path

import numpy as np

from pointe.errors import ExportError
from pointe.export.camera import VIEWS
from pointe.export.scene import Rehearsal
from pointe.fileio import atomic_path
from pointe.motion.performance import Performance
from pointe.music.model import MusicMap

SPEED_RANGE = (0.25, 2.0)
FPS_RANGE = (10, 120)
SIZE_RANGE = ((160, 3840), (90, 2160))
CRF = 20
PRESET = "veryfast"
THREADS = 2
AUDIO_BITRATE = "160k"
MOVE_KEYS = ("dancer", "start_s", "end_s", "label")

Progress = Callable[[int, int], None]


def write_video(
    path: str | Path,
    *,
    music_map: MusicMap,
    performance: Performance,
    moves: Sequence[Mapping],
    audio_path: str | Path,
    view: str = "audience",
    speed: float = 1.0,
    size: tuple[int, int] = (1280, 720),
    fps: int = 30,
    stage_size_m: tuple[float, float] = (10.0, 8.0),
    span_s: tuple[float, float] | None = None,
    progress: Progress | None = None,
) -> None:
    """Write the rehearsal video of ``performance`` on ``music_map`` to ``path`` (an .mp4).

    ``moves`` are dicts ``{"dancer", "start_s", "end_s", "label"}`` (music seconds): the step
    each dancer is doing, written beside her. ``view`` is ``audience``, ``top`` or ``mirror``.
    ``progress(frames_done, frames_total)`` is called after each frame.
    Raises ``ExportError`` on bad input or when ffmpeg fails.
    """
    target = Path(path)
    start_s, end_s = _check(target, music_map=music_map, performance=performance, moves=moves,
                            audio_path=audio_path, view=view, speed=speed, size=size, fps=fps,
                            stage_size_m=stage_size_m, span_s=span_s, progress=progress)
    width, height = int(size[0]), int(size[1])
    frames = max(1, int(round((end_s - start_s) / speed * fps)))
    duration_s = frames / fps
    times = start_s + np.arange(frames) * (speed / fps)
    rehearsal = Rehearsal(music_map=music_map, performance=performance, moves=moves, view=view,
                          size=(width, height), stage_size_m=stage_size_m, speed=speed)
    with atomic_path(target) as tmp, tempfile.TemporaryFile() as log:
        command = _ffmpeg_command(tmp, audio_path=Path(audio_path), size=(width, height),
                                  fps=fps, start_s=start_s, end_s=end_s, speed=speed,
                                  duration_s=duration_s)
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                   stderr=log)
        try:
            for done, frame in enumerate(rehearsal.frames(times, trail_from_s=start_s),
                                         start=1):
                process.stdin.write(frame.data)
                if progress is not None:
                    progress(done, frames)
            process.stdin.close()
            code = process.wait()
        except BrokenPipeError:
            code = process.wait()
        except BaseException:
            process.kill()
            process.wait()
            raise
        if code != 0:
            log.seek(0)
            raise ExportError(f"{target}: ffmpeg could not write the video: "
                              f"{_last_line(log.read())} (is {audio_path} a music file that "
                              "plays? is there room on the disk?)")


def _ffmpeg_command(out: Path, *, audio_path: Path, size: tuple[int, int], fps: int,
                    start_s: float, end_s: float, speed: float, duration_s: float) -> list[str]:
    import imageio_ffmpeg

    audio_filter = (f"atrim=start={start_s:.6f}:end={end_s:.6f},asetpts=PTS-STARTPTS"
                    + "".join(f",atempo={factor:.6f}" for factor in _atempo_factors(speed))
                    + ",apad")
    return [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error",
        "-y", "-filter_threads", "1",
        "-f", "rawvideo", "-pix_fmt", "rgba", "-video_size", f"{size[0]}x{size[1]}",
        "-framerate", str(fps), "-i", "pipe:0",
        "-i", str(audio_path),
        "-map", "0:v:0", "-map", "1:a:0",
        "-vf", "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,setparams="
               "colorspace=bt709:color_primaries=bt709:color_trc=bt709:range=tv",
        "-af", audio_filter,
        "-c:v", "libx264", "-preset", PRESET, "-crf", str(CRF), "-threads", str(THREADS),
        "-g", str(2 * fps), "-pix_fmt", "yuv420p",
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-color_range", "tv",
        "-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ac", "2",
        "-t", f"{duration_s:.6f}",
        "-map_metadata", "-1", "-map_chapters", "-1",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        "-movflags", "+faststart", "-f", "mp4", str(out),
    ]


def _atempo_factors(speed: float) -> list[float]:
    """``atempo`` factors, each within 0.5…2, whose product is ``speed`` (none for 1)."""
    factors: list[float] = []
    rest = float(speed)
    while rest < 0.5 - 1e-12:
        factors.append(0.5)
        rest /= 0.5
    if abs(rest - 1.0) > 1e-9:
        factors.append(rest)
    return factors


def _last_line(data: bytes) -> str:
    lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines()
             if line.strip()]
    return lines[-1] if lines else "no message"


def _check(target: Path, *, music_map, performance, moves, audio_path, view, speed, size, fps,
           stage_size_m, span_s, progress) -> tuple[float, float]:
    """Check every argument of ``write_video``; the music span (start, end) to render."""
    if target.suffix.lower() != ".mp4":
        raise ExportError(f"{target}: the rehearsal video is an MP4 (name the file "
                          f"{target.with_suffix('.mp4').name})")
    if not isinstance(music_map, MusicMap):
        raise ExportError(f"music_map must be a MusicMap (not {type(music_map).__name__}; "
                          "read it with pointe.music.analyze)")
    if not isinstance(performance, Performance):
        raise ExportError(f"performance must be a Performance (not "
                          f"{type(performance).__name__})")
    audio = Path(audio_path)
    if not audio.is_file():
        where = "is a folder" if audio.is_dir() else "does not exist"
        raise ExportError(f"{audio}: the music file {where} (give the audio file the "
                          "MusicMap was counted from)")
    if view not in VIEWS:
        near = difflib.get_close_matches(str(view), VIEWS, n=1, cutoff=0.4)
        hint = f"did you mean {near[0]!r}?" if near else f"use one of {', '.join(VIEWS)}"
        raise ExportError(f"view {view!r} is not a view of the rehearsal video ({hint})")
    if not _number(speed) or not SPEED_RANGE[0] <= speed <= SPEED_RANGE[1]:
        guess = ("; did you give a percentage?" if _number(speed)
                 and 100 * SPEED_RANGE[0] <= speed <= 100 * SPEED_RANGE[1] else "")
        raise ExportError(f"speed {speed!r} is outside {SPEED_RANGE[0]:g}–{SPEED_RANGE[1]:g} "
                          f"(0.75 rehearses at three-quarter speed{guess})")
    if not _number(fps) or int(fps) != fps or not FPS_RANGE[0] <= fps <= FPS_RANGE[1]:
        raise ExportError(f"fps {fps!r} must be a whole number of frames a second from "
                          f"{FPS_RANGE[0]} to {FPS_RANGE[1]} (30 is usual)")
    if (not isinstance(size, Sequence) or len(size) != 2 or not all(_number(v) for v in size)
            or any(int(v) != v or int(v) % 2 for v in size)
            or not all(lo <= v <= hi for v, (lo, hi) in zip(size, SIZE_RANGE, strict=True))):
        raise ExportError(f"size {size!r} must be (width, height) in even pixels, from "
                          f"160×90 to 3840×2160 (e.g. (1280, 720))")
    if (not isinstance(stage_size_m, Sequence) or len(stage_size_m) != 2
            or not all(_number(v) and 2.0 <= v <= 40.0 for v in stage_size_m)):
        raise ExportError(f"stage_size_m {stage_size_m!r} must be (width, depth) in metres, "
                          "each 2 to 40 (e.g. (10.0, 8.0); did you give centimetres?)")
    if progress is not None and not callable(progress):
        raise ExportError(f"progress must be a function of (frames_done, frames_total), "
                          f"not {type(progress).__name__}")
    duration = float(music_map.duration_s)
    if span_s is None:
        start_s, end_s = 0.0, duration
    else:
        if (not isinstance(span_s, Sequence) or len(span_s) != 2
                or not all(_number(v) for v in span_s)):
            raise ExportError(f"span_s {span_s!r} must be (start, end) in seconds")
        start_s, end_s = float(span_s[0]), float(span_s[1])
        if not 0.0 <= start_s < end_s <= duration + 1e-6:
            raise ExportError(f"span_s {span_s!r} is not inside the music's 0–{duration:.2f} s "
                              "(start before end, both in seconds of the music)")
        end_s = min(end_s, duration)
    if end_s - start_s <= 0:
        raise ExportError(f"{music_map.source.path}: the music has no duration to render")
    dancers = [m.dancer for m in performance.motions]
    for i, move in enumerate(moves):
        if not isinstance(move, Mapping) or any(key not in move for key in MOVE_KEYS):
            raise ExportError(f"moves[{i}] must be a dict with keys {', '.join(MOVE_KEYS)} "
                              f"(not {move!r})")
        if move["dancer"] not in dancers:
            near = difflib.get_close_matches(str(move["dancer"]), dancers, n=1)
            hint = f"did you mean {near[0]!r}?" if near else \
                f"the performance has {', '.join(dancers) or 'no dancers'}"
            raise ExportError(f"moves[{i}]: dancer {move['dancer']!r} is not in the "
                              f"performance ({hint})")
        if not (_number(move["start_s"]) and _number(move["end_s"])
                and move["start_s"] < move["end_s"]):
            raise ExportError(f"moves[{i}]: start_s {move['start_s']!r} must be a time in "
                              f"seconds before end_s {move['end_s']!r}")
    return start_s, end_s


def _number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)
