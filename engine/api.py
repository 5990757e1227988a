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
from .load.yaml import load_plan
from .model.domain import KINDS
from .model.plan import Document, dotted
from .model.report import FileResult, Problem, Report, health, risk
from .model.schedule import Schedule
from .output.write import write_atomic
from .rules.evaluate import evaluate, ignore_list
from .rules.reading import completeness
from .rules.scoring import scoring
from .rules.pack import RuleSet, load_rules
from .run.limits import FILE_SECONDS, RENDER_SECONDS, TimeLimitExceeded, seconds, time_limit

__all__ = ["CheckOptions", "load", "load_rules", "validate_file", "check_file", "check_document", "iter_results",
           "check_paths", "render_plan", "render_plan_file", "session_schedule", "campaign_schedule",
           "adhoc_session", "render_schedule", "sop_document", "starter", "discover", "schema_path", "write_atomic",
           "run_inputs", "observe", "write_observed", "sidecar_path", "forget"]


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
        plans = [p for p in discover(paths) if p in map(str, paths) or not p.endswith(SIDECAR)]
        yield from run(plans, _worker_one, jobs=jobs, init=_worker_init,
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


def _validate(path: str, lang: str) -> tuple[FileResult, Document | None]:
    result = FileResult(path)
    try:
        plan = load_plan(path)
    except QunceError as err:
        result.errors.append(Problem(err.code, err.message(lang), err.file or path, err.line, err.column))
        result.load_failed = True
        return result, None
    result.notices = [Problem(n.code, t(n.code, lang, **n.params), path, n.line, n.column,
                              severity="notice")
                      for n in plan.notices]
    _merge_sidecar(plan, result, lang)
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
    weights = scoring(plan.data, result.findings, rules.facts)
    result.risk = risk(result.findings, weights)
    result.health = health(result.findings, weights)
    result.reassured = sorted(weights.reassured)
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


def starter(kind: str) -> str:
    """The starter plan text for `qunce init`, headed by a modeline so YAML editors complete it."""
    if kind not in KINDS:
        raise UsageError("unknown-kind", {"kind": kind, "choices": ", ".join(KINDS)})
    body = package_data("output_templates", "starters", f"{kind}.yaml").read_text("utf-8")
    uri = schema_path().resolve().as_uri()
    return f"# yaml-language-server: $schema={uri}\n{body}"


SIDECAR = ".observed.yaml"  # `qunce observe --sidecar` writes club.observed.yaml beside club.yaml


def sidecar_path(plan: str | Path) -> Path:
    """`club.yaml` -> `club.observed.yaml`: the figures `qunce observe --sidecar` writes beside it."""
    return Path(plan).with_name(Path(plan).name.rsplit(".", 1)[0] + SIDECAR)


def _merge_sidecar(plan: Document, result: FileResult, lang: str) -> None:
    """Sidecar figures over the plan's own `observed:` (YAML only: check never opens the store),
    with a notice saying which figures came from where."""
    side = sidecar_path(plan.path) if plan.path else None
    if side is None or not side.is_file() or str(plan.path).endswith(SIDECAR):
        return
    data = load_plan(side).data
    extra = data.get("observed") if isinstance(data, dict) else None
    if not isinstance(extra, dict):
        return
    own = plan.data.get("observed") if isinstance(plan.data.get("observed"), dict) else {}
    plan.data["observed"], kept = {**own, **extra}, ", ".join(sorted(k for k in own if k not in extra)) or "-"
    message = t("observed-sidecar", lang, file=side.name, n=len(extra), keys=", ".join(sorted(extra)), own=kept)
    result.notices.append(Problem("observed-sidecar", message, plan.path, 1, 1, "observed", severity="notice"))


def observe(exports: Iterable[str], *, plan: str | None = None, group: str | None = None, fmt: str | None = None,
            tz: str | None = None, as_of: date | None = None, anonymize: bool = False, keep_text: bool = False,
            topics: Iterable[str] = (), progress: Any = None, store: str | None = None) -> Any:
    """`qunce observe`: exports into the store beside the plan (or in `store`), figures per group and for
    the community, as an Observation (see evidence.observe). Exports stream: no time bound here."""
    from .evidence.observe import observe_files

    return observe_files(list(exports), plan=plan, group=group, fmt=fmt, tz=tz, as_of=as_of, anonymize=anonymize,
                         keep_text=keep_text, topics=topics, progress=progress, store=store,
                         facts=load_rules().facts, sidecar=sidecar_path(plan) if plan else None)


def write_observed(plan: str, observation: Any, *, sidecar: bool = False, dry_run: bool = False) -> Any:
    """Write the observed block into the plan (the one deliberate edit) or its sidecar; an Edit."""
    from .evidence.observe import write_back
    return write_back(plan, observation, sidecar_path(plan) if sidecar else None, dry_run=dry_run)


def forget(plan: str | None = None, store: str | None = None) -> list[Path]:
    """`qunce observe --forget`: delete the store and its salt beside the plan; what went."""
    from .evidence.store import EvidenceStore

    return EvidenceStore.open(plan or store or ".", create=False).forget()
