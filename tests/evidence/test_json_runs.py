"""Cutting a message array into runs (readers.chunks) and the Telegram reader's fast path.

The fast path must read exactly what the streaming parser reads, in every layout an export can
have: the same records, the same problems at the same JSON pointers. A minified file cannot be
cut, so the reader reads it with ijson alone; that is the reference the other layouts meet.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from qunce.engine.evidence.readers import Problems, chunks
from qunce.engine.evidence.readers.telegram import read_telegram

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import synth_exports  # noqa: E402

FIX = Path(__file__).parent / "fixtures"


def _runs(data: bytes, key: str = "messages") -> tuple[list, bool]:
    runs = chunks.ArrayRuns(io.BytesIO(data), key)
    items = [item for run in runs for item in json.loads(run)]
    return items, runs.complete


def _layouts(doc: dict) -> dict[str, bytes]:
    """The same export written as Telegram Desktop does (indent 1), one message per line, with
    CRLF line ends, and minified."""
    head = {k: v for k, v in doc.items() if k != "messages"}
    lines = ",\n".join("  " + json.dumps(m, ensure_ascii=False) for m in doc["messages"])
    per_line = (json.dumps(head, ensure_ascii=False)[:-1] + ',\n "messages": [\n' + lines
                + "\n ]\n}\n")
    pretty = json.dumps(doc, ensure_ascii=False, indent=1)
    return {"pretty": pretty.encode(), "per_line": per_line.encode(),
            "crlf": pretty.replace("\n", "\r\n").encode(),
            "minified": json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()}


MESSAGES = [
    {"id": 1, "type": "service", "date": "2026-03-07T09:00:00", "date_unixtime": "1772845200",
     "actor": "Mei", "actor_id": "user101", "action": "invite_members", "members": ["Tao", "Lin"]},
    {"id": 2, "type": "message", "date_unixtime": "1772845260", "from": "Tao", "from_id": "user102",
     "text": ["see ", {"type": "mention", "text": "@mei"}, " — },\n  {not a cut"]},
    {"id": 3, "type": "message", "date_unixtime": "1772845320", "from": "Mei", "from_id": "user101",
     "reply_to_message_id": 2, "text": "ok", "text_entities": [
         {"type": "mention_name", "text": "Tao", "user_id": 102}, {"type": "plain", "text": " ok"}]},
    {"id": 4, "type": "message", "date_unixtime": "1772845380", "from": "Lin", "from_id": "user103",
     "photo": "photos/1.jpg", "text": ""},
    {"id": 5, "type": "message", "date_unixtime": "1772845440", "from": "Lin", "from_id": "user103",
     "media_type": "voice_message", "file": "voice/1.ogg", "text": ""},
    {"id": 6, "type": "message", "date": "2026-03-07T09:06:00", "from": "Tao", "from_id": "user102",
     "text": "no unix time"},
    {"type": "message", "date_unixtime": "1772845500", "from": "Tao", "text": "no id"},
    {"id": 8, "type": "message", "date_unixtime": "1e30", "from": "Tao", "text": "far future"},
    {"id": 9, "type": "message", "date_unixtime": "nan", "from": "Tao", "text": "not a time"},
    42,
    {"id": 11, "type": "message", "date_unixtime": "1772845620", "from": "Ann", "from_id": "user104",
     "media_type": ["odd"], "text": "a list for a media type"},
    {"id": 12, "type": "service", "date_unixtime": "1772845680", "actor": "Tao",
     "actor_id": "user102", "action": "remove_members", "members": ["Tao"]},
    {"id": 13, "type": "service", "date_unixtime": "1772845740", "actor": "Ann",
     "actor_id": "user104", "action": "pin_message", "message_id": 3},
    {"id": 14, "type": "message", "date_unixtime": "1772845800", "from": "Ann", "from_id": "user104",
     "file": None, "text": {"odd": "text"}},
]
DOC = {"name": "Hiking \"messages\": [ 徒步", "type": "private_supergroup", "id": 77,
       "messages": MESSAGES}


def _read(path: Path) -> tuple[list, list]:
    problems = Problems()
    records = list(read_telegram(str(path), problems))
    return ([(m.message_id, m.ts, m.sender_id, m.sender_name, m.kind, m.text, m.actor_id,
              m.reply_to, m.mentions, m.group_id, m.group_name) for m in records],
            [{k: v for k, v in p.to_dict().items() if k != "file"} for p in problems.items])


@pytest.mark.parametrize("block", [1 << 20, 97, 7])
@pytest.mark.parametrize("layout", ["pretty", "per_line", "crlf"])
def test_runs_give_back_every_element_in_order(layout, block, monkeypatch):
    monkeypatch.setattr(chunks, "BLOCK", block)
    items, complete = _runs(_layouts(DOC)[layout])
    assert complete and items == MESSAGES


def test_a_minified_array_is_not_cut():
    items, complete = _runs(_layouts(DOC)["minified"])
    assert (items, complete) == ([], False)


def test_the_key_must_be_a_top_level_member():
    """A `messages` inside an earlier member, or inside the chat's name, is not the array."""
    doc = {"meta": {"messages": [1, 2]}, "name": 'say "messages": [', "messages": [{"id": 1}]}
    text = json.dumps(doc, indent=1).encode()
    assert _runs(text) == ([{"id": 1}], True)


