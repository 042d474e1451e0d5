"""Diagnostics: enough to debug a feed, nothing that locates the home or opens it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import (
    CONF_FRIGATE_PASSWORD,
    CONF_FRIGATE_USERNAME,
    CONF_HOME,
    CONF_HOME_KEY,
    CONF_KEYS,
    CONF_LOCATION,
    CONF_TOKEN,
)
from .data import NeighborhoodRequestsConfigEntry
from .requests.request_view import describe

TO_REDACT = {
    CONF_TOKEN,
    CONF_KEYS,
    CONF_HOME_KEY,
    CONF_FRIGATE_USERNAME,
    CONF_FRIGATE_PASSWORD,
    "x",
    "contact",
}
COORDINATE_DECIMALS = 2  # about 1 km: the town, not the house


def _rounded(location: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: round(value, COORDINATE_DECIMALS)
        if key in ("latitude", "longitude")
        else value
        for key, value in location.items()
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: NeighborhoodRequestsConfigEntry
) -> dict[str, Any]:
    """Entry data and options redacted, home and camera positions rounded."""
    coordinator = entry.runtime_data.coordinator
    options = dict(entry.options)
    options[CONF_HOME] = _rounded(options.get(CONF_HOME, {}))
    options["camera_policies"] = {
        camera: {
            key: _rounded(value) if key == CONF_LOCATION else value
            for key, value in policy.items()
        }
        for camera, policy in options.get("camera_policies", {}).items()
    }
    home_key = entry.runtime_data.home_key
    footage = entry.runtime_data.footage
    cameras = footage.cameras if footage is not None else {}
    return {
        "home_key": {"kid": home_key.kid, "fingerprint": home_key.fingerprint},
        "entry": {
            "data": async_redact_data(dict(entry.data), TO_REDACT),
            "options": async_redact_data(options, TO_REDACT),
        },
        "feed": {
            "last_update_success": coordinator.last_update_success,
            "on_hold": coordinator.on_hold,
            "paused": coordinator.store.paused,
            "stored_requests": len(coordinator.store),
        },
        "pending": [describe(record) for record in coordinator.data.pending],
        # Recorder health only: stream URLs carry camera passwords.
        "recording": {
            camera: recording.describe() for camera, recording in cameras.items()
        },
    }
