"""The compiled-pack cache: same rules warm or cold, misses on change or corruption, can be off."""

from __future__ import annotations

import pytest

from qunce.engine.rules import cache
from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.rules.evaluate import evaluate
from qunce.engine.rules.pack import load_rules

from conftest import FIXTURES

PACK = FIXTURES / "packs" / "good.yaml"


@pytest.fixture(autouse=True)
def _fresh_process_memo():
    """Rule sets are memoised per process; each test here must reach the disk cache."""
    from qunce.engine.rules import pack

    pack._LOADED.clear()


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


# ---- the cache cannot bypass the sandbox: entries are trusted only from a user-only folder ----


def _warm(folder, monkeypatch):
    """A cache folder holding the good pack's entry, made the trusted way."""
    from qunce.engine.rules import pack

    monkeypatch.setenv("QUNCE_CACHE_DIR", str(folder))
    pack._LOADED.clear()
    load_rules([PACK], defaults=False)
    entries = list(folder.glob("*.bin"))
    assert entries
    return entries[0]


def _poison(entry):
    """Rewrite the entry so that using it would be visible: the rule gets another severity."""
    import marshal

    value = marshal.loads(entry.read_bytes())
    value["rules"][0]["severity"] = "error"
    entry.write_bytes(marshal.dumps(value))


def _severity():
    from qunce.engine.rules import pack

    pack._LOADED.clear()
    return load_rules([PACK], defaults=False).rules[0].severity


def test_trusted_entry_is_used(tmp_path, monkeypatch):
    """The control case: a 0700 folder of ours is trusted, so even an edited entry is read."""
    entry = _warm(tmp_path / "c", monkeypatch)
    _poison(entry)
    assert _severity() == "error"


def test_folder_open_to_group_or_others_is_refused(tmp_path, monkeypatch):
    import os

    entry = _warm(tmp_path / "c", monkeypatch)
    _poison(entry)
    for mode in (0o750, 0o705, 0o770, 0o777):
        os.chmod(tmp_path / "c", mode)
        assert not cache.trusted(tmp_path / "c", directory=True)
        assert _severity() == "warning", oct(mode)
    os.chmod(tmp_path / "c", 0o700)
    assert _severity() == "error"


def test_folder_of_another_user_is_refused(tmp_path, monkeypatch):
    import os

    entry = _warm(tmp_path / "c", monkeypatch)
    _poison(entry)
    real = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: real + 1)
    assert not cache.trusted(tmp_path / "c", directory=True)
    assert _severity() == "warning"
    before = sorted(p.name for p in (tmp_path / "c").iterdir())
    load_rules([FIXTURES / "packs" / "each.yaml"], defaults=False)
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == before  # nothing written there either


def test_symlinked_folder_is_refused(tmp_path, monkeypatch):
    entry = _warm(tmp_path / "real", monkeypatch)
    _poison(entry)
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    monkeypatch.setenv("QUNCE_CACHE_DIR", str(tmp_path / "link"))
    assert not cache.trusted(tmp_path / "link", directory=True)
    assert _severity() == "warning"


def test_entry_writable_by_others_or_symlinked_is_refused(tmp_path, monkeypatch):
    import os

    entry = _warm(tmp_path / "c", monkeypatch)
    _poison(entry)
    os.chmod(entry, 0o666)
    assert _severity() == "warning"
    os.chmod(entry, 0o600)
    elsewhere = tmp_path / "elsewhere.bin"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert _severity() == "warning"


def test_new_folder_is_created_user_only(tmp_path, monkeypatch):
    import stat

    _warm(tmp_path / "a" / "b", monkeypatch)
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700
    for entry in (tmp_path / "a" / "b").glob("*.bin"):
        assert stat.S_IMODE(entry.stat().st_mode) & 0o077 == 0
