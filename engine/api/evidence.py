"""`qunce observe`: chat exports into the evidence store, figures back into the plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Iterable

from ..rules.pack import load_rules
from .checking import sidecar_path


def observe(exports: Iterable[str], *, plan: str | None = None, group: str | None = None, fmt: str | None = None,
            tz: str | None = None, as_of: date | None = None, anonymize: bool = False, keep_text: bool = False,
            topics: Iterable[str] = (), progress: Any = None, store: str | None = None,
            date_order: str | None = None) -> Any:
    """`qunce observe`: exports into the store beside the plan (or in `store`), figures per group and for
    the community, as an Observation (see evidence.observe). Exports stream: no time bound here.
    `date_order` (dmy, mdy or ymd: model.domain.DATE_ORDERS) reads culture-formatted dates such as 03/04/2026 (Discord CSV)
    where the export alone cannot tell day from month. `progress(rows, added, meter)` is called
    after each stored batch; `meter.done()` of `meter.total` bytes are read (a progress bar)."""
    from ..evidence.observe import observe_files

    return observe_files(list(exports), plan=plan, group=group, fmt=fmt, tz=tz, as_of=as_of, anonymize=anonymize,
                         keep_text=keep_text, topics=topics, progress=progress, store=store,
                         facts=load_rules().facts, sidecar=sidecar_path(plan) if plan else None,
                         date_order=date_order)


def write_observed(plan: str, observation: Any, *, sidecar: bool = False, dry_run: bool = False) -> Any:
    """Write the observed block into the plan (the one deliberate edit) or its sidecar; an Edit."""
    from ..evidence.observe import write_back
    return write_back(plan, observation, sidecar_path(plan) if sidecar else None, dry_run=dry_run)


def forget(plan: str | None = None, store: str | None = None) -> list[Path]:
    """`qunce observe --forget`: delete the store and its salt beside the plan; what went."""
    from ..evidence.store import EvidenceStore

    return EvidenceStore.open(plan or store or ".", create=False).forget()


def evidence_report(observation: Any, *, plan: str | None = None, store: str | None = None, fmt: str = "html",
                    lang: str = "zh", anonymized: bool = False, today: date | None = None) -> str:
    """`qunce observe --report`: the evidence report of one observe run as HTML or Markdown.

    The sins are the plan's diagnosis with this run's figures in its `observed:` block, held in
    memory (nothing is written here, so --dry-run and --sidecar stay true), keeping the findings
    whose basis is `observed`; without a plan, a minimal plan holding only the figures. The weekly
    history and the unanswered questions are read from the store the run filled. Rendering runs
    within the document bound; the diagnosis within the file bound (check_text)."""
    from ..evidence.observe import FROM_WINDOW, SHARES
    from ..evidence.series import collect
    from ..evidence.store import EvidenceStore
    from ..output.formats import REPORT_FORMATS
    from ..views.evidence import build_evidence_view
    from ..run.limits import RENDER_SECONDS, bounded, seconds

    as_of = date.fromisoformat(str(observation.observed["as_of"]))
    tz = observation.metrics.get("tz") or "Asia/Shanghai"
    roles = observation.roles or {}
    members = [m for r in (roles.get("roles") or {}).values() for m in (r.get("members") or [])]
    with EvidenceStore.open(plan or store or ".", create=False) as opened:
        series = collect(opened, as_of, tz=tz, role_members=members)
    result, name = _diagnose(observation, plan, lang)
    data = {
        "name": name, "tz": tz, "rows_read": observation.rows_read, "anonymized": anonymized, "has_plan": bool(plan),
        "generated": (today or date.today()).isoformat(), "observed": observation.observed,
        "groups": observation.groups, "weekly": series["weekly"], "cohorts": observation.metrics.get("cohorts") or [],
        "roles": roles, "names": series["names"], "unanswered": series["unanswered"],
        "findings": [f for f in (result.findings if result is not None else []) if f.basis == "observed"],
        "windows": {key: days for key, (days, _) in FROM_WINDOW.items()} | {"dau_mau": 30},
        "shares": SHARES,
    }
    spec = REPORT_FORMATS.get(fmt) or REPORT_FORMATS["html"]
    view = build_evidence_view(data, lang=lang)
    return bounded(spec.render(), view, fmt=spec.name, limit=seconds(RENDER_SECONDS), what=plan or "report",
                   untrusted=False)


def _diagnose(observation: Any, plan: str | None, lang: str) -> tuple[Any, str | None]:
    """The plan checked with this run's figures in place of its own (in memory); its name."""
    import yaml

    from ..load.yaml import load_plan_bytes
    from .checking import CheckOptions, check_text

    if plan:
        data = dict(load_plan_bytes(observation.loaded, plan).data or {})
    else:
        data = {"version": 1, "community": {"name": "-"}}
    data["observed"] = observation.observed
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    result, _ = check_text(text, plan or "observed.yaml", load_rules(), CheckOptions(lang=lang), sidecar=False)
    community = data.get("community") if isinstance(data.get("community"), dict) else {}
    return result, community.get("name") if plan and isinstance(community.get("name"), str) else None


def write_report(target: str, text: str, *, exports: Iterable[str], plan: str | None = None,
                 store: str | None = None) -> Path:
    """The report written atomically, refused when it would land on anything the run read: an
    export, the plan, its sidecar, the evidence store, qunce's own data."""
    from ..evidence.store import STORE_DIR
    from ..load.files import identities
    from ..output.write import write_atomic
    from .checking import run_inputs

    base = Path(plan).parent if plan else Path(store or ".")
    read = [*exports, base / STORE_DIR] + ([sidecar_path(plan)] if plan and sidecar_path(plan).exists() else [])
    inputs = run_inputs([plan] if plan else []) + identities(p for p in read if Path(p).exists())
    return write_atomic(target, text, inputs=inputs)
