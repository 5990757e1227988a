"""A large JSON array cut into runs of whole elements, each decodable on its own.

Why: a streaming event parser (ijson) builds every message as a dict of Python objects, which
is most of what reading a million-message export costs. Exporters write their message array one
element per line or pretty-printed with a fixed indent (Telegram Desktop), and a raw newline can
never stand inside a JSON string, so the line that opens an element at the array's own indent
marks a place where the array can be cut. A cut is not trusted: every run is decoded as an array
of its own, and a cut at the wrong depth leaves a bracket unclosed, which the decoder refuses. The
caller then goes on from that element with the streaming parser (`complete` stays false), so an
export in any other layout, a truncated one or a corrupt one is read exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

import msgspec

BLOCK = 1 << 17  # bytes read at a time: about 500 messages; larger runs left more memory behind (1 MB: +10-40 MB peak)
_MAX_RUN = 64 << 20  # no element boundary in this many bytes: not a line-per-element layout
_HEAD_MAX = 1 << 20  # the top-level members before the array are short (name, type, id)
_TOP = msgspec.json.Decoder(dict)


class ArrayRuns:
    """Iterate the runs of the top-level array `key` as `b"[...]"` byte strings.

    `complete` is true once the whole array was cut and its closing bracket found. A caller
    that stops early (a run its decoder refused) counts the elements it took, which is where the
    streaming parser picks up.
    """

    def __init__(self, fh: IO[bytes], key: str) -> None:
        self.fh = fh
        self.key = key
        self.complete = False

    def __iter__(self) -> Iterator[bytes]:
        head = self.fh.read(_HEAD_MAX)
        start = self._array_start(head)
        if start is None:
            return
        indent = self._indent(head, start)
        if indent is None:
            return
        opener = b"\n" + indent + b"{"
        rest = head[start:]
        while True:
            more = self.fh.read(BLOCK)
            block = rest + more if more else rest
            cut = _last_cut(block, opener) if more else -1
            if cut < 0:
                if not more:
                    last = _closed(block)
                    if last is None:
                        return
                    if last.strip():
                        yield b"[" + last + b"]"
                    self.complete = True
                    return
                if len(block) > _MAX_RUN:
                    return
                rest = block
                continue
            yield b"[" + block[:cut] + b"]"
            rest = block[cut + 1:]

    def _array_start(self, head: bytes) -> int | None:
        """Offset just past the `[` of the top-level array `key`, or None.

        The key is found as a token (an unescaped quote before it) followed by `:` and `[`; what
        comes before it must close into an object with the array empty, which proves the key is a
        top-level member rather than one inside a nested value.
        """
        pattern = re.compile(rb'"' + re.escape(self.key.encode()) + rb'"\s*:\s*\[')
        for found in pattern.finditer(head):
            prefix = head[:found.start()]
            try:
                top = _TOP.decode(prefix + b'"' + self.key.encode() + b'": []}')
            except msgspec.DecodeError:
                continue
            if top.get(self.key) == []:
                return found.end()
        return None

    @staticmethod
    def _indent(head: bytes, start: int) -> bytes | None:
        """The whitespace before the first element on its line; None if the array is empty, on
        one line (minified), or not indented with blanks."""
        m = re.compile(rb"[ \t\r]*\n([ \t]*)\{").match(head, start)
        return m.group(1) if m else None


def _last_cut(block: bytes, opener: bytes) -> int:
    """Offset of the comma that ends the last whole element in `block`, or -1.

    The last line opening an element at the array's indent is found; the text before it, less
    blanks, must end with a comma (the separator between two elements).
    """
    at = block.rfind(opener)
    while at > 0:
        lo = max(0, at - 256)  # the end of the line before: a few blanks and the comma
        before = block[lo:at].rstrip()
        if before.endswith(b","):
            return lo + len(before) - 1
        at = block.rfind(opener, 0, at)
    return -1


def _closed(tail: bytes) -> bytes | None:
    """The elements of the array's last run, without its closing `]` and the object's `}`; None
    when the file does not end that way (cut short, or more members after the array)."""
    body = tail.rstrip()
    if not body.endswith(b"}"):
        return None
    body = body[:-1].rstrip()
    if not body.endswith(b"]"):
        return None
    return body[:-1]
