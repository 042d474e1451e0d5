"""Webhook pushes: verified exactly like a poll; bad ones store nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
import pytest

from tests.protocol.factories import (
    OTHER_JWK,
    OTHER_KEY,
    OTHER_KID,
    feed_bytes,
    make_feed,
    make_publisher,
    sign_request,
)

from .conftest import EventLog, request_now

type ClientFactory = Callable[..., Awaitable[Any]]


async def push(
    hass: HomeAssistant, client_factory: ClientFactory, entry: ConfigEntry, body: bytes
) -> int:
    client = await client_factory()
    response = await client.post(f"/api/webhook/{entry.data['webhook_id']}", data=body)
    await hass.async_block_till_done()
    status: int = response.status
    return status


async def test_signed_push_is_processed_at_once(
    hass: HomeAssistant, entry: ConfigEntry, hass_client_no_auth: ClientFactory
) -> None:
    log = EventLog(hass)
    body = feed_bytes(make_feed([request_now(id="pushed-1")]))
    assert await push(hass, hass_client_no_auth, entry, body) == 202
    assert log.types == ["received"]
    sensor = next(
        s for s in hass.states.async_all("sensor") if "pending" in s.entity_id
    )
    assert sensor.state == "2"


@pytest.mark.parametrize(
    ("feed", "status"),
    [
        # signed by a key the home never pinned
        (
            make_feed([sign_request(request_now(id="forged"), OTHER_KEY, OTHER_KID)]),
            401,
        ),
        # the publisher now claims other keys
        (
            make_feed(
                [request_now(id="rotated")],
                keys=[OTHER_JWK],
                key=OTHER_KEY,
                kid=OTHER_KID,
            ),
            401,
        ),
        # a different publisher entirely
        (make_feed([request_now(id="x")], publisher=make_publisher(id="other")), 400),
        # well signed, but not a valid request
        (make_feed([request_now(id="bad id!")]), 400),
    ],
)
async def test_bad_pushes_store_nothing(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_client_no_auth: ClientFactory,
    feed: dict[str, Any],
    status: int,
) -> None:
    store = entry.runtime_data.coordinator.store
    before = len(store)
    assert await push(hass, hass_client_no_auth, entry, feed_bytes(feed)) == status
    assert len(store) == before


@pytest.mark.parametrize("body", [b"{nope", b"plain text", b""])
async def test_garbage_push_is_400(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_client_no_auth: ClientFactory,
    body: bytes,
) -> None:
    assert await push(hass, hass_client_no_auth, entry, body) == 400
    assert len(entry.runtime_data.coordinator.store) == 1


async def test_oversize_push_is_413(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_client_no_auth: ClientFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from custom_components.neighborhood_requests.requests import feed_client

    monkeypatch.setattr(feed_client, "MAX_BYTES", 64)
    body = feed_bytes(make_feed([request_now(id="big")]))
    assert await push(hass, hass_client_no_auth, entry, body) == 413
