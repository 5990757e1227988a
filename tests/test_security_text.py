"""What a plan's text can do to a terminal, a code-scanning UI and a document (issue 11, items 7
and 8): ESC/OSC sequences, bidi overrides, C1 controls and newlines show as visible escapes in
text output, stay JSON-escaped in JSON and SARIF, and never reach HTML; `check --format markdown`
keeps plan text inert."""

from __future__ import annotations

import json
import os

import html5lib
import markdown
import pytest
import yaml
from click.testing import CliRunner

from qunce.cli import cli

from conftest import EXAMPLES

ESCAPES = ["\x1b]0;pwned\x07", "\x1b[2J", "\u202eevil\u202c", "\u2066x\u2069", "\x9b31m", "\x85"]
RAW = ("\x1b", "\u202e", "\u202c", "\u2066", "\u2069", "\x9b", "\x85", "\x07")


def _plan(tmp_path, name: str, file_name: str = "plan.yaml", **changes):
    data = yaml.safe_load((EXAMPLES / "reading-club.yaml").read_text(encoding="utf-8"))
    data["community"]["name"] = name
    for key, value in changes.items():
        data["community"][key] = value
    path = tmp_path / file_name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _broken_plan(tmp_path, value: str, file_name: str = "bad.yaml"):
    """A plan whose error message quotes the value (an unknown key named after it)."""
    path = tmp_path / file_name
    path.write_text(json.dumps({"version": 1, value: 1}), encoding="utf-8")  # \uXXXX: YAML escapes too
    return path


def _check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("payload", ESCAPES)
def test_text_output_shows_escapes_visibly(tmp_path, payload):
    code, out = _check(str(_plan(tmp_path, "读书会" + payload)), str(_broken_plan(tmp_path, "k" + payload)))
    assert not any(ch in out for ch in RAW), repr(out)
    assert "\\e" in out or "\\u" in out or "\\x" in out


def test_a_newline_in_a_value_cannot_forge_a_report_line(tmp_path):
    forged = "x\nplan.yaml:1:1: error[fake]: all good, nothing to see"
    code, out = _check(str(_broken_plan(tmp_path, forged)))
    assert not any(line.startswith("plan.yaml:1:1: error[fake]") for line in out.splitlines())
    assert "x\\nplan.yaml" in out


def test_file_names_are_shown_escaped(tmp_path):
    name = "a\x1b[31mb\u202ec.yaml"
    path = _plan(tmp_path, "读书会", file_name=name)
    code, out = _check(str(path))
    assert "\x1b[31m" not in out and "\u202e" not in out and "a\\e[31mb\\u202ec.yaml" in out


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_and_sarif_keep_them_escaped(tmp_path, fmt):
    plan = _plan(tmp_path, "读书会" + "".join(ESCAPES))
    code, out = _check(str(plan), str(_broken_plan(tmp_path, "k\u202e\x1b\x85")), "--format", fmt)
    assert not any(ch in out for ch in RAW), "a raw control or bidi character in the output"
    data = json.loads(out)  # still valid JSON, and the strings are intact
    strings = "".join(_strings(data))
    assert "\u202e" in strings and "\x1b" in strings


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_sarif_messages_carry_no_raw_bidi_override(tmp_path):
    code, out = _check(str(_broken_plan(tmp_path, "x\u202eexe.yaml\u202c")), "--format", "sarif")
    messages = [r["message"]["text"] for r in json.loads(out)["runs"][0]["results"]]
    assert any("\u202e" in m for m in messages)  # the message does quote it...
    assert "\u202e" not in out and "\\u202e" in out  # ...as an escape in the SARIF text


PAYLOAD = "[点我](javascript:alert(1)) <img src=x onerror=alert(1)>"


def test_check_markdown_keeps_the_issue_payload_inert(tmp_path):
    """The community name and the file name from the issue: once the report is rendered as
    Markdown, no link, no image, no raw HTML."""
    plan = _plan(tmp_path, PAYLOAD)
    bad = _broken_plan(tmp_path, PAYLOAD)
    code, out = _check(str(plan), str(bad), "--format", "markdown")
    html = markdown.markdown(out, extensions=["tables"])
    assert "<a " not in html and "<img" not in html and "javascript:" not in html.replace("javascript:alert", "")
    assert "&lt;img" in html


def test_check_markdown_has_no_control_characters(tmp_path):
    plan = _plan(tmp_path, "读书会\x00\x85\x9b\x1b[2J")
    code, out = _check(str(plan), "--format", "markdown")
    assert not any(ch in out for ch in ("\x00", "\x85", "\x9b", "\x1b"))


def _strict_html(text: str) -> None:
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


@pytest.mark.parametrize("command", [["plan"], ["sop", "--format", "html"]])
def test_nul_and_c1_never_reach_the_html_documents(tmp_path, command):
    name = "读书会\x00\x01\x85\x9b\x7f<b>"
    plan = _plan(tmp_path, name)
    fmt = [] if command[0] == "sop" else ["--format", "html"]
    result = CliRunner().invoke(cli, [*command, str(plan), *fmt])
    assert result.exit_code in (0, 1), result.output
    out = result.output
    assert not any(ch in out for ch in ("\x00", "\x01", "\x85", "\x9b", "\x7f"))
    assert "读书会" in out and "<b>" not in out
    _strict_html(out)


def test_a_non_utf8_file_name_with_an_output(tmp_path):
    """A file name holding byte 0xFF, checked with -o: the report is written, the name shown
    with a visible escape, no internal error."""
    raw = os.fsencode(tmp_path) + b"/caf\xff.yaml"
    with open(raw, "wb") as fh:
        fh.write((EXAMPLES / "reading-club.yaml").read_bytes())
    name = os.fsdecode(raw)
    for fmt in ("text", "json", "sarif", "markdown"):
        result = CliRunner().invoke(cli, ["check", name, "--format", fmt, "-o", str(tmp_path / f"r.{fmt}")])
        assert result.exit_code in (0, 1), result.output
        written = (tmp_path / f"r.{fmt}").read_bytes().decode("utf-8")
        assert "caf" in written
    missing = os.fsdecode(os.fsencode(tmp_path) + b"/gone\xff.yaml")
    result = CliRunner().invoke(cli, ["check", missing])
    assert result.exit_code == 2 and "gone\\xff.yaml" in result.output and "internal-error" not in result.output
