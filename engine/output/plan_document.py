"""The operations plan document (社群运营方案): a plan plus its diagnosis, as Markdown or HTML.

Library entry point (the CLI only maps options onto it):

    render_plan(plan, result, rules, *, fmt="md"|"html", lang="zh"|"en", templates_dir=None, today=None) -> str

The pipeline (engine.output.document, shared with the evidence report):

1. engine.views builds the plain view model (every section computed, charts as data).
2. `output_templates/plan.md.j2` (and its includes under `output_templates/plan/`) lays the view
   out as Markdown. Every `{{ ... }}` the template prints passes through the escaping hooks of
   engine.output.markup.Writer, so no plan string can become Markdown or HTML markup, even in a
   user's own template; the `figure` filter draws a chart from its data (HTML only).
3. For HTML, the converted body is cut into one `<section>` per `##` heading and handed to the
   autoescaped shell `output_templates/plan.html.j2`, which holds the stylesheet.

Templates run in the bounded sandbox of engine.output.templating with StrictUndefined; any
failure is a TemplateError naming the template file and line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..i18n import DEFAULT_LANG, LANGS
from ..model.plan import Document
from ..model.report import FileResult
from ..rules.pack import RuleSet
from ..views import SECTION_IDS, build_view
from .document import render_document

TEMPLATES = {"md": "plan.md.j2", "html": "plan.html.j2"}  # the names --templates DIR can override


def render_plan(plan: Document, result: FileResult, rules: RuleSet, *, fmt: str = "md", lang: str = "zh",
                templates_dir: str | Path | None = None, today: date | None = None) -> str:
    """The operations plan of one loaded, valid plan, as Markdown (`fmt="md"`) or one
    self-contained HTML file (`fmt="html"`). `result` is api.check_file's for that file.

    Raises TemplateError (file and line of the failing template). Unbounded: api.render_plan
    runs it inside the document's time bound.
    """
    fmt = "html" if str(fmt).lower() in ("html", "htm") else "md"
    lang = lang if lang in LANGS else DEFAULT_LANG
    view = build_view(plan, result, rules, lang=lang, today=today or date.today())
    return render_document(view, TEMPLATES, fmt=fmt, lang=lang, templates_dir=templates_dir)


__all__ = ["render_plan", "build_view", "SECTION_IDS", "TEMPLATES"]
