"""One upload attempt: the signed manifest and the clip as a streamed multipart POST.

The clip is read from disk in chunks and hashed on the way out, never held in
memory whole. Every result is classified into one of four outcomes so the outbox
can decide between done, retry, give up and re-export without knowing HTTP.

Choices worth knowing:

* SHA-256 mismatch. The clip is hashed while it streams (a second pass would read
  the file twice), and the last chunk is held back until the whole file has been
  hashed. If the digest differs from the manifest's, the body is aborted before
  that chunk and before the closing multipart boundary, so the server never sees
  a complete request: it gets a truncated body and stores nothing. The inbox
  would reject a mismatched clip anyway, but it should not even receive one.
* Redirects are never followed blindly (`allow_redirects=False`). A redirect to
  another origin (host, scheme or port) is refused: the upload URL was checked
  against the publisher's host by the guardrails, and a redirect must not move
  the clip somewhere else. A same-origin 307 or 308 (the codes that keep POST and
  its body) is followed once, by streaming the file again; any other redirect,
  or a second one, fails the delivery.
* 408 and 429 are retried like 5xx: both say "later", not "never".
* Each attempt uses its own connection (`Connection: close`), and any answer
  other than delivered closes it at once, so a refusal that arrives early does
  not make us push the rest of a large clip after it.
* An unreadable or missing clip file counts as a mismatch: the owner has to
  re-export, and a retry would only fail again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import json
from pathlib import Path

import aiohttp
from aiohttp import hdrs, payload
from yarl import URL

from ..requests.address_guard import refused_address
from .clip_stream import ClipChangedError, ClipStream

CHUNK_SIZE = 256 * 1024
REASON_LIMIT = 200
REASON_READ_LIMIT = 4096
RETRYABLE_4XX = frozenset({408, 429})
FOLLOWABLE_REDIRECTS = frozenset({307, 308})
IDEMPOTENCY_HEADER = "Idempotency-Key"
MANIFEST_CONTENT_TYPE = "application/jose"
CLIP_CONTENT_TYPE = "video/mp4"
REDIRECTED_AWAY = "upload URL redirected to another host"


class Result(StrEnum):
    """What the outbox should do next with a share."""

    DELIVERED = "delivered"  # the inbox has the clip (2xx, or 409 = already there)
    RETRY = "retry"  # transient: 5xx, 408/429, timeout, connection error
    FAILED = "failed"  # final: the inbox refused it (other 4xx, bad redirect)
    MISMATCH = "mismatch"  # the clip on disk is not the one the manifest signs


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """The classified result of one attempt; `reason` is short and owner-readable."""

    result: Result
    status: int | None = None
    reason: str = ""
    duplicate: bool = False

    @property
    def delivered(self) -> bool:
        return self.result is Result.DELIVERED


@dataclass(frozen=True, slots=True)
class _Redirect:
    status: int
    location: str | None


async def upload(
    session: aiohttp.ClientSession,
    url: str,
    *,
    manifest_jws: str,
    clip_path: Path,
    idempotency_key: str,
    expected_sha256: str,
    timeout: aiohttp.ClientTimeout,  # noqa: ASYNC109  (per-phase, not one deadline)
    expected_bytes: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    filename: str = "clip.mp4",
) -> UploadOutcome:
    """POST manifest and clip to `url`; never raises for network or server faults."""
    try:
        target = URL(url)
    except ValueError as err:
        return UploadOutcome(
            Result.FAILED, reason=_truncate(f"invalid upload URL: {err}")
        )
    followed = False
    while True:
        result = await _attempt(
            session,
            target,
            manifest_jws=manifest_jws,
            clip_path=clip_path,
            idempotency_key=idempotency_key,
            expected_sha256=expected_sha256,
            expected_bytes=expected_bytes,
            timeout=timeout,
            chunk_size=chunk_size,
            filename=filename,
        )
        if isinstance(result, UploadOutcome):
            return result
        if result.location is None:
            return _failed(result.status, "upload URL redirected without a Location")
        try:
            next_target = target.join(URL(result.location))
        except ValueError:
            return _failed(result.status, "upload URL redirected to an invalid URL")
        if _origin(next_target) != _origin(target):
            return _failed(result.status, REDIRECTED_AWAY)
        if followed or result.status not in FOLLOWABLE_REDIRECTS:
            return _failed(
                result.status, f"upload URL redirected (HTTP {result.status})"
            )
        followed = True
        target = next_target


async def _attempt(
    session: aiohttp.ClientSession,
    target: URL,
    *,
    manifest_jws: str,
    clip_path: Path,
    idempotency_key: str,
    expected_sha256: str,
    expected_bytes: int | None,
    timeout: aiohttp.ClientTimeout,  # noqa: ASYNC109  (per-phase, not one deadline)
    chunk_size: int,
    filename: str,
) -> UploadOutcome | _Redirect:
    clip = ClipStream(clip_path, expected_sha256, chunk_size)
    try:
        try:
            await clip.open()
        except OSError as err:
            return UploadOutcome(
                Result.MISMATCH,
                reason=_truncate(f"clip file unreadable: {err.strerror or err}"),
            )
        if expected_bytes is not None and clip.size != expected_bytes:
            return UploadOutcome(
                Result.MISMATCH,
                reason=f"clip is {clip.size} bytes, manifest says {expected_bytes}",
            )
        try:
            async with session.post(
                target,
                data=_form(manifest_jws, clip, filename),
                # One connection per attempt: a pooled one the server has
                # half-closed would fail a large upload for no reason.
                headers={IDEMPOTENCY_HEADER: idempotency_key, hdrs.CONNECTION: "close"},
                allow_redirects=False,
                timeout=timeout,
            ) as response:
                outcome = await _classify(response)
                if not isinstance(outcome, UploadOutcome) or not outcome.delivered:
                    # The body may still be streaming: drop the connection
                    # rather than push the rest of the clip to a refusal.
                    response.close()
        except (aiohttp.ClientError, TimeoutError, OSError) as err:
            if clip.mismatch:
                return _changed()
            if isinstance(err, aiohttp.InvalidURL):
                return UploadOutcome(
                    Result.FAILED, reason=_truncate(f"invalid upload URL: {err}")
                )
            if (refused := refused_address(err)) is not None:
                # The session would not connect there; a retry would not either.
                return UploadOutcome(
                    Result.FAILED, reason=_truncate(f"upload address {refused}")
                )
            return UploadOutcome(Result.RETRY, reason=_describe(err))
        return _changed() if clip.mismatch else outcome
    finally:
        clip.close()


def _form(
    manifest_jws: str, clip: ClipStream, filename: str
) -> aiohttp.MultipartWriter:
    with aiohttp.MultipartWriter("form-data") as writer:
        manifest = writer.append(
            manifest_jws, {hdrs.CONTENT_TYPE: MANIFEST_CONTENT_TYPE}
        )
        manifest.set_content_disposition("form-data", name="manifest")
        body = writer.append_payload(
            payload.AsyncIterablePayload(clip, content_type=CLIP_CONTENT_TYPE)
        )
        body.set_content_disposition("form-data", name="clip", filename=filename)
    return writer


async def _classify(response: aiohttp.ClientResponse) -> UploadOutcome | _Redirect:
    status = response.status
    if 200 <= status < 300:
        return UploadOutcome(Result.DELIVERED, status=status)
    if status == 409:
        return UploadOutcome(
            Result.DELIVERED, status=status, reason="already delivered", duplicate=True
        )
    if 300 <= status < 400:
        return _Redirect(status, response.headers.get(hdrs.LOCATION))
    reason = await _server_reason(response)
    if 400 <= status < 500 and status not in RETRYABLE_4XX:
        return UploadOutcome(Result.FAILED, status=status, reason=reason)
    return UploadOutcome(Result.RETRY, status=status, reason=reason)


async def _server_reason(response: aiohttp.ClientResponse) -> str:
    """The server's own words: JSON `reason`/`message`, else its text, else HTTP's."""
    fallback = f"HTTP {response.status} {response.reason or ''}".strip()
    raw = bytearray()
    try:
        while len(raw) < REASON_READ_LIMIT and (
            chunk := await response.content.read(REASON_READ_LIMIT - len(raw))
        ):
            raw += chunk
    except aiohttp.ClientError, TimeoutError, OSError:
        return fallback
    text = raw.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for field in ("reason", "message", "error"):
            value = data.get(field)
            if isinstance(value, str) and value.strip():
                text = value.strip()
                break
    return _truncate(" ".join(text.split())) or fallback


def _origin(url: URL) -> tuple[str, str, int | None]:
    return url.scheme.lower(), (url.host or "").lower(), url.port


def _failed(status: int, reason: str) -> UploadOutcome:
    return UploadOutcome(Result.FAILED, status=status, reason=reason)


def _changed() -> UploadOutcome:
    return UploadOutcome(
        Result.MISMATCH, reason="clip changed since export (SHA-256 mismatch)"
    )


def _describe(err: BaseException) -> str:
    if isinstance(err, TimeoutError):
        return "timed out"
    detail = str(err).strip()
    name = type(err).__name__
    return _truncate(f"{name}: {detail}" if detail else name)


def _truncate(text: str) -> str:
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


__all__ = [
    "CHUNK_SIZE",
    "REDIRECTED_AWAY",
    "ClipChangedError",
    "Result",
    "UploadOutcome",
    "upload",
]
