"""Text from a person or a file, made safe to show on a terminal. Pure: no I/O.

Stored text stays exactly as typed or imported; only what is shown changes. A
terminal acts on control characters (an escape sequence can set the window title,
write the clipboard or clear the screen), so every front end shows them escaped:

- `visible` for display: C0 controls, DEL, C1 controls and lone surrogates become
  visible `\\xNN` (`\\udcNN` for a surrogate). Newline and tab stay where a field is
  multi-line.
- `pictured` for an input being edited, where each character must stay one
  character: C0 and DEL as their Unicode control pictures (␛, ␡), the rest as �.
- `json_text` for JSON: exact text, with DEL, C1 and lone surrogates written as
  `\\u007f`-style escapes (C0 already is), so JSON printed to a terminal is safe too.

Used by the command line (tracker/cli.py), the app (tracker/ui/text.py) and the
exports (tracker/store/transfer.py).
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Everything a terminal may act on: C0, DEL, C1, and surrogates (undecodable bytes).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
#: What json.dumps(ensure_ascii=False) leaves raw that a terminal may act on.
_JSON_RAW = re.compile("[\x7f-\x9f\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character shown as `\\xNN`; `multiline` keeps
    newlines and tabs."""
    pattern = _CONTROL_BUT_LINES if multiline else _CONTROL
    return pattern.sub(_escape, text)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def pictured(text: str) -> str:
    """`text` with each control character replaced by one visible character."""
    return _CONTROL.sub(_picture, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """`data` as JSON, keeping text exact (non-ASCII stays readable) with nothing in it
    that a terminal would act on."""
    # Outside strings JSON is plain ASCII, so these characters can only sit inside a
    # string, where their \\u escape means the same character.
    return _JSON_RAW.sub(_json_escape, json.dumps(data, indent=indent, ensure_ascii=False))
