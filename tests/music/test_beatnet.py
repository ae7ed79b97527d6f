"""The beat network: shipped weights, exact arithmetic, determinism, clear errors, real beats."""

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from made import SR, f_measure, render_piece

from pointe.errors import MusicError
from pointe.music import beatnet, dbn
from pointe.music import features as feats


def _logmel(path):
    import soundfile

    audio, sr = soundfile.read(path, dtype="float32")
    return feats.extract([audio], sr=sr)


def test_the_weights_ship_in_the_package_small_and_permissive():
    path = beatnet.weights_path()
    assert path.exists()
    assert path.stat().st_size < 5_000_000
    model = beatnet.load()
    assert model.meta["schema"] == beatnet.SCHEMA
    assert model.meta["licence"] == "MIT"
    assert len(model.members) >= 2
    for member in model.members:
        assert member.meta["schema"] == beatnet.NETWORK_SCHEMA
        assert member.meta["licence"] == "MIT"
        assert member.meta["trained"]["device"] in ("cpu", "cuda")
    assert model.receptive_field > 20 * 86  # it hears more than 20 seconds either side


def _members(tmp_path) -> list[Path]:
    """The shipped ensemble cut back into one file a network, as training/train.py writes them."""
    with np.load(beatnet.weights_path()) as data:
        meta = json.loads(str(data["meta"]))
        paths = []
        for i, member in enumerate(meta["members"]):
            prefix = f"m{i}_"
            arrays = {k[len(prefix):]: data[k] for k in data.files if k.startswith(prefix)}
            paths.append(tmp_path / f"member{i}.npz")
            np.savez(paths[-1], meta=np.array(json.dumps(member)), **arrays)
    return paths


def test_the_ensemble_is_the_mean_of_its_networks_and_joins_back_byte_for_byte(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))
    import ensemble  # training/ensemble.py

    members = _members(tmp_path)
    logmel = np.random.default_rng(0).normal(-3.0, 1.0, size=(600, 64)).astype(np.float32)
    each = [beatnet.activations(logmel, beatnet.load(str(path))) for path in members]
    np.testing.assert_allclose(beatnet.activations(logmel), np.mean(each, axis=0), atol=1e-6)
    assert not np.allclose(each[0], each[1], atol=1e-3)  # the networks differ
    shipped = str(beatnet.weights_path())
    for i, spec in enumerate((members, [f"{shipped}:{i}" for i in range(len(members))])):
        joined = tmp_path / f"joined{i}.npz"
        ensemble.join(spec, joined)
        with np.load(joined) as a, np.load(shipped) as b:
            assert sorted(a.files) == sorted(b.files)
            for key in a.files:
                assert a[key].tobytes() == b[key].tobytes(), key


def test_convolution_is_torchs_conv1d_with_zero_padding():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 40)).astype(np.float32)
    w = rng.normal(size=(2, 3, 5)).astype(np.float32)
    b = rng.normal(size=2).astype(np.float32)
    got = beatnet._conv(x, w, b, dilation=4)
    padded = np.pad(x, ((0, 0), (8, 8)))
    want = np.array([[b[o] + sum(w[o, i, j] * padded[i, t + 4 * j]
                                 for i in range(3) for j in range(5)) for t in range(40)]
                     for o in range(2)])
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_activations_are_deterministic_and_probabilities(tmp_path):
    piece = render_piece(tmp_path, "3/4", 120, bars=8)
    logmel = _logmel(piece.path).logmel
    first = beatnet.activations(logmel)
    second = beatnet.activations(logmel.copy())
    assert first.tobytes() == second.tobytes()
    assert first.shape == (len(logmel), 4)
    assert 0.0 <= first.min() and first.max() <= 1.0
    assert len(beatnet.activations(np.zeros((0, 64), np.float16))) == 0


@pytest.mark.parametrize(("meter", "bpm"), [("2/4", 100), ("3/4", 108), ("6/8", 76)])
def test_the_network_hears_the_beats_and_downbeats_of_piano_fixtures(tmp_path, meter, bpm):
    piece = render_piece(tmp_path, meter, bpm, bars=16)
    features = _logmel(piece.path)
    act = beatnet.activations(features.logmel)
    beats = dbn.track_beats(act[:, :2].max(axis=1), features.fps)
    assert f_measure(beats.times_s, piece.beats_s) >= 0.95
    probability = dbn.downbeat_probability(act, beats.times_s, features.fps)
    places = dbn.place_in_bars(probability)
    downbeats = beats.times_s[places.positions == 1]
    assert f_measure(downbeats, piece.downbeats_s) >= 0.9


def test_the_network_hears_a_click_track_with_accented_ones(tmp_path):
    import soundfile

    from pointe.music import synth

    beats = 0.8 + np.arange(48) * 60.0 / 108.0
    ones = np.arange(48) % 3 == 0
    path = tmp_path / "clicks.wav"
    soundfile.write(path, synth.click_track(beats, sr=SR, accents=ones), SR)
    features = _logmel(path)
    act = beatnet.activations(features.logmel)
    found = dbn.track_beats(act[:, :2].max(axis=1), features.fps)
    assert f_measure(found.times_s, beats) >= 0.95


