"""engine/views: the plan's view model is plain data (charts as data, no SVG, no escaping), and
English counts take their plural forms from the catalog."""

from __future__ import annotations

from datetime import date

from qunce.engine.api import CheckOptions, check_file
from qunce.engine.i18n import t
from qunce.engine.load.yaml import load_plan
from qunce.engine.views import SECTION_IDS, build_view

from conftest import EXAMPLES, TODAY


def _view(ruleset, lang: str):
    path = str(EXAMPLES / "reading-club.yaml")
    return build_view(load_plan(path), check_file(path, ruleset, CheckOptions(lang=lang, today=TODAY)), ruleset,
                      lang=lang, today=TODAY)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def test_view_has_every_section_and_no_svg(ruleset):
    view = _view(ruleset, "en")
    assert [s["id"] for s in view["sections"]] == list(SECTION_IDS)
    assert not any("<svg" in s for s in _strings(view))
    assert view["summary"]["radar"]["chart"] == "radar" and len(view["summary"]["radar"]["data"]) == 7
    assert view["replication"]["lifecycle"]["svg"]["chart"] == "timeline"


def test_english_plurals_and_no_placeholder_plurals(ruleset):
    view = _view(ruleset, "en")
    assert not any("(s)" in s for s in _strings(view))
    assert t("plan:n-people", "en", n=1, num="1") == "1 person"
    assert t("plan:n-people", "en", n=2, num="2") == "2 people"
    assert t("plan:n-groups", "en", n=1, num="1") == "1 group"
    assert t("sop:tasks", "en", n=1) == "1 task" and t("sop:tasks", "zh", n=1) == "1 项任务"


def test_brackets_and_separators_follow_the_language(ruleset):
    assert t("plan:paren", "zh", text="奖励", inner="实物") == "奖励（实物）"
    assert t("plan:paren", "en", text="mug", inner="goods") == "mug (goods)"
    assert _view(ruleset, "zh")["html_lang"] == "zh-CN" and _view(ruleset, "en")["html_lang"] == "en"


def test_build_view_defaults_unknown_languages_to_chinese(ruleset):
    path = str(EXAMPLES / "reading-club.yaml")
    result = check_file(path, ruleset, CheckOptions(lang="zh", today=TODAY))
    assert build_view(load_plan(path), result, ruleset, lang="fr", today=date(2026, 11, 23))["lang"] == "zh"
