"""Replacing a small file so that, once the call returns, a power cut cannot undo it.

A rename alone is atomic but not durable: until the directory is flushed, the old
name may come back after a crash, and without an fsync of the data the new name
may point at an empty file. So: write a temporary file beside the target, fsync it,
rename it over the target, fsync the directory. Errors are raised, never logged
away: a caller that must not go on without the write (a decision before its
export, an outbox entry before its upload) has to know.

Shared by the audit log's signed head (pure) and the integration's stores.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
import secrets


def write_durably(path: Path, data: bytes) -> None:
    """Replace `path` with `data` (mode 0600), durably; OSError if that fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make a created, renamed or removed name in `directory` durable (POSIX)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
