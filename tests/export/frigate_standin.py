"""A Frigate NVR stand-in on 127.0.0.1 that speaks Frigate's real paths.

- `GET /api/{camera}/start/{start_ts}/end/{end_ts}/clip.mp4` serves a real MP4 when
  the window overlaps the camera's recordings, else 400
  `{"success": false, "message": "No recordings found"}`.
- With `credentials` set it behaves like the authenticated port (8971):
  `POST /api/login` with `{"user", "password"}` sets the `frigate_token` cookie, and
  every other call needs that token as the cookie or as `Authorization: Bearer`.

Reusable by later tests: `async with FrigateStandIn(...) as frigate: frigate.url`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import secrets
from typing import Self

from aiohttp import web

NO_RECORDINGS = {"success": False, "message": "No recordings found"}


@dataclass
class Recording:
    """What the stand-in holds for one camera: a clip and the time it covers."""

    clip: Path
    start: float
    end: float


@dataclass
class FrigateStandIn:
    """Frigate's clip and login API over aiohttp."""

    recordings: dict[str, Recording] = field(default_factory=dict)
    credentials: tuple[str, str] | None = None
    requests: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    # Fault switches for tests.
    login_without_cookie: bool = False
    forget_tokens: bool = False  # issue tokens that are refused at once
    reset_mid_body: bool = False
    body_override: bytes | None = None
    port: int = 0
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """Base URL, as a user would type it into the options."""
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_post("/api/login", self._login)
        app.router.add_get("/api/{camera}/start/{start}/end/{end}/clip.mp4", self._clip)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    def _authorized(self, request: web.Request) -> bool:
        if self.credentials is None:
            return True
        token = request.cookies.get("frigate_token")
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            token = header.removeprefix("Bearer ")
        return token in self.tokens

    async def _login(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        body = await request.json()
        if (
            self.credentials is None
            or (
                body.get("user"),
                body.get("password"),
            )
            != self.credentials
        ):
            return web.json_response(
                {"success": False, "message": "Login failed"}, status=401
            )
        response = web.json_response({})
        if not self.login_without_cookie:
            token = secrets.token_urlsafe(16)
            if not self.forget_tokens:
                self.tokens.add(token)
            response.set_cookie("frigate_token", token, httponly=True)
        return response

    async def _clip(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path)
        if not self._authorized(request):
            return web.Response(status=401, text="Unauthorized")
        recording = self.recordings.get(request.match_info["camera"])
        start = float(request.match_info["start"])
        end = float(request.match_info["end"])
        if recording is None or end <= recording.start or start >= recording.end:
            return web.json_response(NO_RECORDINGS, status=400)
        data = self.body_override or recording.clip.read_bytes()
        response = web.StreamResponse(headers={"Content-Type": "video/mp4"})
        response.content_length = len(data)
        await response.prepare(request)
        if self.reset_mid_body:
            await response.write(data[: len(data) // 2])
            assert request.transport is not None
            request.transport.close()
            return response
        await response.write(data)
        await response.write_eof()
        return response
