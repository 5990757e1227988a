"""Reading what operators write: placeholders that stand for an answer not given yet, keywords
in free text (group rules, output names, joining channels, roles), and how complete a plan is.

The word lists are data (`facts.placeholders`, `facts.keywords`, `facts.completeness` in the
playbook), in both languages; nothing here knows a Chinese word.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator

from jinja2 import ChainableUndefined

from ..model.plan import as_dict, dotted, get_path, parse_path
from ..run.memo import remembered
from .patterns import SEPARATOR as _SEPARATOR, keyword_pattern

_FILLER = re.compile(r"[\s\W_]+")
_XS = re.compile(r"(?i)(?:x{2,}|？{1,}|\?{1,}|…+|\.{3,}|〇{2,}|○{2,})")
TENTATIVE_SHARE = 0.5  # an answered item still holding a 待定/TBD/暂定 is half decided (docs/scoring.md)
PLACEHOLDER_MAX = 40  # characters: a longer text is an answer, however tentative (starter text aside)



def texts(value: Any) -> list[str]:
    """Every piece of text inside a value (a string, a list, a record, nested), in order."""
    out: list[str] = []
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            stack.extend(reversed(list(v.values())))
        elif isinstance(v, (list, tuple)):
            stack.extend(reversed(v))
    return out


_CLAUSE_END = re.compile(r"[\n。！？；;!?]+")


def clauses(value: Any) -> list[str]:
    """The sentences and lines of a value's texts (a strategy written as prose or as a dash list):
    a rule reads two words together only where the operator wrote them in one breath, so
    "投诉及时回复。广告直接移出" does not read as removing whoever complains."""
    return [part.strip(" \t-*•·") for text in texts(value) for part in _CLAUSE_END.split(text)
            if part.strip(" \t-*•·")]


@remembered
def all_text(value: Any) -> tuple[list[str], str]:
    """A value's texts and their join: a dozen keyword lists are looked for in the same whole plan
    (compliance, selling, domineering rules), which is walked and joined once per evaluation."""
    parts = texts(value)
    return parts, _SEPARATOR.join(parts)


@lru_cache(maxsize=256)  # facts.keywords alone holds about thirty lists: each is compiled once
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    words = tuple(w for w in words if isinstance(w, str) and w.strip())
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)


@remembered
def _lowered(value: Any) -> str:
    """A value's joined text, lower-cased once per evaluation for every keyword list."""
    return all_text(value)[1].lower()


