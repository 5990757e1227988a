"""Synthetic group chats written in every chat-export layout qunce reads.

One seeded, deterministic conversation (invented members only: no real person's chat) is
generated as a stream of events and written, in the same single pass, by one writer per layout:
WeChatMsg CSV, PyWxDump pages + users.json, QQ TXT, QQChatExporter JSON, Telegram result.json,
DiscordChatExporter JSON and CSV, ChatLab JSON and JSONL, 企业微信 group statistics CSV. Nothing
is held in memory but the member list and a short window of recent messages, so 1M or 10M
messages stream to disk (the bench uses this).

    python tools/synth_exports.py OUT_DIR --messages 1000000 --scenario dying --seed 7
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))
START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=CST)
CONTENT_KINDS = ("text", "question", "link", "sticker", "image", "red_packet", "reply")
EVENT_KINDS = ("join", "leave", "removal")

_SURNAMES = "林陈周吴郑王赵孙何许韩冯宋唐沈曹"
_GIVEN = ("一帆", "小雨", "子墨", "星河", "安然", "若溪", "明远", "思齐", "书瑶", "嘉木", "青禾",
          "远山", "听风", "拾光", "半夏", "知秋")
_TALK = ("今天的分享很有收获", "我也这么觉得", "周末见", "这个思路不错", "收到，谢谢", "早上好",
         "晚安各位", "赞同楼上", "我来补充一点", "刚看完第三章", "打卡第{n}天", "哈哈哈",
         "下次活动我报名", "资料已经发群文件了")
_ASK = ("这本书哪里能买到？", "有没有人知道报名截止是哪天", "请问下次活动在哪里", "这个怎么弄呢",
        "How do I join the next session?", "群文件在哪里下载吗")
_ADS = ("特价代购，加微信了解 https://shop.example/deal{n}", "免费领课程 www.ads-example.cn/{n}",
        "兼职日结，详情 https://job.example/{n}")
_LINKS = ("推荐一篇文章 https://blog.example/post/{n}", "活动报名链接 https://form.example/{n}")


@dataclass
class Member:
    """An invented member: uid and name are unique within one conversation."""

    uid: int
    name: str
    role: str = "member"  # owner | admin | member
    core: bool = False


@dataclass
class Event:
    """One step of the conversation; `reply_to` is the seq of an earlier message."""

    seq: int
    ts: datetime
    kind: str  # CONTENT_KINDS, "recall", or EVENT_KINDS
    member: Member
    text: str = ""
    actor: Member | None = None
    reply_to: int | None = None
    join_style: str = "invite"  # invite | scan (WeChat) / link (Telegram)

    @property
    def is_content(self) -> bool:
        return self.kind in CONTENT_KINDS


@dataclass
class Scenario:
    """Knobs of a conversation; `*_end` values are reached linearly by its last event."""

    name: str = "healthy"
    members: int = 40
    join_rate: float = 0.02
    leave_rate: float = 0.001   # about 5% a month once the group is full: healthy (DOMAIN §11: over 10% warns)
    removal_share: float = 0.3
    owner_share: float = 0.06
    owner_share_end: float = 0.06
    ad_rate: float = 0.005
    ad_rate_end: float = 0.005
    ad_at_all: float = 0.1    # share of the ads that also @all
    core_leave: bool = False  # core members leave during the second half
    recall_rate: float = 0.01
    join_rate_end: float | None = None


SCENARIOS = {
    "healthy": Scenario(),
    "dying": Scenario(name="dying", join_rate=0.02, join_rate_end=0.001, owner_share=0.08,
                      owner_share_end=0.6, ad_rate=0.005, ad_rate_end=0.15, ad_at_all=0.3, core_leave=True,
                      removal_share=0.5,
                      leave_rate=0.01),
}


def member_name(uid: int) -> str:
    """A unique invented name; some carry parentheses, the trap of QQ's `昵称(QQ号)` lines."""
    base = _SURNAMES[uid % 16] + _GIVEN[(uid // 16) % 16]
    extra = uid // 256
    name = base + (str(extra) if extra else "")
    if uid % 7 == 3:
        name += "(北京)"
    elif uid % 11 == 5:
        name += "(2)"
    return name


class _Roster:
    """Members present, with O(1) add, remove and random choice (10M events, many members).

    The owner and the two admins (`staff`) never leave; others are kept in swap-remove lists.
    """

    def __init__(self, staff: list[Member], others: list[Member]) -> None:
        self.staff = staff
        self.others: list[Member] = []
        self.core: list[Member] = []
        self.pos: dict[int, int] = {}
        self.cpos: dict[int, int] = {}
        for m in others:
            self.add(m)

    def __len__(self) -> int:
        return len(self.staff) + len(self.others)

    def __contains__(self, m: Member) -> bool:
        return m.uid in self.pos or m in self.staff

    @staticmethod
    def _push(lst: list[Member], pos: dict[int, int], m: Member) -> None:
        pos[m.uid] = len(lst)
        lst.append(m)

    @staticmethod
    def _pop(lst: list[Member], pos: dict[int, int], m: Member) -> None:
        i = pos.pop(m.uid)
        last = lst.pop()
        if last is not m:
            lst[i] = last
            pos[last.uid] = i

    def add(self, m: Member) -> None:
        self._push(self.others, self.pos, m)
        if m.core:
            self._push(self.core, self.cpos, m)

    def remove(self, m: Member) -> None:
        self._pop(self.others, self.pos, m)
        if m.core:
            self._pop(self.core, self.cpos, m)

    def anyone(self, rng: random.Random) -> Member:
        i = rng.randrange(len(self))
        return self.staff[i] if i < len(self.staff) else self.others[i - len(self.staff)]

    def core_member(self, rng: random.Random) -> Member:
        i = rng.randrange(len(self.staff) + len(self.core))
        return self.staff[i] if i < len(self.staff) else self.core[i - len(self.staff)]

    def leaver(self, rng: random.Random, core: bool | None) -> Member:
        """A non-staff member; `core` True/False prefers that kind when there is one."""
        if core is True and self.core:
            return rng.choice(self.core)
        for _ in range(20 if core is False else 1):
            m = rng.choice(self.others)
            if core is None or not m.core:
                return m
        return m


def generate(n_events: int, seed: int = 1, scenario: str | Scenario = "healthy",
             members: int | None = None) -> Iterator[Event]:
    """Stream `n_events` events of one conversation, deterministic for a seed.

    The group never grows past three times its starting size (joins pause at the cap), so a
    10M-event run stays a group rather than a city."""
    sc = SCENARIOS[scenario] if isinstance(scenario, str) else scenario
    rng = random.Random(seed)
    n0 = members or sc.members
    staff = [Member(1, member_name(1), "owner", True)]
    staff += [Member(u, member_name(u), "admin", True) for u in (2, 3)]
    n_core = max(3, n0 // 5)
    roster = _Roster(staff, [Member(u, member_name(u), "member", u < 4 + n_core)
                             for u in range(4, n0 + 1)])
    cap = max(3 * n0, 12)
    next_uid = n0 + 1
    owner = staff[0]
    days = min(365, max(7, n_events // 300))
    mean_gap = days * 86400 / max(1, n_events)
    recent: deque[Event] = deque(maxlen=50)
    ts = START
    for seq in range(1, n_events + 1):
        p = seq / n_events
        ts = ts + timedelta(seconds=max(1, int(rng.expovariate(1 / mean_gap))))
        join_rate = sc.join_rate + p * ((sc.join_rate_end if sc.join_rate_end is not None
                                         else sc.join_rate) - sc.join_rate)
        r = rng.random()
        if r < join_rate and len(roster) < cap:
            m = Member(next_uid, member_name(next_uid))
            next_uid += 1
            roster.add(m)
            style = "scan" if rng.random() < 0.3 else "invite"
            yield Event(seq, ts, "join", m, actor=rng.choice(staff), join_style=style)
            continue
        leave_rate = sc.leave_rate * (3 if sc.core_leave and p > 0.5 else 1)
        if join_rate <= r < join_rate + leave_rate and len(roster) > 4:
            # a dying group keeps its core at first, then loses it
            m = roster.leaver(rng, (p > 0.5) if sc.core_leave else None)
            roster.remove(m)
            if rng.random() < sc.removal_share:
                yield Event(seq, ts, "removal", m, actor=rng.choice(staff))
            else:
                yield Event(seq, ts, "leave", m, actor=m)
            continue
        if recent and rng.random() < sc.recall_rate:
            target = rng.choice(recent)
            if target.member in roster:
                yield Event(seq, ts, "recall", target.member, actor=target.member)
                continue
        owner_share = sc.owner_share + p * (sc.owner_share_end - sc.owner_share)
        ad_rate = sc.ad_rate + p * (sc.ad_rate_end - sc.ad_rate)
        if rng.random() < ad_rate and roster.others:
            # an ordinary member (anyone but the staff) posts an ad, sometimes with @all: the share of
            # all messages rises to ad_rate_end whoever else talks, as ads do in a group left to die
            text = rng.choice(_ADS).format(n=seq)
            ev = Event(seq, ts, "link", rng.choice(roster.others),
                       text=("@所有人 " + text) if rng.random() < sc.ad_at_all else text)
            recent.append(ev)
            yield ev
            continue
        if rng.random() < owner_share:
            m = owner
        else:
            m = roster.core_member(rng) if rng.random() < 0.55 else roster.anyone(rng)
        k = rng.random()
        if k < 0.55:
            kind, text = "text", rng.choice(_TALK).format(n=seq % 100)
        elif k < 0.63:
            kind, text = "question", rng.choice(_ASK)
        elif k < 0.67:
            kind, text = "link", rng.choice(_LINKS).format(n=seq)
        elif k < 0.76:
            kind, text = "sticker", ""
        elif k < 0.82:
            kind, text = "image", ""
        elif k < 0.83:
            kind, text = "red_packet", ""
        else:
            kind, text = "reply", rng.choice(_TALK).format(n=seq % 100)
        reply_to = None
        if kind == "reply":
            if not recent:
                kind = "text"
            else:
                reply_to = rng.choice(recent).seq
        ev = Event(seq, ts, kind, m, text=text, reply_to=reply_to)
        recent.append(ev)
        yield ev


# ---------------------------------------------------------------------------------------------
# Ids per layout (the property test maps members through these).

def wechat_id(m: Member) -> str:
    return f"wxid_synth{m.uid:05d}"


def qq_id(m: Member) -> str:
    return f"m{m.uid}@example.com" if m.uid % 13 == 6 else str(200000 + m.uid)


def telegram_id(m: Member) -> str:
    return f"user{7000000 + m.uid}"


def discord_id(m: Member) -> str:
    return str(300000000000000000 + m.uid)


def qce_id(m: Member) -> str:
    return str(200000 + m.uid)


def chatlab_id(m: Member) -> str:
    return f"u{m.uid}"


MEMBER_IDS = {"wechatmsg-csv": wechat_id, "pywxdump-csv": wechat_id, "qq-txt": qq_id,
              "qce-json": qce_id, "telegram-json": telegram_id, "discord-json": discord_id,
              "discord-csv": discord_id, "chatlab-json": chatlab_id, "chatlab-jsonl": chatlab_id}
GROUP_NAME = "读书会(示例)"

WECHAT_ROOM = "20260302001@chatroom"
QQ_GROUP = "987654321"
TG_CHAT = 1987654321
DISCORD_GUILD, DISCORD_CHANNEL = "900000000000000001", "900000000000000002"
_FILE_NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"


def _local(ts: datetime) -> str:
    return ts.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")


def _split_link(text: str) -> tuple[str, str]:
    for marker in ("https://", "http://", "www."):
        i = text.find(marker)
        if i >= 0:
            return text[:i], text[i:]
    return text, ""


class _Writer:
    """One layout's streaming writer: `write(event)` per event, `close()` once."""

    layout = ""

    def write(self, ev: Event) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def close(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


class WeChatMsgWriter(_Writer):
    """WeChatMsg CSV: UTF-8 with BOM, the exporter's twelve columns; the owner is the exporter."""

    layout = "wechatmsg-csv"
    HEADER = ["localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status",
              "StrContent", "StrTime", "Remark", "NickName", "Sender"]
    TYPES = {"text": (1, 0), "question": (1, 0), "link": (49, 5), "sticker": (47, 0),
             "image": (3, 0), "red_packet": (49, 2001), "reply": (49, 57)}

    def __init__(self, out: str) -> None:
        os.makedirs(out, exist_ok=True)
        self.path = os.path.join(out, f"{GROUP_NAME}_utf8.csv")
        self.fh = open(self.path, "w", encoding="utf-8-sig", newline="")
        self.w = csv.writer(self.fh)
        self.w.writerow(self.HEADER)

    def _row(self, ev: Event, typ: int, sub: int, text: str, m: Member | None) -> None:
        self.w.writerow([ev.seq, 7, typ, sub, int(bool(m and m.role == "owner")),
                         int(ev.ts.timestamp()), 2, text, _local(ev.ts), "",
                         m.name if m else "", wechat_id(m) if m else ""])

    def write(self, ev: Event) -> None:
        m = ev.member
        if ev.is_content:
            typ, sub = self.TYPES[ev.kind]
            self._row(ev, typ, sub, ev.text if typ in (1, 49) and sub != 2001 else "", m)
        elif ev.kind == "recall":
            self._row(ev, 10000, 0, f'"{m.name}" 撤回了一条消息', None)
        elif ev.kind == "join":
            a = ev.actor.name if ev.actor else ""
            text = (f'"{m.name}"通过扫描"{a}"分享的二维码加入群聊' if ev.join_style == "scan"
                    else f'"{a}"邀请"{m.name}"加入了群聊')
            self._row(ev, 10000, 0, text, None)
        elif ev.kind == "removal":
            self._row(ev, 10000, 0, f'"{ev.actor.name}"将"{m.name}"移出了群聊', None)
        # WeChat writes nothing when a member leaves on their own.

    def close(self) -> str:
        self.fh.close()
        return self.path


class PyWxDumpWriter(_Writer):
    """PyWxDump: pages `<room>_<start>_<end>.csv` (UTF-8, no BOM) and users.json."""

    layout = "pywxdump-csv"
    LABELS = {"text": "文本", "question": "文本", "link": "卡片式链接", "sticker": "动画表情",
              "image": "图片", "red_packet": "红包", "reply": "引用回复"}

    def __init__(self, out: str, page_size: int = 5000) -> None:
        os.makedirs(out, exist_ok=True)
        self.out, self.page_size = out, page_size
        self.rows = 0
        self.fh = None
        self.users: dict[str, dict] = {WECHAT_ROOM: {"wxid": WECHAT_ROOM, "nickname": GROUP_NAME,
                                                      "remark": "", "account": ""}}

    def _w(self) -> csv.writer:
        if self.rows % self.page_size == 0:
            if self.fh:
                self.fh.close()
            start = self.rows
            name = f"{WECHAT_ROOM}_{start}_{start + self.page_size}.csv"
            self.fh = open(os.path.join(self.out, name), "w", encoding="utf-8", newline="")
            self.cw = csv.writer(self.fh)
            self.cw.writerow(["id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name",
                              "msg", "src", "CreateTime"])
        self.rows += 1
        return self.cw

    def _see(self, m: Member) -> None:
        self.users.setdefault(wechat_id(m), {"wxid": wechat_id(m), "nickname": m.name,
                                             "remark": "", "account": f"acc{m.uid}"})

    def write(self, ev: Event) -> None:
        m = ev.member
        self._see(m)
        if ev.actor:
            self._see(ev.actor)
        if ev.is_content:
            label, talker, text = self.LABELS[ev.kind], wechat_id(m), ev.text
        elif ev.kind == "recall":
            label, talker, text = "系统通知", "", f'"{m.name}" 撤回了一条消息'
        elif ev.kind == "join":
            a = ev.actor.name if ev.actor else ""
            label, talker = "邀请加群", ""
            text = (f'"{m.name}"通过扫描"{a}"分享的二维码加入群聊' if ev.join_style == "scan"
                    else f'"{a}"邀请"{m.name}"加入了群聊')
        elif ev.kind == "removal":
            label, talker, text = "系统通知", "", f'"{ev.actor.name}"将"{m.name}"移出了群聊'
        else:
            return
        self._w().writerow([ev.seq, 6100000000000000000 + ev.seq, label,
                            int(m.role == "owner" and talker != ""), talker, WECHAT_ROOM, text,
                            "", _local(ev.ts)])

    def close(self) -> str:
        if self.fh:
            self.fh.close()
        with open(os.path.join(self.out, "users.json"), "w", encoding="utf-8") as fh:
            json.dump(self.users, fh, ensure_ascii=False, indent=4)
        return self.out


class QQTxtWriter(_Writer):
    """QQ message manager TXT; 12-hour times with AM/PM when `twelve_hour`."""

    layout = "qq-txt"
    MARKERS = {"sticker": "[表情]", "image": "[图片]", "red_packet": "[红包]"}
    TITLES = {"owner": "【群主】", "admin": "【管理员】"}

    def __init__(self, out: str, twelve_hour: bool = True) -> None:
        os.makedirs(out, exist_ok=True)
        self.path = os.path.join(out, f"{GROUP_NAME}.txt")
        self.fh = open(self.path, "w", encoding="utf-8-sig", newline="\r\n")
        self.twelve = twelve_hour
        bar = "=" * 64
        self.fh.write(f"消息记录（此消息记录为文本格式，不支持重新导入）\n\n{bar}\n消息分组:我的QQ群\n"
                      f"{bar}\n消息对象:{GROUP_NAME}\n{bar}\n\n")

    def _stamp(self, ts: datetime) -> str:
        t = ts.astimezone(CST)
        if not self.twelve:
            return f"{t:%Y-%m-%d} {t.hour}:{t:%M:%S}"
        h = t.hour % 12 or 12
        return f"{t:%Y-%m-%d} {h}:{t:%M:%S} {'PM' if t.hour >= 12 else 'AM'}"

    def _who(self, m: Member) -> str:
        qid = qq_id(m)
        title = self.TITLES.get(m.role, "")
        return f"{title}{m.name}<{qid}>" if "@" in qid else f"{title}{m.name}({qid})"

    def write(self, ev: Event) -> None:
        m = ev.member
        if ev.is_content:
            who, text = self._who(m), self.MARKERS.get(ev.kind, ev.text)
        elif ev.kind == "recall":
            who, text = self._who(m), "撤回了一条消息"
        elif ev.kind == "join":
            who, text = "系统消息(10000)", f"{m.name}加入本群。"
        elif ev.kind == "leave":
            who, text = "系统消息(10000)", f"{m.name}退出了本群。"
        else:
            who, text = "系统消息(10000)", f"{m.name}被{ev.actor.name}移出本群。"
        self.fh.write(f"{self._stamp(ev.ts)} {who}\n{text}\n\n")

    def close(self) -> str:
        self.fh.close()
        return self.path


class _JsonArrayWriter(_Writer):
    """Writes `prefix`, then items separated by commas, then `suffix`: a JSON document streamed."""

    def _open(self, path: str, prefix: str) -> None:
        self.path = path
        self.fh = open(path, "w", encoding="utf-8")
        self.fh.write(prefix)
        self.first = True

    def _item(self, obj: dict) -> None:
        self.fh.write(("\n  " if self.first else ",\n  ") + json.dumps(obj, ensure_ascii=False))
        self.first = False

    def _finish(self, suffix: str) -> str:
        self.fh.write(suffix)
        self.fh.close()
        return self.path


class QCEWriter(_JsonArrayWriter):
    """QQChatExporter V4 JSON. Its statistics block is written after the messages here (the real
    exporter counts first, then writes): a streamed file cannot know its totals up front."""

    layout = "qce-json"

    def __init__(self, out: str) -> None:
        os.makedirs(out, exist_ok=True)
        meta = {"metadata": {"name": "QQChatExporter V4 / https://github.com/shuakami/qq-chat-exporter",
                             "copyright": "synthetic data", "version": "4.0.0"},
                "chatInfo": {"name": GROUP_NAME, "type": "group"}}
        self._open(os.path.join(out, f"{GROUP_NAME}.json"),
                   json.dumps(meta, ensure_ascii=False)[:-1] + ', "messages": [')
        self.count = 0

    @staticmethod
    def mid(seq: int) -> str:
        return str(7300000000000000000 + seq)

    def write(self, ev: Event) -> None:
        m = ev.member
        iso = ev.ts.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        sender = {"uid": f"u_synth{m.uid}", "uin": qce_id(m), "name": m.name}
        elements: list[dict] = []
        resources: list[dict] = []
        text, system, recalled = ev.text, False, False
        if ev.kind == "reply":
            elements.append({"type": "reply", "data": {"replyMsgId": self.mid(ev.reply_to)}})
            elements.append({"type": "text", "data": {"text": ev.text}})
        elif ev.kind == "image":
            elements.append({"type": "image", "data": {"filename": f"{ev.seq}.jpg"}})
            resources.append({"type": "image", "filename": f"{ev.seq}.jpg"})
            text = "[图片]"
        elif ev.kind == "sticker":
            elements.append({"type": "market_face", "data": {"name": "[表情]"}})
            text = "[表情]"
        elif ev.kind == "red_packet":
            elements.append({"type": "wallet", "data": {"title": "恭喜发财"}})
            text = "[红包]"
        elif ev.is_content:
            elements.append({"type": "text", "data": {"text": ev.text}})
        elif ev.kind == "recall":
            recalled, text = True, ""
        else:
            system = True
            sender = {"uid": "", "uin": "", "name": ""}
            text = {"join": f"{m.name}加入了本群", "leave": f"{m.name}退出了本群",
                    "removal": f"{m.name}被{ev.actor.name if ev.actor else ''}移出了本群"}[ev.kind]
        self._item({"messageId": self.mid(ev.seq), "messageSeq": str(ev.seq), "timestamp": iso,
                    "sender": sender, "messageType": 5 if system else 2,
                    "isSystemMessage": system, "isRecalled": recalled,
                    "content": {"text": text, "html": text, "elements": elements,
                                "resources": resources, "mentions": []},
                    "rawMessage": {"sendMemberName": "" if system else m.name,
                                   "sendNickName": "" if system else m.name,
                                   "peerUin": QQ_GROUP, "msgTime": str(int(ev.ts.timestamp()))}})
        self.count += 1

    def close(self) -> str:
        return self._finish(f'\n], "statistics": {{"totalMessages": {self.count}}}}}\n')


class TelegramWriter(_JsonArrayWriter):
    """Telegram Desktop result.json for a supergroup; recalls are absent (deleted messages are
    not exported) and a red packet, which Telegram lacks, is a plain text message."""

    layout = "telegram-json"

    def __init__(self, out: str) -> None:
        os.makedirs(out, exist_ok=True)
        self._open(os.path.join(out, "result.json"),
                   '{\n "name": ' + json.dumps(GROUP_NAME, ensure_ascii=False) +
                   f',\n "type": "private_supergroup",\n "id": {TG_CHAT},\n "messages": [')

    def write(self, ev: Event) -> None:
        m = ev.member
        base = {"id": ev.seq, "type": "message",
                "date": ev.ts.astimezone(CST).strftime("%Y-%m-%dT%H:%M:%S"),
                "date_unixtime": str(int(ev.ts.timestamp()))}
        if ev.kind in EVENT_KINDS:
            a = ev.actor or m
            base.update(type="service", actor=a.name, actor_id=telegram_id(a))
            if ev.kind == "join" and ev.join_style == "scan":
                base.update(actor=m.name, actor_id=telegram_id(m), action="join_group_by_link",
                            inviter=a.name)
            elif ev.kind == "join":
                base.update(action="invite_members", members=[m.name])
            else:  # leave: the member removes themself; removal: an admin does
                base.update(action="remove_members", members=[m.name])
            base.update(text="", text_entities=[])
            self._item(base)
            return
        if ev.kind == "recall":
            return
        base.update({"from": m.name, "from_id": telegram_id(m)})
        if ev.kind == "reply":
            base["reply_to_message_id"] = ev.reply_to
        if ev.kind == "sticker":
            base.update(file=_FILE_NOT_INCLUDED, media_type="sticker", sticker_emoji="👍",
                        width=512, height=512)
        elif ev.kind == "image":
            base.update(photo=_FILE_NOT_INCLUDED, width=1280, height=960)
        text = "🧧" if ev.kind == "red_packet" else ev.text
        head, url = _split_link(text) if ev.kind == "link" else (text, "")
        if url:
            base["text"] = [head, {"type": "link", "text": url}]
            base["text_entities"] = [{"type": "plain", "text": head}, {"type": "link", "text": url}]
        else:
            base["text"] = text
            base["text_entities"] = [{"type": "plain", "text": text}] if text else []
        self._item(base)

    def close(self) -> str:
        return self._finish("\n ]\n}\n")


def _discord_author(m: Member) -> dict:
    roles = {"owner": [{"id": "1", "name": "Owner", "color": None, "position": 3}],
             "admin": [{"id": "2", "name": "Admin", "color": None, "position": 2}]}
    return {"id": discord_id(m), "name": f"member{m.uid}", "discriminator": "0000",
            "nickname": m.name, "color": None, "isBot": False, "roles": roles.get(m.role, []),
            "avatarUrl": ""}


def _discord_mid(seq: int) -> str:
    return str(1200000000000000000 + seq)


class DiscordJsonWriter(_JsonArrayWriter):
    """DiscordChatExporter JSON; Discord has no leave, removal or recall messages in a channel."""

    layout = "discord-json"

    def __init__(self, out: str) -> None:
        os.makedirs(out, exist_ok=True)
        head = {"guild": {"id": DISCORD_GUILD, "name": GROUP_NAME, "iconUrl": ""},
                "channel": {"id": DISCORD_CHANNEL, "type": "GuildTextChat", "categoryId": "9",
                            "category": "Text Channels", "name": "general", "topic": None},
                "dateRange": {"after": None, "before": None}}
        self._open(os.path.join(out, f"{GROUP_NAME} - general [{DISCORD_CHANNEL}].json"),
                   json.dumps(head, ensure_ascii=False)[:-1] + ', "messages": [')
        self.count = 0

    def write(self, ev: Event) -> None:
        if ev.kind in ("leave", "removal", "recall"):
            return
        m = ev.member
        msg = {"id": _discord_mid(ev.seq), "type": "Default", "timestamp": ev.ts.isoformat(),
               "timestampEdited": None, "callEndedTimestamp": None, "isPinned": False,
               "content": "🧧" if ev.kind == "red_packet" else ev.text,
               "author": _discord_author(m), "attachments": [], "embeds": [], "stickers": [],
               "reactions": [], "mentions": [], "inlineEmojis": []}
        if ev.kind == "join":
            msg.update(type="GuildMemberJoin", content="")
        elif ev.kind == "reply":
            msg.update(type="Reply", reference={"messageId": _discord_mid(ev.reply_to),
                                                "channelId": DISCORD_CHANNEL,
                                                "guildId": DISCORD_GUILD})
        elif ev.kind == "sticker":
            msg["stickers"] = [{"id": "77", "name": "wave", "format": "Png",
                                "sourceUrl": "https://cdn.example/stickers/77.png"}]
        elif ev.kind == "image":
            msg["attachments"] = [{"id": str(ev.seq), "url": f"https://cdn.example/a/{ev.seq}/photo.png",
                                   "fileName": "photo.png", "fileSizeBytes": 20480}]
        self._item(msg)
        self.count += 1

    def close(self) -> str:
        return self._finish(f'\n], "messageCount": {self.count}}}\n')


class DiscordCsvWriter(_Writer):
    """DiscordChatExporter CSV: every field quoted, culture-formatted dates without seconds, no
    joins (the layout has no message type)."""

    layout = "discord-csv"

    def __init__(self, out: str, date_order: str = "mdy") -> None:
        os.makedirs(out, exist_ok=True)
        self.path = os.path.join(out, f"{GROUP_NAME} - general [{DISCORD_CHANNEL}].csv")
        self.fh = open(self.path, "w", encoding="utf-8", newline="")
        self.w = csv.writer(self.fh, quoting=csv.QUOTE_ALL)
        self.w.writerow(["AuthorID", "Author", "Date", "Content", "Attachments", "Reactions"])
        self.order = date_order

    def _date(self, ts: datetime) -> str:
        t = ts.astimezone(CST)
        if self.order == "mdy":
            h = t.hour % 12 or 12
            return f"{t.month}/{t.day}/{t.year} {h}:{t:%M} {'PM' if t.hour >= 12 else 'AM'}"
        if self.order == "dmy":
            return f"{t:%d/%m/%Y %H:%M}"
        return f"{t:%Y-%m-%d %H:%M}"

    def write(self, ev: Event) -> None:
        if not ev.is_content:
            return
        m = ev.member
        attach = f"https://cdn.example/a/{ev.seq}/photo.png" if ev.kind == "image" else ""
        text = "🧧" if ev.kind == "red_packet" else ev.text
        self.w.writerow([discord_id(m), f"member{m.uid}", self._date(ev.ts), text, attach, ""])

    def close(self) -> str:
        self.fh.close()
        return self.path


_CHATLAB_TYPES = {"text": 0, "question": 0, "link": 7, "sticker": 5, "image": 1,
                  "red_packet": 20, "reply": 25}


def _chatlab_message(ev: Event) -> dict | None:
    m = ev.member
    rec = {"platformMessageId": f"m{ev.seq}", "sender": chatlab_id(m), "accountName": m.name,
           "groupNickname": m.name, "timestamp": int(ev.ts.timestamp())}
    if ev.is_content:
        rec.update(type=_CHATLAB_TYPES[ev.kind], content=ev.text or None)
        if ev.reply_to is not None:
            rec["replyToMessageId"] = f"m{ev.reply_to}"
    elif ev.kind == "recall":
        rec.update(type=81, content=None)
    else:  # QQ's own wording, because meta.platform is qq
        a = ev.actor.name if ev.actor else ""
        rec.update(type=80, content={"join": f"{m.name}加入本群。", "leave": f"{m.name}退出了本群。",
                                     "removal": f"{m.name}被{a}移出本群。"}[ev.kind])
    return rec


def _chatlab_member(m: Member) -> dict:
    rec = {"platformId": chatlab_id(m), "accountName": m.name, "groupNickname": m.name}
    if m.role in ("owner", "admin"):
        rec["roles"] = [{"id": m.role}]
    return rec


class _ChatLabBase(_Writer):
    """Members precede messages in ChatLab, but are known only at the end of a stream: messages
    go to a spool file beside the output, joined behind the header and members on close."""

    def __init__(self, out: str, filename: str) -> None:
        os.makedirs(out, exist_ok=True)
        self.path = os.path.join(out, filename)
        self.spool_path = self.path + ".part"
        self.spool = open(self.spool_path, "w", encoding="utf-8")
        self.members: dict[int, Member] = {}
        self.first = True

    def _see(self, ev: Event) -> None:
        self.members.setdefault(ev.member.uid, ev.member)
        if ev.actor:
            self.members.setdefault(ev.actor.uid, ev.actor)

    def _header(self) -> tuple[dict, dict]:
        return ({"version": "0.0.2", "exportedAt": int(START.timestamp()),
                 "generator": "qunce tools/synth_exports.py"},
                {"name": GROUP_NAME, "platform": "qq", "type": "group", "groupId": QQ_GROUP,
                 "ownerId": "u1"})

    def _join_spool(self, head: str, tail: str) -> str:
        import shutil

        self.spool.close()
        with open(self.path, "w", encoding="utf-8") as out, \
                open(self.spool_path, encoding="utf-8") as spool:
            out.write(head)
            shutil.copyfileobj(spool, out, 1 << 20)
            out.write(tail)
        os.remove(self.spool_path)
        return self.path


class ChatLabJsonWriter(_ChatLabBase):
    layout = "chatlab-json"

    def __init__(self, out: str) -> None:
        super().__init__(out, f"{GROUP_NAME}.chatlab.json")

    def write(self, ev: Event) -> None:
        self._see(ev)
        self.spool.write(("\n  " if self.first else ",\n  ") +
                         json.dumps(_chatlab_message(ev), ensure_ascii=False))
        self.first = False

    def close(self) -> str:
        chatlab, meta = self._header()
        members = ",\n  ".join(json.dumps(_chatlab_member(m), ensure_ascii=False)
                               for _, m in sorted(self.members.items()))
        head = (f'{{"chatlab": {json.dumps(chatlab)},\n "meta": '
                f'{json.dumps(meta, ensure_ascii=False)},\n "members": [\n  {members}\n ],\n'
                f' "messages": [')
        return self._join_spool(head, "\n ]\n}\n")


class ChatLabJsonlWriter(_ChatLabBase):
    layout = "chatlab-jsonl"

    def __init__(self, out: str) -> None:
        super().__init__(out, f"{GROUP_NAME}.chatlab.jsonl")

    def write(self, ev: Event) -> None:
        self._see(ev)
        rec = {"_type": "message", **_chatlab_message(ev)}
        self.spool.write(json.dumps(rec, ensure_ascii=False) + "\n")

    def close(self) -> str:
        chatlab, meta = self._header()
        lines = [json.dumps({"_type": "header", "chatlab": chatlab, "meta": meta},
                            ensure_ascii=False)]
        lines += [json.dumps({"_type": "member", **_chatlab_member(m)}, ensure_ascii=False)
                  for _, m in sorted(self.members.items())]
        return self._join_spool("\n".join(lines) + "\n", "")


class WeComStatsWriter(_Writer):
    """企业微信 group statistics by day, with the API's field names; counts from the events."""

    layout = "wecom-stats-csv"
    HEADER = ["stat_time", "chat_id", "chat_name", "new_member_cnt", "member_total",
              "member_has_msg", "msg_total", "left_member_cnt"]

    def __init__(self, out: str, members: int) -> None:
        os.makedirs(out, exist_ok=True)
        self.path = os.path.join(out, "wecom_group_stats.csv")
        self.fh = open(self.path, "w", encoding="utf-8-sig", newline="")
        self.w = csv.writer(self.fh)
        self.w.writerow(self.HEADER)
        self.total = members
        self.day = None
        self._reset()

    def _reset(self) -> None:
        self.new = self.left = self.msgs = 0
        self.speakers: set[int] = set()

    def _flush(self) -> None:
        if self.day is None:
            return
        midnight = datetime(self.day.year, self.day.month, self.day.day, tzinfo=CST)
        self.w.writerow([int(midnight.timestamp()), "wrsynth" + QQ_GROUP, GROUP_NAME, self.new,
                         self.total, len(self.speakers), self.msgs, self.left])

    def write(self, ev: Event) -> None:
        day = ev.ts.astimezone(CST).date()
        if day != self.day:
            self._flush()
            self.day = day
            self._reset()
        if ev.kind == "join":
            self.new += 1
            self.total += 1
        elif ev.kind in ("leave", "removal"):
            self.left += 1
            self.total -= 1
        elif ev.is_content:
            self.msgs += 1
            self.speakers.add(ev.member.uid)

    def close(self) -> str:
        self._flush()
        self.fh.close()
        return self.path


LAYOUTS = ("wechatmsg-csv", "pywxdump-csv", "qq-txt", "qce-json", "telegram-json",
           "discord-json", "discord-csv", "chatlab-json", "chatlab-jsonl", "wecom-stats-csv")


def write_all(out_dir: str, n_events: int, seed: int = 1, scenario: str = "healthy",
              layouts: tuple[str, ...] = LAYOUTS, members: int | None = None,
              date_order: str = "mdy", qq_12h: bool = True,
              page_size: int = 5000) -> dict[str, str]:
    """Generate one conversation and write it in every requested layout in a single pass.

    Returns layout name -> path (a folder for PyWxDump)."""
    sc = SCENARIOS[scenario]
    n0 = members or sc.members
    makers = {
        "wechatmsg-csv": lambda: WeChatMsgWriter(os.path.join(out_dir, "wechatmsg")),
        "pywxdump-csv": lambda: PyWxDumpWriter(os.path.join(out_dir, "pywxdump"), page_size),
        "qq-txt": lambda: QQTxtWriter(os.path.join(out_dir, "qq-txt"), qq_12h),
        "qce-json": lambda: QCEWriter(os.path.join(out_dir, "qce")),
        "telegram-json": lambda: TelegramWriter(os.path.join(out_dir, "telegram")),
        "discord-json": lambda: DiscordJsonWriter(os.path.join(out_dir, "discord-json")),
        "discord-csv": lambda: DiscordCsvWriter(os.path.join(out_dir, "discord-csv"), date_order),
        "chatlab-json": lambda: ChatLabJsonWriter(os.path.join(out_dir, "chatlab")),
        "chatlab-jsonl": lambda: ChatLabJsonlWriter(os.path.join(out_dir, "chatlab-jsonl")),
        "wecom-stats-csv": lambda: WeComStatsWriter(os.path.join(out_dir, "wecom"), n0),
    }
    writers = [makers[name]() for name in layouts]
    try:
        for ev in generate(n_events, seed, sc, members=n0):
            for w in writers:
                w.write(ev)
    finally:
        paths = {w.layout: w.close() for w in writers}
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--messages", type=int, default=2000, help="events to generate")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scenario", choices=sorted(SCENARIOS), default="healthy")
    ap.add_argument("--members", type=int, default=None)
    ap.add_argument("--layout", action="append", choices=LAYOUTS,
                    help="write only these layouts (repeatable); default all")
    ap.add_argument("--date-order", choices=("mdy", "dmy", "ymd"), default="mdy")
    ap.add_argument("--page-size", type=int, default=5000)
    args = ap.parse_args(argv)
    paths = write_all(args.out_dir, args.messages, args.seed, args.scenario,
                      tuple(args.layout or LAYOUTS), args.members, args.date_order,
                      page_size=args.page_size)
    for layout, path in paths.items():
        print(f"{layout}\t{path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
