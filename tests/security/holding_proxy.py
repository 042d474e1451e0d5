"""A TCP forwarder in front of the publisher that can hold an upload mid-way.

Home Assistant reaches the publisher's feed and inbox only through it, so a test
can stop a share at an exact point from outside the product: while the clip is
still on its way (`stall`), or after the inbox stored the clip and answered, with
the answer held back (`hold`; for a resumable upload, the answer to the PATCH
that completed it). Feed requests always pass. Each upload connection's
request bytes are kept, so a test can read exactly what left the house.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
import re

PASS, STALL, HOLD = "pass", "stall", "hold"


@dataclass
class Upload:
    """One upload connection as the proxy saw it."""

    sent: bytearray = field(default_factory=bytearray)
    answer: bytearray = field(default_factory=bytearray)
    stalled: asyncio.Event = field(default_factory=asyncio.Event)
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    delivered: asyncio.Event = field(default_factory=asyncio.Event)


class HoldingProxy:
    """Forwards 127.0.0.1:`port` to the publisher on `target_port`."""

    def __init__(self, target_port: int, *, stall_after: int = 64 * 1024) -> None:
        self.target_port = target_port
        self.stall_after = stall_after
        self.mode = PASS
        self.port = 0
        self.uploads: list[Upload] = []
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, port: int = 0) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        self.drop()
        for upload in self.uploads:
            upload.release.set()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)
        if self._server is not None:
            await self._server.wait_closed()

    def drop(self) -> None:
        """Close every open connection, both ways."""
        for writer in list(self._writers):
            writer.close()

    def _accept(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.get_running_loop().create_task(
            self._handle(client_reader, client_writer)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        self._writers.add(client_writer)
        try:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port
            )
        except OSError:
            client_writer.close()
            return
        self._writers.add(writer)
        try:
            first = await client_reader.read(64 * 1024)
            if not first.startswith(b"POST "):
                writer.write(first)
                await asyncio.gather(
                    _pipe(client_reader, writer),
                    _pipe(reader, client_writer, close_after=True),
                )
                return
            upload = Upload()
            self.uploads.append(upload)
            mode = self.mode
            await asyncio.gather(
                self._upstream(first, client_reader, writer, upload, mode),
                self._downstream(reader, client_writer, upload, mode),
            )
        finally:
            for each in (writer, client_writer):
                each.close()
                self._writers.discard(each)

    async def _upstream(
        self,
        first: bytes,
        client: asyncio.StreamReader,
        server: asyncio.StreamWriter,
        upload: Upload,
        mode: str,
    ) -> None:
        chunk = first
        with contextlib.suppress(ConnectionError):
            while chunk:
                if mode == STALL and len(upload.sent) + len(chunk) > self.stall_after:
                    part = chunk[: max(self.stall_after - len(upload.sent), 0)]
                    upload.sent += part
                    server.write(part)
                    await server.drain()
                    upload.stalled.set()
                    await upload.release.wait()
                    return
                upload.sent += chunk
                server.write(chunk)
                await server.drain()
                chunk = await client.read(64 * 1024)

    async def _downstream(
        self,
        server: asyncio.StreamReader,
        client: asyncio.StreamWriter,
        upload: Upload,
        mode: str,
    ) -> None:
        with contextlib.suppress(ConnectionError):
            while chunk := await server.read(64 * 1024):
                upload.answer += chunk
                completes = _completes(upload, chunk)
                if completes or not chunk.startswith(_GOING_ON):
                    # The upload is over: the client must not pool this
                    # connection, or its next upload would pass unseen.
                    chunk = _closing(chunk)
                if mode == HOLD and completes:
                    upload.answered.set()
                    await upload.release.wait()
                    client.write(chunk)
                    await client.drain()
                    upload.delivered.set()
                    return
                client.write(chunk)
                await client.drain()


# Answers after which a resumable upload goes on along the same connection.
_GOING_ON = (b"HTTP/1.1 200", b"HTTP/1.1 201", b"HTTP/1.1 204")


def _completes(upload: Upload, answer: bytes) -> bool:
    """Whether `answer` is the inbox accepting the whole clip.

    A multipart upload has one answer. A resumable (tus) one has several on the
    same connection: the creation's, then one per PATCH; the last says
    `Upload-Offset` equal to the `Upload-Length` the creation announced. A 409
    to a creation says the clip is already there.
    """
    length = re.search(rb"(?i)\r\nUpload-Length: *(\d+)\r\n", bytes(upload.sent))
    if length is None or answer.startswith(b"HTTP/1.1 409"):
        return True
    offset = rb"(?i)\r\nUpload-Offset: *" + length.group(1) + rb"\r\n"
    return answer.startswith(b"HTTP/1.1 204") and re.search(offset, answer) is not None


def _closing(answer: bytes) -> bytes:
    """`answer` with `Connection: close` after its status line."""
    status, _, rest = answer.partition(b"\r\n")
    return status + b"\r\nConnection: close\r\n" + rest


async def _pipe(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    *,
    close_after: bool = False,
) -> None:
    """Copy bytes; `close_after` makes the client close after this one answer.

    A client pools connections: without it, a later upload could travel on a
    feed request's connection and pass unseen.
    """
    with contextlib.suppress(ConnectionError):
        first = True
        while chunk := await reader.read(64 * 1024):
            if first and close_after and b"\r\n" in chunk:
                chunk = _closing(chunk)
            first = False
            writer.write(chunk)
            await writer.drain()
    with contextlib.suppress(OSError):
        writer.write_eof()