def test_a_missing_weights_file_is_named_with_the_fix(tmp_path):
    with pytest.raises(MusicError) as err:
        beatnet.load(str(tmp_path / "beatnet.npz"))
    assert "beatnet.npz" in str(err.value) and "missing" in str(err.value)
    assert "reinstall" in err.value.fix


def test_a_corrupt_weights_file_is_refused_clearly(tmp_path):
    broken = tmp_path / "beatnet.npz"
    broken.write_bytes(beatnet.weights_path().read_bytes()[:5000])
    with pytest.raises(MusicError) as err:
        beatnet.load(str(broken))
    assert "cannot be read" in err.value.problem
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip at all" * 100)
    with pytest.raises(MusicError, match="cannot be read"):
        beatnet.load(str(garbage))


def test_weights_of_another_schema_or_missing_layers_are_refused(tmp_path):
    with np.load(beatnet.weights_path()) as data:
        arrays = {key: data[key] for key in data.files}
    meta = json.loads(str(arrays.pop("meta")))
    other = tmp_path / "other.npz"
    np.savez(other, meta=np.array(json.dumps({**meta, "schema": "someone-else/9"})), **arrays)
    with pytest.raises(MusicError, match="schema"):
        beatnet.load(str(other))
    partial = tmp_path / "partial.npz"
    del arrays["m1_dil3_w"]
    np.savez(partial, meta=np.array(json.dumps(meta)), **arrays)
    with pytest.raises(MusicError, match="m1_dil3_w"):
        beatnet.load(str(partial))
    empty = tmp_path / "empty.npz"
    np.savez(empty, meta=np.array(json.dumps({**meta, "members": []})), **arrays)
    with pytest.raises(MusicError, match="names no networks"):
        beatnet.load(str(empty))


def test_counting_a_file_with_missing_weights_exits_with_the_message(tmp_path, monkeypatch):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from test_cli import run

    piece = render_piece(tmp_path, "2/4", 100, bars=8)
    monkeypatch.setattr(beatnet, "weights_path", lambda: tmp_path / "gone.npz")
    beatnet.load.cache_clear()
    try:
        code, out, err = run("counts", piece.path, "--no-cache", "--tracker", "network")
    finally:
        beatnet.load.cache_clear()
    assert code == 2 and not out
    assert "gone.npz" in err and "weights file is missing" in err and "reinstall" in err
    assert "Traceback" not in err


def test_counts_with_the_network_through_the_command(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from test_cli import run

    piece = render_piece(tmp_path, "2/4", 100, bars=12)
    code, out, _ = run("counts", piece.path, "--no-cache", "--tracker", "network", "--json")
    assert code == 0
    found = json.loads(out)
    assert found["analysis"]["tracker"] == "pointe-beatnet/2"
    assert found["meter"] == "2/4"
    beats = np.array([b["time"] for b in found["beats"]])
    assert f_measure(beats, piece.beats_s) >= 0.95
    code, _, err = run("counts", piece.path, "--no-cache", "--tracker", "neural")
    assert code == 2 and "--tracker" in err and "tempogram" in err


def test_the_network_counts_the_bundled_demo_as_its_score_says():
    """The demo (a Mozart menuetto rendered to audio) is held out of training."""
    from importlib import resources

    from pointe.music import analyze

    demo = Path(str(resources.files("pointe") / "data" / "demo"))
    truth = json.loads((demo / "demo.truth.json").read_text())
    music_map = analyze(demo / "demo.ogg", tracker="network")
    assert music_map.meter == truth["meter"] == "3/4"
    beats = np.array([b["time"] for b in truth["beats"]])
    ones = np.array([b["time"] for b in truth["beats"] if b["beat_in_bar"] == 1])
    found = np.array([b.time_s for b in music_map.beats])
    found_ones = np.array([b.time_s for b in music_map.beats if b.beat_in_bar == 1])
    assert f_measure(found, beats) >= 0.95
    assert f_measure(found_ones, ones) >= 0.95


def test_weights_with_other_outputs_are_refused(tmp_path):
    with np.load(beatnet.weights_path()) as data:
        arrays = {key: data[key] for key in data.files}
    meta = arrays.pop("meta")
    arrays["m0_head_w"], arrays["m0_head_b"] = arrays["m0_head_w"][:2], arrays["m0_head_b"][:2]
    two = tmp_path / "two.npz"
    np.savez(two, meta=meta, **arrays)
    with pytest.raises(MusicError, match="answers 2 things"):
        beatnet.load(str(two))


def test_a_long_piece_run_in_windows_gets_the_same_answer(tmp_path, monkeypatch):
    piece = render_piece(tmp_path, "3/4", 120, bars=48)
    logmel = _logmel(piece.path).logmel
    whole = beatnet.activations(logmel)
    monkeypatch.setattr(beatnet, "WINDOW", 700)  # windows far shorter than the network's reach
    windowed = beatnet.activations(logmel)
    assert len(logmel) > 3 * 700
    np.testing.assert_allclose(windowed, whole, atol=1e-5)
