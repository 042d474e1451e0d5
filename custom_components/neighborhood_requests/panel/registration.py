"""Serving the panel's bundle and keeping its sidebar entry for the right people.

Home Assistant can only show a panel to everyone or to administrators
(`require_admin`); it cannot say "the people allowed to decide". So the entry is
admin-only while every decider is an administrator (the default: no deciders
listed means all administrators decide), and shown to every user only while a
listed decider is not an administrator or the owner lets residents receive
requests. Whoever opens it, every command behind it asks `consent.access`, so a
user who can see the sidebar entry but may not decide sees an explanation and no
request, and never a frame of footage.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from homeassistant.components import frontend, panel_custom
from homeassistant.components.http.server import StaticPathConfig
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN, PANEL_URL_PATH
from ..texts import async_texts

STATIC_URL = f"/{DOMAIN}_panel"
WEBCOMPONENT = "neighborhood-requests-panel"
BUNDLE = Path(__file__).parent / "www" / f"{WEBCOMPONENT}.js"
ICON = "mdi:cctv"
_LOCK: HassKey[asyncio.Lock] = HassKey(f"{DOMAIN}_panel_lock")


def _bundle_version() -> str:
    """A cache-busting query: a new bundle is fetched after an update, not before."""
    return hashlib.sha256(BUNDLE.read_bytes()).hexdigest()[:12]


async def async_register_static(hass: HomeAssistant) -> None:
    """Serve `www/` once per Home Assistant run (static paths cannot be removed)."""
    await hass.http.async_register_static_paths(
        [StaticPathConfig(STATIC_URL, str(BUNDLE.parent), cache_headers=False)]
    )


def _active(
    hass: HomeAssistant, adding: ConfigEntry | None, removing: ConfigEntry | None
) -> list[ConfigEntry]:
    """Loaded entries, with the one being set up and without the one unloading.

    During its own setup or unload an entry is in neither state's list.
    """
    return [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if (entry.state is ConfigEntryState.LOADED or entry is adding)
        and entry is not removing
    ]


async def _admins_only(hass: HomeAssistant, entries: list[ConfigEntry]) -> bool:
    """True unless someone who is not an administrator may use the panel."""
    for entry in entries:
        settings = entry.runtime_data.coordinator.settings
        if settings.residents_receive_requests:
            return False
        for user_id in settings.deciders:
            user = await hass.auth.async_get_user(user_id)
            if user is not None and user.is_active and not user.is_admin:
                return False
    return True


async def async_sync_panel(
    hass: HomeAssistant,
    *,
    adding: ConfigEntry | None = None,
    removing: ConfigEntry | None = None,
) -> None:
    """Show the panel while a feed is loaded, to the people who may use it.

    Called after every entry setup and unload, so a change of deciders (which
    reloads the entry) moves the sidebar entry with it.
    """
    # Entries set up at the same time each get here; one at a time, and the
    # old registration goes only right before the new one (no await between).
    lock = hass.data.setdefault(_LOCK, asyncio.Lock())
    async with lock:
        entries = _active(hass, adding, removing)
        if not entries:
            frontend.async_remove_panel(hass, PANEL_URL_PATH, warn_if_unknown=False)
            return
        texts = await async_texts(hass)
        version = await hass.async_add_executor_job(_bundle_version)
        admins_only = await _admins_only(hass, entries)
        frontend.async_remove_panel(hass, PANEL_URL_PATH, warn_if_unknown=False)
        await panel_custom.async_register_panel(
            hass,
            frontend_url_path=PANEL_URL_PATH,
            webcomponent_name=WEBCOMPONENT,
            sidebar_title=texts.get("panel_title", "Video requests"),
            sidebar_icon=ICON,
            module_url=f"{STATIC_URL}/{WEBCOMPONENT}.js?v={version}",
            embed_iframe=False,
            require_admin=admins_only,
        )
