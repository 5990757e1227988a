"""From a reader's `Message` stream to rows of the evidence table (`COLUMNS`).

Output is columnar batches, `dict[column name, list]`, because the store bulk-loads columns
(Arrow, Parquet) far faster than it inserts rows. Text features are computed here once, so no
metric ever needs the text itself: it is kept only when the user asks (`keep_text=True`). Input is
messages, or a reader's `Rows` (columns with Unix seconds, whose times come out as one Arrow
column); either way each feature is computed column by column over a batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from hashlib import blake2b
from importlib import resources
from itertools import compress, repeat
from operator import eq
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from .message import COLUMNS, EVENT_KINDS, FIELDS, Message, Rows

COLUMN_NAMES = tuple(name for name, _ in COLUMNS)
DEFAULT_TZ = "Asia/Shanghai"
BATCH_ROWS = 20_000
# About 70 bytes of Python set per key, so 250k keys is 18 MB: past this the store's own
# de-duplication (against the load's earlier batches too) takes over, and memory stays bounded.
# What is stored is the same either way; only the load's count of rows read differs.
MAX_DEDUP_KEYS = 250_000
UTC = timezone.utc
_EVENT_KINDS = frozenset(EVENT_KINDS)  # a hash lookup per row, not three string comparisons

_URL = re.compile(r"https?://|www\.[a-z0-9-]+\.[a-z]", re.IGNORECASE)
_MENTION = re.compile(r"(?:^|(?<=[\s\u2005\u00a0]))@[^\s@\u2005\u00a0]+")
_MENTION_ALL = re.compile(r"@(?:所有人|全体成员|everyone|here|all)(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class QuestionWords:
    """The question word lists of questions.yaml, compiled once."""

    start: tuple[str, ...]
    end: tuple[str, ...]
    en_start: tuple[str, ...]
    trailing: str


@lru_cache(maxsize=1)
def question_words() -> QuestionWords:
    """Load engine/evidence/questions.yaml once per process."""
    text = resources.files(__package__).joinpath("questions.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return QuestionWords(
        start=tuple(data["zh"]["start"]),
        end=tuple(data["zh"]["end"]),
        en_start=tuple(w.lower() + " " for w in data["en"]["start"]),
        trailing=str(data.get("trailing", "")),
    )


def is_question(text: str, words: QuestionWords | None = None) -> bool:
    """A question mark at the end, or a question word at the start or end."""
    words = words or question_words()
    t = text.strip()
    if not t:
        return False
    if t.endswith(("?", "？")):
        return True
    if t.startswith(words.start):
        return True
    if t.rstrip(words.trailing).endswith(words.end):
        return True
    return t[:20].lower().startswith(words.en_start)


def text_hash(text: str) -> int | None:
    """Stable unsigned 64-bit hash of the text with case and spacing normalised; None if empty.

    blake2b, not Python's `hash()`: the value is stored, so it must not change between runs.
    """
    norm = " ".join(text.split()).casefold()
    if not norm:
        return None
    return int.from_bytes(blake2b(norm.encode("utf-8"), digest_size=8).digest(), "big")


class Batch(dict):
    """One batch's columns. `distinct`: the run's de-duplication saw every row of it, so no two of
    its rows are the same message (the store then skips its own check within the batch). That
    holds past `MAX_DEDUP_KEYS` too: a batch's own keys are always kept while it is read."""

    distinct = False


