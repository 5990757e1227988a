"""A small on-disk cache for compiled rule packs, so a one-file `qunce check` starts fast.

Entries are keyed by a hash of the pack's bytes and of the Python, Jinja2 and qunce versions,
so an edited pack or an upgrade simply misses. Anything that goes wrong (no home directory, a
read-only disk, a corrupt entry) is a miss, never an error. QUNCE_NO_CACHE=1 turns it off;
QUNCE_CACHE_DIR moves it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def _directory() -> Path | None:
    if os.environ.get("QUNCE_NO_CACHE"):
        return None
    base = os.environ.get("QUNCE_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg else Path.home() / ".cache"
    return root / "qunce"


def key(*parts: bytes | str) -> str:
    import jinja2

    from qunce import __version__

    h = hashlib.sha256()
    for part in (sys.version, jinja2.__version__, __version__, *parts):
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def get(name: str) -> Any | None:
    directory = _directory()
    if directory is None:
        return None
    try:
        return marshal.loads((directory / f"{name}.bin").read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def put(name: str, value: Any) -> None:
    directory = _directory()
    if directory is None:
        return
    tmp = None
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps(value))
        os.replace(tmp, directory / f"{name}.bin")
    except (OSError, ValueError):
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
