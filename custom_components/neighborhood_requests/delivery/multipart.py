"""The one-shot upload every inbox takes: manifest and clip in one multipart POST.

The clip is read from disk in chunks and hashed on the way out, never held in
memory whole. Used when the inbox does not offer tus, and for any clip a
resumable upload cannot take.

Choices worth knowing:

* SHA-256 mismatch. The clip is hashed while it streams (a second pass would read
  the file twice), and the last chunk is held back until the whole file has been
  hashed. If the digest differs from the manifest's, the body is aborted before
  that chunk and before the closing multipart boundary, so the server never sees
  a complete request: it gets a truncated body and stores nothing.
* Redirects are never followed blindly (`allow_redirects=False`). A redirect to
  another origin (host, scheme or port) is refused: the upload URL was checked
  against the publisher's host by the guardrails, and a redirect must not move
  the clip somewhere else. A same-origin 307 or 308 (the codes that keep POST and
  its body) is followed once, by streaming the file again; any other redirect,
  or a second one, fails the delivery.
* Each attempt uses its own connection (`Connection: close`), and any answer
  other than delivered closes it at once, so a refusal that arrives early does
  not make us push the rest of a large clip after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import hdrs, payload
from yarl import URL

from .clip_stream import ClipStream
from .outcome import (
    REDIRECTED_AWAY,
    UploadOutcome,
    changed,
    classify,
    connection_failed,
    failed,
    retry,
    unreadable,
)
from .stall import Stall

FOLLOWABLE_REDIRECTS = frozenset({307, 308})
IDEMPOTENCY_HEADER = "Idempotency-Key"
MANIFEST_CONTENT_TYPE = "application/jose"
CLIP_CONTENT_TYPE = "video/mp4"


@dataclass(frozen=True, slots=True)
class _Redirect:
    status: int
    location: str | None


def same_origin(a: URL, b: URL) -> bool:
    return (a.scheme.lower(), (a.host or "").lower(), a.port) == (
        b.scheme.lower(),
        (b.host or "").lower(),
        b.port,
    )


async def post_multipart(
    session: aiohttp.ClientSession,
    target: URL,
    *,
    manifest_jws: str,
    clip_path: Path,
    idempotency_key: str,
    expected_sha256: str,
    stall_s: float,
    timeout: aiohttp.ClientTimeout,  # noqa: ASYNC109  (connect only; stalls are ours)
    chunk_size: int,
    filename: str = "clip.mp4",
) -> UploadOutcome:
    """POST to `target`, following one same-origin 307/308; never raises for faults."""
    followed = False
    while True:
        result = await _attempt(
            session,
            target,
            manifest_jws=manifest_jws,
            clip_path=clip_path,
            idempotency_key=idempotency_key,
            expected_sha256=expected_sha256,
            stall_s=stall_s,
            timeout=timeout,
            chunk_size=chunk_size,
            filename=filename,
        )
        if isinstance(result, UploadOutcome):
            return result
        if result.location is None:
            return failed(
                result.status, "upload URL redirected without a Location", "redirected"
            )
        try:
            next_target = target.join(URL(result.location))
        except ValueError:
            return failed(
                result.status, "upload URL redirected to an invalid URL", "redirected"
            )
        if not same_origin(next_target, target):
            return failed(result.status, REDIRECTED_AWAY, "redirected_away")
        if followed or result.status not in FOLLOWABLE_REDIRECTS:
            return failed(
                result.status,
                f"upload URL redirected (HTTP {result.status})",
                "redirected",
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
    stall_s: float,
    timeout: aiohttp.ClientTimeout,  # noqa: ASYNC109  (connect only; stalls are ours)
    chunk_size: int,
    filename: str,
) -> UploadOutcome | _Redirect:
    stall = Stall(stall_s)
    clip = ClipStream(clip_path, expected_sha256, chunk_size, stall.progress)
    try:
        try:
            await clip.open()
        except OSError as err:
            return unreadable(err)
        try:
            async with (
                stall,
                session.post(
                    target,
                    data=_form(manifest_jws, clip, filename),
                    # One connection per attempt: a pooled one the server has
                    # half-closed would fail a large upload for no reason.
                    headers={
                        IDEMPOTENCY_HEADER: idempotency_key,
                        hdrs.CONNECTION: "close",
                    },
                    allow_redirects=False,
                    timeout=timeout,
                ) as response,
            ):
                outcome = await classify(response)
                if outcome is None:
                    return _Redirect(
                        response.status, response.headers.get(hdrs.LOCATION)
                    )
                if not outcome.delivered:
                    # The body may still be streaming: drop the connection
                    # rather than push the rest of the clip to a refusal.
                    response.close()
        except (aiohttp.ClientError, TimeoutError, OSError) as err:
            if clip.mismatch:
                return changed()
            if stall.expired:
                return retry(stall.reason, "stalled", stall.params)
            return connection_failed(err)
        return changed() if clip.mismatch else outcome
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
