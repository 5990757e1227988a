"""The operations plan document (社群运营方案): a plan plus its diagnosis, as Markdown or HTML.

Library entry point (the CLI only maps options onto it):

    render_plan(plan, result, rules, *, fmt="md"|"html", lang="zh"|"en", templates_dir=None, today=None) -> str

The pipeline:

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
from typing import Any

from ..errors import TemplateError
from ..i18n import DEFAULT_LANG, LANGS
from ..model.plan import Document
from ..model.report import FileResult
from ..rules.pack import RuleSet
from ..views import SECTION_IDS, build_view
from .markup import Writer, split_sections, tidy_markdown
from .templating import environment
from .templating import render as render_template

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
    writer = Writer(fmt, lang)
    env = environment("md", templates_dir)
    writer.install(env)
    body = _render(env, TEMPLATES["md"], dict(writer.wrap(view), fmt=fmt, html=fmt == "html"))
    if fmt == "md":
        return tidy_markdown(body)
    from markupsafe import Markup

    converted = writer.convert(body)
    cover, sections = split_sections(converted, view["sections"])
    shell = environment("html", templates_dir)
    context = dict(view, fmt=fmt, html=True, cover=Markup(cover),
                   body_sections=[dict(s, html=Markup(s["html"])) for s in sections])
    return _render(shell, TEMPLATES["html"], context)


def _render(env: Any, name: str, context: dict[str, Any]) -> str:
    """engine.output.templating.render, with the error pointing into the included template that
    failed (plan/*.md.j2 or a user's own include) rather than at the top template's include line."""
    try:
        return render_template(env, name, context)
    except TemplateError as err:
        where = _innermost_template_frame(err.__context__)
        if where is None or (where[0] == err.params.get("template") and where[1] == err.line):
            raise
        params = dict(err.params, template=where[0], line=where[1])
        raise TemplateError(err.code, params, file=where[0], line=where[1]) from None


def _innermost_template_frame(error: BaseException | None) -> tuple[str, int] | None:
    """Jinja rewrites tracebacks so each template frame carries its file and line; the last one
    is where the template went wrong."""
    found = None
    tb = error.__traceback__ if error is not None else None
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


__all__ = ["render_plan", "build_view", "SECTION_IDS", "TEMPLATES"]
