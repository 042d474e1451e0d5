"""Mobile-app actionable notifications: Share asks again, Confirm decides."""

from __future__ import annotations

from typing import Any

from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.neighborhood_requests.consent.mobile_notify import (
    ACTION_EVENT,
    action_id,
)
from tests.protocol.factories import make_feed

from .conftest import FeedServer, add_entry, request_now

REQUEST_ID = "wpd-2026-0412"


@pytest.fixture
def phone(hass: HomeAssistant) -> list[dict[str, Any]]:
    """A stand-in for the mobile app's notify service, recording each call."""
    calls: list[dict[str, Any]] = []

    async def record(call: ServiceCall) -> None:
        calls.append(dict(call.data))

    async def broken(call: ServiceCall) -> None:
        raise HomeAssistantError("phone offline")

    hass.services.async_register("notify", "mobile_app_phone", record)
    hass.services.async_register("notify", "mobile_app_old", broken)
    return calls


async def notified_entry(hass: HomeAssistant, server: FeedServer) -> ConfigEntry:
    """An entry with notify targets; the request appears only after they are set."""
    server.serve(make_feed([]))
    entry = await add_entry(hass, server.url, cameras=["camera.porch"])
    hass.config_entries.async_update_entry(
        entry,
        options={
            **entry.options,
            "notify_targets": ["mobile_app_phone", "mobile_app_old"],
        },
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    server.serve(make_feed([request_now()]))
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    return entry


async def tap(hass: HomeAssistant, action: str, user: User | None) -> None:
    hass.bus.async_fire(
        ACTION_EVENT,
        {"action": action},
        context=Context(user_id=user.id if user else None),
    )
    await hass.async_block_till_done()


@pytest.mark.usefixtures("home")
async def test_share_needs_a_second_confirmation(
    hass: HomeAssistant,
    feed_server: FeedServer,
    phone: list[dict[str, Any]],
    hass_admin_user: User,
) -> None:
    entry = await notified_entry(hass, feed_server)
    [first] = phone
    assert "Burglary" in first["message"]
    assert "24-1187" in first["message"]
    actions = [a["action"] for a in first["data"]["actions"]]
    assert actions == [
        action_id("SHARE", entry.entry_id, REQUEST_ID),
        action_id("DECLINE", entry.entry_id, REQUEST_ID),
    ]

    await tap(hass, actions[0], hass_admin_user)
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.state == "pending"  # Share alone never shares
    confirm = phone[-1]
    assert "camera.porch" in confirm["message"]
    assert confirm["data"]["actions"][0]["action"] == action_id(
        "CONFIRM", entry.entry_id, REQUEST_ID
    )

    await tap(hass, action_id("CONFIRM", entry.entry_id, REQUEST_ID), hass_admin_user)
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.state == "shared"
    assert record.decision is not None
    assert record.decision.user_id == hass_admin_user.id
    assert record.decision.include_audio is False


@pytest.mark.usefixtures("home")
async def test_decline_and_foreign_taps(
    hass: HomeAssistant,
    feed_server: FeedServer,
    phone: list[dict[str, Any]],
    hass_admin_user: User,
) -> None:
    entry = await notified_entry(hass, feed_server)
    store = entry.runtime_data.coordinator.store
    await tap(hass, "SOMETHING_ELSE", hass_admin_user)
    await tap(hass, action_id("DECLINE", "other-entry", REQUEST_ID), hass_admin_user)
    await tap(hass, action_id("DECLINE", entry.entry_id, "unknown"), hass_admin_user)
    # A phone without a user behind it cannot decide.
    await tap(hass, action_id("DECLINE", entry.entry_id, REQUEST_ID), None)
    assert next(iter(store)).state == "pending"
    await tap(hass, action_id("DECLINE", entry.entry_id, REQUEST_ID), hass_admin_user)
    assert next(iter(store)).state == "declined"
    sent = len(phone)
    await tap(hass, action_id("SHARE", entry.entry_id, REQUEST_ID), hass_admin_user)
    assert len(phone) == sent  # decided: no second prompt
