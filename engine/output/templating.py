"""Jinja2 environments for rendered documents (SOP checklists, the operations plan, ...).

One place decides how documents are templated (STYLE.md §10): the bounded immutable sandbox
(templates may come from a user's folder), `StrictUndefined` so a typo in a template is an
error instead of a silent blank, autoescape for HTML only, and a loader that looks in the
user's template folder first and then in the templates bundled with qunce. Errors become a
`TemplateError` naming the template file and line.

The date helpers are also used outside templates (message drafts, calendar summaries), so
"12月5日 周六 20:00" reads the same everywhere.
"""

from __future__ import annotations

import re
import traceback
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from jinja2 import (BaseLoader, ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError as JinjaError,
                    TemplateNotFound, TemplateSyntaxError, pass_context)
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import TemplateError
from ..load.files import package_data
from ..rules.vocabulary import BoundedSandbox

BUNDLED = "output_templates"
WEEKDAYS = {"zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
            "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# ---- date and number formatting, in both languages -----------------------------------------


def format_date(value: date | datetime, lang: str = "zh", *, year: bool = False, weekday: bool = True) -> str:
    """12月5日 周六 / Sat 5 Dec (with `year`: 2026年12月5日 周六 / Sat 5 Dec 2026)."""
    wd = WEEKDAYS["en" if lang == "en" else "zh"][value.weekday()]
    if lang == "en":
        text = f"{value.day} {MONTHS_EN[value.month - 1]}" + (f" {value.year}" if year else "")
        return f"{wd} {text}" if weekday else text
    text = (f"{value.year}年" if year else "") + f"{value.month}月{value.day}日"
    return f"{text} {wd}" if weekday else text


def format_time(value: datetime) -> str:
    """20:00 (24-hour clock, the community's local time as the datetime carries it)."""
    return f"{value.hour:02d}:{value.minute:02d}"


def format_datetime(value: datetime, lang: str = "zh", *, year: bool = False) -> str:
    """12月5日 周六 20:00 / Sat 5 Dec 20:00."""
    return f"{format_date(value, lang, year=year)} {format_time(value)}"


def format_percent(value: Any, digits: int = 1) -> str:
    """0.4375 -> 43.8%; missing -> —."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "—"
    return f"{value * 100:.{digits}f}%"


def fence(text: Any) -> str:
    """A Markdown code fence longer than any backtick run in `text`, so a draft cannot end it."""
    longest, run = 0, 0
    for ch in str(text):
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def md_inline(text: Any) -> str:
    """One line of user text made safe for a Markdown list item or table cell.

    Escapes what would change the meaning (emphasis, code, HTML, table pipes, links) and leaves
    the rest readable: `sessions[].perks` and `selling_point` stay as they are.
    """
    out = " ".join(str(text).split())
    out = re.sub(r"([\\`*<>|])", r"\\\1", out)
    out = re.sub(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])", r"\\_", out)
    if "](" in out or "]:" in out:
        out = out.replace("[", "\\[").replace("]", "\\]")
    return out


def _lang_of(ctx: Any) -> str:
    lang = ctx.get("lang", "zh")
    return "en" if lang == "en" else "zh"


def _with_lang(fn: Callable[..., str]) -> Callable[..., str]:
    """A filter that reads `lang` from the template context, so templates write `{{ d | date_text }}`."""

    @pass_context
    def wrapper(ctx: Any, value: Any, *args: Any, **kwargs: Any) -> str:
        if not isinstance(value, (date, datetime)):
            return "" if value is None else str(value)
        return fn(value, _lang_of(ctx), *args, **kwargs)

    wrapper.__name__ = fn.__name__
    return wrapper


HELPER_FILTERS: dict[str, Callable[..., Any]] = {
    "date_text": _with_lang(lambda v, lang, year=False: format_date(v, lang, year=year)),
    "datetime_text": _with_lang(lambda v, lang, year=False: format_datetime(v, lang, year=year)),
    "time_text": lambda v: format_time(v) if isinstance(v, datetime) else "",
    "iso": lambda v: v.isoformat() if isinstance(v, (date, datetime)) else "",
    "percent": format_percent,
    "fence": fence,
    "md": md_inline,
}


def add_helpers(env: Any) -> Any:
    """Register the date/number helpers on any Jinja environment (also the rule sandbox)."""
    env.filters.update(HELPER_FILTERS)
    return env


# ---- loading -----------------------------------------------------------------------------------


class _BundledLoader(BaseLoader):
    """Templates shipped inside the qunce package (output_templates/), read as package data."""

    def __init__(self) -> None:
        self.root = package_data(BUNDLED)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = [p for p in template.split("/") if p]
        if not parts or any(p in ("..", ".") for p in parts):
            raise TemplateNotFound(template)
        node = self.root
        for p in parts:
            node = node / p
        if not node.is_file():
            raise TemplateNotFound(template)
        return node.read_text(encoding="utf-8"), f"{BUNDLED}/{template}", lambda: True


class DocumentSandbox(BoundedSandbox):
    """The rule sandbox's bounds, with strict undefined names, for whole documents."""


def environment(fmt: str, user_dir: str | Path | None = None) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment for rendering documents of one format.

    `fmt` "html" (or "htm", "xml", "svg") turns autoescape on; any other format leaves it off.
    Templates are looked up in `user_dir` first, then in qunce's bundled `output_templates`.
    """
    loaders: list[BaseLoader] = []
    if user_dir is not None:
        loaders.append(FileSystemLoader(str(user_dir), encoding="utf-8"))
    loaders.append(_BundledLoader())
    env = DocumentSandbox(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=fmt.lower() in ("html", "htm", "xml", "svg"),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    add_helpers(env)
    return env


def render(env: Any, name: str, context: dict[str, Any]) -> str:
    """Render template `name`; any failure is a TemplateError with the template's file and line."""
    try:
        template = env.get_template(name)
    except TemplateNotFound:
        raise TemplateError("template-not-found", {"template": name}, file=name) from None
    except TemplateSyntaxError as e:
        raise TemplateError("template-failed", {"template": e.filename or name, "line": e.lineno,
                                                "error": e.message or str(e)},
                            file=e.filename or name, line=e.lineno) from None
    try:
        return template.render(context)
    except Exception as e:  # UndefinedError, SecurityError, TypeError in a template expression...
        where = template.filename or name
        line = _template_line(e, where)
        error = f"{type(e).__name__}: {e}" if not isinstance(e, JinjaError) else str(e)
        raise TemplateError("template-failed", {"template": where, "line": line if line is not None else "?",
                                                "error": error}, file=where, line=line) from None


def _template_line(error: BaseException, filename: str) -> int | None:
    """Jinja rewrites tracebacks so template frames carry the template's file name and line."""
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == filename or frame.filename.endswith("/" + filename):
            line = frame.lineno
    return line
