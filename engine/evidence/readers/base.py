"""What every reader shares: problems, the aggregate record, decoding, JSON streaming.

Readers never print and never stop at the first bad record: a problem is handed to a callback
as a `ReadProblem` (file, where, code, params) and reading goes on; only a file that cannot be
read at all raises `ExportError`.
"""

from __future__ import annotations

import codecs
import io
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import IO, Any

from ...errors import QunceError

from ijson.common import IncompleteJSONError, JSONError, ObjectBuilder

try:  # the C backend is an order of magnitude faster; the pure-Python one still streams
    import ijson.backends.yajl2_c as ijson
except ImportError:  # pragma: no cover - depends on the platform's wheel
    import ijson  # type: ignore[no-redef]

JSON_BACKEND = getattr(ijson, "backend", "python")

UTC = timezone.utc


class ExportError(QunceError):
    """A chat export could not be read at all (missing, unknown layout, unreadable bytes)."""


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """One located problem met while reading; reading went on after it.

    `where` is `line N` for text and CSV, a JSON pointer (`/messages/1234`) for JSON.
    `severity` is "warning" (data read, with a caveat) or "error" (data lost from here).
    """

    file: str
    where: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "where": self.where, "code": self.code,
                "params": dict(self.params), "severity": self.severity}


OnProblem = Callable[[ReadProblem], None]


@dataclass(frozen=True, slots=True)
class GroupDay:
    """One day of one group from an aggregate statistics export (企业微信 群统计).

    These are counts, not messages: the store keeps them in a table of their own.
    """

    platform: str
    source: str
    group_id: str
    group_name: str | None
    day: date
    new_members: int | None = None
    members_total: int | None = None
    members_spoke: int | None = None
    messages_total: int | None = None
    left_members: int | None = None


class Problems:
    """Collects problems when the caller gave no callback; tests and the CLI read `.items`."""

    def __init__(self) -> None:
        self.items: list[ReadProblem] = []

    def __call__(self, problem: ReadProblem) -> None:
        self.items.append(problem)

    def codes(self) -> list[str]:
        return [p.code for p in self.items]


def from_unix(seconds: float) -> datetime:
    """An aware UTC datetime from Unix seconds (exports store seconds as int, float or str)."""
    return datetime.fromtimestamp(float(seconds), UTC)


TIME_RANGE = (-62_135_596_800, 253_402_300_800)  # Unix seconds of years 1 to 9999, what `from_unix` can make


def unix_seconds(value: Any) -> float:
    """Unix seconds as a float, refused (ValueError) where `from_unix` could not make a datetime."""
    seconds = float(value)
    if not TIME_RANGE[0] <= seconds < TIME_RANGE[1]:  # NaN fails too
        raise ValueError(f"time out of range: {value!r}")
    return seconds


def all_in_range(epochs: list[float]) -> bool:
    """Whether `unix_seconds` would take every one of `epochs` (floats already): the readers' fast
    paths check a whole column at once, and fall back to one by one where this is false."""
    return not epochs or (TIME_RANGE[0] <= min(epochs) and max(epochs) < TIME_RANGE[1]
                          and sum(epochs) == sum(epochs))  # NaN anywhere makes the sum NaN


def parse_iso(text: str) -> datetime:
    """ISO 8601 with `Z` or an offset; naive stays naive (placed in the community's zone later)."""
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


# ---------------------------------------------------------------------------------------------
# Decoding text files: UTF-8 (with or without BOM) first, GB18030 when UTF-8 fails.

def sniff_encoding(path: str, size: int = 1 << 16) -> str:
    """Pick the codec for a text export from its first bytes.

    WeChat exporters write UTF-8 with a BOM; files resaved in Excel or Notepad on a Chinese
    Windows are GBK. GB18030 is a superset of GBK, so it decodes both.
    """
    with open(path, "rb") as fh:
        head = fh.read(size)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a character cut by the sniff window, not bad bytes
            return "utf-8"
    try:
        head.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return "utf-8"


