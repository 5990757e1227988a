"""The WeChatMsg CSV reader's fast path (readers.csvruns, readers.wechatmsg) against `csv.reader`.

The fast path must read exactly what the per-record path reads: the same records in the same
order, the same problems at the same lines. The reference is the reader with the fast path turned
off (every file read by `csv.reader`, as before); each export is read with runs of the usual size
and with runs of a few bytes, so that every trap also falls on a cut.
"""

from __future__ import annotations

import codecs
import io
import sys
from pathlib import Path

import pytest

from qunce.engine.evidence.message import Rows
from qunce.engine.evidence.readers import Problems, csvruns, wechatmsg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import synth_exports  # noqa: E402

FIX = Path(__file__).parent / "fixtures" / "wechatmsg"
HEADER = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender"


def _line(i: int, typ: str, sub: str, text: str, nick: str = "阿梅", sender: str = "wxid_mei",
          remark: str = "", time: str | None = None) -> str:
    return ",".join([str(i), "7", typ, sub, "0", time or str(1772413200 + i), "2", text,
                     "2026-03-02 09:00:00", remark, nick, sender])


ORDINARY = [
    _line(1, "1", "0", "早上好"),
    _line(2, "1", "0", '"有逗号, 也有""引号"""', "Tao", "wxid_tao"),
    _line(3, "1", "0", '"第一行\n第二行\r\n第三行"', "Tao", "wxid_tao"),
    _line(4, "10000", "0", '"阿梅"邀请"小林、老王"加入了群聊', "", ""),
    _line(5, "1", "", "SubType 为空", "小林", "wxid_lin"),
    _line(6, "49", "57", "回复一下", "小林(北京)", "wxid_lin", "林备注"),
    _line(7, "49", "", "空子类型的应用消息", "", "wxid_wang", "老王"),
    _line(8, "10000", "0", "老王 撤回了一条消息", "", ""),
    _line(9, "1", "0", "", "", ""),
    _line(10, "1", "0", "同名的另一个人", "阿梅", "wxid_other"),
    _line(11, "10000", "0", "阿梅将小林移出了群聊", "", ""),
    _line(12, "3", "0", "<img/>", "老王", "wxid_wang"),
    _line(13, "10000", "0", "后来的人通过扫描\"阿梅\"分享的二维码加入群聊", "", ""),
    _line(14, "1", "0", "后来的人", "后来的人", "wxid_late"),
    _line(15, " 1", "+0", "数字前后有空格", time=" 1772413215 "),
    _line(16, "1", "0", "小数时间", time="1772413216.5"),
    _line(17, "436207665", "0", "红包"),
    _line(18, "10000", "0", "普通系统提示", "", ""),
    _line(19, "1", "0", '""', "Tao", "wxid_tao"),
]
TRAPS = {
    "short_row": "1,7,1,0",
    "bad_type": _line(30, "x", "0", "坏类型"),
    "bad_sub": _line(31, "49", "abc", "坏子类型"),
    "far_time": _line(32, "1", "0", "太远", time="1e30"),
    "nan_time": _line(33, "1", "0", "不是时间", time="nan"),
    "empty_time": _line(34, "1", "0", "没有时间", time=""),
    "long_row": _line(35, "1", "0", "多一列") + ",extra",
    "blank_line": "",
    "spaces_line": "   ",
    "quoted_empty_line": '""',
}
UNPLAIN = {  # quoting `csv.reader` reads its own way, or line ends it counts its own way
    "stray_quote": _line(40, "1", "0", 'he said "hi" twice'),
    "after_close": _line(41, "1", "0", '"ab"c'),
    "space_quote": _line(42, "1", "0", ' "lead"'),
    "lone_cr": _line(43, "1", "0", "a") + "\r" + _line(44, "1", "0", "b"),
    "cr_in_quotes": _line(45, "1", "0", '"a\rb"'),
    "unclosed": _line(46, "1", "0", '"never closed'),
    "nul": _line(47, "1", "0", "a\x00b"),
}


def _text(lines: list[str], eol: str = "\n", header: str = HEADER, last_eol: bool = True) -> str:
    return eol.join([header, *lines]) + (eol if last_eol else "")


