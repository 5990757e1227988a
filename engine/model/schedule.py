"""A schedule as data: dated tasks of a sharing session (DOMAIN §8) or a referral campaign (§9),
and the JSON contract (`qunce sop --format json`, version 1) they serialise to.

The schedule engine (engine.schedule) builds these records; engine.api attaches the rules'
findings; documents (Markdown, HTML, ICS) only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .report import Finding, Problem

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Task:
    """One dated thing to do: which step, when (aware, community time zone), who, what, what to paste."""

    step: int
    key: str
    at: datetime
    owner: str
    title: str
    message: str | None
    phase: str = ""
    end: datetime | None = None  # set for tasks that last (floor control runs until the end)
    to: str = "team"  # who the message is for: group, guest, channels, team
    role: str = ""  # the role the owner was resolved from (host, admin, event_planner...)

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "key": self.key, "at": self.at.isoformat(),
                "end": self.end.isoformat() if self.end else None, "owner": self.owner, "role": self.role,
                "title": self.title, "message": self.message, "phase": self.phase, "to": self.to}


@dataclass
class Schedule:
    """A session's or a campaign's SOP: tasks in time order plus what a renderer needs around them."""

    kind: str  # "session" | "campaign"
    id: str
    title: str
    timezone: str
    tasks: list[Task]
    findings: list[Finding] = field(default_factory=list)
    community: str = ""
    lang: str = "zh"
    start: datetime | None = None
    end: datetime | None = None
    details: dict[str, Any] = field(default_factory=dict)  # guest, host, group, perks / goal, reward...
    steps: dict[int, str] = field(default_factory=dict)  # step number -> its name in `lang`
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # poster/scripts/checklist/funnel/audiences
    poster: dict[str, bool] | None = None
    scripts: dict[str, str | None] | None = None
    checklist: list[dict[str, Any]] | None = None
    funnel: dict[str, Any] | None = None
    engine_errors: list[Problem] = field(default_factory=list)
    source: str = ""  # the plan file, or "" for an ad-hoc session
    event_minutes: int = 15  # calendar length of a task without its own end (facts.sop.event_minutes)
    alarm_minutes: int = 15  # the calendar reminder fires this long before a task (facts.sop.alarm_minutes)
    path: tuple = ()  # the item's plan path, e.g. ("sessions", 1): where its findings live

    def uid(self, task: Task) -> str:
        """A calendar UID that stays the same across runs, so re-importing updates the events."""
        import hashlib  # only calendars need it; importing OpenSSL would cost every `check` 15 ms

        raw = "\x1f".join((self.community, self.kind, self.id, task.key))
        return f"{hashlib.sha256(raw.encode('utf-8')).hexdigest()[:32]}@qunce"

    @property
    def stamp(self) -> datetime:
        """A DTSTAMP taken from the plan (the start, in UTC), never the wall clock: output is reproducible."""
        moment = self.start or (self.tasks[0].at if self.tasks else datetime(2000, 1, 1, tzinfo=timezone.utc))
        return moment.astimezone(timezone.utc)

    def to_dict(self) -> dict[str, Any]:
        """The `--format json` contract, version 1."""
        out: dict[str, Any] = {"version": FORMAT_VERSION, self.kind: self.id, "title": self.title,
                               "timezone": self.timezone,
                               "start": self.start.isoformat() if self.start else None,
                               "end": self.end.isoformat() if self.end else None,
                               "tasks": [t.to_dict() for t in self.tasks]}
        if self.kind == "campaign":
            out.update({"poster": dict(self.poster or {}), "scripts": dict(self.scripts or {}),
                        "checklist": [dict(c) for c in self.checklist or []], "funnel": self.funnel})
        out["findings"] = [f.to_dict(self.lang) for f in self.findings]
        return out


__all__ = ["Task", "Schedule", "FORMAT_VERSION"]
