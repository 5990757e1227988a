"""How a keyword list becomes one search: plain words as a trie-shaped regex, and phrases of parts
("不许|不准…质疑|反驳": any word of each part, in order, close together inside one sentence). The
lists are data (facts.keywords, a pack's own); compiled once per list."""

from __future__ import annotations

import re
from functools import lru_cache

SEPARATOR = "\x00"  # between the texts a search covers at once: no hit spans two texts
THEN = "…"  # in a keyword: the parts in this order, inside one sentence ("不许|不准…质疑|反驳")
EITHER = "|"  # in a part of such a keyword: any of these words
THEN_GAP = 10  # characters at most between two parts: one breath, not a paragraph
TRIE_DEPTH = 200  # a list with a longer word is searched as a plain alternation: the trie nests a group per character
_THEN_BETWEEN = rf"[^\n。！？；;!?{SEPARATOR}]{{0,{THEN_GAP}}}?"


def _keyword_regex(word: str) -> str | None:
    """One keyword as a regex: a plain phrase as it is; a phrase of parts ("群主|团长|会长…说了算|决定")
    as any word of each part, in order, at most THEN_GAP characters apart inside one sentence. So a
    list names a family of phrasings (who × what) instead of the few an operator happened to write.
    None for a phrase with no word in any part ("…", "|…|"), which would match nothing everywhere."""
    if THEN not in word:
        return re.escape(word)
    parts = []
    for part in word.split(THEN):
        options = sorted({o.strip() for o in part.split(EITHER) if o.strip()}, key=len, reverse=True)
        if options:
            parts.append("(?:" + "|".join(re.escape(o) for o in options) + ")")
    return _THEN_BETWEEN.join(parts) if parts else None


@lru_cache(maxsize=256)
def keyword_pattern(words: tuple[str, ...]) -> tuple[re.Pattern[str] | None, bool]:
    """The words' pattern, lower-cased, for lower-cased text (three to four times faster than
    matching case-insensitively), and whether all texts can be searched at once: when no word
    holds the separator, no match can span two texts. Phrases of parts come first: their hit is
    the longer span, and the one a message quotes."""
    lowered = {w.lower() for w in words if isinstance(w, str) and w.strip()}
    phrases = (_keyword_regex(w) for w in sorted((w for w in lowered if THEN in w), key=len, reverse=True))
    parts = [p for p in phrases if p]
    plain = [w for w in lowered if THEN not in w]
    if plain and max(map(len, plain)) <= TRIE_DEPTH:
        parts.append(_trie(plain))
    elif plain:
        parts.extend(re.escape(w) for w in sorted(plain, key=len, reverse=True))
    pattern = re.compile("|".join(parts)) if parts else None
    return pattern, not any(isinstance(w, str) and SEPARATOR in w for w in words)


def _trie(words: list[str]) -> str:
    """Plain words as one regex with their common beginnings shared (招生|招募 → 招(?:生|募)): the
    same hits as their alternation longest first, a longer word preferred where both match, found
    in about half the time on lists of hundreds of words."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + branch(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(root)
