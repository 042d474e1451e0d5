"""Whether each recorded camera is being recorded right now.

A share can only send footage that exists, so the owner needs to see at a glance
that the recorder runs, and why not when it does not. These are plain entities, not
coordinator entities: a feed outage says nothing about the recorder, so they stay
available while the feed is down.
"""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import NeighborhoodRequestsConfigEntry
from .entity import device_info
from .footage.recording import CameraRecording

# The recorder pushes every change; nothing is polled or written.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: NeighborhoodRequestsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One sensor per camera our own recorder keeps footage of.

    A camera moved to Frigate, set to never share or unlinked loses its sensor:
    left in the registry it would only ever show as unavailable.
    """
    footage = entry.runtime_data.footage
    assert footage is not None
    sensors = [
        RecordingSensor(entry, recording, _camera_name(hass, recording.camera))
        for recording in footage.cameras.values()
    ]
    current = {sensor.unique_id for sensor in sensors}
    registry = er.async_get(hass)
    for stale in er.async_entries_for_config_entry(registry, entry.entry_id):
        if stale.domain == "binary_sensor" and stale.unique_id not in current:
            registry.async_remove(stale.entity_id)
    async_add_entities(sensors)


def _camera_name(hass: HomeAssistant, camera: str) -> str:
    state = hass.states.get(camera)
    return state.name if state is not None else camera


class RecordingSensor(BinarySensorEntity):
    """On while ffmpeg's recorded timeline advances; attributes say why not."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_device_class = BinarySensorDeviceClass.RUNNING
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_translation_key = "recording"

    def __init__(
        self,
        entry: NeighborhoodRequestsConfigEntry,
        recording: CameraRecording,
        camera_name: str,
    ) -> None:
        self._recording = recording
        self._attr_unique_id = f"{entry.entry_id}_recording_{recording.camera}"
        self._attr_translation_placeholders = {"camera": camera_name}
        self._attr_device_info = device_info(entry)

    @override
    async def async_added_to_hass(self) -> None:
        self.async_on_remove(
            self._recording.recorder.add_listener(self._async_recorder_changed)
        )

    @callback
    def _async_recorder_changed(self) -> None:
        self.async_write_ha_state()

    @property
    @override
    def is_on(self) -> bool:
        return self._recording.recording

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        down_since = self._recording.down_since
        return {
            "camera": self._recording.camera,
            "last_error": self._recording.last_error,
            "down_since": down_since.isoformat() if down_since else None,
        }
