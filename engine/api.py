"""The library API: everything the CLI (and the local page) does, as calls that return data.

    plan = load("club.yaml")                                  # a Document, or PlanLoadError
    result = check_file("club.yaml", load_rules())            # FileResult: problems, findings, risk, health
    report = check_paths(["plans/"], load_rules(), jobs=2)    # a Report over many files
    text = render_plan_file("club.yaml", load_rules(), fmt="html")[1]
    schedule = session_schedule(plan, "s1", rules=load_rules())

Every call that runs user-supplied work (plans, rule packs, templates) runs it inside ONE bound,
applied here and nowhere else (`run.limits.bounded`): a plan is loaded, validated and diagnosed
within FILE_SECONDS; a document command (plan, sop) does all of its work, diagnosis included,
within FILE_SECONDS + RENDER_SECONDS. User rule packs and templates run in a worker killed at the
deadline, its memory bounded (run.isolate); bundled ones in-process under a timer, except off the
main thread, where no timer can be set.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import QunceError, UsageError
from .i18n import t
from .load.files import discover, package_data
from .load.schema import schema_path, validate_plan
from .load.yaml import load_plan
from .model.domain import KINDS
from .model.plan import Document, dotted
from .model.report import FileResult, Problem, Report, health, risk
from .model.schedule import Schedule
from .output.write import write_atomic
from .rules.evaluate import evaluate, ignore_list
from .rules.pack import RuleSet, load_rules
from .run.limits import FILE_SECONDS, RENDER_SECONDS, BoundExceeded, bounded, seconds

__all__ = ["CheckOptions", "load", "load_rules", "validate_file", "check_file", "check_document", "iter_results",
           "check_paths", "render_plan", "render_plan_file", "session_schedule", "campaign_schedule",
           "adhoc_session", "render_schedule", "sop_document", "starter", "discover", "schema_path", "write_atomic"]


@dataclass
class CheckOptions:
    lang: str = "zh"
    ignore: tuple[str, ...] = ()
    today: date | None = None


def load(path: str | Path) -> Document:
    """One plan file as data with positions; raises PlanLoadError with a location."""
    return load_plan(path)


# ---- validate and check ------------------------------------------------------------------------


def validate_file(path: str, lang: str = "zh") -> tuple[FileResult, Document | None]:
    """Load and validate one file within the time bound; never raises for a bad plan."""
    try:
        return bounded(_validate, path, lang, limit=seconds(FILE_SECONDS), what=path, untrusted=False)
    except BoundExceeded as err:
        return _timed_out(path, err, lang), None


def check_file(path: str, rules: RuleSet, options: CheckOptions | None = None) -> FileResult:
    """One plan: an invalid plan gets its validation errors and no diagnosis."""
    return _bounded_check(path, rules, options, keep_plan=False)


def check_document(path: str, rules: RuleSet, options: CheckOptions | None = None
                   ) -> tuple[FileResult, Document | None]:
    """The result and the loaded plan (None when it could not be loaded), for callers that go on
    to render it. A plan (or a user's rule) that takes longer than the file bound is reported as
    such, not waited for."""
    return _bounded_check(path, rules, options, keep_plan=True)


def _bounded_check(path: str, rules: RuleSet, options: CheckOptions | None, keep_plan: bool) -> Any:
    """`_check` within the file bound; without keep_plan a worker sends back the result only."""
    options = options or CheckOptions()
    try:
        return bounded(lambda: _check(path, rules, options) if keep_plan else _check(path, rules, options)[0],
                       limit=seconds(FILE_SECONDS), what=path, untrusted=untrusted(rules))
    except BoundExceeded as err:
        return (_timed_out(path, err, options.lang), None) if keep_plan else _timed_out(path, err, options.lang)


def iter_results(paths: Iterable[str | Path], rules: RuleSet | None, options: CheckOptions | None = None, *,
                 jobs: int = 1) -> Iterator[FileResult]:
    """Check (or, with rules=None, only validate) every plan under `paths`, yielding results in a
    stable order as they are ready, so callers can stream them instead of holding them all."""
    from .run.batch import run

    global _worker
    options = options or CheckOptions()
    _worker = (rules, options)  # inherited by forked workers; spawned ones rebuild it in _worker_init
    try:
        yield from run(discover(paths), _worker_one, jobs=jobs, init=_worker_init,
                       initargs=(rules.spec if rules is not None else None, options))
    finally:
        _worker = None


def check_paths(paths: Iterable[str | Path], rules: RuleSet | None, options: CheckOptions | None = None, *,
                jobs: int = 1) -> Report:
    """The whole run as one Report (for library callers and tests)."""
    options = options or CheckOptions()
    return Report(list(iter_results(paths, rules, options, jobs=jobs)), lang=options.lang)


_worker: tuple[RuleSet | None, CheckOptions] | None = None


def _worker_init(spec: tuple | None, options: CheckOptions) -> None:
    global _worker
    if _worker is None:
        _worker = (load_rules(spec[0], defaults=spec[1], lang=spec[2]) if spec is not None else None, options)


def _worker_one(path: str) -> FileResult:
    if _worker is None:
        raise RuntimeError("worker used before _worker_init")
    rules, options = _worker
    return validate_file(path, options.lang)[0] if rules is None else check_file(path, rules, options)


def _timed_out(path: str, err: QunceError, lang: str) -> FileResult:
    """The result for a file whose processing passed its time or memory bound: unreadable, exit 2."""
    result = FileResult(path, load_failed=True)
    result.errors.append(Problem(err.code, err.message(lang), err.file or path, err.line, err.column))
    return result


def _validate(path: str, lang: str) -> tuple[FileResult, Document | None]:
    result = FileResult(path)
    try:
        plan = load_plan(path)
    except QunceError as err:
        result.errors.append(Problem(err.code, err.message(lang), err.file or path, err.line, err.column))
        result.load_failed = True
        return result, None
    result.notices = [Problem(n.code, t(n.code, lang), path, n.line, n.column, severity="notice")
                      for n in plan.notices]
    result.errors = validate_plan(plan, lang)
    community = plan.data.get("community")
    if isinstance(community, dict) and isinstance(community.get("name"), str):
        result.name = community["name"]
    return result, plan


def _check(path: str, rules: RuleSet, options: CheckOptions) -> tuple[FileResult, Document | None]:
    result, plan = _validate(path, options.lang)
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


# ---- documents ---------------------------------------------------------------------------------


def untrusted(rules: RuleSet | None, templates_dir: str | Path | None = None) -> bool:
    """Whether a call runs someone else's code: rule packs given by path, or a template folder.
    The bundled playbook and templates are part of qunce and are trusted."""
    if rules is not None and rules.spec[0]:
        _warm(rules)
        return True
    return templates_dir is not None


def _warm(rules: RuleSet) -> None:
    """Build once, in the parent, what every worker would build again for each file: each rule's
    message template, the compiled plan schema, the sop_* filters' module."""
    from .load.schema import fast_check
    from .schedule import filters  # noqa: F401

    if not getattr(rules, "warm", False):
        fast_check()
        for rule in rules.rules:
            rule.message_template(rules.spec[2])
        rules.warm = True  # type: ignore[attr-defined]


def _document(fn: Any, *args: Any, what: str, trust_against: tuple = (None, None), **kwargs: Any) -> Any:
    """`fn` within the document bound (FILE_SECONDS + RENDER_SECONDS)."""
    return bounded(fn, *args, limit=seconds(FILE_SECONDS) + seconds(RENDER_SECONDS), what=what,
                   untrusted=untrusted(*trust_against), **kwargs)


def render_plan(plan: Document, result: FileResult, rules: RuleSet, *, fmt: str = "md", lang: str = "zh",
                templates_dir: str | Path | None = None, today: date | None = None) -> str:
    """The operations plan document of a loaded, checked plan, within the document bound."""
    from .output.plan_document import render_plan as render

    return _document(render, plan, result, rules, what=plan.path or "plan", trust_against=(rules, templates_dir),
                     fmt=fmt, lang=lang, templates_dir=templates_dir, today=today)


def render_plan_file(path: str, rules: RuleSet, *, fmt: str = "md", lang: str = "zh",
                     templates_dir: str | Path | None = None, today: date | None = None
                     ) -> tuple[FileResult, str | None]:
    """`qunce plan`: check the file, then render its document, all under one bound. The text is
    None when the plan is not usable (the result says why)."""
    return _document(_plan_file, path, rules, fmt, lang, templates_dir, today, what=path,
                     trust_against=(rules, templates_dir))


def _plan_file(path: str, rules: RuleSet, fmt: str, lang: str, templates_dir: str | Path | None,
               today: date | None) -> tuple[FileResult, str | None]:
    from .output.plan_document import render_plan as render

    result, plan = _check(path, rules, CheckOptions(lang=lang, today=today))
    if plan is None or not result.valid:
        return result, None
    return result, render(plan, result, rules, fmt=fmt, lang=lang, templates_dir=templates_dir, today=today)


def session_schedule(plan: Document | None, session_id: str | None = None, *, rules: RuleSet | None = None,
                     lang: str = "zh", today: date | None = None) -> Schedule:
    """The dated SOP of one sharing session of a plan, with the rules' findings on it, within
    the document bound. Raises UsageError (see schedule.sessions.session_schedule)."""
    return _document(_schedule, "sessions", plan, session_id, rules, lang, today,
                     what=getattr(plan, "path", "") or "sop", trust_against=(rules, None))


def campaign_schedule(plan: Document | None, campaign_id: str | None = None, *, rules: RuleSet | None = None,
                      lang: str = "zh", today: date | None = None) -> Schedule:
    """The dated SOP of one referral campaign of a plan, with the rules' findings on it."""
    return _document(_schedule, "campaigns", plan, campaign_id, rules, lang, today,
                     what=getattr(plan, "path", "") or "sop", trust_against=(rules, None))


def adhoc_session(title: str, start: str, *, guest: str | None = None, host: str | None = None,
                  duration: int | None = None, timezone: str | None = None, community: str = "",
                  rules: RuleSet | None = None, lang: str = "zh", today: date | None = None) -> Schedule:
    """A session SOP without a plan file (title, start and optional guest, host, duration,
    timezone); its findings carry no file position, there being no file."""
    from .schedule.sessions import adhoc_plan

    options = dict(guest=guest, host=host, duration=duration, timezone=timezone, community=community)
    return _document(lambda: _schedule("sessions", adhoc_plan(title, start, **options), None, rules, lang, today),
                     what="sop", trust_against=(rules, None))


def render_schedule(schedule: Schedule, fmt: str = "md", lang: str | None = None) -> str | bytes:
    """A schedule as Markdown, HTML, ICS or JSON, within the document bound."""
    from .output.sop_document import render_schedule as render

    return _document(render, schedule, fmt, lang, what=schedule.source or "sop")


def sop_document(plan_file: str | None, rules: RuleSet, *, session_id: str | None = None,
                 campaign_id: str | None = None, adhoc: dict[str, Any] | None = None, fmt: str = "md",
                 lang: str = "zh", today: date | None = None) -> tuple[FileResult | None, str | bytes | None]:
    """`qunce sop`: load and validate the plan, schedule the session (or the campaign), diagnose
    the plan and render, all within one bound. Without a plan file, `adhoc` holds the options of
    an ad-hoc session (title, start, guest, host, duration, timezone) and the result is None;
    with one, the text is None when the plan is not usable (the result says why)."""
    return _document(_sop, plan_file, rules, session_id, campaign_id, adhoc, fmt, lang, today,
                     what=plan_file or "sop", trust_against=(rules, None))


def _sop(plan_file: str | None, rules: RuleSet, session_id: str | None, campaign_id: str | None,
         adhoc: dict[str, Any] | None, fmt: str, lang: str, today: date | None
         ) -> tuple[FileResult | None, str | bytes | None]:
    from .output.sop_document import render_schedule as render

    if plan_file is None:
        options = dict(adhoc or {})
        title, start = options.pop("title", ""), options.pop("start", "")
        schedule = adhoc_session(title, start, rules=rules, lang=lang, today=today, **options)
        return None, render(schedule, fmt, lang)
    result, plan = _validate(plan_file, lang)
    if plan is None or not result.valid:
        return result, None
    if campaign_id is not None:
        schedule = _schedule("campaigns", plan, campaign_id, rules, lang, today)
    else:
        schedule = _schedule("sessions", plan, session_id, rules, lang, today)
    return result, render(schedule, fmt, lang)


def _schedule(section: str, plan: Document | None, item_id: str | None, rules: RuleSet | None, lang: str,
              today: date | None) -> Schedule:
    """Build the schedule from the packs' facts, then attach what the rules find under its item,
    exactly as `qunce check` reports it (the plan is checked once, as a whole)."""
    from .schedule.campaigns import campaign_schedule as campaign
    from .schedule.sessions import session_schedule as session

    rules = rules if rules is not None else load_rules()
    build = session if section == "sessions" else campaign
    schedule = build(plan, item_id, facts=rules.facts, lang=lang)
    if plan is None:  # build() raises sop-no-plan first; kept explicit, never an assert
        raise UsageError("sop-no-plan")
    outcome = evaluate(rules, plan.data, plan.locator, plan.path, lang=schedule.lang, today=today or date.today())
    base = dotted(schedule.path)

    def under(path: str) -> bool:
        return path == base or path.startswith(base + ".") or path.startswith(base + "[")

    schedule.findings = [f for f in outcome.findings if under(f.path)]
    if not plan.path:  # no file behind an ad-hoc session: positions would point nowhere
        schedule.findings = [replace(f, file="", line=None, column=None) for f in schedule.findings]
    schedule.engine_errors = [e for e in outcome.engine_errors if under(e.path)]
    return schedule


def starter(kind: str) -> str:
    """The starter plan text for `qunce init`, headed by a modeline so YAML editors complete it."""
    if kind not in KINDS:
        raise UsageError("unknown-kind", {"kind": kind, "choices": ", ".join(KINDS)})
    body = package_data("output_templates", "starters", f"{kind}.yaml").read_text("utf-8")
    uri = schema_path().resolve().as_uri()
    return f"# yaml-language-server: $schema={uri}\n{body}"
