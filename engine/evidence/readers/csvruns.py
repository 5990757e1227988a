"""A UTF-8 CSV export cut into runs of whole records, each parsed by pyarrow's C reader.

Why: `csv.reader` makes a Python list of strings for every record and the reader then converts
field by field; a million-message WeChatMsg CSV spent most of its reading time there. A run is
parsed into string columns that the caller turns into its columns at once.

A cut is not trusted, and neither is the parser's reading of quotes: a run is handed over only when
every quote in it opens a field (after a comma or at a record's start), closes one (before a comma
or the record's end) or is doubled inside one, and every carriage return ends a line with a line
feed. On such a run pyarrow and `csv.reader` split the same fields (`is_plain`), and a line feed
after an even number of quotes is the end of a record. A run that is not plain stops the cutting;
the caller reads the rest of the file with `csv.reader`, from the first line of that run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import pyarrow as pa
import pyarrow.csv as pcsv

BLOCK = 1 << 20  # bytes read at a time: about 10,000 WeChat messages, half a `Rows` batch
_MAX_RUN = 64 << 20  # no record boundary in this many bytes: leave it to `csv.reader`
# The runs' Arrow buffers come from the C library's malloc, not pyarrow's default (mimalloc):
# mimalloc kept the freed pages of a million-message read resident (its purge waits for later
# allocations on the same heap), 15-18 MB more peak RSS than the `csv.reader` path; with malloc
# the observe peak is back at that path's (bench/RESULTS.md, evspeed7).
POOL = pa.system_memory_pool()


def lines_in(data: bytes) -> int:
    """How many lines `csv.reader` counts in `data` (`line_num`): a line ends at a line feed, at
    a carriage return and line feed, or at a carriage return alone."""
    lone = data.count(b"\r") - data.count(b"\r\n") if b"\r" in data else 0
    return data.count(b"\n") + lone


def is_plain(run: bytes) -> bool:
    """Whether `run`, starting at a record's start, is quoted as RFC 4180 has it (see the module)."""
    if b"\x00" in run or b"\r" in run and run.count(b"\r") != run.count(b"\r\n"):
        return False
    find = run.find
    i = find(b'"')
    while i >= 0:
        if i and run[i - 1] not in (44, 10):  # an opening quote follows a comma or a line feed
            return False
        j = i + 1
        while True:
            j = find(b'"', j)
            if j < 0:
                return False
            if run[j + 1:j + 2] != b'"':
                break
            j += 2  # a doubled quote inside the field
        if run[j + 1:j + 2] not in (b",", b"\r", b"\n", b""):
            return False
        i = find(b'"', j + 1)
    return True


class CsvRuns:
    """Iterate `(line, run)`: runs of whole plain records after the header, `line` the number of
    lines before the run's first. When a run is not plain, or no record ends in `_MAX_RUN` bytes,
    iteration stops with `rest` set to (byte offset, line) of where `csv.reader` must go on."""

    def __init__(self, fh: IO[bytes], offset: int, line: int) -> None:
        self.fh = fh
        self.offset, self.line = offset, line
        self.rest: tuple[int, int] | None = None

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        self.fh.seek(self.offset)
        pending = b""
        while True:
            more = self.fh.read(BLOCK)
            block = pending + more if pending else more
            cut = len(block) if not more else _last_end(block)
            if cut <= 0:
                if not more:
                    return
                if len(block) > _MAX_RUN:
                    self.rest = (self.offset, self.line)
                    return
                pending = block
                continue
            run = block[:cut]
            if not is_plain(run):
                self.rest = (self.offset, self.line)
                return
            yield self.line, run
            self.offset += cut
            self.line += lines_in(run)
            pending = block[cut:]


def _last_end(block: bytes) -> int:
    """Offset just past the last line feed in `block` after an even number of quotes, or 0."""
    end = block.rfind(b"\n")
    quotes = block.count(b'"', 0, end) if end >= 0 else 0
    tries = 0
    while end >= 0 and quotes % 2:
        tries += 1
        if tries > 64:  # long quoted texts with many lines: take the block with the next one
            return 0
        before = block.rfind(b"\n", 0, end)
        quotes -= block.count(b'"', before + 1, end)
        end = before
    return end + 1


def parse(run: bytes, width: int, columns: list[int]) -> pa.Table | None:
    """The fields at `columns` of every record of a plain run, all as strings; None if pyarrow
    refuses it (a record with another number of fields, bytes that are not UTF-8)."""
    names = [f"c{i}" for i in range(width)]
    try:
        return pcsv.read_csv(
            pa.py_buffer(run),
            read_options=pcsv.ReadOptions(column_names=names, use_threads=False,
                                          block_size=len(run) + 1),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                include_columns=[names[i] for i in columns], null_values=[],
                strings_can_be_null=False, quoted_strings_can_be_null=False),
            memory_pool=POOL)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
