"""Fixtures of the browser tests: a served copy of a plan and one Chromium per module.

Without Chromium these tests skip with the install command; with CI set they fail instead, so
CI never passes by skipping them (.ci/run installs chromium and fonts-noto-cjk)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import chromium, missing  # noqa: E402


@pytest.fixture(scope="module")
def browser():
    why = missing()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {why}")
        pytest.skip(f"browser tests skipped: {why}")
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []  # no script error on the way
