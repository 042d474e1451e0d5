"""One upload attempt: resumable (tus 1.0) where the inbox offers it, else multipart.

Every attempt asks the inbox with `OPTIONS` first; an inbox that answers with
tus 1.0 and its creation extension gets a resumable upload (`tus.py`), any other
answer gets the plain multipart POST every inbox must take (`multipart.py`).
Both end in one of the outcomes of `outcome.py`, so the outbox decides between
done, retry, give up, re-export and withdrawn without knowing HTTP.

No attempt has a total deadline: a clip of any size may take as long as it
needs, but one that makes no progress for `stall_timeout` seconds is given up
(and retried by the outbox). Connecting has its own, short limit.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
from yarl import URL

from .clip_stream import ClipChangedError, ClipFile
from .multipart import post_multipart
from .outcome import (
    REDIRECTED_AWAY,
    Result,
    UploadOutcome,
    changed,
    failed,
    truncate,
    unreadable,
)
from .stall import STALL_TIMEOUT_S
from .tus import PIECE, ResumeUrlCallback, TusUpload, discover

CHUNK_SIZE = PIECE
CONNECT_TIMEOUT_S = 30.0


async def _forget(_url: str | None) -> None:
    """For callers that keep nothing: the upload then restarts at every attempt."""


async def upload(
    session: aiohttp.ClientSession,
    url: str,
    *,
    manifest_jws: str,
    clip_path: Path,
    idempotency_key: str,
    expected_sha256: str,
    expected_bytes: int | None = None,
    resume_url: str | None = None,
    on_resume_url: ResumeUrlCallback = _forget,
    stall_timeout: float = STALL_TIMEOUT_S,
    connect_timeout: float = CONNECT_TIMEOUT_S,
    chunk_size: int = CHUNK_SIZE,
    filename: str = "clip.mp4",
) -> UploadOutcome:
    """Send manifest and clip to `url`; never raises for network or server faults.

    `resume_url` is the tus upload URL an earlier attempt created (persisted by
    the outbox through `on_resume_url`, which is awaited before any byte of the
    clip is sent, and called with None when that upload is gone). `filename` is
    what the inbox is told the clip is called.
    """
    try:
        target = URL(url)
        if not target.absolute:
            raise ValueError("not an absolute URL")
    except ValueError as err:
        return failed(None, f"invalid upload URL: {err}", "upload_url_invalid")
    clip = ClipFile(clip_path, expected_sha256, chunk_size)
    try:
        try:
            await clip.open()
        except OSError as err:
            return unreadable(err)
        if expected_bytes is not None and clip.size != expected_bytes:
            return UploadOutcome(
                Result.MISMATCH,
                reason=f"clip is {clip.size} bytes, manifest says {expected_bytes}",
                code="clip_changed",
            )
        timeout = aiohttp.ClientTimeout(
            total=None, connect=connect_timeout, sock_connect=connect_timeout
        )
        server = await discover(session, target, stall_s=stall_timeout, timeout=timeout)
        if isinstance(server, UploadOutcome):
            return server
        if server is None:
            if resume_url is not None:
                await on_resume_url(None)  # the inbox stopped offering tus
            return await post_multipart(
                session,
                target,
                manifest_jws=manifest_jws,
                clip_path=clip_path,
                idempotency_key=idempotency_key,
                expected_sha256=expected_sha256,
                stall_s=stall_timeout,
                timeout=timeout,
                chunk_size=chunk_size,
                filename=filename,
            )
        attempt = TusUpload(
            session,
            target,
            server,
            clip,
            manifest_jws=manifest_jws,
            idempotency_key=idempotency_key,
            resume_url=resume_url,
            on_resume_url=on_resume_url,
            stall_s=stall_timeout,
            timeout=timeout,
            filename=filename,
        )
        try:
            return await attempt.run()
        except ClipChangedError:
            return changed()
        except OSError as err:  # reading the clip itself failed
            return unreadable(err)
    finally:
        await asyncio.get_running_loop().run_in_executor(None, clip.close)


__all__ = [
    "CHUNK_SIZE",
    "REDIRECTED_AWAY",
    "ClipChangedError",
    "Result",
    "UploadOutcome",
    "truncate",
    "upload",
]
