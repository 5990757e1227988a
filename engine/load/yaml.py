"""Bytes to plan data, keeping the line and column of every node.

PyYAML's constructor throws the marks away and silently keeps the last of two duplicate keys,
so we compose the node tree ourselves and build plain data (dict/list/str/int/float/bool/None)
while recording where each value stood. Everything a user file can do to hurt us (size, alias
bombs, recursion, odd encodings) is bounded here, before any other stage sees the data.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from pathlib import Path
from typing import Any

import yaml

from ..errors import PlanLoadError
from .files import read_regular
from .schema import normalise_choices
from ..i18n import Key
from ..model.plan import Comment, Document, Locator, Notice, Plan, PlanPath, Scalar, dotted

try:  # libyaml's C parser is several times faster; the pure-Python one behaves the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024  # a plan is a few KiB; 2 MiB leaves room for huge group matrices
MAX_NODES = 200_000  # nodes produced after alias expansion (billion-laughs stops here)
MAX_DEPTH = 64  # nesting depth; also stops recursive aliases
MAX_SCALAR = 100_000  # characters in one scalar
MAX_NUMBER = 2**53  # beyond it a number loses precision in JSON and overflows floats in the rules
MAX_COMMENT = 200  # characters of one comment kept: enough to quote it in a message
MAX_COMMENTS = 5_000  # comments kept per plan; a real plan has a few dozen

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"

_constructor = yaml.constructor.SafeConstructor()


def load_plan(path: str | Path) -> Plan:
    """Read and parse one plan file; raises PlanLoadError with a location on any problem.

    Only a regular file is read, and never more than MAX_BYTES + 1 bytes (load.files). Fixed
    choices written by their names (兴趣型, 微信群) come back as their ids (load.choices)."""
    return plan_from_bytes(read_regular(path, MAX_BYTES), str(path))


def plan_from_bytes(data: bytes, name: str = "<stdin>") -> Plan:
    """A plan from bytes (the page's editor, a pipe): parsed, then its fixed choices normalised
    to ids before anything validates or reads them. Rule packs use load_plan_bytes alone."""
    doc = load_plan_bytes(data, name)
    normalise_choices(doc)
    return doc


def load_plan_bytes(data: bytes, name: str = "<stdin>") -> Plan:
    """Parse plan bytes; the name is used in locations only."""
    if len(data) > MAX_BYTES:
        raise PlanLoadError("too-large", {"size": len(data), "limit": MAX_BYTES}, file=name)
    text, encoding, notices = decode(data, name)
    if not text.strip() or _only_comments(text):
        raise PlanLoadError("empty", {}, file=name, line=1, column=1)
    node = _compose(text, name)
    builder = _Builder(name)
    try:
        value = builder.build(node, ())
    except RecursionError:
        raise PlanLoadError("too-deep", {"limit": MAX_DEPTH}, file=name) from None
    if not isinstance(value, dict):
        line, col = _mark(node)
        got = {list: "array", str: "string", int: "integer", float: "number", bool: "boolean"}.get(type(value), "null")
        raise PlanLoadError("not-mapping", {"got": Key(f"type:{got}")}, file=name, line=line, column=col)
    builder.locator.comments = comments(text, builder.spans, builder.locator)
    return Document(name, value, builder.locator, encoding, notices + builder.notices)


def decode(data: bytes, name: str) -> tuple[str, str, list[Notice]]:
    """Decode deliberately: UTF-8 (BOM or not), else GB18030 when it is clearly Chinese text."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                     (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom) and not (enc == "UTF-16" and data.startswith(codecs.BOM_UTF32_LE)):
            raise PlanLoadError("unsupported-encoding", {"encoding": enc}, file=name, line=1, column=1)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise PlanLoadError("binary", {}, file=name, line=line, column=1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = None
        if text is None or not _looks_chinese(text):
            line = data[: e.start].count(b"\n") + 1
            col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
            raise PlanLoadError("unknown-encoding", {"offset": e.start}, file=name, line=line, column=col) from None
        _check_controls(text, name)
        return text, "gb18030", [Notice("decoded-gb18030", {})]
    _check_controls(text, name)
    return text, "utf-8", []


def _looks_chinese(text: str) -> bool:
    """A GB18030 decode of random or Latin-1 bytes yields rare characters; real GBK text is CJK."""
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not non_ascii:
        return False
    cjk = sum(1 for c in non_ascii if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
              or "\uff00" <= c <= "\uffef" or c in "“”‘’…—·")
    return cjk / len(non_ascii) >= 0.9


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _check_controls(text: str, name: str) -> None:
    """C0 control characters other than tab/newline mean a binary file (YAML refuses them too)."""
    found = _CONTROL.search(text)
    if found:
        i = found.start()
        line = text.count("\n", 0, i) + 1
        raise PlanLoadError("binary", {}, file=name, line=line, column=i - text.rfind("\n", 0, i))


def _only_comments(text: str) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith("#") or ln.strip() in ("---", "...")
               for ln in text.splitlines())


_QUOTED_OR_BLOCK = frozenset("'\"|>")  # scalar styles whose text may hold " #" that is no comment


def comments(text: str, spans: list[tuple[tuple[int, int], tuple[int, int]]], locator: Locator) -> list[Comment]:
    """The comments of a plan with their line and the path they sit at: PyYAML drops comments, so
    a `#` at a line's start or after a blank counts unless it lies inside a quoted or block scalar
    (`spans`, 0-based (line, column) pairs). An inline comment belongs to the first value on its
    line; a comment on its own line to the last key above it that is less indented ("" when none).
    The comments are found first and only their lines are placed, so a long plan with a few
    comments costs a scan of its text; at most MAX_COMMENTS are kept."""
    if "#" not in text:
        return []
    spans = sorted(spans)
    starts = [start for start, _ in spans]
    marks: list[tuple[int, int, str]] = []  # (line, column, the line) of each comment, 0-based
    for line_no, line in enumerate(text.splitlines()):
        col = line.find("#")
        while col >= 0:
            if col == 0 or line[col - 1] in " \t":
                i = bisect_right(starts, (line_no, col)) - 1
                if i < 0 or spans[i][1] <= (line_no, col):
                    marks.append((line_no, col, line))
                    break
            col = line.find("#", col + 1)
        if len(marks) >= MAX_COMMENTS:
            break
    if not marks:
        return []
    on_line = _inline_paths(locator, {n for n, col, line in marks if line[:col].strip()})
    last = marks[-1][0]  # only keys above the last comment can own one
    keys = sorted((((m.line, m.column), path) for path, m in locator.keys.items() if m.line < last),
                  key=lambda k: k[0])
    open_keys: list[tuple[int, PlanPath]] = []  # the keys above, by strictly growing column
    k = 0
    found: list[Comment] = []
    for line_no, col, line in marks:
        while k < len(keys) and keys[k][0][0] < line_no:
            (_, column), path = keys[k]
            while open_keys and open_keys[-1][0] >= column:
                open_keys.pop()
            open_keys.append((column, path))
            k += 1
        found.append(Comment(line_no + 1, col + 1, line[col + 1:].strip()[:MAX_COMMENT],
                             _comment_path(line[:col], col, on_line.get(line_no), open_keys)))
    return found


def _inline_paths(locator: Locator, lines: set[int]) -> dict[int, PlanPath]:
    """What each of `lines` writes, for a comment at its end: the first key on it (the list item
    when the item opens on that line too, `- {name: …}  # …`), else the deepest value."""
    if not lines:
        return {}
    first_key: dict[int, tuple[int, PlanPath]] = {}
    for path, mark in locator.keys.items():
        if mark.line in lines and (mark.line not in first_key or mark.column < first_key[mark.line][0]):
            first_key[mark.line] = (mark.column, path)
    out: dict[int, PlanPath] = {}
    for path, mark in locator.values.items():
        if path and mark.line in lines and mark.line not in first_key and len(path) > len(out.get(mark.line, ())):
            out[mark.line] = path
    for line, (_, path) in first_key.items():
        item = locator.values.get(path[:-1]) if len(path) > 1 and isinstance(path[-2], int) else None
        out[line] = path[:-1] if item is not None and item.line == line else path
    return out


def _comment_path(before: str, col: int, written: PlanPath | None, open_keys: list[tuple[int, PlanPath]]) -> str:
    """An inline comment belongs to its line's value; one on its own line to the last key above it that
    is less indented, or, level with a list entry's keys (a note under a member's lines), to that entry."""
    if before.strip() and written is not None:
        return dotted(written)
    for column, path in reversed(open_keys):
        if column < col:
            return dotted(path)
        if column == col and len(path) >= 2 and isinstance(path[-2], int):
            return dotted(path[:-1])
    return ""


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _compose(text: str, name: str) -> yaml.Node:
    loader = _Loader(text)
    try:
        if not loader.check_node():
            raise PlanLoadError("empty", {}, file=name, line=1, column=1)
        node = loader.get_node()
        if loader.check_node():
            second = loader.get_node()
            line, col = _mark(second) if second is not None else (None, None)
            raise PlanLoadError("multi-document", {}, file=name, line=line, column=col)
        return node
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = (e.problem or str(e)).strip()
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if "found undefined alias" in problem:
            raise PlanLoadError("undefined-alias", {}, file=name, line=line, column=col) from None
        since = ""
        if e.context_mark is not None and e.problem_mark is not None and e.context_mark.line != e.problem_mark.line:
            since = e.context_mark.line + 1
        raise PlanLoadError("yaml-syntax", {"problem": Key(_yaml_problem(problem)) if _yaml_problem(problem) else problem,
                                            "since": Key("since-line") if since else "", "line": since},
                            file=name, line=line, column=col) from None
    except yaml.YAMLError as e:
        raise PlanLoadError("yaml-syntax", {"problem": str(e).strip(), "since": ""}, file=name) from None
    except RecursionError:
        raise PlanLoadError("too-deep", {"limit": MAX_DEPTH}, file=name) from None
    finally:
        loader.dispose()


_PROBLEMS = {  # PyYAML's most common complaints, to be said in the user's language
    "mapping values are not allowed": "yaml:colon-in-value",  # "here" (PyYAML), "in this context" (libyaml)
    "found character that cannot start any token": "yaml:tab-or-char",
    "did not find expected key": "yaml:expected-key",
    "could not find expected ':'": "yaml:expected-colon",
    "did not find expected ',' or ']'": "yaml:unclosed-bracket",
    "did not find expected ',' or '}'": "yaml:unclosed-brace",
    "found unexpected end of stream": "yaml:unexpected-end",
    "did not find expected '-' indicator": "yaml:expected-dash",
    "found character '\\t' that cannot start any token": "yaml:tab-or-char",
    "found a tab character that violates indentation": "yaml:tab-or-char",
    "did not find expected node content": "yaml:expected-value",
    "found unknown escape character": "yaml:bad-escape",
    "expected alphabetic or numeric character, but found": "yaml:bad-anchor",
}


def _yaml_problem(problem: str) -> str | None:
    for text, code in _PROBLEMS.items():
        if problem.startswith(text):
            return code
    return None


class _Builder:
    """Turns composed nodes into plain data, recording marks and refusing what a plan must not be."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.locator = Locator()
        self.count = 0
        self.notices: list[Notice] = []
        self.spans: list[tuple[tuple[int, int], tuple[int, int]]] = []  # quoted and block scalars

    def _span(self, node: yaml.Node) -> None:
        """Where a quoted or block scalar holding '#' lies: a '#' there is text, not a comment (a
        scalar whose value has none has none in its source either)."""
        if node.style in _QUOTED_OR_BLOCK:
            self.spans.append(((node.start_mark.line, node.start_mark.column),
                               (node.end_mark.line, node.end_mark.column)))

    def _fail(self, code: str, node: yaml.Node, **params: Any) -> PlanLoadError:
        line, col = _mark(node)
        return PlanLoadError(code, params, file=self.name, line=line, column=col)

    def build(self, node: yaml.Node, path: PlanPath, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail("too-many-nodes", node, limit=MAX_NODES)
        if depth > MAX_DEPTH:
            raise self._fail("too-deep", node, limit=MAX_DEPTH)
        if path not in self.locator.values:
            self.locator.values[path] = node.start_mark
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self._fail("unsupported-tag", node, tag=node.tag)
            return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: PlanPath, depth: int) -> dict[str, Any]:
        if node.tag != _MAP:
            raise self._fail("unsupported-tag", node, tag=node.tag)
        result: dict[str, Any] = {}
        merged: list[tuple[yaml.Node, PlanPath]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self._merge_sources(value_node))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail("complex-key", key_node)
            if key_node.style and "#" in key_node.value:
                self._span(key_node)
            key = key_node.value  # keys are text in a plan, whatever YAML would resolve them to
            if key in result:
                raise self._fail("duplicate-key", key_node, key=key, first_line=self.locator.key(path + (key,))[0])
            self.locator.keys[path + (key,)] = key_node.start_mark
            result[key] = self.build(value_node, path + (key,), depth + 1)
        for source, _ in merged:  # explicit keys win over merged ones, as YAML's merge says
            for key_node, value_node in source.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value not in result:
                    self.locator.keys[path + (key_node.value,)] = key_node.start_mark
                    result[key_node.value] = self.build(value_node, path + (key_node.value,), depth + 1)
        return result

    def _merge_sources(self, node: yaml.Node) -> list[tuple[yaml.Node, PlanPath]]:
        if isinstance(node, yaml.MappingNode):
            return [(node, ())]
        if isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.MappingNode) for n in node.value):
            return [(n, ()) for n in node.value]
        raise self._fail("bad-merge", node)

    def _scalar(self, node: yaml.ScalarNode, path: PlanPath) -> Any:
        if len(node.value) > MAX_SCALAR:
            raise self._fail("scalar-too-long", node, limit=MAX_SCALAR)
        if node.style and "#" in node.value:
            self._span(node)
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _TIMESTAMP:  # plans want dates as ISO text; keep exactly what was written
            return node.value
        if tag in (_INT, _FLOAT, _BOOL, _NULL):
            if not node.style:  # plain: None from PyYAML's parser, "" from libyaml's
                self.locator.scalars[path] = Scalar(node.value, tag.rsplit(":", 1)[1])
            try:
                value = self._construct(node, tag)
            except (ValueError, TypeError, KeyError, IndexError, OverflowError, yaml.YAMLError):
                # `!!bool maybe`, `!!int ""`, `!!float x`: a located error for this file only
                raise self._fail("bad-tagged-value", node, tag=f"!!{tag.rsplit(':', 1)[1]}",
                                 value=_shown(node.value)) from None
            if isinstance(value, (int, float)) and not isinstance(value, bool) and not -MAX_NUMBER <= value <= MAX_NUMBER:
                raise self._fail("number-too-large", node, value=_shown(node.value), limit=MAX_NUMBER)  # nan too
            if tag in (_INT, _FLOAT) and not node.style and ":" in node.value:
                line, col = _mark(node)  # YAML 1.1 base 60: `1:30` is 90, `20:00` is 1200
                self.notices.append(Notice("yaml-sexagesimal", {"raw": node.value, "value": value,
                                                                "quoted": f'"{node.value}"'}, line, col))
            return value
        raise self._fail("unsupported-tag", node, tag=tag)

    @staticmethod
    def _construct(node: yaml.ScalarNode, tag: str) -> Any:
        if tag == _INT:
            value = _constructor.construct_yaml_int(node)
            if not isinstance(value, int):
                raise ValueError(node.value)
            return value
        if tag == _FLOAT:
            return float(_constructor.construct_yaml_float(node))
        if tag == _BOOL:
            value = _constructor.construct_yaml_bool(node)
            if not isinstance(value, bool):
                raise ValueError(node.value)
            return value
        if node.value not in ("", "~", "null", "Null", "NULL"):
            raise ValueError(node.value)  # `!!null text` would silently drop the text
        return None


def _shown(value: str, limit: int = 40) -> str:
    """A bad value quoted in a message, short and with control characters visible."""
    text = value if len(value) <= limit else value[:limit] + "…"
    return repr(text)[1:-1]