def _exports() -> dict[str, bytes]:
    bom = codecs.BOM_UTF8
    ordinary = _text(ORDINARY)
    out = {"plain": bom + ordinary.encode(), "no_bom": ordinary.encode(),
           "crlf": bom + _text(ORDINARY, "\r\n").encode(),
           "no_last_eol": bom + _text(ORDINARY, last_eol=False).encode(),
           "header_only": bom + (HEADER + "\n").encode(), "empty": b"",
           "gbk": _text(ORDINARY).encode("gbk"), "utf16": _text(ORDINARY).encode("utf-16"),
           "bad_utf8": bom + _text(ORDINARY[:3]).encode() + "\n".join(
               [_line(50, "1", "0", "坏字节").replace("坏", "\ufffd"), *ORDINARY[3:]]).encode()
           .replace("\ufffd".encode(), b"\xe5\x9d"),
           "quoted_header": bom + _text(ORDINARY, header=HEADER.replace("Type", '"Type"')).encode(),
           "missing_column": bom + _text(ORDINARY, header=HEADER.replace("CreateTime", "Time")).encode()}
    for name, trap in {**TRAPS, **UNPLAIN}.items():
        lines = [*ORDINARY[:6], trap, *ORDINARY[6:], trap, *ORDINARY]
        out[name] = bom + _text(lines).encode()
        out[name + "_crlf"] = _text(lines, "\r\n").encode()
    # Optional columns missing: no Sender (names never resolve), no NickName and Remark.
    cols = HEADER.split(",")
    for drop in (("Sender",), ("NickName", "Remark"), ("Sender", "NickName", "Remark")):
        keep = [i for i, c in enumerate(cols) if c not in drop]
        rows = [",".join(cols[i] for i in keep)]
        for line in [HEADER, *ORDINARY][1:]:
            if '"' in line:
                continue
            fields = line.split(",")
            rows.append(",".join(fields[i] for i in keep))
        out["without_" + "_".join(drop)] = "\n".join(rows).encode() + b"\n"
    return out


EXPORTS = _exports()


def _read(path: Path, fast: bool, monkeypatch: pytest.MonkeyPatch, rows: bool = True) -> tuple:
    problems = Problems()
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(wechatmsg, "_plain_header", lambda path: None)
        batches = list(wechatmsg.read_wechatmsg_csv(str(path), problems, rows=rows))
    if rows:
        assert all(isinstance(b, Rows) for b in batches)
        columns: dict[str, list] = {}
        for b in batches:
            assert len({len(v) for v in b.values()}) == 1
            for k, v in b.items():
                columns.setdefault(k, []).extend(v)
        records = sorted(columns.items())
    else:
        records = [(m.message_id, m.ts, m.group_id, m.group_name, m.sender_id, m.sender_name,
                    m.kind, m.text, m.actor_id, m.reply_to, m.mentions, m.mentions_all)
                   for m in batches]
    return records, [p.to_dict() for p in problems.items]


@pytest.mark.parametrize("block", [csvruns.BLOCK, 97, 5])
@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_fast_path_reads_what_csv_reader_reads(name: str, block: int, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "读书会_utf8.csv"
    path.write_bytes(EXPORTS[name])
    reference = _read(path, False, monkeypatch)
    monkeypatch.setattr(csvruns, "BLOCK", block)
    assert _read(path, True, monkeypatch) == reference
    assert _read(path, True, monkeypatch, rows=False) == _read(path, False, monkeypatch, rows=False)


def test_traps_are_located_and_records_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference itself is not empty: the traps give problems at their lines, the system
    lines resolve names seen before them only, and the first name -> id wins."""
    path = tmp_path / "读书会_utf8.csv"
    path.write_bytes(EXPORTS["short_row_crlf"])
    records, problems = _read(path, True, monkeypatch, rows=False)
    assert [(p["where"], p["code"]) for p in problems] == [
        ("line 10", "export.short_row"), ("line 24", "export.short_row")]  # after 2 quoted line breaks
    joins = [(r[4], r[6], r[8]) for r in records if r[6] == "join"]
    assert joins[:2] == [("name:小林", "join", "wxid_mei"), ("name:老王", "join", "wxid_mei")]
    assert ("wxid_late", "join", "wxid_mei") in joins  # seen in the first copy, before the second
    path.write_bytes(EXPORTS["bad_type"])
    assert [p["where"] for p in _read(path, True, monkeypatch)[1]] == ["line 10", "line 24"]


@pytest.mark.parametrize("layout", ["fixture", "synth"])
def test_real_layouts_read_alike(layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if layout == "fixture":
        paths = sorted(FIX.glob("*.csv"))
    else:
        out = synth_exports.write_all(str(tmp_path / "g"), 6000, 5, "dying", ("wechatmsg-csv",))
        paths = [Path(out["wechatmsg-csv"])]
        monkeypatch.setattr(csvruns, "BLOCK", 1 << 14)  # many runs, and batches filling mid-run
    for path in paths:
        reference = _read(path, False, monkeypatch)
        assert reference[0] and _read(path, True, monkeypatch) == reference


def test_runs_cut_at_record_ends_only(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'1,"a\n",2\n3,"b\n\n""c""\n",4\n5,6,7\n'
    monkeypatch.setattr(csvruns, "BLOCK", 4)
    runs = csvruns.CsvRuns(io.BytesIO(data), 0, 1)
    got = list(runs)
    assert [run for _, run in got] == [b'1,"a\n",2\n', b'3,"b\n\n""c""\n",4\n', b"5,6,7\n"]
    assert [line for line, _ in got] == [1, 3, 7] and runs.rest is None
    assert all(csvruns.is_plain(run) for _, run in got)
    assert not csvruns.is_plain(b'1,a"b,2\n') and not csvruns.is_plain(b'1,"a"b,2\n')
    assert csvruns.lines_in(b"a\r\nb\rc\n") == 3
    stopped = csvruns.CsvRuns(io.BytesIO(b'1,2\n3,x"y\n'), 0, 1)
    assert list(stopped) == [(1, b"1,2\n")] and stopped.rest == (4, 2)
