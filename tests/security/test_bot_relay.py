"""Item 2: the bot acts only as the linked resident, never with its own rights.

The real bot runs against the Telegram Bot API stand-in and a real Home
Assistant; its own account is an administrator (as it must be to list links).
The attackers: a stranger in Telegram, and Eve, an ordinary Home Assistant user
an administrator linked, who may not decide. Each test asserts what reached
their chat (no request, no footage, a refusal) and that nothing changed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
import pytest

from custom_components.neighborhood_requests.const import DOMAIN
from tests.bot.botapi_standin import BotApiStandIn
from tests.bot.harness import ALICE, Harness, button, link, running_bot
from tests.integration.conftest import entity_id
from tests.integration.test_share_handoff import DiskExporter

from .conftest import command, person, refusals, state_of

pytestmark = pytest.mark.timeout(60)

EVE, MALLORY = 1003, 1666
GROUP = -500


@pytest.fixture
async def harness(
    hass: HomeAssistant,
    nr_ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
    tmp_path: Path,
) -> AsyncIterator[Harness]:
    botapi.add_user(ALICE, "Alice")
    botapi.add_user(EVE, "Eve")
    botapi.add_user(MALLORY, "Mallory")
    botapi.add_group(GROUP, "Elm Street")
    async with running_bot(
        nr_ha_url, hass_access_token, botapi, tmp_path / "state.json"
    ) as running:
        yield running


async def link_eve(hass: HomeAssistant, harness: Harness, hass_ws_client: Any) -> Any:
    """An administrator links Eve, an ordinary user who may not decide."""
    eve, _ = await person(hass, "Eve")
    admin = await hass_ws_client(hass)
    made = await command(admin, type=f"{DOMAIN}/pairing/create", user_id=eve.id)
    await harness.say(EVE, f"/link {made['result']['code']}", "Linked as")
    return eve


async def in_group(harness: Harness, user_id: int, text: str, contains: str) -> None:
    before = len(harness.sent(GROUP, contains))
    await harness.botapi.push_message(user_id, text, chat_id=GROUP)
    await harness.wait(lambda: len(harness.sent(GROUP, contains)) > before)


async def test_a_stranger_in_telegram_gets_nothing(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Any,
    nr_entry: ConfigEntry,
    botapi: BotApiStandIn,
) -> None:
    """Mallory talks to the bot and replays Alice's buttons; nothing answers her."""
    await link(harness, hass_ws_client, hass, ALICE)
    alice_message = await harness.request_message(ALICE)
    for command_text in ("/pending", "/pause", "/history", "/report", "/resume"):
        await harness.say(MALLORY, command_text, "not linked")
    for label in ("Preview", "Share", "Decline"):
        answer = await harness.tap_data(
            MALLORY, MALLORY, alice_message["message_id"], button(alice_message, label)
        )
        assert answer == {
            "text": "This button belongs to someone else.",
            "show_alert": True,
        }
    assert harness.messages(MALLORY, "Case number") == []
    assert botapi.calls_to("sendVideo") == []
    assert hass.states.get(entity_id(hass, "switch")).state == "off"
    assert state_of(nr_entry) == "pending"


async def test_a_linked_resident_who_may_not_decide_gets_no_request_and_no_tools(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Any,
    nr_entry: ConfigEntry,
    botapi: BotApiStandIn,
) -> None:
    """Eve is linked, but the owner did not let residents receive requests."""
    await link(harness, hass_ws_client, hass, ALICE)
    eve = await link_eve(hass, harness, hass_ws_client)
    await harness.request_message(ALICE)
    await harness.say(EVE, "/pending", "No open requests")
    assert harness.messages(EVE, "Case number") == []

    paused = await harness.say(EVE, "/pause", "Home Assistant answered")
    assert paused["text"] == (
        "Home Assistant answered: Only the people allowed to decide and "
        "administrators can pause or resume video requests"
    )
    for command_text in ("/history", "/report"):
        refused = await harness.say(EVE, command_text, "Home Assistant answered")
        assert refused["text"] == (
            "Home Assistant answered: Only the people allowed to decide and "
            "administrators can read the transparency report and the history"
        )
    assert hass.states.get(entity_id(hass, "switch")).state == "off"
    assert nr_entry.runtime_data.coordinator.store.paused is False
    assert refusals(
        nr_entry,
        user_id=eve.id,
        telegram_user=str(EVE),
        surface="telegram",
        action="pause",
    )
    assert len(refusals(nr_entry, telegram_user=str(EVE), action="report")) == 2
    assert botapi.calls_to("sendVideo") == []


