"""One note per bullet: operators often write their worries as a list in comments, and a long
item wraps onto the next comment line ("- The old-timers who used to answer (Hannah, ...)" /
"  have left for a paid Discord."). Rules read a note as one text, so the wrapped lines are
joined back onto their bullet before any rule reads them; lines that are not part of a bullet
stay notes of their own, and so does a line after a bullet whose sentence was finished (a
plain note below a list)."""

from __future__ import annotations

import re
from typing import Any, Iterable

# a list item's mark at the start of a comment: "- ", "• ", "* ", "1. ", "2、", "(3)"
_BULLET = re.compile(r"^(?:[-•*·]\s|\d{1,2}\s*[.、)）]|[(（]\d{1,2}[)）])")
_FINISHED = tuple("。.!?！？；;")  # a sentence that ends on its line does not run on


def joined(comments: Iterable[Any]) -> list[dict[str, Any]]:
    """The plan's comments as {line, text, path}, with each line that continues a bullet (the next
    line, same column and path, no mark of its own, the bullet's sentence unfinished) joined onto
    the bullet's text."""
    out: list[dict[str, Any]] = []
    open_at: tuple[int, int, str] | None = None  # (last line, column, path) of the open bullet
    for c in comments:
        text = c.text
        if (open_at is not None and text and not _BULLET.match(text) and not out[-1]["text"].endswith(_FINISHED)
                and (c.line, c.column, c.path) == (open_at[0] + 1, open_at[1], open_at[2])):
            out[-1]["text"] = out[-1]["text"] + " " + text
            open_at = (c.line, c.column, c.path)
            continue
        out.append({"line": c.line, "text": text, "path": c.path})
        open_at = (c.line, c.column, c.path) if _BULLET.match(text) else None
    return out
