"""A small on-disk cache for compiled rule packs, so a one-file `qunce check` starts fast.

An entry is named by a checksum of the pack's bytes and of the Python, Jinja2 and qunce versions,
and it stores those bytes and versions too: a hit counts only when they are equal, so an edited
pack, an upgrade or a checksum collision simply misses. (A checksum, not hashlib: loading
OpenSSL would cost a tenth of the start-up this cache exists to save.) Anything that goes wrong
(no home directory, a read-only disk, a corrupt entry) is a miss, never an error.
QUNCE_NO_CACHE=1 turns it off; QUNCE_CACHE_DIR moves it.
"""

from __future__ import annotations

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


def versions() -> tuple[str, str, str]:
    import jinja2

    from qunce import __version__

    return sys.version, jinja2.__version__, __version__


def key(data: bytes) -> str:
    """The entry name for `data`; entries still hold the bytes and versions for the real check."""
    import zlib

    tag = "\0".join(versions()).encode("utf-8")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{zlib.crc32(tag):08x}{len(data):x}"


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
