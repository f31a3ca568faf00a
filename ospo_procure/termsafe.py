"""Text from a tender made safe to print, and file names made safe to report.

Document text, comment authors and file names come from whoever wrote the tender. Printed
raw, they can drive the reader's terminal: ANSI colour and clear-screen codes, OSC
sequences that set the window title or write the clipboard (OSC 52), a right-to-left
override that makes "exe.txt" read as "txt.exe", a newline that forges a report line.
`escape` shows every such character as a visible escape (``\\x1b``, ``\\u202e``), always:
a report piped into a file today is `cat`-ed on a terminal tomorrow.

`display_path` renders a file name that is not valid UTF-8 (Python keeps the bad bytes
as lone surrogates) as ``\\xNN``, so every report format can encode it and one odd name
never costs the whole report.
"""

from __future__ import annotations

import os
import re

# C0 controls except tab, DEL, C1 controls (NEL, CSI, OSC...), the bidi embeddings,
# overrides, isolates and marks, line/paragraph separators, and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\x1b"}


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape(text: str) -> str:
    """`text` with every control, bidi-override and escape-sequence character made visible."""
    return _UNSAFE.sub(_escape_char, text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def display_path(path: str | os.PathLike[str]) -> str:
    """A file name every report can carry: undecodable bytes shown as ``\\xNN``.

    Only the bytes that are not UTF-8 change; control characters stay (JSON, XML and HTML
    reporters escape them their own way, the text reporter through `escape`).
    """
    text = os.fspath(path)
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(_escape_char, text)
