"""Each role criterion of roles.yaml fires for one member built to meet it and not for one who falls short."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from qunce.engine.evidence import roles
from qunce.engine.evidence.store import EvidenceStore

AS_OF = date(2026, 3, 31)
COLS = ("platform", "source", "group_id", "message_id", "ts", "sender_id", "sender_role", "kind", "actor_id",
        "reply_to", "mentions_all", "text_len", "is_question", "text_hash", "text")


class Chat:
    """Builds rows one message at a time; ids are m1, m2, ... in order."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def say(self, ts, sender, *, kind="text", length=30, reply_to=None, question=False, all_=False,
            text="普通的一句话", actor=None, role=None):
        mid = f"m{len(self.rows) + 1}"
        self.rows.append({
            "platform": "wechat", "source": "test", "group_id": "g", "message_id": mid, "ts": ts,
            "sender_id": sender, "sender_role": role or ("owner" if sender == "O" else "member"), "kind": kind,
            "actor_id": actor, "reply_to": reply_to, "mentions_all": all_, "text_len": length,
            "is_question": question, "text_hash": len(self.rows) + 1, "text": text})
        return mid

    def batch(self, keep_text=True):
        cols = {c: [r[c] for r in self.rows] for c in COLS}
        if not keep_text:
            cols["text"] = [None] * len(self.rows)
        return cols


def t(day, h, m=0):
    return datetime(2026, 3, day, h, m)


def build() -> Chat:
    c = Chat()
    # organizer: O is staff; p1 pinned once; b1 sent @all three times, b2 only twice
    c.say(t(2, 9), "p1")
    c.say(t(2, 9, 1), "x", kind="pin", actor="p1")
    for k in range(3):
        c.say(t(3, 9, k), "b1", all_=True)
    for k in range(2):
        c.say(t(3, 10, k), "b2", all_=True)
    # entertainer: e1 answers 10 of chat's lines within a minute in a few characters; e2 only 9
    for k in range(10):
        c.say(t(10, 10, 2 * k), "chat", length=40)
        c.say(t(10, 10, 2 * k) + timedelta(seconds=50), "e1", length=3, text="哈哈")
    for k in range(9):
        c.say(t(11, 10, 2 * k), "chat", length=40)
        c.say(t(11, 10, 2 * k) + timedelta(seconds=50), "e2", length=3, text="哈哈")
    # thinker: t1 two long messages replied to by r1 r2 r3; t2 two long, two repliers; t3 one long, three
    a = c.say(t(12, 9), "t1", length=150)
    c.say(t(12, 9, 5), "r1", reply_to=a)
    c.say(t(12, 9, 6), "r2", reply_to=a)
    b = c.say(t(12, 11), "t1", length=150)
    c.say(t(12, 11, 5), "r3", reply_to=b)
    for h in (9, 11):
        m = c.say(t(13, h), "t2", length=150)
        c.say(t(13, h, 5), "r1", reply_to=m)
        c.say(t(13, h, 6), "r2", reply_to=m)
    m = c.say(t(14, 9), "t3", length=150)
    for k, r in enumerate(("r1", "r2", "r3")):
        c.say(t(14, 9, 5 + k), r, reply_to=m)
    # challenger: c1 objects to the owner twice; c2 once; c3 objects twice but to a member; c4 replies
    # to the owner twice without objecting
    o = c.say(t(15, 9), "O", text="下周起晚上十点后禁言")
    c.say(t(15, 9, 10), "c1", reply_to=o, text="我不同意这个安排")
    c.say(t(15, 9, 30), "c1", reply_to=o, text="还是觉得不合理")
    c.say(t(15, 10), "c2", reply_to=o, text="反对")
    x = c.say(t(15, 12), "r1", text="我觉得可以")
    c.say(t(15, 12, 10), "c3", reply_to=x, text="不同意")
    c.say(t(15, 12, 20), "c3", reply_to=x, text="Disagree, really")
    c.say(t(15, 14), "c4", reply_to=o, text="好的")
    c.say(t(15, 14, 10), "c4", reply_to=o, text="收到")
    # asker: a1 2 questions of 3 messages; a2 2 of 10
    for k in range(3):
        c.say(t(16, 9, 5 * k), "a1", question=k < 2)
    for k in range(10):
        c.say(t(16, 11, 5 * k), "a2", question=k < 2)
    # onlooker: l1 said one thing; gone1 said one thing and left
    c.say(t(17, 9), "l1")
    c.say(t(17, 10), "gone1")
    c.say(t(17, 11), "gone1", kind="leave")
    return c


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    with EvidenceStore.open(tmp_path_factory.mktemp("roles")) as store:
        store.load([build().batch()])
        yield roles.classify(store, AS_OF, tz="UTC")


def members(result, role):
    return set(result["roles"][role]["members"])


def test_all_six_roles_reported(result):
    assert list(result["roles"]) == list(roles.ROLE_ORDER)
    assert [result["roles"][r]["zh"] for r in roles.ROLE_ORDER] == ["组织者", "思想者", "清谈者", "求教者", "围观者", "挑战者"]
    for entry in result["roles"].values():
        assert entry["count"] == len(entry["members"])


def test_organizer(result):
    """Staff (O), one pin (p1) and three @all (b1) qualify; two @all (b2) do not."""
    assert members(result, "organizer") == {"O", "p1", "b1"}


def test_thinker(result):
    """Two long messages and three distinct repliers (t1); two repliers (t2) or one long message (t3) fall short."""
    assert members(result, "thinker") == {"t1"}


def test_entertainer(result):
    """Ten short replies within five minutes of someone else (e1); nine (e2) are not enough."""
    assert members(result, "entertainer") == {"e1"}


def test_asker(result):
    """Two questions in three messages (a1); two in ten (a2) is under the 30% share."""
    assert members(result, "asker") == {"a1"}


def test_onlooker(result):
    """Present members with at most two messages: l1 yes; gone1 left; O is staff; e1, a2 talk a lot."""
    look = members(result, "onlooker")
    assert {"l1", "p1", "b2", "c2"} <= look
    assert not look & {"gone1", "O", "e1", "a2", "chat", "a1"}


def test_challenger(result):
    """Two objections to the owner (c1); one (c2), objections to a member (c3), neutral replies (c4) do not."""
    assert members(result, "challenger") == {"c1"}


def test_challenger_unknown_without_text(tmp_path):
    """Without stored text the challenger role is unknown (None), not empty; the others still work."""
    with EvidenceStore.open(tmp_path) as store:
        store.load([build().batch(keep_text=False)])
        out = roles.classify(store, AS_OF, tz="UTC")
    assert out["roles"]["challenger"]["count"] is None and out["roles"]["challenger"]["members"] is None
    assert set(out["roles"]["thinker"]["members"]) == {"t1"}


def test_criteria_are_data(tmp_path):
    """Lowering a threshold in the criteria changes the result: two @all now make b2 an organizer."""
    rules = roles.criteria()
    changed = {**rules, "roles": {**rules["roles"], "organizer": {**rules["roles"]["organizer"], "mentions_all_min": 2}}}
    with EvidenceStore.open(tmp_path) as store:
        store.load([build().batch()])
        out = roles.classify(store, AS_OF, tz="UTC", rules=changed)
    assert "b2" in out["roles"]["organizer"]["members"]
    # window: messages older than the criteria's window are not counted
    with EvidenceStore.open(tmp_path) as store:
        out = roles.classify(store, date(2026, 9, 30), tz="UTC")
    assert out["roles"]["thinker"]["members"] == []
