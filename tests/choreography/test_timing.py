import pytest
from hypothesis import given
from hypothesis import strategies as st

from pointe.choreography.timing import format_span, label, parse_label, parse_span


@pytest.mark.parametrize("text, tick", [("1", 0), ("1&", 2), ("1+", 2), ("1e", 1), ("a2", 3),
                                        ("7&", 26), ("a8", 27), ("7a", 27), ("8", 28)])
def test_labels_are_quarter_counts(text, tick):
    assert parse_label(text)[0] == tick


@pytest.mark.parametrize("text, span", [("5", (16, 4)), ("2-3", (4, 8)), ("7&-8", (26, 6)),
                                        ("1+1.5", (0, 6)), ("7&", (26, 2)), ("a8", (27, 1)),
                                        ("5-8", (16, 16))])
def test_spans(text, span):
    assert parse_span(text) == span
    assert format_span(*span) == text.replace("7a", "a8")


@given(st.integers(0, 63), st.integers(1, 64))
def test_every_span_prints_and_parses_back(start, length):
    assert parse_span(format_span(start, length)) == (start, length)
    assert parse_label(label(start))[0] == start


@pytest.mark.parametrize("text, match", [("0", "start at 1"), ("a1", "phrase before"),
                                         ("x", "not a count"), ("3-2", "ends before"),
                                         ("1+0", "positive")])
def test_bad_counts_say_what_to_write(text, match):
    with pytest.raises(ValueError, match=match):
        parse_span(text)
