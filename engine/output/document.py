"""The Markdown-first document pipeline the operations plan and the evidence report share.

A view model goes through a Markdown template whose every printed value passes the escaping
hooks of engine.output.markup.Writer (plan text and chat-export names are untrusted; a user's own
template cannot undo that); for HTML the converted body is cut into one `<section>` per `##`
heading and handed to an autoescaped shell template holding the stylesheet. Templates run in the
bounded sandbox of engine.output.templating; a failure is a TemplateError naming the innermost
template file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import TemplateError
from .markup import Writer, split_sections, tidy_markdown
from .templating import environment
from .templating import render as render_template


def render_document(view: dict[str, Any], templates: dict[str, str], *, fmt: str, lang: str,
                    templates_dir: str | Path | None = None) -> str:
    """`view` laid out by `templates["md"]` as Markdown, or as one HTML file inside `templates["html"]`."""
    writer = Writer(fmt, lang)
    env = environment("md", templates_dir)
    writer.install(env)
    body = _render(env, templates["md"], dict(writer.wrap(view), fmt=fmt, html=fmt == "html"))
    if fmt == "md":
        return tidy_markdown(body)
    from markupsafe import Markup

    cover, sections = split_sections(writer.convert(body), view["sections"])
    shell = environment("html", templates_dir)
    context = dict(view, fmt=fmt, html=True, cover=Markup(cover),
                   body_sections=[dict(s, html=Markup(s["html"])) for s in sections])
    return _render(shell, templates["html"], context)


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
