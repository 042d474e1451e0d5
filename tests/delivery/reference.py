"""The reference publisher's feed and inbox for delivery tests, and what a home signs.

`Publisher` serves `publisher.server.create_app` (multipart and tus) over a feed
that holds REQUEST_ID, restartable on the same port; `middlewares` let a test
change what the inbox says (no tus, no checksums, slow answers) without
touching its handlers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.typedefs import Middleware
from yarl import URL

from custom_components.neighborhood_requests.delivery.outbox import idempotency_key
from custom_components.neighborhood_requests.protocol import jws
from custom_components.neighborhood_requests.protocol.model import Manifest, Window
from publisher.inbox import Inbox
from publisher.server import FeedFile, create_app
from publisher.tus import TusStore
from tests.protocol.factories import (
    HOME_KEY,
    PUBLISHER_ID,
    feed_bytes,
    make_feed,
    make_request,
)

if TYPE_CHECKING:
    from .conftest import Clip

REQUEST_ID = "wpd-2026-0412"
CAMERA = "camera.front_door"
HOME_KEY_ID = jws.jwk_thumbprint(jws.public_jwk(HOME_KEY))
KEY = idempotency_key(PUBLISHER_ID, REQUEST_ID, HOME_KEY_ID, CAMERA)
ADMIN_TOKEN = "delivery-tests-admin-token"


@dataclass
class Publisher:
    """`serve`'s app over a feed holding REQUEST_ID, restartable on the same port."""

    root: Path
    feed: FeedFile
    max_clip_bytes: int = 8_000_000
    middlewares: list[Middleware] = field(default_factory=list)
    url: str = ""
    inbox: Inbox | None = None
    runner: web.AppRunner | None = None

    @property
    def port(self) -> int:
        port = URL(self.url).port
        assert port is not None
        return port

    def upload_url(self, base: str | None = None, request_id: str = REQUEST_ID) -> str:
        return f"{base or self.url}/upload/{request_id}"

    async def start(self) -> None:
        self.inbox = Inbox(self.root, max_clip_bytes=self.max_clip_bytes)
        app = create_app(
            self.feed, self.inbox, admin_token=ADMIN_TOKEN, tus=TusStore(self.root)
        )
        app.middlewares.extend(self.middlewares)
        self.runner = web.AppRunner(app, access_log=None, lingering_time=0)
        await self.runner.setup()
        port = URL(self.url).port if self.url else 0
        await web.TCPSite(self.runner, "127.0.0.1", port).start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    def publish(self, **overrides: Any) -> None:
        """Serve REQUEST_ID with `overrides` (e.g. a cancelled revision)."""
        request = make_request(now=NOW, id=REQUEST_ID, **overrides)
        path = self.feed.path
        staging = path.with_suffix(".new")
        staging.write_bytes(feed_bytes(make_feed([request])))
        staging.replace(path)

    def stored(self) -> list[Path]:
        return sorted(p.parent for p in self.root.glob("*/*/*/receipt.json"))


NOW = datetime.now(UTC).replace(microsecond=0)


async def serve_publisher(tmp_path: Path) -> AsyncIterator[Publisher]:
    """The `publisher` fixture's body (the fixture itself is in conftest)."""
    feed_path = tmp_path / "feed.json"
    served = Publisher(tmp_path / "inbox", FeedFile(feed_path))
    served.publish()
    await served.start()
    yield served
    await served.stop()


def signed_manifest(clip: Clip) -> str:
    """What the home's exporter signs for `clip`."""
    manifest = Manifest(
        request_id=REQUEST_ID,
        publisher_id=PUBLISHER_ID,
        camera=CAMERA,
        window=Window(
            datetime(2026, 11, 20, 14, 0, tzinfo=UTC),
            datetime(2026, 11, 20, 14, 30, tzinfo=UTC),
        ),
        sha256=clip.sha256,
        bytes=clip.size,
        exported_at=datetime(2026, 11, 20, 16, 0, tzinfo=UTC),
        exporter_version="neighborhood_requests 0.1.0",
        home_key_id=HOME_KEY_ID,
    )
    return jws.sign_manifest(manifest, HOME_KEY)
