"""Validate and check plans: one file, text held in memory, or many files over processes; each
plan inside the file time bound."""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import QunceError
from ..i18n import LANGS
from ..load.files import Identity, discover, identities, package_data
from ..load.schema import validate_plan
from ..load.yaml import load_plan, plan_from_bytes
from ..model.plan import Document
from ..model.report import FileResult, Problem, Report, first_sin, health, risk
from ..rules.evaluate import evaluate, ignore_list
from ..rules.reading import completeness
from ..rules.scoring import scoring
from ..rules.pack import RuleSet, load_rules
from ..run.limits import FILE_SECONDS, BoundExceeded, bounded, seconds


@dataclass
class CheckOptions:
    """How to check. `lang` is only the language a Report built from the results is read in:
    results keep codes, parameters and every language's texts, so a check (or a worker in the
    pool) never needs it."""

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
    from ..rules.pack import pack_files

    found: list[str | Path] = [*discover(paths), *pack_files(rule_paths)]
    found += [package_data(d) for d in ("playbooks", "output_templates", "schemas")]
    if templates_dir is not None:
        found.append(templates_dir)
    return identities(found)


# ---- validate and check ------------------------------------------------------------------------


def validate_file(path: str) -> tuple[FileResult, Document | None]:
    """Load and validate one file within the time bound; never raises for a bad plan."""
    try:
        return bounded(_validate, path, limit=seconds(FILE_SECONDS), what=path, untrusted=False)
    except BoundExceeded as err:
        return _timed_out(path, err), None


def check_file(path: str, rules: RuleSet, options: CheckOptions | None = None) -> FileResult:
    """One plan: an invalid plan gets its validation errors and no diagnosis."""
    return _bounded_check(path, rules, options, keep_plan=False)


def check_text(data: bytes, name: str, rules: RuleSet, options: CheckOptions | None = None, *,
               sidecar: bool = True) -> tuple[FileResult, Document | None]:
    """check_document for a plan held in memory (the page's unsaved text), under the same bound.
    `sidecar=False` ignores the figures file beside `name` (the text already holds the figures)."""
    return _bounded_check(name, rules, options, keep_plan=True, data=data, sidecar=sidecar)


def check_document(path: str, rules: RuleSet, options: CheckOptions | None = None
                   ) -> tuple[FileResult, Document | None]:
    """The result and the loaded plan (None when it could not be loaded), for callers that go on
    to render it. A plan (or a user's rule) that takes longer than the file bound is reported as
    such, not waited for."""
    return _bounded_check(path, rules, options, keep_plan=True)


def _bounded_check(path: str, rules: RuleSet, options: CheckOptions | None, keep_plan: bool,
                   data: bytes | None = None, sidecar: bool = True) -> Any:
    """`_check` within the file bound; without keep_plan a worker sends back the result only."""
    options = options or CheckOptions()
    try:
        return bounded(lambda: _check(path, rules, options, data, sidecar) if keep_plan
                       else _check(path, rules, options, data, sidecar)[0],
                       limit=seconds(FILE_SECONDS), what=path, untrusted=untrusted(rules))
    except BoundExceeded as err:
        return (_timed_out(path, err), None) if keep_plan else _timed_out(path, err)


def untrusted(rules: RuleSet | None, templates_dir: str | Path | None = None) -> bool:
    """Whether a call runs someone else's code: rule packs given by path, or a template folder.
    The bundled playbook and templates are part of qunce and are trusted."""
    if rules is not None and rules.spec[0]:
        _warm(rules)
        return True
    return templates_dir is not None


def _warm(rules: RuleSet) -> None:
    """Build once, in the parent, what every worker would build again for each file: each rule's
    message templates (in every language), the compiled plan schema, the sop_* filters' module."""
    from ..load.schema import fast_check
    from ..schedule import filters  # noqa: F401

    if not getattr(rules, "warm", False):
        fast_check()
        for rule in rules.rules:
            for lang in LANGS:
                rule.message_template(lang)
        rules.warm = True  # type: ignore[attr-defined]


def iter_results(paths: Iterable[str | Path], rules: RuleSet | None, options: CheckOptions | None = None, *,
                 jobs: int = 1) -> Iterator[FileResult]:
    """Check (or, with rules=None, only validate) every plan under `paths`, yielding results in a
    stable order as they are ready, so callers can stream them instead of holding them all."""
    from ..run.batch import run

    global _worker
    options = options or CheckOptions()
    _worker = (rules, options)  # inherited by forked workers; spawned ones rebuild it in _worker_init
    try:
        plans = [p for p in discover(paths) if p in map(str, paths) or not p.endswith(SIDECAR)]
        with fewer_collections():
            yield from run(plans, _worker_one, jobs=jobs, init=_worker_init,
                           initargs=(rules.spec if rules is not None else None, options))
    finally:
        _worker = None


