"""A stall timeout: a deadline that moves on with every sign of progress.

A total timeout cannot fit every clip: 600 s is too short for two hours of video
over a home uplink and far too long for a dead connection. What does fit is "no
progress for a minute": each piece of the body handed on (which aiohttp only
asks for once the previous one left the socket buffer) moves the deadline.
"""

from __future__ import annotations

import asyncio
from types import TracebackType

STALL_TIMEOUT_S = 60.0


class Stall:
    """`async with Stall(60):` raises TimeoutError after 60 s without progress."""

    def __init__(self, seconds: float = STALL_TIMEOUT_S) -> None:
        self.seconds = seconds
        self._timeout: asyncio.Timeout | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __aenter__(self) -> Stall:
        self._loop = asyncio.get_running_loop()
        self._timeout = asyncio.timeout(self.seconds)
        await self._timeout.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._timeout is not None
        await self._timeout.__aexit__(exc_type, exc, traceback)

    def progress(self) -> None:
        """Something moved: the next deadline is a full `seconds` from now."""
        if self._timeout is not None and self._loop is not None:
            self._timeout.reschedule(self._loop.time() + self.seconds)

    @property
    def expired(self) -> bool:
        """True once this stall (not some other timeout) ended the block."""
        return self._timeout is not None and self._timeout.expired()

    @property
    def reason(self) -> str:
        return f"stalled: no progress for {self.seconds:g} s"

    @property
    def params(self) -> dict[str, str]:
        """`reason`'s value for people: the stall timeout in seconds."""
        return {"length": f"{self.seconds:g}"}
