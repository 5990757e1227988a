"""Fixed choices accepted by their Chinese names and synonyms (issue 14): the names are schema data,
the loader normalises them to ids before validation, positions survive, and a plan written with
names is checked and rendered exactly like its twin written with ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from qunce.engine.api import CheckOptions, check_file, render_plan_file, validate_file
from qunce.engine.load.choices import ITEM, choices_of, editor_schema, iter_choices, written_names
from qunce.engine.load.schema import choice_at as choices_at, choice_tree, load_schema
from qunce.engine.load.schema import resolve_choice as resolve
from qunce.engine.load.choices import normalise
from qunce.engine.load.yaml import load_plan, load_plan_bytes, plan_from_bytes

from conftest import EXAMPLES, TODAY

CJK = "\u4e00-\u9fff"


def _choice_paths(value: Any, path: tuple = ()) -> list[tuple[tuple, str]]:
    """Every (data path, value) of a plan whose schema path holds a fixed choice."""
    out: list[tuple[tuple, str]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, sub in items:
        out.extend(_choice_paths(sub, path + (key,)))
    if isinstance(value, str) and path and choices_at(_schema_path(path)) is not None:
        out.append((path, value))
    return out


def _schema_path(path: tuple) -> tuple:
    return tuple(ITEM if isinstance(p, int) else p for p in path)


def _set(data: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _in_chinese(data: Any) -> tuple[Any, int]:
    """A deep copy of plan data with every fixed choice written as its Chinese name."""
    copy = json.loads(json.dumps(data))
    count = 0
    for path, value in _choice_paths(data):
        found = choices_at(_schema_path(path))
        name = found.name(value, "zh")
        if name != value:
            _set(copy, path, name)
            count += 1
    return copy, count


def _dump(data: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return path


# ---- the names are data, and unambiguous -------------------------------------------------------


def test_every_choice_names_each_id_once_and_synonyms_name_real_ids():
    """No name stands for two ids of one choice (choices_of raises), every synonym list belongs to
    an id of its own enum, and every labelled id has a Chinese name people can write."""
    seen = 0
    for pointer, node in iter_choices(load_schema()):
        found = choices_of(node)
        assert found is not None, pointer
        assert set(node.get("x-enum-synonyms", {})) <= set(node["enum"]), pointer
        for choice in found.ids:
            assert found.name(choice, "zh") != choice or not found.labels, (pointer, choice)
        seen += 1
    assert seen >= 29


@pytest.mark.parametrize("path,written,expected", [
    (("positioning", "kind"), "兴趣型", "interest"),
    (("positioning", "kind"), "兴趣", "interest"),
    (("structure", "platform"), "微信群", "wechat_group"),
    (("structure", "platform"), "微信", "wechat_group"),
    (("structure", "platform"), "企业微信", "wecom_group"),
    (("structure", "platform"), "企微", "wecom_group"),
    (("structure", "platform"), "企业微信群", "wecom_group"),
    (("structure", "platform"), "QQ群", "qq_group"),
    (("structure", "platform"), "知识星球", "zsxq"),
    (("structure", "platform"), "星球", "zsxq"),
    (("structure", "platform"), "飞书", "feishu"),
    (("structure", "platform"), "钉钉", "dingtalk"),
    (("structure", "platform"), "Discord", "discord"),
    (("structure", "platform"), "Telegram群", "telegram_group"),
    (("structure", "platform"), "电报群", "telegram_group"),
    (("structure", "platform"), "频道", "telegram_channel"),
    (("structure", "platform"), "Telegram频道", "telegram_channel"),
    (("structure", "groups", ITEM, "platform"), "企微", "wecom_group"),
    (("structure", "joining", "mode"), "邀请制", "invite"),
    (("structure", "joining", "mode"), "邀请", "invite"),
    (("structure", "joining", "mode"), "申请", "application"),
    (("structure", "joining", "mode"), "审核", "application"),
    (("structure", "joining", "mode"), "付费", "paid"),
    (("structure", "joining", "mode"), "开放", "open"),
    (("structure", "moderation", "spam"), "警告后移出", "warn_then_remove"),
    (("structure", "moderation", "ads"), "禁止", "forbidden"),
    (("output", ITEM, "cadence"), "每周", "weekly"),
    (("output", ITEM, "cadence"), "每天", "daily"),
    (("output", ITEM, "per"), "每天", "day"),  # the same word, another choice: names are per field
    (("structure", "team", ITEM, "role"), "群主", "owner"),
    (("structure", "team", ITEM, "role"), "管理员", "admin"),
    (("structure", "joining", "approval"), "管理员", "admins"),
    (("structure", "groups", ITEM, "tier"), "付费", "paid"),
    (("operations", "tools", ITEM), "活码", "live_code"),
    (("operations", "kpis", ITEM, "metric"), "活跃率", "active_rate"),
    (("replication", "mode"), "克隆", "clone"),
    (("sessions", ITEM, "venue"), "直播", "live_stream"),
    (("campaigns", ITEM, "spread"), "活码", "live_code"),
    (("campaigns", ITEM, "reward_kind"), "现金", "cash"),
    (("community", "language"), "中文", "zh-CN"),
    (("positioning", "kind"), "interest", "interest"),
])
def test_names_and_synonyms_resolve_per_field(path, written, expected):
    assert resolve(path, written) == expected


@pytest.mark.parametrize("path,written", [
    (("positioning", "kind"), "兴趣群"), (("positioning", "kind"), "Interest"),
    (("structure", "platform"), "wechat-group"), (("structure", "joining", "mode"), "每周"),
])
def test_what_names_nothing_stays_unresolved(path, written):
    """Matching is exact, as the editor schema's enum is: near misses go to the did-you-mean."""
    assert resolve(path, written) is None


