"""observed.examples: ids and local times only, a stable id where the export has none, and the
evidence rules citing them in both languages."""

from __future__ import annotations

from datetime import datetime

from qunce.engine.evidence.examples import cite, stable_id
from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.rules.evaluate import evaluate

from conftest import TODAY


def _row(**kw):
    base = {"figure": "at_all_7d", "group_id": "g", "message_id": None, "ts": datetime(2026, 11, 20, 15, 41),
            "sender_id": "a1b2", "kind": "text", "text_hash": 42}
    return {**base, **kw}


def test_cite_gives_local_times_and_platform_ids():
    """A UTC time becomes the community's local time; the platform's id is kept as text."""
    assert cite([_row(message_id="8812")], "Asia/Shanghai") == {"at_all_7d": [{"id": "8812", "at": "2026-11-20 23:41"}]}


def test_stable_id_where_the_export_has_none():
    """QQ text has no message ids: the store's identity of the message gives a short id that is the
    same on every run and differs between messages; it holds no name and no text."""
    one = stable_id(_row())
    assert one == stable_id(_row()) and one.startswith("~") and len(one) == 11
    assert one != stable_id(_row(ts=datetime(2026, 11, 20, 15, 42)))
    assert "a1b2" not in one


def _check(observed: dict, lang: str) -> list[str]:
    import yaml

    text = yaml.safe_dump({"version": 1, "community": {"name": "例"}, "structure": {"platform": "wechat_group"},
                           "observed": observed}, allow_unicode=True)
    plan = load_plan_bytes(text.encode("utf-8"), "p.yaml")
    from qunce.engine.rules.pack import load_rules

    rules = load_rules()
    out = evaluate(rules, plan.data, plan.locator, plan.path, today=TODAY)
    return [f.text(lang).message for f in out.findings if f.rule == "harassment.evidence-at-all"]


def test_findings_cite_the_examples():
    """With examples the message ends with them ("例如 #8812 11-20 23:41、#~…"); without, it does not."""
    ex = {"at_all_7d": [{"id": "8812", "at": "2026-11-20 23:41"}, {"id": "~3fa09c1d2e", "at": "2026-11-19 08:05"}]}
    zh = _check({"at_all_7d": 12, "examples": ex}, "zh")
    assert zh and zh[0].endswith("例如 #8812 11-20 23:41、#~3fa09c1d2e 11-19 08:05。"), zh
    en = _check({"at_all_7d": 12, "examples": ex}, "en")
    assert en and en[0].endswith("E.g. #8812 11-20 23:41, #~3fa09c1d2e 11-19 08:05."), en
    bare = _check({"at_all_7d": 12}, "zh")
    assert bare and "例如" not in bare[0] and "#" not in bare[0]


def test_at_most_three_are_cited():
    """An operator who types in more examples than observe writes still gets three in the message."""
    ex = {"at_all_7d": [{"id": str(i), "at": "2026-11-20 23:41"} for i in range(1, 6)]}
    zh = _check({"at_all_7d": 12, "examples": ex}, "zh")[0]
    assert "#3 " in zh and "#4 " not in zh
