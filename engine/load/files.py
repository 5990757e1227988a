"""Where qunce finds files and how it reads them: plans under the paths a user gives, rule packs,
templates, and the data shipped with it.

Every user file is read through `read_regular`: only a regular file (a symlink to /dev/zero, a
FIFO, a device or a folder is refused before a byte is read), opened without blocking (a FIFO
cannot hang the run) and never more than cap + 1 bytes (st_size is not trusted: it is 0 for a
device). `identities` names what a run read, by resolved path and by device+inode, so that an
output can never land on an input, not even through a hard link.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable

from ..errors import PlanLoadError, QunceError
from ..i18n import Key

PLAN_SUFFIXES = (".yaml", ".yml")
READ_CHUNK = 64 * 1024


def package_data(*parts: str) -> Path:
    """A file shipped with qunce (schemas/, playbooks/, output_templates/).

    qunce installs as plain files (wheel or editable), so the package directory is found from
    this module; importlib.resources would cost a tenth of a one-file check's start-up."""
    return Path(__file__).resolve().parent.parent.parent.joinpath(*parts)


def discover(paths: Iterable[str | Path]) -> list[str]:
    """Files as given; directories searched recursively for *.yaml/*.yml in a stable order.

    A path that does not exist is kept so that loading it reports "not found" in its place.
    Inside a folder only regular files count (a link to a device or a FIFO is not a plan).
    """
    found: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(str(f) for f in sorted(p.rglob("*"))
                         if f.suffix.lower() in PLAN_SUFFIXES and f.is_file()
                         and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            found.append(str(raw))
    return list(dict.fromkeys(found))


def read_regular(path: str | Path, cap: int, error: type[QunceError] = PlanLoadError) -> bytes:
    """The bytes of one regular file, at most `cap`; anything else is a located `error`.

    Opened with O_NONBLOCK (a FIFO opens at once instead of waiting for a writer) and checked
    with fstat on the open descriptor, so what is read is what was checked, links resolved."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error("not-found", {}, file=name) from None
    except PermissionError:
        raise error("unreadable", {"reason": "permission denied"}, file=name) from None
    except OSError as e:
        raise error("unreadable", {"reason": e.strerror or str(e)}, file=name) from None
    try:
        st = os.fstat(fd)
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            raise error("is-directory", {}, file=name)
        if not stat.S_ISREG(mode):
            raise error("not-regular", {"kind": _kind(mode)}, file=name)
        chunks, size = [], 0
        while size <= cap:
            chunk = os.read(fd, min(READ_CHUNK, cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > cap:
            raise error("too-large", {"size": max(st.st_size, size), "limit": cap}, file=name)
        return b"".join(chunks)
    except OSError as e:
        raise error("unreadable", {"reason": e.strerror or str(e)}, file=name) from None
    finally:
        os.close(fd)


def _kind(mode: int) -> Key:
    for test, kind in ((stat.S_ISCHR, "char-device"), (stat.S_ISBLK, "block-device"),
                       (stat.S_ISFIFO, "fifo"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return Key(f"file:{kind}")
    return Key("file:special")


Identity = tuple[str, "tuple[int, int] | None"]


def identity(path: str | Path) -> Identity:
    """A file as a resolved path and, when it exists, its device+inode (one file under two hard
    links has one inode)."""
    p = Path(path)
    try:
        resolved = str(p.resolve())
    except (OSError, RuntimeError):  # a link loop: compare by the name as given
        resolved = os.path.abspath(p)
    try:
        st = os.stat(p)
        return resolved, (st.st_dev, st.st_ino)
    except (OSError, ValueError):
        return resolved, None


def identities(paths: Iterable[str | Path]) -> list[Identity]:
    """The identities of what a run reads; a folder stands for every file under it (a template
    folder: any of its files may be included)."""
    out: list[Identity] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(identity(f) for f in p.rglob("*") if not f.is_dir())
        else:
            out.append(identity(p))
    return out