class Deduper:
    """Drops records already seen in this run, keyed by 64-bit hashes (bounded memory).

    The key is (platform, group, message id[, member name for membership events]) where the
    layout has message ids, else (platform, group, time, sender, kind, text hash, occurrence
    within that time). Past `max_keys` new keys are no longer remembered (reported once through
    `on_full`), except within a batch; the store de-duplicates across batches and runs anyway.
    """

    def __init__(self, max_keys: int = MAX_DEDUP_KEYS,
                 on_full: Callable[[int], None] | None = None) -> None:
        self.seen: set[int] = set()
        self.max_keys = max_keys
        self.on_full = on_full
        self.dropped = 0
        self.full = False
        self._bucket_ts: datetime | None = None
        self._bucket: dict[tuple, int] = {}

    def keep(self, cols: Mapping[str, list], hashes: list[int | None]) -> Sequence[int]:
        """The positions of the rows of a batch (columns with `ts`, naive UTC, or `epoch`) not
        seen before, in this batch or earlier."""
        # Python's tuple hash is 64-bit and fixed within one process, which is all an in-run
        # de-duplication needs (the store keeps its own keys across runs); a collision among
        # 10M keys has a probability of about 3e-6. One loop with local names: this runs once
        # per message.
        seen, out, limit = self.seen, [], self.max_keys
        mids = cols["message_id"]
        if all(mids):
            # Every row has its id (Telegram, WeChatMsg): the keys are made in C, and a batch whose
            # keys are all new and distinct (every batch of a first load) keeps every row; the loop
            # below gives the same positions, `seen` and `dropped`, only slower.
            events = _EVENT_KINDS
            kinds, names = cols["kind"], cols["sender_name"]
            member = [None] * len(mids)  # the member's name, for membership events only
            for i in compress(range(len(mids)), map(events.__contains__, kinds)):
                member[i] = names[i]
            keys = list(map(hash, zip(cols["platform"], cols["group_id"], mids, member)))
            if len(set(keys)) == len(keys) and seen.isdisjoint(keys):
                room = limit - len(seen)
                seen.update(keys[:max(room, 0)])
                if room < len(keys):
                    self._filled()
                return range(len(keys))
        batch: set[int] = set()  # the batch's own keys, kept even when `seen` is full
        for i, (platform, group, mid, kind, name) in enumerate(zip(
                cols["platform"], cols["group_id"], cols["message_id"], cols["kind"], cols["sender_name"])):
            if mid is not None:
                # One system line may name several members (one record each): the member's name
                # tells them apart. Not the id: an export resolves a name to an id only if that
                # member spoke earlier in the same file, so two overlapping exports may differ.
                key = hash((platform, group, mid, name if kind in EVENT_KINDS else None))
            else:
                # Without ids, two equal records in the same second (or minute, in Discord CSV)
                # are two messages: the occurrence number inside the time bucket keeps them
                # apart, and is the same in an overlapping export of the same stretch.
                ts = cols["ts"][i] if "ts" in cols else _naive_utc(cols["epoch"][i])
                base = (platform, group, ts, cols["sender_id"][i], kind, hashes[i])
                if ts != self._bucket_ts:
                    self._bucket_ts = ts
                    self._bucket.clear()
                n = self._bucket.get(base, 0)
                self._bucket[base] = n + 1
                key = hash((base, n))
            if key in seen or key in batch:
                self.dropped += 1
                continue
            out.append(i)
            batch.add(key)
            if len(seen) < limit:
                seen.add(key)
            else:
                self._filled()
        return out

    def _filled(self) -> None:
        """`seen` holds `max_keys`: say so once."""
        if not self.full:
            self.full = True
            if self.on_full:
                self.on_full(self.max_keys)


def _has_link(kinds: list, texts: list, links: set[str]) -> list[bool]:
    """A link message, or a text with a link in it: the rows' tests made in C (`map`, `compress`),
    with only the link messages set one by one."""
    out = list(map(links.__contains__, texts))
    for i in compress(range(len(out)), map(eq, kinds, repeat("link"))):
        out[i] = True
    return out


def _naive_utc(epoch: float) -> datetime:
    """Unix seconds as the store's naive UTC time (as a reader's aware UTC datetime becomes)."""
    return datetime.fromtimestamp(float(epoch), UTC).replace(tzinfo=None)


def _timestamps(epochs: list) -> Any:
    """Unix seconds as an Arrow timestamp[us] column (naive UTC): no datetime per message."""
    import pyarrow as pa
    import pyarrow.compute as pc

    micros = pc.round(pc.multiply(pa.array(epochs, pa.float64()), 1_000_000.0))
    return micros.cast(pa.int64()).cast(pa.timestamp("us"))


