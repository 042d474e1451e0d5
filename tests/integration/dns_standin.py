"""A DNS server on 127.0.0.1 that knows no names: every question gets NXDOMAIN.

Home Assistant resolves through c-ares (aiodns); pointed at this server, a feed
host that does not exist fails exactly as it would on a real network, over real
UDP, without a query ever leaving the machine.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
import struct

NXDOMAIN = 3
QR, RA = 0x8000, 0x0080
RD = 0x0100


def _question_end(packet: bytes) -> int:
    """Where the first question (name, type, class) ends."""
    offset = 12
    while packet[offset]:
        offset += packet[offset] + 1
    return offset + 1 + 4


def nxdomain(query: bytes) -> bytes:
    """The answer to `query`: its id and question, no records, name unknown."""
    ident, flags = struct.unpack("!HH", query[:4])
    header = struct.pack(
        "!HHHHHH", ident, QR | RA | (flags & RD) | NXDOMAIN, 1, 0, 0, 0
    )
    return header + query[12 : _question_end(query)]


class _NameServer(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.questions = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.DatagramTransport)
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        assert self.transport is not None
        self.questions += 1
        self.transport.sendto(nxdomain(data), addr)


@asynccontextmanager
async def nxdomain_server() -> AsyncIterator[tuple[str, _NameServer]]:
    """Yields `127.0.0.1:port` (as c-ares takes a name server) and the server."""
    loop = asyncio.get_running_loop()
    transport, server = await loop.create_datagram_endpoint(
        _NameServer, local_addr=("127.0.0.1", 0)
    )
    port = transport.get_extra_info("sockname")[1]
    try:
        yield f"127.0.0.1:{port}", server
    finally:
        transport.close()
