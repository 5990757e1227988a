"""Each chat-export reader against a small fixture in the exporter's real layout, record by record.

The fixtures carry the layouts' traps: a BOM, a GBK file, QQ's 12-hour times and nicknames with
parentheses and titles, Telegram's mixed-array text and a member removing themself, a truncated
JSON, Discord CSV dates in both day/month orders.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path

import pytest

from qunce.engine.errors import QunceError
from qunce.engine.evidence.message import KINDS, Message
from qunce.engine.i18n.evidence import MESSAGES
from qunce.engine.evidence.readers import (
    READERS, ExportError, GroupDay, Problems, ReadProblem, detect, open_reader,
    read_export,
)
from qunce.engine.evidence.readers.base import JSON_BACKEND

FIX = Path(__file__).parent / "fixtures"
UTC = timezone.utc
CST = timezone(timedelta(hours=8))


def read(path: Path, fmt: str | None = None, **options) -> tuple[list, Problems]:
    problems = Problems()
    return list(open_reader(str(path), fmt, problems, **options)), problems


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_registry_names_every_layout_and_each_reader_has_texts_for_its_codes():
    """The registry is the single list `--from` offers; every problem code has zh and en text."""
    assert set(READERS) == {"wechatmsg-csv", "pywxdump-csv", "qq-txt", "qce-json",
                            "telegram-json", "discord-json", "discord-csv", "chatlab-json",
                            "chatlab-jsonl", "wecom-stats-csv"}
    for code, text in MESSAGES.items():  # the readers' export.* codes, the store's and observe's
        assert code.startswith(("export.", "evidence-", "observe", "ev:")) and text["zh"] and text["en"], code
    assert issubclass(ExportError, QunceError)


def test_json_reading_uses_the_c_backend_when_installed():
    """The speed figures in the report assume yajl2_c; a wheel without it would be 10x slower."""
    assert JSON_BACKEND == "yajl2_c"


@pytest.mark.parametrize(("path", "fmt"), [
    ("wechatmsg/读书会_utf8.csv", "wechatmsg-csv"),
    ("gbk/导出_gbk.csv", "wechatmsg-csv"),
    ("pywxdump", "pywxdump-csv"),
    ("pywxdump/4455@chatroom_0_3.csv", "pywxdump-csv"),
    ("qq/周末徒步群.txt", "qq-txt"),
    ("qq/qce_周末徒步群.json", "qce-json"),
    ("telegram/result.json", "telegram-json"),
    ("telegram/truncated_result.json", "telegram-json"),
    ("discord/Book Club - general [600].json", "discord-json"),
    ("discord/mdy/Book Club - general [600].csv", "discord-csv"),
    ("chatlab/技术交流群.json", "chatlab-json"),
    ("chatlab/技术交流群.jsonl", "chatlab-jsonl"),
    ("wecom/群统计_api.csv", "wecom-stats-csv"),
    ("wecom/群统计_后台.csv", "wecom-stats-csv"),
    ("mixed/notes.txt", None),
])
def test_detect_names_the_layout_from_the_first_bytes(path, fmt):
    """A cheap sniff tells every layout apart; a shopping list is nobody's export."""
    assert detect(str(FIX / path)) == fmt


def test_wechatmsg_csv_records_including_system_lines():
    """BOM stripped; an invitation naming two members is two joins; names resolve to wxids."""
    msgs, problems = read(FIX / "wechatmsg/读书会_utf8.csv")
    W = partial(Message, "wechat", "wechatmsg-csv", "3", "读书会")
    assert msgs == [
        W("1", utc(2026, 3, 7, 12, 0), "wxid_lin", "林一帆", "text", "大家好，今天读第三章吗"),
        W("2", utc(2026, 3, 7, 12, 1), "name:陈小雨", "陈小雨", "join", actor_id="wxid_lin"),
        W("2", utc(2026, 3, 7, 12, 1), "name:周子墨", "周子墨", "join", actor_id="wxid_lin"),
        W("3", utc(2026, 3, 7, 12, 2, 30), "wxid_chen", "陈小雨", "reply", "同意，一起读"),
        W("4", utc(2026, 3, 7, 12, 3), "wxid_zhou", "周子墨", "link"),
        W("5", utc(2026, 3, 7, 12, 4), "wxid_chen", "陈小雨", "sticker"),
        W("6", utc(2026, 3, 7, 12, 5), "wxid_chen", "陈小雨", "recall", actor_id="wxid_chen"),
        W("7", utc(2026, 3, 7, 12, 6), "wxid_zhou", "周子墨", "removal", actor_id="wxid_lin"),
        W("8", utc(2026, 3, 7, 12, 7), "wxid_lin", "林一帆", "text",
          "@所有人 周六活动 https://x.example/a"),
        W("9", utc(2026, 3, 7, 12, 8), "name:吴安然", "吴安然", "join", actor_id="wxid_lin"),
    ]
    assert problems.items == []


