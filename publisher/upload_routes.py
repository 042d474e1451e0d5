"""HTTP for uploads: plain multipart, or tus 1.0 creation, HEAD, PATCH and DELETE.

`POST /upload/<request id>` is both: with `Tus-Resumable` it creates a resumable
upload, otherwise it is the one-shot multipart upload that every home can send.
`OPTIONS` on the same URL tells a home which one to use. Either way the manifest
is verified first, the idempotency key is bound to the home key that signed it,
and a request its publisher cancelled, closed or let expire answers 410 Gone.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from email.utils import format_datetime
import logging
import os
from typing import TYPE_CHECKING

from aiohttp import ClientPayloadError, web

from custom_components.neighborhood_requests.protocol.model import Request, Status
from publisher.inbox import (
    CHUNK,
    MAX_MANIFEST_BYTES,
    Duplicate,
    Inbox,
    InProgress,
    UploadRejected,
    check_idempotency_key,
    check_scope,
    parse_manifest_bytes,
)
from publisher.tus import ChecksumMismatch, OffsetConflict, TusStore, TusUpload

if TYPE_CHECKING:
    from publisher.server import FeedFile

_LOGGER = logging.getLogger(__name__)

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,checksum,termination,expiration"
CHECKSUM_ALGORITHM = "sha256"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
CHECKSUM_MISMATCH = 460  # tus checksum extension
# How long a home should wait before retrying an upload whose key is still running.
IN_PROGRESS_RETRY_AFTER_S = 5
# How long a request waits for a resource a stale PATCH still holds.
LOCK_WAIT_S = 10.0


def _json(http_status: int, **body: object) -> web.Response:
    return web.json_response(body, status=http_status)


def _tus(response: web.StreamResponse) -> web.StreamResponse:
    response.headers["Tus-Resumable"] = TUS_VERSION
    return response


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def open_request(feed: FeedFile, request_id: str) -> Request:
    """The request an upload is for, if its publisher still wants clips for it."""
    request = feed.current().requests.get(request_id)
    if request is None:
        raise UploadRejected(404, f"unknown request {request_id!r}")
    if request.status is not Status.ACTIVE:
        raise UploadRejected(410, f"request {request_id!r} was {request.status.value}")
    if request.expires_at <= datetime.now(UTC):
        raise UploadRejected(410, f"request {request_id!r} has expired")
    return request


def parse_metadata(header: str) -> dict[str, bytes]:
    """tus `Upload-Metadata`: comma-separated `key base64value` pairs, keys unique."""
    pairs: dict[str, bytes] = {}
    if not header.strip():
        return pairs
    for item in header.split(","):
        key, _, value = item.strip().partition(" ")
        if not key or " " in value.strip():
            raise UploadRejected(400, "Upload-Metadata: malformed pair")
        if key in pairs:
            raise UploadRejected(400, f"Upload-Metadata: {key} given twice")
        try:
            pairs[key] = base64.b64decode(value.strip(), validate=True)
        except binascii.Error:
            raise UploadRejected(400, f"Upload-Metadata: {key} is not base64") from None
    return pairs


def _int_header(request: web.Request, name: str) -> int:
    raw = request.headers.get(name)
    if raw is None:
        raise UploadRejected(400, f"{name} header required")
    if not raw.isascii() or not raw.isdigit():
        raise UploadRejected(400, f"{name} must be a non-negative integer")
    return int(raw)


def _checksum(request: web.Request) -> bytes | None:
    raw = request.headers.get("Upload-Checksum")
    if raw is None:
        return None
    algorithm, _, value = raw.strip().partition(" ")
    if algorithm.lower() != CHECKSUM_ALGORITHM:
        raise UploadRejected(400, f"Upload-Checksum: {algorithm} is not supported")
    try:
        digest = base64.b64decode(value.strip(), validate=True)
    except binascii.Error:
        digest = b""
    if len(digest) != 32:
        raise UploadRejected(400, "Upload-Checksum: not a base64 SHA-256 digest")
    return digest


class UploadRoutes:
    """Handlers only: every decision about bytes lives in `Inbox` and `TusStore`."""

    def __init__(self, feed: FeedFile, inbox: Inbox, tus: TusStore) -> None:
        self.feed = feed
        self.inbox = inbox
        self.tus = tus

    def add_to(self, app: web.Application) -> None:
        app.router.add_route("OPTIONS", "/upload/{request_id}", self.options)
        app.router.add_post("/upload/{request_id}", self.post)
        resource = "/upload/{request_id}/{upload_id}"
        app.router.add_route("HEAD", resource, self.head)
        app.router.add_route("PATCH", resource, self.patch)
        app.router.add_route("DELETE", resource, self.delete)

    async def options(self, request: web.Request) -> web.StreamResponse:
        """tus discovery: what this inbox speaks, so a home need not guess."""
        response = web.Response(status=204)
        response.headers.update(
            {
                "Tus-Version": TUS_VERSION,
                "Tus-Extension": TUS_EXTENSIONS,
                "Tus-Max-Size": str(self.inbox.max_clip_bytes),
                "Tus-Checksum-Algorithm": CHECKSUM_ALGORITHM,
            }
        )
        return _tus(response)

    async def post(self, request: web.Request) -> web.StreamResponse:
        """A multipart upload, or the creation of a resumable one."""
        tus = "Tus-Resumable" in request.headers
        response = await self._post(request, tus=tus)
        return _tus(response) if tus else response

    async def _post(self, request: web.Request, *, tus: bool) -> web.StreamResponse:
        try:
            target = open_request(self.feed, request.match_info["request_id"])
            key = check_idempotency_key(request.headers.get("Idempotency-Key"))
            if tus:
                return await self._create(request, target, key)
            return await self._multipart(request, target, key)
        except _VersionMismatch:
            return _version_mismatch()
        except Duplicate:
            return _json(409, status="duplicate")
        except InProgress:
            response = _json(
                503, status="in_progress", reason="an upload with this key is running"
            )
            response.headers["Retry-After"] = str(IN_PROGRESS_RETRY_AFTER_S)
            return response
        except UploadRejected as err:
            status = "withdrawn" if err.status == 410 else "rejected"
            return _json(err.status, status=status, reason=err.reason)
        except ValueError as err:
            return _json(
                400, status="rejected", reason=f"malformed multipart body: {err}"
            )
        except ConnectionError, ClientPayloadError:
            # The home's connection broke off; staging is already cleaned up.
            return _json(400, status="rejected", reason="the upload broke off")

    async def _multipart(
        self, request: web.Request, target: Request, key: str
    ) -> web.StreamResponse:
        limit = self.inbox.max_clip_bytes + MAX_MANIFEST_BYTES + 64 * 1024
        if request.content_length is not None and request.content_length > limit:
            raise UploadRejected(413, f"upload larger than {limit} bytes")
        if not request.content_type.startswith("multipart/"):
            raise UploadRejected(400, "expected a multipart/form-data body")
        receipt = await self.inbox.receive(
            target.id,
            self.feed.current().publisher_id,
            key,
            await request.multipart(),
        )
        self.tus_done(receipt.home_key_id, receipt.idempotency_key_sha256)
        _LOGGER.info(
            "Received %s for %s from %s", receipt.sha256, target.id, receipt.home_key_id
        )
        return _json(201, status="created", sha256=receipt.sha256)

    def tus_done(self, home_key_id: str, key_sha256: str) -> None:
        """A clip stored another way leaves no resumable upload of it behind."""
        upload = self.tus.find((home_key_id, key_sha256))
        if upload is not None and not upload.lock.locked():
            self.tus.remove(upload)

    async def _create(
        self, request: web.Request, target: Request, key: str
    ) -> web.StreamResponse:
        self._check_version(request)
        if "Upload-Defer-Length" in request.headers:
            raise UploadRejected(400, "Upload-Defer-Length is not supported")
        length = _int_header(request, "Upload-Length")
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        if "manifest" not in metadata:
            raise UploadRejected(400, "Upload-Metadata: manifest required")
        filetype = metadata.get("filetype", b"video/mp4").decode("ascii", "replace")
        if filetype.split(";")[0].strip().lower() != "video/mp4":
            raise UploadRejected(415, f"clip must be video/mp4, not {filetype}")
        token, manifest = parse_manifest_bytes(metadata["manifest"])
        check_scope(
            manifest,
            target.id,
            self.feed.current().publisher_id,
            self.inbox.max_clip_bytes,
        )
        if length != manifest.bytes:
            raise UploadRejected(
                422, f"Upload-Length is {length}, manifest says {manifest.bytes}"
            )
        binding = self.inbox.claim(manifest, key)
        if self.inbox.receiving(manifest.home_key_id, key):
            raise InProgress
        now = datetime.now(UTC)
        self.tus.sweep(now, self._live)
        upload = self.tus.find(binding)
        if upload is not None and upload.info.sha256 != manifest.sha256.lower():
            # The home exported the clip again: the old bytes are worth nothing.
            if not await upload.acquire(LOCK_WAIT_S):
                return self._busy()
            self.tus.remove(upload)
            upload.lock.release()
            upload = None
        if upload is None:
            upload = self.tus.create(manifest, token, binding, target.expires_at)
        if length == 0:
            await upload.acquire(LOCK_WAIT_S)
            try:
                failed = await self._finish(upload)
            finally:
                upload.lock.release()
            if failed is not None:
                return failed
        response = web.Response(status=201)
        response.headers.update(
            {
                "Location": f"{target.id}/{upload.info.upload_id}",
                "Upload-Offset": str(upload.offset()),
                "Upload-Expires": _http_date(upload.info.expires),
            }
        )
        return _tus(response)

    def _live(self, request_id: str) -> bool:
        try:
            open_request(self.feed, request_id)
        except UploadRejected:
            return False
        return True

    def _check_version(self, request: web.Request) -> None:
        if request.headers.get("Tus-Resumable") != TUS_VERSION:
            raise _VersionMismatch

    def _busy(self) -> web.StreamResponse:
        response = _json(503, status="busy", reason="the upload is in use")
        response.headers["Retry-After"] = "1"
        return _tus(response)

    def _resource(self, request: web.Request) -> TusUpload:
        """The upload the URL names, if it exists and its request is still open."""
        self._check_version(request)
        upload = self.tus.get(request.match_info["upload_id"])
        request_id = request.match_info["request_id"]
        if upload is None or upload.info.request_id != request_id:
            raise UploadRejected(404, "no such upload")
        try:
            open_request(self.feed, request_id)
        except UploadRejected:
            if not upload.lock.locked():
                self.tus.remove(upload)
            raise
        return upload

    async def head(self, request: web.Request) -> web.StreamResponse:
        """Where a resumable upload stands; a home resumes from `Upload-Offset`."""
        try:
            upload = self._resource(request)
        except _VersionMismatch:
            return _version_mismatch()
        except UploadRejected as err:
            return _tus(web.Response(status=err.status))
        if not await upload.acquire(LOCK_WAIT_S):
            return self._busy()
        try:
            response = web.Response(status=200)
            response.headers.update(
                {
                    "Upload-Offset": str(upload.offset()),
                    "Upload-Length": str(upload.info.length),
                    "Upload-Expires": _http_date(upload.info.expires),
                    "Cache-Control": "no-store",
                }
            )
            return _tus(response)
        finally:
            upload.lock.release()

    async def patch(self, request: web.Request) -> web.StreamResponse:
        """Append the body at `Upload-Offset`; the last byte commits the clip."""
        try:
            upload = self._resource(request)
            content_type = request.headers.get("Content-Type", "")
            if content_type.split(";")[0].strip().lower() != OFFSET_CONTENT_TYPE:
                raise UploadRejected(415, f"Content-Type must be {OFFSET_CONTENT_TYPE}")
            offset = _int_header(request, "Upload-Offset")
            checksum = _checksum(request)
        except _VersionMismatch:
            return _version_mismatch()
        except UploadRejected as err:
            return _tus(_json(err.status, status="rejected", reason=err.reason))
        if not await upload.acquire(LOCK_WAIT_S):
            return self._busy()
        transport = request.transport
        upload.interrupt = transport.abort if transport is not None else None
        try:
            try:
                end = await upload.append(
                    offset, request.content.iter_chunked(CHUNK), checksum
                )
            except OffsetConflict:
                return _tus(
                    _json(409, status="conflict", reason="Upload-Offset mismatch")
                )
            except ChecksumMismatch:
                return _tus(
                    _json(
                        CHECKSUM_MISMATCH, status="rejected", reason="checksum mismatch"
                    )
                )
            except UploadRejected as err:
                return _tus(_json(err.status, status="rejected", reason=err.reason))
            except ConnectionError, ClientPayloadError:
                # The home's connection went away: it resumes with HEAD.
                return _tus(web.Response(status=400))
            if end == upload.info.length:
                failed = await self._finish(upload)
                if failed is not None:
                    return failed
        finally:
            upload.interrupt = None
            upload.lock.release()
        response = web.Response(status=204)
        response.headers.update(
            {
                "Upload-Offset": str(end),
                "Upload-Expires": _http_date(upload.info.expires),
            }
        )
        return _tus(response)

    async def delete(self, request: web.Request) -> web.StreamResponse:
        """tus termination: a home that gave up frees the space at once."""
        try:
            upload = self._resource(request)
        except _VersionMismatch:
            return _version_mismatch()
        except UploadRejected as err:
            return _tus(web.Response(status=err.status))
        if not await upload.acquire(LOCK_WAIT_S):
            return self._busy()
        try:
            self.tus.remove(upload)
        finally:
            upload.lock.release()
        return _tus(web.Response(status=204))

    async def _finish(self, upload: TusUpload) -> web.StreamResponse | None:
        """All bytes are in: check them against the manifest and store the clip.

        Returns the refusal to send, or None when the clip is stored (or already
        was, which for the home is the same).
        """
        info = upload.info
        try:
            token, manifest = parse_manifest_bytes(info.token.encode("ascii"))
            if await upload.digest() != info.sha256:
                raise UploadRejected(422, "clip sha256 does not match the manifest")
            self.inbox.check(manifest, info.binding)
            with self.inbox.staging() as staging:
                os.replace(upload.data, staging / "clip.mp4")
                receipt = self.inbox.commit(staging, token, manifest, info.binding)
            _LOGGER.info(
                "Received %s for %s from %s (resumable)",
                receipt.sha256,
                info.request_id,
                info.home_key_id,
            )
        except Duplicate:
            pass
        except UploadRejected as err:
            return _tus(_json(err.status, status="rejected", reason=err.reason))
        finally:
            self.tus.remove(upload)
        return None


class _VersionMismatch(Exception):
    """The request speaks another tus version than 1.0.0."""


def _version_mismatch() -> web.StreamResponse:
    response = web.Response(status=412)
    response.headers["Tus-Version"] = TUS_VERSION
    return response
