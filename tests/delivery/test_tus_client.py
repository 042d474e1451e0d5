"""The home's resumable upload against the reference inbox, through a real uplink.

Cuts at random offsets, a flipped byte, an inbox without tus or without
checksums, a restart between attempts: each is a real TCP connection through
`uplink.Uplink` to `publisher`'s own app, and each ends with the inbox holding
exactly the clip the manifest signs, sent about once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import random
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
from custom_components.neighborhood_requests.delivery.runner import OutboxRunner
from custom_components.neighborhood_requests.delivery.upload import (
    REDIRECTED_AWAY,
    Result,
    UploadOutcome,
    upload,
)
from tests.protocol.factories import PUBLISHER_ID

from .conftest import Clip, start_app, write_clip
from .reference import KEY, REQUEST_ID, Publisher, signed_manifest
from .uplink import Uplink

CHUNK = 256 * 1024


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 256 KiB, so a clip of a few MB takes many PATCHes."""
    monkeypatch.setattr(tus, "FIRST_CHUNK", CHUNK)
    monkeypatch.setattr(tus, "MIN_CHUNK", CHUNK)
    monkeypatch.setattr(tus, "MAX_CHUNK", CHUNK)
    monkeypatch.setattr(tus, "RESUME_DELAY_S", 0.01)


@pytest.fixture
def big_clip(tmp_path: Path) -> Clip:
    return write_clip(tmp_path / "big.mp4", 3 * 1024 * 1024 + 17)


async def uplink_to(publisher: Publisher, **options: Any) -> Uplink:
    link = Uplink(publisher.port, **options)
    await link.start()
    return link


async def send(
    session: aiohttp.ClientSession,
    url: str,
    clip: Clip,
    *,
    resume_url: str | None = None,
    saved: list[str | None] | None = None,
    stall_timeout: float = 30,
) -> UploadOutcome:
    async def remember(resumable: str | None) -> None:
        if saved is not None:
            saved.append(resumable)

    return await upload(
        session,
        url,
        manifest_jws=signed_manifest(clip),
        clip_path=clip.path,
        idempotency_key=KEY,
        expected_sha256=clip.sha256,
        expected_bytes=clip.size,
        resume_url=resume_url,
        on_resume_url=remember,
        stall_timeout=stall_timeout,
    )


def stored_clip(publisher: Publisher) -> bytes:
    (folder,) = publisher.stored()
    return (folder / "clip.mp4").read_bytes()


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_cuts_at_random_offsets_cost_at_most_a_chunk_each(
    session: aiohttp.ClientSession,
    publisher: Publisher,
    big_clip: Clip,
    small_chunks: None,
    seed: int,
) -> None:
    cuts = sorted(random.Random(seed).sample(range(1, big_clip.size), 3))
    link = await uplink_to(publisher, cuts=list(cuts))
    try:
        outcome = await send(session, publisher.upload_url(link.url), big_clip)
    finally:
        await link.close()

    assert outcome == UploadOutcome(Result.DELIVERED, status=204)
    assert link.cut_count == 3
    assert stored_clip(publisher) == big_clip.path.read_bytes()
    # Each cut loses at most the chunk in flight (plus a few headers).
    assert link.upstream_bytes <= big_clip.size + 3 * CHUNK + 64 * 1024
    assert link.upstream_bytes > big_clip.size


