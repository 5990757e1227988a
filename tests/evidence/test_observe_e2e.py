"""`qunce observe` end to end: a generated dying group (core members leaving, the owner talking
alone, members' ads rising), in every chat-export layout, written into a copy of an example plan,
makes `qunce check` name evaporation, tyranny and harassment first, and a healthy group none of
them; every byte outside the `observed:` block is kept."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qunce.cli import cli

from conftest import EXAMPLES, load_tool

GROUP = "读书成长营1群"


# Every layout with messages (企业微信 statistics have none), the platform its community is on,
# and the owner's name as the export shows it (DiscordChatExporter CSV gives user names, no roles).
LAYOUTS = {"wechatmsg-csv": "wechat_group", "pywxdump-csv": "wechat_group", "qq-txt": "qq_group",
           "qce-json": "qq_group", "telegram-json": "telegram_group", "discord-json": "discord",
           "discord-csv": "discord", "chatlab-json": "qq_group", "chatlab-jsonl": "qq_group"}
OWNER = {"discord-csv": "member1"}
SINS = {"evaporation", "tyranny", "harassment"}


@pytest.fixture(scope="module")
def dying(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("dying")
    return load_tool("synth_exports").write_all(str(out), 20000, seed=7, scenario="dying", layouts=tuple(LAYOUTS))


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("healthy")
    return load_tool("synth_exports").write_all(str(out), 20000, seed=7, scenario="healthy", layouts=tuple(LAYOUTS))


def _plan(tmp_path: Path, layout: str = "wechatmsg-csv") -> Path:
    """A copy of the reading-club example on the layout's platform, whose owner has the generated
    owner's name as that export shows it."""
    text = (EXAMPLES / "reading-club.yaml").read_text("utf-8").replace("name: 林老师", f"name: {OWNER.get(layout, '陈一帆')}")
    text = text.replace("platform: wechat_group ", f"platform: {LAYOUTS[layout]} ", 1)
    plan = tmp_path / "club.yaml"
    plan.write_text(text, "utf-8")
    return plan


def _diagnose(export: str, layout: str, tmp_path: Path) -> tuple[dict, dict]:
    """observe then check: the observed block and check's JSON result for the plan."""
    plan = _plan(tmp_path, layout)
    result = run("observe", export, "--plan", plan, "--group", GROUP)
    assert result.exit_code == 0, result.output
    report = run("check", plan, "--format", "json", "--fail-on", "never")
    return __import__("yaml").safe_load(plan.read_text("utf-8"))["observed"], json.loads(report.output)["files"][0]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_dying_group_names_evaporation_tyranny_and_harassment_first(layout, dying, tmp_path):
    """In every layout the three highest sins are exactly evaporation, tyranny and harassment, each
    with an evidence finding, and the findings cite message ids the observed block holds."""
    observed, result = _diagnose(dying[layout], layout, tmp_path)
    risk = result["risk"]
    assert set(sorted(risk, key=lambda sin: -risk[sin])[:3]) == SINS, risk
    findings = {f["rule"]: f for f in result["findings"]}
    assert {"tyranny.evidence-owner-talks", "evaporation.evidence-top-speakers-quiet",
            "harassment.evidence-member-links"} <= set(findings)
    assert observed["link_share_7d"] > 0.1 and observed["owner_share_30d"] > 0.4
    cited = observed["examples"]["link_share_7d"][0]["id"]
    assert f"#{cited} " in findings["harassment.evidence-member-links"]["message"]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_healthy_group_names_none_of_them(layout, healthy, tmp_path):
    """The same layouts of a healthy group: no evidence finding for those three sins, and each of
    them stays below the risk at which a sin leads the diagnosis."""
    _, result = _diagnose(healthy[layout], layout, tmp_path)
    assert not [f["rule"] for f in result["findings"] if f["basis"] == "observed" and f["sin"] in SINS]
    assert all(result["risk"][sin] < 25 for sin in SINS), result["risk"]


