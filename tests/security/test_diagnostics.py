"""Item 8: diagnostics, pasted into a public bug report, give nothing away.

Every secret and personal value an owner can have is planted: the feed's
token, user info and query in the feed's URL, the webhook id, Frigate's URL
(with credentials) and login, the deciders' user ids, the notify targets, a
linked Telegram account and a linked group, and the home's exact position.
The diagnostics are downloaded as an owner would, over HTTP, and none of it
may appear in the file.
"""

from __future__ import annotations

import json
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.diagnostics import redact_url
from tests.integration.conftest import add_entry

from .conftest import command, person

FEED_TOKEN = "feed-token-7f3a9"
FEED_USER, FEED_PASS, FEED_QUERY = "feeduser", "feed-pass-19c2", "feedkey-55e1"
FRIGATE_USER, FRIGATE_PASS = "frigate-admin", "frigate-pass-a8d4"
FRIGATE_QUERY = "frigate-token-3b77"
NOTIFY = "mobile_app_eves_phone"
TELEGRAM_USER, TELEGRAM_GROUP = "987654321", "-1009876543210"
HOME_LAT, HOME_LON = 41.612345, -73.006789
CAMERA_LAT = 41.611111


async def test_diagnostics_contain_no_secret_and_no_personal_value(
    hass: HomeAssistant,
    feed_server: Any,
    home: Any,
    hass_client: Any,
    hass_ws_client: Any,
) -> None:
    assert await async_setup_component(hass, "diagnostics", {})
    feed_server.token = FEED_TOKEN
    url = f"{feed_server.url}?key={FEED_QUERY}"
    entry = await add_entry(
        hass, url, token=FEED_TOKEN, cameras=["camera.porch", "camera.hall"]
    )
    eve, _ = await person(hass, "Eve")
    frigate = (
        f"http://{FRIGATE_USER}:{FRIGATE_PASS}@frigate.local:5000/?t={FRIGATE_QUERY}"
    )
    hass.config_entries.async_update_entry(
        entry,
        options={
            **entry.options,
            "home": {"latitude": HOME_LAT, "longitude": HOME_LON, "radius": 30},
            "camera_policies": {
                "camera.porch": {
                    "policy": "ask",
                    "location": {"latitude": CAMERA_LAT, "longitude": -73.005555},
                    "view_radius": 20.0,
                },
                "camera.hall": {"policy": "ask", "backend": "frigate"},
            },
            "frigate_url": frigate,
            "frigate_username": FRIGATE_USER,
            "frigate_password": FRIGATE_PASS,
            "deciders": [eve.id],
            "notify_targets": [NOTIFY],
        },
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    admin = await hass_ws_client(hass)
    for telegram_id, group in ((TELEGRAM_USER, False), (TELEGRAM_GROUP, True)):
        made = await command(
            admin, type=f"{DOMAIN}/pairing/create", group=group, user_id=eve.id
        )
        linked = await command(
            admin,
            type=f"{DOMAIN}/pairing/complete",
            code=made["result"]["code"],
            telegram_user_id=telegram_id,
            name="Eve's phone",
            group=group,
        )
        assert linked["success"], linked
    # A publisher that hands out basic-auth URLs (set last: the feed server here
    # has no such user, and the stored entry is all diagnostics read).
    with_user = url.replace("http://", f"http://{FEED_USER}:{FEED_PASS}@")
    hass.config_entries.async_update_entry(entry, data={**entry.data, "url": with_user})

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    planted = {
        "feed token": FEED_TOKEN,
        "feed user": FEED_USER,
        "feed password": FEED_PASS,
        "feed query": FEED_QUERY,
        "webhook id": entry.data["webhook_id"],
        "Frigate user": FRIGATE_USER,
        "Frigate password": FRIGATE_PASS,
        "Frigate query": FRIGATE_QUERY,
        "decider's user id": eve.id,
        "notify target": NOTIFY,
        "Telegram user": TELEGRAM_USER,
        "Telegram group": TELEGRAM_GROUP.lstrip("-"),
        "Telegram name": "Eve's phone",
        "home latitude": str(HOME_LAT)[:7],
        "home longitude": str(HOME_LON)[:8],
        "camera latitude": str(CAMERA_LAT)[:7],
        "home key": "PRIVATE KEY",
    }
    leaked = {name: value for name, value in planted.items() if value in text}
    assert leaked == {}
    # Still useful: where the feed lives, how the home is set up, rounded.
    options = diagnostics["entry"]["options"]
    assert options["home"] == {"latitude": 41.61, "longitude": -73.01, "radius": 30}
    assert (
        options["frigate_url"] == "http://**REDACTED**@frigate.local:5000/?**REDACTED**"
    )
    assert diagnostics["entry"]["data"]["url"].endswith("/feed.json?**REDACTED**")
    assert diagnostics["access"] == {
        "deciders_listed": 1,
        "residents_receive_requests": False,
        "linked_telegram_users": 1,
        "linked_telegram_groups": 1,
    }
    assert diagnostics["pending"][0]["request_id"] == "wpd-2026-0412"


def test_a_url_keeps_only_what_locates_the_service() -> None:
    assert redact_url("rtsp://u:p@cam.local:554/live?token=x#f") == (
        "rtsp://**REDACTED**@cam.local:554/live?**REDACTED**#**REDACTED**"
    )
    assert redact_url("https://feed.example/feed.json") == (
        "https://feed.example/feed.json"
    )
    assert redact_url("http://[::1:bad") == "**REDACTED**"
    assert redact_url("not a url") == "not a url"
