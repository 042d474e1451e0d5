"""One device per feed; every entity of the entry hangs off it."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import CONF_PUBLISHER_NAME, CONF_URL, DOMAIN
from .coordinator import FeedCoordinator


def device_info(entry: ConfigEntry) -> DeviceInfo:
    """The feed as a service device, named after its publisher.

    The device page reads "Community Request Feed by <publisher>": the model is
    a protocol's name, not a word to translate, and no machine value (such as
    the publisher's kind) is left for the page to show raw or as `<unknown>`.
    """
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.data[CONF_PUBLISHER_NAME],
        manufacturer=entry.data[CONF_PUBLISHER_NAME],
        model="Community Request Feed",
        configuration_url=entry.data[CONF_URL],
        entry_type=DeviceEntryType.SERVICE,
    )


class NeighborhoodRequestsEntity(CoordinatorEntity[FeedCoordinator]):
    """Base for the fixed entities of a feed (sensor, event, switch)."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: FeedCoordinator, key: str) -> None:
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{key}"
        self._attr_translation_key = key
        self._attr_device_info = device_info(entry)
