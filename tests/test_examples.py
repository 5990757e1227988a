"""The bundled examples: the reference plan is the shared one unchanged, and every plan is valid."""

from __future__ import annotations

from qunce.engine.api import validate_file

from conftest import EXAMPLES, REFERENCE, SHARED_EXAMPLE


def test_bundled_reference_is_the_shared_plan():
    """examples/reading-club.yaml must stay byte-identical to ../shared/examples/reading-club.yaml."""
    if SHARED_EXAMPLE.exists():  # beside the repository in CI and on developers' machines
        assert REFERENCE.read_bytes() == SHARED_EXAMPLE.read_bytes()
    assert REFERENCE.read_text(encoding="utf-8").startswith("# Reference plan")


def test_every_example_is_valid_and_each_kind_is_covered():
    kinds = set()
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        result, plan = validate_file(str(path))
        assert result.valid, (path, [e.message() for e in result.errors])
        if "sick" not in path.parts:
            kinds.add(plan.data["positioning"]["kind"])
    assert kinds == {"product", "interest", "knowledge", "resource", "marketing"}
