"""The operations plan's view model: one plain dict per document section, built from the plan and
its check result. No escaping and no SVG here: output escapes what templates print and draws
the charts from the data the sections carry."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from ..i18n import DEFAULT_LANG, LANGS, MESSAGES, t
from ..model.plan import Document
from ..model.report import FileResult
from ..rules.pack import RuleSet
from .appendix import appendix
from .calendar import output_calendar
from .campaigns import campaigns
from .context import Ctx
from .diagnosis import diagnosis
from .operations import operations
from .positioning import positioning
from .replication import replication
from .sessions import sessions
from .structure import structure
from .summary import cover, summary
from .values import dict_of

SECTION_IDS = ("summary", "positioning", "structure", "output", "operations", "replication", "sessions",
               "campaigns", "diagnosis", "appendix")


def build_view(plan: Document, result: FileResult, rules: RuleSet, *, lang: str = "zh",
               today: date | None = None) -> dict[str, Any]:
    """The plain data every template reads (documented by the bundled templates)."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    data = plan.data if isinstance(plan.data, dict) else {}
    plan_lang = dict_of(data.get("community")).get("language")
    plan_lang = plan_lang if plan_lang in LANGS else DEFAULT_LANG
    ctx = Ctx(plan, result, rules, lang, today or date.today(), data, plan_lang)
    labels = {k[len("plan:"):].replace("-", "_"): t(k, lang) for k in _label_keys()}
    sections = [{"id": sid, "heading": ctx.L(f"h-{sid}"), "number": i + 1 if sid != "appendix" else None}
                for i, sid in enumerate(SECTION_IDS)]
    view: dict[str, Any] = {
        "lang": lang,
        "html_lang": t("plan:html-lang", lang),
        "plan_lang": plan_lang,
        "L": labels,
        "sections": sections,
        "doc": cover(ctx),
        "summary": summary(ctx),
        "positioning": positioning(ctx),
        "structure": structure(ctx),
        "output": output_calendar(ctx),
        "operations": operations(ctx),
        "replication": replication(ctx),
        "sessions": sessions(ctx),
        "campaigns": campaigns(ctx),
        "diagnosis": diagnosis(ctx),
    }
    view["appendix"] = appendix(ctx, view)
    return view


@lru_cache(maxsize=1)
def _label_keys() -> tuple[str, ...]:
    return tuple(k for k in MESSAGES if k.startswith("plan:"))
