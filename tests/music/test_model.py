"""The MusicMap JSON form: versioned, lossless, and clear about malformed documents."""

import json

import pytest
from made import write_midi

from pointe.errors import DocumentError
from pointe.music import MusicMap, analyze


@pytest.fixture
def music_map(tmp_path):
    path = tmp_path / "waltz.mid"
    write_midi(path, meter=(3, 4), bpm=180, bars=24, pickup_beats=1)
    return analyze(path)


def test_json_round_trip_is_lossless(music_map):
    data = json.loads(json.dumps(music_map.to_dict()))
    again = MusicMap.from_dict(data)
    assert again.to_dict() == music_map.to_dict()


def test_public_schema_fields(music_map):
    data = music_map.to_dict()
    assert data["schema"] == "pointe.musicmap/1"
    assert {"time", "beat_in_bar"} <= set(data["beats"][0])
    assert {"start", "meter"} <= set(data["bars"][0])
    assert "time" in data["counts"][0]
    assert data["phrases"] and data["sections"]


def test_count_time_gives_and_and_a(music_map):
    index = next(i for i, c in enumerate(music_map.counts) if c.phrase == 1)
    start, nxt = music_map.counts[index].time_s, music_map.counts[index + 1].time_s
    assert music_map.count_time(index, 0.5) == pytest.approx((start + nxt) / 2)
    assert music_map.count_time(index, 0.75) == pytest.approx(start + 0.75 * (nxt - start))


def test_unknown_schema_is_refused(music_map):
    data = music_map.to_dict() | {"schema": "pointe.musicmap/99"}
    with pytest.raises(DocumentError, match="music.json, schema: unknown MusicMap schema"):
        MusicMap.from_dict(data, path="music.json")


def test_missing_field_names_the_field(music_map):
    data = music_map.to_dict()
    del data["counts"][3]["time"]
    with pytest.raises(DocumentError, match="field 'time'"):
        MusicMap.from_dict(data, path="music.json")
