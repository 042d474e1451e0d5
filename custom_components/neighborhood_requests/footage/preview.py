"""Preview clips: exported for one resident's eyes, served by a token bound to them.

A token resolves only for the person the preview was made for, the account that
fetched it on their behalf (the bot, for a linked Telegram user) and the entry's
deciders; anyone else gets a refusal, audited, and not one byte. Only files this
registry handed out are ever served, so neither a path nor an entry id in a URL
reaches anything else on disk. A preview lives `PREVIEW_MAX_AGE` (1 h): then its
token is forgotten and its file deleted. Tokens live in memory, so a restart
voids them all, and the files they pointed to are deleted at the next setup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from http import HTTPStatus
from pathlib import Path
import secrets
from typing import TYPE_CHECKING

from aiohttp import web
from homeassistant.components.http.const import KEY_HASS_USER
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from ..consent.access import Action, Surface, is_decider, refusal
from ..const import DOMAIN
from ..export.clip import PREVIEW_MAX_AGE, prune_previews
from .recording import previews_dir

if TYPE_CHECKING:
    from homeassistant.auth.models import User

PREVIEWS: HassKey[Previews] = HassKey(f"{DOMAIN}_previews")
PREVIEW_URL = f"/api/{DOMAIN}/preview/{{token}}"


@dataclass(frozen=True, slots=True)
class Preview:
    """One clip handed out: whose it is, and who fetches it for them."""

    path: Path
    entry_id: str
    owner: str
    relay: str | None
    title: str
    created: datetime


class Previews:
    """Token -> preview, for the media source and the download view."""

    def __init__(self, hass: HomeAssistant) -> None:
        self._hass = hass
        self._clips: dict[str, Preview] = {}
        self._timers: dict[str, CALLBACK_TYPE] = {}

    async def async_start(self) -> None:
        """Delete what a previous run left; forget everything when HA stops.

        A leftover clip has no token any more, so nobody could reach it; it
        would only lie on disk.
        """
        folder = previews_dir(self._hass)
        await self._hass.async_add_executor_job(
            lambda: prune_previews(folder, now=dt_util.utcnow(), max_age=timedelta(0))
        )
        self._hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, self._stop)

    @callback
    def _stop(self, event: Event | None = None) -> None:
        for cancel in self._timers.values():
            cancel()
        self._timers.clear()

    def add(
        self,
        path: Path,
        *,
        entry_id: str,
        owner: str,
        relay: str | None = None,
        title: str | None = None,
    ) -> str:
        """A token for `path`, bound to `owner` (and `relay`), for one hour."""
        token = secrets.token_urlsafe(24)
        self._clips[token] = Preview(
            path, entry_id, owner, relay, title or path.stem, dt_util.utcnow()
        )
        self._timers[token] = async_call_later(
            self._hass, PREVIEW_MAX_AGE, partial(self._expired, token)
        )
        return token

    def derived(self, token: str, path: Path, title: str) -> str:
        """A token for a file made from a preview (its excerpt), bound alike."""
        source = self._clips[token]
        return self.add(
            path,
            entry_id=source.entry_id,
            owner=source.owner,
            relay=source.relay,
            title=title,
        )

    def get(self, token: str) -> Preview | None:
        return self._clips.get(token)

    @callback
    def _expired(self, token: str, _now: datetime) -> None:
        """Forget the token, and delete its file unless another token has it."""
        self._timers.pop(token, None)
        preview = self._clips.pop(token, None)
        if preview is None or any(p.path == preview.path for p in self._clips.values()):
            return
        self._hass.async_add_executor_job(preview.path.unlink, True)

    def may_see(self, preview: Preview, user: User | None) -> bool:
        """The person it was made for, whoever fetched it for them, or a decider."""
        if user is None or not user.is_active:
            return False
        if user.id in (preview.owner, preview.relay):
            return True
        entry = self._hass.config_entries.async_get_entry(preview.entry_id)
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return False
        return is_decider(entry.runtime_data.coordinator.settings, user)

    def visible(self, user: User | None) -> list[tuple[str, Preview]]:
        """The previews `user` may see, newest first."""
        found = [(t, p) for t, p in self._clips.items() if self.may_see(p, user)]
        return sorted(found, key=lambda item: item[1].created, reverse=True)

    async def async_admit(
        self, preview: Preview, user: User | None, surface: Surface
    ) -> bool:
        """Whether `user` may have this preview; a refusal is audited."""
        if self.may_see(preview, user):
            return True
        entry = self._hass.config_entries.async_get_entry(preview.entry_id)
        if entry is not None and entry.state is ConfigEntryState.LOADED:
            await entry.runtime_data.coordinator.async_audit(
                refusal(user.id if user else None, Action.PREVIEW, surface)
            )
        return False


class PreviewView(HomeAssistantView):
    """Streams a preview clip to the one authenticated user it is bound to."""

    url = PREVIEW_URL
    name = f"api:{DOMAIN}:preview"
    requires_auth = True

    async def get(self, request: web.Request, token: str) -> web.StreamResponse:
        hass: HomeAssistant = request.app[KEY_HASS]
        previews = hass.data[PREVIEWS]
        preview = previews.get(token)
        if preview is None:
            return web.Response(status=HTTPStatus.NOT_FOUND)
        user: User | None = request.get(KEY_HASS_USER)
        if not await previews.async_admit(preview, user, Surface.PREVIEW_VIEW):
            return web.Response(status=HTTPStatus.FORBIDDEN)
        return web.FileResponse(preview.path, headers={"Content-Type": "video/mp4"})