async def test_a_flipped_byte_is_caught_by_the_checksum_and_sent_again(
    session: aiohttp.ClientSession,
    publisher: Publisher,
    big_clip: Clip,
    small_chunks: None,
) -> None:
    link = await uplink_to(publisher, corrupt=[big_clip.size // 2])
    try:
        outcome = await send(session, publisher.upload_url(link.url), big_clip)
    finally:
        await link.close()

    assert outcome.result is Result.DELIVERED
    assert link.corrupt == []  # the byte was flipped on its way
    assert stored_clip(publisher) == big_clip.path.read_bytes()


def without(extension: str) -> web.middleware:  # type: ignore[valid-type]
    """An inbox that does not offer `extension` (or tus at all, for "tus")."""

    @web.middleware
    async def strip(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "OPTIONS":
            return await handler(request)
        if extension == "tus":
            return web.Response(status=405)
        response = await handler(request)
        offered = response.headers["Tus-Extension"].split(",")
        response.headers["Tus-Extension"] = ",".join(
            e for e in offered if e != extension
        )
        return response

    return strip


async def test_without_checksums_whatever_arrived_counts(
    session: aiohttp.ClientSession, tmp_path: Path, big_clip: Clip
) -> None:
    """One PATCH to the end; after a cut the inbox's offset says where to go on."""
    publisher = await _started(tmp_path, without("checksum"))
    link = await uplink_to(publisher, cuts=[big_clip.size // 3])
    try:
        outcome = await send(session, publisher.upload_url(link.url), big_clip)
    finally:
        await link.close()
        await publisher.stop()

    assert outcome.result is Result.DELIVERED
    assert stored_clip(publisher) == big_clip.path.read_bytes()
    assert link.upstream_bytes <= big_clip.size + 64 * 1024


async def test_an_inbox_without_tus_gets_multipart(
    session: aiohttp.ClientSession, tmp_path: Path, clip: Clip
) -> None:
    publisher = await _started(tmp_path, without("tus"))
    saved: list[str | None] = []
    try:
        outcome = await send(
            session, publisher.upload_url(), clip, resume_url="x", saved=saved
        )
    finally:
        await publisher.stop()

    assert outcome == UploadOutcome(Result.DELIVERED, status=201)
    assert stored_clip(publisher) == clip.path.read_bytes()
    assert saved == [None]  # an old resumable upload is forgotten


async def _started(tmp_path: Path, *middlewares: Any) -> Publisher:
    from publisher.server import FeedFile

    served = Publisher(
        tmp_path / "inbox", FeedFile(tmp_path / "feed.json"), middlewares=[*middlewares]
    )
    served.publish()
    await served.start()
    return served


async def test_the_upload_url_is_kept_before_a_byte_and_resumed_after_a_restart(
    session: aiohttp.ClientSession,
    publisher: Publisher,
    big_clip: Clip,
    small_chunks: None,
) -> None:
    """The uplink dies mid-upload and stays down: the outbox keeps the tus URL.

    The next attempt (after a restart of Home Assistant, from what was saved)
    asks the inbox where it stands and sends only the rest.
    """
    link = await uplink_to(publisher, cuts=[big_clip.size // 2], down_after_cut=True)
    saves: list[dict[str, Any]] = []
    audit: list[dict[str, Any]] = []

    sent_at_save: list[int] = []

    async def save(data: list[dict[str, Any]]) -> None:
        saves.append(json.loads(json.dumps(data))[0])
        sent_at_save.append(link.upstream_bytes)

    async def record(event: dict[str, Any]) -> None:
        audit.append(event)

    def runner(outbox: Outbox, later: timedelta = timedelta(0)) -> OutboxRunner:
        return OutboxRunner(
            outbox,
            session,
            save=save,
            audit=record,
            clock=lambda: datetime.now(UTC) + later,
        )

    entry = OutboxEntry(
        key=KEY,
        request_id=REQUEST_ID,
        publisher_id=PUBLISHER_ID,
        upload_url=publisher.upload_url(link.url),
        clip_path=big_clip.path,
        sha256=big_clip.sha256,
        bytes=big_clip.size,
        manifest_jws=signed_manifest(big_clip),
        expires_at=datetime.now(UTC) + timedelta(days=1),
    )
    try:
        (first,) = await runner(Outbox([entry])).run_due()
        assert first.state is State.PENDING
        assert first.resume_url is not None
        url_saved = next(i for i, e in enumerate(saves) if e["resume_url"])
        # Only OPTIONS and the creation had gone out: no byte of the clip yet.
        assert sent_at_save[url_saved] < 4096
        sent_before = link.upstream_bytes
        assert sent_before < big_clip.size

        link.refusing = False
        restarted = Outbox.from_dicts([saves[-1]])
        # Past the backoff the first attempt set, as after a restart.
        (second,) = await runner(restarted, timedelta(minutes=20)).run_due()
    finally:
        await link.close()

    assert second.state is State.DELIVERED
    assert stored_clip(publisher) == big_clip.path.read_bytes()
    # The second attempt sent the rest, not the whole clip again.
    assert link.upstream_bytes - sent_before < big_clip.size // 2 + 2 * CHUNK
    assert saves[-1]["resume_url"] is None  # delivered: nothing left to resume


async def test_a_resume_url_the_inbox_forgot_starts_a_new_upload(
    session: aiohttp.ClientSession, publisher: Publisher, clip: Clip
) -> None:
    saved: list[str | None] = []
    gone = f"{publisher.upload_url()}/no-such-upload"

    outcome = await send(
        session, publisher.upload_url(), clip, resume_url=gone, saved=saved
    )

    assert outcome.result is Result.DELIVERED
    assert saved[0] is None
    assert saved[1] is not None
    assert saved[1] != gone
    assert stored_clip(publisher) == clip.path.read_bytes()


async def test_a_resume_url_on_another_host_is_never_contacted(
    session: aiohttp.ClientSession,
    publisher: Publisher,
    other_inbox: Any,
    clip: Clip,
) -> None:
    outcome = await send(
        session,
        publisher.upload_url(),
        clip,
        resume_url=other_inbox.url("/upload/x/abc"),
    )
    assert outcome.result is Result.DELIVERED
    assert other_inbox.events == []


async def test_a_completed_upload_answers_409_to_its_retry(
    session: aiohttp.ClientSession, publisher: Publisher, clip: Clip
) -> None:
    """Stored, but the answer was lost: the retry's creation says "already here"."""
    assert (await send(session, publisher.upload_url(), clip)).delivered

    again = await send(session, publisher.upload_url(), clip)

    assert again == UploadOutcome(
        Result.DELIVERED, status=409, reason="already delivered", duplicate=True
    )
    assert len(publisher.stored()) == 1


async def test_a_clip_changed_since_export_never_completes(
    session: aiohttp.ClientSession,
    publisher: Publisher,
    big_clip: Clip,
    small_chunks: None,
) -> None:
    exported = signed_manifest(big_clip)
    write_clip(big_clip.path, big_clip.size)  # same size, other bytes

    outcome = await upload(
        session,
        publisher.upload_url(),
        manifest_jws=exported,
        clip_path=big_clip.path,
        idempotency_key=KEY,
        expected_sha256=big_clip.sha256,
        expected_bytes=big_clip.size,
    )

    assert outcome.result is Result.MISMATCH
    assert publisher.stored() == []


async def test_a_withdrawn_request_is_410_and_never_delivered(
    session: aiohttp.ClientSession, publisher: Publisher, clip: Clip
) -> None:
    publisher.publish(revision=2, status="cancelled")

    outcome = await send(session, publisher.upload_url(), clip)

    assert outcome == UploadOutcome(
        Result.WITHDRAWN, status=410, reason=f"request '{REQUEST_ID}' was cancelled"
    )
    assert publisher.stored() == []


async def test_an_empty_clip_is_complete_at_creation(
    session: aiohttp.ClientSession, publisher: Publisher, tmp_path: Path
) -> None:
    empty = write_clip(tmp_path / "empty.mp4", 0)
    outcome = await send(session, publisher.upload_url(), empty)
    assert outcome == UploadOutcome(Result.DELIVERED, status=201)
    assert stored_clip(publisher) == b""


async def test_a_location_on_another_host_is_refused(
    session: aiohttp.ClientSession, other_inbox: Any, clip: Clip
) -> None:
    """A tus server that hands out an upload URL elsewhere gets nothing."""

    async def options(request: web.Request) -> web.Response:
        return web.Response(
            status=204,
            headers={
                "Tus-Resumable": "1.0.0",
                "Tus-Version": "1.0.0",
                "Tus-Extension": "creation",
            },
        )

    async def create(request: web.Request) -> web.Response:
        return web.Response(
            status=201,
            headers={"Location": other_inbox.url("/upload/x/1"), "Upload-Offset": "0"},
        )

    app = web.Application()
    app.router.add_route("OPTIONS", "/upload/{id}", options)
    app.router.add_post("/upload/{id}", create)
    runner, base = await start_app(app)
    try:
        outcome = await send(session, f"{base}/upload/{REQUEST_ID}", clip)
    finally:
        await runner.cleanup()

    assert outcome == UploadOutcome(Result.FAILED, status=201, reason=REDIRECTED_AWAY)
    assert other_inbox.events == []


async def test_a_link_that_stays_down_goes_back_to_the_outbox(
    session: aiohttp.ClientSession,
    publisher: Publisher,
    big_clip: Clip,
    small_chunks: None,
) -> None:
    """No byte acknowledged between failures: after three quick tries, the backoff."""
    link = await uplink_to(publisher, cuts=[100_000], down_after_cut=True)
    try:
        outcome = await send(session, publisher.upload_url(link.url), big_clip)
    finally:
        await link.close()

    assert outcome.result is Result.RETRY
    assert outcome.reason.startswith("no progress after 3 resumptions: ")
    assert link.upstream_bytes == 100_000  # nothing got through after the cut
