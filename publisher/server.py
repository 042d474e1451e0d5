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
import hmac
import logging
import os
from pathlib import Path
import secrets
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
from publisher.atomic import write_atomic
from publisher.errors import PublisherError
from publisher.inbox import DEFAULT_MAX_CLIP_BYTES, Inbox
from publisher.tus import TusStore
from publisher.upload_routes import UploadRoutes

_LOGGER = logging.getLogger(__name__)

ADMIN_TOKEN_FILE = "~admin-token"  # noqa: S105  (a file name, not a secret)
MIN_ADMIN_TOKEN = 16
NEEDS_ADMIN = "the inbox listing needs the publisher's admin token"


@dataclass(frozen=True, slots=True)
class ServeConfig:
    feed_path: Path
    inbox_dir: Path
    host: str = "127.0.0.1"
    port: int = 8080
    allow_loopback_upload: bool = False
    max_clip_bytes: int = DEFAULT_MAX_CLIP_BYTES
    admin_token_file: Path | None = None


def default_token_file(config: ServeConfig) -> Path:
    """Beside the uploads it guards; "~" keeps it apart from any request id."""
    return config.inbox_dir / ADMIN_TOKEN_FILE


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


class Routes:
    """The feed and the admin listing; uploads are `upload_routes.UploadRoutes`."""

    def __init__(self, feed: FeedFile, inbox: Inbox, admin_token: str) -> None:
        self.feed = feed
        self.inbox = inbox
        self._admin_token = admin_token.encode()

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

    async def list_inbox(self, request: web.Request) -> web.Response:
        """What arrived, for the publisher only: it names homes' key ids.

        Anyone who could read it would learn every home key id, camera and
        request a share is for, and how a home's idempotency keys are made.
        """
        if not self.admin(request):
            response = web.json_response(
                {"status": "unauthorized", "reason": NEEDS_ADMIN}, status=401
            )
            response.headers["WWW-Authenticate"] = 'Bearer realm="inbox"'
            response.headers["Cache-Control"] = "no-store"
            return response
        response = web.json_response(self.inbox.receipts())
        response.headers["Cache-Control"] = "no-store"
        return response

    def admin(self, request: web.Request) -> bool:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False
        return hmac.compare_digest(token.strip().encode(), self._admin_token)


def _not_modified(request: web.Request, snapshot: FeedSnapshot) -> bool:
    """RFC 9110: If-None-Match wins; If-Modified-Since only counts without it."""
    if request.if_none_match is not None:
        return any(tag.value in (snapshot.etag, "*") for tag in request.if_none_match)
    since = request.if_modified_since
    return since is not None and snapshot.last_modified <= since


def create_app(
    feed: FeedFile, inbox: Inbox, *, admin_token: str, tus: TusStore | None = None
) -> web.Application:
    """The publisher's site: feed, admin listing, multipart and tus uploads."""
    if len(admin_token) < MIN_ADMIN_TOKEN:
        raise PublisherError(
            f"the admin token must be at least {MIN_ADMIN_TOKEN} characters"
        )
    routes = Routes(feed, inbox, admin_token)
    app = web.Application()
    app.router.add_get("/", routes.get_feed)
    app.router.add_get("/feed.json", routes.get_feed)
    app.router.add_get("/inbox", routes.list_inbox)
    uploads = tus if tus is not None else TusStore(inbox.root)
    UploadRoutes(feed, inbox, uploads).add_to(app)
    return app


def admin_token(path: Path) -> str:
    """The token `GET /inbox` needs: read from `path`, or made there on first start."""
    try:
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        token = secrets.token_urlsafe(32)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, token.encode() + b"\n", mode=0o600, overwrite=False)
        except FileExistsError:
            return admin_token(path)  # another start made it first
        except OSError as err:
            raise PublisherError(
                f"cannot write the admin token to {path}: {err.strerror}"
            ) from None
        return token
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) else "not UTF-8 text"
        raise PublisherError(f"cannot read the admin token {path}: {reason}") from None
    if len(token) < MIN_ADMIN_TOKEN or any(c.isspace() for c in token):
        raise PublisherError(
            f"{path}: the admin token must be at least {MIN_ADMIN_TOKEN} characters "
            "without spaces"
        )
    return token


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
        tus = TusStore(config.inbox_dir)
    except OSError as err:
        raise PublisherError(
            f"cannot use {config.inbox_dir} as inbox: {err.strerror}"
        ) from None
    token = admin_token(config.admin_token_file or default_token_file(config))
    runner = web.AppRunner(
        create_app(feed, inbox, admin_token=token, tus=tus), access_log=None
    )
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
