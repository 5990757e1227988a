"""A small on-disk cache for compiled rule packs, so a one-file `qunce check` starts fast.

An entry holds code objects that run without the sandbox compiling them again, so the cache is
only as safe as its folder: like ssh with its keys, an entry is trusted only from a folder that is
a real directory (not a symlink) owned by the current user with no group or other permission
bits, and only from a regular file owned by that user that nobody else may write. Anything else
is refused, and the pack is compiled afresh (nothing is ever written into such a folder).

An entry is named by a checksum of the pack's bytes and of the Python, Jinja2, qunce and cache
format versions, and it stores those bytes and versions too: a hit counts only when the bytes are
equal (the pack's content is the key; the checksum only names the file), so an edited pack, an
upgrade or a checksum collision simply misses. (A checksum, not hashlib: loading OpenSSL would
cost a tenth of the start-up this cache exists to save.) Anything else that goes wrong (no home
directory, a read-only disk, a corrupt entry) is a miss, never an error.
QUNCE_NO_CACHE=1 turns it off; QUNCE_CACHE_DIR moves it.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

FORMAT = "4"  # entries hold (when, messages, let:) codes per rule, and the let: names shared by all items


def _directory() -> Path | None:
    if os.environ.get("QUNCE_NO_CACHE"):
        return None
    base = os.environ.get("QUNCE_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg else Path.home() / ".cache"
    return root / "qunce"


def trusted(path: Path, *, directory: bool) -> bool:
    """Whether `path` may be trusted with code: ours (owner uid is the current user), not a
    symlink, of the expected type, and closed to others (a folder: no group/other bits at all;
    a file: nobody else may write it)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # no owners to check against: do not trust
        return False
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(st.st_mode) or st.st_uid != getuid():
        return False
    if directory:
        return stat.S_ISDIR(st.st_mode) and stat.S_IMODE(st.st_mode) & 0o077 == 0
    return stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) & 0o022 == 0


def versions(env: Any = None) -> tuple[str, ...]:
    """What compiled code depends on besides the pack: Python, Jinja2, qunce, this format, and the
    rule environment's filters and tests (Jinja compiles a call differently for a filter that
    takes the context, so code compiled against another vocabulary must not be reused)."""
    import jinja2

    from qunce import __version__

    return sys.version, jinja2.__version__, __version__, FORMAT, vocabulary_tag(env)


def vocabulary_tag(env: Any) -> str:
    """The names of the environment's filters and tests with how each is called."""
    if env is None:
        return ""
    parts = [f"{kind}:{name}:{getattr(fn, 'jinja_pass_arg', '')}"
             for kind, table in (("f", env.filters), ("t", env.tests)) for name, fn in sorted(table.items())]
    return "|".join(parts)


def key(data: bytes, env: Any = None) -> str:
    """The entry name for `data`; entries still hold the bytes and versions for the real check."""
    import zlib

    tag = "\0".join(versions(env)).encode("utf-8")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{zlib.crc32(tag):08x}{len(data):x}"


def get(name: str) -> Any | None:
    """The entry `name`, or None when it is missing, corrupt, or not in a trusted place."""
    directory = _directory()
    if directory is None or not trusted(directory, directory=True):
        return None
    entry = directory / f"{name}.bin"
    if not trusted(entry, directory=False):
        return None
    try:
        return marshal.loads(entry.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def put(name: str, value: Any) -> None:
    """Store an entry, creating the folder user-only; a folder that is not trusted is left alone."""
    directory = _directory()
    if directory is None:
        return
    tmp = None
    try:
        if not os.path.lexists(directory):
            directory.mkdir(parents=True, mode=0o700)
        if not trusted(directory, directory=True):
            return
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")  # created 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps(value))
        os.replace(tmp, directory / f"{name}.bin")
    except (OSError, ValueError):
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