class Negation:
    """Tells a keyword the operator wrote negated (不删消息, 从不踢人, we never delete, no one gets
    kicked) from one written plainly: what a plan says is not done must not read as done.

    The window is deliberately tight. In Chinese a negator counts only immediately before the
    keyword, with at most two auxiliaries (`gap`: 会, 被, 随便...) between: in "没有警告就踢人" the 没有
    belongs to 警告, and 就 is no auxiliary, so 踢 still reads as a removal. The prohibitions 不要, 不得,
    不能, 禁止 and 别 are no negators (要/得/能 are no auxiliaries): "禁止发广告", "不得质疑" are rules
    about what they name. In English up to `words` gap words may stand between (won't be banned,
    nobody has ever been removed), and a prohibitive that opens its clause ("Don't spam", "No ads",
    "Never post links") is a rule to members, not a negation. Terse Chinese group rules forbid with
    a bare 不 ("不发广告", "不刷屏", "不吐槽，违者移出"): for the lists that name what members post or say
    (`forbids`: ad rules, flooding, complaints) a bare 不 does not negate, while 没人投诉 still does. A
    keyword holding its own negator (不回消息, no reply) is matched whole, so its own negator is not
    before it. All of it is data (`facts.negation`); one compiled pattern per language looks at the
    few characters before a hit, so the readers stay as cheap as one search per list."""

    def __init__(self, spec: Any, keywords: Any = None) -> None:
        zh, en = as_dict(as_dict(spec).get("zh")), as_dict(as_dict(spec).get("en"))
        reach = zh.get("reach")
        scope = (zh.get("scope"), reach if isinstance(reach, int) and not isinstance(reach, bool) and 0 < reach <= 12 else 8)
        self.zh = self._tail(zh.get("before"), zh.get("gap"), 2, scope=scope)
        bare = {w for w in zh.get("bare") or () if isinstance(w, str)}
        self.zh_forbids = self._tail([w for w in zh.get("before") or () if w not in bare], zh.get("gap"), 2, scope=scope)
        lists = as_dict(keywords)
        self.forbids = frozenset(tuple(lists[name]) for name in as_dict(spec).get("forbids") or ()
                                 if isinstance(name, str) and isinstance(lists.get(name), list))
        self.double = tuple(w for w in zh.get("double") or () if isinstance(w, str) and w)
        words = en.get("words")
        words = words if isinstance(words, int) and not isinstance(words, bool) and 0 <= words <= 6 else 3
        self.en = self._tail(en.get("before"), en.get("gap"), words, english=True)
        opening = _alternation(en.get("prohibitive"), english=True)
        self.opening = re.compile(rf"^\s*(?:(?:{opening})\s+)*$") if opening else None
        self.prohibitor = re.compile(rf"^(?:{opening})(?![\w'’])") if opening else None

    @staticmethod
    def _tail(before: Any, gap: Any, most: int, english: bool = False,
              scope: tuple[Any, int] = ((), 0)) -> re.Pattern[str] | None:
        """The pattern a text must end with, just before a keyword, for the keyword to be negated:
        a negator, up to `most` gap words, and (Chinese) optionally a 把/因为 phrase of up to
        `scope[1]` characters that the negator governs with the verb after it."""
        negators, gaps = _alternation(before, english), _alternation(gap, english)
        if not negators:
            return None
        space, edge = (r"\s+", r"(?<![\w'’])") if english else ("", "")
        between = rf"(?:{space}(?:{gaps})){{0,{most}}}" if gaps else ""
        governs = _alternation(scope[0], english)
        phrase = rf"(?:(?:{governs})[^\s，。；;,.!?！？、：:]{{0,{scope[1]}}})?" if governs and not english else ""
        return re.compile(rf"{edge}(?P<neg>{negators}){between}{phrase}{space}$")

    def negated(self, text: str, start: int, forbids: bool = False) -> bool:
        """Whether the keyword found at `start` of (lower-cased) `text` is negated; with `forbids`
        (a list naming what members post or say), a bare 不 forbids it rather than negates it."""
        head = text[max(0, start - 24):start]
        if not head:
            return False
        zh = self.zh_forbids if forbids else self.zh
        if zh is not None and (m := zh.search(head)) and not head[:m.end("neg")].endswith(self.double):
            return True
        if self.en is None or not head[-1].isspace():
            return False
        head = _CLAUSE_HEAD.split(text[max(0, start - 80):start])[-1]
        m = self.en.search(head)
        if m is None:
            return False
        # "Don't spam", "No ads", "Please never post links": a prohibition opening its clause
        return not (self.opening is not None and self.opening.match(head[:m.start()])
                    and self.prohibitor.match(m.group(0)))


_CLAUSE_HEAD = re.compile(r"[\n\x00。！？；;!?,，、:：()（）\[\]\"“”=]")


def _alternation(words: Any, english: bool = False) -> str:
    """A list's words as one regex alternation, longest first (lower-cased; an English word's
    apostrophe either straight or curly, its spaces any run of blanks)."""
    out: set[str] = set()
    for w in words if isinstance(words, (list, tuple)) else ():
        if isinstance(w, str) and w.strip():
            w = w.strip().lower()
            out |= {w, w.replace("'", "’")} if english else {w}
    escaped = (re.escape(w).replace(r"\ ", r"\s+") for w in sorted(out, key=len, reverse=True))
    return "|".join(escaped)


_negation: ContextVar[Negation | None] = ContextVar("qunce_negation", default=None)


@contextmanager
def negating(negation: Negation | None) -> Iterator[None]:
    """Inside this block (one plan's evaluation) the keyword readers skip the hits `negation` finds
    negated (the rule set's compiled `facts.negation`, `RuleSet.negation`); outside it, or with
    None (a pack without `facts.negation`), they read every hit."""
    token = _negation.set(negation)
    try:
        yield
    finally:
        _negation.reset(token)


