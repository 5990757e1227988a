"""The compiled-pack cache: same rules warm or cold, misses on change or corruption, can be off."""

from __future__ import annotations

from qunce.engine.rules import cache
from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.rules.evaluate import evaluate
from qunce.engine.rules.pack import load_rules

from conftest import FIXTURES

PACK = FIXTURES / "packs" / "good.yaml"


def _fingerprint(ruleset):
    plan = load_plan_bytes(b"version: 1\ncommunity:\n  name: x\n", "p.yaml")
    out = evaluate(ruleset, plan.data, plan.locator, plan.path)
    return [(r.id, r.line, r.when_text) for r in ruleset.rules], [f.to_dict() for f in out.findings]


def test_warm_equals_cold(tmp_path, monkeypatch):
    monkeypatch.setenv("QUNCE_CACHE_DIR", str(tmp_path))
    cold = _fingerprint(load_rules([PACK], defaults=False))
    assert list(tmp_path.glob("*.bin"))
    warm = _fingerprint(load_rules([PACK], defaults=False))
    assert cold == warm and cold[1]


def test_edited_pack_misses(tmp_path, monkeypatch):
    monkeypatch.setenv("QUNCE_CACHE_DIR", str(tmp_path / "c"))
    pack = tmp_path / "p.yaml"
    pack.write_text(PACK.read_text(encoding="utf-8"), encoding="utf-8")
    load_rules([pack], defaults=False)
    pack.write_text(PACK.read_text(encoding="utf-8").replace("severity: warning", "severity: error"),
                    encoding="utf-8")
    assert load_rules([pack], defaults=False).rules[0].severity == "error"


def test_corrupt_entry_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("QUNCE_CACHE_DIR", str(tmp_path))
    load_rules([PACK], defaults=False)
    for f in tmp_path.glob("*.bin"):
        f.write_bytes(b"\x00garbage")
    assert [r.id for r in load_rules([PACK], defaults=False).rules] == ["custom.needs-owner-name"]


def test_unwritable_or_disabled(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("QUNCE_CACHE_DIR", str(blocker / "sub"))
    assert load_rules([PACK], defaults=False).rules
    monkeypatch.setenv("QUNCE_NO_CACHE", "1")
    assert cache.get("anything") is None
    assert load_rules([PACK], defaults=False).rules


def test_broken_pack_is_never_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("QUNCE_CACHE_DIR", str(tmp_path))
    import pytest

    from qunce.engine.errors import RulePackError

    for _ in range(2):
        with pytest.raises(RulePackError):
            load_rules([FIXTURES / "packs" / "syntax-error.yaml"], defaults=False)
    assert not list(tmp_path.glob("*.bin"))
