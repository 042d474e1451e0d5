"""Write a clip next to its destination, hash it, and publish it with one rename.

A reader (the uploader, HA's media browser) must never see a half-written clip, so
bytes go to a hidden temporary file in the destination folder and reach their final
name with an atomic `os.replace`; a failure removes the temporary file.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
import hashlib
import os
from pathlib import Path
import secrets
from typing import BinaryIO, Self

CHUNK = 1024 * 1024
_IOV_MAX = 1024


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


def write_views(fd: int, views: list[memoryview], offset: int) -> None:
    """pwritev `views` at `offset`, going on after short writes."""
    views = list(views)  # trimmed below after a short write; the caller's stays
    index = 0
    while index < len(views):
        written = os.pwritev(fd, views[index : index + _IOV_MAX], offset)
        offset += written
        while index < len(views) and written >= len(views[index]):
            written -= len(views[index])
            index += 1
        if written:
            views[index] = views[index][written:]


class WriteBehind:
    """Hashes bytes in file order while one helper thread writes the batch before.

    Hashing batch n overlaps writing batch n - 1 (both release the GIL), with at
    most two batches in flight. Read buffers come back once their bytes are
    written and are reused, sparing the page faults of fresh ones.
    """

    def __init__(self, fd: int, buffer_size: int) -> None:
        self.fd = fd
        self.digest = hashlib.sha256()
        self._buffer_size = buffer_size
        self._free: list[bytearray] = []
        self._writes: deque[Future[None]] = deque()
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="clip-write")

    def buffer(self) -> bytearray:
        """A buffer to read into, reused once an earlier write is done with it."""
        return self._free.pop() if self._free else bytearray(self._buffer_size)

    def write(
        self, views: list[memoryview], offset: int, buffer: bytearray | None = None
    ) -> int:
        """Hash `views` and have them written at `offset`; returns their length.

        `buffer`, the memory the views point into, is reused once written.
        """
        for view in views:
            self.digest.update(view)
        while len(self._writes) >= 2:
            self._writes.popleft().result()
        future = self._writer.submit(write_views, self.fd, views, offset)
        if buffer is not None:
            future.add_done_callback(lambda _: self._free.append(buffer))
        self._writes.append(future)
        return sum(len(view) for view in views)

    def close(self) -> None:
        """Wait for the writes in flight; raise the error of a failed one."""
        self._writer.shutdown()
        for pending in self._writes:
            pending.result()