def mentions(value: Any, words: Any, negation: Negation | None = None) -> list[str]:
    """The words of `words` (a keyword list from facts.keywords) that occur in the text of
    `value`, case-insensitively, each once, in the order first seen: truthy when any does. A hit
    the operator negated (不删消息, we never delete) is no mention (`Negation`; by default the one
    of the evaluation under way)."""
    key = tuple(words) if isinstance(words, (list, tuple)) else ()
    pattern, at_once = keyword_pattern(key)
    if pattern is None:
        return []
    negation = negation or _negation.get()
    forbids = negation is not None and key in negation.forbids
    found: dict[str, None] = {}
    if isinstance(value, str):
        searched = [value.lower()]
    else:
        searched = [_lowered(value)] if at_once else [part.lower() for part in all_text(value)[0]]
    for text in searched:
        for m in pattern.finditer(text):
            if m.group(0) not in found and (negation is None or not negation.negated(text, m.start(), forbids)):
                found[m.group(0)] = None
    return list(found)


def not_mentioning(values: Any, words: Any) -> list:
    """The items of `values` whose text mentions none of `words`: the output owners that are one
    person rather than a shared role (全体老师, 轮值), the admins that are not an alt account (小号)."""
    return [v for v in (values if isinstance(values, (list, tuple)) else [values])
            if v not in (None, "") and not mentions(v, words)]


def noted(items: Any, comments: Any, section: str, words: Any) -> list:
    """`plan.output | noted(comments, 'output', facts.keywords.lapsed)`: the entries of the list at
    `section` whose own comment (on the entry's lines, kept by the loader with the entry's path)
    mentions one of `words`, in order. What an operator writes beside an answer is about that
    entry: "已离职" beside a team member, "last one was 7 weeks ago" beside an output."""
    if not isinstance(items, (list, tuple)) or not isinstance(section, str):
        return []
    entry = re.compile(re.escape(section) + r"\[(\d+)\](?![^.\[])")
    hit = {int(m.group(1)) for c in noting(comments, words) if (m := entry.match(str(c.get("path") or "")))}
    return [items[i] for i in sorted(hit) if i < len(items)]


def noting(comments: Any, words: Any) -> list[dict[str, Any]]:
    """`comments | noting(facts.keywords.undecided)`: the plan's comments that mention one of
    `words`, in document order (the `comments` name holds {line, text, path} records)."""
    return [c for c in (comments if isinstance(comments, (list, tuple)) else ())
            if isinstance(c, dict) and mentions(c.get("text"), words)]


class Placeholders:
    """Tells placeholder text (暂定, 待定, TBD, xx, untouched starter samples) from an answer."""

    MEMO = 65536  # distinct texts remembered: rules ask about the same few strings again and again

    def __init__(self, words: Iterable[str], starter_texts: Iterable[str] = ()) -> None:
        self.pattern = _word_pattern(tuple(words))
        self.starters = frozenset(" ".join(t.split()) for t in starter_texts if isinstance(t, str))
        self.memo: dict[str, bool] = {}
        self.held_memo: dict[str, bool] = {}

    def __call__(self, value: Any) -> bool:
        if not isinstance(value, str):
            return False
        known = self.memo.get(value)
        if known is None:
            if len(self.memo) >= self.MEMO:
                self.memo.clear()
            known = self.memo[value] = self._judge(value)
        return known

    def _judge(self, value: str) -> bool:
        text = " ".join(value.split())
        if text in self.starters:
            return True
        if not text or len(text) > PLACEHOLDER_MAX:
            return False
        left = self.pattern.sub(" ", text) if self.pattern is not None else text
        left = _FILLER.sub("", _XS.sub("", left))
        return len(left) < 2 and left != text.strip()

    def marked(self, value: Any) -> bool:
        """Text that answers, but says it is tentative (暂定每周三, 复购率 TBD): a placeholder word
        stands inside it."""
        return (isinstance(value, str) and self.pattern is not None and len(value) <= PLACEHOLDER_MAX * 4
                and self.pattern.search(value) is not None)

    def held(self, value: str) -> bool:
        """A placeholder, or an answer marked tentative: what `placeholder_paths` lists. Remembered
        like the test itself, since a plan's texts repeat across plans of one batch."""
        known = self.held_memo.get(value)
        if known is None:
            if len(self.held_memo) >= self.MEMO:
                self.held_memo.clear()
            known = self.held_memo[value] = self(value) or self.marked(value)
        return known

    def is_starter(self, value: Any) -> bool:
        return isinstance(value, str) and " ".join(value.split()) in self.starters


