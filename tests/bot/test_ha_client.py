"""The websocket client against a real Home Assistant served on 127.0.0.1."""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.test_utils import unused_port
from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import (
    websocket_command,
)
from homeassistant.const import __version__ as HA_VERSION
from homeassistant.core import HomeAssistant, callback
import probatio
import pytest

from bot.ha_client import (
    AuthError,
    Backoff,
    CannotConnectError,
    ConnectionLostError,
    HAClient,
    HAConnection,
    HAError,
    NotConnectedError,
    open_connection,
    websocket_url,
)

if TYPE_CHECKING:
    import aiohttp

    from tests.bot.tcp_proxy import TcpProxy

FAST = Backoff(initial_s=0.01, maximum_s=0.05)


# A guard against hangs, not a timing assertion.
pytestmark = pytest.mark.timeout(60)


# When HA closes a websocket itself (auth_invalid, a revoked token), aiohttp 3.14's
# server re-arms its heartbeat timer on the client's closing frame and leaves it
# behind. That timer is HA's, harmless, and outside our code: allow it there.
ha_closes_the_socket = pytest.mark.parametrize("expected_lingering_timers", [True])


def register_test_commands(hass: HomeAssistant) -> asyncio.Event:
    """Commands only these tests need: one that fails, one that never answers.

    Returns an event set when the silent command has reached HA.
    """
    silent_received = asyncio.Event()

    @websocket_command({probatio.Required("type"): "test/fail"})
    @callback
    def fail(
        hass: HomeAssistant,
        connection: ActiveConnection,
        msg: dict[str, Any],
    ) -> None:
        connection.send_error(msg["id"], "not_allowed", "You may not")

    @websocket_command({probatio.Required("type"): "test/silent"})
    @callback
    def silent(
        hass: HomeAssistant,
        connection: ActiveConnection,
        msg: dict[str, Any],
    ) -> None:
        """Never answers, so a call stays pending until the socket drops."""
        silent_received.set()

    async_register_command(hass, fail)
    async_register_command(hass, silent)
    return silent_received


async def test_auth_ok_get_config_and_ping(
    hass: HomeAssistant,
    ha_url: str,
    hass_access_token: str,
    session: aiohttp.ClientSession,
) -> None:
    connection = await open_connection(session, ha_url, hass_access_token)
    try:
        assert connection.ha_version == HA_VERSION
        config = await connection.call("get_config")
        assert config["location_name"] == hass.config.location_name
        assert config["version"] == HA_VERSION
        assert await connection.call("ping") is None
    finally:
        await connection.close()
    assert connection.closed
    with pytest.raises(ConnectionLostError):
        await connection.call("ping")


