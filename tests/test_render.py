"""The operations plan document (`engine.output.plan_document.render_plan`): golden documents for
the reference plan in both formats and languages and golden view models for the five kind
examples, real content in every section, missing parts named with
the rules that flag them, valid HTML5, plan text that can never become markup, custom templates
in the sandbox, and output that depends on nothing but its inputs.

Refresh the golden files after a deliberate change (rule packs, labels, templates):

    QUNCE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render.py      (or: make golden)
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
from datetime import date
from functools import lru_cache
from pathlib import Path

import html5lib
import pytest

from qunce.engine.api import CheckOptions, check_file
from qunce.engine.errors import TemplateError
from qunce.engine.load.yaml import load_plan
from qunce.engine.output.plan_document import TEMPLATES, render_plan
from qunce.engine.views import SECTION_IDS, build_view

from conftest import EXAMPLES, FIXTURES, TODAY, load_tool

GOLDEN = Path(__file__).resolve().parent / "golden"
KINDS = ("coffee-fans", "city-reading-club", "data-camp", "local-business", "growth-marketing")
LANGS = ("zh", "en")
FORMATS = ("md", "html")
REFRESH = "QUNCE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render.py  (or: make golden)"
PLACEHOLDER = re.compile(r"qunce[0-9a-f]{16}[xt]\d+z")


@lru_cache(maxsize=None)
def _rules():
    from qunce.engine.rules.pack import load_rules

    return load_rules()


@lru_cache(maxsize=None)
def _checked(path: str, lang: str):
    return load_plan(path), check_file(path, _rules(), CheckOptions(lang=lang, today=TODAY))


@lru_cache(maxsize=None)
def rendered(path: str, lang: str, fmt: str) -> str:
    plan, result = _checked(path, lang)
    return render_plan(plan, result, _rules(), fmt=fmt, lang=lang, today=TODAY)


def example(stem: str) -> str:
    return str(EXAMPLES / f"{stem}.yaml")


def parse_html(text: str):
    """html5lib in strict mode: any parse error raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(text)


def text_of(element) -> str:
    return "".join(element.itertext())


def md_sections(text: str) -> dict[str, str]:
    """The Markdown document cut at each `## ` heading, keyed by the section ids in order."""
    parts = re.split(r"^## .*$", text, flags=re.M)
    assert len(parts) == len(SECTION_IDS) + 1, "one `## ` heading per section"
    return dict(zip(SECTION_IDS, parts[1:]))


def html_sections(text: str) -> dict[str, str]:
    tree = parse_html(text)
    found = {s.get("id"): text_of(s) for s in tree.iter("section")}
    assert list(found) == list(SECTION_IDS)
    return found


def unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


# ---- golden files ------------------------------------------------------------------------------
# The whole document is golden for the reference plan only (md/html × zh/en): that catches
# template, escaping and layout changes. The other examples keep their view model as golden JSON
# (zh, fixed today, sorted keys): it catches the same content regressions with far less noise.
REFERENCE_STEM = "reading-club"


