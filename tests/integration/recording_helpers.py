"""A camera with a real stream source, and ways to look at what the recorder did.

The camera is a tiny `Camera` entity on a test platform; its stream is the
MPEG-TS stand-in of tests/export served on 127.0.0.1, so Home Assistant, the
integration and ffmpeg all run for real.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from homeassistant.components.camera import Camera, CameraEntityFeature
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, State
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    setup_test_component_platform,
)

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.export.mp4 import read_mp4
from custom_components.neighborhood_requests.export.segments import list_segments
from custom_components.neighborhood_requests.footage.recording import (
    CameraRecording,
    Footage,
)
from tests.integration.options_helpers import choose, open_options, walk_cameras

WAIT = 30.0  # a generous bound for a slow machine; nothing asserts speed


class StreamCamera(Camera):
    """A camera whose stream source is whatever URL the test gives it."""

    _attr_supported_features = CameraEntityFeature.STREAM

    def __init__(self, name: str, source: str | None) -> None:
        super().__init__()
        self._attr_name = name
        self._attr_unique_id = f"test_{name.lower()}"
        self.source = source

    async def stream_source(self) -> str | None:
        return self.source

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        return None


async def add_cameras(hass: HomeAssistant, *cameras: StreamCamera) -> None:
    """Set up the camera integration with these entities on a test platform."""
    setup_test_component_platform(hass, "camera", cameras)
    assert await async_setup_component(hass, "camera", {"camera": {"platform": "test"}})
    await hass.async_block_till_done()


def footage_of(entry: ConfigEntry) -> Footage:
    footage: Footage | None = entry.runtime_data.footage
    assert footage is not None
    return footage


def recording_of(entry: ConfigEntry, camera: str) -> CameraRecording:
    return footage_of(entry).cameras[camera]


async def until(
    recording: CameraRecording, predicate: Callable[[CameraRecording], bool]
) -> None:
    """Wait for the recorder's next state changes until `predicate` holds."""
    async with asyncio.timeout(WAIT):
        await recording.recorder.wait_for(lambda _: predicate(recording))


def _finished(directory: Path) -> list[Path]:
    return [s.path for s in list_segments(directory) if read_mp4(s.path)]


async def finished_segments(directory: Path, count: int) -> list[Path]:
    """Segments ffmpeg has closed (index written); files have no change event."""
    async with asyncio.timeout(WAIT):
        while True:
            done = await asyncio.to_thread(_finished, directory)
            if len(done) >= count:
                return done
            await asyncio.sleep(0.1)


def sensor(hass: HomeAssistant, entry: ConfigEntry, camera: str) -> State:
    """The recording binary sensor of `camera`."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "binary_sensor", DOMAIN, f"{entry.entry_id}_recording_{camera}"
    )
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    return state


def issue(
    hass: HomeAssistant, kind: str, camera: str | None = None
) -> ir.IssueEntry | None:
    """A repair of a camera (the camera's, however many entries link it) or
    of the home."""
    suffix = f"_{camera.partition('.')[2]}" if camera else ""
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{kind}{suffix}")


async def open_recording_step(
    hass: HomeAssistant,
    entry: ConfigEntry,
    cameras: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """Set each camera from the options menu, then open the recording step.

    A Frigate camera without Frigate's address leads there by itself.
    """
    result = await walk_cameras(hass, await open_options(hass, entry), cameras)
    if result["type"] is FlowResultType.MENU:
        result = await choose(hass, result, "recording")
    assert result["step_id"] == "recording", result
    return result
