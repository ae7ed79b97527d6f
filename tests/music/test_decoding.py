"""Decoding every supported format, streaming with bounded memory, and every kind of bad input."""

import subprocess

import numpy as np
import pytest
import soundfile as sf
from made import SR, render_piece

from pointe.errors import MusicError, UsageError
from pointe.music import analyze, decoding, features, load


@pytest.fixture(scope="module")
def tune(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tune")
    return render_piece(folder, "2/4", 120, bars=8)


@pytest.mark.parametrize(("fmt", "subtype"), [("wav", "PCM_16"), ("flac", "PCM_16"),
                                              ("ogg", "VORBIS"), ("mp3", "MPEG_LAYER_III")])
def test_each_format_decodes_to_the_same_music(tmp_path, tune, fmt, subtype):
    audio, sr = sf.read(tune.path, dtype="float32")
    path = tmp_path / f"tune.{fmt}"
    sf.write(path, np.stack([audio, audio], axis=1), 44_100 if fmt == "mp3" else sr,
             subtype=subtype) if fmt == "mp3" else sf.write(path, audio, sr, subtype=subtype)
    music = load(path)
    assert music.kind == "audio"
    decoded = np.concatenate(list(decoding.stream(music)))
    if fmt != "mp3":  # an mp3 written at 44.1 kHz is the music at double speed; only decode it
        assert len(decoded) == pytest.approx(len(audio), abs=SR * 0.1)
        assert analyze(path).bpm == pytest.approx(120, rel=0.03)
    else:
        assert len(decoded) > SR


def test_ffmpeg_decodes_what_libsndfile_cannot(tmp_path, tune):
    import imageio_ffmpeg

    path = tmp_path / "tune.m4a"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-i", str(tune.path),
                    "-c:a", "aac", str(path)], check=True)
    assert analyze(path).bpm == pytest.approx(120, rel=0.03)


def test_features_do_not_depend_on_block_size(tune):
    music = load(tune.path)
    whole = features.extract(decoding.stream(music, block_s=1000.0))
    small = features.extract(decoding.stream(music, block_s=0.37))
    assert whole.frames == small.frames
    assert np.allclose(whole.onset, small.onset, atol=1e-4)
    assert np.allclose(whole.chroma, small.chroma, atol=1e-4)


def test_stream_yields_bounded_blocks(tune):
    blocks = list(decoding.stream(load(tune.path), block_s=0.5))
    assert max(len(b) for b in blocks) <= int(0.5 * SR) + 1024
    assert len(blocks) > 10


def _fails(path, match):
    with pytest.raises(MusicError, match=match) as info:
        analyze(path)
    assert str(path.name) in str(info.value)
    return info.value


def test_missing_file(tmp_path):
    _fails(tmp_path / "nowhere.wav", "no such file")


def test_a_folder(tmp_path):
    folder = tmp_path / "music.wav"
    folder.mkdir()
    _fails(folder, "folder, not a music file")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.ogg"
    path.write_bytes(b"")
    _fails(path, r"empty \(0 bytes\)")


def test_text_file(tmp_path):
    path = tmp_path / "notes.mp3"
    path.write_text("this is my choreography, not music\n" * 10)
    _fails(path, "text file, not music")


def test_random_bytes(tmp_path):
    path = tmp_path / "noise.wav"
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    _fails(path, "not a music file pointe can decode.*WAV, FLAC, OGG or MP3")


def test_an_image_is_an_unsupported_format(tmp_path):
    path = tmp_path / "poster.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    _fails(path, "not a music file pointe can decode")


def test_truncated_wav(tmp_path, tune):
    data = tune.path.read_bytes()
    path = tmp_path / "cut.wav"
    path.write_bytes(data[: len(data) // 3])
    _fails(path, "truncated")


def test_silence(tmp_path):
    path = tmp_path / "silence.wav"
    sf.write(path, np.zeros(SR * 20, np.float32), SR)
    _fails(path, "silent")


def test_a_three_second_clip(tmp_path, tune):
    audio, sr = sf.read(tune.path, dtype="float32")
    path = tmp_path / "clip.wav"
    sf.write(path, audio[: 3 * sr], sr)
    _fails(path, r"only 3\.0 s of audio")


def test_a_recording_longer_than_the_limit_is_refused_before_decoding(tmp_path, monkeypatch):
    path = tmp_path / "opera.wav"
    sf.write(path, np.zeros(SR * 12, np.float32) + 0.1, SR)
    monkeypatch.setattr(decoding, "MAX_DURATION_S", 10.0)
    _fails(path, "counts up to")


@pytest.mark.parametrize(("option", "value", "match"), [
    ("meter", "3-4", "look like 3/4"),
    ("bpm", 1000, "between 20 and 320"),
    ("count_unit", "eighth", "beat, half-bar, bar"),
    ("phrase_length", 40, "2 to 32 counts"),
])
def test_bad_corrections_name_the_option(tune, option, value, match):
    with pytest.raises(UsageError, match=match):
        analyze(tune.path, **{option: value})


def test_a_phrase_length_that_is_not_whole_bars(tmp_path):
    path = render_piece(tmp_path, "3/4", 120, bars=12).path
    with pytest.raises(UsageError, match="not a whole number of bars.*try 6 or 12"):
        analyze(path, phrase_length=8)


def test_user_corrections_override_the_analysis(tmp_path):
    piece = render_piece(tmp_path, "4/4", 120, bars=12)
    music_map = analyze(piece.path, meter="3/4", first_downbeat_s=float(piece.beats_s[1]))
    assert music_map.meter == "3/4"
    downbeats = [b.time_s for b in music_map.beats if b.beat_in_bar == 1]
    assert downbeats[0] == pytest.approx(piece.beats_s[1], abs=0.03)
    assert downbeats[1] == pytest.approx(piece.beats_s[4], abs=0.03)
    assert music_map.analysis.corrections["meter"] == "3/4"


def test_feature_cache_gives_the_same_map(tmp_path, tune):
    cache = tmp_path / "cache"
    first = analyze(tune.path, cache_dir=cache)
    assert len(list(cache.glob("*.npz"))) == 1
    assert analyze(tune.path, cache_dir=cache).to_dict() == first.to_dict()