def view_json(path: str, lang: str = "zh") -> str:
    """The document's view model, as deterministic JSON."""
    plan, result = _checked(path, lang)
    view = build_view(plan, result, _rules(), lang=lang, today=TODAY)
    return json.dumps(view, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def json_changes(old, new, path: str = "$") -> list[str]:
    """Where two JSON values differ, as `path: old -> new` lines (lists compared item by item)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new)):
            if key not in new:
                out.append(f"{path}.{key}: removed")
            elif key not in old:
                out.append(f"{path}.{key}: added {json.dumps(new[key], ensure_ascii=False)[:120]}")
            else:
                out += json_changes(old[key], new[key], f"{path}.{key}")
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = [line for i, (a, b) in enumerate(zip(old, new)) for line in json_changes(a, b, f"{path}[{i}]")]
        if len(old) != len(new):
            out.append(f"{path}: {len(old)} items -> {len(new)}")
        return out
    if old != new:
        return [f"{path}: {json.dumps(old, ensure_ascii=False)[:120]} -> {json.dumps(new, ensure_ascii=False)[:120]}"]
    return []


def what_changed(name: str, expected: str, actual: str, limit: int = 30) -> str:
    """What a test failure prints: JSON paths with their old and new values, or a text diff."""
    if name.endswith(".json"):
        lines = json_changes(json.loads(expected), json.loads(actual))
    else:
        lines = [ln.rstrip("\n") for ln in difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                                                 "golden", "rendered", n=1, lineterm="")]
    more = f"\n... and {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


def check_golden(golden: Path, text: str) -> None:
    """Compare with the golden file (or rewrite it when QUNCE_UPDATE_GOLDEN=1), saying what changed."""
    if os.environ.get("QUNCE_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden.name} is missing; create it with: {REFRESH}"
    expected = golden.read_text(encoding="utf-8")
    if text != expected:
        pytest.fail(f"{golden.name} differs:\n{what_changed(golden.name, expected, text)}\n"
                    f"If the change is intended (templates, labels, rule packs), refresh the golden files: {REFRESH}",
                    pytrace=False)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_golden_document(lang, fmt):
    """The reference plan renders byte for byte as its golden document, in both formats and languages."""
    check_golden(GOLDEN / f"plan-{REFERENCE_STEM}.{lang}.{fmt}", rendered(example(REFERENCE_STEM), lang, fmt))


@pytest.mark.parametrize("stem", KINDS)
def test_golden_view(stem):
    """Each kind example's view model (zh) matches its golden JSON."""
    check_golden(GOLDEN / f"view-{stem}.zh.json", view_json(example(stem)))


def test_golden_files_are_all_in_use():
    """No stale golden file lingers: each one belongs to a golden test here or in test_sop.py."""
    expected = {f"plan-{REFERENCE_STEM}.{lang}.{fmt}" for lang in LANGS for fmt in FORMATS}
    expected |= {f"view-{stem}.zh.json" for stem in KINDS}
    found = {p.name for p in GOLDEN.iterdir() if not p.name.startswith("sop-")}
    assert found == expected


def test_golden_failures_say_what_changed():
    """A changed view names the JSON path and both values; a changed document shows the lines."""
    old = json.dumps({"a": {"b": [1, 2]}, "c": "x"})
    new = json.dumps({"a": {"b": [1, 3, 4]}, "d": "y"})
    assert what_changed("v.json", old, new).splitlines() == [
        "$.a.b[1]: 2 -> 3", "$.a.b: 2 items -> 3", "$.c: removed", '$.d: added "y"']
    diff = what_changed("p.md", "one\ntwo\nthree\n", "one\nTWO\nthree\n")
    assert "-two" in diff and "+TWO" in diff


# ---- content -----------------------------------------------------------------------------------


def _evidence(data: dict) -> dict[str, list[str]]:
    """For each section, plan text that must appear in it (proof it was filled from this plan)."""
    first = lambda seq, *keys: _dig(seq[0], *keys) if seq else None  # noqa: E731
    return {
        "summary": [data["positioning"]["value"]],
        "positioning": [data["positioning"]["shared_interest"], data["positioning"]["audience"]["portrait"]],
        "structure": [data["structure"]["groups"][0]["name"], data["structure"]["rules"][0]],
        "output": [item["name"] for item in data["output"]],
        "operations": [data["operations"]["senses"]["ritual"][0]],
        "replication": [data["replication"]["trigger"]],
        "sessions": [s["title"] for s in data["sessions"]] + [first(data["sessions"], "guest", "name")],
        "campaigns": [c["poster"]["title"] for c in data["campaigns"]],
        "diagnosis": [],  # checked against the findings below
        "appendix": [data["community"]["name"]],
    }


def _dig(value, *keys):
    for k in keys:
        value = value[k]
    return value


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", KINDS)
def test_every_section_has_real_content_from_the_plan(stem, lang, fmt):
    """All ten sections are there, in order, each carrying text from this very plan (and the
    diagnosis every finding's rule id), never just a heading."""
    text = rendered(example(stem), lang, fmt)
    sections = html_sections(text) if fmt == "html" else {k: unescape_md(v) for k, v in md_sections(text).items()}
    plan, result = _checked(example(stem), lang)
    for sid, snippets in _evidence(plan.data).items():
        body = " ".join(sections[sid].split())
        assert len(body) > 200, f"{sid} is nearly empty"
        for snippet in snippets:
            assert " ".join(snippet.split()) in body, f"{sid} lacks {snippet!r}"
    for finding in result.findings:
        assert finding.rule in sections["diagnosis"]
    assert f"{result.health} / 100" in sections["summary"]


@pytest.mark.parametrize("lang", LANGS)
def test_charts_are_inline_svg_near_their_tables(lang):
    """The HTML carries the sin radar in the summary, the lifecycle timeline, the week grid, and a
    funnel where a campaign has figures, all inline (no external asset); Markdown has none."""
    html = rendered(example("growth-marketing"), lang, "html")
    sections = {s.get("id"): s for s in parse_html(html).iter("section")}
    classes = lambda sid: " ".join(el.get("class", "") for el in sections[sid].iter()  # noqa: E731
                                   if isinstance(el.tag, str) and el.tag.endswith("svg"))
    assert "qc-radar" in classes("summary")
    assert "qc-timeline" in classes("replication")
    assert "qc-week_grid" in classes("output")
    assert "qc-funnel" in classes("campaigns")
    assert "<svg" not in rendered(example("growth-marketing"), lang, "md")


def test_funnel_names_the_weakest_stage():
    """A campaign with funnel figures gets each stage's conversion and its weakest stage named."""
    plan, _ = _checked(example("growth-marketing"), "zh")
    funnel = plan.data["campaigns"][0]["funnel"]
    view = build_view(plan, _checked(example("growth-marketing"), "zh")[1], _rules(), lang="zh", today=TODAY)
    shown = view["campaigns"]["entries"][0]["funnel"]
    rates = {"scans": funnel["scans"] / funnel["launches"], "joins": funnel["joins"] / funnel["scans"],
             "completions": funnel["completions"] / funnel["joins"]}
    weakest = min(rates, key=rates.get)
    labels = {"launches": "发起", "scans": "扫码", "joins": "入群", "completions": "完成任务"}
    assert shown["weakest"] == labels[weakest]
    md = rendered(example("growth-marketing"), "zh", "md")
    assert f"**最薄弱的环节：{labels[weakest]}**" in md
    assert f"{rates[weakest] * 100:.1f}%" in md


def test_group_rules_block_weaves_in_quiet_hours_and_nickname():
    """The paste-ready rules are numbered, in the plan's language, and add the quiet hours and
    the nickname format when the plan's own rules do not already say them."""
    view = build_view(*_checked(example("city-reading-club"), "en"), _rules(), lang="en", today=TODAY)
    block = view["structure"]["rules_block"]
    lines = block.splitlines()
    assert lines[0] == "【南京周末读书会 群规】"  # the plan is in Chinese, the document in English
    assert [ln.split(".")[0] for ln in lines[1:]] == [str(i) for i in range(1, len(lines))]
    assert "每晚 23:00 至次日 07:00 闭群" in block  # not in the plan's rules: woven in
    assert block.count("昵称+常去的区") == 1  # already in the first rule: not repeated
    assert "警告后由管理员移出" in block


# ---- missing parts -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_sparse_plan_says_what_is_missing_and_which_rule_flags_it(lang, fmt):
    """A thin draft still gets all ten sections with content; each missing part names its plan
    path and the rule ids whose findings point there."""
    path = str(FIXTURES / "sparse.yaml")
    text = rendered(path, lang, fmt)
    if fmt == "html":
        sections = html_sections(text)
        notes = [text_of(el) for el in parse_html(text).iter() if el.get("class") == "missing"
                 or el.tag == "blockquote"]
    else:
        sections = md_sections(text)
        notes = [unescape_md(ln) for ln in text.splitlines() if "⚠" in ln]
    for sid, body in sections.items():
        assert body.strip(), f"{sid} is an empty heading"
    marker = "is not stated in the plan" if lang == "en" else "计划中没有写"
    assert notes and all(marker in n for n in notes)

    def notes_for(plan_path: str) -> list[str]:
        exact = re.compile(r"(?<![\w.\[])" + re.escape(plan_path) + r"(?![\w.\[])")
        return [n for n in notes if exact.search(n)]

    assert any("focus.no-shared-interest" in n for n in notes_for("positioning"))  # the whole section
    assert any("session.guest-no-bio" in n for n in notes_for("sessions[0].guest.bio"))
    assert any("structure.no-platform" in n for n in notes_for("structure.platform"))
    _, result = _checked(path, lang)
    for finding in result.findings:  # every note on a finding's path names that finding's rule
        for note in notes_for(finding.path):
            assert finding.rule in note, (finding.path, note)


# ---- HTML --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", KINDS)
def test_html_is_valid_html5(stem, lang):
    """html5lib's strict parser accepts every example's document (doctype, lang, charset, title)."""
    text = rendered(example(stem), lang, "html")
    tree = parse_html(text)
    assert text.startswith("<!DOCTYPE html>\n")
    assert tree.get("lang") == ("zh-CN" if lang == "zh" else "en")
    assert tree.find("head/meta").get("charset") == "utf-8"
    assert _checked(example(stem), lang)[0].data["community"]["name"] in text_of(tree.find("head/title"))


def test_html_is_self_contained_and_prints_on_a4():
    """One file: no scripts, no external stylesheets, images, fonts or links; a CJK font stack
    and print CSS (A4, a page per section, no break inside rows and figures)."""
    text = rendered(example("coffee-fans"), "zh", "html")
    tree = parse_html(text)
    assert not list(tree.iter("script")) and not list(tree.iter("link")) and not list(tree.iter("img"))
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", text)
    assert "url(" not in text
    css = text_of(tree.find("head/style"))
    assert '"Noto Sans CJK SC"' in css and '"PingFang SC"' in css
    assert "@page { size: A4; margin: 16mm; }" in css
    assert "break-before: page" in css and "break-inside: avoid" in css
    assert not PLACEHOLDER.search(text)


# ---- escaping ----------------------------------------------------------------------------------


HOSTILE = FIXTURES / "injection.yaml"


@pytest.mark.parametrize("lang", LANGS)
def test_plan_text_never_becomes_html(lang):
    """Script tags, event handlers, javascript: links, remote images, a closing </textarea> and a
    Jinja expression in plan fields come out as visible text: no script element, no on*
    attribute, no javascript: URL, no image, and the expression is not evaluated."""
    text = rendered(str(HOSTILE), lang, "html")
    tree = parse_html(text)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag not in ("script", "img", "iframe", "textarea", "b", "object", "embed"), el.tag
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            assert "javascript:" not in value.lower(), (el.tag, name, value)
        if el.tag == "a":
            assert el.get("href", "").startswith("#")
    body = text_of(tree.find("body"))
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(1)>" in body
    assert "[点我](javascript:alert(1))" in body and "![x](http://evil.example/x.png)" in body
    assert "</textarea>" in body and "{{ 7*7 }}" in body
    assert "49月会" not in text and "http://evil.example/x.png" not in "".join(
        v for el in tree.iter() if isinstance(el.tag, str) for v in el.attrib.values())


@pytest.mark.parametrize("lang", LANGS)
def test_plan_text_is_escaped_in_markdown(lang):
    """In Markdown the same strings are backslash-escaped (no tag, link, image or emphasis), and
    in the paste-ready blocks a fence longer than any backtick run keeps them literal."""
    text = rendered(str(HOSTILE), lang, "md")
    outside, fences = [], []
    inside = None
    for line in text.splitlines():
        m = re.match(r"^(`{3,})", line)
        if inside is None and m:
            inside = m.group(1)
            fences.append([])
        elif inside is not None and line == inside:
            inside = None
        elif inside is not None:
            fences[-1].append(line)
        else:
            outside.append(line)
    prose = "\n".join(outside)
    assert not re.search(r"(?<!\\)<(script|img|iframe|/textarea)", prose)
    assert not re.search(r"(?<!\\)\]\(javascript:", prose) and not re.search(r"!(?<!\\)\[x(?<!\\)\]\(", prose)
    assert r"\<script\>alert(1)\</script\>" in prose
    assert r"\[点我\](javascript:alert(1))" in prose and r"!\[x\](http://evil.example/x.png)" in prose
    assert r"\{\{ 7\*7 \}\}" in prose and "49月会" not in text
    assert any("<script>alert(1)</script>" in ln for block in fences for ln in block)


def test_custom_templates_are_escaped_too(tmp_path):
    """A user's template that prints plan text directly still cannot produce markup: escaping
    happens when a value is printed, not in the bundled templates."""
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "summary.md.j2").write_text(
        "## {{ doc.community }}\n\n{{ positioning.groups[0].rows[0].value ~ '!' }} "
        "{{ structure.rules_block }} {{ ['a', doc.community] | join(' ') }}\n", encoding="utf-8")
    plan, result = _checked(str(HOSTILE), "zh")
    html = render_plan(plan, result, _rules(), fmt="html", lang="zh", templates_dir=tmp_path, today=TODAY)
    tree = parse_html(html)
    assert not list(tree.iter("script")) and not list(tree.iter("img"))
    assert "<script>alert(1)</script>读书会" in text_of(tree.find("body"))


