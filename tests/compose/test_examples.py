"""The committed examples are valid ballets on their music, one per style."""

import json
from pathlib import Path

import pytest

from pointe.choreography import check, load
from pointe.music.model import MusicMap

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("style", ["classical", "neoclassical", "contemporary"])
def test_each_example_checks(style, library):
    music_map = MusicMap.from_dict(json.loads((EXAMPLES / "music.json").read_text()))
    ballet = load(EXAMPLES / style / "ballet.yaml", library)
    assert ballet.style == style
    assert check(ballet, library, music_map=music_map) == []
    assert (EXAMPLES / style / "ballet.yaml").parent.joinpath(ballet.music.file).resolve().exists()
    assert "1.1" in (EXAMPLES / style / "counts.txt").read_text()
