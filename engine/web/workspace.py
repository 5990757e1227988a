"""The plans the page may touch: those in the folder it was started on, drafts beside them, and
the only writes it makes (a deliberate edit per changed section, a new plan from the wizard).

A plan is named by its path relative to the root; a name that resolves outside the root, or to
something that is not a plan found there, is refused, so the page cannot be turned into a way of
reading or writing other files.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..api import discover, starter, write_atomic
from ..errors import QunceError, UsageError
from ..load.yaml import MAX_BYTES, load_plan_bytes
from ..output.edit import set_top_level

DRAFTS = Path(".qunce") / "drafts"
NEW_NAME = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff .-]{0,80}\.ya?ml$")


@dataclass
class Workspace:
    """A folder (or the folder of one plan), the plans in it, and which of them the page opened."""

    root: Path
    first: str | None = None
    opened: set[str] = field(default_factory=set)

    @classmethod
    def at(cls, target: str | Path | None) -> "Workspace":
        path = Path(target or ".").resolve()
        if path.is_dir():
            return cls(path)
        return cls(path.parent, first=path.name)

    def plans(self) -> list[str]:
        found = [str(Path(p).resolve().relative_to(self.root)) for p in discover([self.root])]
        names = [n for n in found if not Path(n).parts[0].startswith(".")]
        if self.first and self.first not in names:
            names.insert(0, self.first)
        return names

    def path(self, name: str) -> Path:
        """The file of a listed plan; anything else is a usage error."""
        if name not in self.plans():
            raise UsageError("web-unknown-plan", {"name": name})
        path = (self.root / name).resolve()
        if self.root not in path.parents:
            raise UsageError("web-unknown-plan", {"name": name})
        return path

    def open(self, name: str) -> dict[str, Any]:
        """The plan's bytes (base64: what Save must pass back as `loaded`), its text, and a draft
        left by an earlier session when it differs from the file."""
        path = self.path(name)
        data = path.read_bytes()[: MAX_BYTES + 1]
        self.opened.add(name)
        text = data.decode("utf-8-sig", errors="replace")
        draft = self._draft_file(name)
        draft_text = draft.read_text("utf-8") if draft.is_file() else None
        return {"name": name, "text": text, "loaded": base64.b64encode(data).decode(),
                "draft": draft_text if draft_text not in (None, text) else None}

    def _draft_file(self, name: str) -> Path:
        digest = hashlib.sha256(name.encode()).hexdigest()[:10]
        return self.root / DRAFTS / f"{Path(name).stem}-{digest}.yaml"

    def keep_draft(self, name: str, text: str) -> None:
        """Unsaved text kept beside the plan, so a reload or a restart offers it back."""
        self.path(name)
        if len(text.encode()) > MAX_BYTES:
            raise UsageError("web-too-large", {"name": name})
        draft = self._draft_file(name)
        draft.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(draft, text)

    def drop_draft(self, name: str) -> None:
        self._draft_file(name).unlink(missing_ok=True)

    def save(self, name: str, text: str, loaded_b64: str) -> dict[str, Any]:
        """Write the top-level sections whose meaning changed, one deliberate edit each, starting
        from the bytes the page loaded. A conflict (`edit-conflict`) or any refusal raises with
        nothing more written; the page keeps its text."""
        if name not in self.opened:
            raise UsageError("web-not-opened", {"name": name})
        path = self.path(name)
        loaded = base64.b64decode(loaded_b64.encode(), validate=True)
        before = load_plan_bytes(loaded, name).data
        after = load_plan_bytes(text.encode("utf-8"), name).data
        removed = [k for k in before if k not in after]
        if removed:
            raise UsageError("web-section-removed", {"keys": ", ".join(removed)})
        changed = [k for k in after if before.get(k, _MISSING) != after[k]]
        current = loaded
        for key in changed:
            current = set_top_level(path, key, after[key], loaded=current).after
        self.drop_draft(name)
        return {"saved": changed, "loaded": base64.b64encode(current).decode(),
                "text": current.decode("utf-8-sig")}

    def create(self, name: str, answers: dict[str, str]) -> str:
        """A new plan from the wizard: the starter of the chosen kind with the answers filled in.
        Only a file that does not exist yet is written."""
        if not NEW_NAME.match(name) or "/" in name:
            raise UsageError("web-bad-name", {"name": name})
        target = self.root / name
        if target.exists():
            raise UsageError("web-exists", {"name": name})
        text = fill_starter(starter(answers.get("kind") or "interest"), answers)
        write_atomic(target, text, force=False)
        return name


_MISSING = object()
WIZARD_FIELDS = {"goal": "positioning", "mode": "positioning", "strategy": "positioning",
                 "revenue_model": "positioning", "members": "positioning.audience.portrait",
                 "platform": "structure"}


def fill_starter(text: str, answers: dict[str, str]) -> str:
    """The answers written into the starter's own lines (its comments stay): each answer is a
    JSON-quoted scalar, which YAML reads back as exactly that text."""
    import json

    for key, section in WIZARD_FIELDS.items():
        value = (answers.get(key) or "").strip()
        if not value:
            continue
        if key == "platform" and not re.fullmatch(r"[a-z_]{1,40}", value):
            raise UsageError("web-bad-choice", {"field": key})
        field_name = section.split(".")[-1] if "." in section else key
        quoted = value if key == "platform" else json.dumps(value, ensure_ascii=False)
        pattern = re.compile(rf"^(\s+{re.escape(field_name)}:)[^\n#]*?(\s*#.*)?$", re.M)
        text, n = pattern.subn(lambda m: f"{m.group(1)} {quoted}{m.group(2) or ''}", text, count=1)
        if n == 0:
            raise UsageError("web-starter-field", {"field": field_name})
    load_plan_bytes(text.encode("utf-8"), "starter")  # still a plan, or QunceError
    return text


__all__ = ["Workspace", "fill_starter", "QunceError"]
