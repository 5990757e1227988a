"""The one normalised message record every chat-export reader produces.

Readers stream `Message` values; the store bulk-loads them into one table whose columns are
`COLUMNS`, so metrics (SQL views) never depend on which export a message came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
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
ROWS_BATCH = 20_000  # messages per `Rows` batch a reader yields: about 5 MB of lists

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

    def count(self) -> int:
        """How many messages."""
        return len(self["epoch"])

    def messages(self) -> Iterator[Message]:
        """The same records one by one, times as aware UTC datetimes."""
        for i, epoch in enumerate(self["epoch"]):
            yield Message(ts=datetime.fromtimestamp(float(epoch), timezone.utc),
                          **{name: self[name][i] for name in FIELDS})


class RowsBuilder:
    """Gathers a reader's messages into `Rows`: the columns that change from message to message are
    appended to (`appenders`), the ones the reader holds constant for its export are filled in when
    the batch is taken, and the odd record that differs there (a membership event) is patched in.
    Fewer appends per message is most of what reading costs beyond the parser."""

    def __init__(self, varying: tuple[str, ...], **constant: Any) -> None:
        self.varying = (*varying, "epoch")
        self.constant = {name: constant.get(name) for name in FIELDS if name not in self.varying}
        self.cols: dict[str, list] = {}
        self.odd: list[tuple[int, Message]] = []
        self.take()

    def appenders(self) -> tuple:
        """The bound `append` of each varying column, in the order given, `epoch` last (they change
        after every `take`)."""
        return tuple(self.cols[name].append for name in self.varying)

    def add(self, m: Message, epoch: float) -> None:
        """One whole message (its `ts` replaced by `epoch`)."""
        self.odd.append((len(self.cols["epoch"]), m))
        for name in self.varying[:-1]:
            self.cols[name].append(getattr(m, name))
        self.cols["epoch"].append(epoch)

    def extend(self, columns: dict[str, list]) -> None:
        """Many ordinary messages at once, as one list per varying column (`epoch` included)."""
        for name in self.varying:
            self.cols[name].extend(columns[name])

    def count(self) -> int:
        """Messages gathered since the last `take`."""
        return len(self.cols["epoch"])

    def take(self) -> Rows:
        """The messages gathered so far, as `Rows`; the builder starts again empty."""
        n = len(self.cols.get("epoch", ()))
        rows = Rows(self.cols)
        for name, value in self.constant.items():
            rows[name] = [value] * n
        for i, m in self.odd:
            for name in self.constant:
                rows[name][i] = getattr(m, name)
        self.cols = {name: [] for name in self.varying}
        self.odd = []
        return rows
