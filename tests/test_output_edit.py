"""The one deliberate edit of a plan (output/edit.py): every bundled example and calibration plan
gets an `observed:` block with every byte outside it kept, reads back as intended, keeps its
permissions; a file changed behind our back is a conflict with nothing written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from qunce.engine.errors import OutputError
from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.output.edit import _top_block, set_top_level

from conftest import EXAMPLES, ROOT

PLANS = sorted(EXAMPLES.rglob("*.yaml")) + sorted((ROOT / "tests" / "calibration" / "plans" / "dev").glob("*.yaml"))
OBSERVED = {"as_of": "2026-11-27", "members": 312, "active_7d": 80, "left_30d": 9, "note": "no", "window": "20:00"}


def _outside(text: str, key: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    span = _top_block(text, key)
    return lines if span is None else lines[:span[0]] + lines[span[1]:]


@pytest.mark.parametrize("plan", PLANS, ids=[p.name for p in PLANS])
def test_edit_keeps_every_byte_outside_the_block(tmp_path, plan):
    target = tmp_path / plan.name
    shutil.copyfile(plan, target)
    before = target.read_bytes()
    edit = set_top_level(target, "observed", OBSERVED, loaded=before)
    after = target.read_bytes()
    assert after == edit.after and edit.changed
    old, new = before.decode("utf-8-sig"), after.decode("utf-8-sig")
    if _top_block(old, "observed") is None:
        assert new.startswith(old.rstrip("\n"))
    else:
        assert _outside(old, "observed") == _outside(new, "observed")
    data = load_plan_bytes(after, str(target)).data
    assert data["observed"] == OBSERVED  # "no" and "20:00" stay text under qunce's YAML 1.1 loader
    assert {k: v for k, v in data.items() if k != "observed"} == \
        {k: v for k, v in load_plan_bytes(before, "x").data.items() if k != "observed"}


def test_a_file_changed_since_it_was_read_is_a_conflict(tmp_path):
    target = tmp_path / "plan.yaml"
    shutil.copyfile(EXAMPLES / "reading-club.yaml", target)
    loaded = target.read_bytes()
    target.write_bytes(loaded + b"# edited in another tab\n")
    with pytest.raises(OutputError) as err:
        set_top_level(target, "observed", OBSERVED, loaded=loaded)
    assert err.value.code == "edit-conflict"
    assert target.read_bytes() == loaded + b"# edited in another tab\n"


def test_permissions_crlf_and_bom_are_kept(tmp_path):
    target = tmp_path / "plan.yaml"
    text = "\ufeffversion: 1\r\n# 社群\r\ncommunity:\r\n  name: 读书会   # 名字\r\n"
    target.write_bytes(text.encode("utf-8"))
    os.chmod(target, 0o600)
    edit = set_top_level(target, "observed", {"members": 20}, loaded=target.read_bytes())
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.startswith(text.encode("utf-8").rstrip(b"\r\n"))
    assert (os.stat(target).st_mode & 0o777) == 0o600
    assert "+observed:" in edit.diff()


def test_dry_run_writes_nothing(tmp_path):
    target = tmp_path / "plan.yaml"
    shutil.copyfile(EXAMPLES / "coffee-fans.yaml", target)
    before = target.read_bytes()
    edit = set_top_level(target, "observed", OBSERVED, loaded=before, dry_run=True)
    assert target.read_bytes() == before and edit.changed and "observed" in edit.diff()


def test_a_chinese_file_name_and_a_second_run_over_the_same_figures(tmp_path):
    """The edit works on a plan named in Chinese; writing the same figures again changes nothing
    (no byte moves, the file is not rewritten)."""
    target = tmp_path / "读书会计划.yaml"
    shutil.copyfile(EXAMPLES / "reading-club.yaml", target)
    first = set_top_level(target, "observed", OBSERVED, loaded=target.read_bytes())
    assert first.changed and load_plan_bytes(target.read_bytes(), str(target)).data["observed"] == OBSERVED
    stamp = os.stat(target).st_mtime_ns
    again = set_top_level(target, "observed", OBSERVED, loaded=target.read_bytes())
    assert not again.changed and os.stat(target).st_mtime_ns == stamp
