"""The inbox's resumable uploads (tus 1.0): resources that survive cuts and restarts.

A resource is a folder `~tus/<upload id>/` with `info.json` (who, what, how long)
and `data` (the bytes so far); its offset is the size of `data`. Chunks are not
fsynced one by one: after a crash of the inbox the file system keeps a size no
larger than the data it kept (ext4 and XFS write appended data before the size
that covers it), so the offset can only go back, and a home learns that from
`HEAD` before it sends on. What counts is fsynced: the whole clip, before its
SHA-256 is checked and it is moved into the inbox. (A per-chunk fsync cost about
2 % of the upload time in the delivery bench.) Nothing here speaks HTTP:
`upload_routes` maps requests and answers onto these methods.

Two rules keep a resource consistent when connections die:

* A `PATCH` with `Upload-Checksum` is all or nothing: a body that ends early or
  does not match is cut back to where it began (tus checksum extension).
  Without a checksum, whatever arrived is kept, as tus 1.0 says.
* A new `HEAD`, `PATCH` or `DELETE` on a resource interrupts a `PATCH` still
  running on it: a home only resumes after it lost the old connection, which the
  inbox may not have noticed yet (the lock-release rule of tusd).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
import hashlib
import json
import logging
import os
from pathlib import Path
import secrets
import shutil
from typing import Any

from custom_components.neighborhood_requests.protocol.model import Manifest
from publisher.inbox import Binding, UploadRejected

_LOGGER = logging.getLogger(__name__)

TUS_FOLDER = "~tus"
INFO = "info.json"
DATA = "data"
READ_CHUNK = 1024 * 1024


class OffsetConflict(Exception):
    """`Upload-Offset` is not where the resource stands (tus: 409)."""


class ChecksumMismatch(Exception):
    """The body does not match its `Upload-Checksum` (tus: 460); nothing was kept."""


@dataclass(frozen=True, slots=True)
class TusInfo:
    """What a resource was created for; written once, read at every restart."""

    upload_id: str
    request_id: str
    home_key_id: str
    key_sha256: str
    length: int
    sha256: str
    token: str
    created_at: str
    expires_at: str

    @property
    def binding(self) -> Binding:
        return self.home_key_id, self.key_sha256

    @property
    def expires(self) -> datetime:
        return datetime.fromisoformat(self.expires_at)


@dataclass(eq=False)
class TusUpload:
    """One resource in memory: its lock, the running SHA-256 and who writes now."""

    info: TusInfo
    folder: Path
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # SHA-256 of data[:hashed]; None after a restart until the commit re-reads it.
    hasher: Any = None
    hashed: int = 0
    interrupt: Callable[[], None] | None = None

    @property
    def data(self) -> Path:
        return self.folder / DATA

    def offset(self) -> int:
        try:
            return self.data.stat().st_size
        except FileNotFoundError:
            return 0

    async def acquire(self, wait_s: float) -> bool:
        """Take the lock, first interrupting a `PATCH` that still holds it."""
        if self.lock.locked() and self.interrupt is not None:
            self.interrupt()
        try:
            async with asyncio.timeout(wait_s):
                await self.lock.acquire()
        except TimeoutError:
            return False
        return True

    async def append(
        self, offset: int, body: AsyncIterator[bytes], checksum: bytes | None
    ) -> int:
        """Write `body` at `offset` (which must be the current one); the new offset."""
        if offset != self.offset():
            raise OffsetConflict
        pending = self._hasher_at(offset)
        check = hashlib.sha256() if checksum is not None else None
        written = offset
        with self.data.open("r+b") as handle:
            handle.seek(offset)
            try:
                async for chunk in body:
                    if written + len(chunk) > self.info.length:
                        raise UploadRejected(
                            400, f"body goes past Upload-Length {self.info.length}"
                        )
                    handle.write(chunk)
                    written += len(chunk)
                    if pending is not None:
                        pending.update(chunk)
                    if check is not None:
                        check.update(chunk)
                if check is not None and check.digest() != checksum:
                    raise ChecksumMismatch
            except BaseException as err:
                # Without a checksum, bytes that did arrive count (tus 1.0); a
                # refused body, or a checksummed one that ended early or did
                # not match, keeps nothing.
                if checksum is not None or isinstance(err, UploadRejected):
                    written = offset
                handle.truncate(written)
                raise
            finally:
                self._moved(offset, written, pending)
        return written

    def _hasher_at(self, offset: int) -> Any:
        if self.hasher is None or self.hashed != offset:
            return None
        return self.hasher.copy()

    def _moved(self, start: int, end: int, pending: Any) -> None:
        """Move the running hash along with what was kept."""
        if end == start:
            return
        if pending is not None:
            self.hasher, self.hashed = pending, end
        else:
            self.hasher, self.hashed = None, 0

    async def digest(self) -> str:
        """SHA-256 of the whole upload, on disk: fsynced, then the running hash.

        After a restart there is no running hash and the bytes are read again.
        """
        await asyncio.to_thread(_sync, self.data)
        if self.hasher is not None and self.hashed == self.info.length:
            return str(self.hasher.hexdigest())
        return await asyncio.to_thread(_file_sha256, self.data)


def _sync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class TusStore:
    """Every unfinished resumable upload of an inbox, by id and by binding."""

    def __init__(self, inbox_root: Path) -> None:
        self.root = inbox_root / TUS_FOLDER
        self.root.mkdir(parents=True, exist_ok=True)
        self._uploads: dict[str, TusUpload] = {}
        for folder in sorted(self.root.iterdir()):
            self._load(folder)

    def _load(self, folder: Path) -> None:
        try:
            info = TusInfo(**json.loads((folder / INFO).read_text(encoding="utf-8")))
            if info.upload_id != folder.name:
                raise ValueError("folder name does not match upload_id")
        except (OSError, ValueError, TypeError) as err:
            _LOGGER.warning("Dropping unreadable upload %s: %s", folder.name, err)
            shutil.rmtree(folder, ignore_errors=True)
            return
        upload = TusUpload(info, folder)
        if upload.offset() > info.length:
            _LOGGER.warning("Dropping upload %s: longer than announced", folder.name)
            shutil.rmtree(folder, ignore_errors=True)
            return
        self._uploads[info.upload_id] = upload

    def __len__(self) -> int:
        return len(self._uploads)

    def get(self, upload_id: str) -> TusUpload | None:
        return self._uploads.get(upload_id)

    def find(self, binding: Binding) -> TusUpload | None:
        return next(
            (u for u in self._uploads.values() if u.info.binding == binding), None
        )

    def create(
        self,
        manifest: Manifest,
        token: str,
        binding: Binding,
        expires_at: datetime,
    ) -> TusUpload:
        upload_id = secrets.token_urlsafe(18)
        info = TusInfo(
            upload_id=upload_id,
            request_id=manifest.request_id,
            home_key_id=binding[0],
            key_sha256=binding[1],
            length=manifest.bytes,
            sha256=manifest.sha256.lower(),
            token=token,
            created_at=datetime.now(UTC).isoformat(),
            expires_at=expires_at.astimezone(UTC).isoformat(),
        )
        folder = self.root / upload_id
        folder.mkdir()
        (folder / DATA).touch()
        (folder / INFO).write_text(json.dumps(asdict(info)) + "\n", encoding="utf-8")
        upload = TusUpload(info, folder, hasher=hashlib.sha256(), hashed=0)
        self._uploads[upload_id] = upload
        return upload

    def remove(self, upload: TusUpload) -> None:
        self._uploads.pop(upload.info.upload_id, None)
        shutil.rmtree(upload.folder, ignore_errors=True)

    def sweep(self, now: datetime, live: Callable[[str], bool]) -> None:
        """Forget uploads past their expiry or for a request no longer open."""
        for upload in list(self._uploads.values()):
            if upload.lock.locked():
                continue
            if upload.info.expires <= now or not live(upload.info.request_id):
                self.remove(upload)
