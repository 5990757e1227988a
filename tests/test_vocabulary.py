"""The domain judgements of rules/vocabulary at their edges, as plain functions and as the rules
use them; and `let:` values (order, once per item, in messages, in the sandbox)."""

from __future__ import annotations

from datetime import date

import pytest

from qunce.engine.errors import RulePackError
from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.rules import vocabulary as v
from qunce.engine.rules.evaluate import evaluate
from qunce.engine.rules.pack import load_rules

FACTS = load_rules().facts


def _seed_plan(target, seeds):
    plan = {"replication": {"mode": "clone", "readiness": {"seed_users": seeds}}}
    if target is not None:
        plan["structure"] = {"size": {"target": target}}
    return plan


@pytest.mark.parametrize("target,need", [
    (445, 45),   # a tenth is 44.5 people: 44 is short of it (the document used to say 44)
    (440, 44), (450, 45), (451, 46), (10, 1), (1, 1), (499, 50), (500, 50), (5000, 50), (None, 50),
])
def test_seed_users_needed_rounds_up_and_caps_at_the_minimum(target, need):
    """min(50, ceil(target x 0.1)), at least one; no target: the 50 of practice."""
    assert v.seed_users_needed(_seed_plan(target, 0), FACTS) == need


def test_seed_rule_agrees_with_the_judgement_at_the_445_edge(ruleset):
    """44 seeds for a 445 target fires replication.few-seed-users, 45 does not; the message's
    figure is the function's."""
    rule = ruleset.get("replication.few-seed-users")
    for seeds, fires in ((44, True), (45, False)):
        data = dict(_seed_plan(445, seeds), version=1, community={"name": "x"})
        data["replication"]["readiness"].update(staff=True, budget=True, materials=True, subculture="x")
        doc = load_plan_bytes(_yaml(data), "p.yaml")
        out = evaluate(ruleset, doc.data, doc.locator, doc.path, today=date(2025, 6, 1), only=[rule])
        assert bool(out.findings) is fires, seeds
        if fires:
            assert "at least 45 " in out.findings[0].text("en").message
    assert v.judge(_seed_plan(445, 44), FACTS)["seed_users_needed"] == 45


def _yaml(data):
    import yaml

    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


def test_platform_profile_falls_back_to_other():
    """Known platform: its figures; unknown or missing: the `other` profile (caps unknown)."""
    assert v.platform_profile({"structure": {"platform": "wechat_group"}}, FACTS)["group_cap"] == 500
    assert v.platform_profile({"structure": {"platform": "myspace"}}, FACTS) == FACTS["platforms"]["other"]
    assert v.platform_profile({}, FACTS)["group_cap"] is None
    assert v.platform_profile({}, {}) == {}


def test_group_cap_and_status_at_the_edges():
    """Over the cap, at the split point (VIP exempt), at 90% of the cap, ok, unknown."""
    plan = {"structure": {"platform": "wechat_group", "size": {"split_at": 400}}}
    wechat = v.platform_profile(plan, FACTS)
    assert v.group_cap({"capacity": 200}, wechat) == 200 and v.group_cap({}, wechat) == 500
    assert v.group_cap({}, v.platform_profile({"structure": {"platform": "zsxq"}}, FACTS)) is None
    status = lambda g: v.group_status(g, plan, FACTS)  # noqa: E731
    assert status({"members": 501}) == "over"
    assert status({"members": 201, "capacity": 200}) == "over"
    assert status({"members": 400}) == "split"
    assert status({"members": 460, "tier": "vip"}) == "near"   # VIP: no split, but 92% full
    assert status({"members": 399, "tier": "vip"}) == "ok"
    assert status({"members": 180, "capacity": 200}) == "near"
    assert status({"members": 179, "capacity": 200}) == "ok"
    assert status({"name": "no count"}) is None
    assert v.group_status({"members": 10_000}, {"structure": {"platform": "discord"}}, FACTS) == "ok"


def test_commercial_from_kind_motive_or_purpose():
    assert v.is_commercial({"positioning": {"kind": "marketing"}}, FACTS)
    assert v.is_commercial({"positioning": {"motives": ["growth", "brand"]}}, FACTS)
    assert v.is_commercial({"positioning": {"purposes": "revenue"}}, FACTS)
    assert not v.is_commercial({"positioning": {"kind": "interest", "motives": ["growth"], "purposes": ["retain"]}},
                               FACTS)
    assert not v.is_commercial({}, FACTS)


