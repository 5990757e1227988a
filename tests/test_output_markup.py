"""engine/output/markup.py: the one Markdown escaper serves the plan document, the SOP checklist
and the Markdown review report, so plan text never becomes a link, an image or raw HTML."""

from __future__ import annotations

import re
from datetime import date

import markdown as md_lib

from qunce.engine.api import CheckOptions, check_paths
from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.output.markup import escape_markdown, markdown_extensions, fence
from qunce.engine.output.templating import add_helpers
from qunce.engine.reporters import render

from conftest import EXAMPLES

EVIL = "[点我](javascript:alert(1)) <img src=x onerror=alert(1)>"


def _inert(markdown_text: str) -> None:
    """Converted to HTML, the text has no link and no element a browser would run."""
    out = md_lib.markdown(markdown_text, extensions=markdown_extensions())
    assert "<a " not in out and "<img" not in out and 'href="javascript' not in out, out


def test_escaper_makes_links_images_and_html_inert():
    text = escape_markdown(EVIL)
    assert "\\[点我\\]" in text and "\\<img" in text
    _inert(f"- {text}")
    _inert(f"| {text} |\n|---|")


def test_escaper_collapses_lines_and_leading_list_markers():
    assert escape_markdown("1. first\n# second") == "1\\. first \\# second"
    assert escape_markdown("- item") == "\\- item"


def test_html_escaper_leaves_entities_to_the_markdown_package():
    assert escape_markdown("<b>&", html_out=True) == "&lt;b&gt;&amp;"


def test_fence_outgrows_backticks():
    assert fence("a ```` b") == "`````"
    assert fence("plain") == "```"


def test_sop_md_filter_is_the_same_escaper():
    """The templates' `md` filter is escape_markdown itself, not a second character set."""
    from jinja2 import Environment

    env = add_helpers(Environment())
    assert env.filters["md"] is escape_markdown


def test_markdown_report_does_not_pass_plan_text_through(tmp_path, ruleset):
    """`qunce check --format markdown` on a plan named like an attack shows the name as text."""
    source = (EXAMPLES / "reading-club.yaml").read_text(encoding="utf-8")
    source = re.sub(r"(?m)^(  name: ).*$", lambda m: m.group(1) + repr(EVIL).replace("'", '"'), source, count=1)
    path = tmp_path / "evil.yaml"
    path.write_text(source, encoding="utf-8")
    assert load_plan_bytes(path.read_bytes(), str(path)).data["community"]["name"] == EVIL
    report = check_paths([str(path)], ruleset, CheckOptions(lang="en", today=date(2026, 11, 23)))
    text = render(report, "markdown")
    assert "点我" in text
    _inert(text)
