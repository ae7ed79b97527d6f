"""`pointe steps`: list, search, show, perform and sheet, with one-line errors."""

import json

import numpy as np

from test_cli import run


def test_list_and_json():
    code, out, _ = run("steps")
    assert code == 0 and "demi-plie" in out and out.strip().endswith("steps")
    code, out, _ = run("steps", "--json", "--search", "tendu")
    entries = json.loads(out)
    assert entries and all("tendu" in (e["name"] + " ".join(e["aliases"])) for e in entries)
    assert {"id", "name", "aliases", "family", "categories", "level", "counts"} <= set(entries[0])


def test_show_prints_the_definition():
    code, out, _ = run("steps", "show", "DEMI PLIE")
    assert code == 0 and "id: demi-plie" in out and "keys:" in out


def test_perform_writes_bvh_glb_and_npz(tmp_path):
    code, out, err = run("steps", "perform", "retire", "--side", "left", "--bpm", "90", "-o",
                         tmp_path)
    assert code == 0, err
    assert (tmp_path / "retire-passe.bvh").read_text().startswith("HIERARCHY")
    assert (tmp_path / "retire-passe.glb").read_bytes()[:4] == b"glTF"
    with np.load(tmp_path / "retire-passe.npz") as data:
        assert data["joints"].shape[1:] == (24, 3)
        assert data["joints"].shape[0] == int(round(2 * 60 / 90 * 60)) + 1


def test_sheet_writes_a_png(tmp_path):
    code, _, err = run("steps", "sheet", "--family", "barre", "-o", tmp_path / "barre.png")
    assert code == 0, err
    assert (tmp_path / "barre.png").read_bytes()[:4] == b"\x89PNG"


def test_errors_are_one_line(tmp_path):
    code, out, err = run("steps", "show", "tendoo")
    assert code == 3 and "unknown step 'tendoo'" in err and len(err.strip().splitlines()) == 1
    code, _, err = run("steps", "perform", "retire", "--side", "middle", "-o", tmp_path)
    assert code == 2 and "--side: expected left or right" in err
    code, _, err = run("steps", "perform", "retire", "-o", tmp_path / "nope")
    assert code == 2 and "no such folder" in err
