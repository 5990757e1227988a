"""The evidence report (qunce observe --report): the view model as Markdown or one HTML file.

The same pipeline as the operations plan (engine.output.plan_document): `evidence.md.j2` lays the
view out as Markdown with every printed value escaped by markup.Writer (member and group names
come from chat exports: untrusted), charts are drawn from their data by engine.output.charts
(HTML only), and for HTML the converted body is cut into one <section> per `##` heading inside
the autoescaped shell `evidence.html.j2`, which holds the stylesheet: no script, no external
asset, print CSS for A4 and a narrow layout for phones. Templates run in the bounded sandbox of
engine.output.templating; a failure is a TemplateError naming the template and line.
"""

from __future__ import annotations

from typing import Any

from .markup import Writer, split_sections, tidy_markdown
from .plan_document import _bytecode_cache, _render
from .templating import environment

TEMPLATES = {"md": "evidence.md.j2", "html": "evidence.html.j2"}


def render_report(view: dict[str, Any], *, fmt: str = "html") -> str:
    """The report of one evidence view (engine.views.evidence) as Markdown or self-contained HTML."""
    fmt = "html" if str(fmt).lower() in ("html", "htm") else "md"
    writer = Writer(fmt, view.get("lang", "zh"))
    env = environment("md")
    writer.install(env)
    env.bytecode_cache = _bytecode_cache(f"md-{fmt}")
    body = _render(env, TEMPLATES["md"], dict(writer.wrap(view), fmt=fmt, html=fmt == "html"))
    if fmt == "md":
        return tidy_markdown(body)
    from markupsafe import Markup

    cover, sections = split_sections(writer.convert(body), view["sections"])
    shell = environment("html")
    shell.bytecode_cache = _bytecode_cache("html")
    context = dict(view, fmt=fmt, html=True, cover=Markup(cover),
                   body_sections=[dict(s, html=Markup(s["html"])) for s in sections])
    return _render(shell, TEMPLATES["html"], context)


__all__ = ["render_report", "TEMPLATES"]
