"""THE one escaper for Markdown, and the one path from Markdown to HTML.

Every document that puts plan text into Markdown escapes it with `escape_markdown`: the
operations plan (through `Writer`, below), the SOP checklists (the templates' `md` filter) and
the review report (`qunce check --format markdown`). Plan text is untrusted: a community named
`[点我](javascript:alert(1)) <img src=x onerror=alert(1)>` must come out as those characters,
never as a link or an image.

For HTML the Markdown is converted with the `markdown` package; paste-ready blocks and charts
go through unguessable placeholders swapped in after conversion (`<pre>` blocks escaped here,
SVG escaped by engine.output.charts), and table classes ride on a marker line.
"""

from __future__ import annotations

import html
import re
import secrets
from typing import Any, Callable

from ..i18n import t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~])")
_HTML_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|#])")  # what Python-Markdown itself un-escapes
# NUL, C0 controls other than tab/newline/CR, DEL and C1 controls make an HTML document invalid and
# mean nothing in Markdown; a lone surrogate (a file name that is not UTF-8) cannot be encoded.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LEADING = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+])(?=\s|$)")  # what would start a list



def markdown_extensions() -> list[Any]:
    """The Markdown extensions documents use, as instances: named by string, Python-Markdown looks
    them up among every installed package's entry points, which costs a `qunce plan` process more
    than its whole conversion."""
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    return [TableExtension(), FencedCodeExtension(), AttrListExtension(), SaneListExtension()]

def drop_controls(text: str) -> str:
    """Text without the characters no document may hold (see _CONTROLS); a lone surrogate
    becomes U+FFFD so the reader sees something was there."""
    return _CONTROLS.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)


def escape_markdown(text: Any, html_out: bool = False) -> str:
    """One line of plan text made inert for Markdown (and then for HTML, when `html_out`).

    Newlines collapse (a plan string cannot start a heading or a list), metacharacters get a
    backslash (no emphasis, code, links, images, attribute lists or table cells), and a leading
    list marker is escaped. For HTML, `<`, `>` and `&` then become entities, which the markdown
    package leaves as they are: raw HTML in a plan shows as text.
    """
    out = drop_controls(re.sub(r"\s+", " ", str(text)))  # one space stays: labels such as ": " keep theirs
    out = (_HTML_MD_SPECIAL if html_out else _MD_SPECIAL).sub(r"\\\1", out)
    out = _LEADING.sub(lambda m: (m.group(1) + "\\" + m.group(2)) if m.group(1) else "\\" + m.group(3), out)
    return html.escape(out, quote=False) if html_out else out


