"""Frigate NVR as an export backend, through its recording clip API.

`GET /api/{camera}/start/{start}/end/{end}/clip.mp4` makes Frigate join and
stream-copy its own recordings with whole-second in and out points, so the window is
rounded outward to whole seconds here. Port 5000 needs no login; the authenticated
port (8971) wants the JWT that `POST /api/login` sets as the `frigate_token` cookie,
sent back here as `Authorization: Bearer` so a shared HA session's cookie jar is not
involved. Frigate does not say which parts of a window it lacks, so `missing` is
empty for this backend.

Frigate may record audio and its clip layout is its own: a clip with audio the share
excludes, or without its index up front, is remuxed locally (stream copy) before it
counts as exported. Otherwise the bytes are hashed as they arrive.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
import json
import math
from pathlib import Path
from urllib.parse import quote

import aiohttp

from .mp4 import read_mp4, video_format
from .remux import Layout, remux
from .result import ExportError, ExportResult, NoFootageError, VideoFormat
from .sink import CHUNK, HashingSink

NO_RECORDINGS = "No recordings found"


class FrigateAuthError(ExportError):
    """Frigate wants a login, or refused the one given."""


class FrigateClient:
    """Export clips from one Frigate instance over an injected aiohttp session."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        *,
        ffmpeg: str,
        username: str | None = None,
        password: str | None = None,
        layout: Layout = "faststart",
    ) -> None:
        self._session = session
        self.base_url = base_url.rstrip("/")
        self.ffmpeg = ffmpeg
        self._username = username
        self._password = password
        self._token: str | None = None
        self.layout = layout

    async def login(self) -> None:
        """Obtain a JWT from `/api/login`; FrigateAuthError when refused."""
        if self._username is None or self._password is None:
            raise FrigateAuthError("Frigate requires a login and none is configured")
        try:
            async with self._session.post(
                f"{self.base_url}/api/login",
                json={"user": self._username, "password": self._password},
            ) as response:
                token = response.cookies.get("frigate_token")
                if response.status >= 400 or token is None:
                    raise FrigateAuthError(
                        f"Frigate refused the login (HTTP {response.status})"
                    )
        except (aiohttp.ClientError, TimeoutError) as err:
            raise self._unreachable(err) from err
        self._token = token.value

    def _unreachable(self, err: Exception) -> ExportError:
        return ExportError(f"cannot reach Frigate at {self.base_url}: {err}")

    def clip_url(self, camera: str, start: datetime, end: datetime) -> str:
        """Frigate's clip URL for the window, rounded outward to whole seconds."""
        return (
            f"{self.base_url}/api/{quote(camera, safe='')}"
            f"/start/{math.floor(start.timestamp())}"
            f"/end/{math.ceil(end.timestamp())}/clip.mp4"
        )

    async def export_clip(
        self,
        camera: str,
        start: datetime,
        end: datetime,
        destination: Path,
        *,
        include_audio: bool = False,
    ) -> ExportResult:
        """Download the window's clip to `destination`, hashed while it streams."""
        if end <= start:
            raise ExportError(f"window end {end.isoformat()} is not after its start")
        if self._token is None and self._username is not None:
            await self.login()
        download = destination.with_name(f".{destination.name}.frigate")
        try:
            digest, size = await self._download(camera, start, end, download)
            info = await asyncio.to_thread(read_mp4, download)
            if info is None:
                raise ExportError("Frigate sent a clip that is not a complete MP4")
            if (info.has_audio and not include_audio) or not info.moov_before_mdat:
                digest, size = await remux(
                    self.ffmpeg,
                    ["-i", str(download)],
                    destination,
                    include_audio=include_audio,
                    layout=self.layout,
                )
            else:
                await asyncio.to_thread(download.replace, destination)
        finally:
            await asyncio.to_thread(download.unlink, missing_ok=True)
        found = await asyncio.to_thread(video_format, destination)
        return ExportResult(
            path=destination,
            sha256=digest,
            bytes=size,
            start=start,
            end=end,
            formats=() if found is None else (VideoFormat(start, *found),),
        )

    async def _download(
        self, camera: str, start: datetime, end: datetime, download: Path
    ) -> tuple[str, int]:
        url = self.clip_url(camera, start, end)
        try:
            return await self._fetch(url, start, end, download)
        except FrigateAuthError:
            if self._username is None:
                raise
        # The token expired (Frigate restarted, or its session length passed).
        await self.login()
        return await self._fetch(url, start, end, download)

    async def _fetch(
        self, url: str, start: datetime, end: datetime, download: Path
    ) -> tuple[str, int]:
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        try:
            async with self._session.get(url, headers=headers) as response:
                if response.status != 200:
                    raise await self._refusal(response, start, end)
                return await self._save(response, download)
        except (aiohttp.ClientError, TimeoutError) as err:
            raise self._unreachable(err) from err

    async def _refusal(
        self, response: aiohttp.ClientResponse, start: datetime, end: datetime
    ) -> ExportError:
        message = await _message(response)
        if response.status in (401, 403):
            return FrigateAuthError(f"Frigate refused access (HTTP {response.status})")
        if NO_RECORDINGS.lower() in message.lower():
            return NoFootageError(start, end)
        return ExportError(f"Frigate answered HTTP {response.status}: {message}")

    async def _save(
        self, response: aiohttp.ClientResponse, download: Path
    ) -> tuple[str, int]:
        sink = await asyncio.to_thread(HashingSink, download)
        try:
            async for chunk in response.content.iter_chunked(CHUNK):
                await asyncio.to_thread(sink.write, chunk)
            return await asyncio.to_thread(sink.commit)
        finally:
            await asyncio.to_thread(sink.abort)


async def _message(response: aiohttp.ClientResponse) -> str:
    """Frigate's `message` field, or the start of the body when it is not JSON."""
    text = await response.text(errors="replace")
    try:
        body = json.loads(text)
    except ValueError:
        return text[:200]
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return text[:200]
