"""The one way qunce writes over a plan: a deliberate edit of one part of it (`qunce observe
--plan` writes the `observed:` block; the local page's Save writes what the form changed).

The contract (shared/DECISIONS.md): the file is read again and the edit refused when it changed
since it was loaded (another editor, another tab: nothing is lost); the YAML is edited as a
round trip (ruamel.yaml, indentation detected from the file) so comments, blank lines, key order
and every byte outside the edited part stay as they were, and that is checked, not hoped; the
result is loaded again with qunce's own loader (YAML 1.1, where `no` and `20:00` mean other
things than in ruamel's YAML 1.2) and must give exactly the intended data; the write is atomic
and keeps the file's permissions. Any failed check refuses the edit with a reason.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..load.files import read_regular
from ..load.yaml import MAX_BYTES, load_plan_bytes

# What YAML 1.1 reads as something other than text when written plain (qunce's loader is 1.1).
_YAML11_SPECIAL = re.compile(
    r"""^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
    |~|null|Null|NULL|[-+]?(?:0|[1-9][0-9_]*)(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+
    |[-+]?0b[01_]+|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?|=|<<)$""", re.X)


@dataclass
class Edit:
    """What an edit did (or would do, with dry_run): the new bytes and a unified diff."""

    path: str
    before: bytes
    after: bytes

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        old = self.before.decode("utf-8-sig").splitlines(keepends=True)
        new = self.after.decode("utf-8-sig").splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, self.path, self.path))


def _refuse(path: str, reason: str, **params: Any) -> OutputError:
    return OutputError(reason, params, file=path)


def _quoted(value: Any) -> Any:
    """Text that YAML 1.1 would read as a number, a date or a boolean, double-quoted."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str):
        return DoubleQuotedScalarString(value) if (_YAML11_SPECIAL.match(value) or value != value.strip()) else value
    if isinstance(value, dict):
        return {k: _quoted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_quoted(v) for v in value]
    return value


_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (3, 3, 0), (2, 3, 1))


def _plain_yaml(mapping: int, sequence: int, dash: int) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=mapping, sequence=sequence, offset=dash)
    return yaml


def _yaml(text: str) -> Any:
    """A round-trip YAML configured from the file itself: the indentation (mapping, sequence,
    dash offset) under which the unchanged document dumps back byte-identical, else the layout
    of this project's plans."""
    from ruamel.yaml.util import load_yaml_guess_indent

    try:
        _, guess, offset = load_yaml_guess_indent(text)
    except Exception:  # text ruamel cannot read (qunce's loader already accepted it)
        return _plain_yaml(*_LAYOUTS[0])
    layouts = list(_LAYOUTS)
    if guess:
        layouts.insert(0, (guess, max(guess, (offset or 0) + 2), offset or 0))
    for layout in layouts:
        yaml = _plain_yaml(*layout)
        out = io.StringIO()
        try:
            yaml.dump(yaml.load(text), out)
        except Exception:
            break
        if out.getvalue() in (text, text + "\n"):
            return yaml
    return _plain_yaml(*_LAYOUTS[0])


def _top_block(text: str, key: str) -> tuple[int, int] | None:
    """The line span [start, end) of a top-level key's block, comments directly above the next
    key excluded; None when the key is not there."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(rf"{re.escape(key)}\s*:", line)), None)
    if start is None:
        return None
    end = len(lines)
    for i in range(start + 1, len(lines)):
        if lines[i] and not lines[i][0].isspace() and not lines[i].startswith("#"):
            end = i
            break
    while end > start + 1 and (lines[end - 1].startswith("#") or not lines[end - 1].strip()):
        end -= 1
    return start, end


def set_top_level(path: str | Path, key: str, value: Any, *, loaded: bytes, dry_run: bool = False) -> Edit:
    """Set (or add) one top-level section of a plan, e.g. `observed`, to `value`.

    The section's lines are replaced by the new section, rendered by ruamel.yaml in the file's own
    indentation (an inline comment on the key line kept); every other line stays byte for byte.
    `loaded` is the file's bytes as the caller read them before deciding the edit: a file that
    differs now is a conflict (`edit-conflict`), refused with nothing written."""
    name = str(path)
    current = read_regular(path, MAX_BYTES, OutputError)
    if current != loaded:
        raise _refuse(name, "edit-conflict")
    bom = current.startswith(b"\xef\xbb\xbf")
    try:
        text = current[3 if bom else 0:].decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(name, "edit-not-utf8") from None
    original = load_plan_bytes(current, name).data
    crlf = "\r\n" in text
    plain = text.replace("\r\n", "\n")
    lines = plain.splitlines(keepends=True)
    block = _render(plain, key, value).splitlines(keepends=True)
    span = _top_block(plain, key)
    if span is None:
        head = lines[:]
        if head and not head[-1].endswith("\n"):
            head[-1] += "\n"
        if head and head[-1].strip():
            head.append("\n")
        new_lines = head + block
    else:
        first = lines[span[0]].rstrip("\n")
        if re.fullmatch(rf"{re.escape(key)}:\s+#.*", first) and block and block[0].rstrip("\n") == f"{key}:":
            block[0] = first + "\n"  # the key line as the operator wrote it, comment and all
        if span[1] == len(lines) and not lines[-1].endswith("\n"):
            block[-1] = block[-1].rstrip("\n")
        new_lines = lines[:span[0]] + block + lines[span[1]:]
    new_text = "".join(new_lines)
    if crlf:
        new_text = new_text.replace("\n", "\r\n")
    after = (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8")
    intended = dict(original)
    intended[key] = value
    if load_plan_bytes(after, name).data != intended:
        raise _refuse(name, "edit-meaning-changed", key=key)
    edit = Edit(name, current, after)
    if not dry_run and edit.changed:
        from .write import write_atomic

        write_atomic(path, after)
    return edit


def _render(text: str, key: str, value: Any) -> str:
    """`key: value` as YAML in the file's own indentation."""
    out = io.StringIO()
    _yaml(text).dump({key: _quoted(value)}, out)
    return out.getvalue()


__all__ = ["Edit", "set_top_level"]
