"""Every bad-input class, pinned to its error code, line, column and exit code (issue #2).

Fixtures live in tests/fixtures/bad (one file per class); the ones too big to commit are made here.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qunce.cli import cli
from qunce.engine.errors import PlanLoadError
from qunce.engine.load.yaml import MAX_BYTES, load_plan, load_plan_bytes

from conftest import FIXTURES

BAD = FIXTURES / "bad"
OK = FIXTURES / "ok"

# file -> (code, line, column, exit code of `qunce validate`)
CASES = {
    "duplicate-key.yaml": ("duplicate-key", 5, 3, 2),
    "multi-document.yaml": ("multi-document", 5, 1, 2),
    "alias-bomb.yaml": ("too-many-nodes", 1, 56, 2),
    "recursive-alias.yaml": ("too-deep", 2, 7, 2),
    "deep-nesting.yaml": ("too-deep", 2, 68, 2),
    "empty.yaml": ("empty", 1, 1, 2),
    "only-comments.yaml": ("empty", 1, 1, 2),
    "binary.yaml": ("binary", 2, 1, 2),
    "utf16.yaml": ("unsupported-encoding", 1, 1, 2),
    "latin1.yaml": ("unknown-encoding", 4, 13, 2),
    "syntax-error.yaml": ("yaml-syntax", 6, 1, 2),
    "undefined-alias.yaml": ("undefined-alias", 4, 10, 2),
    "top-level-list.yaml": ("not-mapping", 1, 1, 2),
    "python-tag.yaml": ("unsupported-tag", 4, 8, 2),
    "time-trap.yaml": ("yaml-trap", 6, 12, 1),
    "bool-trap.yaml": ("yaml-trap", 5, 20, 1),
    "unknown-key.yaml": ("unknown-key", 4, 3, 1),
    "bad-enum.yaml": ("bad-enum", 5, 9, 1),
    "wrong-type.yaml": ("wrong-type", 7, 16, 1),
    "missing-name.yaml": ("missing-required", 3, 3, 1),
    "bad-quiet-hours.yaml": ("bad-format", 5, 16, 1),
    "no-such-day.yaml": ("no-such-day", 7, 12, 1),
}


def test_every_fixture_has_a_case():
    """A new fixture without an expectation (or a case without its file) fails here."""
    assert sorted(CASES) == sorted(p.name for p in BAD.iterdir())


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_fixture(name, lang):
    """`qunce validate --format json` reports the exact code and position, and the right exit code."""
    import json

    code, line, column, exit_code = CASES[name]
    result = CliRunner().invoke(cli, ["validate", "--format", "json", "--lang", lang, str(BAD / name)])
    assert result.exit_code == exit_code, result.output
    data = json.loads(result.output)
    errors = data["files"][0]["errors"]
    assert (errors[0]["code"], errors[0]["line"], errors[0]["column"]) == (code, line, column)
    assert errors[0]["message"]
    if lang == "zh":
        assert any("\u4e00" <= c <= "\u9fff" for c in errors[0]["message"])
    else:
        assert not any("\u4e00" <= c <= "\u9fff" for c in errors[0]["message"].split('"')[0])


@pytest.mark.parametrize("name", sorted(p.name for p in OK.iterdir()))
def test_ok_fixture(name):
    """Odd but acceptable files: GBK, a BOM, merge keys, a Chinese file name."""
    result = CliRunner().invoke(cli, ["validate", str(OK / name)])
    assert result.exit_code == 0, result.output


def test_gbk_is_decoded_with_a_notice():
    """A GBK file from a Chinese Windows editor reads correctly (no mojibake) and says so."""
    plan = load_plan(OK / "gbk.yaml")
    assert plan.encoding == "gb18030"
    assert plan.data["community"]["owner"] == "林老师"
    assert [n.code for n in plan.notices] == ["decoded-gb18030"]


def test_bom_is_stripped():
    plan = load_plan(OK / "utf8-bom.yaml")
    assert plan.data["version"] == 1 and plan.notices == []


def test_merge_keys_keep_explicit_values():
    """`<<: *g` copies keys the item does not set itself; the item's own keys win."""
    groups = load_plan(OK / "merge-keys.yaml").data["structure"]["groups"]
    assert groups[1] == {"name": "2群", "tier": "free", "capacity": 500}


def test_too_large(tmp_path):
    """Files over the size bound are refused before parsing."""
    big = tmp_path / "big.yaml"
    big.write_bytes(b"version: 1\n" + b"#" * MAX_BYTES)
    with pytest.raises(PlanLoadError) as e:
        load_plan(big)
    assert e.value.code == "too-large"
    result = CliRunner().invoke(cli, ["validate", str(big)])
    assert result.exit_code == 2


def test_missing_file_and_directory(tmp_path):
    """A missing path is an input error (2) reported in its place, not a crash."""
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert '"not-found"' in result.output


def test_locator_points_at_values_and_keys():
    """Every value keeps its line:column; a missing value resolves to its nearest parent."""
    text = "version: 1\ncommunity:\n  name: 社群\nstructure:\n  groups:\n    - name: 1群\n      members: 30\n"
    plan = load_plan_bytes(text.encode(), "x.yaml")
    loc = plan.locator
    assert loc.value(("structure", "groups", 0, "members")) == (7, 16)
    assert loc.key(("structure", "groups", 0, "members")) == (7, 7)
    assert loc.value(("structure", "groups", 0, "capacity")) == (6, 7)
    assert loc.value(("positioning", "kind")) == (1, 1)


def test_unquoted_time_is_remembered_as_written():
    """The raw text of a plain scalar YAML turned into a number is kept for the trap message."""
    plan = load_plan_bytes(b"version: 1\nstart: 20:00\n", "x.yaml")
    assert plan.data["start"] == 1200
    assert plan.locator.scalars[("start",)].raw == "20:00"


def test_dates_stay_text():
    """Unquoted dates stay ISO text (plans are JSON data), not datetime objects."""
    plan = load_plan_bytes(b"version: 1\nd: 2026-12-05\n", "x.yaml")
    assert plan.data["d"] == "2026-12-05"
