"""Diagnostics never carry the token, the keys or the home's exact position."""

from __future__ import annotations

import json

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from custom_components.neighborhood_requests.diagnostics import (
    async_get_config_entry_diagnostics,
)

from .conftest import FeedServer, add_entry


async def test_diagnostics_are_redacted(
    hass: HomeAssistant, feed_server: FeedServer, home: tuple[float, float]
) -> None:
    feed_server.token = "very-secret-token"
    entry: ConfigEntry = await add_entry(
        hass, feed_server.url, token="very-secret-token", cameras=["camera.porch"]
    )
    options = dict(entry.options)
    options["home"] = {"latitude": 41.612345, "longitude": -73.006789, "radius": 30}
    options["camera_policies"] = {
        "camera.porch": {
            "policy": "ask",
            "location": {"latitude": 41.611111, "longitude": -73.005555},
            "view_radius": 20.0,
        }
    }
    hass.config_entries.async_update_entry(entry, options=options)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    text = json.dumps(diagnostics)
    assert "very-secret-token" not in text
    assert '"x":' not in text
    assert "41.612345" not in text
    assert "41.611111" not in text
    assert diagnostics["entry"]["options"]["home"]["latitude"] == 41.61
    porch = diagnostics["entry"]["options"]["camera_policies"]["camera.porch"]
    assert porch["location"]["longitude"] == -73.01
    assert diagnostics["entry"]["data"]["keys"] == "**REDACTED**"
    assert diagnostics["feed"]["stored_requests"] == 1
    assert diagnostics["pending"][0]["request_id"] == "wpd-2026-0412"
    assert "contact" not in text
    home_key = entry.runtime_data.home_key
    assert diagnostics["home_key"] == {
        "kid": home_key.kid,
        "fingerprint": home_key.fingerprint,
    }
    assert diagnostics["entry"]["data"]["home_key"] == "**REDACTED**"
    assert "PRIVATE KEY" not in text


async def test_the_home_key_is_made_once_and_survives_a_reload(
    hass: HomeAssistant, feed_server: FeedServer, home: tuple[float, float]
) -> None:
    entry: ConfigEntry = await add_entry(hass, feed_server.url)
    first = entry.runtime_data.home_key
    assert entry.data["home_key"].startswith("-----BEGIN PRIVATE KEY-----")
    assert first.fingerprint == f"SHA256:{first.kid}"
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.home_key.jwk == first.jwk
