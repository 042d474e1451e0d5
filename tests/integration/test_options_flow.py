"""The options menu: small steps, Frigate only where it applies, real phones."""

from __future__ import annotations

from typing import Any

from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.neighborhood_requests.const import (
    CONF_ALLOW_LAN,
    CONF_CAMERA_POLICIES,
    CONF_DECIDERS,
    CONF_LEGAL_BASES,
    CONF_MAX_RADIUS_M,
    CONF_MAX_WINDOW_MINUTES,
    CONF_NOTIFY_TARGETS,
    CONF_POLL_INTERVAL,
    CONF_REQUIRE_CASE_NUMBER,
    CONF_RESIDENTS_RECEIVE_REQUESTS,
    CONF_WEBHOOK_ID,
)
from tests.integration.test_translations import load

from .conftest import FeedServer, add_entry
from .options_helpers import (
    answer,
    choose,
    open_options,
    save,
    set_options,
    walk_cameras,
)

pytestmark = pytest.mark.usefixtures("home")

GUARDRAILS = {
    CONF_MAX_WINDOW_MINUTES: 30,
    CONF_MAX_RADIUS_M: 200,
    CONF_REQUIRE_CASE_NUMBER: False,
    CONF_LEGAL_BASES: ["warrant", "court_order"],
}


def fields(result: dict[str, Any]) -> list[str]:
    """The field names a form shows, in order."""
    return [str(key) for key in result["data_schema"].schema]


def register_phone(hass: HomeAssistant, name: str, user: User, *, push: bool) -> None:
    """A phone's registration as mobile_app stores it.

    Home Assistant's `mobile_app` cannot load here (it needs `cloud` and voice
    packages this project does not install), so the registration's config entry
    is added as its registration flow would create it: titled by the device
    name, holding the app's data and the user who signed in.
    """
    app_data = {"push_token": "token", "push_url": "https://push.invalid/"}
    MockConfigEntry(
        domain="mobile_app",
        title=name,
        data={
            "app_id": "io.homeassistant.companion.android",
            "app_name": "Home Assistant",
            "app_version": "2026.10",
            "device_name": name,
            "manufacturer": "Google",
            "model": "Pixel 8",
            "os_name": "Android",
            "os_version": "16",
            "supports_encryption": False,
            "app_data": app_data if push else {},
            "user_id": user.id,
            "webhook_id": f"webhook-{name}",
        },
    ).add_to_hass(hass)


