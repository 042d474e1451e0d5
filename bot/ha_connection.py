"""One authenticated websocket connection to Home Assistant.

Commands are matched to results by id, subscription events go to a queue per
subscription. When the socket drops, every waiting call and subscription fails
with `ConnectionLostError`; nothing is silently retried, because a command such
as "respond" must not run twice.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from typing import Any, Self

import aiohttp

from bot.ha_errors import (
    AuthError,
    CannotConnectError,
    ConnectionLostError,
    HAClientError,
    HAError,
)
from bot.network import explain

_LOGGER = logging.getLogger(__name__)

WEBSOCKET_PATH = "/api/websocket"
# HA answers large snapshots (get_states, a long pending list) in one message.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024


def websocket_url(ha_url: str) -> str:
    """The websocket endpoint below HA's base URL (which may carry a path prefix)."""
    return ha_url.rstrip("/") + WEBSOCKET_PATH


class Subscription:
    """Events of one subscription command, as an async iterator.

    Iteration ends after `aclose()`; it raises ConnectionLostError when the
    connection drops, so a consumer knows to wait for the next `on_connect`.
    """

    def __init__(self, connection: HAConnection, sub_id: int) -> None:
        self._connection = connection
        self.id = sub_id
        self._queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self._closed = False

    def _push(self, event: Any) -> None:
        self._queue.put_nowait(("event", event))

    def _end(self, reason: str) -> None:
        self._queue.put_nowait((reason, None))

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Any:
        if self._closed:
            raise StopAsyncIteration
        kind, event = await self._queue.get()
        if kind == "event":
            return event
        self._closed = True
        if kind == "lost":
            raise ConnectionLostError("connection to Home Assistant lost")
        raise StopAsyncIteration

    async def aclose(self) -> None:
        """Unsubscribe (if the connection is still open) and end the iteration."""
        if self._closed:
            return
        self._closed = True
        await self._connection.unsubscribe(self.id)


