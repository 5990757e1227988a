"""Starter plans for `qunce init`: one commented template per community kind."""

from __future__ import annotations

from .domain import KINDS
from .errors import UsageError
from .loader import package_data
from .schema import schema_path


def starter(kind: str) -> str:
    """The starter plan text, headed by a modeline so YAML editors complete and check it."""
    if kind not in KINDS:
        raise UsageError("unknown-kind", {"kind": kind, "choices": ", ".join(KINDS)})
    body = package_data("output_templates", "starters", f"{kind}.yaml").read_text("utf-8")
    uri = schema_path().resolve().as_uri()
    return f"# yaml-language-server: $schema={uri}\n{body}"