def test_gbk_csv_is_decoded_and_reported_as_a_warning():
    """A CSV resaved on a Chinese Windows is GBK: read as GB18030, with one located warning."""
    msgs, problems = read(FIX / "gbk/导出_gbk.csv")
    assert [(m.sender_name, m.kind, m.text) for m in msgs] == [
        ("郑明远", "text", "请问群文件在哪里？"), ("郑明远", "image", "")]
    assert problems.items == [ReadProblem(str(FIX / "gbk/导出_gbk.csv"), "line 1",
                                          "export.encoding_fallback", {"encoding": "GB18030"},
                                          "warning")]


def test_pywxdump_folder_is_one_export_read_page_by_page_with_users_json():
    """Pages in offset order; users.json gives names, so a join resolves to the member's wxid."""
    msgs, problems = read(FIX / "pywxdump")
    P = partial(Message, "wechat", "pywxdump-csv", "4455@chatroom", "书展小分队")
    assert msgs == [
        P("9001", datetime(2026, 3, 9, 10, 0), "wxid_he", "何思齐", "text", "有没有人一起去书展"),
        P("9002", datetime(2026, 3, 9, 10, 1), "wxid_xu", "许书瑶", "join", actor_id="wxid_he"),
        P("9003", datetime(2026, 3, 9, 10, 2), "wxid_xu", "瑶瑶", "reply", "我去！"),
        P("9004", datetime(2026, 3, 9, 10, 3), "wxid_me", "韩嘉木", "image"),
        P("9005", datetime(2026, 3, 9, 10, 4), "wxid_xu", "许书瑶", "recall", actor_id="wxid_xu"),
    ]
    assert problems.items == []


def test_qq_txt_twelve_hour_times_titles_and_parenthesised_nicknames():
    """12 AM is midnight and 12 PM noon; the QQ number is the last parenthesised digits;
    【群主】/【管理员】 become roles; content may span lines; no message ids."""
    msgs, problems = read(FIX / "qq/周末徒步群.txt")
    Q = partial(Message, "qq", "qq-txt", "周末徒步群", "周末徒步群", None)
    assert msgs == [
        Q(datetime(2026, 3, 7, 9, 5, 3), "10001", "沈远山", "text", "周六早上八点集合，有人来吗",
          sender_role="owner"),
        Q(datetime(2026, 3, 7, 11, 59, 59), "20002", "阿木(杭州)", "text", "我来！\n顺便带了地图"),
        Q(datetime(2026, 3, 7, 12, 0, 0), "30003", "唐半夏", "image", sender_role="admin"),
        Q(datetime(2026, 3, 7, 12, 30, 10), "name:新人乙", "新人乙", "join"),
        Q(datetime(2026, 3, 7, 13, 2), "40004", "新人乙", "text", "大家好 https://trail.example/route"),
        Q(datetime(2026, 3, 7, 22, 15), "owl@example.com", "夜猫子", "sticker"),
        Q(datetime(2026, 3, 7, 22, 16), "owl@example.com", "夜猫子", "recall",
          actor_id="owl@example.com"),
        Q(datetime(2026, 3, 8, 0, 5), "20002", "阿木(杭州)", "red_packet"),
    ]
    assert problems.items == []


def test_qce_json_replies_recalls_and_system_joins():
    """QQChatExporter V4: group nickname preferred, reply target from the reply element."""
    msgs, _ = read(FIX / "qq/qce_周末徒步群.json")
    C = partial(Message, "qq", "qce-json", "555666", "周末徒步群")
    assert msgs == [
        C("7300000000000000101", utc(2026, 3, 7, 1, 5, 3), "10001", "群主远山", "text", "周六集合吗"),
        C("7300000000000000102", utc(2026, 3, 7, 1, 6), "20002", "阿木", "reply", "来",
          reply_to="7300000000000000101"),
        C("7300000000000000103", utc(2026, 3, 7, 1, 7), "name:新人乙", "新人乙", "join"),
        C("7300000000000000104", utc(2026, 3, 7, 1, 8), "20002", "阿木", "recall",
          actor_id="20002"),
        C("7300000000000000105", utc(2026, 3, 7, 1, 9), "10001", "群主远山", "image"),
    ]