@pytest.mark.parametrize("cut_at", [0.3, 0.6, 0.95])
def test_a_truncated_file_gives_its_whole_runs_and_is_not_complete(cut_at, monkeypatch):
    monkeypatch.setattr(chunks, "BLOCK", 64)
    data = _layouts(DOC)["pretty"]
    items, complete = _runs(data[:int(len(data) * cut_at)])
    assert not complete and items == MESSAGES[:len(items)]


@pytest.mark.parametrize("block", [1 << 20, 61])
@pytest.mark.parametrize("layout", ["pretty", "per_line", "crlf"])
def test_fast_path_reads_what_the_streaming_parser_reads(layout, block, tmp_path, monkeypatch):
    """Odd records, bad ones and service messages alike: the same records and problems."""
    monkeypatch.setattr(chunks, "BLOCK", block)
    for name, data in _layouts(DOC).items():
        (tmp_path / f"{name}.json").write_bytes(data)
    want = _read(tmp_path / "minified.json")
    assert _read(tmp_path / f"{layout}.json") == want
    codes = [(p["where"], p["code"]) for p in want[1]]
    assert codes == [("/messages/6", "export.bad_record"), ("/messages/7", "export.bad_record"),
                     ("/messages/8", "export.bad_record"), ("/messages/9", "export.bad_record"),
                     ("/messages/10", "export.bad_record")]


@pytest.mark.parametrize("cut_at", [0.4, 0.8])
def test_a_truncated_export_reads_on_with_ijson_and_locates_the_break(cut_at, tmp_path,
                                                                      monkeypatch):
    monkeypatch.setattr(chunks, "BLOCK", 128)
    pretty = _layouts(DOC)["pretty"]
    (tmp_path / "a.json").write_bytes(pretty[:int(len(pretty) * cut_at)])
    got, problems = _read(tmp_path / "a.json")
    assert problems[-1]["code"] == "export.json_truncated"
    n = int(problems[-1]["where"].rsplit("/", 1)[1])
    (tmp_path / "b.json").write_bytes(json.dumps({**DOC, "messages": MESSAGES[:n]},
                                                 ensure_ascii=False).encode())
    assert (got, problems[:-1]) == _read(tmp_path / "b.json")


def test_indent_that_lies_falls_back_without_losing_a_message(tmp_path, monkeypatch):
    """A nested object that opens at the messages' own indent makes a false cut: the decoder
    refuses the run and ijson reads on from there."""
    monkeypatch.setattr(chunks, "BLOCK", 40)
    text = ('{"name": "x", "id": 1, "messages": [\n  {"id": 1, "date_unixtime": "1772845200", '
            '"from_id": "user1", "text": "a"},\n  {"id": 2, "date_unixtime": "1772845260", '
            '"from_id": "user2", "text": ["b", \n  {"type": "mention", "text": "@c"}]},\n'
            '  {"id": 3, "date_unixtime": "1772845320", "from_id": "user1", "text": "d"}\n]}')
    (tmp_path / "a.json").write_text(text)
    (tmp_path / "b.json").write_text(text.replace("\n", ""))
    got = _read(tmp_path / "a.json")
    assert got == _read(tmp_path / "b.json")
    assert [r[0] for r in got[0]] == ["1", "2", "3"] and got[0][1][8] == 1


def test_the_bundled_fixture_reads_alike_in_both_paths(tmp_path):
    doc = json.loads((FIX / "telegram/result.json").read_bytes())
    (tmp_path / "m.json").write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    assert _read(FIX / "telegram/result.json") == _read(tmp_path / "m.json")


def test_a_generated_conversation_reads_alike_in_both_paths(tmp_path, monkeypatch):
    monkeypatch.setattr(chunks, "BLOCK", 4096)
    path = synth_exports.write_all(str(tmp_path / "g"), 3000, 5, "dying", ("telegram-json",))[
        "telegram-json"]
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    (tmp_path / "m.json").write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    (tmp_path / "p.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    want = _read(tmp_path / "m.json")
    assert len(want[0]) > 2900
    assert _read(Path(path)) == want == _read(tmp_path / "p.json")


@pytest.mark.parametrize("layout", ["pretty", "per_line", "minified"])
def test_an_empty_message_array_reads_nothing_and_reports_nothing(layout, tmp_path):
    data = _layouts({"name": "空群", "type": "private_group", "id": 9, "messages": []})[layout]
    (tmp_path / "a.json").write_bytes(data)
    assert _read(tmp_path / "a.json") == ([], [])


def test_a_chinese_file_name_reads_like_any_other(tmp_path):
    (tmp_path / "读书会聊天记录.json").write_bytes(_layouts(DOC)["pretty"])
    (tmp_path / "m.json").write_bytes(_layouts(DOC)["minified"])
    assert _read(tmp_path / "读书会聊天记录.json") == _read(tmp_path / "m.json")
