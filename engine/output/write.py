"""Writing files safely: atomically, never over an input, never over a file unless asked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from ..errors import OutputError


def write_atomic(target: str | Path, content: str | bytes | Iterable[str], *, inputs: Iterable[str | Path] = (),
                 force: bool = True) -> Path:
    """Write to a temp file beside the target and rename it into place.

    A failure (full disk, interrupt, an error while a streamed report is produced) leaves the old
    file or nothing, never half a document; an input plan is never overwritten.
    """
    path = Path(target)
    for source in inputs:
        try:
            if path.exists() and path.resolve() == Path(source).resolve():
                raise OutputError("output-is-input", {"path": str(path)}, file=str(path))
        except OSError:
            continue
    if path.exists() and not force:
        raise OutputError("output-exists", {"path": str(path)}, file=str(path))
    if path.exists() and path.is_dir():
        raise OutputError("output-is-dir", {"path": str(path)}, file=str(path))
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError("output-no-dir", {"dir": str(directory)}, file=str(path))
    chunks = [content] if isinstance(content, (str, bytes)) else content
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise OutputError("output-failed", {"reason": e.strerror or str(e)}, file=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:  # a stream is written as it is produced, renamed only when complete
                fh.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise OutputError("output-failed", {"reason": e.strerror or str(e)}, file=str(path)) from None
        raise
    return path