class Meter:
    """How many bytes of the exports being read are read: what a progress bar needs to say how
    much is left (a row count cannot). Files the readers open for streaming while a meter is
    active (`metering`) are watched by their position; a closed one counts whole."""

    def __init__(self) -> None:
        self.total = 0
        self._files: list[tuple[IO[bytes], int]] = []

    def watch(self, fh: IO[bytes]) -> None:
        self._files.append((fh, os.fstat(fh.fileno()).st_size))

    def done(self) -> int:
        n = 0
        for fh, size in self._files:
            try:
                n += size if fh.closed else min(fh.tell(), size)
            except (OSError, ValueError):
                continue
        return min(n, self.total) if self.total else n


_METERS: list[Meter] = []  # the meter of the read in progress (reads are not nested)


def _watched(fh: IO[bytes]) -> IO[bytes]:
    if _METERS:
        _METERS[-1].watch(fh)
    return fh


def open_text(path: str, on_problem: OnProblem) -> IO[str]:
    """Open a text export with the sniffed codec; a non-UTF-8 file is reported as a warning.

    Bytes that still fail to decode become U+FFFD and one located warning, never a crash.
    """
    encoding = sniff_encoding(path)
    if encoding == "gb18030":
        on_problem(ReadProblem(path, "line 1", "export.encoding_fallback",
                               {"encoding": "GB18030"}, "warning"))
    raw = _watched(open(path, "rb"))  # noqa: SIM115 - handed to TextIOWrapper, closed with it
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")


# ---------------------------------------------------------------------------------------------
# JSON streaming.

def read_head(path: str, stop: str = "messages") -> dict[str, Any]:
    """The top-level members of a JSON object that come before the key `stop`.

    Exporters write the chat's name and id (and ChatLab its members) before the message array,
    so a short first pass gets them without reading the messages twice into memory.
    """
    head: dict[str, Any] = {}
    builder: Any = None
    key: str | None = None
    with open(path, "rb") as fh:
        try:
            for prefix, event, value in ijson.parse(fh):
                if builder is not None:
                    builder.event(event, value)
                    if prefix == key and event in ("end_map", "end_array"):
                        head[key] = builder.value
                        builder = None
                    continue
                if prefix == "" and event == "map_key":
                    if value == stop:
                        break
                    key = value
                elif prefix == key and event in ("start_map", "start_array"):
                    builder = ObjectBuilder()
                    builder.event(event, value)
                elif prefix == key and event in ("string", "number", "boolean", "null"):
                    head[key] = value
        except JSONError:
            pass  # the message pass reports the located error
    return head


def stream_items(path: str, prefix: str, pointer: str, on_problem: OnProblem, skip: int = 0,
                 fh: IO[bytes] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (index, item) of the JSON array at `prefix`; a break reports where it stopped.

    A truncated or corrupted export yields every complete item before the break, then one
    error located by JSON pointer (`/messages/1234`): nothing read so far is lost. `skip` items
    already read another way are parsed but not yielded; `fh` is an open file to read again
    from its start (the caller keeps it, and the progress meter keeps watching it).
    """
    index = skip
    own = fh is None
    source = _watched(open(path, "rb")) if fh is None else fh
    try:
        source.seek(0)
        try:
            for item in itertools.islice(ijson.items(source, prefix, use_float=True), skip, None):
                yield index, item
                index += 1
        except IncompleteJSONError as exc:
            code = "export.json_truncated" if _looks_truncated(path, str(exc)) \
                else "export.json_invalid"
            on_problem(ReadProblem(path, f"{pointer}/{index}", code, {"detail": str(exc)[:200]}))
        except JSONError as exc:
            on_problem(ReadProblem(path, f"{pointer}/{index}", "export.json_invalid",
                                   {"detail": str(exc)[:200]}))
    finally:
        if own:
            source.close()


def _looks_truncated(path: str, detail: str) -> bool:
    """A file cut short (a copy or download that stopped) rather than one with bad JSON inside."""
    if "premature" in detail.lower() or "incomplete" in detail.lower():
        return True
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        fh.seek(max(0, fh.tell() - 64))
        tail = fh.read().rstrip()
    return not tail.endswith((b"}", b"]"))
