"""ICS output cannot be broken or injected into (issue 11, item 6): every TEXT property escaped
per RFC 5545 by qunce itself, lines folded, nothing left to an `assert` (so the same holds with
PYTHONOPTIMIZE=1), checked by icalendar's parser and by a strict line check of our own."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from conftest import EXAMPLES, ROOT

FORGED = "读书会\r\nBEGIN:VEVENT\r\nSUMMARY:Wire money to evil\r\nUID:evil\r\nEND:VEVENT\r\nX-A:1"
TRICKY = 'a;b,c\\d "q" \u0085x\x0by\u2028z'


def _plan(tmp_path, name: str, title: str):
    data = yaml.safe_load((EXAMPLES / "reading-club.yaml").read_text(encoding="utf-8"))
    data["community"]["name"] = name
    data["sessions"][0]["title"] = title
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _sop_ics(plan, *, optimize: bool) -> bytes:
    env = dict(os.environ, PYTHONOPTIMIZE="1" if optimize else "")
    proc = subprocess.run([sys.executable, *(["-O"] if optimize else []), "-m", "qunce", "sop", str(plan), "--format",
                           "ics", "--session", _first_session(plan)], capture_output=True, env=env, timeout=120,
                          cwd=ROOT.parent)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def _first_session(plan) -> str:
    return yaml.safe_load(plan.read_text(encoding="utf-8"))["sessions"][0]["id"]


def strict_lines(data: bytes) -> list[str]:
    """A tiny independent reader: CRLF endings only, no line over 75 octets, folded lines start
    with one space, every unfolded line is NAME[;PARAMS]:VALUE, BEGIN/END balanced."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    assert all(b"\r" not in ln and b"\n" not in ln for ln in physical)
    assert all(len(ln) <= 75 for ln in physical)
    logical: list[str] = []
    for ln in physical:
        if ln.startswith(b" "):
            logical[-1] += ln[1:].decode("utf-8")
        else:
            logical.append(ln.decode("utf-8"))
    stack = []
    for line in logical:
        name = line.split(":", 1)[0].split(";", 1)[0]
        assert name and all(c.isalnum() or c == "-" for c in name), line
        if name == "BEGIN":
            stack.append(line.split(":", 1)[1])
        elif name == "END":
            assert stack.pop() == line.split(":", 1)[1]
    assert not stack
    return logical


@pytest.mark.parametrize("optimize", [False, True])
def test_a_community_name_cannot_forge_an_event(tmp_path, optimize):
    """`\\r\\nBEGIN:VEVENT…` in the community name and a session title: no crash, with or without
    assertions, the same number of events as tasks, and no forged one."""
    honest = _sop_ics(_plan(tmp_path, "读书会", "正常标题"), optimize=optimize)
    data = _sop_ics(_plan(tmp_path, FORGED, FORGED), optimize=optimize)
    from icalendar import Calendar

    cal = Calendar.from_ical(data)
    assert len(cal.events) == len(Calendar.from_ical(honest).events) > 0
    assert all("evil" != str(e["UID"]) for e in cal.events)
    assert not any(str(e["SUMMARY"]).startswith("Wire money") for e in cal.events)
    name = str(cal["X-WR-CALNAME"])
    assert "Wire money to evil" in name and "BEGIN:VEVENT" in name  # kept as text, inside the name
    lines = strict_lines(data)
    assert sum(1 for ln in lines if ln == "BEGIN:VEVENT") == len(cal.events)
    assert not any(ln.startswith("SUMMARY:Wire") for ln in lines)


def test_text_properties_are_escaped_and_round_trip(tmp_path):
    """`;` `,` `\\` and line breaks come back as written (line breaks as \\n); other control
    characters are dropped; the calendar name is escaped like every other TEXT value."""
    data = _sop_ics(_plan(tmp_path, TRICKY, TRICKY), optimize=False)
    from icalendar import Calendar

    cal = Calendar.from_ical(data)
    lines = strict_lines(data)
    calname = next(ln for ln in lines if ln.startswith("X-WR-CALNAME:"))
    assert "a\\;b\\,c\\\\d" in calname
    assert 'a;b,c\\d "q" \nxy\nz' in _unescape(calname.split(":", 1)[1])
    summaries = [str(e["DESCRIPTION"]) for e in cal.events]
    assert any('a;b,c\\d "q" \nxy\nz' in s for s in summaries)


def _unescape(text: str) -> str:
    """RFC 5545 TEXT unescaping, written independently of the writer (icalendar leaves X-
    properties as they are)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append("\n" if text[i + 1] in "nN" else text[i + 1])
            i += 2
        else:
            assert text[i] not in ";,", f"unescaped {text[i]!r} in {text!r}"
            out.append(text[i])
            i += 1
    return "".join(out)


def test_fold_never_splits_a_character():
    from qunce.engine.output.ics import fold

    out = fold("DESCRIPTION:" + "读书会" * 40)
    assert all(len(ln) <= 75 for ln in out.split(b"\r\n"))
    assert out.decode("utf-8").replace("\r\n ", "") == "DESCRIPTION:" + "读书会" * 40 + "\r\n"
