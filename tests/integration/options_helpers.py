"""Walking the options menu as the dialog does: choose a step, answer it, save.

Tests that change options through the flow use these, so a field that moves to
another step changes one line here, not every test.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.neighborhood_requests.const import (
    CONF_CAMERAS,
    CONF_FRIGATE_CAMERA,
    CONF_HOME,
)

Result = dict[str, Any]


async def open_options(hass: HomeAssistant, entry: ConfigEntry) -> Result:
    """The options menu of `entry`."""
    result = dict(await hass.config_entries.options.async_init(entry.entry_id))
    assert result["type"] is FlowResultType.MENU, result
    return result


async def answer(
    hass: HomeAssistant, result: Result, user_input: Mapping[str, Any]
) -> Result:
    """Submit a form (or a menu choice as `{"next_step_id": ...}`)."""
    return dict(
        await hass.config_entries.options.async_configure(
            result["flow_id"], dict(user_input)
        )
    )


async def choose(hass: HomeAssistant, result: Result, step: str) -> Result:
    """Pick `step` from the menu."""
    assert result["type"] is FlowResultType.MENU, result
    assert step in result["menu_options"], result
    return await answer(hass, result, {"next_step_id": step})


async def save(hass: HomeAssistant, result: Result) -> Result:
    """Choose Save from the menu; the entry reloads with the new options."""
    result = await choose(hass, result, "finish")
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    return result


async def walk_cameras(
    hass: HomeAssistant,
    result: Result,
    cameras: Mapping[str, Mapping[str, Any]],
    home: Mapping[str, Any] | None = None,
) -> Result:
    """The home step from the menu, then each camera's answers in order.

    A camera's `frigate_camera` goes to its own Frigate step, which the flow
    shows only for a camera set to Frigate.
    """
    result = await choose(hass, result, "home")
    result = await answer(
        hass,
        result,
        {
            CONF_HOME: dict(
                home
                or {
                    "latitude": hass.config.latitude,
                    "longitude": hass.config.longitude,
                }
            ),
            CONF_CAMERAS: list(cameras),
        },
    )
    for camera, answers in cameras.items():
        assert result["step_id"] == "camera", result
        assert result["description_placeholders"]["camera"] in (
            camera,
            getattr(hass.states.get(camera), "name", None),
        )
        own = {k: v for k, v in answers.items() if k != CONF_FRIGATE_CAMERA}
        result = await answer(hass, result, own)
        if result["step_id"] == "camera_frigate":
            name = answers.get(CONF_FRIGATE_CAMERA)
            result = await answer(
                hass, result, {CONF_FRIGATE_CAMERA: name} if name else {}
            )
    return result


async def set_options(
    hass: HomeAssistant,
    entry: ConfigEntry,
    step: str,
    user_input: Mapping[str, Any],
) -> Result:
    """Open the options, answer one step and save."""
    result = await choose(hass, await open_options(hass, entry), step)
    assert result["type"] is FlowResultType.FORM, result
    result = await answer(hass, result, user_input)
    assert result["type"] is FlowResultType.MENU, result
    return await save(hass, result)
