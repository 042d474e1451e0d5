"""`serve`: the feed as a static document, plus the inbox that receives shared clips.

Every home gets the same bytes (no per-home query, so nothing learns who polls),
and conditional GETs make the frequent poll nearly free.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
import hashlib
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from custom_components.neighborhood_requests.protocol.addresses import (
    is_this_computer,
)
from custom_components.neighborhood_requests.protocol.cap import (
    latest_revisions,
    parse_cap,
)
from custom_components.neighborhood_requests.protocol.errors import ProtocolError
from custom_components.neighborhood_requests.protocol.feed import FeedVerifier
from custom_components.neighborhood_requests.protocol.model import Request
from custom_components.neighborhood_requests.protocol.parse import parse_feed
from publisher.errors import PublisherError
from publisher.inbox import (
    DEFAULT_MAX_CLIP_BYTES,
    MAX_MANIFEST_BYTES,
    Duplicate,
    Inbox,
    InProgress,
    UploadRejected,
    check_idempotency_key,
)

_LOGGER = logging.getLogger(__name__)

# How long a home should wait before retrying an upload whose key is still running.
IN_PROGRESS_RETRY_AFTER_S = 5


@dataclass(frozen=True, slots=True)
class ServeConfig:
    feed_path: Path
    inbox_dir: Path
    host: str = "127.0.0.1"
    port: int = 8080
    allow_loopback_upload: bool = False
    max_clip_bytes: int = DEFAULT_MAX_CLIP_BYTES


@dataclass(frozen=True, slots=True)
class FeedSnapshot:
    """One version of the feed file, with what the inbox needs to know about it."""

    body: bytes
    etag: str
    last_modified: datetime
    content_type: str
    publisher_id: str | None
    requests: dict[str, Request] = field(default_factory=dict)


def upload_url_problems(
    requests: dict[str, Request], *, allow_loopback: bool
) -> list[str]:
    """Clips must travel over TLS; plain http is only for a loopback test setup."""
    problems = []
    for request in requests.values():
        url = urlsplit(request.upload_url)
        if url.scheme == "https":
            continue
        if (
            url.scheme == "http"
            and allow_loopback
            and is_this_computer(url.hostname or "")
        ):
            continue
        problems.append(f"{request.id}: upload_url {request.upload_url} is not https")
    return problems


def snapshot_of(body: bytes, mtime: float) -> FeedSnapshot:
    """Parse the file once per change: the inbox checks request ids against it."""
    etag = hashlib.sha256(body).hexdigest()
    modified = datetime.fromtimestamp(int(mtime), UTC)
    if body.lstrip()[:1] == b"<":
        requests = {r.id: r for r in latest_revisions(parse_cap(body)).requests}
        # CAP names no publisher id, so uploads for it are not checked against one.
        return FeedSnapshot(body, etag, modified, "application/cap+xml", None, requests)
    feed = parse_feed(body)
    result = FeedVerifier(
        feed.publisher.keys, allow_unsigned=True, max_requests=max(len(feed.entries), 1)
    ).verify(feed)
    requests = {item.request.id: item.request for item in result.accepted}
    return FeedSnapshot(
        body, etag, modified, "application/json", feed.publisher.id, requests
    )


class FeedFile:
    """The served feed, re-read whenever the file is replaced or touched.

    `sign` replaces the file atomically (new inode), so comparing inode, size and
    mtime catches every update even within one mtime tick. The stat and the rare
    re-read are synchronous: a feed is a few MB at most and changes seldom.
    """

    def __init__(self, path: Path, *, allow_loopback_upload: bool = False) -> None:
        self.path = path
        self.allow_loopback_upload = allow_loopback_upload
        self._stamp: tuple[int, int, int] | None = None
        self._snapshot: FeedSnapshot | None = None

    def current(self) -> FeedSnapshot:
        """The latest good version; a broken rewrite keeps the previous one served."""
        try:
            stat = os.stat(self.path)
            stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            if stamp != self._stamp:
                snapshot = snapshot_of(self.path.read_bytes(), stat.st_mtime)
                if problems := upload_url_problems(
                    snapshot.requests, allow_loopback=self.allow_loopback_upload
                ):
                    raise PublisherError(
                        f"{self.path}: {'; '.join(problems)} "
                        "(--allow-loopback-upload permits http on loopback)"
                    )
                self._snapshot, self._stamp = snapshot, stamp
        except (OSError, ProtocolError, PublisherError) as err:
            if self._snapshot is None:
                if isinstance(err, OSError):
                    raise PublisherError(
                        f"cannot read {self.path}: {err.strerror}"
                    ) from None
                raise PublisherError(str(err)) from None
            _LOGGER.error("Keeping the previous feed: %s", err)
        assert self._snapshot is not None
        return self._snapshot


def _json(http_status: int, **body: object) -> web.Response:
    return web.json_response(body, status=http_status)


class Routes:
    """HTTP handlers; they only translate between HTTP and `FeedFile`/`Inbox`."""

    def __init__(self, feed: FeedFile, inbox: Inbox) -> None:
        self.feed = feed
        self.inbox = inbox

    async def get_feed(self, request: web.Request) -> web.Response:
        snapshot = self.feed.current()
        response = web.Response(status=200)
        response.etag = snapshot.etag
        response.last_modified = snapshot.last_modified
        response.headers["Cache-Control"] = "public, no-cache"
        if _not_modified(request, snapshot):
            response.set_status(304)
            return response
        response.body = snapshot.body
        response.content_type = snapshot.content_type
        return response

    async def upload(self, request: web.Request) -> web.Response:
        request_id = request.match_info["request_id"]
        snapshot = self.feed.current()
        if request_id not in snapshot.requests:
            return _json(
                404, status="rejected", reason=f"unknown request {request_id!r}"
            )
        try:
            key = check_idempotency_key(request.headers.get("Idempotency-Key"))
            limit = self.inbox.max_clip_bytes + MAX_MANIFEST_BYTES + 64 * 1024
            if request.content_length is not None and request.content_length > limit:
                raise UploadRejected(413, f"upload larger than {limit} bytes")
            if not request.content_type.startswith("multipart/"):
                raise UploadRejected(400, "expected a multipart/form-data body")
            receipt = await self.inbox.receive(
                request_id, snapshot.publisher_id, key, await request.multipart()
            )
        except Duplicate:
            return _json(409, status="duplicate")
        except InProgress:
            response = _json(
                503, status="in_progress", reason="an upload with this key is running"
            )
            response.headers["Retry-After"] = str(IN_PROGRESS_RETRY_AFTER_S)
            return response
        except UploadRejected as err:
            return _json(err.status, status="rejected", reason=err.reason)
        except ValueError as err:
            return _json(
                400, status="rejected", reason=f"malformed multipart body: {err}"
            )
        _LOGGER.info(
            "Received %s for %s from %s",
            receipt.sha256,
            request_id,
            receipt.home_key_id,
        )
        return _json(201, status="created", sha256=receipt.sha256)

    async def list_inbox(self, request: web.Request) -> web.Response:
        return web.json_response(self.inbox.receipts())


def _not_modified(request: web.Request, snapshot: FeedSnapshot) -> bool:
    """RFC 9110: If-None-Match wins; If-Modified-Since only counts without it."""
    if request.if_none_match is not None:
        return any(tag.value in (snapshot.etag, "*") for tag in request.if_none_match)
    since = request.if_modified_since
    return since is not None and snapshot.last_modified <= since


def create_app(feed: FeedFile, inbox: Inbox) -> web.Application:
    routes = Routes(feed, inbox)
    app = web.Application()
    app.router.add_get("/", routes.get_feed)
    app.router.add_get("/feed.json", routes.get_feed)
    app.router.add_post("/upload/{request_id}", routes.upload)
    app.router.add_get("/inbox", routes.list_inbox)
    return app


async def serve(
    config: ServeConfig, *, stop: asyncio.Event, ready: Callable[[str], None]
) -> None:
    """Run until `stop` is set; `ready` gets the base URL once the port is bound."""
    feed = FeedFile(
        config.feed_path, allow_loopback_upload=config.allow_loopback_upload
    )
    feed.current()
    try:
        inbox = Inbox(config.inbox_dir, max_clip_bytes=config.max_clip_bytes)
    except OSError as err:
        raise PublisherError(
            f"cannot use {config.inbox_dir} as inbox: {err.strerror}"
        ) from None
    runner = web.AppRunner(create_app(feed, inbox), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, config.host, config.port)
        try:
            await site.start()
        except OSError as err:
            raise PublisherError(
                f"cannot listen on {config.host}:{config.port}: {err.strerror}"
            ) from None
        host, port = runner.addresses[0][:2]
        ready(f"http://{f'[{host}]' if ':' in host else host}:{port}")
        await stop.wait()
    finally:
        await runner.cleanup()
