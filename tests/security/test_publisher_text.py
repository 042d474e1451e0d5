"""Attack: formatting, links and images in a request, rendered inside Home Assistant.

Text that reaches Home Assistant's Markdown from a publisher could otherwise show
a trusted-looking link in a notification, or an image that the owner's browser
fetches (telling the publisher that this home was shown the request). Every
such value arrives escaped: shown exactly, formatting nothing.
"""

from __future__ import annotations

import re
import string
from typing import Any

from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest

from custom_components.neighborhood_requests.consent.owner_prompt import prompt_id
from custom_components.neighborhood_requests.const import DOMAIN
from tests.integration.conftest import FeedServer, request_now
from tests.integration.markdown import rendered
from tests.protocol.factories import make_feed

SUMMARY = (
    "**URGENT** [Confirm you saw this](https://evil.example/seen?home=42) "
    "![](https://tracker.example/pixel.gif) <img src=https://tracker.example/i>"
)
CASE = "![x](https://t.example/p.gif)"
INCIDENT = "[burglary](https://evil.example)"


def inert(markdown: str) -> bool:
    """Not one unescaped ASCII punctuation character: nothing can format."""
    return not any(c in string.punctuation for c in re.sub(r"\\.", "", markdown))


@pytest.fixture
async def odd_request(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> ConfigEntry:
    assert await async_setup_component(hass, "repairs", {})
    assert await async_setup_component(hass, "persistent_notification", {})
    incident = {
        "type": INCIDENT,
        "summary": SUMMARY,
        "case_number": CASE,
        "reference_url": None,
    }
    feed_server.serve(make_feed([request_now(id="odd-1", incident=incident)]))
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    return entry


async def test_the_notification_shows_the_text_and_formats_nothing(
    hass: HomeAssistant, odd_request: ConfigEntry
) -> None:
    notes = persistent_notification._async_get_or_create_notifications(hass)
    note = notes[prompt_id(odd_request.entry_id, "odd-1")]
    message: str = note["message"]

    # The only link left is the template's own, to the request in the panel.
    assert re.findall(r"(?<!\\)\]\(", message) == ["]("]
    assert f"(/neighborhood-requests/request/{odd_request.entry_id}/odd-1)" in message
    assert CASE in rendered(message)
    assert INCIDENT in rendered(message)
    assert "https://t.example/p.gif" not in message  # only as escaped text


async def test_the_panel_gets_the_text_as_written(
    hass: HomeAssistant, odd_request: ConfigEntry, hass_ws_client: Any
) -> None:
    """The panel binds text as text (Lit escapes it), so it must not come escaped.

    Backslashes meant for Markdown would show in the panel, and a summary that
    arrived pre-rendered as HTML would be the injection this file is about.
    """
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": f"{DOMAIN}/panel/request",
            "entry_id": odd_request.entry_id,
            "request_id": "odd-1",
        }
    )
    view = (await client.receive_json())["result"]
    assert view["incident"]["summary"] == SUMMARY
    assert view["incident"]["case_number"] == CASE
    assert view["incident"]["type"] == INCIDENT
