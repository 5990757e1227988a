"""The SOP playbook as the schedule reads it: `facts.sop` (steps, offsets, owners, drafts; data in
playbooks/sop.yaml, not constants here), task texts rendered in the bounded sandbox, who does
each task, and picking the session or campaign a command asks for.

Tolerant readers throughout: a draft plan may leave anything out or give it the wrong type; the
schema reports that, the schedule just works with what is there.
"""

from __future__ import annotations

from typing import Any

from ..errors import TemplateError, UsageError
from ..i18n import LANGS, DEFAULT_LANG, t
from ..model.plan import Document, as_dict, as_list, whole as count


# ---- tolerant readers --------------------------------------------------------------------------


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""






def bi(value: Any, lang: str) -> str:
    """One side of a playbook's {zh, en} record (Chinese when the other side is missing)."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh") or value.get("en") or "")
    return "" if value is None else str(value)


def language(lang: Any) -> str:
    """A language the catalog has; anything else reads as the default."""
    return lang if lang in LANGS else DEFAULT_LANG


# ---- facts.sop -----------------------------------------------------------------------------------


_BUNDLED_SOP: dict | None = None


def sop_facts(facts: Any) -> dict:
    """`facts.sop` from the loaded packs; the bundled playbook's when a run left it out."""
    global _BUNDLED_SOP
    found = as_dict(facts).get("sop")
    if isinstance(found, dict) and found.get("session") and found.get("campaign"):
        return found
    if _BUNDLED_SOP is None:
        from ..load.files import package_data
        from ..load.yaml import load_plan_bytes

        f = package_data("playbooks", "sop.yaml")
        _BUNDLED_SOP = as_dict(as_dict(load_plan_bytes(f.read_bytes(), "playbooks/sop.yaml").data.get("facts")).get("sop"))
    merged = dict(_BUNDLED_SOP)
    if isinstance(found, dict):
        merged.update(found)
    return merged


def step_names(section: dict, lang: str) -> dict[int, str]:
    return {i + 1: bi(v, lang) for i, v in enumerate(as_list(section.get("steps")))}


def labels_of(section: Any, lang: str) -> dict[str, str]:
    """A playbook table of {key: {zh, en}} labels in one language."""
    return {k: bi(v, lang) for k, v in as_dict(section).items()}


def calendar_minutes(sop: dict) -> dict[str, int]:
    """How long a calendar event lasts and how early its alarm fires (facts.sop), 15 by default."""
    def minutes(key: str) -> int:
        value = sop.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 15

    return {"event_minutes": minutes("event_minutes") or 15, "alarm_minutes": minutes("alarm_minutes")}


# ---- task texts ----------------------------------------------------------------------------------


def text_sandbox() -> Any:
    """The environment task texts render in: the bounded immutable sandbox (a pack's facts.sop may
    come from anyone), missing names render empty, dates read as people write them."""
    from jinja2 import ChainableUndefined

    from ..i18n.filters import add_date_filters
    from ..run.sandbox import BoundedSandbox

    env = BoundedSandbox(undefined=ChainableUndefined, autoescape=False)
    env.globals = {"range": env.globals["range"], "dict": dict}
    return add_date_filters(env)


class Texts:
    """Compiles each title/message template of the playbook once per process: a batch of plans or
    a plan document with many sessions then skips Jinja's compiler."""

    LIMIT = 2048  # distinct texts kept; custom packs could otherwise grow the cache without end

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.env = text_sandbox()
        self.cache: dict[str, Any] = {}

    def render(self, value: Any, context: dict[str, Any], where: str) -> str | None:
        source = bi(value, self.lang) if value is not None else None
        if not source:
            return None
        from jinja2 import TemplateSyntaxError

        try:
            template = self.cache.get(source)
            if template is None:
                if len(self.cache) >= self.LIMIT:
                    self.cache.clear()
                template = self.cache[source] = self.env.from_string(source)
            return template.render(**context).strip("\n")
        except TemplateSyntaxError as e:
            raise TemplateError("template-failed", {"template": where, "line": e.lineno, "error": e.message},
                                file="playbooks/sop.yaml") from None
        except Exception as e:  # SecurityError or a type error in a draft
            raise TemplateError("template-failed", {"template": where, "line": "?",
                                                    "error": f"{type(e).__name__}: {e}"},
                                file="playbooks/sop.yaml") from None


_TEXTS: dict[str, Texts] = {}


def texts(lang: str) -> Texts:
    """The process-wide compiled texts of one language."""
    if lang not in _TEXTS:
        _TEXTS[lang] = Texts(lang)
    return _TEXTS[lang]


# ---- who does what -------------------------------------------------------------------------------


def people(plan_data: Any) -> dict[str, list[str]]:
    """Who holds each team role: names when given, else a head count."""
    structure = as_dict(as_dict(plan_data).get("structure"))
    out: dict[str, list[str]] = {}
    for member in as_list(structure.get("team")):
        if isinstance(member, dict) and isinstance(member.get("role"), str):
            names = out.setdefault(member["role"], [])  # an empty list: the role exists, nameless
            if text(member.get("name")):
                names.append(text(member.get("name")))
    owner = text(as_dict(as_dict(plan_data).get("community")).get("owner"))
    if owner and not any(out.get("owner", [])):
        out["owner"] = [owner]
    return out


def owner(roles: Any, named: dict[str, str], crew: dict[str, Any], labels: dict, lang: str) -> tuple[str, str]:
    """The first role the plan can fill: a person's name, names joined, or the role's label."""
    roles = [r for r in (roles if isinstance(roles, list) else [roles]) if isinstance(r, str)] or ["owner"]
    for role in roles:
        if named.get(role):
            return named[role], role
        if role in crew:
            names = [n for n in crew[role] if n]
            return (t("schedule:names-sep", lang).join(names) if names else bi(labels.get(role), lang) or role), role
    return bi(labels.get(roles[0]), lang) or roles[0], roles[0]


# ---- picking the item ------------------------------------------------------------------------------


def pick(plan: Document | None, section: str, wanted: str | None) -> tuple[int, dict]:
    """The index and record of the session/campaign asked for; one alone may go unnamed."""
    if plan is None:
        raise UsageError("sop-no-plan", {})
    items = [x for x in as_list(as_dict(plan.data).get(section)) if isinstance(x, dict)]
    noun = "session" if section == "sessions" else "campaign"
    ids = [str(x.get("id")) for x in items if x.get("id")]
    if not items:
        raise UsageError(f"sop-no-{section}", {}, file=plan.path)
    if wanted is None:
        if len(items) > 1:
            raise UsageError(f"sop-choose-{noun}", {"count": len(items), "choices": ", ".join(ids)}, file=plan.path)
        return 0, items[0]
    for i, item in enumerate(as_list(plan.data.get(section))):
        if isinstance(item, dict) and str(item.get("id")) == wanted:
            return i, item
    raise UsageError(f"sop-unknown-{noun}", {"id": wanted, "choices": ", ".join(ids) or "—"}, file=plan.path)


def located(err: UsageError, plan: Document, path: tuple) -> UsageError:
    """The error pointed at the plan line it is about; with no file behind the plan (an ad-hoc
    session) there is nothing to point at, so it stays as it is."""
    if not plan.path:
        return err
    line, col = plan.locator.value(path)
    return UsageError(err.code, err.params, file=plan.path, line=line, column=col)


__all__ = ["text", "as_dict", "as_list", "count", "bi", "language", "sop_facts", "step_names",
           "labels_of", "calendar_minutes", "text_sandbox", "Texts", "texts", "people", "owner", "pick",
           "located"]
