"""Every output format over one report: JSON against its own contract, SARIF against the official
2.1.0 schema, text aligned and plain when piped, Markdown grouped by sin."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from qunce.cli import cli
from qunce.engine.api import CheckOptions, check_paths
from qunce.engine.reporters import REPORTERS, render
from qunce.engine.i18n.format import width
from qunce.engine.load.schema import load_schema

from conftest import EXAMPLES, FIXTURES

INPUTS = [str(EXAMPLES), str(FIXTURES / "sparse.yaml"), str(FIXTURES / "multi-error.yaml"),
          str(FIXTURES / "bad" / "binary.yaml")]


@pytest.fixture(scope="module")
def report(ruleset):
    return check_paths(INPUTS, ruleset, CheckOptions(today=date(2026, 11, 23)))


def test_json_matches_its_contract(report):
    from jsonschema import Draft202012Validator

    data = json.loads(render(report, "json"))
    Draft202012Validator(load_schema("report.schema.json")).validate(data)
    assert data["summary"]["unreadable"] == 1 and data["summary"]["invalid"] == 1
    checked = [f for f in data["files"] if "health" in f]
    assert checked and all(set(f["risk"]) == {"focus", "leaderless", "tyranny", "harassment", "boredom",
                                              "evaporation", "staleness"} for f in checked)


def test_sarif_validates_against_the_official_schema(report, ruleset):
    from jsonschema import Draft7Validator

    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    data = json.loads(render(report, "sarif", rules=ruleset.rules))
    Draft7Validator(schema).validate(data)
    run = data["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    assert any(r["ruleId"] == "binary" for r in run["results"])


def test_text_is_aligned_and_uncoloured(report):
    """In each file's table every message starts at the same display column (CJK counts two),
    and the remedy line underneath starts there too."""
    text = render(report, "text", color=False)
    assert "\x1b[" not in text
    lines = text.splitlines()
    checked = [f for f in report.files if f.findings]
    assert checked
    for result in checked:
        columns = set()
        start = next(n for n, ln in enumerate(lines) if ln.startswith(result.path + "  "))
        for finding in result.findings:
            i = next(n for n, ln in enumerate(lines) if n > start and finding.rule in ln and finding.text("zh").message in ln)
            row = lines[i]
            columns.add(width(row[: row.index(finding.text("zh").message, row.index(finding.rule))]))
            remedy = lines[i + 1]
            columns.add(width(remedy[: remedy.index("↳")]))
        assert len(columns) == 1, (result.path, columns)


def test_text_colour_only_when_asked(report):
    assert "\x1b[" in render(report, "text", color=True)


def test_cjk_width():
    assert width("失焦") == 4 and width("ab") == 2


def test_markdown_groups_by_sin(report):
    md = render(report, "markdown")
    assert md.startswith("# 社群计划诊断报告")
    assert "健康度" in md


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_every_format_from_the_cli(fmt, tmp_path):
    """-o writes the report atomically; the exit code is the same as on stdout."""
    out = tmp_path / f"r.{fmt}"
    result = CliRunner().invoke(cli, ["check", "--format", fmt, "--fail-on", "never", "-o", str(out),
                                      str(EXAMPLES / "reading-club.yaml")])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").strip()


def test_check_refuses_to_overwrite_its_input(tmp_path):
    plan = tmp_path / "p.yaml"
    original = (FIXTURES / "ok" / "minimal.yaml").read_text(encoding="utf-8")
    plan.write_text(original, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--format", "json", "-o", str(plan), str(plan)])
    assert result.exit_code == 2 and "output-is-input" in result.output
    assert plan.read_text(encoding="utf-8") == original
