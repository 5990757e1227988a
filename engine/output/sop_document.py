"""A Schedule as a document: a Markdown task list, a self-contained HTML page, an iCalendar file,
or the JSON contract.

    render_schedule(schedule, fmt="md", lang=None, *, user_dir=None) -> str | bytes

The formats and their renderers are registered in engine.output.formats. Markdown and HTML come
from templates (`output_templates/sop_session.md.j2`, `sop_campaign.md.j2`, `sop.html.j2`,
overridable from `user_dir`) fed with engine.views.sop's plain view; the HTML page's funnel is
drawn here from the view's chart data. The calendar file is engine.output.ics.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import UsageError
from ..i18n import DEFAULT_LANG, LANGS
from ..model.schedule import Schedule
from .formats import SOP_FORMATS
from .templating import environment, render


def render_schedule(schedule: Schedule, fmt: str = "md", lang: str | None = None, *,
                    user_dir: str | None = None) -> str | bytes:
    """Render a schedule; `ics` gives bytes, every other format text.

    `lang` picks the language of the document's own words (headings, labels); the task texts
    were written in the schedule's language when it was built.
    """
    lang = lang or schedule.lang
    lang = lang if lang in LANGS else DEFAULT_LANG
    spec = SOP_FORMATS.get(fmt)
    if spec is None:
        raise UsageError("sop-bad-format", {"fmt": fmt, "choices": ", ".join(SOP_FORMATS)})
    return spec.render()(schedule, fmt, lang, user_dir)


def render_template(schedule: Schedule, fmt: str, lang: str, user_dir: str | None = None) -> str:
    """Markdown (one template per kind of schedule) or the HTML page (one template for both)."""
    from markupsafe import Markup

    from ..views.sop import document_context
    from .charts import FONT_STACK, draw

    context: dict[str, Any] = document_context(schedule, lang, fmt)
    chart = context.pop("funnel_chart", None)
    if fmt == "html":
        context["font_stack"] = FONT_STACK
        if schedule.kind == "campaign":
            context["funnel_svg"] = Markup(draw(chart)) if chart else ""
    elif schedule.kind == "campaign":
        context["funnel_svg"] = ""
    name = "sop.html.j2" if fmt == "html" else f"sop_{schedule.kind}.md.j2"
    return render(environment(fmt, user_dir), name, context)


def render_ics(schedule: Schedule, fmt: str, lang: str, user_dir: str | None = None) -> bytes:
    """The calendar file (engine.output.ics)."""
    from .ics import to_ics

    return to_ics(schedule, lang)


def render_json(schedule: Schedule, fmt: str, lang: str, user_dir: str | None = None) -> str:
    """The documented JSON contract (version 1)."""
    return json.dumps(schedule.to_dict(), ensure_ascii=False, indent=2) + "\n"


__all__ = ["render_schedule", "render_template", "render_ics", "render_json"]