def test_staff_and_admins_count_people_once():
    """A person under two roles is one person; the owner listed as ops manager still counts."""
    team = [{"role": "owner", "name": "顾"}, {"role": "admin", "name": "吴"}, {"role": "ops_manager", "name": "吴"},
            {"role": "sales", "count": 3}, {"role": "admin", "name": "吴"}]
    plan = {"community": {"owner": "顾"}, "structure": {"team": team}}
    assert v.team_people(team) == 5 and v.team_people(team, "owner", "admin") == 2
    assert v.admin_count(plan) == 2 and v.staff_count(plan) == 5
    ops_owner = {"community": {"owner": "许"}, "structure": {"team": [{"role": "ops_manager", "name": "许"},
                                                                      {"role": "service", "count": 2}]}}
    assert v.admin_count(ops_owner) == 1 and v.staff_count(ops_owner) == 3
    absent = {"community": {"owner": "许"}, "structure": {"team": [{"role": "service", "name": "周"}]}}
    assert v.admin_count(absent) == 0 and v.staff_count(absent) == 2
    assert v.team_people([{"role": "admin", "count": 0}]) == 1  # a bad count still means someone


def test_cadence_funnel_members_and_replication():
    assert v.cadence_days("weekly") == 7 and v.cadence_days("once") is None and v.cadence_days(7) is None
    assert v.fastest_cadence([{"cadence": "monthly"}, {"cadence": "weekly"}, {"cadence": "once"}]) == 7
    assert v.fastest_cadence([{"cadence": "once"}]) is None and v.fastest_cadence(None) is None
    assert v.funnel_counts({"launches": 100, "scans": 50, "joins": 0, "completions": 5}) == [
        ("launches", 100, None), ("scans", 50, 0.5), ("joins", 0, 0.0), ("completions", 5, None)]
    assert v.member_count({"observed": {"members": 7}, "structure": {"groups": [{"members": 100}]}}) == 7
    assert v.member_count({"structure": {"groups": [{"members": 100}, {"members": 20}, {}]}}) == 120
    assert v.replicates({"replication": {"mode": "clone"}})
    assert not v.replicates({"replication": {"mode": "none"}}) and not v.replicates({})
    assert v.missing_keys({"title": "x", "subtitle": " "}, ["title", "subtitle", "cta"]) == ["subtitle", "cta"]
    assert v.choice_label("sales", "positioning.motives", "zh") == "卖货"
    assert v.choice_label("ops_manager", "structure.team[].role", "en") == "Operations manager"
    assert v.choice_label("nope", "positioning.motives", "en") == "nope"


# ---- let: -------------------------------------------------------------------------------------

PACK = """\
pack: lets
version: 1
rules:
  - id: custom.lets
    category: structure
    severity: warning
    title: {{zh: 测试, en: test}}
    message: {{zh: "{{{{ big | length }}}}/{{{{ n }}}}", en: "{{{{ big | join(',') }}}} of {{{{ n }}}}"}}
{let}
    when: {when}
    each: structure.groups
    at: members
    rationale: {{zh: x, en: x}}
    remedy: {{zh: x, en: x}}
    examples:
      fail: [{{structure: {{groups: [{{name: a, members: 9}}]}}}}]
      pass: [{{structure: {{groups: [{{name: a, members: 1}}]}}}}]
"""

LET = """    let:
      n: item.members or 0
      big: (plan.structure.groups | selectattr('members', 'ge', 5) | map(attribute='name') | list) if n >= 5 else []"""


def _pack(tmp_path, let=LET, when="big and n > 4"):
    path = tmp_path / "lets.yaml"
    path.write_text(PACK.format(let=let, when=when), encoding="utf-8")
    return path


