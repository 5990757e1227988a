"""Words the schedule code itself writes into task texts and checklists (the rest of a task's text
comes from the playbook, playbooks/sop.yaml, which keeps its own zh/en fields as data).

Durations take plural forms in English ("1 day", "2 days"); Chinese has one form.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, Any]] = {
    "schedule:this-group": {"zh": "本群", "en": "this group"},
    "schedule:days": {"zh": "{n}天", "en": {"one": "{n} day", "other": "{n} days"}},
    "schedule:hours": {"zh": "{n}小时", "en": {"one": "{n} hour", "other": "{n} hours"}},
    "schedule:minutes": {"zh": "{n}分钟", "en": {"one": "{n} minute", "other": "{n} minutes"}},
    "schedule:lead": {"zh": "提前{span}", "en": "{span} before"},
    "schedule:countdown": {"zh": "{span}后", "en": "in {span}"},
    "schedule:names-sep": {"zh": "、", "en": ", "},
    "schedule:groups-detail": {"zh": "已备 {ready} 个，需要 {need} 个", "en": "{ready} ready, {need} needed"},
    "schedule:unknown-count": {"zh": "?", "en": "?"},
}