@ha_closes_the_socket
async def test_bad_token_is_auth_error(
    ha_url: str, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(AuthError, match="rejected the access token"):
        await open_connection(session, ha_url, "not-a-token")


async def test_ha_errors_map_to_ha_error(
    hass: HomeAssistant,
    ha_url: str,
    hass_access_token: str,
    session: aiohttp.ClientSession,
) -> None:
    register_test_commands(hass)
    connection = await open_connection(session, ha_url, hass_access_token)
    try:
        with pytest.raises(HAError) as unknown:
            await connection.call("neighborhood_requests/recipients")
        assert unknown.value.code == "unknown_command"
        with pytest.raises(HAError) as failed:
            await connection.call("test/fail")
        assert (failed.value.code, failed.value.message) == (
            "not_allowed",
            "You may not",
        )
        with pytest.raises(HAError) as invalid:
            await connection.call("get_config", unexpected=1)
        assert invalid.value.code == "invalid_format"
    finally:
        await connection.close()


async def test_subscribe_receives_fired_events_until_closed(
    hass: HomeAssistant,
    ha_url: str,
    hass_access_token: str,
    session: aiohttp.ClientSession,
) -> None:
    connection = await open_connection(session, ha_url, hass_access_token)
    try:
        subscription = await connection.subscribe(
            "subscribe_events", event_type="neighborhood_test_event"
        )
        hass.bus.async_fire("neighborhood_test_event", {"n": 1})
        hass.bus.async_fire("neighborhood_test_event", {"n": 2})
        received = [await anext(subscription), await anext(subscription)]
        assert [e["data"]["n"] for e in received] == [1, 2]
        assert received[0]["event_type"] == "neighborhood_test_event"
        await subscription.aclose()
        await subscription.aclose()  # idempotent
        with pytest.raises(StopAsyncIteration):
            await anext(subscription)
        # HA confirmed the unsubscribe: the connection still answers.
        assert await connection.call("ping") is None
    finally:
        await connection.close()


async def test_failed_subscribe_raises_and_registers_nothing(
    ha_url: str, hass_access_token: str, session: aiohttp.ClientSession
) -> None:
    connection = await open_connection(session, ha_url, hass_access_token)
    try:
        with pytest.raises(HAError):
            await connection.subscribe("neighborhood_requests/subscribe")
    finally:
        await connection.close()


async def test_reconnects_and_reruns_hook_after_a_drop(
    hass: HomeAssistant,
    ha_proxy: TcpProxy,
    hass_access_token: str,
    session: aiohttp.ClientSession,
) -> None:
    silent_received = register_test_commands(hass)
    snapshots: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def on_connect(connection: HAConnection) -> None:
        snapshots.put_nowait(await connection.call("get_config"))

    async with HAClient(
        session, ha_proxy.url, hass_access_token, on_connect=on_connect, backoff=FAST
    ) as client:
        first = await snapshots.get()
        assert first["location_name"] == hass.config.location_name
        assert client.connected
        subscription = await client.subscribe(
            "subscribe_events", event_type="neighborhood_test_event"
        )
        pending = asyncio.create_task(client.call("test/silent"))
        await silent_received.wait()
        await ha_proxy.drop()
        with pytest.raises(ConnectionLostError):
            await anext(subscription)
        with pytest.raises(ConnectionLostError):
            await pending
        await snapshots.get()  # the hook ran again on the new connection
        assert client.connections == 2
        await client.wait_connected()
        assert await client.call("ping") is None
        # A subscription made after the reconnect delivers again.
        fresh = await client.subscribe(
            "subscribe_events", event_type="neighborhood_test_event"
        )
        hass.bus.async_fire("neighborhood_test_event", {"n": 3})
        assert (await anext(fresh))["data"]["n"] == 3
    assert not client.connected


async def test_backs_off_while_ha_is_down_then_connects(
    ha_proxy: TcpProxy,
    hass_access_token: str,
    session: aiohttp.ClientSession,
) -> None:
    ha_proxy.refusing = True
    async with HAClient(
        session, ha_proxy.url, hass_access_token, backoff=FAST
    ) as client:
        await ha_proxy.wait_refused(3)
        assert not client.connected
        with pytest.raises(NotConnectedError):
            await client.call("ping")
        ha_proxy.refusing = False
        connection = await client.wait_connected()
        assert await connection.call("ping") is None


async def test_failing_hook_drops_the_connection_and_retries(
    ha_url: str,
    hass_access_token: str,
    session: aiohttp.ClientSession,
) -> None:
    attempts: list[int] = []
    done = asyncio.Event()

    async def on_connect(connection: HAConnection) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            await connection.call("neighborhood_requests/subscribe")  # HAError
        if len(attempts) == 2:
            raise RuntimeError("a bug in the resync")
        done.set()

    async with HAClient(
        session, ha_url, hass_access_token, on_connect=on_connect, backoff=FAST
    ) as client:
        await done.wait()
        assert client.connections == 3


@ha_closes_the_socket
async def test_revoked_token_stops_the_client_with_auth_error(
    hass: HomeAssistant,
    ha_url: str,
    hass_access_token: str,
    session: aiohttp.ClientSession,
) -> None:
    client = HAClient(session, ha_url, hass_access_token, backoff=FAST)
    with pytest.raises(NotConnectedError):
        await client.call("ping")
    client.start()
    client.start()  # starting twice keeps one connection loop
    try:
        first = await client.wait_connected()
        refresh_token = hass.auth.async_validate_access_token(hass_access_token)
        assert refresh_token is not None
        # HA closes the socket itself when the token is revoked.
        hass.auth.async_remove_refresh_token(refresh_token)
        await first.wait_closed()
        with pytest.raises(AuthError):
            await client.wait_connected()
        with pytest.raises(AuthError):
            await client.call("ping")
    finally:
        await client.close()


async def test_unreachable_port_cannot_connect(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    url = f"http://127.0.0.1:{unused_port()}"
    with pytest.raises(CannotConnectError, match="connection refused"):
        await open_connection(session, url, "token", timeout_s=5)


@pytest.mark.parametrize(
    ("first_message", "reason"),
    [
        ({"type": "hello"}, "unexpected first message"),
        ("not json", "not JSON"),
        (["a", "list"], "unexpected message"),
        (None, "closed during authentication"),
    ],
)
async def test_a_server_that_is_not_ha_cannot_connect(
    socket_enabled: None,
    session: aiohttp.ClientSession,
    aiohttp_server: Any,
    first_message: Any,
    reason: str,
) -> None:
    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        if isinstance(first_message, str):
            await ws.send_str(first_message)
        elif first_message is not None:
            await ws.send_json(first_message)
        await ws.close()
        return ws

    app = web.Application()
    app.router.add_get("/api/websocket", handler)
    server = await aiohttp_server(app)
    with pytest.raises(CannotConnectError, match=reason):
        await open_connection(session, str(server.make_url("")), "token")


@pytest.mark.parametrize(
    "case",
    [
        ({"type": "auth_invalid"}, AuthError, "invalid token"),
        ({"type": "auth_maybe"}, CannotConnectError, "unexpected auth answer"),
        (None, CannotConnectError, "did not answer in time"),
    ],
)
async def test_odd_auth_answers(
    socket_enabled: None,
    session: aiohttp.ClientSession,
    aiohttp_server: Any,
    case: tuple[dict[str, str] | None, type[Exception], str],
) -> None:
    auth_answer, error, reason = case

    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "auth_required", "ha_version": "x"})
        await ws.receive()
        if auth_answer is not None:
            await ws.send_json(auth_answer)
        await ws.receive()  # until the client closes
        return ws

    app = web.Application()
    app.router.add_get("/api/websocket", handler)
    server = await aiohttp_server(app)
    with pytest.raises(error, match=reason):
        await open_connection(session, str(server.make_url("")), "token", timeout_s=0.5)


