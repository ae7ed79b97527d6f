"""The count sheet: exact text, every count in its column at its time, the JSON form."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pointe.music.model import MusicMap
from pointe.score.countsheet import clock, clock_whole, render, render_json

WALTZ_SHEET = """\
Waltz in A minor - count sheet
file      music/waltz-in-a-minor.wav
duration  0:44
meter     3/4
tempo     ~180 bpm (~60 counts a minute)
counting  one count per bar
phrases   8 counts; intro + 5 phrases (phrase 4 has 6 counts)

phrase  section  bars    start |       1       2       3       4       5       6       7       8
------------------------------------------------------------------------------------------------
 intro  A        1-4    0:00.5 |                                  0:00.5  0:01.5  0:02.5  0:03.5
------------------------------------------------------------------------------------------------
     1  A        5-12   0:04.5 |  0:04.5  0:05.5  0:06.5  0:07.5  0:08.5  0:09.5  0:10.5  0:11.5
     2           13-20  0:12.5 |  0:12.5  0:13.5  0:14.5  0:15.5  0:16.5  0:17.5  0:18.5  0:19.6
------------------------------------------------------------------------------------------------
     3  B        21-28  0:20.7 |  0:20.7  0:21.6  0:22.6  0:23.6  0:24.5  0:25.5  0:26.4  0:27.4
     4           29-34  0:28.4 |  0:28.4  0:29.3  0:30.3  0:31.2  0:32.2  0:33.2
------------------------------------------------------------------------------------------------
     5  A′       35-42  0:34.3 |  0:34.3  0:35.3  0:36.3  0:37.3  0:38.3  0:39.3  0:40.3  0:41.4

sections
  A   0:00.5-0:20.7  phrases intro, 1-2  moderate, soft, lilting
  B   0:20.7-0:34.3  phrases 3-4         brisk, loud, bright
  A′  0:34.3-0:42.5  phrase 5            moderate, soft, warm
"""


def test_the_waltz_sheet_is_exactly_this(waltz: MusicMap) -> None:
    assert render(waltz) == WALTZ_SHEET


def test_the_same_map_gives_the_same_text(waltz: MusicMap, make_map) -> None:
    assert render(waltz) == render(make_map([("A", 4), ("A", 8), ("A", 8), ("B", 8), ("B", 6),
                                              ("A′", 8)]))


def _table_lines(text: str) -> tuple[str, dict[str, str]]:
    """The column header and each phrase's row, by the name in its first column."""
    lines = text.splitlines()
    head = next(line for line in lines if line.startswith("phrase  "))
    rows = {}
    for line in lines[lines.index(head) + 1:]:
        if not line:
            break
        if not line.startswith("-"):
            rows[line[:6].strip()] = line
    return head, rows


def _assert_every_count_in_its_column(music_map: MusicMap, text: str) -> None:
    head, rows = _table_lines(text)
    bar = head.index("|")
    # Where each count number's column ends in the header: the times end there too.
    ends = {}
    for position in range(bar, len(head)):
        if head[position].isdigit() and (position + 1 == len(head) or head[position + 1] == " "):
            start = position
            while head[start - 1].isdigit():
                start -= 1
            ends[int(head[start:position + 1])] = position + 1
    assert sorted(ends) == list(range(1, len(ends) + 1))
    assert set(rows) == {"intro" if p.number == 0 else str(p.number) for p in music_map.phrases}
    for count in music_map.counts:
        row = rows["intro" if count.phrase == 0 else str(count.phrase)]
        end = ends[count.number]
        time = clock(count.time_s)
        assert row[end - len(time):end] == time, (count, row)
        assert row[end - len(time) - 1] == " "
    for phrase in music_map.phrases:
        row = rows["intro" if phrase.number == 0 else str(phrase.number)]
        filled = [n for n, e in ends.items() if row[e - 1:e].strip()]
        assert len(filled) == phrase.length_counts


def test_every_phrase_and_count_appears_with_its_time(waltz: MusicMap) -> None:
    _assert_every_count_in_its_column(waltz, render(waltz))


def test_the_intro_counts_line_up_under_5_6_7_8(waltz: MusicMap) -> None:
    head, rows = _table_lines(render(waltz))
    intro, first = rows["intro"], rows["1"]
    assert head.index("5") < len(intro)
    cells = intro.split("|")[1].split()
    assert cells == ["0:00.5", "0:01.5", "0:02.5", "0:03.5"]
    # Count 5 of the intro and count 5 of phrase 1 end in the same column.
    assert intro.index("0:00.5", intro.index("|")) == first.index("0:08.5")


def test_sections_change_visibly(long_waltz: MusicMap) -> None:
    text = render(long_waltz)
    head, rows = _table_lines(text)
    labelled = {name: row[8:17].strip() for name, row in rows.items() if row[8:17].strip()}
    assert labelled == {"intro": "A", "1": "A", "5": "B", "9": "A′", "13": "C", "17": "B′",
                        "21": "A″"}
    table = text[text.index(head):text.index("\nsections")]
    # A rule under the header, after the intro and before each of the five section changes.
    assert sum(line.startswith("---") for line in table.splitlines()) == 7


def test_the_legend_gives_each_section_its_character(long_waltz: MusicMap) -> None:
    legend = render(long_waltz).split("\nsections\n")[1].splitlines()
    assert [line.split()[0] for line in legend] == ["A", "B", "A′", "C", "B′", "A″"]
    assert legend[3].endswith("phrases 13-16       slow, soft, dark")


