"""One map pin per request waiting for a decision.

Pins come and go with the coordinator's snapshot: a request decided, expired,
cancelled or withdrawn loses its pin (and its registry entry) at the next update,
while a failed poll leaves the snapshot, and so the map, untouched.

A pin is named for people (incident and case number) and carries the request's
public facts plus `panel_url`. Home Assistant's more-info dialog has no
geo_location controls; it lists the attributes, under their translated names,
and shows a string attribute that is an http(s) URL as a link, so the pin's
details open the request in the "Video requests" panel with one click. That needs
an absolute URL (Settings → System → Network); without one the path is shown.
"""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.geo_location import GeolocationEvent
from homeassistant.const import UnitOfLength
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.network import NoURLAvailableError, get_url
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .consent.owner_prompt import panel_path
from .const import GEO_SOURCE
from .coordinator import FeedCoordinator
from .data import NeighborhoodRequestsConfigEntry
from .entity import device_info
from .protocol.geo import area_centre, haversine_m
from .requests.request_view import describe
from .requests.store import RequestRecord
from .texts import Texts, async_texts

# Pins only mirror the coordinator's snapshot; nothing here polls.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: NeighborhoodRequestsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a pin for each pending request now and whenever one appears."""
    coordinator = entry.runtime_data.coordinator
    # Names are made in the home's language; a change of language reloads the entry.
    texts = await async_texts(hass)
    pins: dict[str, RequestPin] = {}

    @callback
    def sync() -> None:
        pending = {record.key: record for record in coordinator.data.pending}
        new = [
            RequestPin(coordinator, record, texts)
            for key, record in pending.items()
            if key not in pins
        ]
        for key in [key for key in pins if key not in pending]:
            hass.async_create_task(pins.pop(key).async_retire())
        for pin in new:
            pins[pin.record.key] = pin
        if new:
            async_add_entities(new)

    sync()
    entry.async_on_unload(coordinator.async_add_listener(sync))


class RequestPin(CoordinatorEntity[FeedCoordinator], GeolocationEvent):
    """The request's area centre, its distance from home and public facts."""

    _attr_has_entity_name = True
    _attr_source = GEO_SOURCE
    _attr_unit_of_measurement = UnitOfLength.KILOMETERS
    _attr_translation_key = "request"

    def __init__(
        self, coordinator: FeedCoordinator, record: RequestRecord, texts: Texts
    ) -> None:
        super().__init__(coordinator)
        assert record.request is not None
        self.record = record
        self._texts = texts
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{record.key}"
        self._attr_device_info = device_info(entry)
        incident = record.request.incident
        self._attr_translation_placeholders = {
            "incident": texts.incident(incident.type),
            "case": incident.case_number or record.request.id,
        }
        self._mirror(record)

    def _mirror(self, record: RequestRecord) -> None:
        assert record.request is not None
        self.record = record
        lat, lon = area_centre(record.request.area)
        settings = self.coordinator.settings
        self._attr_latitude, self._attr_longitude = lat, lon
        self._attr_distance = (
            haversine_m(settings.home_lat, settings.home_lon, lat, lon) / 1000
        )

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        record = self.record
        assert record.request is not None
        assert record.request_id is not None
        attributes = describe(record)
        attributes["incident"] = self._texts.incident(record.request.incident.type)
        path = panel_path(self.coordinator.config_entry.entry_id, record.request_id)
        try:
            attributes["panel_url"] = get_url(self.hass) + path
        except NoURLAvailableError:
            attributes["panel_url"] = path
        return attributes

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        for record in self.coordinator.data.pending:
            if record.key == self.record.key:
                self._mirror(record)
        super()._handle_coordinator_update()

    async def async_retire(self) -> None:
        """Leave the map and the entity registry: a decided request is gone."""
        # Every pin has a unique id, so removing it from the registry removes it.
        er.async_get(self.hass).async_remove(self.entity_id)
