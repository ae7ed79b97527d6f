"""Which scores of music21's corpus the beat network may learn from, and which it must never see.

Conventions
-----------
- A ``Source`` is one work: a corpus path and, for a file that holds many tunes (ABC books), the
  tune's reference number (``X:``).
- Held out: every file the benchmark (``benchmarks/dataset.py``) or the bundled demo
  (``scripts/render_demo.py``) plays, and, for composed works, every other movement of the same
  opus (``mozart/k458/*``): the evaluation pieces are never heard in training, nor their siblings.
- Left out: Renaissance polyphony and modern atonal pieces (no felt pulse to count), demos and
  theory exercises.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import dataset  # noqa: E402  (benchmarks/dataset.py: the held-out pieces)

DEMO_PATH = "mozart/k458/movement2.mxl"
SKIPPED_DIRS = {"palestrina", "trecento", "monteverdi", "josquin", "ciconia", "luca", "lusitano",
                "schoenberg", "webern", "theoryExercises", "demos", "leadSheet"}
# Files holding many tunes, numbered by their ABC reference (X:) lines.
BOOKS = {"oneills1850", "essenFolksong", "nottingham-dataset", "miscFolk", "airdsAirs"}


@dataclass(frozen=True)
class Source:
    corpus_path: str  # as music21.corpus.parse takes it
    number: int | None = None
    group: str = ""  # the corpus folder: ryansMammoth, bach, beethoven …
    meter: str = ""  # the ABC header's M: field where there is one ("3/4"), else ""

    @property
    def id(self) -> str:
        stem = re.sub(r"[^a-z0-9]+", "-", self.corpus_path.lower()).strip("-")
        return f"{stem}-{self.number}" if self.number is not None else stem


def held_out() -> tuple[set[str], set[str]]:
    """(files, opus folders) the network must never hear."""
    files = {piece.corpus_path for piece in dataset.PIECES} | {DEMO_PATH}
    opus_dirs = set()
    for path in files:
        parts = path.split("/")
        if len(parts) >= 3:  # composer/opus/movement: the whole opus is held out
            opus_dirs.add("/".join(parts[:-1]))
    return files, opus_dirs


def sources() -> list[Source]:
    """Every usable work of the corpus, in a fixed order, none of them held out."""
    from music21 import corpus

    files, opus_dirs = held_out()
    found: list[Source] = []
    for full in sorted(str(p) for p in corpus.getCorePaths()):
        relative = full.split("/corpus/", 1)[1]
        group = relative.split("/")[0]
        if group in SKIPPED_DIRS or relative in files:
            continue
        if any(relative.startswith(d + "/") for d in opus_dirs):
            continue
        if relative.endswith(".abc"):
            text = Path(full).read_text(encoding="latin-1")
            tunes = re.split(r"^(?=X:)", text, flags=re.M)
            headers = []
            for tune in tunes:
                number = re.match(r"X:\s*(\d+)", tune)
                meter = re.search(r"^M:\s*(\S+)", tune, flags=re.M)
                if number:
                    headers.append((int(number.group(1)), meter.group(1) if meter else ""))
            if group in BOOKS:
                seen: set[int] = set()
                for number, meter in headers:
                    if number not in seen:
                        seen.add(number)
                        found.append(Source(relative, number, group, meter))
            else:
                found.append(Source(relative, None, group, headers[0][1] if headers else ""))
        else:
            found.append(Source(relative, None, group))
    return found