async def test_the_menu_offers_small_steps_and_save(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    entry = await add_entry(hass, feed_server.url)
    result = await open_options(hass, entry)
    assert result["menu_options"] == [
        "home",
        "guardrails",
        "people",
        "recording",
        "advanced",
        "finish",
    ]
    english = load("en")
    for option in result["menu_options"]:
        assert f"options.step.init.menu_options.{option}" in english
        assert f"options.step.init.menu_option_descriptions.{option}" in english


async def test_steps_return_to_the_menu_and_only_save_stores(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    """An abandoned dialog changes nothing; Save stores every step and reloads."""
    entry = await add_entry(hass, feed_server.url)
    before = dict(entry.options)
    result = await choose(hass, await open_options(hass, entry), "guardrails")
    assert fields(result) == list(GUARDRAILS)
    result = await answer(hass, result, GUARDRAILS)
    assert result["type"] is FlowResultType.MENU
    hass.config_entries.options.async_abort(result["flow_id"])
    assert dict(entry.options) == before

    result = await choose(hass, await open_options(hass, entry), "guardrails")
    result = await answer(hass, result, GUARDRAILS)
    result = await choose(hass, result, "advanced")
    result = await answer(hass, result, {CONF_POLL_INTERVAL: 120, CONF_ALLOW_LAN: True})
    await save(hass, result)
    for key, value in GUARDRAILS.items():
        assert entry.options[key] == value
    assert entry.options[CONF_POLL_INTERVAL] == 120
    assert entry.state is ConfigEntryState.LOADED
    settings = entry.runtime_data.coordinator.settings
    assert settings.guardrails.max_radius_m == 200
    assert not settings.guardrails.require_case_number


async def test_no_legal_basis_is_refused_with_the_reason(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    entry = await add_entry(hass, feed_server.url)
    result = await choose(hass, await open_options(hass, entry), "guardrails")
    result = await answer(hass, result, {**GUARDRAILS, CONF_LEGAL_BASES: []})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_LEGAL_BASES: "no_legal_basis"}
    assert "options.error.no_legal_basis" in load("en")


async def test_cameras_each_get_a_step_and_frigate_asks_its_name_only_for_frigate(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    result = await choose(hass, await open_options(hass, entry), "home")
    assert fields(result) == ["home", "cameras"]
    result = await answer(
        hass,
        result,
        {
            "home": {"latitude": 41.6, "longitude": -73.0, "radius": 50},
            "cameras": ["camera.porch", "camera.hall", "camera.garage"],
        },
    )
    assert result["step_id"] == "camera"
    # A linked camera whose stream the recorder has not reached (it has none).
    assert result["description_placeholders"] == {
        "camera": "camera.porch",
        "recording": (
            "not reached yet; bit rate not measured yet (after a few minutes of "
            "recording)."
        ),
    }
    # The Frigate camera name is not part of a camera's own step.
    assert fields(result) == [
        "label",
        "policy",
        "location",
        "view_radius",
        "view_direction",
        "view_angle",
        "backend",
        "rtsp_transport",
    ]
    result = await answer(
        hass,
        result,
        {
            "policy": "ask",
            "location": {"latitude": 41.601, "longitude": -73.001},
            "view_radius": 25,
            "view_direction": 200,
            "backend": "recorder",
        },
    )
    assert result["step_id"] == "camera"
    # A camera linked in this dialog is recorded only once it is saved.
    assert result["description_placeholders"]["recording"] == (
        "not recorded yet: recording starts once the options are saved"
    )
    result = await answer(hass, result, {"policy": "ask", "backend": "frigate"})
    assert result["step_id"] == "camera_frigate"
    assert result["description_placeholders"] == {
        "camera": "camera.hall",
        "default": "hall",
    }
    assert fields(result) == ["frigate_camera"]
    result = await answer(hass, result, {"frigate_camera": "hall_nvr"})
    assert result["step_id"] == "camera"
    result = await answer(hass, result, {"policy": "never", "backend": "recorder"})
    # A Frigate camera and no Frigate address yet: its step comes next.
    assert result["step_id"] == "recording"
    assert "frigate_url" in fields(result)
    result = await answer(
        hass,
        result,
        {
            "frigate_url": "http://nvr.local:5000",
            "retention_hours": 48,
            "disk_budget_gb": 5,
        },
    )
    await save(hass, result)
    assert entry.options[CONF_CAMERA_POLICIES] == {
        "camera.porch": {
            "policy": "ask",
            "label": "Camera 1",
            "location": {"latitude": 41.601, "longitude": -73.001},
            "view_radius": 25.0,
            "view_direction": 200.0,
        },
        "camera.hall": {
            "policy": "ask",
            "label": "Camera 2",
            "backend": "frigate",
            "frigate_camera": "hall_nvr",
        },
        "camera.garage": {"policy": "never", "label": "Camera 3"},
    }
    settings = entry.runtime_data.coordinator.settings
    assert settings.never_cameras == frozenset({"camera.garage"})
    assert len(settings.view_points) == 2

    # Frigate's own name for the camera, left as the default, is not stored.
    result = await walk_cameras(
        hass,
        await open_options(hass, entry),
        {
            "camera.porch": {"policy": "ask", "backend": "recorder"},
            "camera.hall": {"policy": "ask", "backend": "frigate"},
        },
    )
    assert result["type"] is FlowResultType.MENU  # Frigate's address is known
    await save(hass, result)
    assert entry.options[CONF_CAMERA_POLICIES]["camera.hall"] == {
        "policy": "ask",
        "label": "Camera 2",
        "backend": "frigate",
    }


async def test_the_recording_step_hides_frigate_without_frigate_cameras(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    result = await choose(hass, await open_options(hass, entry), "recording")
    assert fields(result) == ["retention_hours", "disk_budget_gb"]
    result = await answer(hass, result, {"retention_hours": 72, "disk_budget_gb": 2})
    await save(hass, result)
    assert entry.options["retention_hours"] == 72


async def test_advanced_holds_the_webhook_and_the_lan_switch(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    entry = await add_entry(hass, feed_server.url)
    result = await choose(hass, await open_options(hass, entry), "advanced")
    assert fields(result) == [CONF_POLL_INTERVAL, CONF_ALLOW_LAN]
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    assert result["description_placeholders"] == {
        "webhook_path": f"/api/webhook/{webhook_id}"
    }
    english = load("en")
    assert "{webhook_path}" in english["options.step.advanced.description"]
    for key in (CONF_POLL_INTERVAL, CONF_ALLOW_LAN):
        assert f"options.step.advanced.data_description.{key}" in english
    # No other step mentions the webhook or the LAN switch.
    for step in ("guardrails", "people", "recording", "home"):
        result = await choose(hass, await open_options(hass, entry), step)
        assert CONF_ALLOW_LAN not in fields(result)
        assert "webhook_path" not in (result["description_placeholders"] or {})
        hass.config_entries.options.async_abort(result["flow_id"])
    await set_options(
        hass,
        entry,
        "advanced",
        {CONF_POLL_INTERVAL: 60, CONF_ALLOW_LAN: False},
    )
    assert not entry.runtime_data.coordinator.settings.guardrails.allow_lan


async def test_without_phones_the_step_says_how_to_add_one(
    hass: HomeAssistant, feed_server: FeedServer, hass_admin_user: User
) -> None:
    """No Companion app yet: no empty picker, but a text saying what to do."""
    entry = await add_entry(hass, feed_server.url)
    result = await choose(hass, await open_options(hass, entry), "people")
    assert result["step_id"] == "people_no_phones"
    assert fields(result) == [CONF_DECIDERS, CONF_RESIDENTS_RECEIVE_REQUESTS]
    english = load("en")
    assert "Companion app" in english["options.step.people_no_phones.description"]
    result = await answer(
        hass,
        result,
        {CONF_DECIDERS: [hass_admin_user.id], CONF_RESIDENTS_RECEIVE_REQUESTS: True},
    )
    await save(hass, result)
    assert entry.options[CONF_DECIDERS] == [hass_admin_user.id]
    settings = entry.runtime_data.coordinator.settings
    assert settings.residents_receive_requests is True


async def test_the_phone_picker_lists_companion_apps_by_name(
    hass: HomeAssistant, feed_server: FeedServer, hass_admin_user: User
) -> None:
    """Phones with the Companion app, by name and owner; the value stored is the
    notify service mobile_app registers for the phone."""
    register_phone(hass, "Alice's Pixel", hass_admin_user, push=True)
    register_phone(hass, "Tablet without push", hass_admin_user, push=False)
    entry = await add_entry(hass, feed_server.url)
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_NOTIFY_TARGETS: ["mobile_app_gone"]}
    )
    result = await choose(hass, await open_options(hass, entry), "people")
    assert result["step_id"] == "people"
    assert fields(result) == [
        CONF_DECIDERS,
        CONF_RESIDENTS_RECEIVE_REQUESTS,
        CONF_NOTIFY_TARGETS,
    ]
    [picker] = [
        value
        for key, value in result["data_schema"].schema.items()
        if str(key) == CONF_NOTIFY_TARGETS
    ]
    # A phone that left stays listed, under its service name, until removed.
    assert picker.config["options"] == [
        {
            "value": "mobile_app_alice_s_pixel",
            "label": f"Alice's Pixel ({hass_admin_user.name})",
        },
        {"value": "mobile_app_gone", "label": "mobile_app_gone"},
    ]
    result = await answer(
        hass,
        result,
        {
            CONF_DECIDERS: [],
            CONF_RESIDENTS_RECEIVE_REQUESTS: False,
            CONF_NOTIFY_TARGETS: ["mobile_app_alice_s_pixel"],
        },
    )
    await save(hass, result)
    assert entry.runtime_data.coordinator.settings.notify_targets == (
        "mobile_app_alice_s_pixel",
    )
