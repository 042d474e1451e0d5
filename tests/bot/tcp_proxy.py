"""A TCP forwarder on 127.0.0.1 that can cut connections and refuse new ones.

It stands between the bot and a real Home Assistant so tests can make the network
fail the way it really fails (a dropped socket, a server that is down) without
touching either side.
"""

from __future__ import annotations

import asyncio
import contextlib


class TcpProxy:
    """Forwards to `target_port`; `drop()` cuts every open connection.

    In refusing mode every new connection is closed at once and counted, so a
    test can wait for N failed reconnect attempts without sleeping.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.refusing = False
        self.refused = 0
        self._refused_changed = asyncio.Condition()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def drop(self) -> None:
        """Close every forwarded connection (both directions)."""
        for writer in list(self._writers):
            writer.close()
        await self._settle()

    async def wait_refused(self, count: int) -> None:
        """Wait until `count` connections in total have been refused."""
        async with self._refused_changed:
            await self._refused_changed.wait_for(lambda: self.refused >= count)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        await self.drop()

    async def _settle(self) -> None:
        if self._handlers:
            await asyncio.wait(list(self._handlers))

    async def _handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            if self.refusing:
                writer.close()
                async with self._refused_changed:
                    self.refused += 1
                    self._refused_changed.notify_all()
                return
            up_reader, up_writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port
            )
            self._writers.update((writer, up_writer))
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
            self._writers.difference_update((writer, up_writer))
        finally:
            self._handlers.discard(task)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    # One side ended: end the other, so a cut is seen on both ends.
    writer.close()
