"""The address check at the point of connection, for any aiohttp connector.

`protocol.addresses` says which addresses are out of reach; this applies it
where it cannot be talked around. The resolver drops refused addresses from
every answer (so a name with one public and one private address still works,
on the public one), and the socket factory refuses once more for whatever
reaches it, IP literals included: the address checked is the address
connected to, so DNS rebinding between a check and the connection has no gap
to use. Pure aiohttp, no Home Assistant: the upload engine uses it too.
"""

from __future__ import annotations

from collections.abc import Callable
import errno
from ipaddress import ip_address
import socket
from typing import Any, override

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from ..protocol.addresses import Refusal, allowed

type AddrInfo = tuple[int, int, int, str, tuple[Any, ...]]


class AddressRefused(OSError):
    """A connection the home will not make; `refusal` says which address and why."""

    def __init__(self, found: Refusal) -> None:
        super().__init__(errno.EACCES, str(found))
        self.refusal = found


def refused_address(err: BaseException) -> Refusal | None:
    """The refusal behind an aiohttp connection error, if that is what it was."""
    if isinstance(err, aiohttp.ClientConnectorError) and isinstance(
        err.os_error, AddressRefused
    ):
        return err.os_error.refusal
    return None


class GuardedResolver(AbstractResolver):
    """Another resolver (Home Assistant's), answering only with usable addresses."""

    def __init__(self, inner: AbstractResolver, *, allow_lan: bool) -> None:
        self._inner = inner
        self._allow_lan = allow_lan

    @override
    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        usable: list[ResolveResult] = []
        first: Refusal | None = None
        for result in results:
            found = allowed(ip_address(result["host"]), allow_lan=self._allow_lan)
            if found is None:
                usable.append(result)
            elif first is None:
                first = found
        if not usable and first is not None:
            named = Refusal(
                f"{host} ({first.address})", first.reason, first.lan, first.kind
            )
            raise AddressRefused(named)
        return usable

    @override
    async def close(self) -> None:
        """Home Assistant's resolver is shared; Home Assistant closes it."""


def guarded_socket_factory(*, allow_lan: bool) -> Callable[[AddrInfo], socket.socket]:
    """A socket only for an address the home may connect to: the last word."""

    def factory(addr_info: AddrInfo) -> socket.socket:
        family, type_, proto, _, address = addr_info
        found = allowed(ip_address(address[0]), allow_lan=allow_lan)
        if found is not None:
            raise AddressRefused(found)
        return socket.socket(family=family, type=type_, proto=proto)

    return factory