def test_let_values_feed_when_and_message(tmp_path):
    """Each value sees the earlier ones and the item; `when:` and the message read them by name."""
    rules = load_rules([_pack(tmp_path)], defaults=False)
    doc = load_plan_bytes(_yaml({"version": 1, "community": {"name": "x"}, "structure": {"groups": [
        {"name": "a", "members": 9}, {"name": "b", "members": 2}, {"name": "c", "members": 6}]}}), "p.yaml")
    out = evaluate(rules, doc.data, doc.locator, doc.path)
    assert [(f.path, f.text("en").message) for f in out.findings] == [
        ("structure.groups[0].members", "a,c of 9"), ("structure.groups[2].members", "a,c of 6")]
    assert not out.engine_errors
    assert rules.rules[0].to_dict()["let"] == {"n": "item.members or 0", "big": LET.split("big: ")[1]}


def test_let_is_computed_once_per_rule_per_item(tmp_path, monkeypatch):
    calls = []
    from qunce.engine.rules import environment

    real = environment.FILTERS["listify"]
    monkeypatch.setitem(environment.FILTERS, "listify", lambda x: calls.append(1) or real(x))
    from qunce.engine.rules import pack

    pack._LOADED.clear()
    let = "    let:\n      n: item.members | listify | length"
    rules = load_rules([_pack(tmp_path, let, "n >= 0")], defaults=False)
    doc = load_plan_bytes(_yaml({"version": 1, "community": {"name": "x"}, "structure": {"groups": [
        {"members": 1}, {"members": 2}, {"members": 3}]}}), "p.yaml")
    evaluate(rules, doc.data, doc.locator, doc.path)
    assert len(calls) == 3
    pack._LOADED.clear()


def test_a_let_that_reads_no_item_is_computed_once_per_plan(tmp_path, monkeypatch):
    """A value that reads only the plan (all groups' names) is the same for every group: computed
    once per plan; a value that reads the item, or a value that does, once per item."""
    calls: list[str] = []
    from qunce.engine.rules import environment, pack

    real = environment.FILTERS["listify"]
    monkeypatch.setitem(environment.FILTERS, "listify", lambda x, tag="": calls.append(tag) or real(x))
    pack._LOADED.clear()
    let = ("    let:\n      everyone: plan.structure.groups | listify('plan') | length\n"
           "      mine: item.members | listify('item') | length\n"
           "      both: (mine | listify('item-based')) if everyone else []")
    rules = load_rules([_pack(tmp_path, let, "everyone >= 0 and both is defined")], defaults=False)
    assert rules.rules[0].plan_lets == frozenset({"everyone"})
    doc = load_plan_bytes(_yaml({"version": 1, "community": {"name": "x"}, "structure": {"groups": [
        {"members": 1}, {"members": 2}, {"members": 3}]}}), "p.yaml")
    evaluate(rules, doc.data, doc.locator, doc.path)
    assert calls.count("plan") == 1 and calls.count("item") == 3 and calls.count("item-based") == 3
    pack._LOADED.clear()


def test_let_runs_in_the_sandbox(tmp_path):
    """A let: value past the sandbox's bounds is an engine error of the rule, as such a `when:` is."""
    let = "    let:\n      n: \"'x' * 1000000\""
    rules = load_rules([_pack(tmp_path, let, "n")], defaults=False)
    doc = load_plan_bytes(_yaml({"version": 1, "community": {"name": "x"}, "structure": {"groups": [{}]}}), "p.yaml")
    out = evaluate(rules, doc.data, doc.locator, doc.path)
    assert not out.findings and out.engine_errors and out.engine_errors[0].code == "rule-failed"


@pytest.mark.parametrize("let,where", [
    ("    let:\n      plan: item", "plan"), ("    let:\n      Big: item", "Big"), ("    let:\n      n: 3 +", "n"),
    ("    let:\n      n: '{{ 1 }}'", "n"), ("    let:\n      n: 3", "n"),
])
def test_bad_let_is_a_located_pack_error(tmp_path, let, where):
    """A reserved or malformed name, a syntax error, a template, a non-text value: each names its line."""
    with pytest.raises(RulePackError) as err:
        load_rules([_pack(tmp_path, let, "1 == 1")], defaults=False)
    assert err.value.line == 10 and "custom.lets" in str(err.value.params)


def test_packs_without_let_are_unchanged():
    """Optional: a rule without `let:` has none, and every bundled rule still compiles."""
    rules = load_rules().rules
    assert any(r.lets for r in rules) and any(not r.lets for r in rules)


