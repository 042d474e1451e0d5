"""A tus inbox that gets things wrong, on 127.0.0.1: the home never counts it delivered.

The reference inbox is well-behaved; a publisher's own inbox may not be. This
one speaks tus 1.0 but each answer can be replaced by a scripted one, so every
odd answer the home may meet is a real HTTP exchange.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.neighborhood_requests.delivery import tus
from custom_components.neighborhood_requests.delivery.upload import (
    REDIRECTED_AWAY,
    Result,
    UploadOutcome,
    upload,
)

from .conftest import Clip, StandInInbox, start_app

TUS = {"Tus-Resumable": "1.0.0"}
OFFERED = TUS | {"Tus-Version": "1.0.0", "Tus-Extension": "creation"}


@dataclass
class FakeTus:
    """A minimal tus server keeping one upload in memory; `answers` override it.

    `answers[method]` is a list of responses used (and consumed) before the
    server's own behaviour: creation hands out `/files/1`, HEAD reports what
    arrived, PATCH appends and answers 204.
    """

    base: str = ""
    options: dict[str, str] = field(default_factory=lambda: dict(OFFERED))
    answers: dict[str, list[web.StreamResponse]] = field(default_factory=dict)
    received: bytearray = field(default_factory=bytearray)
    seen: list[str] = field(default_factory=list)

    def _scripted(self, method: str) -> web.StreamResponse | None:
        queue = self.answers.get(method) or []
        return queue.pop(0) if queue else None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(request.method)
        if (answer := self._scripted(request.method)) is not None:
            await request.read()
            return answer
        if request.method == "OPTIONS":
            return web.Response(status=204, headers=self.options)
        if request.method == "POST":
            self.received.clear()
            return web.Response(
                status=201, headers=TUS | {"Location": "/files/1", "Upload-Offset": "0"}
            )
        if request.method == "HEAD":
            return web.Response(
                headers=TUS | {"Upload-Offset": str(len(self.received))}
            )
        self.received += await request.read()
        return web.Response(
            status=204, headers=TUS | {"Upload-Offset": str(len(self.received))}
        )


@pytest.fixture
async def fake() -> AsyncIterator[FakeTus]:
    server = FakeTus()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner, server.base = await start_app(app)
    yield server
    await runner.cleanup()


@pytest.fixture(autouse=True)
def quick_resume(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tus, "RESUME_DELAY_S", 0.0)


async def send(
    session: aiohttp.ClientSession,
    url: str,
    clip: Clip,
    resume_url: str | None = None,
) -> UploadOutcome:
    return await upload(
        session,
        url,
        manifest_jws="h.p.s",
        clip_path=clip.path,
        idempotency_key="crf1-test",
        expected_sha256=clip.sha256,
        expected_bytes=clip.size,
        resume_url=resume_url,
        stall_timeout=30,
    )


async def test_the_fake_delivers_when_nothing_goes_wrong(
    session: aiohttp.ClientSession, fake: FakeTus, clip: Clip
) -> None:
    outcome = await send(session, f"{fake.base}/upload", clip)
    assert outcome == UploadOutcome(Result.DELIVERED, status=204)
    assert bytes(fake.received) == clip.path.read_bytes()
    assert fake.seen == ["OPTIONS", "POST", "PATCH"]  # no checksum offered: one PATCH


@pytest.mark.parametrize(
    ("options", "method"),
    [
        ({"Tus-Version": "2.0.0", "Tus-Extension": "creation"}, "POST"),
        ({"Tus-Version": "1.0.0", "Tus-Extension": "termination"}, "POST"),
        ({}, "POST"),
    ],
    ids=["other-version", "no-creation", "no-tus-headers"],
)
async def test_an_inbox_without_usable_tus_gets_multipart(
    session: aiohttp.ClientSession,
    inbox: StandInInbox,
    clip: Clip,
    options: dict[str, str],
    method: str,
) -> None:
    """The stand-in answers OPTIONS with these headers, then takes the multipart."""
    inbox.options = options
    outcome = await send(session, inbox.url(), clip)
    assert outcome.result is Result.DELIVERED
    assert inbox.stored


def answer(status: int, **headers: str) -> web.Response:
    return web.json_response(
        {"reason": f"scripted {status}"}, status=status, headers=TUS | headers
    )


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        (
            answer(201),
            (Result.FAILED, "the inbox created an upload without a Location"),
        ),
        (
            answer(201, Location="http://[::1"),
            (Result.FAILED, "the inbox named an invalid upload URL"),
        ),
        (
            answer(201, Location="http://127.0.0.2:9/files/1"),
            (Result.FAILED, REDIRECTED_AWAY),
        ),
        (
            answer(307, Location="/elsewhere"),
            (Result.FAILED, "upload URL redirected (HTTP 307)"),
        ),
        (
            answer(308, Location="https://other.example/upload"),
            (Result.FAILED, REDIRECTED_AWAY),
        ),
        (answer(413), (Result.FAILED, "scripted 413")),
        (answer(410), (Result.WITHDRAWN, "scripted 410")),
        (answer(503, **{"Retry-After": "30"}), (Result.RETRY, "scripted 503")),
    ],
)
async def test_what_a_creation_answer_means(
    session: aiohttp.ClientSession,
    fake: FakeTus,
    clip: Clip,
    created: web.Response,
    expected: tuple[Result, str],
) -> None:
    fake.answers["POST"] = [created]
    outcome = await send(session, f"{fake.base}/upload", clip)
    assert (outcome.result, outcome.reason) == expected
    assert "PATCH" not in fake.seen
    if outcome.result is Result.RETRY:
        assert outcome.retry_after == 30.0


async def test_a_patch_refused_for_good_fails_with_the_reason(
    session: aiohttp.ClientSession, fake: FakeTus, clip: Clip
) -> None:
    fake.answers["PATCH"] = [answer(422)]
    outcome = await send(session, f"{fake.base}/upload", clip)
    assert (outcome.result, outcome.status, outcome.reason) == (
        Result.FAILED,
        422,
        "scripted 422",
    )


async def test_a_busy_patch_goes_back_to_the_outbox_with_retry_after(
    session: aiohttp.ClientSession, fake: FakeTus, clip: Clip
) -> None:
    fake.answers["PATCH"] = [answer(503, **{"Retry-After": "2"})]
    outcome = await send(session, f"{fake.base}/upload", clip)
    assert (outcome.result, outcome.retry_after) == (Result.RETRY, 2.0)


async def test_an_unexpected_offset_is_asked_again_with_head(
    session: aiohttp.ClientSession, fake: FakeTus, clip: Clip
) -> None:
    """A 204 that claims more than was sent, or a 409: HEAD, then go on from there."""
    fake.answers["PATCH"] = [
        answer(204, **{"Upload-Offset": str(clip.size * 2)}),
        answer(409),
    ]
    outcome = await send(session, f"{fake.base}/upload", clip)
    assert outcome.result is Result.DELIVERED
    assert fake.seen.count("HEAD") == 2
    assert bytes(fake.received) == clip.path.read_bytes()


async def test_an_upload_gone_at_head_is_created_again_once(
    session: aiohttp.ClientSession, fake: FakeTus, clip: Clip
) -> None:
    fake.answers["HEAD"] = [answer(404), answer(404)]
    resume = f"{fake.base}/files/0"

    once = await send(session, f"{fake.base}/upload", clip, resume_url=resume)
    assert once.result is Result.DELIVERED
    assert fake.seen[:3] == ["OPTIONS", "HEAD", "POST"]

    fake.seen.clear()
    fake.answers["HEAD"] = [answer(404)]
    fake.answers["PATCH"] = [answer(404)]
    twice = await send(session, f"{fake.base}/upload", clip, resume_url=resume)
    assert twice == UploadOutcome(
        Result.RETRY, reason="the inbox lost the upload twice in a row"
    )


@pytest.mark.parametrize(
    "reply",
    [answer(200), answer(200, **{"Upload-Offset": "x"})],
    ids=["no-offset", "bad-offset"],
)
async def test_a_head_without_a_usable_offset_starts_over(
    session: aiohttp.ClientSession, fake: FakeTus, clip: Clip, reply: web.Response
) -> None:
    fake.answers["HEAD"] = [reply]
    outcome = await send(
        session, f"{fake.base}/upload", clip, resume_url=f"{fake.base}/files/0"
    )
    assert outcome.result is Result.DELIVERED
    assert fake.seen == ["OPTIONS", "HEAD", "POST", "PATCH"]


async def test_a_head_refused_is_the_outboxs_to_retry(
    session: aiohttp.ClientSession, fake: FakeTus, clip: Clip
) -> None:
    fake.answers["HEAD"] = [answer(500)]
    outcome = await send(
        session, f"{fake.base}/upload", clip, resume_url=f"{fake.base}/files/0"
    )
    # A HEAD answer has no body: the reason is HTTP's own.
    assert (outcome.result, outcome.reason) == (
        Result.RETRY,
        "HTTP 500 Internal Server Error",
    )


async def test_an_inbox_that_cannot_be_reached_is_retried(
    session: aiohttp.ClientSession, clip: Clip
) -> None:
    runner, base = await start_app(web.Application())
    await runner.cleanup()
    outcome = await send(session, f"{base}/upload", clip)
    assert outcome.result is Result.RETRY
    assert outcome.reason.startswith("ClientConnectorError")


async def test_a_stored_resume_url_that_is_no_url_is_ignored(
    session: aiohttp.ClientSession, fake: FakeTus, clip: Clip
) -> None:
    outcome = await send(session, f"{fake.base}/upload", clip, resume_url="http://[::1")
    assert outcome.result is Result.DELIVERED
    assert "HEAD" not in fake.seen


def test_chunks_follow_the_measured_rate() -> None:
    """About two seconds per chunk, at most doubling, within 1-32 MiB."""
    attempt: Any = object.__new__(tus.TusUpload)
    attempt._chunk = tus.FIRST_CHUNK
    attempt._acknowledged(tus.FIRST_CHUNK, 0.5)  # 8 MiB/s: wants 16, may double
    assert attempt._chunk == 2 * tus.FIRST_CHUNK
    attempt._acknowledged(attempt._chunk, 8.0)  # 1 MiB/s: 2 MiB
    assert attempt._chunk == 2 * 1024 * 1024
    attempt._acknowledged(1024, 1.0)  # a short last chunk says nothing
    assert attempt._chunk == 2 * 1024 * 1024
    attempt._acknowledged(attempt._chunk, 100.0)
    assert attempt._chunk == tus.MIN_CHUNK
