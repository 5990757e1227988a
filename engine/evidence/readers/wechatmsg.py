"""WeChatMsg/MemoTrace CSV (one chat per file; layout in `wechat`), read fast where provably so.

Why a module of its own: a million-message export spent most of its reading time in `csv.reader`
and the per-record Python after it. The file is cut into runs of plain records (`csvruns`), each
parsed by pyarrow into string columns that become the `Rows` columns at once; system lines (type
10000) in a run are handled one by one in their place, so names resolve in file order. A run
pyarrow refuses or with a number that does not read goes through `csv.reader` and the per-record
code, which locates its problems at the same lines; a file that is not plain UTF-8, or from the
first run that is not plainly quoted, is read by `csv.reader` alone, as it always was.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from ..message import ROWS_BATCH, Rows, RowsBuilder
from .base import (OnProblem, ReadProblem, _watched, all_in_range, from_unix, sniff_encoding,
                   unix_seconds)
from .csvruns import POOL, CsvRuns, parse
from .wechat import (APP_SUBTYPES, WECHAT_TYPES, _csv_rows, _group_name_from_file, _Names,
                     _records, _system_messages)



def read_wechatmsg_csv(path: str, on_problem: OnProblem, rows: bool = False,
                       **_: object) -> Iterator[Message | Rows]:
    """Stream a WeChatMsg/MemoTrace CSV (one chat per file): one `Message` each, or with `rows`
    batches of `Rows`."""
    batches = _wechatmsg_rows(path, on_problem)
    if rows:
        yield from batches
        return
    for batch in batches:
        yield from batch.messages()


def _wechatmsg_rows(path: str, on_problem: OnProblem) -> Iterator[Rows]:
    """Plain UTF-8 runs of records by the column (`csvruns`), everything else by `csv.reader`."""
    need = ("localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "StrContent")
    header = _plain_header(path)
    if header is None:
        reader = _WeChatMsg(path, on_problem, None)
        yield from reader.rows(_csv_rows(path, on_problem, need))
        yield from reader.last()
        return
    names, offset = header
    col = {name.strip(): i for i, name in enumerate(names)}
    missing = [c for c in need if c not in col]
    if missing:
        on_problem(ReadProblem(path, "line 1", "export.missing_column", {"column": missing[0]}))
        return
    reader = _WeChatMsg(path, on_problem, col)
    with _watched(open(path, "rb")) as fh:
        runs = CsvRuns(fh, offset, 1)
        for line, run in runs:
            if not reader.run(run, len(names)):
                text = io.StringIO(run.decode("utf-8", "replace"), newline="")
                yield from reader.rows(_records(csv.reader(text), len(names), col, path, on_problem,
                                                line))
            yield from reader.full()
        if runs.rest is not None:
            fh.seek(runs.rest[0])
            text = io.TextIOWrapper(fh, encoding="utf-8", errors="replace", newline="")
            yield from reader.rows(_records(csv.reader(text), len(names), col, path, on_problem,
                                            runs.rest[1]))
            text.detach()
    yield from reader.last()


def _plain_header(path: str) -> tuple[list[str], int] | None:
    """(column names, byte offset after the header) of a UTF-8 CSV whose header is one line with
    no quotes, which `str.split` reads as `csv.reader` does; None for any other file."""
    if sniff_encoding(path) not in ("utf-8", "utf-8-sig"):
        return None
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    end = head.find(b"\n")
    skip = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    line = head[skip:end]
    if end < 0 or line.endswith(b"\r"):
        line = line[:-1] if end >= 0 else line
    if end < 0 or not line or any(c in line for c in (b'"', b"\r", b"\x00")):
        return None
    try:
        return line.decode("utf-8").split(","), end + 1
    except UnicodeDecodeError:
        return None


class _WeChatMsg:
    """One WeChatMsg CSV's messages gathered into `Rows`: plain runs by the column, records from
    `csv.reader` (and system lines) one by one, in file order so that names resolve as before."""

    def __init__(self, path: str, on_problem: OnProblem, col: dict[str, int] | None) -> None:
        self.path, self.on_problem = path, on_problem
        self.names = _Names()
        self.group_name = _group_name_from_file(path)
        self.out = RowsBuilder(("group_id", "message_id", "sender_id", "sender_name", "kind", "text"),
                               platform="wechat", source="wechatmsg-csv", group_name=self.group_name,
                               mentions=0, mentions_all=False)
        self.at: list[int | None] = []  # column positions, from the header
        self.ready: list[Rows] = []  # batches filled during a run, for `full` to hand on
        if col is not None:
            self._columns(col)

    def _columns(self, col: dict[str, int]) -> None:
        self.at = [col.get(c) for c in ("TalkerId", "localId", "CreateTime", "Type", "SubType",
                                        "StrContent", "Sender", "NickName", "Remark")]

    def full(self) -> Iterator[Rows]:
        yield from self.ready
        self.ready.clear()
        if self.out.count() >= ROWS_BATCH:
            yield self.out.take()

    def last(self) -> Iterator[Rows]:
        if self.out.count():
            yield self.out.take()

    def system(self, talker: str, local: str, epoch: float, text: str) -> None:
        base = dict(platform="wechat", source="wechatmsg-csv", group_id=talker,
                    group_name=self.group_name, message_id=local, ts=from_unix(epoch))
        for m in _system_messages(base, text, self.names, None):
            self.out.add(m, epoch)

    def rows(self, records: Iterator[tuple[int, list[str], dict]]) -> Iterator[Rows]:
        """Records one by one (`csv.reader`'s); the batches that fill up on the way."""
        path, on_problem, names, out = self.path, self.on_problem, self.names, self.out
        gid, mid, sid, sname, kind_, text_, epochs = out.appenders()
        for line, row, col in records:
            if not self.at:  # the same header for every row of the file: column positions once
                self._columns(col)
            i_talker, i_local, i_time, i_type, i_sub, i_text, i_sender, i_nick, i_remark = self.at
            try:
                epoch = unix_seconds(row[i_time])
                typ = int(row[i_type])
                sub = int(row[i_sub] or 0)
            except ValueError as exc:
                on_problem(ReadProblem(path, f"line {line}", "export.bad_value", {"detail": str(exc)[:120]}))
                continue
            sender = row[i_sender] if i_sender is not None else None
            nick = row[i_nick] if i_nick is not None else None
            remark = row[i_remark] if i_remark is not None else None
            names.see(sender, nick, remark)
            kind = _kind(typ, sub)
            text = row[i_text]
            if kind == "system":
                self.system(row[i_talker], row[i_local], epoch, text)
            else:
                gid(row[i_talker]), mid(row[i_local]), sid(sender or None), sname(nick or remark or None)
                kind_(kind), text_(text if kind in _TEXT_KINDS else ""), epochs(epoch)
            if out.count() >= ROWS_BATCH:
                yield out.take()
                gid, mid, sid, sname, kind_, text_, epochs = out.appenders()

    def run(self, run: bytes, width: int) -> bool:
        """A plain run by the column; False (nothing taken) if any record in it is not ordinary
        (pyarrow refused the run, a number does not read), for `csv.reader` to locate."""
        present = [i for i in self.at if i is not None]
        table = parse(run, width, sorted(set(present)))
        if table is None:
            return False
        field = {i: table.column(f"c{i}").combine_chunks(POOL) for i in present}
        talker, local, times, types, subs, text, sender, nick, remark = (
            field[i] if i is not None else None for i in self.at)
        epochs = _epochs(times)
        kinds = _kinds(types, subs)
        if epochs is None or kinds is None:
            return False
        kinds, kind_col, system = kinds
        n = len(epochs)
        named = [pc.if_else(pc.equal(c, _EMPTY, memory_pool=POOL), _NULL, c, memory_pool=POOL) for c in (nick, remark) if c is not None]
        columns = {"group_id": _strings(talker), "message_id": local.to_pylist(),
                   "sender_id": [None] * n if sender is None
                   else _strings(pc.if_else(pc.equal(sender, _EMPTY, memory_pool=POOL), _NULL, sender,
                                               memory_pool=POOL)),
                   "sender_name": _strings(pc.coalesce(*named, memory_pool=POOL)) if named else [None] * n,
                   "kind": kinds,
                   "text": pc.if_else(pc.is_in(kind_col, _SHOWN, memory_pool=POOL), text, _EMPTY,
                                     memory_pool=POOL).to_pylist(),
                   "epoch": epochs}
        seen = _first_names(sender, nick, remark)
        texts = pc.take(text, pa.array(system, pa.int64(), memory_pool=POOL),
                        memory_pool=POOL).to_pylist() if system else []
        start = 0
        for i, said in zip([*system, n], [*texts, None]):
            while seen and seen[-1][0] <= i:  # names first seen before this line, in file order
                self.names.see(*seen.pop()[1])
            self._extend(columns, start, i, n)
            if i < n:
                self.system(columns["group_id"][i], columns["message_id"][i], epochs[i], said)
            start = i + 1
        return True

    def _extend(self, columns: dict[str, list], start: int, stop: int, n: int) -> None:
        """Rows `start:stop` of a run's `n`, cut so that no batch passes `ROWS_BATCH` by more than
        `csv.reader`'s path lets it: larger batches (a run past the mark) raised the store's
        staged share of the peak."""
        while start < stop:
            if self.out.count() >= ROWS_BATCH:
                self.ready.append(self.out.take())
            cut = min(stop, start + ROWS_BATCH - self.out.count())
            self.out.extend(columns if start == 0 and cut == n
                            else {k: v[start:cut] for k, v in columns.items()})
            start = cut


_TEXT_KINDS = ("text", "reply", "link")
_SHOWN = pa.array(_TEXT_KINDS)
_EMPTY = pa.scalar("", pa.string())
_NULL = pa.scalar(None, pa.string())


def _strings(col: pa.Array) -> list[str | None]:
    """A string column as a list, each distinct value one object when they are few (the group,
    senders): fewer objects to make, and the store's per-text lookups find them by identity."""
    codes = pc.dictionary_encode(col, null_encoding="encode", memory_pool=POOL)
    values = codes.dictionary.to_pylist()
    if len(values) == 1:
        return values * len(col)
    if len(values) > len(col) // 4:
        return col.to_pylist()
    return [values[i] for i in codes.indices.to_pylist()]


def _first_names(*cols: pa.Array | None) -> list[tuple[int, tuple]]:
    """(position, (sender, nick, remark)) of the first record with each distinct triple, last
    first: only a first `_Names.see` of a triple can change anything. Dictionary codes are given in
    order of first appearance, so a new code is where their running maximum grows."""
    if cols[0] is None:
        return []  # no Sender column: `see` never records a name
    parts = [c for c in cols if c is not None]
    codes = pc.dictionary_encode(pc.binary_join_element_wise(*parts, "\x00", memory_pool=POOL),
                                 memory_pool=POOL)
    top = pc.cumulative_max(codes.indices, memory_pool=POOL)
    grows = pc.indices_nonzero(pc.greater(pc.pairwise_diff(top, memory_pool=POOL), 0, memory_pool=POOL),
                               memory_pool=POOL)
    where = [0, *(i + 1 for i in grows.to_pylist())] if len(top) else []
    triples = []
    for pos, joined in zip(where, codes.dictionary.to_pylist()):
        values = iter(joined.split("\x00"))
        triples.append((pos, tuple(next(values) if c is not None else None for c in cols)))
    return triples[::-1]
_DIGITS = r"^[0-9]{1,15}$"


def _kind(typ: int, sub: int) -> str:
    return APP_SUBTYPES.get(sub, "other") if typ == 49 else WECHAT_TYPES.get(typ, "other")


def _epochs(times: pa.ChunkedArray) -> list[float] | None:
    """`unix_seconds` of every time, or None if any one would raise. Plain digits (what exporters
    write) are converted by pyarrow, exact below 2**53; anything else by `float` itself."""
    if pc.all(pc.match_substring_regex(times, _DIGITS, memory_pool=POOL),
              memory_pool=POOL).as_py() is not False:
        epochs = pc.cast(times, pa.float64(), memory_pool=POOL).to_pylist()
    else:
        try:
            epochs = [float(t) for t in times.to_pylist()]
        except ValueError:
            return None
    return epochs if all_in_range(epochs) else None


def _kinds(types: pa.Array, subs: pa.Array) -> tuple[list[str], pa.Array, list[int]] | None:
    """The kind of every record (a list and a column) and the positions of system lines, computed
    once per distinct (Type, SubType) text as the per-record path computes it; None if one of them
    is not a number."""
    pairs = pc.dictionary_encode(pc.binary_join_element_wise(types, subs, "\x00", memory_pool=POOL),
                                  memory_pool=POOL)
    kinds = []
    for pair in pairs.dictionary.to_pylist():
        typ, sub = pair.split("\x00")
        try:
            kinds.append(_kind(int(typ), int(sub or 0)))
        except ValueError:
            return None
    system = [code for code, kind in enumerate(kinds) if kind == "system"]
    codes = pairs.indices
    at = pc.indices_nonzero(pc.is_in(codes, pa.array(system, codes.type), memory_pool=POOL),
                            memory_pool=POOL).to_pylist() \
        if system else []
    column = pc.take(pa.array(kinds, pa.string(), memory_pool=POOL), codes, memory_pool=POOL)
    return [kinds[i] for i in codes.to_pylist()], column, at


