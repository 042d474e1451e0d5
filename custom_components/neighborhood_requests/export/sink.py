"""Write a clip next to its destination, hash it, and publish it with one rename.

A reader (the uploader, HA's media browser) must never see a half-written clip, so
bytes go to a hidden temporary file in the destination folder and reach their final
name with an atomic `os.replace`; a failure removes the temporary file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
import secrets
from typing import BinaryIO, Self

CHUNK = 1024 * 1024


def temporary_path(destination: Path) -> Path:
    """A hidden, unique sibling of `destination` on the same file system."""
    return destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.part")


def hash_file(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read once in large chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class HashingSink:
    """A temporary file that hashes every byte written to it (sync file I/O)."""

    def __init__(self, destination: Path) -> None:
        self.destination = destination
        self.temporary = temporary_path(destination)
        self._digest = hashlib.sha256()
        self._size = 0
        self._handle: BinaryIO = self.temporary.open("xb")

    def write(self, chunk: bytes | memoryview) -> None:
        """Append and hash one chunk."""
        self._handle.write(chunk)
        self._digest.update(chunk)
        self._size += len(chunk)

    def flush(self) -> None:
        """Hand buffered bytes to the OS so the file can be read back."""
        self._handle.flush()

    def commit(self) -> tuple[str, int]:
        """Flush to disk, rename into place, return (sha256 hex, size)."""
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        self.temporary.replace(self.destination)
        return self._digest.hexdigest(), self._size

    def abort(self) -> None:
        """Drop the temporary file; safe to call after commit or twice."""
        self._handle.close()
        self.temporary.unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.abort()
