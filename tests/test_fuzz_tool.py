"""tools/fuzz.py, the long-run driver: it must count the cases hypothesis actually ran."""

from __future__ import annotations

import pytest

from conftest import load_tool

pytestmark = pytest.mark.slow


def test_chunks_are_counted_and_recorded(tmp_path, capsys):
    record = tmp_path / "run.md"
    assert load_tool("fuzz").main(["--cases", "3", "--chunk", "2", "--jobs", "2", "--seed", "7", "--record", str(record)]) == 0
    out = capsys.readouterr().out
    assert "3 cases, no failure" in out
    text = record.read_text(encoding="utf-8")
    assert "**3**" in text
    assert "| 7 | 2 |" in text and "| 8 | 1 |" in text


def test_hypothesis_statistics_are_parsed():
    line = "    - 4321 passing, 0 failing, and 0 invalid test cases"
    assert load_tool("fuzz").PASSING.findall(line) == [("4321", "0")]


def test_bad_counts_are_usage_errors():
    with pytest.raises(SystemExit) as e:
        load_tool("fuzz").main(["--cases", "0"])
    assert e.value.code == 2
