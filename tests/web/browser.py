"""Starting `qunce serve` and Debian's Chromium for the browser tests and the screenshots.

Run as a script, it writes the README's screenshots: `python tests/web/browser.py docs/`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM = "/usr/bin/chromium"
INSTALL = "apt-get install -y chromium fonts-noto-cjk"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}: {INSTALL}"
    return None


@contextmanager
def serving(target: Path, *args: str) -> Iterator[str]:
    """`qunce serve` on 127.0.0.1 and a free port, as the user starts it; yields the printed URL."""
    code = "import sys; from qunce.cli import main; sys.argv[0] = 'qunce'; main()"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-c", code, "serve", str(target), "--no-browser", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        url = (proc.stdout.readline() if proc.stdout else "").strip()
        if not url.startswith("http://127.0.0.1:"):
            proc.kill()
            raise RuntimeError(f"qunce serve did not start: {url!r} {proc.stderr.read() if proc.stderr else ''}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshots(out: Path, work: Path) -> list[Path]:
    """The page on the reference plan at desktop width and at a phone's 390 px."""
    shutil.copy(ROOT / "examples" / "reading-club.yaml", work / "reading-club.yaml")
    written = []
    with serving(work / "reading-club.yaml") as url, chromium() as browser:
        for name, size in (("page-desktop.png", (1366, 900)), ("page-phone.png", (390, 844))):
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            page.goto(url)
            page.wait_for_selector("#completeness")
            page.screenshot(path=str(out / name))
            written.append(out / name)
            page.close()
    return written


if __name__ == "__main__":
    import tempfile

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    with tempfile.TemporaryDirectory() as tmp:
        for path in screenshots(target, Path(tmp)):
            print(path)
