"""Item 4: a preview is for the person who asked (and the deciders), and not for long.

The attacks: another logged-in user browses the media source, resolves a
preview's media id they learned, or downloads it from the preview view with
their own login. Each gets a refusal and not one byte of video; the refusal is
audited. A preview is deleted an hour after it was made, and whatever a
previous run left on disk is deleted when the integration starts.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.footage.recording import previews_dir
from tests.integration.conftest import add_entry
from tests.integration.test_share_handoff import DiskExporter

from .conftest import REQUEST_ID, command, person, refusals

ROOT = f"media-source://{DOMAIN}"


async def make_preview(hass: HomeAssistant, entry: ConfigEntry, user: Any) -> str:
    """`user` asks for a preview, as the preview action does; its media id."""
    response = await hass.services.async_call(
        DOMAIN,
        "preview",
        {
            "config_entry_id": entry.entry_id,
            "request_id": REQUEST_ID,
            "camera": "camera.porch",
        },
        blocking=True,
        return_response=True,
        context=Context(user_id=user.id),
    )
    assert response is not None
    return str(response["media_content_id"])


async def browse(client: Any) -> list[dict[str, Any]]:
    answer = await command(
        client, type="media_source/browse_media", media_content_id=ROOT
    )
    children: list[dict[str, Any]] = answer["result"]["children"]
    return children


async def test_nobody_else_browses_or_resolves_a_preview(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: Any,
    hass_admin_user: Any,
    tmp_path: Any,
) -> None:
    """Eve (ordinary) and Bob (an administrator the owner did not list) try."""
    dana, dana_token = await person(hass, "Dana")
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "deciders": [hass_admin_user.id, dana.id]}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    entry.runtime_data.exporter = DiskExporter(tmp_path)
    media_id = await make_preview(hass, entry, hass_admin_user)

    eve, eve_token = await person(hass, "Eve")
    bob, bob_token = await person(hass, "Bob", admin=True)
    for who, token in ((eve, eve_token), (bob, bob_token)):
        client = await hass_ws_client(hass, token)
        assert await browse(client) == []
        resolved = await command(
            client, type="media_source/resolve_media", media_content_id=media_id
        )
        assert resolved["success"] is False
        assert resolved["error"]["code"] == "resolve_media_failed"
        assert "url" not in str(resolved)
        assert refusals(entry, user_id=who.id, surface="media_source")

    # Another decider of the feed may watch it: deciding is their job too.
    dana_client = await hass_ws_client(hass, dana_token)
    [seen] = await browse(dana_client)
    assert seen["media_content_id"] == media_id
    owner = await hass_ws_client(hass)
    assert [c["media_content_id"] for c in await browse(owner)] == [media_id]


async def test_the_preview_view_gives_someone_elses_login_no_bytes(  # noqa: PLR0917
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_client: Any,
    hass_client_no_auth: Any,
    hass_admin_user: Any,
    tmp_path: Any,
) -> None:
    """Eve learned the preview's URL and fetches it with her own login."""
    entry.runtime_data.exporter = DiskExporter(tmp_path)
    media_id = await make_preview(hass, entry, hass_admin_user)
    url = f"/api/{DOMAIN}/preview/{media_id.rpartition('/')[2]}"
    eve, eve_token = await person(hass, "Eve")

    as_eve = await hass_client(eve_token)
    response = await as_eve.get(url)
    assert response.status == 403
    assert await response.read() == b""
    anonymous = await hass_client_no_auth()
    response = await anonymous.get(url)
    assert response.status == 401
    assert b"camera.porch" not in await response.read()
    assert refusals(entry, user_id=eve.id, surface="preview_view", action="preview")

    as_owner = await hass_client()
    response = await as_owner.get(url)
    assert response.status == 200
    assert await response.read() == (tmp_path / "camera.porch.mp4").read_bytes()


async def test_a_preview_is_gone_an_hour_after_it_was_made(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: Any,
    hass_client: Any,
    hass_admin_user: Any,
) -> None:
    folder = previews_dir(hass)
    folder.mkdir(parents=True, exist_ok=True)
    entry.runtime_data.exporter = DiskExporter(folder)
    media_id = await make_preview(hass, entry, hass_admin_user)
    clip = folder / "camera.porch.mp4"
    assert clip.exists()

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=59))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert clip.exists()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=61))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert not clip.exists()
    client = await hass_ws_client(hass)
    assert await browse(client) == []
    resolved = await command(
        client, type="media_source/resolve_media", media_content_id=media_id
    )
    assert resolved["error"]["code"] == "resolve_media_failed"
    http = await hass_client()
    response = await http.get(f"/api/{DOMAIN}/preview/{media_id.rpartition('/')[2]}")
    assert response.status == 404


async def test_previews_left_by_a_previous_run_are_deleted_at_setup(
    hass: HomeAssistant, feed_server: Any, home: Any
) -> None:
    folder = previews_dir(hass)
    folder.mkdir(parents=True)
    leftovers = [folder / "old_porch.mp4", folder / "old_porch.excerpt.mp4"]
    for path in leftovers:
        path.write_bytes(b"footage of the street")
    await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    assert [p for p in leftovers if p.exists()] == []
