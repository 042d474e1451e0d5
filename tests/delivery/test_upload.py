"""One upload attempt against a real HTTP inbox: every outcome and fault."""

from __future__ import annotations

import hashlib
from pathlib import Path
import tracemalloc

import aiohttp
from aiohttp import web
import pytest

from custom_components.neighborhood_requests.delivery.upload import (
    REDIRECTED_AWAY,
    Result,
    UploadOutcome,
    upload,
)

from .conftest import Clip, StandInInbox, start_app, write_clip

MANIFEST = "eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln"
KEY = "crf1-test-key"
STALL_S = 30.0


async def send(
    session: aiohttp.ClientSession,
    url: str,
    clip: Clip,
    *,
    key: str = KEY,
    sha256: str | None = None,
    expected_bytes: int | None = None,
    stall_timeout: float = STALL_S,
) -> UploadOutcome:
    return await upload(
        session,
        url,
        manifest_jws=MANIFEST,
        clip_path=clip.path,
        idempotency_key=key,
        expected_sha256=sha256 or clip.sha256,
        expected_bytes=expected_bytes,
        stall_timeout=stall_timeout,
        chunk_size=64 * 1024,
    )


async def test_delivers_manifest_and_clip_as_multipart(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    outcome = await send(session, inbox.url(), clip, expected_bytes=clip.size)

    assert outcome == UploadOutcome(Result.DELIVERED, status=201)
    received = inbox.stored[KEY]
    assert received.manifest == MANIFEST
    assert received.manifest_type == "application/jose"
    assert received.clip_type == "video/mp4"
    assert received.clip_filename == "clip.mp4"
    assert (received.sha256, received.size) == (clip.sha256, clip.size)


async def test_uppercase_expected_digest_is_accepted(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    outcome = await send(session, inbox.url(), clip, sha256=clip.sha256.upper())
    assert outcome.result is Result.DELIVERED


async def test_empty_clip_is_sent_whole(
    session: aiohttp.ClientSession, inbox: StandInInbox, tmp_path: Path
) -> None:
    empty = write_clip(tmp_path / "empty.mp4", 0)
    assert (await send(session, inbox.url(), empty)).result is Result.DELIVERED
    assert inbox.stored[KEY].size == 0


async def test_500_then_201(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    inbox.script = [500]

    first = await send(session, inbox.url(), clip)
    second = await send(session, inbox.url(), clip)

    assert first == UploadOutcome(Result.RETRY, status=500, reason="scripted 500")
    assert second.result is Result.DELIVERED
    assert list(inbox.stored) == [KEY]


async def test_409_counts_as_delivered(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    await send(session, inbox.url(), clip)
    again = await send(session, inbox.url(), clip)

    assert again == UploadOutcome(
        Result.DELIVERED, status=409, reason="already delivered", duplicate=True
    )
    assert len(inbox.stored) == 1


@pytest.mark.parametrize("status", [408, 429, 502, 503])
async def test_transient_statuses_are_retried(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip, status: int
) -> None:
    inbox.script = [status]
    outcome = await send(session, inbox.url(), clip)
    assert (outcome.result, outcome.status) == (Result.RETRY, status)


async def test_413_fails_with_the_servers_reason(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    inbox.script = [413]
    outcome = await send(session, inbox.url(), clip)
    assert outcome == UploadOutcome(Result.FAILED, status=413, reason="scripted 413")
    assert inbox.stored == {}


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (web.json_response({"message": "too big"}, status=413), "too big"),
        (web.json_response({"error": "nope", "reason": ""}, status=400), "nope"),
        (web.json_response({"detail": "x"}, status=400), '{"detail": "x"}'),
        (web.json_response(["a", "b"], status=403), '["a", "b"]'),
        (web.Response(text="  plain\n  words  ", status=404), "plain words"),
        (web.Response(status=413), "HTTP 413 Content Too Large"),
        (web.Response(text="x" * 500, status=422), "x" * 199 + "…"),
    ],
)
async def test_reason_is_the_servers_words_truncated(
    session: aiohttp.ClientSession,
    inbox: StandInInbox,
    clip: Clip,
    response: web.Response,
    reason: str,
) -> None:
    inbox.script = [response]
    outcome = await send(session, inbox.url(), clip)
    assert outcome.result is Result.FAILED
    assert outcome.reason == reason
    assert len(outcome.reason) <= 200


async def test_unreadable_error_body_falls_back_to_http_reason(
    session: aiohttp.ClientSession, clip: Clip
) -> None:
    async def short_body(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=400)
        response.content_length = 1000
        await response.prepare(request)
        await response.write(b"partial")
        assert request.transport is not None
        request.transport.close()
        return response

    app = web.Application()
    app.router.add_post("/upload", short_body)
    runner, base = await start_app(app)
    try:
        outcome = await send(session, base + "/upload", clip)
    finally:
        await runner.cleanup()
    assert outcome == UploadOutcome(
        Result.FAILED, status=400, reason="HTTP 400 Bad Request"
    )


async def test_connection_reset_mid_upload_is_retried(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    inbox.script = ["reset"]

    outcome = await send(session, inbox.url(), clip)

    assert outcome.result is Result.RETRY
    assert outcome.status is None
    assert outcome.reason
    assert "reset" in inbox.events
    assert inbox.stored == {}
    assert (await send(session, inbox.url(), clip)).result is Result.DELIVERED


async def test_slow_server_times_out_and_is_retried(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    inbox.script = ["hang"]
    outcome = await send(session, inbox.url(), clip, stall_timeout=0.2)
    assert outcome == UploadOutcome(
        Result.RETRY, reason="stalled: no progress for 0.2 s"
    )


async def test_refused_connection_is_retried(
    session: aiohttp.ClientSession, clip: Clip
) -> None:
    app = web.Application()
    runner, base = await start_app(app)
    await runner.cleanup()  # the port is now closed
    outcome = await send(session, base + "/upload", clip)
    assert outcome.result is Result.RETRY
    assert outcome.reason.startswith("ClientConnectorError")


async def test_invalid_url_fails(session: aiohttp.ClientSession, clip: Clip) -> None:
    outcome = await send(session, "not a url", clip)
    assert outcome.result is Result.FAILED
    assert outcome.reason.startswith("invalid upload URL")


async def test_unparseable_url_fails(
    session: aiohttp.ClientSession, clip: Clip
) -> None:
    outcome = await send(session, "http://[::1", clip)
    assert outcome.result is Result.FAILED
    assert outcome.reason.startswith("invalid upload URL")


async def test_redirect_to_another_host_is_refused(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    inbox.script = [("redirect", 307, "https://collector.example.net/upload")]
    outcome = await send(session, inbox.url(), clip)
    assert outcome == UploadOutcome(Result.FAILED, status=307, reason=REDIRECTED_AWAY)
    assert inbox.stored == {}


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_to_another_server_sends_it_nothing(
    session: aiohttp.ClientSession,
    inbox: StandInInbox,
    other_inbox: StandInInbox,
    clip: Clip,
    status: int,
) -> None:
    inbox.script = [("redirect", status, other_inbox.url())]

    outcome = await send(session, inbox.url(), clip)

    assert (outcome.result, outcome.reason) == (Result.FAILED, REDIRECTED_AWAY)
    assert other_inbox.events == []


async def test_same_origin_307_is_followed_once(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    inbox.script = [("redirect", 308, "/upload/moved")]

    outcome = await send(session, inbox.url(), clip)

    assert outcome.result is Result.DELIVERED
    assert inbox.events[0] == "request /upload/wpd-2026-0412"
    assert inbox.events[1] == "request /upload/moved"
    assert inbox.stored[KEY].sha256 == clip.sha256


async def test_second_redirect_is_refused(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    inbox.script = [("redirect", 307, "/a"), ("redirect", 307, "/b")]
    outcome = await send(session, inbox.url(), clip)
    assert outcome == UploadOutcome(
        Result.FAILED, status=307, reason="upload URL redirected (HTTP 307)"
    )
    assert inbox.stored == {}


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("/elsewhere", "upload URL redirected (HTTP 302)"),
        (None, "upload URL redirected without a Location"),
        ("http://[::1", "upload URL redirected to an invalid URL"),
    ],
)
async def test_other_redirects_fail(
    session: aiohttp.ClientSession,
    inbox: StandInInbox,
    clip: Clip,
    location: str | None,
    reason: str,
) -> None:
    inbox.script = [("redirect", 302, location)]
    outcome = await send(session, inbox.url(), clip)
    assert outcome == UploadOutcome(Result.FAILED, status=302, reason=reason)
    assert len(inbox.events) == 1


async def test_clip_changed_since_export_is_never_completed(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    exported_sha = clip.sha256
    write_clip(clip.path, clip.size)  # same size, other bytes: a re-written file

    outcome = await send(session, inbox.url(), clip, sha256=exported_sha)

    assert outcome == UploadOutcome(
        Result.MISMATCH, reason="clip changed since export (SHA-256 mismatch)"
    )
    assert inbox.stored == {}
    assert "complete" not in inbox.events


async def test_clip_size_changed_is_caught_before_connecting(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    outcome = await send(session, inbox.url(), clip, expected_bytes=clip.size + 1)
    assert outcome.result is Result.MISMATCH
    assert outcome.reason == f"clip is {clip.size} bytes, manifest says {clip.size + 1}"
    assert inbox.events == []


async def test_missing_clip_asks_for_re_export(
    session: aiohttp.ClientSession, inbox: StandInInbox, clip: Clip
) -> None:
    clip.path.unlink()
    outcome = await send(session, inbox.url(), clip)
    assert outcome.result is Result.MISMATCH
    assert outcome.reason == "clip file unreadable: No such file or directory"
    assert inbox.events == []


async def test_large_clip_streams_without_holding_it_in_memory(
    session: aiohttp.ClientSession, inbox: StandInInbox, tmp_path: Path
) -> None:
    size = 50 * 1024 * 1024
    path = tmp_path / "large.mp4"
    with path.open("wb") as handle:  # sparse: no 50 MB in this process either
        handle.truncate(size)
    sha256 = hashlib.sha256(bytes(size)).hexdigest()

    tracemalloc.start()
    try:
        outcome = await upload(
            session,
            inbox.url(),
            manifest_jws=MANIFEST,
            clip_path=path,
            idempotency_key=KEY,
            expected_sha256=sha256,
            expected_bytes=size,
            stall_timeout=STALL_S,
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert outcome.result is Result.DELIVERED
    assert inbox.stored[KEY].size == size
    # Client and stand-in server together stay at a few MB whatever the size
    # (about 2 MB outside pytest); holding the clip would need 50 MB at least.
    assert peak < size // 4
