"""The date and number formats of i18n.format as Jinja filters, for documents and SOP task texts
(a module of its own so that plain text output never imports Jinja)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from jinja2 import pass_context

from .format import format_date, format_datetime, format_percent, format_time


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


DATE_FILTERS: dict[str, Callable[..., Any]] = {
    "date_text": _with_lang(lambda v, lang, year=False: format_date(v, lang, year=year)),
    "datetime_text": _with_lang(lambda v, lang, year=False: format_datetime(v, lang, year=year)),
    "time_text": lambda v: format_time(v) if isinstance(v, datetime) else "",
    "iso": lambda v: v.isoformat() if isinstance(v, (date, datetime)) else "",
    "percent": format_percent,
}




def add_date_filters(env: Any) -> Any:
    """Register the date and number filters on a Jinja environment (documents and SOP texts)."""
    env.filters.update(DATE_FILTERS)
    return env