# ---- the loader ----------------------------------------------------------------------------------

PLAN = """\
version: 1
community:
  name: 读书会
  language: 中文
positioning:
  kind: 兴趣型
  motives: [人脉, growth]
structure:
  platform: 企微
  team:
    - role: 群主
      name: 老王
  joining:
    mode: 邀请制
    approval: 管理员
output:
  - name: 周读
    kind: 分享
    cadence: 每周
    weekday: 9
"""


def test_loader_normalises_names_keeps_positions_and_remembers_the_words(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    plan = load_plan(path)
    assert plan.data["positioning"] == {"kind": "interest", "motives": ["network", "growth"]}
    assert plan.data["structure"]["platform"] == "wecom_group"
    assert plan.data["structure"]["team"][0] == {"role": "owner", "name": "老王"}
    assert plan.data["structure"]["joining"] == {"mode": "invite", "approval": "admins"}
    assert plan.data["output"][0]["kind"] == "sharing" and plan.data["output"][0]["cadence"] == "weekly"
    assert plan.data["community"] == {"name": "读书会", "language": "zh-CN"}
    assert plan.locator.value(("structure", "platform")) == (9, 13)
    assert plan.locator.value(("positioning", "motives", 0)) == (7, 13)
    assert written_names(plan.locator) == {
        ("community", "language"): "中文", ("positioning", "kind"): "兴趣型", ("positioning", "motives", 0): "人脉",
        ("structure", "platform"): "企微", ("structure", "team", 0, "role"): "群主",
        ("structure", "joining", "mode"): "邀请制", ("structure", "joining", "approval"): "管理员",
        ("output", 0, "kind"): "分享", ("output", 0, "cadence"): "每周"}


def test_errors_in_a_plan_written_with_names_point_at_their_line(tmp_path):
    """The only error (weekday 9) is reported at its own line; none of the names is an error."""
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    result, _ = validate_file(str(path))
    assert [(e.line, e.column, e.path) for e in result.errors] == [(20, 14, "output[0].weekday")]


def test_bytes_of_a_plan_are_normalised_but_a_rule_pack_is_not():
    """plan_from_bytes (the page, a pipe) normalises; load_plan_bytes, which reads rule packs, does not."""
    data = "version: 1\ncommunity: {name: x}\npositioning: {kind: 兴趣型}\n".encode()
    assert plan_from_bytes(data).data["positioning"]["kind"] == "interest"
    assert load_plan_bytes(data).data["positioning"]["kind"] == "兴趣型"


def test_only_choice_paths_are_visited():
    """Free text that happens to be a name stays as written: `community.name: 兴趣型` is a name, a
    `value` of 微信群 is prose, and a key the schema does not know is not touched."""
    data = {"community": {"name": "兴趣型"}, "positioning": {"value": "微信群", "kind": "兴趣型"},
            "unknown": {"kind": "兴趣型"}, "output": [{"owner": "群主", "kind": "分享"}]}
    assert normalise(data, choice_tree()) == 2
    assert data == {"community": {"name": "兴趣型"}, "positioning": {"value": "微信群", "kind": "interest"},
                    "unknown": {"kind": "兴趣型"}, "output": [{"owner": "群主", "kind": "sharing"}]}


def test_odd_shapes_are_left_to_the_validator():
    """A list where a text is expected, or a number where a choice is, is not normalised and not a crash."""
    data = {"positioning": {"kind": ["兴趣型"], "motives": "人脉"}, "structure": {"platform": 3}, "output": "x"}
    assert normalise(data, choice_tree()) == 0


# ---- did-you-mean ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang,written,expected", [
    ("zh", "兴趣群", "你是不是想写 \"兴趣型\""),
    ("en", "兴趣群", "did you mean \"interest\""),
    ("zh", "intrest", "你是不是想写 \"interest\""),
    ("zh", "Interest", "你是不是想写 \"interest\""),
])
def test_a_name_that_matches_nothing_gets_a_did_you_mean_in_the_readers_terms(tmp_path, lang, written, expected):
    path = tmp_path / "plan.yaml"
    path.write_text(f"version: 1\ncommunity: {{name: x}}\npositioning:\n  kind: {written}\n", encoding="utf-8")
    result, _ = validate_file(str(path))
    assert [(e.code, e.line, e.column) for e in result.errors] == [("bad-enum", 4, 9)]
    assert expected in result.errors[0].message(lang)


