"""A camera stand-in: an MPEG-TS file served over HTTP on 127.0.0.1 at real time.

Real time matters because the recorder names segments by wall clock. The server
can be stopped and restarted on the same port (a camera rebooting), or made to
accept a connection and never send a byte (a stream that never connects).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp import web

STREAM_SECONDS = 60.0
# Sent at once so ffmpeg's probe does not wait on pacing.
BURST_SECONDS = 1.5


class StreamSource:
    """Serve one MPEG-TS file at its own pace to every client."""

    def __init__(self, ts_path: Path) -> None:
        self._data = ts_path.read_bytes()
        self.hang = False
        self.connections = 0
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._active: set[asyncio.Task[object]] = set()

    @property
    def url(self) -> str:
        """Where the recorder reads the stream."""
        return f"http://127.0.0.1:{self.port}/stream.ts"

    async def start(self) -> None:
        """Listen (again) on the same port as before, or a free one."""
        app = web.Application()
        app.router.add_get("/stream.ts", self._stream)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        """Drop every client and stop listening, like a camera going offline."""
        for task in list(self._active):
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        task = asyncio.current_task()
        assert task is not None
        self._active.add(task)
        self.connections += 1
        try:
            response = web.StreamResponse(headers={"Content-Type": "video/mp2t"})
            await response.prepare(request)
            if self.hang:
                await asyncio.Event().wait()
            loop = asyncio.get_running_loop()
            rate = len(self._data) / STREAM_SECONDS
            began = loop.time()
            sent = 0
            while sent < len(self._data):
                allowed = int(rate * (loop.time() - began + BURST_SECONDS))
                if allowed > sent:
                    await response.write(self._data[sent:allowed])
                    sent = allowed
                await asyncio.sleep(0.05)
            return response
        finally:
            self._active.discard(task)