def test_ads_rise_in_the_dying_export():
    """The generator's members post more ads in the last weeks than in the first (the export, not a knob)."""
    events = [e for e in load_tool("synth_exports").generate(20000, 7, "dying") if e.is_content]

    def ads(part):
        return sum(e.kind == "link" and e.member.role == "member"
                   and any(d in e.text for d in ("shop.example", "ads-example", "job.example")) for e in part) / len(part)
    assert ads(events[-2000:]) > 0.1 > 4 * ads(events[:2000])


def _outside(text: str) -> tuple[str, str]:
    """The plan's text before and after its top-level `observed:` block."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("observed:"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "\n", "#", ""))
    return "".join(lines[:start]), "".join(lines[end:])


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("layout", ["wechatmsg-csv", "telegram-json"])
def test_observe_keeps_the_plan_outside_the_block(layout, dying, tmp_path):
    """observe --plan writes the block; check's two highest sins are evaporation and tyranny, and the
    plan's comments and every other byte stay as they were."""
    plan = _plan(tmp_path)
    before = plan.read_text("utf-8")
    result = run("observe", dying[layout], "--plan", plan, "--group", GROUP)
    assert result.exit_code == 0, result.output
    after = plan.read_text("utf-8")
    assert _outside(after) == _outside(before)
    assert after.count("#") >= before.count("#") - before.split("observed:", 1)[1].split("\ncheck:")[0].count("#")
    observed = __import__("yaml").safe_load(after)["observed"]
    assert observed["source"] == "qunce observe"
    assert observed["groups"][0]["name"] == GROUP
    assert observed["owner_share_30d"] > 0.4
    assert observed["history"][0]["as_of"] == "2026-11-20"  # the example's own figures kept as a snapshot
    report = run("check", plan, "--format", "json", "--fail-on", "never")
    risk = json.loads(report.output)["files"][0]["risk"]
    top = sorted(risk, key=lambda sin: -risk[sin])[:2]
    assert set(top) == {"evaporation", "tyranny"}, risk
    rules = {f["rule"] for f in json.loads(report.output)["files"][0]["findings"]}
    assert {"tyranny.evidence-owner-talks", "evaporation.evidence-top-speakers-quiet"} <= rules


def test_sidecar_leaves_plan_untouched_and_check_says_where(dying, tmp_path):
    """--sidecar writes club.observed.yaml; the plan's bytes do not change; check merges the sidecar,
    says so in a notice, and a folder check does not take the sidecar for a plan."""
    plan = _plan(tmp_path)
    before = plan.read_bytes()
    result = run("observe", dying["telegram-json"], "--plan", plan, "--group", GROUP, "--sidecar")
    assert result.exit_code == 0, result.output
    assert plan.read_bytes() == before
    side = tmp_path / "club.observed.yaml"
    assert side.is_file()
    text = run("check", plan, "--lang", "en", "--fail-on", "never").output
    assert "club.observed.yaml" in text and "tyranny.evidence-owner-talks" in text
    folder = run("check", tmp_path, "--format", "json", "--fail-on", "never")
    assert folder.exit_code == 0
    assert [f["path"] for f in json.loads(folder.output)["files"]] == [str(plan)]


def test_dry_run_writes_nothing_and_forget_deletes_the_store(dying, tmp_path):
    """--dry-run prints a diff and keeps the plan; --forget removes the database and the salt."""
    plan = _plan(tmp_path)
    before = plan.read_bytes()
    result = run("observe", dying["wechatmsg-csv"], "--plan", plan, "--group", GROUP, "--dry-run", "--anonymize")
    assert result.exit_code == 0, result.output
    assert plan.read_bytes() == before
    assert "+  source: qunce observe" in result.output
    store = tmp_path / ".qunce"
    assert (store / "evidence.duckdb").is_file() and (store / "salt").is_file()
    gone = run("observe", "--plan", plan, "--forget")
    assert gone.exit_code == 0, gone.output
    assert not (store / "evidence.duckdb").exists() and not (store / "salt").exists()


