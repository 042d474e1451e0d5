"""A home uplink on 127.0.0.1: a TCP proxy that paces, cuts and corrupts uploads.

It stands between the home's uploader and a real inbox and does to the upload
direction what real uplinks do: a bandwidth cap (paced writes, so the uploader
feels backpressure through its own socket), connections cut at chosen byte
offsets of the whole upload traffic, and a flipped byte. It counts every byte it
forwarded upstream, which is what an upload costs the home's link.
Used by the delivery tests and by `bench/delivery_bench.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
import socket

PIECE = 16 * 1024


@dataclass
class Uplink:
    """Forwards 127.0.0.1:`port` to 127.0.0.1:`target_port`.

    `rate` is bytes per second upstream (None: unlimited). `cuts` are offsets in
    the total upstream traffic at which the connection carrying that byte is
    aborted, both ways. `corrupt` are offsets whose byte is flipped in passing.
    `refusing` closes every new connection at once; `down_after_cut` sets it at
    the first cut (a link that stays down). `receive_buffer` shrinks the
    socket buffer so the pace is felt at once. `cut_each` cuts the n-th
    connection once it carried `cut_each[n]` bytes (for uploads that start
    over on every connection).
    """

    target_port: int
    rate: float | None = None
    cuts: list[int] = field(default_factory=list)
    corrupt: list[int] = field(default_factory=list)
    cut_each: list[int] = field(default_factory=list)
    refusing: bool = False
    down_after_cut: bool = False
    receive_buffer: int | None = None
    port: int = 0
    upstream_bytes: int = 0
    connections: int = 0
    cut_count: int = 0
    _server: asyncio.Server | None = None
    _next_free: float = 0.0
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.cuts.sort()
        self.corrupt.sort()
        sock = socket.socket()
        if self.receive_buffer is not None:
            # Loopback buffers hold megabytes; a real uplink holds far less.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.receive_buffer)
        sock.bind(("127.0.0.1", 0))
        self._server = await asyncio.start_server(self._handle, sock=sock)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        if self._tasks:
            await asyncio.wait(list(self._tasks))
        if self._server is not None:
            await self._server.wait_closed()

    async def _handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        try:
            if self.refusing:
                writer.transport.abort()
                return
            up_reader, up_writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port
            )
            pair = (writer, up_writer)
            self._writers.update(pair)
            number = self.connections - 1
            own_cut = self.cut_each[number] if number < len(self.cut_each) else None
            down = asyncio.create_task(_copy(up_reader, writer))
            try:
                await self._upstream(reader, up_writer, pair, own_cut)
            finally:
                await asyncio.wait([down])
                self._writers.difference_update(pair)
                for end in pair:
                    end.transport.abort()
        except OSError:
            writer.transport.abort()
        finally:
            self._tasks.discard(task)

    async def _upstream(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        pair: tuple[asyncio.StreamWriter, asyncio.StreamWriter],
        own_cut: int | None,
    ) -> None:
        loop = asyncio.get_running_loop()
        carried = 0
        while data := await reader.read(PIECE):
            if self.rate is not None:
                # One link for every connection: pace against a shared clock.
                now = loop.time()
                start = max(now, self._next_free)
                self._next_free = start + len(data) / self.rate
                if start > now:
                    await asyncio.sleep(start - now)
            cut = self.cuts[0] - self.upstream_bytes if self.cuts else None
            if own_cut is not None and (cut is None or own_cut - carried < cut):
                cut = own_cut - carried
            if cut is not None:
                data = data[:cut]
            data = self._flip(data)
            writer.write(data)
            self.upstream_bytes += len(data)
            carried += len(data)
            with contextlib.suppress(OSError):
                await writer.drain()
            if cut is not None and len(data) >= cut:
                if self.cuts and self.upstream_bytes >= self.cuts[0]:
                    self.cuts.pop(0)
                self.cut_count += 1
                self.refusing = self.refusing or self.down_after_cut
                for end in pair:
                    end.transport.abort()
                return
        with contextlib.suppress(OSError):
            if writer.can_write_eof():
                writer.write_eof()

    def _flip(self, data: bytes) -> bytes:
        start = self.upstream_bytes
        hits = [o for o in self.corrupt if start <= o < start + len(data)]
        if not hits:
            return data
        changed = bytearray(data)
        for offset in hits:
            changed[offset - start] ^= 0xFF
            self.corrupt.remove(offset)
        return bytes(changed)


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError):
        while data := await reader.read(PIECE):
            writer.write(data)
            await writer.drain()
    with contextlib.suppress(OSError):
        if writer.can_write_eof():
            writer.write_eof()
