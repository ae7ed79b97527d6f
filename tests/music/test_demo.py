"""The bundled demo music is counted right: real rendered audio and its MIDI, with exact truth."""

import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from made import f_measure

from pointe.music import analyze

DEMO = Path(str(resources.files("pointe") / "data" / "demo"))


@pytest.fixture(scope="module")
def truth():
    return json.loads((DEMO / "demo.truth.json").read_text())


def test_demo_audio_is_counted_as_its_score_says(truth):
    music_map = analyze(DEMO / "demo.ogg")
    beats = np.array([b["time"] for b in truth["beats"]])
    downbeats = np.array([b["time"] for b in truth["beats"] if b["beat_in_bar"] == 1])
    assert music_map.meter == truth["meter"] == "3/4"
    assert f_measure(np.array([b.time_s for b in music_map.beats]), beats) >= 0.95
    found = np.array([b.time_s for b in music_map.beats if b.beat_in_bar == 1])
    assert f_measure(found, downbeats) >= 0.95
    assert music_map.sections[0].label == "A" and music_map.sections[-1].label.startswith("A")


def test_demo_midi_gives_the_exact_beats(truth):
    music_map = analyze(DEMO / "demo.mid")
    beats = np.array([b["time"] for b in truth["beats"]]) - truth["midi_offset_s"]
    assert len(music_map.beats) == len(beats)
    assert np.max(np.abs(np.array([b.time_s for b in music_map.beats]) - beats)) < 1e-4
    assert [b.beat_in_bar for b in music_map.beats] == [b["beat_in_bar"] for b in truth["beats"]]
