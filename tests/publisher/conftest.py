"""Fixtures for the reference publisher: key files, request files, feeds, servers.

Everything runs for real: the CLI is driven through `main(argv)`, servers listen on
127.0.0.1 with ports picked by the OS, and homes sign manifests with real keys.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
import hashlib
import json
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
import jwt
import pytest

from custom_components.neighborhood_requests.protocol.jws import (
    jwk_thumbprint,
    public_jwk,
)
from publisher.__main__ import main
from publisher.inbox import Inbox
from publisher.server import FeedFile, create_app
from publisher.tus import TusStore
from tests.protocol.factories import (
    HOME_KEY,
    PUBLISHER_ID,
    UPLOAD_ORIGIN,
    make_publisher,
    make_request,
)

CAP_ALERT = b"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>WPD-2026-0412</identifier>
  <sender>dispatch@wolcott-pd.example.org</sender>
  <sent>2026-11-20T15:00:00-00:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info>
    <category>Security</category><event>Burglary</event><urgency>Past</urgency>
    <severity>Minor</severity><certainty>Observed</certainty>
    <expires>2026-11-27T14:05:00-00:00</expires>
    <headline>Break-in on Elm Street</headline>
    <parameter><valueName>window_start</valueName><value>2026-11-20T14:00:00-00:00</value></parameter>
    <parameter><valueName>window_end</valueName><value>2026-11-20T14:30:00-00:00</value></parameter>
    <parameter><valueName>case_number</valueName><value>24-1187</value></parameter>
    <parameter><valueName>upload_url</valueName><value>https://feeds.example.org/upload</value></parameter>
    <area><areaDesc>Elm Street</areaDesc><circle>41.6,-73.0 0.3</circle></area>
  </info>
</alert>
"""
"""A single CAP 1.2 alert: the second input format, which carries no signature."""
CLIP = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40
ADMIN_TOKEN = "publisher-admin-token-for-tests"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture(autouse=True)
def _local_sockets(socket_enabled: None) -> None:
    """The publisher is a network tool: let its tests open sockets.

    The Home Assistant test plugin blocks `socket.socket` by default; connections
    stay limited to 127.0.0.1 by its allow-list, so nothing reaches the internet.
    """


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


