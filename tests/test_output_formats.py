"""engine/output/formats.py: one registry of document formats, read by the CLI, infer() and dispatch."""

from __future__ import annotations

import pytest

from qunce.cli import cli
from qunce.engine.errors import UsageError
from qunce.engine.output.formats import PLAN_FORMATS, SOP_FORMATS, infer
from qunce.engine.output.sop_document import render_schedule


@pytest.mark.parametrize("registry", [SOP_FORMATS, PLAN_FORMATS])
def test_every_extension_infers_its_format(registry):
    for spec in registry.values():
        assert spec.media_type and spec.description and spec.extensions
        for ext in spec.extensions:
            assert infer(None, f"out/doc{ext.upper()}", registry) == spec.name
    assert infer("html", "doc.md", registry) == "html"  # --format wins
    assert infer(None, "doc.txt", registry) == "md"


def test_ics_is_not_a_plan_format():
    assert infer(None, "plan.ics", PLAN_FORMATS) == "md"
    assert infer(None, "plan.ics", SOP_FORMATS) == "ics"


@pytest.mark.parametrize("registry", [SOP_FORMATS, PLAN_FORMATS])
def test_every_renderer_resolves(registry):
    assert all(callable(spec.render()) for spec in registry.values())


def test_cli_choices_are_the_registry():
    commands = {c.name: c for c in cli.commands.values()}
    for command, registry in (("sop", SOP_FORMATS), ("plan", PLAN_FORMATS)):
        option = next(p for p in commands[command].params if p.name == "fmt")
        assert list(option.type.choices) == list(registry)


def test_unknown_format_is_a_usage_error():
    with pytest.raises(UsageError):
        render_schedule(object(), "pdf", "zh")  # type: ignore[arg-type]
