"""Writing files safely: atomically, never over an input, never over a device or a folder.

`write_atomic(target, content, inputs=...)` is the only way an output reaches the disk. It refuses
a target that is one of the run's inputs (same resolved path, or same device+inode: a hard link),
an existing target that is not a regular file (`/dev/full`, a FIFO, a socket: the rename would
replace the device node), a name ending in a slash, and a missing folder. It writes a temp file
beside the target and renames it into place, so a failure (a full disk, an interrupt) leaves the
old file or nothing, and no temp file. An existing file keeps its permission bits; a new one gets
what the umask allows, like any file the user's shell would create.

The one deliberate write over an input (editing a plan in place, ../shared/DECISIONS.md) will be
a separate function beside this one; `write_atomic` itself never does it.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from ..errors import OutputError
from ..load.files import Identity, identities, identity


def write_atomic(target: str | Path, content: str | bytes | Iterable[str | bytes], *,
                 inputs: Iterable[str | Path] | Iterable[Identity] = (), force: bool = True) -> Path:
    """Write `content` (text, bytes, or a stream of chunks written as produced) to `target`.

    `inputs` is everything the run read (paths, or load.files identities); landing on any of them
    is refused before a byte is produced."""
    name = os.fsdecode(target)
    path = Path(target)
    if name.endswith(("/", os.sep)) or name in ("", ".", ".."):
        raise OutputError("output-is-dir", {"path": name}, file=name)
    _refuse_inputs(path, name, inputs)
    try:
        st = os.stat(path)  # through links: what a write would reach
    except (FileNotFoundError, NotADirectoryError):  # the folder check below says which
        st = None
    except OSError as e:
        raise OutputError("output-failed", {"reason": e.strerror or str(e)}, file=name) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError("output-is-dir", {"path": name}, file=name)
        if not stat.S_ISREG(st.st_mode):
            raise OutputError("output-not-regular", {"path": name}, file=name)
        if not force:
            raise OutputError("output-exists", {"path": name}, file=name)
        path = path.resolve()  # a link to a regular file: update that file, keep the link
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError("output-no-dir", {"dir": os.fsdecode(directory)}, file=name)
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    chunks = [content] if isinstance(content, (str, bytes)) else content
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise _failed(e, name) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:  # a stream is written as it is produced, renamed only when complete
                fh.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            fh.flush()
            os.fsync(fh.fileno())  # a full disk or quota shows here, before the rename
        os.chmod(tmp, mode)
        if st is not None and hasattr(os, "chown") and os.geteuid() == 0:
            try:
                os.chown(tmp, st.st_uid, st.st_gid)  # root rewriting a user's file leaves it theirs
            except OSError:
                pass
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise _failed(e, name) from None
        raise
    return path


def _refuse_inputs(path: Path, name: str, inputs: Iterable) -> None:
    """Refuse a target that is an input, by resolved path or by device+inode."""
    items = list(inputs)
    if not items:
        return
    found = [x for x in items if isinstance(x, tuple)] + identities(x for x in items if not isinstance(x, tuple))
    where, inode = identity(path)
    for other_path, other_inode in found:
        if where == other_path or (inode is not None and inode == other_inode):
            raise OutputError("output-is-input", {"path": name}, file=name)


def _failed(error: OSError, name: str) -> OutputError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError("output-disk-full", {"path": name}, file=name)
    return OutputError("output-failed", {"reason": error.strerror or str(error)}, file=name)


def _umask() -> int:
    """The process's umask, read without changing it where Linux allows (threads may be running)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
