"""The pointe command line: output, files, and one-line errors with non-zero exits."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "music"))
from made import write_midi  # noqa: E402

from pointe import cli  # noqa: E402


def run(*args, monkeypatch=None):
    """Run ``pointe ARGS`` in-process through the real entry point; (exit code, out, err)."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    out, err = io.StringIO(), io.StringIO()
    old = sys.argv
    sys.argv = ["pointe", *map(str, args)]
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            cli.main()
    except SystemExit as exc:
        code = exc.code or 0
    finally:
        sys.argv = old
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def march(tmp_path):
    path = tmp_path / "march.mid"
    write_midi(path, meter=(2, 4), bpm=120, bars=16)
    return path


def test_counts_prints_the_count_sheet(march):
    code, out, err = run("counts", march)
    assert code == 0, err
    assert "march.mid" in out
    assert "2/4" in out


def test_counts_json_is_the_music_map(march):
    code, out, _ = run("counts", march, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "pointe.musicmap/1"
    assert len(data["counts"]) == 32


def test_counts_writes_files(tmp_path, march):
    code, _, err = run("counts", march, "-o", tmp_path / "counts.txt", "--map",
                       tmp_path / "music.json", "--png", tmp_path / "wall.png", "--html",
                       tmp_path / "wall.html")
    assert code == 0, err
    assert (tmp_path / "counts.txt").read_text().strip()
    assert json.loads((tmp_path / "music.json").read_text())["meter"] == "2/4"
    assert (tmp_path / "wall.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (tmp_path / "wall.html").read_text() or "<img" in (
        tmp_path / "wall.html").read_text()


def test_corrections_on_the_command_line(march):
    code, out, _ = run("counts", march, "--json", "--meter", "4/4", "--phrase-length", "4")
    assert code == 0
    data = json.loads(out)
    assert data["meter"] == "4/4" and data["phrase_length"] == 4


@pytest.mark.parametrize(("args", "code", "match"), [
    (["counts", "missing.ogg"], 2, "missing.ogg: no such file"),
    (["counts", "{march}", "--count-unit", "quaver"], 2, "--count-unit: expected one of"),
    (["counts", "{march}", "--phrase-length", "7"], 2, "not a whole number of bars"),
])
def test_errors_are_one_line_and_non_zero(march, args, code, match):
    got, out, err = run(*[a.format(march=march) for a in args])
    assert got == code
    assert match in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and out == ""


def test_a_failed_output_leaves_no_file(tmp_path, march):
    target = tmp_path / "no-such-folder" / "counts.txt"
    code, _, err = run("counts", march, "-o", target)
    assert code != 0 and "does not exist" in err
    assert not target.exists()


def test_python_dash_m_and_help():
    result = subprocess.run([sys.executable, "-m", "pointe", "counts", "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    for option in ("--json", "--meter", "--bpm", "--first-downbeat", "--count-unit",
                   "--phrase-length", "--html", "--png", "--map"):
        assert option in result.stdout
    assert "Example:" in result.stdout
