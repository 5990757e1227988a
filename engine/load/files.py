"""Where qunce finds files: plans under the paths a user gives, and the data shipped with it."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

PLAN_SUFFIXES = (".yaml", ".yml")


def package_data(*parts: str) -> Path:
    """A file shipped with qunce (schemas/, playbooks/, output_templates/).

    qunce installs as plain files (wheel or editable), so the package directory is found from
    this module; importlib.resources would cost a tenth of a one-file check's start-up."""
    return Path(__file__).resolve().parent.parent.parent.joinpath(*parts)


def discover(paths: Iterable[str | Path]) -> list[str]:
    """Files as given; directories searched recursively for *.yaml/*.yml in a stable order.

    A path that does not exist is kept so that loading it reports "not found" in its place.
    """
    found: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(str(f) for f in sorted(p.rglob("*"))
                         if f.suffix.lower() in PLAN_SUFFIXES and f.is_file()
                         and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            found.append(str(raw))
    return list(dict.fromkeys(found))
