"""The entry's `share.Exporter`: a window cut from our recordings or from Frigate.

Which backend a camera uses is an option per camera. Clips are written under the
config dir (`exports/` for shares, `previews/` for the resident's eyes) with names
built only from safe characters, so neither a request id chosen by a publisher nor a
camera name can steer a file anywhere else. Each preview gets a file of its own:
two residents previewing the same camera at once never write one file, and one
preview's deletion never takes another's clip. Failures stay `ExportError`s: consent
turns them into a translated error before anything is sent.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
import re
import secrets

from homeassistant.core import HomeAssistant, split_entity_id
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..const import BACKEND_FRIGATE
from ..export.clip import export_clip
from ..export.frigate import FrigateClient
from ..export.result import ExportError, ExportResult
from ..protocol.model import Request
from .recording import Footage, exports_dir, previews_dir

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def _safe(text: str) -> str:
    return _UNSAFE.sub("-", text).strip("-")[:80] or "x"


def clip_name(request: Request, camera: str) -> str:
    """`<request id>_<camera>_<window start UTC>.mp4`, safe characters only."""
    start = request.window.start.strftime("%Y%m%dT%H%M%SZ")
    return f"{_safe(request.id)}_{_safe(split_entity_id(camera)[1])}_{start}.mp4"


class FootageExporter:
    """Exports one camera's window with the backend its options name."""

    def __init__(self, hass: HomeAssistant, footage: Footage) -> None:
        self.hass = hass
        self.footage = footage
        self._frigate: FrigateClient | None = None

    def _frigate_client(self) -> FrigateClient:
        """One client per entry, so a Frigate login is reused between exports."""
        settings = self.footage.settings
        if settings.frigate_url is None:
            raise ExportError("no Frigate URL is configured")
        if self._frigate is None:
            self._frigate = FrigateClient(
                async_get_clientsession(self.hass),
                settings.frigate_url,
                ffmpeg=self.footage.ffmpeg or "ffmpeg",
                username=settings.frigate_username,
                password=settings.frigate_password,
            )
        return self._frigate

    async def export(
        self,
        request: Request,
        camera: str,
        include_audio: bool,
        *,
        preview: bool,
    ) -> ExportResult:
        """Write the window's clip; ExportError says why not."""
        backend = self.footage.settings.backend_for(camera)
        if backend is None:
            raise ExportError(f"{camera} does not share footage")
        folder = previews_dir(self.hass) if preview else exports_dir(self.hass)
        await self.hass.async_add_executor_job(
            partial(folder.mkdir, parents=True, exist_ok=True)
        )
        name = clip_name(request, camera)
        if preview:
            name = name.replace(".mp4", f"_{secrets.token_hex(4)}.mp4")
        destination: Path = folder / name
        start, end = request.window.start, request.window.end
        if backend.backend == BACKEND_FRIGATE:
            return await self._frigate_client().export_clip(
                backend.frigate_camera,
                start,
                end,
                destination,
                include_audio=include_audio,
            )
        if self.footage.ffmpeg is None:
            raise ExportError("ffmpeg was not found, so nothing can be exported")
        clip = await export_clip(
            ffmpeg=self.footage.ffmpeg,
            segments_dir=self.footage.directory(camera),
            start=start,
            end=end,
            destination=destination,
            include_audio=include_audio,
            leases=self.footage.leases,
        )
        explained = (self.footage.explain(camera, g.start, g.end) for g in clip.missing)
        return replace(clip, missing=tuple(explained))
