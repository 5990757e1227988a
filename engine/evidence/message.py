"""The one normalised message record every chat-export reader produces.

Readers stream `Message` values; the store bulk-loads them into one table whose columns are
`COLUMNS`, so metrics (SQL views) never depend on which export a message came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
