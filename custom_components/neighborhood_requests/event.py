"""Request lifecycle: received, shared, declined, expired, cancelled, rejected."""

from __future__ import annotations

from typing import override

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import EVENT_TYPES
from .coordinator import FeedCoordinator
from .data import NeighborhoodRequestsConfigEntry
from .entity import NeighborhoodRequestsEntity
from .requests.request_view import describe
from .requests.store import RequestRecord

# Events are pushed by the coordinator; there is nothing to poll or serialise.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: NeighborhoodRequestsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One event entity per feed."""
    async_add_entities([RequestEventEntity(entry.runtime_data.coordinator)])


class RequestEventEntity(NeighborhoodRequestsEntity, EventEntity):
    """Fires once per transition the coordinator records, never per poll.

    The coordinator replays events it recorded before this entity existed (the
    first poll runs before platforms load), so the first requests are not lost.
    """

    def __init__(self, coordinator: FeedCoordinator) -> None:
        super().__init__(coordinator, "request_event")
        self._attr_event_types = list(EVENT_TYPES)

    @override
    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.async_add_event_listener(self._fired))

    @callback
    def _fired(self, event_type: str, record: RequestRecord) -> None:
        self._trigger_event(event_type, describe(record))
        self.async_write_ha_state()
