"""Preview clips: exported for a resident's eyes only, served by random token.

Only files this registry handed out are ever served, by an authenticated view, so
neither a path nor an entry id in a URL can reach anything else on disk. Tokens
live in memory: a restart voids them, as a preview is only needed while deciding.
"""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
import secrets

from aiohttp import web
from homeassistant.components.http.const import KEY_HASS_USER
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.util.hass_dict import HassKey

from ..consent.access import Action, allows
from ..const import DOMAIN

PREVIEWS: HassKey[Previews] = HassKey(f"{DOMAIN}_previews")
PREVIEW_URL = f"/api/{DOMAIN}/preview/{{token}}"


class Previews:
    """Token -> clip on disk, for the media source and the download view."""

    def __init__(self) -> None:
        self._clips: dict[str, Path] = {}

    def add(self, path: Path) -> str:
        token = secrets.token_urlsafe(24)
        self._clips[token] = path
        return token

    def get(self, token: str) -> Path | None:
        return self._clips.get(token)

    def token_for(self, path: Path) -> str:
        """The token of a clip already handed out, or a new one (for browsing)."""
        for token, known in self._clips.items():
            if known == path:
                return token
        return self.add(path)


class PreviewView(HomeAssistantView):
    """Streams a registered preview clip to an authenticated client."""

    url = PREVIEW_URL
    name = f"api:{DOMAIN}:preview"
    requires_auth = True

    async def get(self, request: web.Request, token: str) -> web.StreamResponse:
        hass: HomeAssistant = request.app[KEY_HASS]
        # A logged-in resident who may not preview gets no bytes, whatever token
        # they hold (the same answer as for an unknown token).
        user = request.get(KEY_HASS_USER)
        if not any(
            allows(entry.runtime_data.coordinator.settings, user, Action.PREVIEW)
            for entry in hass.config_entries.async_entries(DOMAIN)
            if entry.state is ConfigEntryState.LOADED
        ):
            return web.Response(status=HTTPStatus.NOT_FOUND)
        path = hass.data[PREVIEWS].get(token)
        if path is None:
            return web.Response(status=HTTPStatus.NOT_FOUND)
        return web.FileResponse(path, headers={"Content-Type": "video/mp4"})
