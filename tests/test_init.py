"""`qunce init` for people who don't write YAML (issue 14): the wizard's answers land in the right
fields of the kind's starter with every comment kept, English starters with --lang en, the
modeline points at a schema copy beside the plan, and the terminal flow works in a real pty."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from qunce.cli import cli
from qunce.engine.api import install_schema, starter, starter_plan, validate_file, wizard_questions
from qunce.engine.errors import UsageError
from qunce.engine.load.starter import EDITOR_SCHEMA, MODELINE, QUESTIONS, starter_text
from qunce.engine.model.domain import KINDS

ANSWERS = {"kind": "兴趣型", "platform": "企微", "name": "周末读书会", "goal": "一年读完 24 本书",
           "members": "同城上班族，爱读书", "mode": "每两周线下共读", "strategy": "月初公布书单", "revenue": "不盈利，AA"}


def _get(data, path):
    for part in path:
        data = data[part]
    return data


def _comments(text: str) -> list[str]:
    return [line[line.index("#"):].strip() for line in text.splitlines() if "  #" in line or line.startswith("#")]


# ---- the library function the page will call too ----------------------------------------------


def test_answers_land_in_their_fields_and_every_comment_stays():
    text = starter_plan(ANSWERS)
    data = yaml.safe_load(text)
    assert data["positioning"]["kind"] == "interest" and data["structure"]["platform"] == "wecom_group"
    assert data["community"]["name"] == "周末读书会"
    assert data["positioning"]["goal"] == "一年读完 24 本书"
    assert data["positioning"]["audience"]["portrait"] == "同城上班族，爱读书"
    assert data["positioning"]["mode"] == "每两周线下共读"
    assert data["positioning"]["strategy"] == "月初公布书单"
    assert data["positioning"]["revenue_model"] == "不盈利，AA"
    assert [g["name"] for g in data["structure"]["groups"]] == ["周末读书会", "周末读书会·志愿者群"]
    assert _comments(text) == _comments(MODELINE + starter_text("interest"))
    assert text.startswith(MODELINE)


def test_unanswered_questions_keep_the_starter_sample():
    """Only the kind is needed; the rest stays as the starter has it, byte for byte."""
    assert starter_plan({"kind": "knowledge"}) == MODELINE + starter_text("knowledge")
    assert starter("知识型") == starter("knowledge") == MODELINE + starter_text("knowledge")


@pytest.mark.parametrize("answer", ["yes", "20:00", "1:30", "a: b # c", "#tag", "'quoted'", '"dq"', "null",
                                    "- item", "[x]", "两行\n文字", " 前后空格 ", "{x}", "017", "~", "@someone"])
def test_any_answer_is_written_so_that_yaml_reads_back_exactly_it(answer):
    """YAML 1.1 traps, comment marks, flow indicators and newlines are quoted; plain text is not."""
    text = starter_plan({"kind": "interest", "goal": answer})
    assert yaml.safe_load(text)["positioning"]["goal"] == answer.strip()


def test_plain_answers_stay_plain():
    assert "  goal: 一年读完 24 本书" in starter_plan({"kind": "interest", "goal": "一年读完 24 本书"})


def test_unknown_kind_or_platform_is_a_usage_error():
    with pytest.raises(UsageError) as kind:
        starter_plan({"kind": "兴趣群"})
    assert kind.value.code == "unknown-kind"
    with pytest.raises(UsageError) as platform:
        starter_plan({"kind": "interest", "platform": "微博"})
    assert platform.value.code == "init-bad-choice"
    with pytest.raises(UsageError):
        starter_plan({"kind": "internal"})  # a valid kind without a starter


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_starter_has_every_question_and_answers_keep_it_valid(kind, lang, tmp_path):
    """Each starter (Chinese and English) holds each question's field, and a plan built from full
    answers validates."""
    data = yaml.safe_load(starter_text(kind, lang))
    for question in QUESTIONS:
        assert isinstance(_get(data, question.path), str), (kind, lang, question.key)
    path = tmp_path / "plan.yaml"
    path.write_text(starter_plan({**ANSWERS, "kind": kind}, lang), encoding="utf-8")
    result, _ = validate_file(str(path))
    assert result.valid, [e.message() for e in result.errors]


def test_english_starters_are_english():
    for kind in KINDS:
        text = starter_text(kind, "en")
        data = yaml.safe_load(text)
        assert data["community"]["language"] == "en" and data["positioning"]["kind"] == kind
        assert not any("\u4e00" <= c <= "\u9fff" for c in text), kind


def test_questions_as_data_for_a_form():
    zh, en = wizard_questions("zh"), wizard_questions("en")
    assert [q["key"] for q in zh] == ["kind", "platform", "name", "goal", "members", "mode", "strategy", "revenue"]
    assert [o["id"] for o in zh[0]["options"]] == list(KINDS)
    assert zh[0]["options"][1]["name"] == "兴趣型" and en[0]["options"][1]["name"] == "Interest"
    assert "telegram" not in [o["id"] for o in zh[1]["options"]]  # an alias is not offered twice
    assert zh[3]["question"] != en[3]["question"]


# ---- the schema copy beside the plan -------------------------------------------------------------


def test_install_schema_writes_the_editors_copy_and_refreshes_it(tmp_path):
    from jsonschema import Draft202012Validator

    target = install_schema(tmp_path)
    assert target == tmp_path / EDITOR_SCHEMA
    schema = json.loads(target.read_text(encoding="utf-8"))
    assert "兴趣型" in schema["properties"]["positioning"]["properties"]["kind"]["enum"]
    target.write_text("{}", encoding="utf-8")
    install_schema(tmp_path)
    assert json.loads(target.read_text(encoding="utf-8")) == schema
    written = yaml.safe_load(starter_plan(ANSWERS).replace("kind: interest", "kind: 兴趣型"))
    assert not list(Draft202012Validator(schema).iter_errors(written))


# ---- the command line without a terminal ---------------------------------------------------------


def test_without_a_terminal_kind_is_required():
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 2 and "--kind" in result.output


def test_flags_answer_the_questions_and_the_schema_lands_beside_the_plan(tmp_path):
    out = tmp_path / "club" / "plan.yaml"
    out.parent.mkdir()
    args = ["init", "-o", str(out)] + [x for k, v in ANSWERS.items() for x in (f"--{k}", v)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["positioning"]["goal"] == ANSWERS["goal"] and data["structure"]["platform"] == "wecom_group"
    assert (out.parent / EDITOR_SCHEMA).is_file()
    assert out.read_text(encoding="utf-8").startswith(MODELINE)


def test_lang_en_writes_the_english_starter(tmp_path):
    out = tmp_path / "plan.yaml"
    result = CliRunner().invoke(cli, ["init", "--kind", "interest", "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == MODELINE + starter_text("interest", "en")


def test_schema_install_option(tmp_path):
    assert CliRunner().invoke(cli, ["schema", "--install", str(tmp_path)]).exit_code == 0
    assert (tmp_path / EDITOR_SCHEMA).is_file()
    printed = CliRunner().invoke(cli, ["schema"])
    assert json.loads(printed.output)["properties"]["positioning"]["properties"]["kind"]["enum"][1] == "interest"


def test_a_bad_choice_flag_is_refused_without_writing(tmp_path):
    out = tmp_path / "plan.yaml"
    result = CliRunner().invoke(cli, ["init", "--kind", "interest", "--platform", "微博", "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()


# ---- the command line on a real terminal ---------------------------------------------------------


def _converse(args: list[str], replies: list[tuple[str, str]], cwd: Path, timeout: float = 60) -> tuple[int, str]:
    """Run qunce on a pseudo-terminal; each time `prompt` has appeared in the output, type `reply`."""
    master, slave = os.openpty()
    env = {**os.environ, "QUNCE_LANG": "zh", "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "qunce", *args], stdin=slave, stdout=slave, stderr=slave,
                            cwd=cwd, env=env, close_fds=True)
    os.close(slave)
    seen, pending, deadline = "", list(replies), time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk.decode("utf-8", "replace")
            if pending and seen.count(pending[0][0]) >= 1:
                prompt, reply = pending.pop(0)
                seen = seen.replace(prompt, "«" + prompt + "»", 1)
                os.write(master, reply.encode("utf-8") + b"\r")
            elif proc.poll() is not None and not ready:
                break
        return proc.wait(timeout=10), seen
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


def test_the_wizard_on_a_terminal(tmp_path):
    """Questions asked in Chinese; numbers, names and free text accepted; a wrong choice asked
    again; Enter skips; the plan and its schema copy are written where the user said."""
    code, seen = _converse(["init", "--revenue", "会员年费"], [
        ("1/8 社群类型", "兴趣群"),            # not a choice: asked again
        ("不在选项里", "2"),                    # 2) 兴趣型
        ("2/8 主要平台", "企业微信"),
        ("3/8 社群名称", "周末读书会"),
        ("4/8 目标", "一年读完 24 本书"),
        ("5/8 成员", ""),                       # skipped: the sample stays
        ("6/8 模式", "每两周线下共读"),
        ("7/8 策略", "月初公布书单"),
        ("保存为", "club.yaml"),
    ], tmp_path)
    assert code == 0, seen
    assert "8/8" not in seen  # answered by its flag
    data = yaml.safe_load((tmp_path / "club.yaml").read_text(encoding="utf-8"))
    assert data["positioning"]["kind"] == "interest" and data["structure"]["platform"] == "wecom_group"
    assert data["community"]["name"] == "周末读书会" and data["positioning"]["goal"] == "一年读完 24 本书"
    assert data["positioning"]["revenue_model"] == "会员年费" and data["positioning"]["mode"] == "每两周线下共读"
    assert data["positioning"]["audience"]["portrait"] == yaml.safe_load(starter_text("interest"))[
        "positioning"]["audience"]["portrait"]
    assert (tmp_path / EDITOR_SCHEMA).is_file()


def test_the_wizard_in_english_with_flags_skipping_questions(tmp_path):
    code, seen = _converse(["init", "--lang", "en", "--kind", "knowledge", "--platform", "discord", "--name", "Data camp",
                            "-o", "camp.yaml"], [
        ("4/8 Goal", "Ship one project each"), ("5/8 Members", ""), ("6/8 Mode", ""), ("7/8 Strategy", ""),
        ("8/8 Revenue", ""),
    ], tmp_path)
    assert code == 0, seen
    assert "1/8" not in seen and "社群" not in seen
    data = yaml.safe_load((tmp_path / "camp.yaml").read_text(encoding="utf-8"))
    assert data["community"] == {**data["community"], "name": "Data camp", "language": "en"}
    assert data["structure"]["platform"] == "discord" and data["positioning"]["goal"] == "Ship one project each"
