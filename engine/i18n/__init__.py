"""The one catalog of text people read, in Chinese (default) and English, with plural forms.

Keyed by stable codes, so a code means the same thing in both languages and tests can assert
codes while people read sentences. The entries live in one module per area (messages,
plan_document, ...) and are merged here; an entry's text for a language is either a format
string or, where the number changes the words, a dict of plural forms keyed "one" / "other",
chosen by the parameter `n` (or `count`).
"""

from __future__ import annotations

import os
from typing import Any

from .evidence import MESSAGES as _EVIDENCE
from .messages import MESSAGES as _MESSAGES
from .plan_document import MESSAGES as _PLAN
from .schedule import MESSAGES as _SCHEDULE
from .sop_document import MESSAGES as _SOP

LANGS = {"zh": "中文", "en": "English"}
DEFAULT_LANG = "zh"
MESSAGES: dict[str, dict[str, Any]] = {**_MESSAGES, **_EVIDENCE, **_PLAN, **_SCHEDULE, **_SOP}


def resolve_lang(lang: str | None = None) -> str:
    """--lang beats QUNCE_LANG beats the default; `zh-CN`, `en_US` and the like are accepted."""
    value = (lang or os.environ.get("QUNCE_LANG") or DEFAULT_LANG).strip().lower()
    value = value.replace("_", "-").split("-")[0]
    return value if value in LANGS else DEFAULT_LANG


class Key(str):
    """A parameter that is itself a message code, translated when the message is (not before)."""


# Pieces of text kept as data until the message that holds them is read (a Problem's params):
# plain JSON (dicts, lists, strings), so a result computed once reads in either language.

def say(code: str, *args: Any, **params: Any) -> dict[str, Any]:
    """A catalog entry as a parameter of another, translated with it: {"code", "args", "params"}."""
    out: dict[str, Any] = {"code": code}
    if args:
        out["args"] = list(args)
    if params:
        out["params"] = params
    return out


def both(text: str) -> Any:
    """A bilingual "中文 / English" label of the schema as {"zh", "en"}; a one-language label as is."""
    return {"zh": pick(text, "zh"), "en": pick(text, "en")} if " / " in text else text


def joined(separator: str, items: list[Any]) -> dict[str, Any]:
    """Items joined by the catalog's separator `separator` ("list-sep", "or") in the reader's language."""
    return {"join": separator, "items": list(items)}


def words(value: Any, lang: str) -> Any:
    """A parameter as the reader reads it: the pieces above put into `lang`, anything else as it is."""
    if isinstance(value, dict):
        keys = set(value)
        if "code" in keys and keys <= {"code", "args", "params"}:
            return t(value["code"], lang, *value.get("args", ()), **value.get("params", {}))
        if keys == set(LANGS):
            return value.get(lang, value[DEFAULT_LANG])
        if keys == {"join", "items"}:
            return t(value["join"], lang).join(str(words(item, lang)) for item in value["items"])
    return value


def plain(value: Any) -> Any:
    """A parameter reduced to what JSON holds (a Key stays a Key: it is a string)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return str(value)


def t(code: str, lang: str = DEFAULT_LANG, *args: Any, **params: Any) -> str:
    """Translate a code; unknown codes come back as themselves so nothing is lost."""
    entry = MESSAGES.get(code)
    if entry is None:
        return code
    template = entry.get(lang) or entry[DEFAULT_LANG]
    if isinstance(template, dict):  # plural forms
        template = template[plural(lang, params.get("n", params.get("count")))]
    given = {k: v for k, v in params.items() if not isinstance(v, Key)}
    params = {k: t(v, lang, **given) if isinstance(v, Key) else words(v, lang) for k, v in params.items()}
    try:
        return template.format(*(words(a, lang) for a in args), **params)
    except (KeyError, IndexError, ValueError):  # a missing parameter must not hide the message itself
        return template


def plural(lang: str, n: Any) -> str:
    """The plural category of `n` in `lang`: Chinese has one form, English two."""
    if lang == "en" and isinstance(n, (int, float)) and not isinstance(n, bool) and n == 1:
        return "one"
    return "other"


def pick(text: str, lang: str) -> str:
    """Pick one side of a bilingual "中文 / English" label from the schema."""
    if " / " not in text:
        return text
    zh, en = text.split(" / ", 1)
    return en if lang == "en" else zh


