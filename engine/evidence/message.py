"""The one normalised message record every chat-export reader produces.

Readers stream `Message` values; the store bulk-loads them into one table whose columns are
`COLUMNS`, so metrics (SQL views) never depend on which export a message came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterator
from datetime import datetime, timezone

# What a message is, whatever the platform calls it.
KINDS = (
    "text", "image", "voice", "video", "sticker", "link", "file", "red_packet", "reply",
    "join", "leave", "removal", "recall", "pin", "other",
)
# Membership events: `sender_id` is the member affected, `actor_id` who did it (inviter, remover).
EVENT_KINDS = ("join", "leave", "removal")
ROLES = ("owner", "admin", "member", "bot")

# Column name -> DuckDB type, in table order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("platform", "VARCHAR"),      # wechat | wecom | qq | telegram | discord | chatlab
    ("source", "VARCHAR"),        # reader name, e.g. wechatmsg-csv, telegram-json
    ("group_id", "VARCHAR"),      # the chat as the export identifies it
    ("group_name", "VARCHAR"),
    ("message_id", "VARCHAR"),    # the platform's id; NULL where the layout has none (QQ text)
    ("ts", "TIMESTAMP"),          # UTC, naive
    ("sender_id", "VARCHAR"),
    ("sender_name", "VARCHAR"),
    ("sender_role", "VARCHAR"),   # one of ROLES, NULL when the export does not say
    ("kind", "VARCHAR"),          # one of KINDS
    ("actor_id", "VARCHAR"),      # for join/leave/removal/recall/pin: who did it
    ("reply_to", "VARCHAR"),      # message id replied to
    ("mentions", "INTEGER"),      # people @-mentioned
    ("mentions_all", "BOOLEAN"),  # @all / @所有人 / @everyone
    ("text_len", "INTEGER"),
    ("has_link", "BOOLEAN"),
    ("is_question", "BOOLEAN"),
    ("on_topic", "BOOLEAN"),      # NULL when no topics were given
    ("text_hash", "UBIGINT"),     # for repeated-text bursts and de-duplication; NULL when no text
    ("text", "VARCHAR"),          # NULL unless the user asked to keep text
)


@dataclass(slots=True)
class Message:
    """One message or membership event, as a reader yields it (text still attached)."""

    platform: str
    source: str
    group_id: str
    group_name: str | None
    message_id: str | None
    ts: datetime  # aware, or naive local time to be placed in the community's zone
    sender_id: str | None
    sender_name: str | None
    kind: str
    text: str = ""
    sender_role: str | None = None
    actor_id: str | None = None
    reply_to: str | None = None
    mentions: int = 0
    mentions_all: bool = False


FIELDS = tuple(name for name in Message.__slots__ if name != "ts")  # every field but the time


class Rows(dict):
    """Many messages of one export as columns, `{field of Message: list}`, with `epoch` (Unix
    seconds, UTC) in place of `ts`.

    What a reader of a layout that runs to millions of messages yields instead of one `Message`
    each: at 1M Telegram messages the objects and aware datetimes alone took about 3 s of CPU.
    """

    @classmethod
    def empty(cls) -> Rows:
        """No rows yet: one empty list per field and for `epoch`."""
        return cls({name: [] for name in (*FIELDS, "epoch")})

    def count(self) -> int:
        """How many messages."""
        return len(self["epoch"])

    def add(self, m: Message, epoch: float) -> None:
        """One message more (its `ts` is replaced by `epoch`)."""
        for name in FIELDS:
            self[name].append(getattr(m, name))
        self["epoch"].append(epoch)

    def messages(self) -> Iterator[Message]:
        """The same records one by one, times as aware UTC datetimes."""
        for i, epoch in enumerate(self["epoch"]):
            yield Message(ts=datetime.fromtimestamp(float(epoch), timezone.utc),
                          **{name: self[name][i] for name in FIELDS})