async def test_no_websocket_endpoint_cannot_connect(
    socket_enabled: None, session: aiohttp.ClientSession, aiohttp_server: Any
) -> None:
    server = await aiohttp_server(web.Application())
    with pytest.raises(CannotConnectError, match="HTTP 404"):
        await open_connection(session, str(server.make_url("")), "token")


async def test_stray_messages_are_ignored(
    socket_enabled: None, session: aiohttp.ClientSession, aiohttp_server: Any
) -> None:
    """Non-JSON, id-less, unknown-id and coalesced messages do not upset the client."""

    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "auth_required"})
        await ws.receive()
        await ws.send_json({"type": "auth_ok"})
        msg = await ws.receive_json()
        await ws.send_str("garbage")
        await ws.send_json({"type": "event", "event": {}})
        await ws.send_json({"id": 999, "type": "result", "success": True})
        await ws.send_json({"id": 998, "type": "event", "event": {}})
        await ws.send_json(
            [
                {"id": msg["id"], "type": "surprise"},
                {"id": msg["id"], "type": "result", "success": True},
            ]
        )
        msg = await ws.receive_json()
        await ws.send_json({"id": msg["id"], "type": "result", "success": False})
        await ws.receive()
        return ws

    app = web.Application()
    app.router.add_get("/api/websocket", handler)
    server = await aiohttp_server(app)
    connection = await open_connection(session, str(server.make_url("")), "token")
    try:
        assert connection.ha_version == "unknown"
        with pytest.raises(Exception, match="unexpected answer type 'surprise'"):
            await connection.call("first")
        with pytest.raises(HAError) as err:
            await connection.call("second")
        assert err.value.code == "unknown_error"
    finally:
        await connection.close()


