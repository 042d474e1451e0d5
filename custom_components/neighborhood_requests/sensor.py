"""How many requests wait for a decision, and which ones."""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.sensor import SensorEntity, SensorStateClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import FeedCoordinator
from .data import NeighborhoodRequestsConfigEntry
from .entity import NeighborhoodRequestsEntity
from .requests.request_view import describe

# Entities only read the coordinator's snapshot; nothing here talks to the feed.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: NeighborhoodRequestsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One pending-requests sensor per feed."""
    async_add_entities([PendingRequestsSensor(entry.runtime_data.coordinator)])


class PendingRequestsSensor(NeighborhoodRequestsEntity, SensorEntity):
    """Count of pending requests; the list is in attributes, without home data."""

    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(self, coordinator: FeedCoordinator) -> None:
        super().__init__(coordinator, "pending_requests")

    @property
    @override
    def native_value(self) -> int:
        return len(self.coordinator.data.pending)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        return {
            "requests": [describe(record) for record in self.coordinator.data.pending],
            "on_hold": self.coordinator.data.on_hold,
        }
