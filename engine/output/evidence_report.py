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

from .document import render_document

TEMPLATES = {"md": "evidence.md.j2", "html": "evidence.html.j2"}


def render_report(view: dict[str, Any], *, fmt: str = "html") -> str:
    """The report of one evidence view (engine.views.evidence) as Markdown or self-contained HTML."""
    fmt = "html" if str(fmt).lower() in ("html", "htm") else "md"
    return render_document(view, TEMPLATES, fmt=fmt, lang=view.get("lang", "zh"))


__all__ = ["render_report", "TEMPLATES"]
