"""Shared fixtures: the repository layout and a rule set compiled once per test session."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_EXAMPLE = ROOT.parent / "shared" / "examples" / "reading-club.yaml"
# The reference plan, as bundled: byte-identical to SHARED_EXAMPLE (test_examples.py checks), and
# present in every clone, where ../shared is not.
REFERENCE = EXAMPLES / "reading-club.yaml"
TODAY = date(2026, 11, 23)  # rules that look at "today" are tested against a fixed day


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Tests write only to temporary directories: the compiled-pack cache too."""
    import os

    os.environ["QUNCE_CACHE_DIR"] = str(tmp_path_factory.mktemp("qunce-cache"))


@pytest.fixture(scope="session")
def ruleset():
    from qunce.engine.rules.pack import load_rules

    return load_rules()
