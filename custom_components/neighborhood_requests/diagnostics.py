"""Diagnostics: enough to debug a feed, nothing that locates, opens or names anyone.

Diagnostics are pasted into public bug reports, so every secret and personal
value goes: tokens and keys, the webhook id (anyone who knows it can push a
feed), the user info and query of every URL (feed, Frigate, upload: where
credentials and signed parameters hide), Home Assistant user ids (deciders, who
decided), notify targets, Telegram ids, and any coordinate beyond two decimals
(about 1 km: the town, not the house). The last two passes run over the whole
result, so a value added here later is scrubbed without anyone remembering to.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.core import HomeAssistant

from .consent.people import RECIPIENTS
from .consent.recipients import KIND_GROUP
from .const import (
    CONF_DECIDERS,
    CONF_FRIGATE_PASSWORD,
    CONF_FRIGATE_USERNAME,
    CONF_HOME_KEY,
    CONF_KEYS,
    CONF_NOTIFY_TARGETS,
    CONF_TOKEN,
    CONF_WEBHOOK_ID,
)
from .data import NeighborhoodRequestsConfigEntry
from .requests.request_view import describe

TO_REDACT = {
    CONF_TOKEN,
    CONF_KEYS,
    CONF_HOME_KEY,
    CONF_WEBHOOK_ID,
    CONF_FRIGATE_USERNAME,
    CONF_FRIGATE_PASSWORD,
    CONF_DECIDERS,
    CONF_NOTIFY_TARGETS,
    "user_id",
    "decided_by",
    "telegram_user",
    "telegram_user_id",
    "password",
    "x",
    "d",
    "contact",
}
COORDINATE_KEYS = frozenset({"latitude", "longitude", "lat", "lon"})
COORDINATE_DECIMALS = 2
# A URL anywhere in a string: ffmpeg's and aiohttp's errors quote the whole URL.
URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+")


def redact_url(url: str) -> str:
    """`scheme://host[:port]/path`, with user info, query and fragment redacted."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return REDACTED
    if not parts.scheme or not parts.hostname:
        return url
    host = parts.hostname if port is None else f"{parts.hostname}:{port}"
    if parts.username is not None or parts.password is not None:
        host = f"{REDACTED}@{host}"
    query = REDACTED if parts.query else ""
    fragment = REDACTED if parts.fragment else ""
    return urlunsplit((parts.scheme, host, parts.path, query, fragment))


def scrub(value: Any, key: str | None = None) -> Any:
    """Every URL (even inside a message) redacted, every coordinate rounded."""
    if isinstance(value, Mapping):
        return {k: scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    if isinstance(value, str) and "://" in value:
        return URL.sub(lambda found: redact_url(found.group()), value)
    if key in COORDINATE_KEYS and isinstance(value, int | float):
        return round(value, COORDINATE_DECIMALS)
    return value


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: NeighborhoodRequestsConfigEntry
) -> dict[str, Any]:
    """Entry data and options redacted, URLs stripped, positions rounded."""
    coordinator = entry.runtime_data.coordinator
    home_key = entry.runtime_data.home_key
    footage = entry.runtime_data.footage
    cameras = footage.cameras if footage is not None else {}
    linked = hass.data[RECIPIENTS].list()
    groups = sum(1 for r in linked if r.kind == KIND_GROUP)
    diagnostics = {
        "home_key": {"kid": home_key.kid, "fingerprint": home_key.fingerprint},
        "entry": {
            "data": async_redact_data(dict(entry.data), TO_REDACT),
            "options": async_redact_data(dict(entry.options), TO_REDACT),
        },
        "feed": {
            "last_update_success": coordinator.last_update_success,
            "on_hold": coordinator.on_hold,
            "paused": coordinator.store.paused,
            "stored_requests": len(coordinator.store),
        },
        "access": {
            "deciders_listed": len(coordinator.settings.deciders),
            "residents_receive_requests": (
                coordinator.settings.residents_receive_requests
            ),
            "linked_telegram_users": len(linked) - groups,
            "linked_telegram_groups": groups,
        },
        "pending": [
            async_redact_data(describe(record), TO_REDACT)
            for record in coordinator.data.pending
        ],
        # Recorder health only: stream URLs carry camera passwords.
        "recording": {
            camera: recording.describe() for camera, recording in cameras.items()
        },
    }
    scrubbed: dict[str, Any] = scrub(diagnostics)
    return scrubbed
