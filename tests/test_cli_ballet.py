"""pointe make, compose, check, regenerate and explain, through the real entry point."""

import numpy as np
import pygltflib
import pytest
import yaml

from pointe.cli import demo_music
from test_cli import run


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("made") / "out"
    brief = out.parent / "brief.yaml"
    brief.write_text("themes: [joy]\nstyle: classical\nlevel: advanced\n")
    code, text, err = run("make", demo_music().with_suffix(".mid"), "--dancers", "2",
                          "--seed", "3", "--brief", brief, "--fps", "30", "-o", out)
    assert code == 0, err
    return out


def test_make_writes_everything(made):
    names = sorted(p.name for p in made.iterdir())
    assert names == ["ballet.yaml", "counts.txt", "motion", "music.json"]
    ballet = yaml.safe_load((made / "ballet.yaml").read_text())
    assert [d["name"] for d in ballet["cast"]] == ["Ana", "Bea"]
    assert ballet["music"]["map"] == "music.json"
    motion = sorted(p.name for p in (made / "motion").iterdir())
    assert motion == ["Ana.bvh", "Ana.glb", "Ana.npz", "Bea.bvh", "Bea.glb", "Bea.npz"]
    with np.load(made / "motion" / "Ana.npz") as data:
        assert data["joints"].shape[1:] == (24, 3) and float(data["fps"]) == 30
        frames = len(data["joints"])
    glb = pygltflib.GLTF2.load_binary(str(made / "motion" / "Ana.glb"))
    assert len(glb.skins[0].joints) == 24 and glb.animations[0].name == "Ana"
    assert glb.accessors[glb.animations[0].samplers[0].input].count == frames
    sheet = (made / "counts.txt").read_text()
    assert "1.1" in sheet and " | " in sheet and "Cast: Ana (soloist), Bea (soloist)" in sheet


def test_check_and_explain(made):
    code, out, err = run("check", made / "ballet.yaml")
    assert code == 0 and "ok (" in out, err
    code, out, _ = run("explain", made / "ballet.yaml", "--phrase", "1.1")
    assert code == 0 and out.startswith("1.1 motif") and "- music: section A" in out
    code, out, _ = run("explain", made / "ballet.yaml")
    assert code == 0 and "Section 1 (A)" in out


def test_check_reports_every_problem_and_exits_3(made, tmp_path):
    text = (made / "ballet.yaml").read_text()
    bad = tmp_path / "ballet.yaml"
    (tmp_path / "music.json").write_text((made / "music.json").read_text())
    first = yaml.safe_load(text)["sections"][0]["phrases"][0]["dance"]
    bad.write_text(text.replace(first.split(" | ")[0], "1 glisade R", 1))
    code, _, err = run("check", bad)
    assert code == 3 and "unknown step 'glisade'" in err and "phrase 1.1" in err


def test_regenerate_keeps_history_and_locks(made, tmp_path):
    ballet = tmp_path / "ballet.yaml"
    (tmp_path / "music.json").write_text((made / "music.json").read_text())
    ballet.write_text((made / "ballet.yaml").read_text())
    before = ballet.read_text()
    code, out, err = run("regenerate", ballet, "--phrase", "1.3", "--seed", "11")
    assert code == 0, err
    assert (tmp_path / ".ballet.yaml.history" / "0001.yaml").read_text() == before
    assert ballet.read_text() != before
    code, out, err = run("check", ballet)
    assert code == 0, err
    code, _, err = run("regenerate", ballet, "--phrase", "1.3", "--section", "1")
    assert code == 2 and "exactly one of" in err
    code, _, err = run("regenerate", ballet, "--phrase", "9.9")
    assert code == 2 and "no section 9" in err


def test_compose_prints_yaml(tmp_path, made):
    code, out, err = run("compose", made / "music.json", "--seed", "1")
    assert code == 0, err
    data = yaml.safe_load(out)
    assert data["schema"] == "pointe.choreography/1" and data["sections"]


@pytest.mark.parametrize("args, code, match", [
    (["compose", "--dancers", "13"], 2, "1 to 12 dancers"),
    (["check", "nope.yaml"], 3, "no such file"),
    (["compose", "--brief", "nope.yaml"], 3, "no such file"),
])
def test_errors_are_one_line(args, code, match):
    got, _, err = run(*args)
    assert got == code and match in err and err.count("\n") == 1


def test_make_into_a_path_through_a_file_is_one_line_before_any_work(tmp_path):
    (tmp_path / "motion").write_text("not a folder")
    got, _, err = run("make", "-o", str(tmp_path / "motion" / "out"))
    assert got == 2 and "is a file, not a folder" in err and err.count("\n") == 1
    got, _, err = run("make", "-o", str(tmp_path / "motion"))
    assert got == 2 and "it is a file" in err and err.count("\n") == 1


def test_video_of_a_composed_ballet(tmp_path):
    import imageio_ffmpeg

    out = tmp_path / "b"
    code, _, err = run("make", "--seed", "1", "--fps", "30", "-o", out)
    assert code == 0, err
    assert (out / "preview.html").stat().st_size > 500_000  # viewer + music + motion
    html = tmp_path / "p.html"
    code, _, err = run("preview", out / "ballet.yaml", "-o", html)
    assert code == 0, err
    assert html.read_bytes() == (out / "preview.html").read_bytes()
    mp4 = tmp_path / "r.mp4"
    code, _, err = run("video", out / "ballet.yaml", "--size", "320x180", "--start", "2",
                       "--end", "4", "--view", "top", "-o", mp4)
    assert code == 0, err
    reader = imageio_ffmpeg.read_frames(str(mp4))
    meta = next(reader)
    frames = sum(1 for _ in reader)
    assert meta["size"] == (320, 180) and frames == 60
    code, _, err = run("video", out / "ballet.yaml", "--size", "320x181", "-o", mp4)
    assert code == 2 and "even sizes" in err


def test_video_and_preview_need_audio(made):
    code, _, err = run("video", made / "ballet.yaml", "-o", made.parent / "x.mp4")
    assert code == 2 and "is a score" in err
    code, _, err = run("preview", made / "ballet.yaml", "-o", made.parent / "x.html")
    assert code == 2 and "is a score" in err
    assert not (made / "preview.html").exists()
