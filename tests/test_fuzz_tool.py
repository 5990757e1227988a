"""tools/fuzz.py, the long-run driver: it must count the cases hypothesis actually ran."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TOOL = Path(__file__).resolve().parents[1] / "tools" / "fuzz.py"


def _tool():
    spec = importlib.util.spec_from_file_location("fuzz_tool", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_chunks_are_counted_and_recorded(tmp_path, capsys):
    record = tmp_path / "run.md"
    assert _tool().main(["--cases", "3", "--chunk", "2", "--jobs", "2", "--seed", "7", "--record", str(record)]) == 0
    out = capsys.readouterr().out
    assert "3 cases, no failure" in out
    text = record.read_text(encoding="utf-8")
    assert "**3**" in text
    assert "| 7 | 2 |" in text and "| 8 | 1 |" in text


def test_hypothesis_statistics_are_parsed():
    line = "    - 4321 passing, 0 failing, and 0 invalid test cases"
    assert _tool().PASSING.findall(line) == [("4321", "0")]


def test_bad_counts_are_usage_errors():
    with pytest.raises(SystemExit) as e:
        _tool().main(["--cases", "0"])
    assert e.value.code == 2
