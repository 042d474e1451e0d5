"""Reading what the integration really wrote under `.storage/` (no mocked Store).

The request store and the outbox write their own files durably, beside Home
Assistant's `Store`, so tests read the files as a restart would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant


def storage_file(hass: HomeAssistant, key: str) -> Path:
    return Path(hass.config.path(".storage", key))


def stored(hass: HomeAssistant, key: str) -> Any:
    """The `data` of `.storage/<key>`, or None if there is no such file."""
    path = storage_file(hass, key)
    if not path.exists():
        return None
    return json.loads(path.read_bytes())["data"]


def write_stored(hass: HomeAssistant, key: str, data: Any) -> None:
    """Replace `.storage/<key>`'s data, as an edit (or damage) between runs would."""
    path = storage_file(hass, key)
    envelope = json.loads(path.read_bytes())
    envelope["data"] = data
    path.write_text(json.dumps(envelope))
