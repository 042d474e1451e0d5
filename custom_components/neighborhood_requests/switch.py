"""Pause: new requests are still verified and recorded, but nobody is prompted."""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.switch import SwitchEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .consent.access import Surface
from .consent.pause import async_set_paused
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
    not withdraw a question someone may be answering right now. A person who
    flips it must be allowed to pause (`Action.PAUSE`); an automation may.
    """

    def __init__(self, coordinator: FeedCoordinator) -> None:
        super().__init__(coordinator, "pause")

    @property
    @override
    def is_on(self) -> bool:
        return self.coordinator.store.paused

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        await self._set(True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        await self._set(False)

    async def _set(self, paused: bool) -> None:
        """As the user of the service call that set this entity's context."""
        user_id = self._context.user_id if self._context is not None else None
        await async_set_paused(
            self.hass, self.coordinator, paused, user_id, surface=Surface.SWITCH
        )
        self.async_write_ha_state()
