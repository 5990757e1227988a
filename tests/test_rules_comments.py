"""What operators note in YAML comments: the loader keeps each comment with its line and the path
it sits at, and the placeholder rule reports a comment that says something is still undecided
(info only: never risk, never health)."""

from __future__ import annotations

from qunce.engine.load.yaml import MAX_COMMENTS, load_plan_bytes
from qunce.engine.rules.evaluate import evaluate
from qunce.engine.rules.pack import load_rules

from conftest import TODAY

PLAN = """\
# 顶部注释
version: 1
community:
  name: "群 # 不是注释"   # 行内注释
  description: |
    第一行 # 不是注释
    # 也不是注释
  # 在 community 里面
output:
  - {name: 护肤小知识, kind: sharing}   # 谁来写？
  # 生日会应援
  - {name: C#入门, kind: sharing}
# 结尾
"""


def _comments(text: str):
    return [(c.line, c.text, c.path) for c in load_plan_bytes(text.encode("utf-8")).locator.comments]


def test_comments_keep_line_text_and_path_and_skip_hashes_inside_scalars():
    assert _comments(PLAN) == [
        (1, "顶部注释", ""),
        (4, "行内注释", "community.name"),
        (8, "在 community 里面", "community"),
        (10, "谁来写？", "output[0]"),
        (11, "生日会应援", "output"),
        (13, "结尾", ""),
    ]


def test_a_note_under_a_list_entrys_keys_belongs_to_that_entry():
    """Operators write the note about a team member under that member's lines; a note level with
    the list's dashes is about the list."""
    text = """\
version: 1
structure:
  team:
    - role: owner
      name: 老林
      # 下个月调去分店
    - role: admin
      name: 小周
    # 管理员都是兼职
"""
    assert _comments(text) == [(6, "下个月调去分店", "structure.team[0]"), (9, "管理员都是兼职", "structure.team")]


def test_comments_are_bounded():
    text = "version: 1\ncommunity: {name: x}\n" + "# n\n" * (MAX_COMMENTS + 50)
    assert len(_comments(text)) == MAX_COMMENTS


def _placeholder_findings(text: str):
    ruleset = load_rules()
    plan = load_plan_bytes(text.encode("utf-8"), "p.yaml")
    rule = [r for r in ruleset.rules if r.id == "completeness.placeholders"]
    outcome = evaluate(ruleset, plan.data, plan.locator, plan.path, today=TODAY, only=rule)
    assert not outcome.engine_errors, [e.message("zh") for e in outcome.engine_errors]
    return outcome.findings


BASE = "version: 1\ncommunity: {name: 家长群}\nstructure:\n  platform: wechat_group\n  rules: [不发广告]\n"


def test_a_comment_noting_an_undecided_matter_is_reported_at_info_level():
    found = _placeholder_findings(BASE + "# 家委会想定一个规矩，还没定（待定）\n")
    assert len(found) == 1 and found[0].severity == "info"
    assert "第 6 行" in found[0].text("zh").message and "家委会想定一个规矩" in found[0].text("zh").message


def test_a_comment_that_decides_nothing_open_is_not_reported():
    assert _placeholder_findings(BASE + "# 新成员 later 再说也行的事不在这里：群规已经定了\n# members join later via the form\n") == []


def test_noted_finds_the_entries_a_comment_beside_them_speaks_of():
    """`plan.output | noted(comments, 'output', words)`: a note on an entry's own line (or inside
    it) is about that entry; a comment on a line of its own between entries, or under another
    section whose name starts the same, is not."""
    from qunce.engine.rules.reading import noted

    text = ("version: 1\ncommunity: {name: 星球}\n"
            "output:\n"
            "  - {name: 周报, kind: sharing}   # 今年实际大概一个月一篇\n"
            "  # 停更的另一份\n"
            "  - name: 答疑\n"
            "    kind: qa\n"
            "    owner: 豆豆   # 停了两期\n"
            "  - {name: 月会, kind: discussion}   # 每月第一个周六\n"
            "output_notes: 停了   # 停了\n")
    plan = load_plan_bytes(text.encode("utf-8"))
    comments = [{"line": c.line, "text": c.text, "path": c.path} for c in plan.locator.comments]
    words = ["停了", "停更", "实际大概"]
    assert [o["name"] for o in noted(plan.data["output"], comments, "output", words)] == ["周报", "答疑"]
    assert noted(plan.data["output"][:1], comments, "output", ["停了"]) == []  # 答疑 is not in the list given
    assert noted("not a list", comments, "output", words) == []
