"""The compiled fast check never calls a plan valid that jsonschema calls invalid (and agrees on
the valid ones), on real files and on mutated plans."""

from __future__ import annotations

import copy

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from qunce.engine.load.fastschema import compile_schema
from qunce.engine.load.yaml import load_plan
from qunce.engine.load.schema import fast_check, load_schema, validator

from conftest import EXAMPLES, FIXTURES

FAST = fast_check()
FULL = validator()


def _agree(data):
    fast = FAST(data)
    full = FULL.is_valid(data)
    assert fast == full, (fast, full, data)


def test_both_schemas_compile():
    assert FAST is not None and fast_check("rule.schema.json") is not None


def test_real_files_agree():
    files = list(EXAMPLES.rglob("*.yaml")) + list((FIXTURES / "ok").glob("*.yaml")) + [FIXTURES / "multi-error.yaml"]
    for f in files:
        _agree(load_plan(f).data)


BASE = yaml.safe_load((EXAMPLES / "reading-club.yaml").read_text(encoding="utf-8"))
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-5, 1000), st.floats(allow_nan=False, width=32),
                   st.text(max_size=5), st.sampled_from(["knowledge", "weekly", "23:30-07:00", "2026-12-05",
                                                          "-3d", "admin", "", "1", "2026-02-29", "2028-02-29",
                                                          "2026-04-31T20:00", "0000-01-01", "2026-13-01"]),
                   st.lists(st.text(max_size=3), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


PATHS = [p for p in _paths(BASE) if p]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PATHS), VALUES, st.booleans()), min_size=1, max_size=3))
def test_mutated_plans_agree(mutations):
    data = copy.deepcopy(BASE)
    for path, value, delete in mutations:
        node = data
        try:
            for part in path[:-1]:
                node = node[part]
            if delete and isinstance(node, dict):
                node.pop(path[-1], None)
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    _agree(data)


def test_unsupported_keyword_falls_back():
    import pytest

    from qunce.engine.load.fastschema import Unsupported

    with pytest.raises(Unsupported):
        compile_schema({"type": "object", "patternProperties": {"^x": {}}})
    assert load_schema()["$schema"]


def test_impossible_days_are_invalid_in_both():
    """The patterns accept 2026-02-30; the calendar-date format must not, in either validator."""
    for path, value in [(("sessions", 0, "start"), "2026-02-30T20:00:00+08:00"),
                        (("campaigns", 0, "start"), "2026-11-31"), (("campaigns", 0, "end"), "2100-02-29")]:
        data = copy.deepcopy(BASE)
        data[path[0]][path[1]][path[2]] = value
        assert not FAST(data) and not FULL.is_valid(data), value
        data[path[0]][path[1]][path[2]] = value.replace("-02-30", "-02-28").replace("-11-31", "-11-30").replace(
            "2100-02-29", "2096-02-29")
        _agree(data)
        assert FAST(data), data[path[0]][path[1]]