TELEGRAM = [
    ("10", "name:Tao", "join", "user101"), ("10", "name:Lin", "join", "user101"),
    ("11", "user102", "text", None), ("12", "user101", "reply", None),
    ("13", "user103", "sticker", None), ("14", "user103", "leave", "user103"),
    ("15", "user102", "removal", "user101"), ("16", "user104", "join", "user101"),
    ("17", "user104", "image", None), ("18", "user101", "pin", "user101"),
]


def test_telegram_mixed_text_self_removal_is_a_leave():
    """Mixed string/entity text is flattened; a member removing themself has left, a member
    removed by another was removed; invite_members names two members: two joins."""
    msgs, problems = read(FIX / "telegram/result.json")
    assert [(m.message_id, m.sender_id, m.kind, m.actor_id) for m in msgs] == TELEGRAM
    assert msgs[2].text == "Route is here: https://trail.example/r1 — who comes?"
    assert (msgs[3].reply_to, msgs[3].mentions, msgs[3].text) == ("11", 1, "@tao count me in")
    assert msgs[0].ts == utc(2026, 3, 7, 1, 0) and msgs[0].group_name == "Hiking Club 徒步"
    assert problems.items == []


def test_truncated_json_keeps_every_message_before_the_break_then_reports_it():
    """The export breaks off inside message 16 (index 6): the six before it are all read."""
    msgs, problems = read(FIX / "telegram/truncated_result.json")
    assert [(m.message_id, m.sender_id, m.kind, m.actor_id) for m in msgs] == TELEGRAM[:7]
    assert [(p.where, p.code, p.severity) for p in problems.items] == [
        ("/messages/6", "export.json_truncated", "error")]


def test_discord_json_types_roles_and_offsets():
    """Join, reply with its target, a bot's image attachment, a sticker; offsets are kept."""
    msgs, _ = read(FIX / "discord/Book Club - general [600].json")
    D = partial(Message, "discord", "discord-json", "600", "Book Club / general")
    assert msgs == [
        D("701", datetime(2026, 11, 27, 20, 5, tzinfo=CST), "11", "newbie", "join"),
        D("702", datetime(2026, 11, 27, 20, 6, 10, 123000, tzinfo=CST), "12", "Ana", "text",
          "@everyone meeting tonight, what time works?", sender_role="admin"),
        D("703", utc(2026, 11, 27, 12, 7), "11", "newbie", "reply", "8pm", reply_to="702",
          mentions=1),
        D("704", datetime(2026, 11, 27, 20, 8, tzinfo=CST), "13", "botty", "image",
          sender_role="bot"),
        D("705", datetime(2026, 11, 27, 20, 9, tzinfo=CST), "14", "owner", "sticker",
          sender_role="owner"),
    ]


@pytest.mark.parametrize("order", ["mdy", "dmy"])
def test_discord_csv_day_month_order_is_found_in_the_data(order):
    """`11/27/2026 8:05 PM` and `27/11/2026 20:05` both read as 27 November; the first row
    (2 November) is ambiguous alone and is read right because a later value decides."""
    msgs, problems = read(FIX / f"discord/{order}/Book Club - general [600].csv")
    D = partial(Message, "discord", "discord-csv", "600", "Book Club - general", None)
    assert msgs == [
        D(datetime(2026, 11, 2, 9, 5), "12", "ana", "text", "first, with a comma"),
        D(datetime(2026, 11, 27, 20, 5), "11", "newbie", "text", 'late "quoted" reply'),
        D(datetime(2026, 11, 27, 0, 30), "11", "newbie", "image"),
    ]
    assert problems.items == []


def test_discord_csv_ambiguous_dates_warn_and_can_be_forced():
    """All values ≤ 12: month-first is assumed with a warning; `date_order` overrides it."""
    msgs, problems = read(FIX / "discord/ambiguous.csv")
    assert msgs[0].ts == datetime(2026, 2, 11, 9, 5)
    assert problems.codes() == ["export.date_order_ambiguous"]
    msgs, problems = read(FIX / "discord/ambiguous.csv", date_order="dmy")
    assert msgs[0].ts == datetime(2026, 11, 2, 9, 5) and problems.items == []
    with pytest.raises(ValueError):
        read(FIX / "discord/ambiguous.csv", date_order="myd")


