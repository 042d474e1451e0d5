"""Slow, stalled and busy inboxes: a stall timeout, not a total one; Retry-After obeyed.

Real servers on 127.0.0.1 that read slowly, stop reading, or answer "later":
an upload may take as long as it keeps moving, one that stops moving is given
up, and a server's `Retry-After` is when the outbox comes back.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
import socket
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.typedefs import Handler
import pytest

from custom_components.neighborhood_requests.delivery import tus
from custom_components.neighborhood_requests.delivery.outbox import (
    Outbox,
    OutboxEntry,
    State,
)
from custom_components.neighborhood_requests.delivery.outcome import (
    RETRY_AFTER_FLOOR_S,
    RETRY_AFTER_LIMIT_S,
    retry_after,
)
from custom_components.neighborhood_requests.delivery.runner import OutboxRunner
from custom_components.neighborhood_requests.delivery.upload import (
    Result,
    UploadOutcome,
    upload,
)
from publisher.server import FeedFile

from .conftest import Clip, StandInInbox, write_clip
from .reference import KEY, REQUEST_ID, Publisher, signed_manifest
from .uplink import Uplink

START = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def small_send_buffer(family: int, kind: int, proto: int) -> socket.socket:
    """The home's socket with a small send buffer, as on a real uplink."""
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
    return sock


@pytest.fixture
async def slow_session() -> AsyncIterator[aiohttp.ClientSession]:
    connector = aiohttp.TCPConnector(
        socket_factory=lambda addr: small_send_buffer(*addr[:3])
    )
    async with aiohttp.ClientSession(connector=connector) as client:
        yield client


async def send(
    session: aiohttp.ClientSession, url: str, clip: Clip, stall: float
) -> UploadOutcome:
    return await upload(
        session,
        url,
        manifest_jws=signed_manifest(clip),
        clip_path=clip.path,
        idempotency_key=KEY,
        expected_sha256=clip.sha256,
        expected_bytes=clip.size,
        stall_timeout=stall,
    )


async def started(tmp_path: Any, *middlewares: Any) -> Publisher:
    served = Publisher(
        tmp_path / "inbox", FeedFile(tmp_path / "feed.json"), middlewares=[*middlewares]
    )
    served.publish()
    await served.start()
    return served