async def test_a_resident_allowed_to_read_never_previews_or_decides_even_in_a_group(  # noqa: PLR0917
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Any,
    nr_entry: ConfigEntry,
    botapi: BotApiStandIn,
    tmp_path: Path,
) -> None:
    """Eve reads the request; in the linked group she taps Preview and Decline."""
    hass.config_entries.async_update_entry(
        nr_entry, options={**nr_entry.options, "residents_receive_requests": True}
    )
    assert await hass.config_entries.async_reload(nr_entry.entry_id)
    exporter = nr_entry.runtime_data.exporter = DiskExporter(tmp_path)
    await link(harness, hass_ws_client, hass, ALICE)
    eve = await link_eve(hass, harness, hass_ws_client)
    admin = await hass_ws_client(hass)
    group_code = await command(admin, type=f"{DOMAIN}/pairing/create", group=True)
    await in_group(
        harness, ALICE, f"/link {group_code['result']['code']}", "Group linked"
    )

    mine = await harness.request_message(EVE)
    assert "reply_markup" not in mine  # read, never preview or answer
    [in_the_group] = await harness.wait(lambda: harness.messages(GROUP, "Case number"))
    for label, refusal in (
        ("Preview", "Only the people allowed to decide can preview footage."),
        ("Share", "Only the people allowed to decide can share or decline"),
        ("Decline", "Only the people allowed to decide can share or decline"),
    ):
        answer = await harness.tap(EVE, in_the_group, label, chat_id=GROUP)
        assert answer["show_alert"] is True
        assert answer["text"].startswith(refusal)
    assert exporter.calls == []
    assert botapi.calls_to("sendVideo") == []
    assert state_of(nr_entry) == "pending"

    # Alice, who decides, previews from the group: the clip goes to her alone.
    await harness.tap(ALICE, in_the_group, "Preview", chat_id=GROUP)
    await harness.wait(lambda: len(botapi.calls_to("sendVideo")) == 2)
    assert {int(c.params["chat_id"]) for c in botapi.calls_to("sendVideo")} == {ALICE}

    # Asked directly, as the bot would for her, Home Assistant refuses Eve too.
    bot = await hass_ws_client(hass)
    asked = await command(
        bot,
        type=f"{DOMAIN}/preview",
        config_entry_id=nr_entry.entry_id,
        request_id="wpd-2026-0412",
        camera="camera.porch",
        telegram_user_id=str(EVE),
    )
    assert asked["error"]["code"] == "not_allowed_preview"
    assert exporter.calls == [
        ("camera.porch", False, True),
        ("camera.hall", False, True),
    ]
    assert refusals(nr_entry, user_id=eve.id, action="preview", surface="telegram")


async def test_the_bots_own_rights_never_stand_in_for_a_resident(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: Any, tmp_path: Path
) -> None:
    """The bot's administrator account, as a relay, acts only for a named person."""
    exporter = entry.runtime_data.exporter = DiskExporter(tmp_path)
    bot = await hass_ws_client(hass)
    await bot.send_json_auto_id({"type": f"{DOMAIN}/subscribe", "relay": True})
    assert (await bot.receive_json())["success"]
    [request] = (await bot.receive_json())["event"]["snapshot"]
    assert request["audience"] == {"view": [], "preview": [], "decide": []}

    base = {"config_entry_id": entry.entry_id, "request_id": "wpd-2026-0412"}
    for msg in (
        {"type": f"{DOMAIN}/respond", "decision": "share", **base},
        {"type": f"{DOMAIN}/preview", "camera": "camera.porch", **base},
        {"type": f"{DOMAIN}/pause", "paused": True},
        {"type": f"{DOMAIN}/report"},
        {"type": f"{DOMAIN}/history"},
    ):
        await bot.send_json_auto_id(msg)
        answer = await bot.receive_json()
        while answer.get("type") == "event":  # the subscription's own changes
            answer = await bot.receive_json()
        assert answer["error"]["code"] == "telegram_user_required", msg
        assert answer["error"]["message"].startswith("This connection relays for")
    assert exporter.calls == []
    assert state_of(entry) == "pending"
    assert entry.runtime_data.coordinator.store.paused is False
