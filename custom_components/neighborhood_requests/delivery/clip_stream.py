"""A clip file read for upload, hashed as it is read, its last bytes held back.

Holding the last piece until the whole file is hashed is what lets an upload
abort before the server has a complete body when the file on disk is no longer
the one the manifest signs: `ClipStream` for a multipart POST, `ClipFile` for
the ranges of a resumable (tus) upload.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable
    from pathlib import Path


class ClipChangedError(Exception):
    """Raised inside the request body to abort it before its last byte."""


class ClipStream:
    """Async chunks of a clip file, hashed as read, the last one held until verified.

    Reads and hashing run in the executor (hashlib releases the GIL on large
    buffers), so the event loop only moves bytes.
    """

    def __init__(
        self,
        path: Path,
        expected_sha256: str,
        chunk_size: int,
        progress: Callable[[], None] | None = None,
    ) -> None:
        self._path = path
        self._expected = expected_sha256.lower()
        self._chunk_size = chunk_size
        self._progress = progress
        self._digest = hashlib.sha256()
        self._file: BinaryIO | None = None
        self.size = 0
        self.mismatch = False

    async def open(self) -> None:
        """Open the file and learn its size; raises OSError like `open`."""
        loop = asyncio.get_running_loop()
        self._file = await loop.run_in_executor(None, self._path.open, "rb")
        self.size = await loop.run_in_executor(None, self._file_size)

    def _file_size(self) -> int:
        assert self._file is not None
        return os.fstat(self._file.fileno()).st_size

    def close(self) -> None:
        """Close the file; safe to call when it never opened."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def _read_chunk(self) -> bytes:
        assert self._file is not None
        chunk = self._file.read(self._chunk_size)
        self._digest.update(chunk)
        return chunk

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._chunks()

    async def _chunks(self) -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        held = b""
        while chunk := await loop.run_in_executor(None, self._read_chunk):
            if held:
                yield held
                # Asked for the next piece: the previous one left the buffer.
                if self._progress is not None:
                    self._progress()
            held = chunk
        if self._digest.hexdigest() != self._expected:
            self.mismatch = True
            raise ClipChangedError(self._path.name)
        if held:
            yield held


class ClipFile:
    """A clip read by ranges for resumable uploads, its whole SHA-256 kept as it goes.

    A tus upload sends the file in pieces, resumes at offsets the server names
    and may send a range twice after a cut. The file's digest only ever moves
    forward: a range already hashed is not hashed again, a resume beyond what was
    hashed reads the gap first. So the last byte is sent only once the whole file
    is known to be the one the manifest signs.
    """

    def __init__(self, path: Path, expected_sha256: str, piece: int) -> None:
        self._path = path
        self._expected = expected_sha256.lower()
        self._piece = piece
        self._digest = hashlib.sha256()
        self._lock = threading.Lock()
        self._file: BinaryIO | None = None
        self.hashed = 0
        self.size = 0
        self.mismatch = False

    async def open(self) -> None:
        """Open the file and learn its size; raises OSError like `open`."""
        loop = asyncio.get_running_loop()
        self._file = await loop.run_in_executor(None, self._path.open, "rb")
        self.size = await loop.run_in_executor(None, self._file_size)

    def _file_size(self) -> int:
        assert self._file is not None
        return os.fstat(self._file.fileno()).st_size

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _read(self, offset: int, size: int, checksum: Any) -> bytes:
        """`size` bytes at `offset`, fed to the file digest where they are new.

        `pread` keeps no file position, so the next chunk's checksum can be read
        while this one is sent; the lock keeps the file digest in order.
        """
        assert self._file is not None
        data = os.pread(self._file.fileno(), size, offset)
        if checksum is not None:
            checksum.update(data)
        end = offset + len(data)
        with self._lock:
            if offset <= self.hashed < end:
                self._digest.update(memoryview(data)[self.hashed - offset :])
                self.hashed = end
        return data

    def _verify(self) -> None:
        with self._lock:
            changed = self.hashed == self.size and (
                self._digest.hexdigest() != self._expected
            )
        if changed:
            self.mismatch = True
            raise ClipChangedError(self._path.name)

    async def advance(self, offset: int) -> None:
        """Hash the file up to `offset` (a resume past what this run has read)."""
        loop = asyncio.get_running_loop()
        while self.hashed < offset:
            step = min(self._piece, offset - self.hashed)
            await loop.run_in_executor(None, self._read, self.hashed, step, None)
        self._verify()

    async def checksum(self, start: int, end: int) -> bytes:
        """SHA-256 of [start, end) for `Upload-Checksum`; checks the file at its end."""
        await self.advance(start)
        loop = asyncio.get_running_loop()
        digest = hashlib.sha256()
        offset = start
        while offset < end:
            step = min(self._piece, end - offset)
            await loop.run_in_executor(None, self._read, offset, step, digest)
            offset += step
        self._verify()
        return digest.digest()

    async def pieces(
        self, start: int, end: int, progress: Callable[[], None]
    ) -> AsyncIterator[bytes]:
        """[start, end) in pieces; the file's last piece waits until it is verified."""
        await self.advance(start)
        loop = asyncio.get_running_loop()
        offset = start
        while offset < end:
            step = min(self._piece, end - offset)
            data = await loop.run_in_executor(None, self._read, offset, step, None)
            if len(data) < step:  # the file is shorter than it was
                self.mismatch = True
                raise ClipChangedError(self._path.name)
            offset += step
            if offset == self.size:
                self._verify()
            yield data
            progress()
