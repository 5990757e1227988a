"""Validation as a library call: find plan files, load each, check it against the schema."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .errors import QunceError
from .i18n import t
from .loader import Plan, load_plan
from .report import FileResult, Report
from .schema import Problem, validate_plan

PLAN_SUFFIXES = (".yaml", ".yml")


def discover(paths: Iterable[str | Path]) -> list[str]:
    """Files as given; directories searched recursively for *.yaml/*.yml in a stable order.

    A path that does not exist is kept so that loading it reports "not found" in its place.
    """
    found: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(str(f) for f in sorted(p.rglob("*"))
                         if f.suffix.lower() in PLAN_SUFFIXES and f.is_file()
                         and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            found.append(str(raw))
    return list(dict.fromkeys(found))


def problem_from_error(err: QunceError, lang: str, fallback_file: str = "") -> Problem:
    return Problem(err.code, err.message(lang), err.file or fallback_file, err.line, err.column)


def validate_file(path: str, lang: str = "zh") -> tuple[FileResult, Plan | None]:
    """Load and validate one file within the time bound; never raises for a bad plan."""
    from .limits import FILE_SECONDS, TimeLimitExceeded, seconds, time_limit

    try:
        with time_limit(seconds(FILE_SECONDS), path):
            return _validate_file(path, lang)
    except TimeLimitExceeded as err:
        return timed_out(path, err, lang), None


def timed_out(path: str, err: QunceError, lang: str) -> FileResult:
    """The result for a file whose processing ran past its time bound: unreadable, exit 2."""
    result = FileResult(path, load_failed=True)
    result.errors.append(problem_from_error(err, lang, path))
    return result


def _validate_file(path: str, lang: str = "zh") -> tuple[FileResult, Plan | None]:
    """Load and validate one file; never raises for a bad plan, the result says what is wrong."""
    result = FileResult(path)
    try:
        plan = load_plan(path)
    except QunceError as err:
        result.errors.append(problem_from_error(err, lang, path))
        result.load_failed = True
        return result, None
    result.notices = [Problem(n.code, t(n.code, lang), path, n.line, n.column, severity="notice")
                      for n in plan.notices]
    result.errors = validate_plan(plan, lang)
    community = plan.data.get("community")
    if isinstance(community, dict) and isinstance(community.get("name"), str):
        result.name = community["name"]
    return result, plan


def validate_paths(paths: Iterable[str | Path], lang: str = "zh", *, jobs: int = 1) -> Report:
    from .check import CheckOptions, check_paths

    return check_paths(paths, None, CheckOptions(lang=lang), jobs=jobs)
