"""The running bot when things go wrong: HA drops, a restart, Telegram says 429."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
import json
from pathlib import Path
from typing import Any

from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
import pytest

from tests.bot.botapi_standin import BotApiStandIn
from tests.bot.harness import ALICE, BOB, Harness, bot_config, button, link, running_bot
from tests.bot.tcp_proxy import TcpProxy
from tests.integration.conftest import request_now
from tests.protocol.factories import make_feed

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
async def proxy(nr_ha_url: str) -> AsyncIterator[TcpProxy]:
    tcp = TcpProxy(int(nr_ha_url.rsplit(":", 1)[1]))
    await tcp.start()
    yield tcp
    await tcp.close()


@pytest.fixture
async def harness(
    proxy: TcpProxy,
    hass_access_token: str,
    botapi: BotApiStandIn,
    tmp_path: Path,
) -> AsyncIterator[Harness]:
    botapi.add_user(ALICE, "Alice")
    botapi.add_user(BOB, "Bob")
    async with running_bot(
        proxy.url, hass_access_token, botapi, tmp_path / "state.json"
    ) as running:
        yield running


async def test_websocket_drop_then_resync_misses_nothing_and_repeats_nothing(  # noqa: PLR0917 - pytest fixtures arrive as arguments
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
    feed_server: Any,
    proxy: TcpProxy,
    hass_admin_user: User,
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    first = await harness.request_message(ALICE)

    proxy.refusing = True
    await proxy.drop()
    await proxy.wait_refused(1)
    # While the bot is away: a new request arrives, and the first one is
    # declined by someone in Home Assistant.
    feed_server.serve(make_feed([request_now(), request_now(id="while-away")]))
    coordinator = nr_entry.runtime_data.coordinator
    await coordinator.async_refresh()
    await hass.services.async_call(
        "neighborhood_requests",
        "respond",
        {
            "config_entry_id": nr_entry.entry_id,
            "request_id": "wpd-2026-0412",
            "decision": "decline",
        },
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    proxy.refusing = False
    await harness.bot.relay.wait_synced(2)

    # How it ended, and by whom, though the bot was away when it happened.
    await harness.wait(lambda: "❌ Declined by Mock User" in first["text"])
    assert "reply_markup" not in first
    messages = harness.messages(ALICE, "Case number")
    assert len(messages) == 2  # the new one once, the old one not again
    assert len(harness.sent(ALICE, "Case number")) == 2
    assert "reply_markup" in messages[1]

    # A third connection changes nothing in the chat.
    await proxy.drop()
    await harness.bot.relay.wait_synced(3)
    assert len(harness.sent(ALICE, "Case number")) == 2


async def test_restart_mid_flow_can_still_confirm_and_edit(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
    tmp_path: Path,
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    await harness.tap(ALICE, message, "Share")
    [confirm] = await harness.wait(lambda: harness.messages(ALICE, "Share this video"))

    await harness.restart()
    saved = json.loads((tmp_path / "state.json").read_text())
    assert saved["linked"] == {str(ALICE): "Alice"}
    assert len(harness.sent(ALICE, "Case number")) == 1  # not sent again

    answer = await harness.tap(ALICE, confirm, "Cancel")
    assert answer["show_alert"] is False
    await harness.wait(lambda: confirm["text"] == "Not shared.")
    answer = await harness.tap(ALICE, message, "Decline")
    assert answer["text"].startswith("❌ Declined by Alice")
    assert next(iter(nr_entry.runtime_data.coordinator.store)).state == "declined"
    assert "❌ Declined by Alice" in message["text"]


async def test_429_is_waited_out_and_blocked_users_do_not_stop_the_others(  # noqa: PLR0917 - pytest fixtures arrive as arguments
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
    botapi: BotApiStandIn,
    feed_server: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    await link(harness, hass_ws_client, hass, BOB)
    await harness.request_message(ALICE)
    await harness.request_message(BOB)
    botapi.block_bot(BOB)
    botapi.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1
    )
    feed_server.serve(make_feed([request_now(), request_now(id="next-1")]))
    await nr_entry.runtime_data.coordinator.async_refresh()
    await harness.wait(lambda: len(harness.messages(ALICE, "Case number")) == 2)
    statuses = sorted(c.status for c in botapi.calls_to("sendMessage"))
    assert 429 in statuses
    assert 403 in statuses
    # Bob blocked the bot: one warning, and the bot keeps running.
    feed_server.serve(
        make_feed([request_now(), request_now(id="next-1"), request_now(id="next-2")])
    )
    await nr_entry.runtime_data.coordinator.async_refresh()
    await harness.wait(lambda: len(harness.messages(ALICE, "Case number")) == 3)
    blocked = [r for r in caplog.records if "blocked by the user" in r.getMessage()]
    assert len(blocked) == 1
    assert button(harness.messages(ALICE, "Case number")[2], "Share")


async def test_run_stops_cleanly_on_sigterm(
    hass: HomeAssistant,
    proxy: TcpProxy,
    hass_access_token: str,
    botapi: BotApiStandIn,
    tmp_path: Path,
) -> None:
    """`run` (what the console script runs) until SIGTERM, then shuts down."""
    import asyncio
    import os
    import signal

    from bot.app import run

    config = bot_config(proxy.url, hass_access_token, botapi, tmp_path / "s.json")
    task = asyncio.create_task(run(config))
    await botapi.wait_for_poller()
    os.kill(os.getpid(), signal.SIGTERM)
    await task
    assert botapi.calls_to("setMyCommands")


async def test_new_revision_found_on_resync_edits_the_message(  # noqa: PLR0917 - pytest fixtures arrive as arguments
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
    feed_server: Any,
    proxy: TcpProxy,
) -> None:
    """A new revision of a prompted request fires no event in the integration
    today, so the bot learns it from the snapshot at the next (re)connect."""
    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    await harness.tap(ALICE, message, "Share")
    [confirm] = await harness.wait(lambda: harness.messages(ALICE, "Share this video"))
    incident = {
        "type": "burglary",
        "summary": "Suspect seen on Oak Street instead.",
        "case_number": "24-1187",
        "reference_url": None,
    }
    feed_server.serve(make_feed([request_now(revision=2, incident=incident)]))
    await nr_entry.runtime_data.coordinator.async_refresh()
    await proxy.drop()
    await harness.bot.relay.wait_synced(2)
    await harness.wait(lambda: "Oak Street" in message["text"])
    assert confirm["text"] == "Not shared."  # the scope changed: confirm again
    assert "reply_markup" in message
    assert len(harness.sent(ALICE, "Case number")) == 1


async def test_ha_down_during_a_tap_then_unlinked_user(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
    proxy: TcpProxy,
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    decline = button(message, "Decline")
    proxy.refusing = True
    await proxy.drop()
    await proxy.wait_refused(1)
    answer = await harness.tap(ALICE, message, "Decline")
    assert (
        answer["text"]
        == "Home Assistant is not reachable right now; try again shortly."
    )
    report = await harness.say(ALICE, "/report", "not reachable")
    assert "Home Assistant is not reachable" in report["text"]
    assert next(iter(nr_entry.runtime_data.coordinator.store)).state == "pending"

    # Unlinked in Home Assistant while the bot was away: the request leaves the
    # chat at the reconnect, its buttons with it, and nothing acts any more.
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "neighborhood_requests/recipients", "unlink": str(ALICE)}
    )
    assert (await client.receive_json())["success"]
    proxy.refusing = False
    await harness.bot.relay.wait_synced(2)
    assert ALICE not in harness.bot.state.linked
    assert message["text"] == "Home Assistant no longer shows you this request."
    assert "reply_markup" not in message
    refused = await harness.tap_data(ALICE, ALICE, message["message_id"], decline)
    assert refused == {"text": "This button is no longer valid.", "show_alert": True}
    assert next(iter(nr_entry.runtime_data.coordinator.store)).state == "pending"
