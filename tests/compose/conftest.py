import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "music"))
from made import write_midi  # noqa: E402

from pointe.music.analyze import analyze  # noqa: E402

# Meter, tempo (felt beats a minute), bars, tempo changes {beat: bpm}: the grid composed on.
PIECES = {
    "waltz-3-4": ((3, 4), 150, 24, None),
    "polka-2-4": ((2, 4), 120, 24, None),
    "adagio-4-4": ((4, 4), 60, 12, None),
    "barcarolle-6-8": ((6, 8), 66, 16, None),
    "march-changes-4-4": ((4, 4), 112, 20, {32: 84, 56: 132}),
}


@pytest.fixture(scope="session")
def maps(tmp_path_factory):
    folder = tmp_path_factory.mktemp("music")
    out = {}
    for name, (meter, bpm, bars, changes) in PIECES.items():
        path = folder / f"{name}.mid"
        write_midi(path, meter=meter, bpm=bpm, bars=bars, tempo_changes=changes)
        out[name] = analyze(path)
    return out