# ---- twins: every example written with Chinese names ---------------------------------------------

EXAMPLE_FILES = sorted(p for p in EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_an_example_written_with_chinese_names_checks_and_renders_like_its_twin(example, tmp_path, ruleset):
    """Both twins are dumped the same way, so even line numbers must agree; the check results and
    the rendered document (Markdown and HTML) must be identical but for the folder name."""
    data = load_plan(example).data
    chinese, count = _in_chinese(data)
    assert count >= 5, "the example has few choices to translate"
    ids = _dump(data, tmp_path / "ids" / "plan.yaml")
    names = _dump(chinese, tmp_path / "zh" / "plan.yaml")
    assert "interest" not in names.read_text(encoding="utf-8").split("kind:")[1].split("\n")[0]

    options = CheckOptions(today=TODAY)
    a, b = check_file(str(ids), ruleset, options), check_file(str(names), ruleset, options)
    assert a.valid and b.valid, [e.message() for e in b.errors]

    def same(result: Any, folder: str) -> str:
        return json.dumps(result.to_dict(), ensure_ascii=False, sort_keys=True).replace(str(tmp_path / folder), "")

    assert same(a, "ids") == same(b, "zh")
    for fmt in ("md", "html"):
        _, doc_a = render_plan_file(str(ids), ruleset, fmt=fmt, today=TODAY)
        _, doc_b = render_plan_file(str(names), ruleset, fmt=fmt, today=TODAY)
        assert doc_a is not None and doc_a.replace(str(tmp_path / "ids"), "") == doc_b.replace(str(tmp_path / "zh"), "")


# ---- the editor's schema -----------------------------------------------------------------------


def test_editor_schema_offers_every_name_and_accepts_what_qunce_accepts(tmp_path):
    """The schema written for editors lists ids then names (with a description each), so a plan
    written with names shows no error there, and one with a name that means nothing still does."""
    from jsonschema import Draft202012Validator

    schema = load_schema()
    editor = editor_schema(schema)
    kind = editor["properties"]["positioning"]["properties"]["kind"]
    assert kind["enum"][:8] == schema["properties"]["positioning"]["properties"]["kind"]["enum"]
    assert "兴趣型" in kind["enum"] and "兴趣" in kind["enum"] and len(kind["enumDescriptions"]) == len(kind["enum"])
    assert schema["properties"]["positioning"]["properties"]["kind"]["enum"][-1] == "other"  # the source is unchanged
    v = Draft202012Validator(editor)
    written = yaml.safe_load(PLAN.replace("weekday: 9", "weekday: 2"))
    assert not list(v.iter_errors(written))
    written["positioning"]["kind"] = "兴趣群"
    assert [e.validator for e in v.iter_errors(written)] == ["enum"]
    source = dict(iter_choices(schema))
    for pointer, node in iter_choices(editor):
        found = choices_of(source[pointer])
        assert node["enum"] == list(found.ids) + list(found.names), pointer