@lru_cache(maxsize=8)
def _placeholders(words: tuple[str, ...], starters: tuple[str, ...]) -> Placeholders:
    return Placeholders(words, starters)


def placeholders(facts: Any, *, starter_texts: bool = True) -> Placeholders:
    """The placeholder test of a rule set's facts (built once per distinct word list); without
    `starter_texts`, a starter's sample text reads as an answer and only placeholder words do not."""
    spec = as_dict(as_dict(facts).get("placeholders"))
    words = tuple(w for w in spec.get("words") or () if isinstance(w, str))
    starters = tuple(w for w in spec.get("starter_texts") or () if isinstance(w, str)) if starter_texts else ()
    return _placeholders(words, starters)


def answered(value: Any, is_placeholder: Callable[[Any], bool], *, deep: bool = False) -> bool:
    """Filled in, and not only with placeholders: a list counts when one item is an answer. A
    section (a mapping) counts when it has keys; with `deep`, only when one of its values does
    (completeness: a section of empty lists answers nothing)."""
    if value is None or isinstance(value, ChainableUndefined):
        return False
    if isinstance(value, str):
        return bool(value.strip()) and not is_placeholder(value)
    if isinstance(value, (list, tuple)):
        return any(answered(v, is_placeholder, deep=deep) for v in value)
    if isinstance(value, dict):
        return any(answered(v, is_placeholder, deep=True) for v in value.values()) if deep else bool(value)
    return True


def placeholder_paths(data: Any, test: Placeholders, prefix: tuple = ()) -> list[str]:
    """Where the plan holds placeholder or tentative text (暂定, TBD inside an answer), as dotted
    paths in document order. Only text can hold a placeholder: numbers, booleans and nulls are
    passed over untested, and `check` and `version` are not answers."""
    held = test.held
    if isinstance(data, str):
        return [dotted(prefix)] if held(data) else []
    if not isinstance(data, (dict, list)):
        return []
    out: list[str] = []
    # Depth-first, each container's entries walked in place: a path is built for a container
    # entered or a text that holds a placeholder, not for each of the plan's texts.
    stack: list[tuple[tuple, Any]] = [(prefix, _entries(data))]
    while stack:
        path, entries = stack[-1]
        for key, value in entries:
            if isinstance(value, str):
                if held(value):
                    out.append(dotted(path + (key,)))
            elif isinstance(value, (dict, list)):
                stack.append((path + (key,), _entries(value)))
                break
        else:
            stack.pop()
    return out


def _entries(value: dict | list) -> Any:
    """A container's (key, value) entries as `placeholder_paths` walks them: `check` and
    `version` are not answers."""
    if isinstance(value, dict):
        return iter([(k, v) for k, v in value.items() if k not in ("check", "version")])
    return enumerate(value)


def completeness(data: Any, facts: Any) -> tuple[int, list[str]]:
    """How much of what a plan should answer it answers (0-100), and what it leaves open: the
    weighted share of `facts.completeness` items with an answer (placeholders count as none). An
    item answered but still holding placeholder or tentative text (规则写了两条，第三条 TBD; 暂定每周三)
    counts half: a first draft full of 待定 has decided half of what it wrote down."""
    items = [i for i in as_dict(facts).get("completeness") or () if isinstance(i, dict)]
    test = placeholders(facts)
    pending = placeholders(facts, starter_texts=False)  # a kept starter sample beside answers is not a 待定
    total = got = 0.0
    missing: list[str] = []
    for item in items:
        paths = [p for p in item.get("paths") or () if isinstance(p, str)]
        weight = item.get("weight", 1)
        weight = float(weight) if isinstance(weight, (int, float)) and not isinstance(weight, bool) else 1.0
        if not paths:
            continue
        total += weight
        values = [get_path(data, parse_path(p)) for p in paths]
        if not any(answered(v, test, deep=True) for v in values):
            missing.append(paths[0])
            continue
        open_ = any(placeholder_paths(v, pending) for v in values if isinstance(v, (str, list, dict)))
        got += weight * (TENTATIVE_SHARE if open_ else 1.0)
    return (round(100 * got / total) if total else 100), missing