@dataclass
class Normaliser:
    """Turns messages into columns of `COLUMNS`; holds the run's settings and de-duplication.

    Column by column over a batch, not message by message: each feature is one comprehension
    with its cheap substring test first (most messages have no @ and no link), which at a
    million messages is a few times faster than one call per message doing every feature.
    """

    tz: str = DEFAULT_TZ
    topics: Iterable[str] | None = None
    keep_text: bool = False
    dedup: bool = True
    deduper: Deduper = field(default_factory=Deduper)

    def __post_init__(self) -> None:
        self.zone = ZoneInfo(self.tz)
        kws = [k.casefold() for k in self.topics or () if k and k.strip()]
        self.keywords: tuple[str, ...] | None = tuple(kws) or None
        self.words = question_words()

    def utc(self, ts: datetime) -> datetime:
        """Naive local times are placed in the community's zone; aware ones converted."""
        if ts.tzinfo is None:
            ts = ts.replace(tzinfo=self.zone)
        elif ts.tzinfo is UTC:
            return ts.replace(tzinfo=None)
        return ts.astimezone(UTC).replace(tzinfo=None)

    def row(self, m: Message) -> tuple | None:
        """One row of `COLUMNS` in order, or None for a duplicate."""
        batch = self.batch([m])
        return None if batch is None else tuple(col[0] for col in batch.values())

    def batch(self, msgs: list[Message]) -> Batch | None:
        """The batch's new messages as `{column: list}` in `COLUMNS` order; None if none is new."""
        utc = self.utc
        cols = {name: [getattr(m, name) for m in msgs] for name in FIELDS}
        cols["ts"] = [t.replace(tzinfo=None) if t.tzinfo is UTC else utc(t) for t in [m.ts for m in msgs]]
        return self.columns(cols)

    def columns(self, cols: Mapping[str, list]) -> Batch | None:
        """The same from columns (`Rows`, or a batch of messages gathered by `batch`): `ts` a
        list of naive UTC times, or `epoch` Unix seconds (then `ts` comes as an Arrow column)."""
        # One object per distinct text: a reader makes a new string for every message, so each
        # per-row lookup below would compare characters; with the same object it is an identity
        # test on memory already in cache (1M Telegram rows: about 0.3 s less).
        canon: dict[Any, Any] = {}
        texts = list(map(canon.setdefault, cols["text"], cols["text"]))
        distinct = set(canon)
        if None in distinct:
            texts = [t or "" for t in texts]
            distinct.discard(None)
            distinct.add("")
        # Every text feature is a function of the text alone, so each is computed once per distinct
        # text of the batch and looked up per row (chats repeat short texts, and every sticker or
        # image has the empty one): the same values, from a fraction of the calls.
        hash_of = {t: text_hash(t) for t in distinct}
        hashes = list(map(hash_of.__getitem__, texts))
        if self.dedup:
            keep = self.deduper.keep(cols, hashes)
            if not keep:
                return None
            if len(keep) < len(texts):
                cols = {name: [values[i] for i in keep] for name, values in cols.items()}
                texts, hashes = [texts[i] for i in keep], [hashes[i] for i in keep]
        kinds = cols["kind"]
        mentions, mentions_all = cols["mentions"], cols["mentions_all"]
        at = {t: (bool(_MENTION_ALL.search(t)), sum(1 for x in _MENTION.findall(t) if not _MENTION_ALL.fullmatch(x)))
              for t in hash_of if "@" in t}
        if at:
            found = list(map(at.get, texts))
            mentions_all = [a or f[0] if f is not None else a for a, f in zip(mentions_all, found)]
            mentions = [m or f[1] if f is not None else m for m, f in zip(mentions, found)]
        search, words, keywords = _URL.search, self.words, self.keywords
        links = {t for t in hash_of if ("://" in t or "ww." in t or "WW." in t) and search(t)}
        question = {t: is_question(t, words) for t in hash_of}
        n = len(texts)
        out = Batch({
            "platform": cols["platform"], "source": cols["source"],
            "group_id": cols["group_id"], "group_name": cols["group_name"],
            "message_id": cols["message_id"], "ts": cols["ts"] if "ts" in cols else _timestamps(cols["epoch"]),
            "sender_id": cols["sender_id"], "sender_name": cols["sender_name"],
            "sender_role": cols["sender_role"], "kind": kinds,
            "actor_id": cols["actor_id"], "reply_to": cols["reply_to"],
            "mentions": mentions, "mentions_all": mentions_all, "text_len": list(map(len, texts)),
            "has_link": _has_link(kinds, texts, links),
            "is_question": list(map(question.__getitem__, texts)),
            "on_topic": [None] * n if keywords is None else
            list(map({t: any(k in t.casefold() for k in keywords) if t else False for t in hash_of}.__getitem__,
                     texts)),
            "text_hash": hashes,
            "text": [t or None for t in texts] if self.keep_text else [None] * n,
        })
        out.distinct = self.dedup
        return out


def normalise_rows(messages: Iterable[Any], **settings: Any) -> Iterator[tuple]:
    """Rows (tuples in `COLUMNS` order); anything that is not a `Message` is passed over."""
    norm = Normaliser(**settings)
    for m in messages:
        if isinstance(m, Message):
            r = norm.row(m)
            if r is not None:
                yield r


def normalise(messages: Iterable[Any], *, batch_rows: int = BATCH_ROWS,
              on_other: Callable[[Any], None] | None = None,
              **settings: Any) -> Iterator[dict[str, list]]:
    """Columnar batches `{column: list}` of at most `batch_rows` rows, for the store to bulk-load.

    Records that are not messages (a `GroupDay` from aggregate statistics) go to `on_other`.
    Settings: tz, topics, keep_text, dedup, deduper (see `Normaliser`).
    """
    norm = Normaliser(**settings)
    buf: list[Message] = []
    for m in messages:
        if isinstance(m, Rows):  # a reader's columns: the messages gathered so far go first
            for batch in (norm.batch(buf) if buf else None, norm.columns(m)):
                if batch is not None:
                    yield batch
            buf = []
            continue
        if not isinstance(m, Message):
            if on_other is not None:
                on_other(m)
            continue
        buf.append(m)
        if len(buf) >= batch_rows:
            batch = norm.batch(buf)
            buf = []
            if batch is not None:
                yield batch
    if buf:
        batch = norm.batch(buf)
        if batch is not None:
            yield batch
