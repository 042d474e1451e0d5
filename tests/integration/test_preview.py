"""Preview: a local clip for the resident's eyes, reachable only by its token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from homeassistant.auth.models import User
from homeassistant.components import media_source
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.setup import async_setup_component
import pytest

from custom_components.neighborhood_requests.consent.access import AccessDenied
from custom_components.neighborhood_requests.const import DOMAIN

from .test_share_handoff import DiskExporter, ListOutbox

type ClientFactory = Callable[..., Awaitable[Any]]


async def call_preview(
    hass: HomeAssistant, entry: ConfigEntry, user: User, camera: str = "camera.porch"
) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN,
        "preview",
        {
            "config_entry_id": entry.entry_id,
            "request_id": "wpd-2026-0412",
            "camera": camera,
        },
        blocking=True,
        return_response=True,
        context=Context(user_id=user.id),
    )
    assert response is not None
    return dict(response)


async def test_preview_resolves_and_downloads(  # noqa: PLR0917 - fixtures
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_admin_user: User,
    hass_client: ClientFactory,
    hass_ws_client: ClientFactory,
    tmp_path: Path,
) -> None:
    """The person who asked browses, resolves and downloads their own preview."""
    assert await async_setup_component(hass, "media_source", {})
    exporter = DiskExporter(tmp_path)
    outbox = ListOutbox()
    entry.runtime_data.exporter, entry.runtime_data.outbox = exporter, outbox
    result = await call_preview(hass, entry, hass_admin_user)
    assert result["media_content_id"].startswith(f"media-source://{DOMAIN}/")
    assert exporter.calls == [("camera.porch", False, True)]
    assert outbox.shares == []  # a preview never reaches the outbox
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.state == "pending"

    ws = await hass_ws_client(hass)
    await ws.send_json_auto_id(
        {
            "type": "media_source/resolve_media",
            "media_content_id": result["media_content_id"],
        }
    )
    play = (await ws.receive_json())["result"]
    assert play["mime_type"] == "video/mp4"
    client = await hass_client()
    response = await client.get(play["url"])
    assert response.status == 200
    assert await response.read() == (tmp_path / "camera.porch.mp4").read_bytes()

    missing = await client.get(f"/api/{DOMAIN}/preview/not-a-token")
    assert missing.status == 404
    with pytest.raises(media_source.Unresolvable):
        await media_source.async_resolve_media(
            hass, f"media-source://{DOMAIN}/not-a-token", None
        )
    await ws.send_json_auto_id(
        {
            "type": "media_source/browse_media",
            "media_content_id": f"media-source://{DOMAIN}",
        }
    )
    [child] = (await ws.receive_json())["result"]["children"]
    assert child["media_content_id"] == result["media_content_id"]
    assert child["title"] == "camera.porch · wpd-2026-0412"


async def test_preview_is_gated_like_a_decision(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_admin_user: User,
    hass_read_only_user: User,
    tmp_path: Path,
) -> None:
    entry.runtime_data.exporter = None  # as if no backend were configured
    with pytest.raises(HomeAssistantError) as err:
        await call_preview(hass, entry, hass_admin_user)
    assert err.value.translation_key == "no_export_backend"

    entry.runtime_data.exporter = DiskExporter(tmp_path, fail_for="camera.hall")
    with pytest.raises(AccessDenied) as err:
        await call_preview(hass, entry, hass_read_only_user)
    assert err.value.translation_key == "not_allowed_preview"
    with pytest.raises(ServiceValidationError) as err:
        await call_preview(hass, entry, hass_admin_user, camera="camera.garage")
    assert err.value.translation_key == "camera_not_linked"
    with pytest.raises(HomeAssistantError) as err:
        await call_preview(hass, entry, hass_admin_user, camera="camera.hall")
    assert err.value.translation_key == "export_failed"


async def test_preview_over_websocket(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    tmp_path: Path,
) -> None:
    entry.runtime_data.exporter = None  # as if no backend were configured
    client = await hass_ws_client(hass)
    base = {
        "type": f"{DOMAIN}/preview",
        "config_entry_id": entry.entry_id,
        "request_id": "wpd-2026-0412",
        "camera": "camera.porch",
    }
    await client.send_json_auto_id(base)
    assert (await client.receive_json())["error"]["code"] == "no_export_backend"
    entry.runtime_data.exporter = DiskExporter(tmp_path)
    await client.send_json_auto_id(base)
    result = (await client.receive_json())["result"]
    assert result["media_content_id"].startswith(f"media-source://{DOMAIN}/")
    assert result["bytes"] > 0
    await client.send_json_auto_id({**base, "config_entry_id": "nope"})
    assert (await client.receive_json())["error"]["code"] == "not_found"
