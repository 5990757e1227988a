"""Many plans at once: the same results in the same order as one by one, spread over processes.

Rule packs compile to Jinja code objects that cannot be pickled, so each worker compiles the
packs once (inherited for free where processes fork) and only file names and results cross
process boundaries. Small batches stay in-process: starting workers costs more than it saves.
"""

from __future__ import annotations

import os
from typing import Iterator, Sequence

from .check import CheckOptions, check_file
from .report import FileResult
from .rules import RuleSet, load_rules
from .validate import validate_file

SERIAL_BELOW = 24  # files; below this a pool is slower than a loop
CHUNK = 16

_worker_rules: RuleSet | None = None
_worker_options: CheckOptions | None = None


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _init(spec: tuple | None, options: CheckOptions) -> None:
    global _worker_rules, _worker_options
    _worker_options = options
    if spec is not None and _worker_rules is None:
        extra, defaults, lang = spec
        _worker_rules = load_rules(extra, defaults=defaults, lang=lang)


def _process(path: str, rules: RuleSet | None, options: CheckOptions) -> FileResult:
    return validate_file(path, options.lang)[0] if rules is None else check_file(path, rules, options)


def _one(path: str) -> FileResult:
    assert _worker_options is not None
    return _process(path, _worker_rules, _worker_options)


def run(files: Sequence[str], options: CheckOptions, rules: RuleSet | None = None, jobs: int = 1
        ) -> Iterator[FileResult]:
    """Validate (rules=None) or check each file; yields results in input order."""
    global _worker_rules, _worker_options
    if jobs <= 1 or len(files) < SERIAL_BELOW:
        for path in files:
            yield _process(path, rules, options)
        return
    from concurrent.futures import ProcessPoolExecutor  # only batches pay for multiprocessing's import

    _worker_rules, _worker_options = rules, options  # inherited by forked workers
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init,
                                 initargs=(rules.spec if rules is not None else None, options)) as pool:
            yield from pool.map(_one, files, chunksize=CHUNK)
    finally:
        _worker_rules = _worker_options = None