GC_YOUNG = 20000  # container allocations between two young collections while a batch runs (CPython: 700)
_gc_lock = threading.Lock()
_gc_users = [0, None]  # batches running in this process, and the thresholds to restore after the last


@contextmanager
def fewer_collections() -> Iterator[None]:
    """A batch allocates a plan's whole node tree and data, keeps it, and drops it: with CPython's
    default thresholds the collector ran thousands of young and dozens of full passes over trees
    that hold no cycles, a sixth of a `check`. Inside this block young collections run about
    thirty times less often (memory is unaffected: nothing here is garbage until the plan is done,
    and reference counting frees it then); the previous thresholds come back when the last batch
    running in this process ends. Forked workers inherit the setting."""
    with _gc_lock:
        if _gc_users[0] == 0:
            _gc_users[1] = gc.get_threshold()
            first = _gc_users[1]
            if first[0]:  # 0: automatic collection is off, and stays off
                gc.set_threshold(max(first[0], GC_YOUNG), *first[1:])
        _gc_users[0] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users[0] -= 1
            if _gc_users[0] == 0:
                gc.set_threshold(*_gc_users[1])


def check_paths(paths: Iterable[str | Path], rules: RuleSet | None, options: CheckOptions | None = None, *,
                jobs: int = 1) -> Report:
    """The whole run as one Report (for library callers and tests)."""
    options = options or CheckOptions()
    return Report(list(iter_results(paths, rules, options, jobs=jobs)), lang=options.lang)


_worker: tuple[RuleSet | None, CheckOptions] | None = None


def _worker_init(spec: tuple | None, options: CheckOptions) -> None:
    global _worker
    if _worker is None:
        _worker = (load_rules(spec[0], defaults=spec[1]) if spec is not None else None, options)


def _worker_one(path: str) -> FileResult:
    if _worker is None:
        raise RuntimeError("worker used before _worker_init")
    rules, options = _worker
    return validate_file(path)[0] if rules is None else check_file(path, rules, options)


def _timed_out(path: str, err: QunceError) -> FileResult:
    """The result for a file whose processing ran past its time bound: unreadable, exit 2."""
    result = FileResult(path, load_failed=True)
    result.errors.append(Problem(err.code, err.params, err.file or path, err.line, err.column))
    return result


def _validate(path: str, data: bytes | None = None, sidecar: bool = True) -> tuple[FileResult, Document | None]:
    result = FileResult(path)
    try:
        plan = load_plan(path) if data is None else plan_from_bytes(data, path)
    except QunceError as err:
        result.errors.append(Problem(err.code, err.params, err.file or path, err.line, err.column))
        result.load_failed = True
        return result, None
    result.notices = [Problem(n.code, n.params, path, n.line, n.column, severity="notice")
                      for n in plan.notices]
    if sidecar:
        _merge_sidecar(plan, result)
    result.errors = validate_plan(plan)
    community = plan.data.get("community")
    if isinstance(community, dict) and isinstance(community.get("name"), str):
        result.name = community["name"]
    return result, plan


def _check(path: str, rules: RuleSet, options: CheckOptions, data: bytes | None = None, sidecar: bool = True
           ) -> tuple[FileResult, Document | None]:
    result, plan = _validate(path, data, sidecar)
    if plan is None or not result.valid:
        return result, plan
    outcome = evaluate(rules, plan.data, plan.locator, path, today=options.today, ignore=options.ignore)
    result.checked = True
    result.findings = outcome.findings
    result.suppressed = outcome.suppressed
    result.engine_errors = outcome.engine_errors
    for rid, _ in ignore_list(plan.data):
        if rules.get(rid) is None:
            line, col = plan.locator.value(("check", "ignore"))
            result.notices.append(Problem("unknown-ignore", {"id": rid}, path, line, col, "check.ignore",
                                          severity="notice"))
    weights = scoring(plan.data, result.findings, rules.facts)
    result.risk = risk(result.findings, weights)
    result.health = health(result.findings, weights)
    result.reassured = sorted(weights.reassured)
    result.first_sin = first_sin(result.risk, weights.lead_min(result.health))
    result.completeness, result.open = completeness(plan.data, rules.facts)
    return result, plan


SIDECAR = ".observed.yaml"  # `qunce observe --sidecar` writes club.observed.yaml beside club.yaml


def sidecar_path(plan: str | Path) -> Path:
    """`club.yaml` -> `club.observed.yaml`: the figures `qunce observe --sidecar` writes beside it."""
    return Path(plan).with_name(Path(plan).name.rsplit(".", 1)[0] + SIDECAR)


def _merge_sidecar(plan: Document, result: FileResult) -> None:
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
    params = {"file": side.name, "n": len(extra), "keys": ", ".join(sorted(extra)), "own": kept}
    result.notices.append(Problem("observed-sidecar", params, plan.path, 1, 1, "observed", severity="notice"))