def fence(text: Any) -> str:
    """A Markdown code fence longer than any backtick run in `text`, so a draft cannot end it."""
    longest, run = 0, 0
    for ch in str(text):
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _plain(value: Any) -> Any:
    """Chart data with the writer's Text strings turned back into plain ones."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class Writer:
    """Per-render escaping and placeholders for one output format.

    The Markdown template runs with autoescape on and this `finalize`: whatever a template prints
    is escaped for Markdown (and HTML) unless it is `Markup` (template literals, macro output, the
    filters below). Every string of the view model is also wrapped in a `Text` whose `__html__`
    does the same escaping, so Jinja's own joins and concatenations escape plan text correctly.
    """

    def __init__(self, fmt: str, lang: str = "zh") -> None:
        self.fmt = fmt
        self.html = fmt == "html"
        self.lang = lang
        self.nonce = secrets.token_hex(8)  # unguessable: plan text cannot forge a placeholder
        self.blocks: dict[str, str] = {}
        self.classes: dict[str, str] = {}
        writer = self

        class Text(str):
            __slots__ = ()

            def __html__(self) -> str:
                return writer.escape_text(self)

        self.Text = Text

    def escape_text(self, value: Any) -> str:
        return escape_markdown(value, html_out=self.html)

    def finalize(self, value: Any) -> Any:
        from markupsafe import Markup

        if isinstance(value, Markup):
            return value
        if value is None:
            return Markup("—")
        if isinstance(value, bool):
            return Markup(self.escape_text(t("plan:yes" if value else "plan:no", self.lang)))
        return Markup(self.escape_text(value))

    def wrap(self, value: Any) -> Any:
        """The view model with every string wrapped in Text (see the class docstring)."""
        from markupsafe import Markup

        if isinstance(value, Markup):
            return value
        if isinstance(value, str):
            return self.Text(value)
        if isinstance(value, dict):
            return {k: self.wrap(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.wrap(v) for v in value]
        return value

    def _placeholder(self, html_text: str) -> Any:
        from markupsafe import Markup

        key = f"qunce{self.nonce}x{len(self.blocks)}z"  # "z": x1z is no prefix of x10z
        self.blocks[key] = html_text
        return Markup(f"\n\n{key}\n\n")

    def block(self, text: Any) -> Any:
        """A paste-ready block (group rules, a script): a fence in Markdown, <pre> in HTML."""
        from markupsafe import Markup

        text = "" if text is None else drop_controls(str(text)).strip("\n")
        if self.html:
            return self._placeholder(f'<pre class="paste">{html.escape(text, quote=False)}</pre>')
        mark = fence(text)
        return Markup(f"{mark}text\n{text}\n{mark}")

    def figure(self, chart: Any) -> Any:
        """A chart drawn from the view's chart data as inline SVG in HTML (its title is inside);
        nothing in Markdown, where the tables beside each chart carry the figures. Anything but
        chart data (plain text, say) draws nothing: a template cannot pass text through as markup."""
        from markupsafe import Markup

        from .charts import draw

        if not self.html or not isinstance(chart, dict):
            return Markup("")
        return self._placeholder(f'<figure class="chart">{draw(_plain(chart))}</figure>')

    def table_class(self, names: Any) -> Any:
        """Put on the line before a table: gives that table CSS classes in HTML (e.g. "calendar")."""
        from markupsafe import Markup

        if not self.html:
            return Markup("")
        classes = " ".join(re.findall(r"[a-z][a-z0-9-]*", str(names).lower()))
        key = f"qunce{self.nonce}t{len(self.classes)}z"
        self.classes[key] = classes
        return Markup(f"{key}\n")

    def code(self, value: Any) -> Any:
        """Inline code (plan paths, rule ids); the markdown package escapes code spans itself."""
        from markupsafe import Markup

        text = " ".join(drop_controls(str(value)).split()).replace("`", "'")
        return Markup(f"`{text}`")

    def cell(self, items: Any) -> Any:
        """Several short texts in one table cell, one per line."""
        from markupsafe import Markup

        if isinstance(items, str):
            items = [items]
        parts = [self.escape_text(x) for x in (items or [])]
        return Markup("<br>".join(parts) if parts else "—")

    def install(self, env: Any) -> None:
        """Turn a document environment into this writer's. Everything is `pass_context`, so Jinja
        never runs it at compile time: a compiled template is reused by later renders (see
        engine.output.plan_document), and the writer's state must not be baked into it."""
        from jinja2 import pass_context

        def late(fn: Callable[..., Any]) -> Callable[..., Any]:
            return pass_context(lambda _ctx, *args: fn(*args))

        env.autoescape = True
        env.finalize = late(self.finalize)
        env.filters.update({"block": late(self.block), "figure": late(self.figure), "code": late(self.code),
                            "cell": late(self.cell), "table_class": late(self.table_class)})

    def convert(self, body: str) -> str:
        import markdown

        out = markdown.markdown(body, extensions=markdown_extensions(), output_format="html")
        # One pass per kind of marker: a pass per marker would be quadratic in a long plan.
        block = rf"qunce{self.nonce}x\d+z"
        out = re.sub(rf"<p>({block})</p>|({block})", lambda m: self.blocks.get(m.group(1) or m.group(2), ""), out)
        table = rf"qunce{self.nonce}t\d+z"  # the marker sticks to the table's first line

        def table_open(m: re.Match) -> str:
            return f'<table class="{self.classes.get(m.group(1), "")}">' if m.group(1) else ""

        return re.sub(rf"<p>({table})\s*</p>\s*<table>|{table}\s*", table_open, out)


def tidy_markdown(text: str) -> str:
    """No trailing spaces outside fenced blocks, at most one blank line in a row, one newline at
    the end."""
    lines, fence_mark = [], None
    for line in text.split("\n"):
        m = re.match(r"(`{3,})", line)
        if fence_mark is None and m:
            fence_mark = m.group(1)
        elif fence_mark is not None and line == fence_mark:
            fence_mark = None
        elif fence_mark is not None:
            lines.append(line)
            continue
        lines.append(line.rstrip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip("\n") + "\n"


_H2 = re.compile(r"<h2(?:\s[^>]*)?>(.*?)</h2>", re.S)


def split_sections(body: str, known: list[dict[str, str]]) -> tuple[str, list[dict[str, str]]]:
    """Cut the converted body at each <h2>: the part before is the cover, each part a section.

    Plan text is escaped, so every <h2> comes from a template; the nth one gets the nth known
    section id (a custom template with other headings gets section-N)."""
    marks = list(_H2.finditer(body))
    if not marks:
        return body, []
    cover = body[: marks[0].start()]
    sections = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        sid = known[i]["id"] if i < len(known) else f"section-{i + 1}"
        heading = re.sub(r"<[^>]+>", "", m.group(1))
        sections.append({"id": sid, "heading": html.unescape(heading), "html": body[m.start():end]})
    return cover, sections
