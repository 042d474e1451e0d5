"""Pause: new requests are still verified and recorded, but nobody is prompted."""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.switch import SwitchEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import FeedCoordinator
from .data import NeighborhoodRequestsConfigEntry
from .entity import NeighborhoodRequestsEntity

# Flipping the switch only writes the store; nothing to serialise.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: NeighborhoodRequestsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One pause switch per feed."""
    async_add_entities([PauseSwitch(entry.runtime_data.coordinator)])


class PauseSwitch(NeighborhoodRequestsEntity, SwitchEntity):
    """Stored with the requests, so a restart does not silently unpause.

    Requests already pending stay pending: pausing stops new prompts, it does
    not withdraw a question someone may be answering right now.
    """

    def __init__(self, coordinator: FeedCoordinator) -> None:
        super().__init__(coordinator, "pause")

    @property
    @override
    def is_on(self) -> bool:
        return self.coordinator.store.paused

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        self.coordinator.store.set_paused(True)
        self.async_write_ha_state()

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        self.coordinator.store.set_paused(False)
        self.async_write_ha_state()
