"""Starter plans for `qunce init`: one commented template per community kind."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .domain import KINDS
from .errors import UsageError
from .schema import schema_path


def starter(kind: str) -> str:
    """The starter plan text, headed by a modeline so YAML editors complete and check it."""
    if kind not in KINDS:
        raise UsageError("unknown-kind", {"kind": kind, "choices": ", ".join(KINDS)})
    body = resources.files("qunce").joinpath("output_templates", "starters", f"{kind}.yaml").read_text("utf-8")
    uri = Path(str(schema_path())).resolve().as_uri()
    return f"# yaml-language-server: $schema={uri}\n{body}"
