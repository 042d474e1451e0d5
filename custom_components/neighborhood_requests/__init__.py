"""Neighborhood Requests: consent-first neighbourhood video requests.

This module imports nothing from Home Assistant when it is loaded: the protocol
package below it is shared with the reference publisher and the tests, and
importing `custom_components.neighborhood_requests.protocol` runs this file first.
The entry points therefore import `lifecycle` (and with it Home Assistant) only
when Home Assistant calls them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.typing import ConfigType

    from .data import NeighborhoodRequestsConfigEntry


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Actions and websocket commands are integration-wide."""
    from . import lifecycle  # noqa: PLC0415  (keeps the protocol import HA-free)

    return await lifecycle.async_setup(hass, config)


async def async_setup_entry(
    hass: HomeAssistant, entry: NeighborhoodRequestsConfigEntry
) -> bool:
    """Load what we knew, poll the feed once, then set up the entities."""
    from . import lifecycle  # noqa: PLC0415

    return await lifecycle.async_setup_entry(hass, entry)


async def async_migrate_entry(
    hass: HomeAssistant, entry: NeighborhoodRequestsConfigEntry
) -> bool:
    """Bring an entry saved by an older version up to this one's data and options."""
    from . import lifecycle  # noqa: PLC0415

    return lifecycle.async_migrate_entry(hass, entry)


async def async_unload_entry(
    hass: HomeAssistant, entry: NeighborhoodRequestsConfigEntry
) -> bool:
    """Stop everything the entry started."""
    from . import lifecycle  # noqa: PLC0415

    return await lifecycle.async_unload_entry(hass, entry)


async def async_remove_entry(
    hass: HomeAssistant, entry: NeighborhoodRequestsConfigEntry
) -> None:
    """Forget the stored requests with the entry; the audit log stays as evidence."""
    from . import lifecycle  # noqa: PLC0415

    await lifecycle.async_remove_entry(hass, entry)


def _config_entry_only(config: dict[str, Any]) -> dict[str, Any]:
    """Home Assistant's `config_entry_only_config_schema`, built only when needed.

    YAML for this domain gets Home Assistant's own error and repair issue; any
    other configuration passes untouched without Home Assistant being imported.
    """
    if DOMAIN not in config:
        return config
    from homeassistant.helpers import config_validation as cv  # noqa: PLC0415

    validated: dict[str, Any] = cv.config_entry_only_config_schema(DOMAIN)(config)
    return validated


CONFIG_SCHEMA = _config_entry_only