def test_chatlab_json_and_jsonl_agree_and_jsonl_skips_a_broken_line():
    """Roles come from members; a system line (WeChat wording) becomes a join by the owner."""
    msgs, problems = read(FIX / "chatlab/技术交流群.json")
    C = partial(Message, "wechat", "chatlab-json", "38988428513", "技术交流群")
    assert msgs == [
        C("msg_001", utc(2026, 3, 7, 1, 0), "abc123", "群主-张工", "text",
          "欢迎！今晚分享 www.talk-example.cn", sender_role="owner"),
        C("msg_002", utc(2026, 3, 7, 1, 0, 10), "def456", "李工", "reply", "收到",
          sender_role="admin", reply_to="msg_001"),
        C("msg_003", utc(2026, 3, 7, 1, 0, 20), "ghi789", "赵工", "join", actor_id="abc123"),
        C("msg_004", utc(2026, 3, 7, 1, 0, 30), "ghi789", "赵工", "red_packet"),
        C("msg_005", utc(2026, 3, 7, 1, 0, 40), "ghi789", "赵工", "recall", actor_id="ghi789"),
    ]
    assert problems.items == []
    lines, problems = read(FIX / "chatlab/技术交流群.jsonl")
    assert [(m.message_id, m.kind, m.sender_role) for m in lines] == \
        [(m.message_id, m.kind, m.sender_role) for m in msgs]
    assert [(p.where, p.code) for p in problems.items] == [("line 8", "export.bad_record")]


def test_wecom_statistics_are_group_days_in_either_spelling():
    """API field names with Unix stat_time, and the console's Chinese headers with 1,020."""
    days, _ = read(FIX / "wecom/群统计_api.csv")
    gid = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA"
    assert days == [
        GroupDay("wecom", "wecom-stats-csv", gid, None, date(2026, 3, 7), 3, 120, 18, 240),
        GroupDay("wecom", "wecom-stats-csv", gid, None, date(2026, 3, 8), 0, 119, 11, 97),
    ]
    days, _ = read(FIX / "wecom/群统计_后台.csv")
    assert days == [GroupDay("wecom", "wecom-stats-csv", "客户1群", "客户1群", date(2026, 3, 7),
                             5, 1020, 40, 312, 2)]


def test_every_kind_a_reader_yields_is_a_known_kind():
    """Readers speak the table's vocabulary only (KINDS), whatever the platform calls things."""
    for path in FIX.rglob("*"):
        if path.is_file() and detect(str(path)) not in (None, "wecom-stats-csv"):
            msgs, _ = read(path)
            assert {m.kind for m in msgs} <= set(KINDS), path


def test_mixed_folder_reads_each_file_by_its_own_layout_and_skips_unknown(tmp_path):
    """WeChat CSV, Telegram JSON and QQ TXT side by side; the notes file is reported, skipped."""
    problems = Problems()
    recs = list(read_export([str(FIX / "mixed")], on_problem=problems))
    assert {m.source for m in recs} == {"wechatmsg-csv", "telegram-json", "qq-txt"}
    assert len(recs) == 10 + 10 + 8
    assert [(Path(p.file).name, p.code, p.severity) for p in problems.items] == [
        ("notes.txt", "export.unknown_format", "warning")]


def test_missing_paths_and_unknown_layouts_raise_or_report():
    """open_reader raises a located ExportError; read_export reports and goes on."""
    with pytest.raises(ExportError) as err:
        open_reader(str(FIX / "nope.csv"))
    assert err.value.code == "export.not_found"
    with pytest.raises(ExportError) as err:
        open_reader(str(FIX / "mixed/notes.txt"))
    assert err.value.code == "export.unknown_format" and err.value.file.endswith("notes.txt")
    with pytest.raises(ExportError) as err:
        open_reader(str(FIX / "mixed/notes.txt"), "whatsapp")
    assert err.value.code == "export.unknown_reader"
    problems = Problems()
    recs = list(read_export([str(FIX / "nope"), str(FIX / "qq/周末徒步群.txt")],
                            on_problem=problems))
    assert len(recs) == 8 and problems.codes() == ["export.not_found"]


def test_from_override_reads_a_file_with_the_named_reader(tmp_path):
    """`--from` maps to fmt: a Telegram export with an unusual name and no sniffable head."""
    target = tmp_path / "export.dat"
    shutil.copy(FIX / "telegram/result.json", target)
    recs = list(read_export([str(target)], fmt="telegram-json"))
    assert len(recs) == 10


def test_short_rows_and_bad_values_are_located_by_line_and_skipped(tmp_path):
    """A CSV row cut short or with a non-numeric time costs that row only, located by line."""
    src = (FIX / "wechatmsg/读书会_utf8.csv").read_text("utf-8-sig").splitlines()
    src[2] = "2,3,10000"
    src[4] = src[4].replace(src[4].split(",")[5], "yesterday", 1)
    bad = tmp_path / "bad_utf8.csv"
    bad.write_text("\n".join(src) + "\n", "utf-8-sig")
    msgs, problems = read(bad)
    assert len(msgs) == 10 - 2 - 1
    assert [(p.where, p.code) for p in problems.items] == [
        ("line 3", "export.short_row"), ("line 5", "export.bad_value")]
