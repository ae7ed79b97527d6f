"""Files are written whole or not at all, and a place that cannot be written says so."""

import pytest

from pointe.errors import ExportError
from pointe.fileio import write_bytes, write_text


def test_a_file_is_written_whole(tmp_path):
    write_text(tmp_path / "a.txt", "première\n")
    write_bytes(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "première\n"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]


@pytest.mark.parametrize("write, data", [(write_text, "x"), (write_bytes, b"x")])
def test_a_place_that_cannot_be_written_names_itself_and_leaves_nothing(tmp_path, write, data):
    (tmp_path / "taken").mkdir()
    with pytest.raises(ExportError, match="taken: cannot write there"):
        write(tmp_path / "taken", data)  # a folder stands where the file would go
    with pytest.raises(ExportError, match="does not exist"):
        write(tmp_path / "nowhere" / "f", data)
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]  # no temporary file left behind