# ---- custom templates --------------------------------------------------------------------------


def test_custom_template_overrides_a_bundled_one_by_name(tmp_path):
    """--templates DIR: a file with a bundled template's name replaces it; the rest stay bundled."""
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "summary.md.j2").write_text(
        "## 我们的摘要\n\n健康度 {{ summary.health }}，{{ doc.community }}\n", encoding="utf-8")
    (tmp_path / TEMPLATES["html"]).write_text(
        "<!DOCTYPE html><html lang=\"{{ html_lang }}\"><head><meta charset=\"utf-8\"><title>{{ doc.title }}</title>"
        "</head><body>{% for s in body_sections %}<section id=\"{{ s.id }}\">{{ s.html }}</section>{% endfor %}"
        "</body></html>\n", encoding="utf-8")
    plan, result = _checked(example("coffee-fans"), "zh")
    md = render_plan(plan, result, _rules(), fmt="md", lang="zh", templates_dir=tmp_path, today=TODAY)
    assert f"## 我们的摘要\n\n健康度 {result.health}，山野咖啡粉丝会" in md
    assert "## 2. 同好与定位" in md  # not overridden
    html = render_plan(plan, result, _rules(), fmt="html", lang="zh", templates_dir=tmp_path, today=TODAY)
    assert "<header" not in html and '<section id="summary"><h2>我们的摘要</h2>' in html
    parse_html(html)


