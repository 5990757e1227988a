"""Writing outputs: atomic, never over an input, clear errors for bad targets, nothing left behind
when a streamed report fails half way."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qunce.cli import cli
from qunce.engine.errors import OutputError
from qunce.engine.output.write import write_atomic

from conftest import EXAMPLES


def test_missing_directory_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["plan", str(EXAMPLES / "data-camp.yaml"), "-o", str(tmp_path / "no" / "x.md")])
    assert result.exit_code == 2 and "output-no-dir" in result.output


def test_parent_is_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    result = CliRunner().invoke(cli, ["check", str(EXAMPLES / "data-camp.yaml"), "-o", str(tmp_path / "f" / "r.json"),
                                      "--format", "json"])
    assert result.exit_code == 2 and "output-no-dir" in result.output


def test_interrupted_stream_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def chunks():
        yield "new part"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, chunks())
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_refuses_the_input_and_existing_without_force(tmp_path):
    plan = tmp_path / "p.yaml"
    plan.write_text("version: 1\n", encoding="utf-8")
    with pytest.raises(OutputError) as e:
        write_atomic(plan, "x", inputs=[plan])
    assert e.value.code == "output-is-input"
    with pytest.raises(OutputError) as e:
        write_atomic(plan, "x", force=False)
    assert e.value.code == "output-exists"
    assert plan.read_text(encoding="utf-8") == "version: 1\n"


def test_second_run_over_existing_output_replaces_it(tmp_path):
    out = tmp_path / "方案.html"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["plan", str(EXAMPLES / "local-business.yaml"), "-o", str(out)])
        assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
