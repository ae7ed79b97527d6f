"""Reading music files: audio decoded as a stream, scores parsed to notes and a tempo map.

Conventions
-----------
- Audio is decoded to mono float32 at ``ANALYSIS_SR`` (22 050 Hz) in blocks, never whole: a
  two-hour recording costs the memory of one block plus the per-frame features.
- WAV, FLAC, OGG/Vorbis and MP3 are decoded by libsndfile (``soundfile``); anything else ffmpeg
  can read (M4A/AAC, Opus, WMA …) by the ffmpeg binary that ``imageio-ffmpeg`` ships.
- MIDI files are read with ``mido``; MusicXML and MXL with ``music21``. Their kind is decided by
  the file's content, not its name.
"""

from __future__ import annotations

import hashlib
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from pointe.errors import MusicError

ANALYSIS_SR = 22_050
MIN_DURATION_S = 8.0
MAX_DURATION_S = 4 * 3600.0
AUDIO_FORMATS = ("wav", "flac", "ogg", "mp3", "aiff", "m4a", "aac", "opus", "wma")
SCORE_FORMATS = ("mid", "midi", "musicxml", "xml", "mxl")
FIX_FORMAT = "convert it to WAV, FLAC, OGG or MP3, or give a MIDI or MusicXML score"

Kind = Literal["audio", "midi", "musicxml"]


@dataclass(frozen=True)
class MusicFile:
    """A music file that exists, is not empty and whose kind is known."""

    path: Path
    kind: Kind
    format: str
    sha256: str
    size_bytes: int


def probe(path: str | Path) -> MusicFile:
    """Check ``path`` is a music file and say what kind it is; raise ``MusicError`` if not."""
    p = Path(path)
    if not p.exists():
        raise MusicError(p, "no such file", "check the path and its spelling")
    if p.is_dir():
        raise MusicError(p, "this is a folder, not a music file", "give the path of one file")
    size = p.stat().st_size
    if size == 0:
        raise MusicError(p, "the file is empty (0 bytes)", "copy or export the music again")
    with p.open("rb") as handle:
        head = handle.read(64)
    digest = _sha256(p)
    if head.startswith(b"MThd"):
        return MusicFile(p, "midi", "midi", digest, size)
    if head.startswith(b"PK") and zipfile.is_zipfile(p):
        return MusicFile(p, "musicxml", "mxl", digest, size)
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text_head.startswith(b"<?xml") or text_head.startswith(b"<score-"):
        return MusicFile(p, "musicxml", "musicxml", digest, size)
    fmt = _audio_format(p, head)
    return MusicFile(p, "audio", fmt, digest, size)


def _audio_format(path: Path, head: bytes) -> str:
    import soundfile

    try:
        info = soundfile.info(str(path))
        return info.format.lower()
    except (RuntimeError, soundfile.LibsndfileError):
        pass
    if _looks_like_text(head):
        raise MusicError(path, "this is a text file, not music", FIX_FORMAT)
    if _ffmpeg_duration(path) is None:
        raise MusicError(path, "not a music file pointe can decode", FIX_FORMAT)
    return path.suffix.lower().lstrip(".") or "unknown"


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(b >= 9 for b in head)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------- audio


def audio_duration_s(music: MusicFile) -> float:
    """Duration of an audio file from its header (libsndfile) or ffmpeg's report."""
    import soundfile

    try:
        info = soundfile.info(str(music.path))
        return info.frames / float(info.samplerate)
    except (RuntimeError, soundfile.LibsndfileError):
        duration = _ffmpeg_duration(music.path)
        if duration is None:
            raise MusicError(music.path, "not a music file pointe can decode", FIX_FORMAT) from None
        return duration


def stream(
    music: MusicFile, *, sr: int = ANALYSIS_SR, block_s: float = 30.0
) -> Iterator[np.ndarray]:
    """Yield the audio as mono float32 blocks at ``sr``; raise ``MusicError`` on damaged data.

    Memory stays bounded by ``block_s`` whatever the length of the file.
    """
    if music.kind != "audio":
        raise ValueError(f"stream() needs an audio file, not {music.kind}")
    import soundfile

    try:
        handle = soundfile.SoundFile(str(music.path))
    except (RuntimeError, soundfile.LibsndfileError):
        yield from _stream_ffmpeg(music.path, sr=sr, block_s=block_s)
        return
    yield from _stream_soundfile(music.path, handle, sr=sr, block_s=block_s)


def _stream_soundfile(path: Path, handle, *, sr: int, block_s: float) -> Iterator[np.ndarray]:
    import soundfile
    import soxr

    declared = handle.frames
    native_sr = handle.samplerate
    resampler = None if native_sr == sr else soxr.ResampleStream(native_sr, sr, 1, dtype="float32")
    block = max(1024, int(block_s * native_sr))
    read = 0
    with handle:
        while True:
            try:
                data = handle.read(block, dtype="float32", always_2d=True)
            except (RuntimeError, soundfile.LibsndfileError) as err:
                raise MusicError(
                    path, f"the audio data is damaged after {read / native_sr:.1f} s ({err})",
                    "export or download the file again",
                ) from err
            last = len(data) < block
            read += len(data)
            mono = data.mean(axis=1, dtype=np.float32) if len(data) else np.zeros(0, np.float32)
            if resampler is not None:
                mono = resampler.resample_chunk(mono, last=last)
            if len(mono):
                yield np.ascontiguousarray(mono, dtype=np.float32)
            if last:
                break
    if declared > 0 and read < declared * 0.99:
        raise MusicError(
            path,
            f"the file is truncated: its header promises {declared / native_sr:.1f} s "
            f"but the data stops at {read / native_sr:.1f} s",
            "copy or export the music again",
        )


def _ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def _ffmpeg_duration(path: Path) -> float | None:
    """Decode the file with ffmpeg to a null sink and read how long it was; None if not audio."""
    try:
        result = subprocess.run(
            [_ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-vn", "-f", "null", "-"],
            capture_output=True, text=True, timeout=600, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0 or "Audio:" not in result.stderr:
        return None
    duration = None
    for line in result.stderr.splitlines():
        if "time=" in line:
            stamp = line.split("time=")[-1].split()[0]
            try:
                h, m, s = stamp.split(":")
                duration = int(h) * 3600 + int(m) * 60 + float(s)
            except ValueError:
                continue
    return duration


def _stream_ffmpeg(path: Path, *, sr: int, block_s: float) -> Iterator[np.ndarray]:
    command = [_ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(path),
               "-vn", "-ac", "1", "-ar", str(sr), "-f", "f32le", "-"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    block_bytes = int(block_s * sr) * 4
    try:
        assert process.stdout is not None
        while True:
            chunk = process.stdout.read(block_bytes)
            if not chunk:
                break
            usable = len(chunk) - len(chunk) % 4
            yield np.frombuffer(chunk[:usable], dtype=np.float32).copy()
    finally:
        if process.stdout is not None:
            process.stdout.close()
        stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        code = process.wait()
    if code != 0:
        reason = stderr.strip().splitlines()[-1] if stderr.strip() else f"ffmpeg exit {code}"
        raise MusicError(path, f"the audio cannot be decoded ({reason})", FIX_FORMAT)
