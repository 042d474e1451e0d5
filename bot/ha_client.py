"""Home Assistant websocket client that reconnects by itself.

`HAClient` keeps a connection (see `ha_connection`) alive: it reconnects with
capped exponential backoff and jitter, and awaits `on_connect` after every
successful connection, so the caller can take a fresh snapshot and re-subscribe.
That is what makes "nothing missed while it was down" possible: events are not
replayed, the state is.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import logging
import random
from typing import TYPE_CHECKING, Any, Self

from bot.ha_connection import HAConnection, Subscription, open_connection, websocket_url
from bot.ha_errors import (
    AuthError,
    CannotConnectError,
    ConnectionLostError,
    HAClientError,
    HAError,
    NotConnectedError,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from types import TracebackType

    import aiohttp

__all__ = [
    "AuthError",
    "Backoff",
    "CannotConnectError",
    "ConnectionLostError",
    "HAClient",
    "HAClientError",
    "HAConnection",
    "HAError",
    "NotConnectedError",
    "Subscription",
    "open_connection",
    "websocket_url",
]

_LOGGER = logging.getLogger(__name__)

# An application-level ping (HA's own `ping` command) rather than aiohttp's
# heartbeat: it also proves HA's event loop answers, and aiohttp's heartbeat can
# re-arm its timer after close.
PING_INTERVAL_S = 30.0


@dataclass(frozen=True)
class Backoff:
    """Delays between reconnect attempts: exponential, capped, with jitter.

    Jitter spreads the reconnects of several bots after an HA restart.
    """

    initial_s: float = 1.0
    maximum_s: float = 60.0
    factor: float = 2.0
    jitter: float = 0.2

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before reconnect attempt number `attempt` (0-based)."""
        base = min(self.maximum_s, self.initial_s * self.factor**attempt)
        spread = base * self.jitter
        # Not cryptographic: it only de-synchronises reconnects.
        uniform = (rng or random).uniform(-spread, spread)
        return max(0.0, min(self.maximum_s, base + uniform))


type OnConnect = Callable[[HAConnection], Awaitable[None]]


class HAClient:
    """A connection to Home Assistant that comes back by itself.

    `on_connect` runs after every successful (re)connection; if it fails, the
    connection is dropped and retried, so a half-done resync never stands.
    An AuthError stops the client for good: a revoked token will not heal.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        ha_url: str,
        token: str,
        *,
        on_connect: OnConnect | None = None,
        backoff: Backoff | None = None,
        timeout_s: float = 10.0,
        ping_interval_s: float = PING_INTERVAL_S,
    ) -> None:
        self._session = session
        self.ha_url = ha_url
        self._token = token
        self._on_connect = on_connect
        self._backoff = backoff or Backoff()
        self._timeout_s = timeout_s
        self._ping_interval_s = ping_interval_s
        self._connection: HAConnection | None = None
        self._fatal: BaseException | None = None
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self.connections = 0
        self.failed = asyncio.Event()  # set when the client gave up for good

    async def __aenter__(self) -> Self:
        self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def start(self) -> None:
        """Start connecting in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="ha-ws-client")

    async def close(self) -> None:
        """Stop reconnecting; `_serve` closes the current connection on its way out."""
        if self._task is not None:
            self._task.cancel()
            # wait() rather than await: a cancellation of close() itself must
            # still propagate to its caller.
            await asyncio.wait([self._task])
            self._task = None

    @property
    def connected(self) -> bool:
        """Whether a connection is open right now."""
        return self._connection is not None and not self._connection.closed

    async def wait_connected(self) -> HAConnection:
        """Wait for an open connection; raise the fatal error if the client gave up."""

        def ready() -> bool:
            return self.connected or self._fatal is not None

        async with self._changed:
            await self._changed.wait_for(ready)
        if self._fatal is not None:
            raise self._fatal
        assert self._connection is not None
        return self._connection

    async def call(self, type_: str, /, **fields: Any) -> Any:
        """Run a command on the current connection; fail fast when there is none."""
        return await self._current().call(type_, **fields)

    async def subscribe(self, type_: str, /, **fields: Any) -> Subscription:
        """Subscribe on the current connection (re-subscribe in `on_connect`)."""
        return await self._current().subscribe(type_, **fields)

    def _current(self) -> HAConnection:
        if self._fatal is not None:
            raise self._fatal
        if self._connection is None or self._connection.closed:
            raise NotConnectedError("not connected to Home Assistant")
        return self._connection

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _run(self) -> None:
        attempt = 0
        while True:
            try:
                connection = await open_connection(
                    self._session, self.ha_url, self._token, timeout_s=self._timeout_s
                )
            except AuthError as err:
                _LOGGER.error("%s; giving up", err)
                self._fatal = err
                self.failed.set()
                await self._notify()
                return
            except CannotConnectError as err:
                delay = self._backoff.delay(attempt)
                attempt += 1
                _LOGGER.warning(
                    "cannot reach Home Assistant at %s: %s; retrying in %.1f s",
                    self.ha_url,
                    err,
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            healthy = await self._serve(connection)
            attempt = 0 if healthy else attempt + 1
            await asyncio.sleep(self._backoff.delay(attempt))

    async def _watch(self, connection: HAConnection) -> None:
        """Return when the connection closes or HA stops answering pings."""
        while True:
            try:
                async with asyncio.timeout(self._ping_interval_s):
                    await connection.wait_closed()
            except TimeoutError:
                pass
            else:
                _LOGGER.warning("connection to Home Assistant lost; reconnecting")
                return
            try:
                async with asyncio.timeout(self._timeout_s):
                    await connection.call("ping")
            except TimeoutError, HAClientError:
                _LOGGER.warning("Home Assistant stopped answering; reconnecting")
                return

    async def _serve(self, connection: HAConnection) -> bool:
        """Publish a fresh connection, run the hook, and wait until it drops.

        Returns whether the hook succeeded; a failing resync backs off further.
        """
        self._connection = connection
        self.connections += 1
        _LOGGER.info("connected to Home Assistant %s", connection.ha_version)
        await self._notify()
        try:
            if self._on_connect is not None:
                await self._on_connect(connection)
        except HAClientError as err:
            _LOGGER.warning("resync after connecting failed (%s); reconnecting", err)
            return False
        except Exception:
            _LOGGER.exception("resync after connecting failed; reconnecting")
            return False
        else:
            await self._watch(connection)
            return True
        finally:
            await connection.close()
            self._connection = None
