"""Delivery into the reference publisher's real inbox, with a really signed manifest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.neighborhood_requests.delivery.outbox import (
    Outbox,
    OutboxEntry,
    State,
)
from custom_components.neighborhood_requests.delivery.runner import OutboxRunner
from custom_components.neighborhood_requests.protocol import jws
from publisher.inbox import STAGING
from tests.protocol.factories import HOME_KEY, PUBLISHER_ID

from .conftest import Clip, write_clip
from .reference import (
    HOME_KEY_ID,
    KEY,
    REQUEST_ID,
    Publisher,
    signed_manifest,
)


class Home:
    """The integration's side: outbox, persisted snapshots, audit events."""

    def __init__(self, session: aiohttp.ClientSession, publisher: Publisher) -> None:
        self.session = session
        self.publisher = publisher
        self.saved: list[list[dict[str, Any]]] = []
        self.audit: list[dict[str, Any]] = []

    async def save(self, data: list[dict[str, Any]]) -> None:
        self.saved.append(json.loads(json.dumps(data)))

    async def record(self, event: dict[str, Any]) -> None:
        self.audit.append(event)

    def entry(self, clip: Clip, request_id: str = REQUEST_ID) -> OutboxEntry:
        return OutboxEntry(
            key=KEY,
            request_id=request_id,
            publisher_id=PUBLISHER_ID,
            upload_url=f"{self.publisher.url}/upload/{request_id}",
            clip_path=clip.path,
            sha256=clip.sha256,
            bytes=clip.size,
            manifest_jws=signed_manifest(clip),
            expires_at=datetime.now(UTC) + timedelta(days=7),
        )

    def runner(self, outbox: Outbox) -> OutboxRunner:
        return OutboxRunner(
            outbox,
            self.session,
            save=self.save,
            audit=self.record,
            clock=lambda: datetime.now(UTC),
        )


@pytest.fixture
def home(session: aiohttp.ClientSession, publisher: Publisher) -> Home:
    return Home(session, publisher)


def stored_uploads(publisher: Publisher) -> list[Path]:
    return publisher.stored()


async def test_share_arrives_verified_exactly_once_across_a_restart(
    home: Home, publisher: Publisher, clip: Clip
) -> None:
    (delivered,) = await home.runner(Outbox([home.entry(clip)])).run_due()
    assert delivered.state is State.DELIVERED

    (upload_dir,) = stored_uploads(publisher)
    assert (upload_dir / "clip.mp4").read_bytes() == clip.path.read_bytes()
    token = (upload_dir / "manifest.jws").read_text().strip()
    jwk = jws.public_jwk(HOME_KEY)
    manifest = jws.verify_manifest(token, {HOME_KEY_ID: jws.public_key_from_jwk(jwk)})
    assert (manifest.sha256, manifest.bytes) == (clip.sha256, clip.size)

    # HA restarts from the snapshot saved before the upload (a crash after the
    # inbox stored the clip but before the outbox recorded it), and the
    # publisher restarts too: the inbox recognises the key and answers 409.
    await publisher.stop()
    await publisher.start()
    before_send = home.saved[0]
    assert before_send[0]["state"] == "pending"
    (again,) = await home.runner(Outbox.from_dicts(before_send)).run_due()

    assert again.state is State.DELIVERED
    assert home.audit[-1]["status"] == 409
    assert stored_uploads(publisher) == [upload_dir]


async def test_clip_changed_after_export_is_never_stored(
    home: Home, publisher: Publisher, clip: Clip, tmp_path: Path
) -> None:
    outbox = Outbox([home.entry(clip)])
    runner = home.runner(outbox)
    write_clip(clip.path, clip.size)

    (stale,) = await runner.run_due()

    assert stale.state is State.STALE
    # Stopping the server waits for its handler of the aborted upload, which
    # must have thrown the partial clip away. (Retrying while that handler is
    # still running can get 409 for a key that is only "in flight" there.)
    await publisher.stop()
    assert stored_uploads(publisher) == []
    assert list((publisher.root / STAGING).iterdir()) == []
    await publisher.start()

    again = write_clip(tmp_path / "re-export.mp4", 54_321)
    outbox.replace_clip(
        KEY,
        clip_path=again.path,
        sha256=again.sha256,
        size=again.size,
        manifest_jws=signed_manifest(again),
        now=datetime.now(UTC),
    )
    (delivered,) = await runner.run_due()
    assert delivered.state is State.DELIVERED
    (upload_dir,) = stored_uploads(publisher)
    assert upload_dir.name == again.sha256


async def test_oversize_clip_fails_with_the_inbox_reason(
    home: Home, publisher: Publisher, tmp_path: Path
) -> None:
    big = write_clip(tmp_path / "big.mp4", 8_000_001)

    (failed,) = await home.runner(Outbox([home.entry(big)])).run_due()

    assert failed.state is State.FAILED
    assert failed.last_error == ("clip of 8000001 bytes exceeds the 8000000 byte limit")
    assert home.audit[-1]["status"] == 413


async def test_unknown_request_fails_for_good(home: Home, clip: Clip) -> None:
    (failed,) = await home.runner(Outbox([home.entry(clip, "not-in-feed")])).run_due()
    assert (failed.state, failed.last_error) == (
        State.FAILED,
        "unknown request 'not-in-feed'",
    )
