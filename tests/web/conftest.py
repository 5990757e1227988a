"""Fixtures of the browser tests: a served copy of a plan and one Chromium per module.

Without Chromium these tests skip with the install command; with CI set they fail instead, so
CI never passes by skipping them (.ci/run installs chromium and fonts-noto-cjk)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

# tests/web/browser.py under a name of its own (not on sys.path, where `conftest` would shadow
# the suite's conftest for other test modules)
_spec = importlib.util.spec_from_file_location("qunce_web_browser", Path(__file__).resolve().parent / "browser.py")
browser_tools = importlib.util.module_from_spec(_spec)
sys.modules["qunce_web_browser"] = browser_tools
_spec.loader.exec_module(browser_tools)
chromium, missing = browser_tools.chromium, browser_tools.missing


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
