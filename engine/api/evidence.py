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
    `date_order` (dmy, mdy or ymd: readers.discord.DATE_ORDERS) reads culture-formatted dates such as 03/04/2026 (Discord CSV)
    where the export alone cannot tell day from month."""
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
