"""Footage options: validated in the form, applied by a reload, Frigate for real."""

from __future__ import annotations

from collections.abc import AsyncIterator
import hashlib
import json
import math
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.neighborhood_requests.export.recorder import NO_SOURCE
from custom_components.neighborhood_requests.export.result import ExportError
from custom_components.neighborhood_requests.settings import CameraBackend
from tests.export.footage import Assets, make_assets
from tests.export.frigate_standin import FrigateStandIn, Recording

from .conftest import FeedServer, add_entry
from .options_helpers import save
from .recording_helpers import footage_of, open_recording_step

EN = json.loads(
    (
        Path(__file__).parents[2]
        / "custom_components"
        / DOMAIN
        / "translations"
        / "en.json"
    ).read_text(encoding="utf-8")
)
FRIGATE_PORCH = {"policy": "ask", "backend": "frigate", "frigate_camera": "porch_nvr"}
RECORDER = {"policy": "ask", "backend": "recorder"}
LIMITS = {"retention_hours": 48, "disk_budget_gb": 5}


@pytest.fixture(scope="module")
def assets(tmp_path_factory: pytest.TempPathFactory) -> Assets:
    return make_assets(tmp_path_factory.mktemp("footage"))


@pytest.fixture
async def frigate(
    assets: Assets, entry: ConfigEntry, socket_enabled: None
) -> AsyncIterator[FrigateStandIn]:
    """Frigate's authenticated port, holding the request's window for `porch_nvr`."""
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.request is not None
    window = record.request.window
    recording = Recording(
        assets.clip_faststart, window.start.timestamp(), window.end.timestamp()
    )
    async with FrigateStandIn(
        recordings={"porch_nvr": recording}, credentials=("admin", "secret")
    ) as server:
        yield server


async def configure(
    hass: HomeAssistant, result: dict[str, Any], user_input: dict[str, Any]
) -> dict[str, Any]:
    return dict(
        await hass.config_entries.options.async_configure(result["flow_id"], user_input)
    )


async def test_home_key_fingerprint_in_options(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    fingerprint = entry.runtime_data.home_key.fingerprint
    assert placeholders["home_key_fingerprint"] == fingerprint
    assert "{home_key_fingerprint}" in EN["options"]["step"]["init"]["description"]


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        ({}, {"frigate_url": "frigate_url_required"}),
        ({"frigate_url": "not a url"}, {"frigate_url": "invalid_url"}),
        ({"frigate_url": "ftp://nvr.local"}, {"frigate_url": "invalid_url"}),
        ({"frigate_url": "http://"}, {"frigate_url": "invalid_url"}),
        ({"frigate_url": "http://[::1"}, {"frigate_url": "invalid_url"}),
        (
            {"frigate_url": "http://nvr:5000", "frigate_username": "admin"},
            {"frigate_password": "frigate_credentials_incomplete"},
        ),
        (
            {"frigate_url": "http://nvr:5000", "retention_hours": 0},
            {"retention_hours": "retention_out_of_range"},
        ),
        (
            {"frigate_url": "http://nvr:5000", "retention_hours": 721},
            {"retention_hours": "retention_out_of_range"},
        ),
        (
            {"frigate_url": "http://nvr:5000", "disk_budget_gb": 0},
            {"disk_budget_gb": "disk_budget_out_of_range"},
        ),
        (
            {"frigate_url": "http://nvr:5000", "disk_budget_gb": 20000},
            {"disk_budget_gb": "disk_budget_out_of_range"},
        ),
    ],
)
async def test_recording_step_rejects_bad_input(
    hass: HomeAssistant,
    entry: ConfigEntry,
    user_input: dict[str, Any],
    errors: dict[str, str],
) -> None:
    """Each bad field gets its own translated error and nothing is saved."""
    before = dict(entry.options)
    result = await open_recording_step(
        hass, entry, {"camera.porch": FRIGATE_PORCH, "camera.hall": RECORDER}
    )
    result = await configure(hass, result, {**LIMITS, **user_input})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "recording"
    assert result["errors"] == errors
    for key in errors.values():
        assert key in EN["options"]["error"], key
    assert dict(entry.options) == before