type Cli = Callable[..., CliResult]
type AsyncCli = Callable[..., Awaitable[CliResult]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """`main(argv)` in-process, with its exit code and captured output."""

    def run(*argv: str | Path) -> CliResult:
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def acli(capsys: pytest.CaptureFixture[str]) -> AsyncCli:
    """`main(argv)` from an async test, on a worker thread: it runs its own loop."""

    async def run(*argv: str | Path) -> CliResult:
        code = await asyncio.to_thread(main, [str(arg) for arg in argv])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@dataclass(frozen=True)
class Workspace:
    """A publisher's files: key pair, publisher object, request files, signed feed."""

    root: Path
    key: Path
    jwk: Path
    publisher: Path
    feed: Path

    def request(self, name: str = "request", **overrides: Any) -> Path:
        """Write a request object (factory defaults, relative to now) to a file."""
        overrides.setdefault("id", name)
        path = self.root / f"{name}.json"
        path.write_text(json.dumps(make_request(now=datetime.now(UTC), **overrides)))
        return path

    def jwk_data(self) -> dict[str, str]:
        data: dict[str, str] = json.loads(self.jwk.read_text())
        return data


@pytest.fixture
def workspace(tmp_path: Path, cli: Cli) -> Workspace:
    """A fresh key and publisher file; `feed` is where `sign` is asked to write."""
    result = cli("keygen", "--out", tmp_path / "keys")
    assert result.code == 0, result.err
    publisher = tmp_path / "publisher.json"
    # The factories' requests upload to feeds.example.org: signed as an origin,
    # homes trust it wherever the feed is served from.
    publisher.write_text(
        json.dumps(make_publisher(keys=[], upload_origins=[UPLOAD_ORIGIN]))
    )
    return Workspace(
        root=tmp_path,
        key=tmp_path / "keys" / "publisher.key",
        jwk=tmp_path / "keys" / "publisher.jwk.json",
        publisher=publisher,
        feed=tmp_path / "feed.json",
    )


@pytest.fixture
def signed_feed(workspace: Workspace, cli: Cli) -> Workspace:
    """The workspace with a feed of two signed requests, `req-a` and `req-b`."""
    result = cli(
        "sign",
        "--key",
        workspace.key,
        "--publisher",
        workspace.publisher,
        workspace.request("req-a"),
        workspace.request("req-b"),
        "--out",
        workspace.feed,
    )
    assert result.code == 0, result.err
    return workspace


type ServeApp = Callable[[web.Application], Awaitable[str]]


@pytest.fixture
async def serve_app() -> AsyncIterator[ServeApp]:
    """Run aiohttp apps on 127.0.0.1 (OS-chosen ports); returns each base URL."""
    runners: list[web.AppRunner] = []

    async def start(app: web.Application) -> str:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        return f"http://{host}:{port}"

    yield start
    for runner in runners:
        await runner.cleanup()


@dataclass(frozen=True)
class InboxServer:
    url: str
    inbox_dir: Path
    feed: FeedFile
    app_inbox: Inbox
    app_tus: TusStore


@pytest.fixture
async def inbox_server(signed_feed: Workspace, serve_app: ServeApp) -> InboxServer:
    """The publisher's feed + inbox app over the signed feed, clip cap 64 KiB."""
    feed = FeedFile(signed_feed.feed)
    inbox_dir = signed_feed.root / "inbox"
    inbox = Inbox(inbox_dir, max_clip_bytes=64 * 1024)
    tus = TusStore(inbox_dir)
    app = create_app(feed, inbox, admin_token=ADMIN_TOKEN, tus=tus)
    return InboxServer(await serve_app(app), inbox_dir, feed, inbox, tus)


def home_key_id() -> str:
    return jwk_thumbprint(public_jwk(HOME_KEY))


def manifest_for(clip: bytes = CLIP, **overrides: Any) -> dict[str, Any]:
    """A manifest for `clip` as the home exporter writes it."""
    manifest: dict[str, Any] = {
        "crf_manifest": "1",
        "request_id": "req-a",
        "publisher_id": PUBLISHER_ID,
        "camera": "camera.front_door",
        "window": {"start": "2026-11-20T14:00:00Z", "end": "2026-11-20T14:30:00Z"},
        "sha256": hashlib.sha256(clip).hexdigest(),
        "bytes": len(clip),
        "exported_at": "2026-11-20T16:00:00Z",
        "exporter_version": "neighborhood_requests 0.1.0",
        "home_key_id": home_key_id(),
        "include_audio": False,
    }
    manifest.update(overrides)
    return manifest


def sign_manifest(
    manifest: dict[str, Any],
    key: Any = HOME_KEY,
    *,
    header: dict[str, Any] | None = None,
) -> str:
    """A home's manifest JWS with `jwk` and `kid` (= thumbprint) in the header.

    The same token `jws.sign_manifest` makes, written with PyJWT directly so a test
    can also forge headers and payloads that `sign_manifest` would refuse to sign.
    """
    jwk = {k: v for k, v in public_jwk(key).items() if k != "kid"}
    headers = {"kid": jwk_thumbprint(jwk), "jwk": jwk, "typ": None}
    headers.update(header or {})
    payload = json.dumps(manifest, separators=(",", ":"), sort_keys=True).encode()
    return jwt.PyJWS().encode(payload, key, algorithm="EdDSA", headers=headers)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


def upload_body(
    parts: list[tuple[str, bytes | str, str | None]],
) -> aiohttp.MultipartWriter:
    """A multipart/form-data body from (name, content, content type) parts, in order."""
    writer = aiohttp.MultipartWriter("form-data")
    for name, content, content_type in parts:
        headers = {"Content-Type": content_type} if content_type else None
        part = writer.append(content, headers)
        part.set_content_disposition("form-data", name=name)
    return writer


def clip_upload(token: str, clip: bytes = CLIP) -> aiohttp.MultipartWriter:
    return upload_body(
        [("manifest", token, "application/jose"), ("clip", clip, "video/mp4")]
    )