@web.middleware
async def no_tus(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method == "OPTIONS":
        return web.Response(status=405)
    return await handler(request)


@pytest.mark.parametrize("resumable", [True, False], ids=["tus", "multipart"])
async def test_a_slow_upload_that_keeps_moving_is_never_cut_short(
    slow_session: aiohttp.ClientSession,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    resumable: bool,
) -> None:
    """About 3 s at 1 MB/s with a 0.5 s stall timeout: delivered, not timed out."""
    monkeypatch.setattr(tus, "FIRST_CHUNK", 256 * 1024)
    clip = write_clip(tmp_path / "clip.mp4", 3_000_000)
    publisher = await started(tmp_path, *([] if resumable else [no_tus]))
    link = Uplink(publisher.port, rate=1_000_000, receive_buffer=32 * 1024)
    await link.start()
    loop = asyncio.get_running_loop()
    began = loop.time()
    try:
        outcome = await send(slow_session, publisher.upload_url(link.url), clip, 0.5)
    finally:
        await link.close()
        await publisher.stop()

    assert outcome.result is Result.DELIVERED, outcome
    assert loop.time() - began > 2.0  # far longer than the stall timeout
    assert len(publisher.stored()) == 1


def stop_reading_patches(release: asyncio.Event) -> Any:
    """Takes a PATCH and neither reads nor answers it until `release`: a stall."""

    @web.middleware
    async def stall(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "PATCH":
            return await handler(request)
        await release.wait()
        return web.Response(status=503)

    return stall


@pytest.mark.parametrize("where", ["tus PATCH", "multipart POST"])
async def test_an_upload_that_stops_moving_is_given_up_and_retried(
    slow_session: aiohttp.ClientSession,
    tmp_path: Any,
    inbox: StandInInbox,
    where: str,
) -> None:
    clip = write_clip(tmp_path / "clip.mp4", 8_000_000)
    release = asyncio.Event()
    publisher = None
    if where == "multipart POST":
        inbox.script = ["hang"]  # reads nothing, answers nothing
        url = inbox.url()
    else:
        publisher = await started(tmp_path, stop_reading_patches(release))
        url = publisher.upload_url()
    try:
        outcome = await send(slow_session, url, clip, 0.5)
    finally:
        release.set()
        if publisher is not None:
            await publisher.stop()

    assert outcome == UploadOutcome(
        Result.RETRY, reason="stalled: no progress for 0.5 s"
    )


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(minutes=2), usegmt=True)
    assert retry_after("7", now) == 7.0
    assert retry_after(" 120 ", now) == 120.0
    assert retry_after(later, now) == 120.0
    assert retry_after("0", now) == RETRY_AFTER_FLOOR_S  # never a busy loop
    assert retry_after(format_datetime(now - timedelta(hours=1)), now) == (
        RETRY_AFTER_FLOOR_S
    )
    assert retry_after("9" * 40, now) == RETRY_AFTER_LIMIT_S
    assert retry_after("Sat, 01 Jan 10000 00:00:00 GMT", now) is None
    for junk in (None, "", "soon", "-5", "1.5", "٣"):
        assert retry_after(junk, now) is None


def entry(url: str, clip: Clip, **changes: Any) -> OutboxEntry:
    return OutboxEntry(
        key=KEY,
        request_id=REQUEST_ID,
        publisher_id="wolcott-pd",
        upload_url=url,
        clip_path=clip.path,
        sha256=clip.sha256,
        bytes=clip.size,
        manifest_jws=signed_manifest(clip),
        expires_at=START + timedelta(days=1),
        **changes,
    )


async def run_once(
    session: aiohttp.ClientSession, outbox: Outbox
) -> tuple[OutboxEntry, OutboxRunner]:
    async def nothing(_: Any) -> None:
        return None

    runner = OutboxRunner(
        outbox, session, save=nothing, audit=nothing, clock=lambda: START
    )
    (result,) = await runner.run_due()
    return result, runner


@pytest.mark.parametrize(
    ("status", "header", "wait"),
    [
        (503, "7", timedelta(seconds=7)),
        (429, "600", timedelta(minutes=10)),
        (503, format_datetime(START + timedelta(minutes=3), usegmt=True), None),
    ],
    ids=["503-seconds", "429-seconds", "503-http-date"],
)
async def test_the_outbox_comes_back_when_the_inbox_said(  # noqa: PLR0917 - fixtures
    session: aiohttp.ClientSession,
    inbox: StandInInbox,
    clip: Clip,
    status: int,
    header: str,
    wait: timedelta | None,
) -> None:
    inbox.script = [
        web.json_response(
            {"reason": "busy"}, status=status, headers={"Retry-After": header}
        )
    ]
    outbox = Outbox([entry(inbox.url(), clip)], rng=lambda: 0.0)

    retried, runner = await run_once(session, outbox)

    assert (retried.state, retried.last_error) == (State.PENDING, "busy")
    if wait is not None:
        assert retried.next_attempt_at == START + wait
    else:  # an HTTP date is read against the real clock, START is in the past
        assert retried.next_attempt_at is not None
        assert retried.next_attempt_at >= START + timedelta(seconds=1)
    assert runner.next_wakeup() == retried.next_attempt_at


async def test_a_retry_after_past_the_expiry_ends_the_share(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    """Waiting longer than the request lives would only deliver it too late."""
    inbox.script = [
        web.json_response({"reason": "come back tomorrow"}, status=503,
                          headers={"Retry-After": str(2 * 24 * 3600)})
    ]  # fmt: skip
    outbox = Outbox([entry(inbox.url(), clip)])

    expired, _ = await run_once(session, outbox)

    assert (expired.state, expired.next_attempt_at) == (State.EXPIRED, None)
    assert expired.last_error == "come back tomorrow"
