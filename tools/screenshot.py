#!/usr/bin/env python3
"""Render a plan's operations plan to HTML and take a full-page PNG with headless Chromium,
so the document can be looked at without opening a browser.

    .venv/bin/python tools/screenshot.py examples/coffee-fans.yaml -o /tmp/coffee.png [--lang en]
    .venv/bin/python tools/screenshot.py --all -o /tmp/shots        # the five kind examples, zh and en

Chromium comes from the system packages; without it this prints how to install it, and
`--install` runs that (`apt-get install -y chromium fonts-noto-cjk`, as root or through sudo).
The HTML is rendered with qunce's library (engine.output.plan_document.render_plan) on the golden
files' fixed day by default, so a picture of examples/reading-club.yaml shows its golden document
and the others show the documents of their golden view models. Nothing here is needed by the
test suite.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KIND_EXAMPLES = ("coffee-fans", "city-reading-club", "data-camp", "local-business", "growth-marketing")
INSTALL = ["apt-get", "install", "-y", "chromium", "fonts-noto-cjk"]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WIDTH = 1200
MAX_HEIGHT = 60000  # a long document; beyond this Chromium's software raster gives up


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def install() -> int:
    """Install Chromium and a CJK font from the system packages (Debian/Ubuntu)."""
    cmd = INSTALL if os.geteuid() == 0 else ["sudo", *INSTALL]
    if os.geteuid() != 0 and not shutil.which("sudo"):
        print("need root to run: " + " ".join(INSTALL), file=sys.stderr)
        return 1
    update = (["apt-get", "update"] if os.geteuid() == 0 else ["sudo", "apt-get", "update"])
    subprocess.run(update, check=False)
    return subprocess.run(cmd, check=False).returncode


def render_html(plan_path: Path, lang: str, today: date, templates: str | None = None) -> str:
    sys.path.insert(0, str(ROOT))
    try:
        from qunce.engine.api import CheckOptions, check_file
        from qunce.engine.load.yaml import load_plan
        from qunce.engine.output.plan_document import render_plan
        from qunce.engine.rules.pack import load_rules
    except ImportError:  # running from a checkout without the package installed
        from engine.check import CheckOptions, check_file  # type: ignore[no-redef]
        from engine.loader import load_plan  # type: ignore[no-redef]
        from engine.render import render_plan  # type: ignore[no-redef]
        from engine.rules import load_rules  # type: ignore[no-redef]
    rules = load_rules()
    result = check_file(str(plan_path), rules, CheckOptions(lang=lang, today=today))
    if not result.valid:
        raise SystemExit(f"{plan_path}: the plan is not valid; run `qunce validate {plan_path}`")
    return render_plan(load_plan(plan_path), result, rules, fmt="html", lang=lang, templates_dir=templates,
                       today=today)


def _chromium(browser: str, profile: str, *args: str) -> subprocess.CompletedProcess:
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)


def page_height(browser: str, profile: str, html_file: Path, width: int) -> int:
    """Measure the document: a throw-away copy writes its height into the DOM, which
    --dump-dom prints (the delivered HTML itself never carries a script)."""
    probe = html_file.with_name("probe-" + html_file.name)
    text = html_file.read_text(encoding="utf-8")
    script = ("<script>window.addEventListener('load',function(){var h=document.documentElement.scrollHeight;"
              "var d=document.createElement('div');d.id='qunce-height';d.textContent=String(h);"
              "document.body.appendChild(d);});</script>")
    probe.write_text(text.replace("</body>", script + "</body>"), encoding="utf-8")
    done = _chromium(browser, profile, f"--window-size={width},1000", "--virtual-time-budget=3000",
                     "--dump-dom", probe.as_uri())
    probe.unlink()
    m = re.search(r'id="qunce-height">(\d+)<', done.stdout)
    return min(int(m.group(1)) + 8, MAX_HEIGHT) if m else 8000


def screenshot(html_file: Path, out: Path, width: int = WIDTH, height: int | None = None) -> Path:
    browser = find_browser()
    if browser is None:
        raise FileNotFoundError("chromium")
    with tempfile.TemporaryDirectory(prefix="qunce-chromium-") as profile:
        height = height or page_height(browser, profile, html_file, width)
        done = _chromium(browser, profile, f"--window-size={width},{height}", "--virtual-time-budget=3000",
                         f"--screenshot={out.resolve()}", html_file.as_uri())
    if not out.exists():
        raise RuntimeError(f"chromium made no screenshot:\n{done.stderr[-2000:]}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("plan", nargs="?", help="a plan file (or use --all)")
    ap.add_argument("-o", "--out", help="PNG file (or a folder with --all); default: beside the plan in /tmp")
    ap.add_argument("--lang", choices=("zh", "en"), default="zh")
    ap.add_argument("--all", action="store_true", help="the five kind examples in both languages")
    ap.add_argument("--width", type=int, default=WIDTH)
    ap.add_argument("--height", type=int, help="window height; default: the document's full height")
    ap.add_argument("--today", default="2026-11-23", help="the document's date (default: the golden files' day)")
    ap.add_argument("--templates", help="a folder of custom templates (as `qunce plan --templates`)")
    ap.add_argument("--html", help="also keep the rendered HTML here")
    ap.add_argument("--install", action="store_true", help="install chromium and fonts-noto-cjk with apt-get")
    args = ap.parse_args(argv)

    if find_browser() is None:
        if args.install:
            code = install()
            if code or find_browser() is None:
                print("installing chromium failed", file=sys.stderr)
                return 1
        else:
            print("chromium is not installed. Install it (Debian/Ubuntu) with:\n"
                  "    sudo apt-get install -y chromium fonts-noto-cjk\n"
                  "or run this tool again with --install.", file=sys.stderr)
            return 1
    today = date.fromisoformat(args.today)
    jobs: list[tuple[Path, str, Path]] = []
    if args.all:
        folder = Path(args.out or tempfile.gettempdir())
        folder.mkdir(parents=True, exist_ok=True)
        for stem in KIND_EXAMPLES:
            for lang in ("zh", "en"):
                jobs.append((ROOT / "examples" / f"{stem}.yaml", lang, folder / f"plan-{stem}.{lang}.png"))
    elif args.plan:
        plan = Path(args.plan)
        out = Path(args.out) if args.out else Path(tempfile.gettempdir()) / f"plan-{plan.stem}.{args.lang}.png"
        jobs.append((plan, args.lang, out))
    else:
        ap.error("give a plan file or --all")
    for plan, lang, out in jobs:
        html = render_html(plan, lang, today, args.templates)
        with tempfile.TemporaryDirectory(prefix="qunce-shot-") as tmp:
            page = Path(tmp) / f"{plan.stem}.{lang}.html"
            page.write_text(html, encoding="utf-8")
            if args.html and not args.all:
                Path(args.html).write_text(html, encoding="utf-8")
            screenshot(page, out, args.width, args.height)
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
