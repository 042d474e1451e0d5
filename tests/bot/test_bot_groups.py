"""Group chats: linked only with a group code; only linked residents answer there."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
import pytest

from tests.bot.botapi_standin import BotApiStandIn
from tests.bot.harness import ALICE, BOB, Harness, link, running_bot

pytestmark = pytest.mark.timeout(30)

GROUP = -500


@pytest.fixture
async def harness(
    hass: HomeAssistant,
    nr_ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
    tmp_path: Path,
) -> AsyncIterator[Harness]:
    botapi.add_user(ALICE, "Alice", "alice")
    botapi.add_user(BOB, "Bob")
    botapi.add_group(GROUP, "Elm <Street>")
    async with running_bot(
        nr_ha_url, hass_access_token, botapi, tmp_path / "state.json"
    ) as running:
        yield running


async def code(hass_ws_client: Callable[..., Any], hass: Any, *, group: bool) -> str:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "neighborhood_requests/pairing/create", "group": group}
    )
    answer = await client.receive_json()
    assert answer["success"], answer
    return str(answer["result"]["code"])


async def in_group(harness: Harness, user_id: int, text: str, contains: str) -> None:
    """`user_id` writes `text` in the group; wait for the bot's reply there."""
    before = len(harness.sent(GROUP, contains))
    await harness.botapi.push_message(user_id, text, chat_id=GROUP)
    await harness.wait(lambda: len(harness.sent(GROUP, contains)) > before)


async def test_codes_must_match_the_chat(
    hass: HomeAssistant, harness: Harness, hass_ws_client: Callable[..., Any]
) -> None:
    await in_group(harness, ALICE, "/start", "group pairing code")
    await in_group(harness, ALICE, "/pending", "only take /link")
    await in_group(harness, ALICE, "/link 12", "6-digit code")
    await in_group(harness, ALICE, "/link 000000", "invalid or expired")
    # A personal code in the group: everyone read it, so HA voided it.
    personal = await code(hass_ws_client, hass, group=False)
    await in_group(harness, ALICE, f"/link {personal}", "personal code")
    await harness.say(ALICE, f"/link {personal}", "invalid or expired")
    # A group code in a private chat: refused, still good in the group.
    group = await code(hass_ws_client, hass, group=True)
    await harness.say(ALICE, f"/link {group}", "That is a group code")
    assert harness.bot.state.groups == {}
    assert harness.messages(GROUP, "Case number") == []
    await in_group(harness, BOB, f"/link {group}", "Group linked as Elm &lt;Street&gt;")
    assert harness.bot.state.groups == {GROUP: "Elm <Street>"}
    await in_group(harness, BOB, "/help", "This group is linked as")


async def test_only_linked_residents_answer_in_a_linked_group(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    group = await code(hass_ws_client, hass, group=True)
    await in_group(harness, ALICE, f"/link {group}", "Group linked")
    # The pending request reaches the group, with the buttons.
    [message] = await harness.wait(lambda: harness.messages(GROUP, "Case number"))
    assert "Cameras: camera.porch (no footage in this window)" in message["text"]
    # Bob is in the group but not linked: an alert, and nothing happens.
    refused = await harness.tap(BOB, message, "Decline", chat_id=GROUP)
    assert refused["show_alert"] is True
    assert "Only residents linked to Home Assistant" in refused["text"]
    record = next(iter(nr_entry.runtime_data.coordinator.store))
    assert record.state == "pending"
    # A preview goes to the resident's private chat, never into the group.
    answer = await harness.tap(ALICE, message, "Preview", chat_id=GROUP)
    assert answer["text"] == "The preview comes to your private chat with the bot."
    await harness.wait(lambda: harness.sent(ALICE, "No preview"))
    # Share opens the confirmation in the group; Alice's Cancel withdraws it.
    await harness.tap(ALICE, message, "Share", chat_id=GROUP)
    [confirm] = await harness.wait(lambda: harness.messages(GROUP, "Share this video"))
    await harness.tap(ALICE, confirm, "Cancel", chat_id=GROUP)
    await harness.wait(lambda: harness.messages(GROUP, "Not shared."))
    # Alice decides in the group, as herself.
    await harness.tap(ALICE, message, "Decline", chat_id=GROUP)
    await harness.wait(lambda: harness.messages(GROUP, "Declined by Alice"))
    record = next(iter(nr_entry.runtime_data.coordinator.store))
    assert record.state == "declined"
    assert record.decision is not None
    assert record.decision.telegram_user == str(ALICE)
    # After a restart the group is read back from Home Assistant as a group.
    await harness.restart()
    assert harness.bot.state.groups == {GROUP: "Elm <Street>"}
    assert set(harness.bot.state.linked) == {ALICE}
