"""Batch mode: --jobs changes speed, never results or their order."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from qunce.cli import cli
from qunce.engine.run.batch import SERIAL_BELOW

from conftest import EXAMPLES, FIXTURES


def _corpus(tmp_path):
    sources = sorted(EXAMPLES.rglob("*.yaml")) + sorted((FIXTURES / "bad").glob("*.yaml"))
    for i in range(SERIAL_BELOW + 8):
        src = sources[i % len(sources)]
        shutil.copy(src, tmp_path / f"{i:03d}-{src.name}")
    return tmp_path


def test_jobs_do_not_change_results_or_order(tmp_path):
    corpus = _corpus(tmp_path)
    for command in ("validate", "check"):
        outputs = [CliRunner().invoke(cli, [command, "--format", "json", "-j", str(j), str(corpus)])
                   for j in (1, 2)]
        assert outputs[0].exit_code == outputs[1].exit_code == 2
        assert outputs[0].output == outputs[1].output


def test_no_progress_bar_when_piped(tmp_path):
    corpus = _corpus(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "-j", "2", str(corpus)])
    assert "qunce  [" not in result.output and "\r" not in result.output
