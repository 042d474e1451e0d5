"""The owner's prompt in the browser: a notification that opens the panel.

Requests are not Repairs: an open request raises no repair issue, and its
notification links to the request in the "Video requests" panel. The
notification follows the request: it goes when the request is decided (anywhere),
expires or is withdrawn, and comes back after a reload while the request is open.
"""

from __future__ import annotations

from datetime import timedelta
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest

from custom_components.neighborhood_requests.consent.owner_prompt import (
    OwnerPrompt,
    prompt_id,
)
from custom_components.neighborhood_requests.const import DOMAIN
from tests.protocol.factories import make_feed

from .conftest import FeedServer, request_now
from .markdown import rendered

REQUEST_ID = "wpd-2026-0412"


@pytest.fixture(autouse=True)
async def notifications_on(hass: HomeAssistant) -> None:
    """Repairs and persistent notifications, as in a real Home Assistant."""
    assert await async_setup_component(hass, "repairs", {})
    assert await async_setup_component(hass, "persistent_notification", {})


def notifications(hass: HomeAssistant) -> dict[str, Any]:
    return dict(persistent_notification._async_get_or_create_notifications(hass))


def record_of(entry: ConfigEntry) -> Any:
    return next(
        r for r in entry.runtime_data.coordinator.store if r.request_id == REQUEST_ID
    )


async def test_open_request_notifies_with_a_link_to_the_panel(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    note = notifications(hass)[prompt_id(entry.entry_id, REQUEST_ID)]
    assert note["title"] == f"Video request from {entry.data['publisher_name']}"
    link = f"(/neighborhood-requests/request/{entry.entry_id}/{REQUEST_ID})"
    assert f"[open the request in Video requests]{link}" in note["message"]
    assert "24-1187" in rendered(note["message"])
    assert "/config/repairs" not in note["message"]
    # The incident's label and the home's times to the minute, not machine values.
    assert "(case 24-1187, Burglary)" in rendered(note["message"])
    assert not re.search(r"\d:\d\d:\d\d", note["message"])


async def test_a_request_is_not_a_repair(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Nothing is broken when a neighbour asks: Repairs stay for real repairs.

    (The test's cameras have no stream, which is a real repair, and stays one.)
    """
    ours = [i for key, i in ir.async_get(hass).issues.items() if key[0] == DOMAIN]
    assert {i.translation_key for i in ours} == {"no_stream_source"}
    assert not [i for i in ours if REQUEST_ID in i.issue_id]


async def test_a_decision_anywhere_clears_the_notification(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "respond",
        {
            "config_entry_id": entry.entry_id,
            "request_id": REQUEST_ID,
            "decision": "decline",
        },
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await hass.async_block_till_done()
    assert prompt_id(entry.entry_id, REQUEST_ID) not in notifications(hass)


async def test_expired_and_cancelled_requests_lose_their_notification(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    coordinator = entry.runtime_data.coordinator
    feed_server.serve(make_feed([request_now(), request_now(id="other-1")]))
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    other = prompt_id(entry.entry_id, "other-1")
    assert other in notifications(hass)

    feed_server.serve(
        make_feed(
            [request_now(), request_now(id="other-1", revision=2, status="cancelled")]
        )
    )
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert other not in notifications(hass)
    assert prompt_id(entry.entry_id, REQUEST_ID) in notifications(hass)

    freezer.tick(timedelta(days=8))
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert prompt_id(entry.entry_id, REQUEST_ID) not in notifications(hass)


async def test_unload_clears_and_reload_notifies_again(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert prompt_id(entry.entry_id, REQUEST_ID) not in notifications(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert prompt_id(entry.entry_id, REQUEST_ID) in notifications(hass)


async def test_no_notification_for_a_request_decided_meanwhile(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Texts load asynchronously; a request decided by then gets no notification."""
    persistent_notification.async_dismiss(hass, prompt_id(entry.entry_id, REQUEST_ID))
    prompt = OwnerPrompt(hass, entry, entry.runtime_data.coordinator)
    await prompt._notify([record_of(entry)])
    assert prompt_id(entry.entry_id, REQUEST_ID) not in notifications(hass)
