"""The library API: everything the CLI (and the local page) does, as calls that return data.

    plan = load("club.yaml")                                  # a Document, or PlanLoadError
    result = check_file("club.yaml", load_rules())            # FileResult: problems, findings, risk, health
    report = check_paths(["plans/"], load_rules(), jobs=2)    # a Report over many files
    text = render_plan_file("club.yaml", load_rules(), fmt="html")[1]
    schedule = session_schedule(plan, "s1", rules=load_rules())

Every call that runs user-supplied work (plans, rule packs, templates) runs it inside ONE time
bound, set here and nowhere else (`run.limits`): a plan is loaded, validated and diagnosed
within FILE_SECONDS; a document command (plan, sop) does all of its work, diagnosis included,
within FILE_SECONDS + RENDER_SECONDS.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import QunceError, UsageError
from .i18n import t
from .load.files import Identity, discover, identities, package_data
from .load.schema import schema_path, validate_plan
from .load.yaml import load_plan, plan_from_bytes
from .model.plan import Document, dotted
from .model.report import FileResult, Problem, Report, first_sin, health, risk
from .model.schedule import Schedule
from .output.write import write_atomic
from .rules.evaluate import evaluate, ignore_list
from .rules.reading import completeness
from .rules.scoring import scoring
from .rules.pack import RuleSet, load_rules
from .run.limits import FILE_SECONDS, RENDER_SECONDS, TimeLimitExceeded, seconds, time_limit

__all__ = ["CheckOptions", "load", "load_rules", "validate_file", "check_file", "check_text", "check_document", "iter_results",
           "check_paths", "render_plan", "render_plan_file", "session_schedule", "campaign_schedule",
           "adhoc_session", "render_schedule", "sop_document", "starter", "starter_plan", "wizard_questions",
           "install_schema", "discover", "schema_path", "write_atomic", "run_inputs"]


@dataclass
class CheckOptions:
    lang: str = "zh"
    ignore: tuple[str, ...] = ()
    today: date | None = None


def load(path: str | Path) -> Document:
    """One plan file as data with positions; raises PlanLoadError with a location."""
    return load_plan(path)


def run_inputs(paths: Iterable[str | Path] = (), rule_paths: Iterable[str | Path] = (), *,
               templates_dir: str | Path | None = None) -> list[Identity]:
    """Everything a run reads, for write_atomic(..., inputs=...): the plans found under `paths`,
    the user's packs, the templates folder, and the data shipped with qunce. No output may land
    on any of them (compared by resolved path and by device+inode)."""
    from .rules.pack import pack_files

    found: list[str | Path] = [*discover(paths), *pack_files(rule_paths)]
    found += [package_data(d) for d in ("playbooks", "output_templates", "schemas")]
    if templates_dir is not None:
        found.append(templates_dir)
    return identities(found)


# ---- validate and check ------------------------------------------------------------------------


def validate_file(path: str, lang: str = "zh") -> tuple[FileResult, Document | None]:
    """Load and validate one file within the time bound; never raises for a bad plan."""
    try:
        with time_limit(seconds(FILE_SECONDS), path):
            return _validate(path, lang)
    except TimeLimitExceeded as err:
        return _timed_out(path, err, lang), None


def check_file(path: str, rules: RuleSet, options: CheckOptions | None = None) -> FileResult:
    """One plan: an invalid plan gets its validation errors and no diagnosis."""
    return check_document(path, rules, options)[0]


def check_text(data: bytes, name: str, rules: RuleSet, options: CheckOptions | None = None
               ) -> tuple[FileResult, Document | None]:
    """check_document for a plan held in memory (the page's unsaved text), under the same bound."""
    options = options or CheckOptions()
    try:
        with time_limit(seconds(FILE_SECONDS), name):
            return _check(name, rules, options, data)
    except TimeLimitExceeded as err:
        return _timed_out(name, err, options.lang), None


def check_document(path: str, rules: RuleSet, options: CheckOptions | None = None
                   ) -> tuple[FileResult, Document | None]:
    """The result and the loaded plan (None when it could not be loaded), for callers that go on
    to render it. A plan (or a user's rule) that takes longer than the file bound is reported as
    such, not waited for."""
    options = options or CheckOptions()
    try:
        with time_limit(seconds(FILE_SECONDS), path):
            return _check(path, rules, options)
    except TimeLimitExceeded as err:
        return _timed_out(path, err, options.lang), None


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
    """The result for a file whose processing ran past its time bound: unreadable, exit 2."""
    result = FileResult(path, load_failed=True)
    result.errors.append(Problem(err.code, err.message(lang), err.file or path, err.line, err.column))
    return result


def _validate(path: str, lang: str, data: bytes | None = None) -> tuple[FileResult, Document | None]:
    result = FileResult(path)
    try:
        plan = load_plan(path) if data is None else plan_from_bytes(data, path)
    except QunceError as err:
        result.errors.append(Problem(err.code, err.message(lang), err.file or path, err.line, err.column))
        result.load_failed = True
        return result, None
    result.notices = [Problem(n.code, t(n.code, lang, **n.params), path, n.line, n.column,
                              severity="notice")
                      for n in plan.notices]
    result.errors = validate_plan(plan, lang)
    community = plan.data.get("community")
    if isinstance(community, dict) and isinstance(community.get("name"), str):
        result.name = community["name"]
    return result, plan


def _check(path: str, rules: RuleSet, options: CheckOptions, data: bytes | None = None
           ) -> tuple[FileResult, Document | None]:
    result, plan = _validate(path, options.lang, data)
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
    weights = scoring(plan.data, result.findings, rules.facts)
    result.risk = risk(result.findings, weights)
    result.health = health(result.findings, weights)
    result.reassured = sorted(weights.reassured)
    result.first_sin = first_sin(result.risk, int(((rules.facts.get("scoring") or {}).get("first_sin_min")) or 25))
    result.completeness, result.open = completeness(plan.data, rules.facts)
    return result, plan


# ---- documents ---------------------------------------------------------------------------------


def _document_bound(what: str) -> Any:
    return time_limit(seconds(FILE_SECONDS) + seconds(RENDER_SECONDS), what)


@contextmanager
def _dates_in_range(plan: Document | None, start: str = "") -> Iterator[None]:
    """A session at 9999-12-31T23:30 or 0001-01-01T00:30 puts its SOP's tasks outside the dates
    Python can represent: a usage error at that date, not an internal error."""
    try:
        yield
    except (OverflowError, ValueError) as err:
        if isinstance(err, ValueError) and "out of range" not in str(err):
            raise
        found = _edge_date(plan.data, ()) if plan is not None else None
        if found is None:
            raise UsageError("date-out-of-range", {"field": "--start", "value": start},
                             file=getattr(plan, "path", None) or None) from None
        path, value = found
        line, column = plan.locator.value(path) if plan is not None else (None, None)
        raise UsageError("date-out-of-range", {"field": dotted(path), "value": value}, file=plan.path or None,
                         line=line, column=column) from None


_EDGE = re.compile(r"\s*(\d{4})-\d\d-\d\d")


def _edge_date(value: Any, path: tuple) -> tuple[tuple, str] | None:
    """The first date in the plan within a few days of year 1 or year 9999."""
    if isinstance(value, str):
        m = _EDGE.match(value)
        return (path, value) if m and (int(m.group(1)) <= 1 or int(m.group(1)) >= 9998) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        found = _edge_date(child, path + (key,))
        if found is not None:
            return found
    return None


def render_plan(plan: Document, result: FileResult, rules: RuleSet, *, fmt: str = "md", lang: str = "zh",
                templates_dir: str | Path | None = None, today: date | None = None) -> str:
    """The operations plan document of a loaded, checked plan, within the document bound."""
    from .output.plan_document import render_plan as render

    with _document_bound(plan.path or "plan"), _dates_in_range(plan):
        return render(plan, result, rules, fmt=fmt, lang=lang, templates_dir=templates_dir, today=today)


def render_plan_file(path: str, rules: RuleSet, *, fmt: str = "md", lang: str = "zh",
                     templates_dir: str | Path | None = None, today: date | None = None
                     ) -> tuple[FileResult, str | None]:
    """`qunce plan`: check the file, then render its document, all under one bound. The text is
    None when the plan is not usable (the result says why)."""
    from .output.plan_document import render_plan as render

    with _document_bound(path):
        result, plan = _check(path, rules, CheckOptions(lang=lang, today=today))
        if plan is None or not result.valid:
            return result, None
        with _dates_in_range(plan):
            return result, render(plan, result, rules, fmt=fmt, lang=lang, templates_dir=templates_dir, today=today)


def session_schedule(plan: Document | None, session_id: str | None = None, *, rules: RuleSet | None = None,
                     lang: str = "zh", today: date | None = None) -> Schedule:
    """The dated SOP of one sharing session of a plan, with the rules' findings on it, within
    the document bound. Raises UsageError (see schedule.sessions.session_schedule)."""
    with _document_bound(getattr(plan, "path", "") or "sop"), _dates_in_range(plan):
        return _schedule("sessions", plan, session_id, rules, lang, today)


def campaign_schedule(plan: Document | None, campaign_id: str | None = None, *, rules: RuleSet | None = None,
                      lang: str = "zh", today: date | None = None) -> Schedule:
    """The dated SOP of one referral campaign of a plan, with the rules' findings on it."""
    with _document_bound(getattr(plan, "path", "") or "sop"), _dates_in_range(plan):
        return _schedule("campaigns", plan, campaign_id, rules, lang, today)


def adhoc_session(title: str, start: str, *, guest: str | None = None, host: str | None = None,
                  duration: int | None = None, timezone: str | None = None, community: str = "",
                  rules: RuleSet | None = None, lang: str = "zh", today: date | None = None) -> Schedule:
    """A session SOP without a plan file (title, start and optional guest, host, duration,
    timezone); its findings carry no file position, there being no file."""
    from .schedule.sessions import adhoc_plan

    with _document_bound("sop"), _dates_in_range(None, start):
        plan = adhoc_plan(title, start, guest=guest, host=host, duration=duration, timezone=timezone,
                          community=community)
        return _schedule("sessions", plan, None, rules, lang, today)


def render_schedule(schedule: Schedule, fmt: str = "md", lang: str | None = None) -> str | bytes:
    """A schedule as Markdown, HTML, ICS or JSON, within the document bound."""
    from .output.sop_document import render_schedule as render

    with _document_bound(schedule.source or "sop"):
        return render(schedule, fmt, lang)


def sop_document(plan_file: str | None, rules: RuleSet, *, session_id: str | None = None,
                 campaign_id: str | None = None, adhoc: dict[str, Any] | None = None, fmt: str = "md",
                 lang: str = "zh", today: date | None = None) -> tuple[FileResult | None, str | bytes | None]:
    """`qunce sop`: load and validate the plan, schedule the session (or the campaign), diagnose
    the plan and render, all within one bound. Without a plan file, `adhoc` holds the options of
    an ad-hoc session (title, start, guest, host, duration, timezone) and the result is None;
    with one, the text is None when the plan is not usable (the result says why)."""
    from .output.sop_document import render_schedule as render

    with _document_bound(plan_file or "sop"):
        if plan_file is None:
            options = dict(adhoc or {})
            schedule = adhoc_session(options.pop("title", ""), options.pop("start", ""), rules=rules, lang=lang,
                                     today=today, **options)
            with _dates_in_range(None, str((adhoc or {}).get("start", ""))):
                return None, render(schedule, fmt, lang)
        result, plan = _validate(plan_file, lang)
        if plan is None or not result.valid:
            return result, None
        with _dates_in_range(plan):
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
    if plan is None:  # build() raises sop-no-plan first; never left to an assert
        raise UsageError("sop-no-plan", {})
    outcome = evaluate(rules, plan.data, plan.locator, plan.path, lang=schedule.lang, today=today or date.today())
    base = dotted(schedule.path)

    def under(path: str) -> bool:
        return path == base or path.startswith(base + ".") or path.startswith(base + "[")

    schedule.findings = [f for f in outcome.findings if under(f.path)]
    if not plan.path:  # no file behind an ad-hoc session: positions would point nowhere
        schedule.findings = [replace(f, file="", line=None, column=None) for f in schedule.findings]
    schedule.engine_errors = [e for e in outcome.engine_errors if under(e.path)]
    return schedule


def starter(kind: str, lang: str = "zh") -> str:
    """The starter plan text for `qunce init --kind` (an id or a name such as 兴趣型), in Chinese
    or English, headed by a modeline pointing at the schema copy beside it (install_schema)."""
    return starter_plan({"kind": kind}, lang)


def starter_plan(answers: dict[str, Any], lang: str = "zh") -> str:
    """The wizard's answers (kind, platform, name, goal, members, mode, strategy, revenue; see
    wizard_questions) as a starter plan: kind picks the starter, each answer lands in its field,
    comments kept. Raises UsageError for an unknown kind or a choice that names nothing."""
    from .load.starter import starter_plan as build

    return build(answers, lang)


def wizard_questions(lang: str = "zh") -> list[dict[str, Any]]:
    """The wizard's questions as data (key, question, hint, options), for the CLI and the page."""
    from .load.starter import questions

    return questions(lang)


def install_schema(folder: str | Path = ".") -> Path:
    """Write (or refresh) `.qunce/plan.schema.json` in `folder`: the plan schema as editors read
    it, every fixed choice with its Chinese names, so a starter's relative modeline resolves."""
    from .load.starter import EDITOR_SCHEMA, schema_for_editors

    target = Path(folder) / EDITOR_SCHEMA
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(target, schema_for_editors(), inputs=run_inputs())
