"""Write-then-rename file output, so a reader never sees half a feed or half a key."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
import secrets


def write_atomic(
    path: Path, data: bytes, *, mode: int = 0o644, overwrite: bool = True
) -> None:
    """Write `data` to a temp file beside `path`, fsync, then move it into place.

    With `overwrite=False` the final step is a hard link, which fails atomically
    when `path` already exists, instead of a check-then-replace race.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
