"""A result is computed once and read in any language: problems keep code and parameters, findings
keep every language's texts, and nothing in a check (or in a worker of the pool) needs the
language the report will be read in (issue 10)."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace
from datetime import date

import pytest

from qunce.engine.api import CheckOptions, check_file, iter_results
from qunce.engine.model.report import Report
from qunce.engine.reporters import render

TODAY = date(2026, 11, 23)
CROWDED = """version: 1
community:
  name: 夜读会
structure:
  platform: wechat_group
  groups:
    - name: 一群
      members: 612
check:
  ignore: [no.such-rule]
"""
BROKEN = """version: 1
community:
  nme: 夜读会
positioning:
  kind: intrest
"""


@pytest.fixture()
def plans(tmp_path):
    crowded, broken = tmp_path / "crowded.yaml", tmp_path / "broken.yaml"
    crowded.write_text(CROWDED, encoding="utf-8")
    broken.write_text(BROKEN, encoding="utf-8")
    return crowded, broken


def test_one_result_reads_in_both_languages(plans, ruleset):
    """Checked once, the same FileResults render in zh and in en: the rule's title in each
    language, its message with the plan's figures, and the problems' messages (a did-you-mean
    included) in the reader's words."""
    crowded, broken = plans
    options = CheckOptions(today=TODAY)
    good, bad = check_file(str(crowded), ruleset, options), check_file(str(broken), ruleset, options)
    [over] = [f for f in good.findings if f.rule == "structure.group-over-cap"]
    rule = ruleset.get("structure.group-over-cap")
    for lang in ("zh", "en"):
        assert over.text(lang).title == rule.title[lang]
        assert over.text(lang).remedy == rule.remedy[lang]
        assert "612" in over.text(lang).message and "500" in over.text(lang).message
    assert "一群" in over.text("zh").message and "超过了" in over.text("zh").message
    assert "lists 612 members" in over.text("en").message

    texts = {lang: render(Report([good, bad], lang=lang), "json") for lang in ("zh", "en")}
    data = {lang: json.loads(text) for lang, text in texts.items()}
    for lang in ("zh", "en"):
        [finding] = [f for f in data[lang]["files"][0]["findings"] if f["rule"] == "structure.group-over-cap"]
        assert (finding["title"], finding["message"]) == (over.text(lang).title, over.text(lang).message)
    errors = {lang: {e["code"]: e["message"] for e in data[lang]["files"][1]["errors"]} for lang in data}
    assert "你是不是想写 \"name\"" in errors["zh"]["unknown-key"]
    assert "did you mean \"name\"" in errors["en"]["unknown-key"]
    assert "interest" in errors["en"]["bad-enum"] and "兴趣型" in errors["zh"]["bad-enum"]
    notices = {lang: data[lang]["files"][0]["notices"][0]["message"] for lang in data}
    assert "no.such-rule" in notices["zh"] and notices["zh"] != notices["en"]

    text_zh, text_en = (render(Report([good, bad], lang=lang), "text") for lang in ("zh", "en"))
    assert over.text("zh").message in text_zh and over.text("en").message in text_en
    assert over.text("en").message not in text_zh


def test_problem_parameters_are_json_and_language_free(plans, ruleset):
    """A problem's parameters are plain JSON (no sentence in them) and its message is made from
    them on request, so the same problem says different words in zh and en."""
    _, broken = plans
    result = check_file(str(broken), ruleset, CheckOptions(today=TODAY))
    assert result.errors
    for problem in result.errors:
        assert json.loads(json.dumps(problem.params)) == problem.params
        assert problem.message("zh") != problem.message("en")
    hint = next(p for p in result.errors if p.code == "unknown-key").params["hint"]
    assert hint == {"code": "did-you-mean", "args": ["name"]}


def test_a_worker_does_not_need_the_language(plans, ruleset):
    """Results from the worker pool are identical whatever language the run is asked for, so the
    choice of language can only matter at output; and they travel between processes as data."""
    crowded, broken = plans
    assert ruleset.spec == ((), True)  # what a spawned worker rebuilds its rules from: no language
    paths = [str(crowded), str(broken)]
    runs = {lang: list(iter_results(paths, ruleset, CheckOptions(lang=lang, today=TODAY), jobs=2))
            for lang in ("zh", "en")}
    assert runs["zh"] == runs["en"]
    assert [pickle.loads(pickle.dumps(r)) for r in runs["zh"]] == runs["zh"]
    asked_zh = render(Report(runs["zh"], lang="en"), "markdown")
    asked_en = render(Report(runs["en"], lang="en"), "markdown")
    assert asked_zh == asked_en and "Group has more members than the platform allows" in asked_zh


def test_a_finding_without_the_language_falls_back_to_chinese(plans, ruleset):
    """A finding built by a library caller with only Chinese texts still reads (in Chinese)."""
    crowded, _ = plans
    [finding] = [f for f in check_file(str(crowded), ruleset, CheckOptions(today=TODAY)).findings
                 if f.rule == "structure.group-over-cap"]
    only_zh = replace(finding, texts={"zh": finding.text("zh")})
    assert only_zh.text("en") == finding.text("zh")


def test_text_pieces_in_parameters_follow_the_reader():
    """The pieces a problem's parameters are made of (a catalog phrase, a bilingual label, a list
    joined by the catalog's separator) are put into the reader's language with the message."""
    from qunce.engine.i18n import both, joined, say, t

    choices = joined("list-sep", [say("choice-labelled", value="interest", label=both("兴趣型 / interest")), "other"])
    assert t("bad-enum", "zh", field="kind", value="x", choices=choices, hint="").count("、") == 1
    assert "interest, other" in t("bad-enum", "en", field="kind", value="x", choices=choices, hint="")
    assert "兴趣型" in t("bad-enum", "zh", field="kind", value="x", choices=choices, hint="")
    assert both("只有中文") == "只有中文"