@pytest.mark.parametrize("source, line, words", [
    ("## 摘要\n\n{% if %}\n", 3, "Expected an expression"),
    ("## 摘要\n\n{{ summary.health }}\n{{ nothing.here }}\n", 4, "'nothing' is undefined"),
    ("## 摘要\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n", 2, "unsafe"),
])
def test_broken_custom_template_names_file_and_line(tmp_path, source, line, words):
    """A syntax error, an undefined name, or an attempt to leave the sandbox in a user's template
    is a TemplateError that names that template file and the line."""
    (tmp_path / "plan").mkdir()
    target = tmp_path / "plan" / "summary.md.j2"
    target.write_text(source, encoding="utf-8")
    plan, result = _checked(example("coffee-fans"), "zh")
    with pytest.raises(TemplateError) as info:
        render_plan(plan, result, _rules(), fmt="md", lang="zh", templates_dir=tmp_path, today=TODAY)
    err = info.value
    assert err.code == "template-failed"
    assert Path(err.file).resolve() == target.resolve() and err.line == line
    assert words in err.message("en")


# ---- determinism -------------------------------------------------------------------------------


def test_output_depends_only_on_inputs_and_today():
    """Rendering twice gives the same bytes (no wall clock, no leftover placeholders), and the only
    date that moves with `today` is the one the caller gives."""
    plan, result = _checked(example("data-camp"), "en")
    for fmt in FORMATS:
        first = render_plan(plan, result, _rules(), fmt=fmt, lang="en", today=TODAY)
        assert first == render_plan(plan, result, _rules(), fmt=fmt, lang="en", today=TODAY)
        assert first == rendered(example("data-camp"), "en", fmt)
        assert not PLACEHOLDER.search(first)
    later = render_plan(plan, result, _rules(), fmt="md", lang="en", today=date(2027, 3, 1))
    assert "23 Nov 2026" in rendered(example("data-camp"), "en", "md") and "1 Mar 2027" in later
    assert str(date.today().year + 5) not in later


# ---- the screenshot tool -----------------------------------------------------------------------


def test_screenshot_tool_explains_how_to_install_chromium(monkeypatch, capsys):
    """Without Chromium the tool exits 1 and prints the apt-get command (the suite never needs it)."""
    tool = load_tool("screenshot")
    monkeypatch.setattr(tool.shutil, "which", lambda name: None)
    assert tool.main([example("coffee-fans")]) == 1
    assert "apt-get install -y chromium fonts-noto-cjk" in capsys.readouterr().err


@pytest.mark.slow
def test_screenshot_tool_takes_a_png(tmp_path):
    """With Chromium present the tool writes a PNG of the rendered document. Locally without a
    browser this skips with the install command; in CI (.ci/run installs Chromium) it never skips."""
    if not any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")):
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium: .ci/run installs it (apt-get install -y chromium fonts-noto-cjk)")
        pytest.skip("Chromium is not installed: apt-get install -y chromium fonts-noto-cjk")
    out = tmp_path / "coffee.png"
    assert load_tool("screenshot").main([example("coffee-fans"), "-o", str(out), "--height", "900"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
