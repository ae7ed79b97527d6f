"""Atomic writes: a temporary file in the target's folder, then a rename.

A reader never sees a half-written output, and a failed write leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from pointe.errors import ExportError


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``."""
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb' (not {mode!r})")
    target = Path(path)
    fd, tmp_name = _temporary_beside(target)
    try:
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else "\n"
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _temporary_beside(target: Path) -> tuple[int, str]:
    """A new temporary file in ``target``'s folder (ExportError if the folder is missing)."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(
            f"{target}: the folder {folder} does not exist (create it first or choose another -o)"
        )
    return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` for a program that writes by name (ffmpeg); renamed
    over ``path`` when the block ends without an error, removed when it does not."""
    target = Path(path)
    fd, tmp_name = _temporary_beside(target)
    os.close(fd)
    try:
        os.chmod(tmp_name, 0o644)  # as a plain new file, not mkstemp's owner-only
        yield Path(tmp_name)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically; ExportError naming the path where it cannot."""
    with _saying_where(path), atomic_open(path, "w") as handle:
        handle.write(text)


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; ExportError naming the path where it cannot."""
    with _saying_where(path), atomic_open(path, "wb") as handle:
        handle.write(data)


@contextlib.contextmanager
def _saying_where(path: str | Path) -> Iterator[None]:
    try:
        yield
    except OSError as err:
        raise ExportError(f"{path}: cannot write there ({err.strerror or err}); choose a "
                          "writable folder or another name") from err


def npz_bytes(arrays: dict, *, compress: bool = False) -> bytes:
    """An NPZ archive with fixed entry dates, so the same arrays always give the same bytes.

    ``numpy.savez`` stamps each entry with the current time; this writes the same format
    (``numpy.lib.format`` arrays in a zip file, readable by ``numpy.load``) with a fixed date.
    """
    import io
    import zipfile

    import numpy as np

    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, value in arrays.items():
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = method
            entry.external_attr = 0o644 << 16
            data = io.BytesIO()
            np.lib.format.write_array(data, np.asanyarray(value), allow_pickle=False)
            archive.writestr(entry, data.getvalue())
    return buffer.getvalue()
