"""A clip file as async chunks, hashed as it is read, its last chunk held back.

Holding the last chunk until the whole file is hashed is what lets an upload
abort before the server has a complete body when the file on disk is no longer
the one the manifest signs (see `upload.py`).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path


class ClipChangedError(Exception):
    """Raised inside the request body to abort it before its last byte."""


class ClipStream:
    """Async chunks of a clip file, hashed as read, the last one held until verified.

    Reads and hashing run in the executor (hashlib releases the GIL on large
    buffers), so the event loop only moves bytes.
    """

    def __init__(self, path: Path, expected_sha256: str, chunk_size: int) -> None:
        self._path = path
        self._expected = expected_sha256.lower()
        self._chunk_size = chunk_size
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
            held = chunk
        if self._digest.hexdigest() != self._expected:
            self.mismatch = True
            raise ClipChangedError(self._path.name)
        if held:
            yield held
