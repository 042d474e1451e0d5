"""The reference publisher, feed and inbox, on 127.0.0.1 with faults on demand.

The feed is served and the clips are received by `publisher/`'s own app
(`create_app` over a `FeedFile`, an `Inbox` and its tus uploads), so a delivery
test ends where a real share ends. In front of it sits a script, consumed one
POST at a time, that can answer with a status after reading the body, reset the
connection part-way, or redirect; an empty script hands the POST to the real
inbox.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import hashlib
import json
from pathlib import Path
import socket
from typing import Any

from aiohttp import ClientPayloadError, web
from aiohttp.typedefs import Handler

from custom_components.neighborhood_requests.protocol import jws
from custom_components.neighborhood_requests.protocol.model import Manifest
from publisher.inbox import Inbox
from publisher.server import FeedFile, create_app
from publisher.tus import TusStore
from tests.protocol.factories import feed_bytes, make_feed, make_publisher

from .conftest import request_now

REQUEST_ID = "wpd-2026-0412"
ADMIN_TOKEN = "integration-tests-admin-token"


@dataclass
class PublisherServer:
    """The publisher's feed and inbox; `script` steps apply to the next POSTs.

    With `offer_tus` off the inbox answers `OPTIONS` with 405, like a publisher
    without resumable uploads, and homes fall back to multipart. `patches` counts
    the tus PATCH requests, `posts` the idempotency key of every POST.
    """

    root: Path
    base_url: str = ""
    offer_tus: bool = True
    script: list[object] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    patches: int = 0
    hold_patches: bool = False
    patch_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    hold_ended: asyncio.Event = field(default_factory=asyncio.Event)
    held: list[str] = field(default_factory=list)
    feed: FeedFile | None = None
    inbox: Inbox | None = None
    tus: TusStore | None = None
    runner: web.AppRunner | None = None

    @property
    def feed_url(self) -> str:
        return f"{self.base_url}/feed.json"

    @property
    def upload_url(self) -> str:
        return f"{self.base_url}/upload/{REQUEST_ID}"

    def publish(self, *requests: dict[str, Any]) -> None:
        """Replace the feed file (a new inode, as `sign` does)."""
        document = make_feed(
            list(requests), publisher=make_publisher(url=f"{self.base_url}/")
        )
        path = self.root / "feed.json"
        staging = self.root / "feed.json.new"
        staging.write_bytes(feed_bytes(document))
        staging.replace(path)

    def request(self, **overrides: Any) -> dict[str, Any]:
        """The factories' request, with its upload URL on this server."""
        overrides.setdefault("response", {"upload_url": self.upload_url})
        return request_now(**overrides)

    async def start(self) -> None:
        """Bind first: the feed names upload URLs on the port it gets."""
        self.root.mkdir(parents=True, exist_ok=True)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        host, port = sock.getsockname()[:2]
        self.base_url = f"http://{host}:{port}"
        self.publish()
        self.feed = FeedFile(self.root / "feed.json", allow_loopback_upload=True)
        self.inbox = Inbox(self.root / "inbox", max_clip_bytes=50_000_000)
        self.tus = TusStore(self.inbox.root)
        app = create_app(self.feed, self.inbox, admin_token=ADMIN_TOKEN, tus=self.tus)
        app.middlewares.append(self._scripted)
        self.runner = web.AppRunner(app, access_log=None, lingering_time=0)
        await self.runner.setup()
        await web.SockSite(self.runner, sock).start()

    @web.middleware
    async def _scripted(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        if request.method == "OPTIONS" and not self.offer_tus:
            return web.Response(status=405)
        if request.method == "PATCH":
            self.patches += 1
            if self.hold_patches:
                return await self._hold(request)
        if request.method != "POST" or not request.path.startswith("/upload/"):
            return await handler(request)
        self.posts.append(request.headers.get("Idempotency-Key", ""))
        self.paths.append(request.path_qs)
        step = self.script.pop(0) if self.script else "inbox"
        if step == "inbox":
            return await handler(request)
        if step == "stored_then_500":
            # The inbox keeps the clip, but its answer never reaches the home.
            await handler(request)
            return web.json_response({"reason": "proxy failed"}, status=500)
        if step == "reset":
            await request.content.read(1024)
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)
        if isinstance(step, tuple):
            _, status, location = step
            return web.Response(status=status, headers={"Location": location})
        assert isinstance(step, int)
        await request.read()
        return web.json_response({"reason": f"scripted {step}"}, status=step)

    async def _hold(self, request: web.Request) -> web.StreamResponse:
        """Take the PATCH and never answer: an upload in flight, until the home
        drops the connection. `held` says how it ended; nothing reaches the inbox.
        """
        self.patch_arrived.set()
        try:
            while await request.content.readany():
                pass
            # aiohttp has no event for a connection lost after the body ended.
            while (transport := request.transport) is not None and (  # noqa: ASYNC110
                not transport.is_closing()
            ):
                await asyncio.sleep(0.02)
        except ConnectionError, ClientPayloadError:
            pass
        self.held.append("dropped by the home")
        self.hold_ended.set()
        return web.Response(status=500)

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    def stored(self) -> list[dict[str, Any]]:
        assert self.inbox is not None
        return self.inbox.receipts()

    def clip_folder(self, receipt: dict[str, Any]) -> Path:
        assert self.inbox is not None
        return (
            self.inbox.root
            / receipt["request_id"]
            / receipt["home_key_id"]
            / receipt["sha256"]
        )


def verify_stored(
    server: PublisherServer, receipt: dict[str, Any], home_jwk: dict[str, str]
) -> Manifest:
    """The stored clip's SHA-256 and the manifest signature, checked by the home key."""
    folder = server.clip_folder(receipt)
    token = (folder / "manifest.jws").read_text().strip()
    manifest = jws.verify_manifest(
        token, {home_jwk["kid"]: jws.public_key_from_jwk(home_jwk)}
    )
    clip = (folder / "clip.mp4").read_bytes()
    assert hashlib.sha256(clip).hexdigest() == manifest.sha256
    assert len(clip) == manifest.bytes
    return manifest


def audit_events(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line)["event"] for line in path.read_text().splitlines()]
