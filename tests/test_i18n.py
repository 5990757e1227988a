"""The message catalogue: every entry in both languages, and every template formats."""

from __future__ import annotations

import string

from qunce.engine.i18n import MESSAGES, Key, resolve_lang, t


def test_every_message_has_both_languages_and_formats():
    for code, entry in MESSAGES.items():
        assert set(entry) >= {"zh", "en"}, code
        for lang, text in entry.items():
            if isinstance(text, dict):  # plural forms: "other" always, "one" where the language has it
                assert "other" in text and set(text) <= {"one", "other"}, (code, lang)
            for template in (text.values() if isinstance(text, dict) else [text]):
                fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
                positional = [f for f in fields if f == "" or f.isdigit()]
                named = {f: "x" for f in fields if f and not f.isdigit()}
                template.format(*["x"] * (len(positional) + 1), **named)  # raises on a stray brace


def test_nested_key_is_translated_late():
    assert t("not-mapping", "en", got=Key("type:array")) .endswith("not a list")
    assert "列表" in t("not-mapping", "zh", got=Key("type:array"))


def test_resolve_lang():
    assert resolve_lang("en_US.UTF-8") == "en" and resolve_lang("zh-CN") == "zh" and resolve_lang("fr") == "zh"