async def test_options_save_backends_and_limits(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Saved options reload the entry; only recorder cameras get a sensor."""
    result = await open_recording_step(
        hass, entry, {"camera.porch": FRIGATE_PORCH, "camera.hall": RECORDER}
    )
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    assert placeholders["max_hours"] == "720"
    result = await configure(
        hass,
        result,
        {
            "frigate_url": "http://nvr.local:8971",
            "frigate_username": "admin",
            "frigate_password": "secret",
            "retention_hours": 72,
            "disk_budget_gb": 2.5,
        },
    )
    await save(hass, result)
    assert entry.options["camera_policies"]["camera.porch"] == {
        **FRIGATE_PORCH,
        "label": "Camera 1",
    }
    assert entry.options["camera_policies"]["camera.hall"] == {
        "policy": "ask",
        "label": "Camera 2",
    }
    settings = entry.runtime_data.coordinator.settings
    assert settings.guardrails.retention.total_seconds() == 72 * 3600
    footage = footage_of(entry)
    assert footage.settings.budget_bytes == int(2.5 * 1024**3)
    assert footage.settings.frigate_url == "http://nvr.local:8971"
    assert footage.settings.backend_for("camera.porch") == CameraBackend(
        "camera.porch", "frigate", "porch_nvr"
    )
    assert list(footage.cameras) == ["camera.hall"]
    sensors = [
        e.unique_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.domain == "binary_sensor"
    ]
    assert sensors == [f"{entry.entry_id}_recording_camera.hall"]

    # Back to the recorder: the form no longer asks about Frigate, and nothing
    # about Frigate (its login least of all) is kept.
    result = await open_recording_step(
        hass, entry, {"camera.porch": RECORDER, "camera.hall": RECORDER}
    )
    fields = {str(key) for key in result["data_schema"].schema}
    assert fields == {"retention_hours", "disk_budget_gb"}
    await save(hass, await configure(hass, result, LIMITS))
    assert "frigate_url" not in entry.options
    assert "frigate_password" not in entry.options
    assert "frigate_username" not in entry.options
    assert entry.options["camera_policies"]["camera.porch"] == {
        "policy": "ask",
        "label": "Camera 1",
    }
    assert set(footage_of(entry).cameras) == {"camera.porch", "camera.hall"}


async def test_frigate_backend_exports_through_its_clip_api(
    hass: HomeAssistant, entry: ConfigEntry, frigate: FrigateStandIn
) -> None:
    """Login, then the clip of the window rounded outward, hashed as it arrives."""
    result = await open_recording_step(
        hass, entry, {"camera.porch": FRIGATE_PORCH, "camera.hall": RECORDER}
    )
    result = await configure(
        hass,
        result,
        {
            **LIMITS,
            "frigate_url": frigate.url,
            "frigate_username": "admin",
            "frigate_password": "secret",
        },
    )
    await save(hass, result)
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.request is not None
    request = record.request
    exporter = entry.runtime_data.exporter
    assert exporter is not None
    clip = await exporter.export(request, "camera.porch", False, preview=False)
    assert clip.path.parent == Path(hass.config.path(DOMAIN, "exports"))
    assert clip.sha256 == hashlib.sha256(clip.path.read_bytes()).hexdigest()
    start = math.floor(request.window.start.timestamp())
    end = math.ceil(request.window.end.timestamp())
    assert frigate.requests == [
        "/api/login",
        f"/api/porch_nvr/start/{start}/end/{end}/clip.mp4",
    ]
    preview = await exporter.export(request, "camera.porch", False, preview=True)
    assert preview.path.parent == Path(hass.config.path(DOMAIN, "previews"))
    assert frigate.requests[-1].endswith("clip.mp4")
    assert frigate.requests.count("/api/login") == 1  # the login is reused


async def test_frigate_without_address_is_an_export_error(
    hass: HomeAssistant, feed_server: FeedServer, home: tuple[float, float]
) -> None:
    """Options written around the form still fail clearly, before anything is sent."""
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    hass.config_entries.async_update_entry(
        entry,
        options={
            **entry.options,
            "camera_policies": {"camera.porch": FRIGATE_PORCH},
        },
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.request is not None
    exporter = entry.runtime_data.exporter
    assert exporter is not None
    with pytest.raises(ExportError, match="no Frigate URL"):
        await exporter.export(record.request, "camera.porch", False, preview=False)


async def test_diagnostics_redact_frigate_login_and_show_recorders(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    hass.config_entries.async_update_entry(
        entry,
        options={
            **entry.options,
            "frigate_url": "http://nvr.local:8971",
            "frigate_username": "nvr-admin",
            "frigate_password": "nvr-secret",
        },
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    text = json.dumps(diagnostics)
    assert "nvr-secret" not in text
    assert "nvr-admin" not in text
    hall = diagnostics["recording"]["camera.hall"]
    assert hall["recording"] is False
    assert hall["last_error"] == NO_SOURCE
    assert hall["down_since"] is not None
