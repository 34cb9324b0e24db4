"""tracker.visible: control characters shown escaped, JSON kept exact (issue 8)."""

from __future__ import annotations

import ast
import json
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.visible import json_text, pictured, visible

PIECES = st.sampled_from(
    [
        "\x1b]0;title\x07",
        "\x1b]52;c;aGk=\x1b\\",
        "\x1b[2J",
        "\x9b31m",
        "\x9d0;t\x9c",
        "\x7f",
        "\x00",
        "\r",
        "\n",
        "\t",
        "\u202e",
        "e\u0301",
        "\u05e9\u05dc\u05d5\u05dd",
        "👩‍👩‍👧",
        "[/]",
        "\\x1b",
        "\udcff",
    ]
)
#: Any text at all, surrogates included (undecodable bytes in an argument arrive so).
TEXT = st.lists(st.one_of(PIECES, st.text(st.characters(codec=None))), max_size=8).map("".join)


def is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000


def test_each_kind_is_escaped() -> None:
    assert visible("a\x1b]0;x\x07b") == "a\\x1b]0;x\\x07b"
    assert visible("\x9b2J\x7f\x00") == "\\x9b2J\\x7f\\x00"
    assert visible("two\nlines\tand\r") == "two\\x0alines\\x09and\\x0d"
    assert visible("two\nlines\tand\r", multiline=True) == "two\nlines\tand\\x0d"
    assert visible("bad byte \udcff") == "bad byte \\udcff"
    assert visible("Ask [my boss] for a day off") == "Ask [my boss] for a day off"


def test_pictures_keep_one_character_each() -> None:
    assert pictured("\x1b]0;x\x07") == "␛]0;x␇"
    assert pictured("\x7f\x9b\x00") == "␡\ufffd␀"


@settings(max_examples=100)
@given(TEXT)
def test_visible_leaves_no_control_character_and_changes_nothing_else(text: str) -> None:
    shown = visible(text)
    assert not any(is_control(ch) for ch in shown)
    shown.encode("utf-8")  # printable on any UTF-8 terminal (no lone surrogate)
    if not any(is_control(ch) for ch in text):
        assert shown == text
    lines = visible(text, multiline=True)
    assert lines.count("\n") == text.count("\n")
    assert not any(is_control(ch) and ch not in "\n\t" for ch in lines)


@settings(max_examples=100)
@given(TEXT)
def test_pictured_keeps_length_and_shows_no_control(text: str) -> None:
    shown = pictured(text)
    assert len(shown) == len(text)
    assert not any(is_control(ch) for ch in shown)
    for before, after in zip(text, shown, strict=True):
        assert before == after or is_control(before)


@settings(max_examples=100)
@given(st.recursive(st.none() | st.integers() | TEXT, lambda kids: st.lists(kids, max_size=3)))
def test_json_text_is_exact_and_safe(data: object) -> None:
    out = json_text({"value": data})
    assert json.loads(out) == {"value": data}
    assert not any(is_control(ch) and ch != "\n" for ch in out)
    out.encode("utf-8")


def test_json_keeps_readable_text_readable() -> None:
    out = json_text({"t": "café 👩‍👩‍👧 שלום \x7f\x85"}, indent=None)
    assert out == '{"t": "café 👩‍👩‍👧 שלום \\u007f\\u0085"}'
    assert unicodedata.category("\x85") == "Cc"


def test_visible_is_pure() -> None:
    """Both front ends and the exports use it, so it may import only the standard library."""
    path = Path(__file__).resolve().parent.parent / "tracker" / "visible.py"
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    assert names <= {"__future__", "json", "re", "typing"}
