"""`check` as a library call: validate each plan, then run the rules on the valid ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from .i18n import t
from .loader import Plan
from .limits import FILE_SECONDS, TimeLimitExceeded, seconds, time_limit
from .report import FileResult, Report
from .rules import RuleSet, evaluate, ignore_list
from .schema import Problem
from .score import health, risk
from .validate import discover, timed_out, validate_file


@dataclass
class CheckOptions:
    lang: str = "zh"
    ignore: tuple[str, ...] = ()
    today: date | None = None


def check_file(path: str, rules: RuleSet, options: CheckOptions) -> FileResult:
    """One plan: an invalid plan gets its validation errors and no diagnosis."""
    return check_document(path, rules, options)[0]


def check_document(path: str, rules: RuleSet, options: CheckOptions) -> tuple[FileResult, Plan | None]:
    """The result and the loaded plan (None when it could not be loaded), for callers that go on
    to render it. A plan (or a user's rule) that takes longer than the file bound is reported as
    such, not waited for."""
    try:
        with time_limit(seconds(FILE_SECONDS), path):
            return _check_document(path, rules, options)
    except TimeLimitExceeded as err:
        return timed_out(path, err, options.lang), None


def _check_document(path: str, rules: RuleSet, options: CheckOptions) -> tuple[FileResult, Plan | None]:
    result, plan = validate_file(path, options.lang)
    if plan is None or not result.valid:
        return result, plan
    outcome = evaluate(rules, plan.data, plan.locator, path, lang=options.lang, today=options.today,
                       ignore=options.ignore)
    result.checked = True
    result.findings = outcome.findings
    result.suppressed = outcome.suppressed
    result.engine_errors = outcome.engine_errors
    for rid, _ in ignore_list(plan.data):
        if rules.get(rid) is None:
            line, col = plan.locator.value(("check", "ignore"))
            result.notices.append(Problem("unknown-ignore", t("unknown-ignore", options.lang, id=rid), path,
                                          line, col, "check.ignore", severity="notice"))
    result.risk = risk(result.findings)
    result.health = health(result.findings)
    return result, plan


def iter_results(paths: Iterable[str | Path], rules: RuleSet | None, options: CheckOptions | None = None, *,
                 jobs: int = 1) -> Iterator[FileResult]:
    """Check (or, with rules=None, only validate) every plan under `paths`, yielding results in a
    stable order as they are ready, so callers can stream them instead of holding them all."""
    from .batch import run

    yield from run(discover(paths), options or CheckOptions(), rules, jobs)


def check_paths(paths: Iterable[str | Path], rules: RuleSet | None, options: CheckOptions | None = None, *,
                jobs: int = 1) -> Report:
    """The whole run as one Report (for library callers and tests)."""
    options = options or CheckOptions()
    return Report(list(iter_results(paths, rules, options, jobs=jobs)), lang=options.lang)
