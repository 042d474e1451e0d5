"""A scriptable upload inbox on 127.0.0.1 and the clip files the tests send to it.

The stand-in speaks the inbox's wire format (multipart `manifest` + `clip`,
`Idempotency-Key`, 201/409) and can be told to misbehave one request at a time,
so each delivery fault is a real HTTP exchange, not a mocked call.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
import hashlib
from pathlib import Path
import secrets

import aiohttp
from aiohttp import web
import pytest

from .reference import Publisher, serve_publisher

type Behaviour = Callable[[web.Request], object] | int | str


@dataclass
class Received:
    """One upload the stand-in read to its end."""

    key: str | None
    manifest: str
    manifest_type: str
    clip_type: str
    clip_filename: str | None
    sha256: str
    size: int


@dataclass
class StandInInbox:
    """Answers from `script` in order, then stores (201) or says duplicate (409).

    Script items: an HTTP status (the body is read first, like a real server that
    fails after receiving), "reset" (close the connection after part of the body),
    "hang" (never answer until the test ends), ("redirect", status, location).
    """

    base_url: str = ""
    script: list[object] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    stored: dict[str, Received] = field(default_factory=dict)
    incomplete: int = 0
    release: asyncio.Event = field(default_factory=asyncio.Event)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    # What OPTIONS answers (204 with these headers); None: 405, like a plain inbox.
    options: dict[str, str] | None = None

    def url(self, path: str = "/upload/wpd-2026-0412") -> str:
        return self.base_url + path

    async def answer_options(self, request: web.Request) -> web.StreamResponse:
        if self.options is None:
            return web.Response(status=405)
        return web.Response(status=204, headers=self.options)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.events.append(f"request {request.path}")
        self.arrived.set()
        step = self.script.pop(0) if self.script else "store"
        if step == "hang":
            await self.release.wait()
            return web.Response(status=503)
        if isinstance(step, tuple):
            _, status, location = step
            headers = {} if location is None else {"Location": location}
            return web.Response(status=status, headers=headers)
        if step == "reset":
            await request.content.readexactly(64 * 1024)
            self.events.append("reset")
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)
        if isinstance(step, web.StreamResponse):
            return step
        try:
            received = await self._read(request)
        except aiohttp.ClientError, ValueError, asyncio.IncompleteReadError:
            self.incomplete += 1
            self.events.append("incomplete")
            raise
        self.events.append("complete")
        if isinstance(step, int):
            return web.json_response({"reason": f"scripted {step}"}, status=step)
        if received.key in self.stored:
            return web.json_response({"status": "duplicate"}, status=409)
        assert received.key is not None
        self.stored[received.key] = received
        return web.json_response({"status": "created"}, status=201)

    async def _read(self, request: web.Request) -> Received:
        reader = await request.multipart()
        manifest_part = await reader.next()
        assert isinstance(manifest_part, aiohttp.BodyPartReader)
        assert manifest_part.name == "manifest"
        manifest = (await manifest_part.read()).decode()
        clip = await reader.next()
        assert isinstance(clip, aiohttp.BodyPartReader)
        assert clip.name == "clip"
        digest = hashlib.sha256()
        size = 0
        while chunk := await clip.read_chunk(64 * 1024):
            digest.update(chunk)
            size += len(chunk)
        assert await reader.next() is None
        return Received(
            key=request.headers.get("Idempotency-Key"),
            manifest=manifest,
            manifest_type=manifest_part.headers.get("Content-Type", ""),
            clip_type=clip.headers.get("Content-Type", ""),
            clip_filename=clip.filename,
            sha256=digest.hexdigest(),
            size=size,
        )


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Every test here talks to servers on 127.0.0.1 (PHCC blocks sockets otherwise)."""


async def start_app(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1, lingering_time=0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


async def _serve_inbox() -> tuple[StandInInbox, web.AppRunner]:
    inbox = StandInInbox()
    app = web.Application()
    app.router.add_post("/{tail:.*}", inbox.handle)
    app.router.add_route("OPTIONS", "/{tail:.*}", inbox.answer_options)
    runner, inbox.base_url = await start_app(app)
    return inbox, runner


@pytest.fixture
async def inbox() -> AsyncIterator[StandInInbox]:
    served, runner = await _serve_inbox()
    yield served
    served.release.set()
    await runner.cleanup()


@pytest.fixture
async def other_inbox() -> AsyncIterator[StandInInbox]:
    """A second server: a different origin (port) on the same machine."""
    served, runner = await _serve_inbox()
    yield served
    served.release.set()
    await runner.cleanup()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@dataclass(frozen=True)
class Clip:
    path: Path
    sha256: str
    size: int


def write_clip(path: Path, size: int) -> Clip:
    data = secrets.token_bytes(size)
    path.write_bytes(data)
    return Clip(path, hashlib.sha256(data).hexdigest(), size)


@pytest.fixture
def clip(tmp_path: Path) -> Clip:
    """About a megabyte: several chunks at the tests' 64 KiB chunk size."""
    return write_clip(tmp_path / "clip.mp4", 1_000_003)


@pytest.fixture
async def publisher(tmp_path: Path) -> AsyncIterator[Publisher]:
    """The reference publisher (multipart and tus) over a feed with the request."""
    async for served in serve_publisher(tmp_path):
        yield served
