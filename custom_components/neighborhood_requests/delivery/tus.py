"""Resumable uploads with tus 1.0: creation, `HEAD` for the offset, `PATCH` from there.

A two-hour clip over a home uplink takes longer than most connections last, and a
multipart POST starts from byte 0 every time. With tus the inbox keeps what it
received, so a cut costs only the bytes in flight:

* The upload URL the inbox creates is handed to `on_resume_url` (the outbox
  persists it) before any byte is sent, so even a restart of Home Assistant
  resumes from the inbox's offset instead of from zero.
* Where both sides speak the checksum extension, the clip goes in chunks with
  `Upload-Checksum: sha256`; the inbox keeps a chunk only if it arrived whole
  and matching. Chunks are sized to take about two seconds at the measured rate,
  which bounds what one cut can cost. Without checksums the rest of the clip
  goes in one `PATCH` and the inbox keeps whatever arrived.
* A cut after progress resumes at once (`HEAD`, then `PATCH`); only repeated
  failures with no byte acknowledged in between go back to the outbox and its
  backoff, with the chunk halved each time so a flaky link still gets through.
* As with multipart, the file's SHA-256 is checked before its last byte leaves,
  so a clip that changed since export never completes at the inbox.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum

import aiohttp
from aiohttp import hdrs, payload
from yarl import URL

from .clip_stream import ClipChangedError, ClipFile
from .multipart import IDEMPOTENCY_HEADER, same_origin
from .outcome import (
    REDIRECTED_AWAY,
    Result,
    UploadOutcome,
    changed,
    classify,
    connection_failed,
    describe,
    failed,
    retry,
)
from .stall import Stall

TUS_VERSION = "1.0.0"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
CHECKSUM_MISMATCH = 460
RESOURCE_GONE = frozenset({403, 404, 410})
PIECE = 256 * 1024
FIRST_CHUNK = 4 * 1024 * 1024
MIN_CHUNK = 1024 * 1024
MAX_CHUNK = 32 * 1024 * 1024
CHUNK_TARGET_S = 2.0
MAX_STUCK = 3
RESUME_DELAY_S = 0.25

type ResumeUrlCallback = Callable[[str | None], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class TusServer:
    """What the inbox said in answer to `OPTIONS`."""

    checksum: bool


class _Next(Enum):
    RESYNC = "resync"  # ask the inbox where it stands (HEAD), then go on
    GONE = "gone"  # the upload resource is gone: create it again


async def discover(
    session: aiohttp.ClientSession,
    target: URL,
    *,
    stall_s: float,
    timeout: aiohttp.ClientTimeout,  # noqa: ASYNC109  (connect only; stalls are ours)
) -> TusServer | UploadOutcome | None:
    """tus 1.0 with creation on offer? None means "use multipart"."""
    try:
        async with (
            Stall(stall_s),
            session.options(target, allow_redirects=False, timeout=timeout) as response,
        ):
            await response.read()
            if not 200 <= response.status < 300:
                return None
            versions = _tokens(response.headers.get("Tus-Version"))
            extensions = _tokens(response.headers.get("Tus-Extension"))
            algorithms = _tokens(response.headers.get("Tus-Checksum-Algorithm"))
    except (aiohttp.ClientError, TimeoutError, OSError) as err:
        return connection_failed(err)
    if TUS_VERSION not in versions or "creation" not in extensions:
        return None
    return TusServer(checksum="checksum" in extensions and "sha256" in algorithms)


def _tokens(value: str | None) -> set[str]:
    return {part.strip().lower() for part in (value or "").split(",") if part.strip()}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class TusUpload:
    """One attempt at a resumable upload, from creation (or resume) to the last byte."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        target: URL,
        server: TusServer,
        clip: ClipFile,
        *,
        manifest_jws: str,
        idempotency_key: str,
        resume_url: str | None,
        on_resume_url: ResumeUrlCallback,
        stall_s: float,
        timeout: aiohttp.ClientTimeout,
        filename: str = "clip.mp4",
    ) -> None:
        self._session = session
        self._filename = filename
        self._target = target
        self._server = server
        self._clip = clip
        self._manifest = manifest_jws
        self._key = idempotency_key
        self._url = self._resumable(resume_url)
        self._on_resume_url = on_resume_url
        self._stall_s = stall_s
        self._timeout = timeout
        self._chunk = FIRST_CHUNK
        self._best = 0  # highest offset the inbox acknowledged
        self._best_at_failure = -1
        self._stuck = 0
        self._last_cut = ""

    def _resumable(self, url: str | None) -> URL | None:
        """A stored upload URL, if it still belongs to the upload URL's origin."""
        if url is None:
            return None
        try:
            resumed = URL(url)
        except ValueError:
            return None
        return resumed if same_origin(resumed, self._target) else None

    async def run(self) -> UploadOutcome:
        recreated = False
        while True:
            if self._url is None:
                created = await self._create()
                if isinstance(created, UploadOutcome):
                    return created
                offset: int | _Next | UploadOutcome = created
            else:
                offset = await self._head()
            if isinstance(offset, int):
                if offset >= self._clip.size:  # nothing left: the inbox has it all
                    return UploadOutcome(Result.DELIVERED, status=201)
                offset = await self._send(offset)
            if isinstance(offset, UploadOutcome):
                return offset
            if offset is _Next.GONE:
                if recreated:
                    return retry(
                        "the inbox lost the upload twice in a row", "inbox_lost_upload"
                    )
                recreated = True
                self._url = None
                await self._on_resume_url(None)
                continue
            if offset is _Next.RESYNC and (stuck := await self._failed()) is not None:
                return stuck

    async def _failed(self) -> UploadOutcome | None:
        """A cut or a refused chunk: resume at once while bytes still get through."""
        if self._best > self._best_at_failure:
            self._stuck = 1
        else:
            self._stuck += 1
            self._chunk = max(MIN_CHUNK, self._chunk // 2)
        self._best_at_failure = self._best
        if self._stuck > MAX_STUCK:
            return retry(
                f"no progress after {MAX_STUCK} resumptions: {self._last_cut}",
                "no_progress",
                {"detail": self._last_cut},
            )
        await asyncio.sleep(RESUME_DELAY_S * 2 ** (self._stuck - 1))
        return None

    def _headers(self, **extra: str) -> dict[str, str]:
        return {"Tus-Resumable": TUS_VERSION, **extra}

    async def _create(self) -> int | UploadOutcome:
        metadata = ",".join(
            [
                f"manifest {_b64(self._manifest.encode('ascii'))}",
                f"filename {_b64(self._filename.encode())}",
                f"filetype {_b64(b'video/mp4')}",
            ]
        )
        headers = self._headers(
            **{
                "Upload-Length": str(self._clip.size),
                "Upload-Metadata": metadata,
                IDEMPOTENCY_HEADER: self._key,
            }
        )
        try:
            async with (
                Stall(self._stall_s),
                self._session.post(
                    self._target,
                    headers=headers,
                    allow_redirects=False,
                    timeout=self._timeout,
                ) as response,
            ):
                if response.status != 201:
                    return await self._refused(response, duplicate_ok=True)
                location = response.headers.get(hdrs.LOCATION)
                offset = _offset(response)
        except (aiohttp.ClientError, TimeoutError, OSError) as err:
            return connection_failed(err)
        if location is None:
            return failed(
                201,
                "the inbox created an upload without a Location",
                "inbox_bad_answer",
            )
        try:
            url = self._target.join(URL(location))
        except ValueError:
            return failed(
                201, "the inbox named an invalid upload URL", "inbox_bad_answer"
            )
        if not same_origin(url, self._target):
            return failed(201, REDIRECTED_AWAY, "redirected_away")
        self._url = url
        # On disk before any byte of the clip: a restart resumes, never restarts.
        await self._on_resume_url(str(url))
        return offset if offset is not None else 0

    async def _refused(
        self, response: aiohttp.ClientResponse, *, duplicate_ok: bool
    ) -> UploadOutcome:
        outcome = await classify(response, duplicate_ok=duplicate_ok)
        if outcome is not None:
            return outcome
        location = response.headers.get(hdrs.LOCATION)
        try:
            away = location is not None and not same_origin(
                self._target.join(URL(location)), self._target
            )
        except ValueError:
            away = False
        if away:
            return failed(response.status, REDIRECTED_AWAY, "redirected_away")
        return failed(
            response.status,
            f"upload URL redirected (HTTP {response.status})",
            "redirected",
        )

    async def _head(self) -> int | _Next | UploadOutcome:
        assert self._url is not None
        try:
            async with (
                Stall(self._stall_s),
                self._session.head(
                    self._url,
                    headers=self._headers(),
                    allow_redirects=False,
                    timeout=self._timeout,
                ) as response,
            ):
                if response.status in RESOURCE_GONE:
                    return _Next.GONE
                if not 200 <= response.status < 300:
                    return await self._refused(response, duplicate_ok=False)
                offset = _offset(response)
        except (aiohttp.ClientError, OSError) as err:
            return self._cut(err)
        if offset is None or offset > self._clip.size:
            return _Next.GONE  # not an upload of this clip any more
        self._best = max(self._best, offset)
        return offset

    def _cut(self, err: BaseException) -> _Next:
        self._last_cut = describe(err)
        return _Next.RESYNC

    async def _send(self, offset: int) -> int | _Next | UploadOutcome:
        """PATCH from `offset` until the inbox has every byte, or something stops it.

        With checksums, the next chunk's digest is read while this chunk is on
        the wire, so the link does not wait for the disk between chunks.
        """
        size = self._clip.size
        ahead: _Chunk | None = None
        try:
            while offset < size:
                if ahead is not None and ahead.start == offset:
                    chunk, ahead = ahead, None
                else:
                    await _drop(ahead)
                    chunk, ahead = self._plan(offset), None
                if chunk.end < size and self._server.checksum:
                    ahead = self._plan(chunk.end)
                result = await self._patch(chunk)
                if not isinstance(result, int):
                    return result
                offset = result
        finally:
            await _drop(ahead)
        return UploadOutcome(Result.DELIVERED, status=204)

    def _plan(self, start: int) -> _Chunk:
        """The next chunk, its checksum already being read (checksums on offer)."""
        size = self._clip.size
        if not self._server.checksum:
            return _Chunk(start, size, None)
        end = min(size, start + self._chunk)
        return _Chunk(
            start, end, asyncio.ensure_future(self._clip.checksum(start, end))
        )

    async def _patch(self, chunk: _Chunk) -> int | _Next | UploadOutcome:
        assert self._url is not None
        offset, end = chunk.start, chunk.end
        headers = self._headers(
            **{
                "Upload-Offset": str(offset),
                hdrs.CONTENT_TYPE: OFFSET_CONTENT_TYPE,
                hdrs.CONTENT_LENGTH: str(end - offset),
            }
        )
        if chunk.digest is not None:
            # Raises ClipChangedError when this chunk ends the clip and it changed.
            headers["Upload-Checksum"] = f"sha256 {_b64(await chunk.digest)}"
        loop = asyncio.get_running_loop()
        stall = Stall(self._stall_s)
        try:
            started = loop.time()
            body = payload.AsyncIterablePayload(
                self._clip.pieces(offset, end, stall.progress)
            )
            async with (
                stall,
                self._session.patch(
                    self._url,
                    data=body,
                    headers=headers,
                    allow_redirects=False,
                    timeout=self._timeout,
                ) as response,
            ):
                status = response.status
                if 200 <= status < 300:
                    acknowledged = _offset(response)
                elif status in (409, CHECKSUM_MISMATCH):
                    return _Next.RESYNC
                elif status in RESOURCE_GONE:
                    return _Next.GONE
                else:
                    outcome = await self._refused(response, duplicate_ok=False)
                    response.close()
                    return outcome
        except ClipChangedError:
            return changed()
        except (aiohttp.ClientError, OSError) as err:
            if self._clip.mismatch:
                return changed()
            if stall.expired:  # a minute without progress: the outbox takes over
                return retry(stall.reason, "stalled", stall.params)
            return self._cut(err)  # the connection broke: ask where the inbox is
        if acknowledged is None or not offset < acknowledged <= end:
            return _Next.RESYNC  # an offset we did not expect: ask again
        self._acknowledged(acknowledged - offset, loop.time() - started)
        self._best = max(self._best, acknowledged)
        return acknowledged

    def _acknowledged(self, sent: int, elapsed: float) -> None:
        """Size the next chunk to take about CHUNK_TARGET_S at the rate just seen."""
        if sent < self._chunk or elapsed <= 0:
            return
        wanted = int(sent / elapsed * CHUNK_TARGET_S)
        grown = min(wanted, self._chunk * 2)
        self._chunk = max(MIN_CHUNK, min(MAX_CHUNK, grown - grown % PIECE))


@dataclass(slots=True)
class _Chunk:
    """[start, end) of the clip, and its SHA-256 being read (None: no checksum)."""

    start: int
    end: int
    digest: asyncio.Future[bytes] | None


async def _drop(chunk: _Chunk | None) -> None:
    """Give up a chunk planned ahead; wait for its read so none runs on behind us."""
    if chunk is None or chunk.digest is None:
        return
    chunk.digest.cancel()
    await asyncio.gather(chunk.digest, return_exceptions=True)


def _offset(response: aiohttp.ClientResponse) -> int | None:
    raw = response.headers.get("Upload-Offset")
    if raw is None or not raw.isascii() or not raw.isdigit():
        return None
    return int(raw)
