"""Sharing in a real Home Assistant: fixtures and steps the delivery tests share.

An entry on the reference publisher's feed (allowed on the LAN), footage laid out
for the request's window, and the steps of a share: respond, let the background
upload run, move time past the backoff. Used by `test_delivery.py` and by the
withdrawal attacks in `tests/security/`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.neighborhood_requests.const import (
    CONF_ALLOW_LAN,
    DOMAIN,
)
from custom_components.neighborhood_requests.requests.store import (
    Delivery,
    RequestRecord,
    record_key,
)
from tests.export.footage import Assets, lay_out, make_assets
from tests.protocol.factories import PUBLISHER_ID

from .conftest import add_entry
from .inbox_helpers import REQUEST_ID, PublisherServer, audit_events

CAMERA = "camera.porch"
PAST_BACKOFF = timedelta(minutes=16)  # beyond the outbox's 15-minute cap


@pytest.fixture(scope="session", name="assets")
def assets_fixture(tmp_path_factory: pytest.TempPathFactory) -> Assets:
    """Footage generated once: 2 s segments from ffmpeg's testsrc2 and sine."""
    return make_assets(tmp_path_factory.mktemp("footage"))


@pytest.fixture(name="publisher")
async def publisher_fixture(
    socket_enabled: None, tmp_path: Path
) -> AsyncIterator[PublisherServer]:
    server = PublisherServer(tmp_path / "publisher")
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(name="notifications_ready")
async def notifications_ready_fixture(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "persistent_notification", {})


async def loopback_entry(
    hass: HomeAssistant, publisher: PublisherServer, *, allow: bool = True
) -> ConfigEntry:
    """An entry on the publisher's feed (allowed on the LAN in the flow), and a request.

    `allow=False` takes the LAN allowance back before the request is published.
    """
    entry = await add_entry(hass, publisher.feed_url, cameras=[CAMERA])
    if not allow:
        hass.config_entries.async_update_entry(
            entry, options={**entry.options, CONF_ALLOW_LAN: False}
        )
        assert await hass.config_entries.async_reload(entry.entry_id)
    publisher.publish(publisher.request())
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    return entry


def lay_out_window(entry: ConfigEntry, assets: Assets) -> None:
    """Recorded footage at the start of the request's window."""
    record = record_of(entry)
    assert record.request is not None
    footage = entry.runtime_data.footage
    lay_out(assets, footage.directory(CAMERA), record.request.window.start)


@pytest.fixture(name="entry")
async def entry_fixture(
    hass: HomeAssistant,
    publisher: PublisherServer,
    home: tuple[float, float],
    assets: Assets,
    notifications_ready: None,
) -> ConfigEntry:
    created = await loopback_entry(hass, publisher)
    assert record_of(created).state == "pending"
    lay_out_window(created, assets)
    return created


def record_of(entry: ConfigEntry) -> RequestRecord:
    record = entry.runtime_data.coordinator.store.get(
        record_key(PUBLISHER_ID, REQUEST_ID)
    )
    assert record is not None
    return record


def delivery_of(entry: ConfigEntry) -> Delivery:
    (delivery,) = record_of(entry).deliveries
    return delivery


async def share(hass: HomeAssistant, entry: ConfigEntry, user: User) -> None:
    await hass.services.async_call(
        DOMAIN,
        "respond",
        {
            "config_entry_id": entry.entry_id,
            "request_id": REQUEST_ID,
            "decision": "share",
            "cameras": [CAMERA],
        },
        blocking=True,
        context=Context(user_id=user.id),
    )
    await settle(hass)


async def settle(hass: HomeAssistant) -> None:
    """Let the background delivery run to its end (uploads are real HTTP)."""
    await hass.async_block_till_done(wait_background_tasks=True)


async def later(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await settle(hass)


def notes(hass: HomeAssistant) -> dict[str, Any]:
    return dict(persistent_notification._async_get_or_create_notifications(hass))


def audit_types(entry: ConfigEntry) -> list[str]:
    return [e["type"] for e in audit_events(entry.runtime_data.coordinator.audit_path)]