def test_located_reader_errors_and_exit_1(tmp_path):
    """A truncated Telegram export: the problem is printed with its file and JSON pointer, no traceback."""
    src = Path(__file__).parent / "fixtures" / "telegram" / "truncated_result.json"
    plan = _plan(tmp_path)
    shutil.copy(src, tmp_path / "result.json")
    result = CliRunner().invoke(cli, ["observe", str(tmp_path / "result.json"), "--plan", str(plan), "--group", GROUP])
    assert result.exit_code == 1, result.output
    assert "result.json:/messages" in result.output and "Traceback" not in result.output


def test_interrupt_exits_130(monkeypatch, tmp_path):
    """Ctrl-C during the read: exit 130 and a sentence, not a traceback."""
    from qunce.engine import api

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "observe", boom)
    result = run("observe", tmp_path, "--plan", _plan(tmp_path))
    assert result.exit_code == 130
    assert "Traceback" not in result.output


def test_check_never_imports_duckdb(dying, tmp_path):
    """Checking a plan with a sidecar reads YAML only: duckdb stays out of the process."""
    plan = _plan(tmp_path)
    assert run("observe", dying["telegram-json"], "--plan", plan, "--group", GROUP, "--sidecar").exit_code == 0
    code = ("import sys; from qunce.engine import api; r = api.check_file(sys.argv[1], api.load_rules()); "
            "print(len(r.findings), 'duckdb' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(plan)], capture_output=True, text=True, check=True).stdout
    count, imported = out.split()
    assert int(count) > 0 and imported == "False"


def test_two_chats_without_plan_are_two_groups_ranked_by_risk(dying, tmp_path):
    """Without a plan each chat keeps its own id: two groups, each with figures, riskiest first,
    and the community's message count is their sum."""
    from qunce.engine import api

    obs = api.observe([dying["wechatmsg-csv"], dying["telegram-json"]], store=str(tmp_path))
    assert len(obs.groups) == 2
    assert [g["risk"] for g in obs.groups] == sorted((g["risk"] for g in obs.groups), reverse=True)
    assert obs.observed["messages_7d"] == sum(g["messages_7d"] for g in obs.groups)
    assert obs.load["rows_added"] == obs.rows_read


def test_anonymised_examples_keep_message_ids_and_no_names(dying, tmp_path):
    """--anonymize hashes who wrote, not which message: the examples are the same platform ids as
    without it, and no member's name appears anywhere in the block."""
    from qunce.engine import api

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain = api.observe([dying["telegram-json"]], store=str(tmp_path / "a")).observed["examples"]
    anon = api.observe([dying["telegram-json"]], store=str(tmp_path / "b"), anonymize=True).observed
    assert anon["examples"] == plain and all(e["id"].isdigit() for ex in plain.values() for e in ex)
    text = __import__("yaml").safe_dump(anon, allow_unicode=True)
    assert "陈一帆" not in text and "user70" not in text


def test_a_second_run_the_other_way_of_naming_is_refused_at_the_cli(tmp_path, monkeypatch):
    """observe, then observe --anonymize into the same store: exit 2, a located sentence saying how
    to start over, and the store as the first run left it."""
    export = tmp_path / "result.json"
    shutil.copy(Path(__file__).parent / "fixtures" / "telegram" / "result.json", export)
    monkeypatch.chdir(tmp_path)  # without --plan the store is made in the working folder
    runner = CliRunner()
    first = runner.invoke(cli, ["observe", str(export), "--lang", "en"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    store = tmp_path / ".qunce" / "evidence.duckdb"
    before = store.read_bytes()
    again = runner.invoke(cli, ["observe", str(export), "--anonymize", "--lang", "en"], catch_exceptions=False)
    assert again.exit_code == 2
    assert "real-name" in again.output and "--forget" in again.output and "Traceback" not in again.output
    assert store.read_bytes() == before