def test_backoff_grows_is_capped_and_jittered() -> None:
    backoff = Backoff(initial_s=1.0, maximum_s=10.0, factor=2.0, jitter=0.2)
    rng = random.Random(7)
    delays = [backoff.delay(n, rng) for n in range(8)]
    for attempt, delay in enumerate(delays):
        base = min(10.0, 2.0**attempt)
        assert base * 0.8 <= delay <= min(10.0, base * 1.2)
    assert max(delays) <= 10.0
    # Jitter spreads the uncapped delays: no two equal.
    assert len({round(d, 6) for d in delays[:4]}) == 4
    assert Backoff(jitter=0.0).delay(100) == 60.0


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("http://ha:8123", "http://ha:8123/api/websocket"),
        ("https://example.org/ha/", "https://example.org/ha/api/websocket"),
    ],
)
def test_websocket_url(base: str, expected: str) -> None:
    assert websocket_url(base) == expected


async def test_async_for_ends_when_another_task_closes_the_subscription(
    hass: HomeAssistant,
    ha_url: str,
    hass_access_token: str,
    session: aiohttp.ClientSession,
) -> None:
    connection = await open_connection(session, ha_url, hass_access_token)
    try:
        subscription = await connection.subscribe(
            "subscribe_events", event_type="neighborhood_test_event"
        )
        seen: list[int] = []
        first_seen = asyncio.Event()

        async def consume() -> None:
            async for event in subscription:
                seen.append(event["data"]["n"])
                first_seen.set()

        consumer = asyncio.create_task(consume())
        hass.bus.async_fire("neighborhood_test_event", {"n": 1})
        await first_seen.wait()
        await subscription.aclose()
        await consumer
        assert seen == [1]
    finally:
        await connection.close()


async def test_closing_a_subscription_after_a_drop_is_quiet(
    ha_proxy: TcpProxy,
    hass_access_token: str,
    session: aiohttp.ClientSession,
) -> None:
    connection = await open_connection(session, ha_proxy.url, hass_access_token)
    subscription = await connection.subscribe(
        "subscribe_events", event_type="neighborhood_test_event"
    )
    await ha_proxy.drop()
    await connection.wait_closed()
    await subscription.aclose()
    with pytest.raises(StopAsyncIteration):
        await anext(subscription)
    await connection.close()


async def test_unanswered_pings_make_the_client_reconnect(
    socket_enabled: None, session: aiohttp.ClientSession, aiohttp_server: Any
) -> None:
    """A socket that stays open while HA no longer answers counts as lost."""

    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "auth_required"})
        await ws.receive()
        await ws.send_json({"type": "auth_ok", "ha_version": "frozen"})
        async for _ in ws:  # reads, never answers
            pass
        return ws

    app = web.Application()
    app.router.add_get("/api/websocket", handler)
    server = await aiohttp_server(app)
    connects: asyncio.Queue[str] = asyncio.Queue()

    async def on_connect(connection: HAConnection) -> None:
        connects.put_nowait(connection.ha_version)

    async with HAClient(
        session,
        str(server.make_url("")),
        "token",
        on_connect=on_connect,
        backoff=FAST,
        timeout_s=0.05,
        ping_interval_s=0.01,
    ) as client:
        assert await connects.get() == "frozen"
        assert await connects.get() == "frozen"
        assert client.connections >= 2


async def test_a_server_that_never_answers_times_out(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    async def silent(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await reader.read()  # until the client gives up
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(CannotConnectError, match="no answer within"):
            await open_connection(
                session, f"http://127.0.0.1:{port}", "token", timeout_s=0.2
            )
    finally:
        server.close()
        await server.wait_closed()


async def test_close_without_start_and_with_a_live_connection(
    ha_url: str, hass_access_token: str, session: aiohttp.ClientSession
) -> None:
    idle = HAClient(session, ha_url, hass_access_token)
    await idle.close()
    async with HAClient(session, ha_url, hass_access_token) as client:
        connection = await client.wait_connected()
    assert connection.closed