class HAConnection:
    """One authenticated websocket connection to Home Assistant."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, ha_version: str) -> None:
        self._ws = ws
        self.ha_version = ha_version
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._subscriptions: dict[int, Subscription] = {}
        self._closed = asyncio.Event()
        self._reader = asyncio.create_task(self._read_loop(), name="ha-ws-reader")

    @property
    def closed(self) -> bool:
        """Whether the socket is gone (no further calls will succeed)."""
        return self._closed.is_set()

    async def wait_closed(self) -> None:
        """Return once the connection has closed, for whatever reason."""
        await self._closed.wait()

    async def close(self) -> None:
        """Close the socket and fail whatever still waits on it."""
        await self._ws.close()
        await self._reader

    async def call(self, type_: str, /, **fields: Any) -> Any:
        """Send one command and return its result; raise HAError on an error result."""
        return await self._call(next(self._ids), type_, fields)

    async def subscribe(self, type_: str, /, **fields: Any) -> Subscription:
        """Run a subscription command and return its event stream."""
        msg_id = next(self._ids)
        subscription = Subscription(self, msg_id)
        self._subscriptions[msg_id] = subscription
        try:
            await self._call(msg_id, type_, fields)
        except BaseException:
            self._subscriptions.pop(msg_id, None)
            raise
        return subscription

    async def _call(self, msg_id: int, type_: str, fields: dict[str, Any]) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = future
        try:
            await self._send({**fields, "id": msg_id, "type": type_})
            return await future
        finally:
            self._pending.pop(msg_id, None)

    async def unsubscribe(self, sub_id: int) -> None:
        """Stop a subscription; a no-op once the connection is gone."""
        subscription = self._subscriptions.pop(sub_id, None)
        if subscription is None or self.closed:
            return
        subscription._end("closed")
        try:
            await self.call("unsubscribe_events", subscription=sub_id)
        except ConnectionLostError:
            _LOGGER.debug("connection closed before unsubscribing %s", sub_id)

    async def _send(self, message: dict[str, Any]) -> None:
        if self.closed:
            raise ConnectionLostError("connection to Home Assistant is closed")
        try:
            await self._ws.send_json(message)
        except (aiohttp.ClientError, ConnectionError) as err:
            raise ConnectionLostError(
                f"sending to Home Assistant failed: {err}"
            ) from err

    async def _read_loop(self) -> None:
        try:
            async for msg in self._ws:
                if msg.type is aiohttp.WSMsgType.TEXT:
                    self._dispatch_text(msg.data)
                elif msg.type is aiohttp.WSMsgType.ERROR:
                    _LOGGER.warning("websocket error: %s", self._ws.exception())
                    break
        finally:
            self._closed.set()
            lost = ConnectionLostError("connection to Home Assistant lost")
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(lost)
            for subscription in self._subscriptions.values():
                subscription._end("lost")
            self._subscriptions.clear()
            if not self._ws.closed:
                await self._ws.close()

    def _dispatch_text(self, text: str) -> None:
        try:
            data = json.loads(text)
        except ValueError:
            _LOGGER.warning("ignoring a message that is not JSON: %.200r", text)
            return
        # HA sends arrays only when asked to coalesce, but both shapes are legal.
        for message in data if isinstance(data, list) else [data]:
            if isinstance(message, dict):
                self._dispatch(message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        msg_id = message.get("id")
        kind = message.get("type")
        if not isinstance(msg_id, int):
            _LOGGER.debug("ignoring a message without id: %.200r", message)
            return
        if kind == "event":
            subscription = self._subscriptions.get(msg_id)
            if subscription is not None:
                subscription._push(message.get("event"))
            return
        future = self._pending.get(msg_id)
        if future is None or future.done():
            _LOGGER.debug("ignoring unexpected message %.200r", message)
            return
        if kind == "pong":
            future.set_result(None)
        elif kind == "result" and message.get("success"):
            future.set_result(message.get("result"))
        elif kind == "result":
            error = message.get("error") or {}
            future.set_exception(
                HAError(
                    str(error.get("code", "unknown_error")),
                    str(error.get("message", "")),
                )
            )
        else:
            future.set_exception(HAClientError(f"unexpected answer type {kind!r}"))


async def open_connection(
    session: aiohttp.ClientSession,
    ha_url: str,
    token: str,
    *,
    timeout_s: float = 10.0,
) -> HAConnection:
    """Connect and authenticate once; raise CannotConnectError or AuthError."""
    url = websocket_url(ha_url)
    try:
        async with asyncio.timeout(timeout_s):
            ws = await session.ws_connect(url, max_msg_size=MAX_MESSAGE_BYTES)
    except TimeoutError as err:
        raise CannotConnectError(f"no answer within {timeout_s:g} s") from err
    except (aiohttp.ClientError, OSError) as err:
        raise CannotConnectError(_describe(err, url)) from err
    try:
        async with asyncio.timeout(timeout_s):
            hello = await _receive_json(ws)
            if hello.get("type") != "auth_required":
                raise CannotConnectError(
                    f"unexpected first message {hello.get('type')!r} (not HA?)"
                )
            await ws.send_json({"type": "auth", "access_token": token})
            answer = await _receive_json(ws)
    except TimeoutError as err:
        await ws.close()
        raise CannotConnectError("Home Assistant did not answer in time") from err
    except BaseException:
        await ws.close()
        raise
    if answer.get("type") == "auth_invalid":
        await ws.close()
        raise AuthError(
            "Home Assistant rejected the access token: "
            f"{answer.get('message') or 'invalid token'}"
        )
    if answer.get("type") != "auth_ok":
        await ws.close()
        raise CannotConnectError(f"unexpected auth answer {answer.get('type')!r}")
    return HAConnection(ws, str(answer.get("ha_version", "unknown")))


async def _receive_json(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    msg = await ws.receive()
    if msg.type is not aiohttp.WSMsgType.TEXT:
        raise CannotConnectError("connection closed during authentication")
    try:
        data = json.loads(msg.data)
    except ValueError as err:
        raise CannotConnectError(
            "Home Assistant sent something that is not JSON"
        ) from err
    if not isinstance(data, dict):
        raise CannotConnectError("Home Assistant sent an unexpected message")
    return data


def _describe(err: BaseException, url: str) -> str:
    """A short human reason for a connection failure."""
    if isinstance(err, aiohttp.WSServerHandshakeError):
        return f"no websocket API there (HTTP {err.status})"
    return explain(err, url)
