"""The page in a real browser (Debian's Chromium through Playwright): edit, see the error at the
field and the YAML line, fix it, see the diagnosis change, preview, download, save with comments
kept, a conflict that loses nothing, the wizard, and the refusals."""

from __future__ import annotations

import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from qunce_web_browser import serving

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = 'label[data-path="structure.groups[0].members"]'
MODE = 'label[data-path="positioning.mode"] input, label[data-path="positioning.mode"] textarea'


@pytest.fixture
def plan(tmp_path):
    shutil.copy(ROOT / "examples" / "reading-club.yaml", tmp_path / "reading-club.yaml")
    return tmp_path / "reading-club.yaml"


def _outside(data: bytes, keys: tuple[str, ...]) -> list[bytes]:
    """The plan's top-level blocks other than `keys`, as bytes (comments and blank lines in them)."""
    blocks = re.split(rb"\n(?=[a-z_]+:)", data)
    return [b for b in blocks if not any(b.lstrip(b"\n").startswith(k.encode() + b":") for k in keys)]


def test_edit_check_fix_preview_download_and_save_keep_comments(page, plan):
    """The whole loop an operator goes through, against the file on disk."""
    before = plan.read_bytes()
    with serving(plan) as url:
        page.goto(url)
        page.wait_for_selector("#completeness")
        assert "token=" not in page.url  # traded for the cookie
        completeness = page.inner_text("#completeness")

        members = page.locator(f"{MEMBERS} input")
        members.fill("三百二")  # not a number
        page.wait_for_selector(f"{MEMBERS}.has-error")
        assert page.inner_text(f"{MEMBERS} .error-text")
        page.click('[data-tab="yaml"]')
        line = before.decode().splitlines().index("      members: 320") + 1
        page.wait_for_selector(f'#gutter .bad[data-line="{line}"]')
        page.click('[data-tab="form"]')

        members.fill("330")
        page.wait_for_selector(f"{MEMBERS}.has-error", state="detached")
        page.locator(MODE).fill("每周一次线上分享，每天打卡互评，季度线下读书会")
        page.wait_for_function("c => document.getElementById('completeness')?.textContent !== c", arg=completeness)

        first = page.locator(".finding").first
        path = first.get_attribute("data-finding-path")
        first.click()
        focused = page.evaluate("document.activeElement.closest('[data-path]')?.dataset.path")
        assert focused and path.startswith(focused)

        page.click('[data-tab="preview"]')
        page.frame_locator("#preview").locator("text=读书成长营").first.wait_for()

        page.click('[data-tab="sop"]')
        with page.expect_download() as download:
            page.click('[data-sop="sessions:0:ics"]')
        ics = Path(download.value.path()).read_text("utf-8")
        assert ics.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in ics

        page.click("#save")
        page.wait_for_selector("#status.ok")
    after = plan.read_bytes()
    assert b"members: 330" in after and "季度线下读书会".encode() in after
    assert _outside(after, ("structure", "positioning")) == _outside(before, ("structure", "positioning"))
    assert after.count(b"#") > 10  # the file's comments are still there


def test_a_change_behind_the_pages_back_is_a_conflict_and_the_edit_stays(page, plan):
    with serving(plan) as url:
        page.goto(url)
        page.wait_for_selector("#completeness")
        page.locator(f"{MEMBERS} input").fill("340")
        page.wait_for_function("() => document.getElementById('yaml').value.includes('members: 340')")
        plan.write_bytes(plan.read_bytes() + b"# changed in another editor\n")
        behind = plan.read_bytes()
        page.click("#save")
        page.wait_for_selector("#banner.conflict")
        assert plan.read_bytes() == behind
        assert "members: 340" in page.input_value("#yaml")
        page.reload()  # the edit was kept as a draft and is offered back
        page.wait_for_selector("#draft-restore").click()
        page.wait_for_function("() => document.getElementById('yaml').value.includes('members: 340')")


def test_the_wizard_starts_a_plan_from_nothing(page, tmp_path):
    with serving(tmp_path) as url:
        page.goto(url)
        page.wait_for_selector("#wizard")
        page.fill('#wizard [name="goal"]', "每月两次城市徒步，一年培养 10 位领队")
        page.fill('#wizard [name="members"]', "喜欢户外的上班族")
        page.select_option('#wizard [name="platform"]', "feishu")
        page.fill('#wizard [name="file"]', "hiking.yaml")
        page.click('#wizard [type="submit"]')
        page.wait_for_selector("#completeness")
    text = (tmp_path / "hiking.yaml").read_text("utf-8")
    assert "每月两次城市徒步" in text and "platform: feishu" in text


def test_requests_without_the_token_or_from_a_foreign_host_are_refused(plan):
    with serving(plan) as url:
        base = url.split("?")[0]
        for request in (urllib.request.Request(base), urllib.request.Request(url, headers={"Host": "evil.example"})):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            assert refused.value.code == 403