def test_full_groups_read_each_groups_own_capacity_or_its_platforms_cap():
    """A WeChat group at its stated capacity beside a 知识星球 is full; the 星球 (no cap) never is;
    90% of the cap counts as full, 89% does not; the fullest comes first."""
    plan = {"structure": {"platform": "zsxq", "groups": [
        {"name": "星球", "members": 4870},
        {"name": "微信群", "members": 500, "capacity": 500},
        {"name": "二群", "members": 450, "capacity": 500},
        {"name": "三群", "members": 449, "capacity": 500}]}}
    assert [g["name"] for g in v.full_groups(plan, FACTS)] == ["微信群", "二群"]
    wechat = {"structure": {"platform": "wechat_group", "groups": [{"name": "1群", "members": 460}]}}
    assert [g["name"] for g in v.full_groups(wechat, FACTS)] == ["1群"]
    assert v.full_groups({"structure": {"platform": "wechat_group", "groups": [{"name": "1群"}]}}, FACTS) == []


def test_not_mentioning_keeps_the_items_that_name_one_person():
    """Shared roles (全体老师, 轮值) and alt accounts (小号) are told from one person's name."""
    from qunce.engine.rules.reading import not_mentioning

    words = FACTS["keywords"]["shared_owner"]
    assert not_mentioning(["郑老师", "全体老师", "郑老师", None, ""], words) == ["郑老师", "郑老师"]
    assert not_mentioning(["咸鱼酱", "咸鱼酱的小号"], FACTS["keywords"]["alt_account"]) == ["咸鱼酱"]
    assert not_mentioning("林老师", words) == ["林老师"]


@pytest.mark.parametrize("expr", [
    "items | selectattr('kind', 'equalto', 'promotion') | map(attribute='name') | list",
    "items | rejectattr('kind', 'equalto', 'promotion') | map(attribute='name') | list",
    "items | selectattr('kind', 'in', ['qa', 'course']) | list | length",
    "items | selectattr('owner') | map(attribute='name') | list",
    "items | selectattr('owner', 'present') | map(attribute='name') | list",
    "items | map(attribute='kind') | select('equalto', 'qa') | list",
    "items | map(attribute='kind') | reject('none') | list",
    "items | map(attribute='owner') | select | list",
    "none | selectattr('kind', 'equalto', 'qa') | list",
])
def test_fast_selection_agrees_with_jinja(expr):
    """The rule sandbox's select/reject filters give what Jinja's own give, on every path: a plain
    test called directly, a test that reads the context (present), no test at all, nothing to filter."""
    from jinja2 import ChainableUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from qunce.engine.rules.environment import TESTS, sandbox

    items = [{"name": "a", "kind": "promotion", "owner": "x"}, {"name": "b", "kind": "qa"},
             {"name": "c", "kind": "course", "owner": ""}, {"name": "d", "kind": "promotion", "owner": "y"}]
    plain = ImmutableSandboxedEnvironment(undefined=ChainableUndefined)
    plain.tests.update(TESTS)
    names = {"items": items, "_placeholder": None}
    env = sandbox()
    assert env.filters["selectattr"] is not plain.filters["selectattr"]  # the fast path is what runs
    ours = env.compile_expression(expr)(**names)
    theirs = plain.compile_expression(expr)(**names)
    assert ours == theirs


def test_mentions_ignores_case_finds_each_word_once_and_keeps_texts_apart():
    """`mentions` matches keyword lists case-insensitively (it lower-cases once per evaluation),
    reports each word once in lower case, prefers the longest word, and never matches across two
    texts of a record."""
    from qunce.engine.rules.reading import mentions

    assert mentions("Share to WIN a prize, share to win again", ["share to win"]) == ["share to win"]
    assert mentions({"a": "每天转发朋友圈", "b": ["TBD"]}, ["转发朋友圈", "每天转发", "tbd"]) == ["每天转发", "tbd"]
    assert mentions({"a": "转发", "b": "朋友圈"}, ["转发朋友圈"]) == []
    assert mentions(["No Ads here"], ["ads", "ADS"]) == ["ads"]
    assert mentions("nothing", []) == [] and mentions(None, ["x"]) == []
