"""Which cameras have footage of a request's window, as the websocket's view says.

Real segment files (ffmpeg-made, laid out in the recorder's folder) and a real
Home Assistant: the answer comes from the disk, read in the executor and cached.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
import pytest

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.footage import presence as footage_presence
from custom_components.neighborhood_requests.footage.presence import FootagePresence
from custom_components.neighborhood_requests.footage.recording import recordings_dir
from custom_components.neighborhood_requests.settings import (
    CameraBackend,
    FootageSettings,
)
from tests.export.footage import Assets, lay_out, make_assets
from tests.protocol.factories import make_feed

from .conftest import FeedServer, request_now

type ClientFactory = Callable[..., Awaitable[Any]]


@pytest.fixture(scope="module")
def assets(tmp_path_factory: pytest.TempPathFactory) -> Assets:
    return make_assets(tmp_path_factory.mktemp("footage"))


def window_of(entry: ConfigEntry) -> Any:
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.request is not None
    return record.request.window


async def subscribe(client: Any) -> dict[str, Any]:
    await client.send_json_auto_id({"type": f"{DOMAIN}/subscribe"})
    assert (await client.receive_json())["success"]
    event: dict[str, Any] = (await client.receive_json())["event"]
    return event


def footage(view: dict[str, Any]) -> dict[str, str]:
    return {c["entity_id"]: c["footage"] for c in view["camera_footage"]}


async def test_snapshot_says_which_cameras_recorded_the_window(
    hass: HomeAssistant,
    entry: ConfigEntry,
    assets: Assets,
    hass_ws_client: ClientFactory,
) -> None:
    window = window_of(entry)
    # The porch recorded the start of the window; the hall nothing at all.
    await hass.async_add_executor_job(
        lay_out, assets, recordings_dir(hass, "camera.porch"), window.start
    )
    hass.states.async_set("camera.porch", "idle", {"friendly_name": "Front porch"})
    client = await hass_ws_client(hass)
    [view] = (await subscribe(client))["snapshot"]
    # `cameras` stays as it was (the bot's preview reads it); the new list beside it.
    assert view["cameras"] == ["camera.porch", "camera.hall"]
    # Only the window's first 12 s were recorded: the rest is a stated gap.
    [porch_gap] = view["camera_footage"][0]["gaps"]
    assert view["camera_footage"] == [
        {
            "entity_id": "camera.porch",
            "name": "Front porch",
            "footage": "yes",
            "gaps": [porch_gap],
        },
        {
            "entity_id": "camera.hall",
            "name": "camera.hall",
            "footage": "no",
            "gaps": [],
        },
    ]
    gap_start = datetime.fromisoformat(porch_gap["start"])
    assert window.start + timedelta(seconds=11) <= gap_start
    assert gap_start <= window.start + timedelta(seconds=13)
    assert datetime.fromisoformat(porch_gap["end"]) == window.end


async def test_a_new_request_arrives_already_checked(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_ws_client: ClientFactory,
) -> None:
    client = await hass_ws_client(hass)
    await subscribe(client)
    feed_server.serve(make_feed([request_now(), request_now(id="new-1")]))
    await entry.runtime_data.coordinator.async_refresh()
    change = (await client.receive_json())["event"]
    assert (change["event"], change["request"]["request_id"]) == ("received", "new-1")
    # Looked at before the event fired: "no", not "unknown".
    assert footage(change["request"]) == {"camera.porch": "no", "camera.hall": "no"}


async def test_footage_recorded_later_reaches_subscribers(
    hass: HomeAssistant,
    entry: ConfigEntry,
    assets: Assets,
    hass_ws_client: ClientFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = await hass_ws_client(hass)
    [view] = (await subscribe(client))["snapshot"]
    assert footage(view)["camera.hall"] == "no"
    await hass.async_add_executor_job(
        lay_out, assets, recordings_dir(hass, "camera.hall"), window_of(entry).start
    )
    # Every cached answer is old now: the next view triggers a look at the disk.
    monkeypatch.setattr(footage_presence, "FRESH_FOR", -1.0)
    entry.runtime_data.coordinator.async_update_listeners()
    change = (await client.receive_json())["event"]
    assert change["event"] == "updated"
    assert footage(change["request"]) == {"camera.porch": "no", "camera.hall": "yes"}


async def test_frigate_cameras_are_not_checked(
    hass: HomeAssistant, entry: ConfigEntry, assets: Assets, tmp_path: Path
) -> None:
    window = window_of(entry)
    changes: list[None] = []
    presence = FootagePresence(
        hass,
        FootageSettings(
            backends=(
                CameraBackend("camera.porch", "recorder", "porch"),
                CameraBackend("camera.nvr", "frigate", "nvr"),
            )
        ),
        lambda camera: tmp_path / camera,
        lambda: changes.append(None),
    )
    assert presence.status("camera.nvr", window.start, window.end) == "unknown"
    assert presence.status("camera.never", window.start, window.end) == "unknown"
    # Not looked at yet: unknown now, checked in the background, then told.
    await hass.async_add_executor_job(
        lay_out, assets, tmp_path / "camera.porch", window.start
    )
    assert presence.status("camera.porch", window.start, window.end) == "unknown"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert changes == [None]
    assert presence.status("camera.porch", window.start, window.end) == "yes"
    # A window the folder does not cover.
    later = window.end + (window.end - window.start) * 100
    await presence.async_probe([])
    assert (
        presence.status("camera.porch", later, later + (window.end - window.start))
        == "unknown"
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert (
        presence.status("camera.porch", later, later + (window.end - window.start))
        == "no"
    )