def test_without_bar_numbers_the_bars_column_goes(waltz: MusicMap) -> None:
    text = render(waltz, bar_numbers=False)
    head, rows = _table_lines(text)
    assert "bars" not in head
    assert "5-12" not in rows["1"]
    assert len(head) == len(_table_lines(render(waltz))[0]) - len("bars   ")
    _assert_every_count_in_its_column(waltz, text)


@pytest.mark.parametrize(
    ("plan", "options", "columns", "width"),
    [
        (((("A", 4), ("A", 8), ("B", 8))), {}, 8, 100),
        ((("A", 2), ("A", 8), ("B", 8)), {"meter": "6/8", "beats_per_bar": 2,
                                         "count_unit": "half-bar", "bar_s": 1.2}, 8, 100),
        ((("A", 8), ("A", 12), ("B", 12)), {"meter": "4/4", "beats_per_bar": 4,
                                           "count_unit": "beat", "phrase_length": 12,
                                           "bar_s": 2.0}, 12, 120),
    ],
    ids=["waltz-by-bar", "six-eight-by-half-bar", "four-four-by-beat-in-twelves"],
)
def test_meters_and_phrase_lengths_fit_the_page(plan, options, columns, width, make_map) -> None:
    music_map = make_map(plan, **options)
    text = render(music_map)
    head, _ = _table_lines(text)
    assert head.rstrip().endswith(f" {columns}")
    assert max(len(line) for line in text.splitlines()) <= width
    _assert_every_count_in_its_column(music_map, text)


def test_the_header_says_how_the_music_is_counted(make_map) -> None:
    music_map = make_map((("A", 8), ("A", 12)), meter="4/4", beats_per_bar=4,
                          count_unit="beat", phrase_length=12, bar_s=2.0)
    header = render(music_map).split("\n\n")[0].splitlines()
    assert header[4:] == [
        "tempo     ~120 bpm",
        "counting  one count per beat",
        "phrases   12 counts; intro + 1 phrase",
    ]


def test_an_uncounted_map_still_renders(waltz: MusicMap) -> None:
    empty = dataclasses.replace(waltz, counts=(), phrases=(), sections=(), tempo=())
    text = render(empty)
    assert "tempo     unknown" in text
    assert "(no phrases: the music has not been counted)" in text
    assert "sections" not in text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    intro=st.integers(min_value=1, max_value=8),
    phrases=st.lists(
        st.tuples(st.sampled_from(["A", "B", "A′", "C"]), st.sampled_from([4, 6, 8, 8, 8])),
        min_size=1, max_size=10,
    ),
    bar_s=st.floats(min_value=0.4, max_value=3.0),
)
def test_any_plan_puts_every_count_in_its_column(make_map, intro, phrases, bar_s) -> None:
    music_map = make_map((("A", intro), *phrases), bar_s=bar_s, envelope_hz=4.0)
    text = render(music_map)
    _assert_every_count_in_its_column(music_map, text)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert text.endswith("\n") and not text.endswith("\n\n")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.0, "0:00.0"), (4.46, "0:04.5"), (4.44, "0:04.4"), (59.96, "1:00.0"), (125.0, "2:05.0"),
     (3599.95, "60:00.0")],
)
def test_clock(seconds: float, text: str) -> None:
    assert clock(seconds) == text


@pytest.mark.parametrize(
    ("lengths", "words"),
    [
        ((8, 8, 8), "8 counts; intro + 3 phrases"),
        ((8, 6, 8), "8 counts; intro + 3 phrases (phrase 2 has 6 counts)"),
        ((4, 4, 4, 8, 6),
         "8 counts; intro + 5 phrases (4 counts: phrases 1-3; 6 counts: phrase 5)"),
        ((4, 6) * 8, "8 counts; intro + 16 phrases (16 phrases are not 8 counts)"),
    ],
)
def test_the_header_names_the_odd_phrases(make_map, lengths, words) -> None:
    music_map = make_map((("A", 4), *(("A", n) for n in lengths)), envelope_hz=4.0)
    assert f"\nphrases   {words}\n" in render(music_map)


def test_clock_whole() -> None:
    assert [clock_whole(t) for t in (0.0, 43.6, 43.4, 59.6, 195.0)] == [
        "0:00", "0:44", "0:43", "1:00", "3:15"]


def test_json_is_the_versioned_form_in_schema_order(waltz: MusicMap) -> None:
    text = render_json(waltz)
    assert text.endswith("}\n")
    assert text == json.dumps(waltz.to_dict(), indent=2, ensure_ascii=False) + "\n"
    assert '"section": "A′"' in text  # UTF-8, not \u2032
    assert list(json.loads(text))[:4] == ["schema", "source", "duration", "meter"]
    assert MusicMap.from_dict(json.loads(text)) == waltz


def test_json_round_trips_a_long_map(long_waltz: MusicMap) -> None:
    assert MusicMap.from_dict(json.loads(render_json(long_waltz))) == long_waltz


@pytest.mark.parametrize("function", [render, render_json])
def test_a_wrong_argument_is_named(function) -> None:
    with pytest.raises(TypeError, match=r"needs a MusicMap \(not dict\).*from_dict"):
        function({"schema": "pointe.musicmap/1"})


def test_the_long_waltz_is_what_the_fixture_says(long_waltz: MusicMap) -> None:
    assert len(long_waltz.phrases) == 25
    assert clock_whole(long_waltz.duration_s) == "3:15"
