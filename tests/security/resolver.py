"""A resolver for tests: names answer with the addresses a test gives them.

Attacks need names that point at private addresses (a public-looking name
resolving to 10.0.0.5, or to 127.0.0.1 where a test server listens). They are
answered here, never by real DNS, and no real private host is ever contacted:
the guard refuses before any connection, which the tests check.
"""

from __future__ import annotations

from collections.abc import Mapping
import socket
from typing import override

from aiohttp.abc import AbstractResolver, ResolveResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers import aiohttp_client


class TestResolver(AbstractResolver):
    """Answers from a table; an unknown name is a resolution failure."""

    __test__ = False

    def __init__(self, table: Mapping[str, list[str]]) -> None:
        self.table = dict(table)
        self.asked: list[str] = []

    @override
    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        if host not in self.table:
            raise OSError(socket.EAI_NONAME, f"{host} is not in the test's table")
        return [
            {
                "hostname": host,
                "host": address,
                "port": port,
                "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
            for address in self.table[host]
        ]

    @override
    async def close(self) -> None:
        """Nothing to release."""


def install(hass: HomeAssistant, table: Mapping[str, list[str]]) -> TestResolver:
    """Make `table` Home Assistant's resolver, which the publisher session wraps."""
    aiohttp_client.async_get_clientsession(hass)  # creates the resolver slot first
    resolver = TestResolver(table)
    hass.data[aiohttp_client.DATA_RESOLVER] = resolver  # type: ignore[assignment]
    return resolver
