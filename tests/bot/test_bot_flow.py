"""The running bot end to end: pairing, request messages, Decline, Share, commands."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
import pytest

from tests.bot.botapi_standin import BotApiStandIn
from tests.bot.harness import (
    ALICE,
    BOB,
    Harness,
    button,
    gather,
    link,
    running_bot,
)

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
async def harness(
    hass: HomeAssistant,
    nr_ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
    tmp_path: Path,
) -> AsyncIterator[Harness]:
    botapi.add_user(ALICE, "Alice", "alice")
    botapi.add_user(BOB, "Bob <&>")
    async with running_bot(
        nr_ha_url, hass_access_token, botapi, tmp_path / "state.json"
    ) as running:
        yield running


def record(entry: ConfigEntry) -> Any:
    return next(iter(entry.runtime_data.coordinator.store))


async def test_unlinked_user_gets_only_how_to_link(
    harness: Harness, botapi: BotApiStandIn
) -> None:
    start = await harness.say(ALICE, "/start", "pairing code")
    assert "<code>/link 123456</code>" in start["text"]
    await harness.say(ALICE, "/pending", "not linked")
    await harness.say(ALICE, "hello?", "not linked")
    await harness.say(ALICE, "/link 12", "6-digit code")
    await harness.say(ALICE, "/link 000000", "invalid or expired")
    # Nothing about the pending request reached the unlinked chat.
    assert harness.messages(ALICE, "Case number") == []
    # The command menu is registered in every language.
    assert set(botapi.state.commands) == {"default:", "default:de", "default:es"}
    names = [c["command"] for c in botapi.state.commands["default:"]]
    assert names[:3] == ["pending", "history", "report"]


async def test_pairing_then_the_request_arrives(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    text = message["text"]
    assert text.startswith("Wolcott Police Department (law enforcement)\n")
    assert "✅ verified publisher" in text
    assert "Incident: Burglary" in text
    assert "Break-in on Elm Street" in text
    assert "Case number: 24-1187" in text
    assert "Legal basis: voluntary request" in text
    assert "(30 min)" in text
    assert "CET" in text  # the home's time zone (Europe/Berlin), not UTC
    assert "Distance from home: ≈0 m" in text
    # Nothing recorded yet: Home Assistant looked at each camera's segment folder.
    assert (
        "Cameras: camera.porch (no footage in this window), "
        "camera.hall (no footage in this window)"
    ) in text
    labels = [b["text"] for b in message["reply_markup"]["inline_keyboard"][0]]
    assert labels == ["Preview", "Share", "Decline"]
    for label in labels:
        data = button(message, label)
        assert len(data.encode()) <= 64
        assert "share" not in data.lower() or label == "Share"
    await harness.say(ALICE, "/start", "linked as Alice")
    assert len(harness.sent(ALICE, "Case number")) == 1


async def test_decline_asks_nothing_more(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    old_share = button(message, "Share")
    answer = await harness.tap(ALICE, message, "Decline")
    assert answer["text"].startswith("❌ Declined by Alice")
    assert record(nr_entry).state == "declined"
    assert record(nr_entry).decision.telegram_user == str(ALICE)
    [shown] = harness.messages(ALICE, "Case number")
    assert "❌ Declined by Alice" in shown["text"]
    assert "reply_markup" not in shown
    # A second tap on the old keyboard is answered, and HA is not asked again.
    again = await harness.tap_data(ALICE, ALICE, message["message_id"], old_share)
    assert again == {"text": "Already decided by Alice.", "show_alert": True}
    history = await harness.say(ALICE, "/history", "Last decisions")
    assert "declined - Wolcott Police Department 24-1187 - Alice" in history["text"]


async def test_share_confirms_scope_then_shows_the_honest_error(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
) -> None:
    """No export backend yet: consent is recorded, and the failure is shown as one."""
    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    assert await harness.tap(ALICE, message, "Share") == {
        "text": "",
        "show_alert": False,
    }
    [confirm] = await harness.wait(lambda: harness.messages(ALICE, "Share this video"))
    assert "with Wolcott Police Department?" in confirm["text"]
    assert "Cameras: camera.porch (no footage" in confirm["text"]
    assert "Window: 30 min" in confirm["text"]
    assert "Audio: off" in confirm["text"]
    assert record(nr_entry).state == "pending"  # nothing happens before Confirm
    await harness.tap(ALICE, confirm, "Audio: off")
    await harness.wait(lambda: "Audio: included" in confirm["text"])
    await harness.tap(ALICE, confirm, "Audio: ON")
    await harness.wait(lambda: "Audio: off" in confirm["text"])
    answer = await harness.tap(ALICE, confirm, "Confirm share")
    assert answer["show_alert"] is True
    # (Which export error depends on the backend; none is configured here.)
    assert answer["text"].startswith(
        "⚠️ Share consented by Alice, but Home Assistant reported: Your decision "
        "to share was recorded, but"
    )
    shared = record(nr_entry)
    assert shared.state == "shared"
    assert shared.decision.include_audio is False
    [shown] = harness.messages(ALICE, "Case number")
    assert "⚠️ Share consented by Alice, but Home Assistant reported:" in shown["text"]
    assert "reply_markup" not in shown
    assert "reply_markup" not in confirm
    assert "Share consented by Alice" in confirm["text"]


async def test_share_with_audio_reaches_the_outbox(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
    tmp_path: Path,
) -> None:
    from tests.integration.test_share_handoff import DiskExporter, ListOutbox

    outbox = ListOutbox()
    nr_entry.runtime_data.exporter = DiskExporter(tmp_path)
    nr_entry.runtime_data.outbox = outbox
    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    await harness.tap(ALICE, message, "Share")
    [confirm] = await harness.wait(lambda: harness.messages(ALICE, "Share this video"))
    await harness.tap(ALICE, confirm, "Audio: off")
    await harness.wait(lambda: "Audio: included" in confirm["text"])
    answer = await harness.tap(ALICE, confirm, "Confirm share")
    assert answer["text"].startswith("✅ Shared by Alice")
    assert [(s.camera, s.include_audio, s.telegram_user) for s in outbox.shares] == [
        ("camera.porch", True, str(ALICE)),
        ("camera.hall", True, str(ALICE)),
    ]
    [shown] = harness.messages(ALICE, "Case number")
    assert "✅ Shared by Alice" in shown["text"]


async def test_cancel_keeps_the_request_open(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    await harness.tap(ALICE, message, "Share")
    [confirm] = await harness.wait(lambda: harness.messages(ALICE, "Share this video"))
    old_confirm = button(confirm, "Confirm")
    await harness.tap(ALICE, confirm, "Cancel")
    await harness.wait(lambda: confirm["text"] == "Not shared.")
    stale = await harness.tap_data(ALICE, ALICE, confirm["message_id"], old_confirm)
    assert stale["text"] == "This button is no longer valid."
    assert record(nr_entry).state == "pending"
    answer = await harness.tap(ALICE, message, "Decline")  # the request still works
    assert answer["text"].startswith("❌ Declined by Alice")


async def test_household_race_one_decision(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    await link(harness, hass_ws_client, hass, BOB)
    alice_msg = await harness.request_message(ALICE)
    bob_msg = await harness.request_message(BOB)
    answers = await gather(
        harness.tap(ALICE, alice_msg, "Decline"),
        harness.tap(BOB, bob_msg, "Decline"),
    )
    texts = sorted(a["text"] for a in answers)
    winner = record(nr_entry).decision.telegram_user
    name = "Alice" if winner == str(ALICE) else "Bob <&>"
    assert texts[0].startswith("Already decided by " + name) or texts[1].startswith(
        "Already decided by " + name
    )
    assert sum(t.startswith("❌ Declined by") for t in texts) == 1
    for user in (ALICE, BOB):
        [shown] = harness.messages(user, "Case number")
        assert f"❌ Declined by {name}" in shown["text"]
        assert "reply_markup" not in shown


async def test_forged_and_foreign_buttons_are_refused(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    await link(harness, hass_ws_client, hass, BOB)
    alice_msg = await harness.request_message(ALICE)
    forged = await harness.tap_data(ALICE, ALICE, alice_msg["message_id"], "decline")
    assert forged == {"text": "This button is no longer valid.", "show_alert": True}
    # Bob replays Alice's token (a client can send any callback data).
    foreign = await harness.tap_data(
        BOB, ALICE, alice_msg["message_id"], button(alice_msg, "Decline")
    )
    assert foreign == {
        "text": "This button belongs to someone else.",
        "show_alert": True,
    }
    assert record(nr_entry).state == "pending"


async def test_expired_and_cancelled_requests_lose_their_buttons(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
    feed_server: Any,
) -> None:
    from datetime import timedelta

    from homeassistant.util import dt as dt_util

    from tests.integration.conftest import request_now
    from tests.protocol.factories import make_feed

    feed_server.serve(make_feed([request_now(), request_now(id="second")]))
    coordinator = nr_entry.runtime_data.coordinator
    await coordinator.async_refresh()
    await link(harness, hass_ws_client, hass, ALICE)
    await harness.wait(lambda: len(harness.messages(ALICE, "Case number")) == 2)
    first, _ = harness.messages(ALICE, "Case number")
    old = button(first, "Share")

    feed_server.serve(
        make_feed(
            [request_now(revision=2, status="cancelled"), request_now(id="second")]
        )
    )
    await coordinator.async_refresh()
    await harness.wait(lambda: "🚫 Withdrawn by the publisher." in first["text"])
    assert "reply_markup" not in first
    stale = await harness.tap_data(ALICE, ALICE, first["message_id"], old)
    assert stale["text"] == "This request is no longer open."

    await coordinator._expire(dt_util.utcnow() + timedelta(days=8))
    second = harness.messages(ALICE, "Case number")[1]
    await harness.wait(lambda: "⌛ Expired without a decision." in second["text"])
    assert "reply_markup" not in second
    pending = await harness.say(ALICE, "/pending", "No open requests")
    assert pending["text"] == "No open requests."


async def test_decided_in_home_assistant_updates_every_chat(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
    hass_admin_user: User,
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    old = button(message, "Decline")
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
    # Decided in Home Assistant: the HA user's name (a Telegram decision shows
    # the Telegram name).
    await harness.wait(lambda: "❌ Declined by Mock User" in message["text"])
    again = await harness.tap_data(ALICE, ALICE, message["message_id"], old)
    assert again["text"] == "Already decided by Mock User."
    history = await harness.say(ALICE, "/history", "Last decisions")
    assert (
        "declined - Wolcott Police Department 24-1187 - Mock User" in (history["text"])
    )


async def test_a_revision_the_guardrails_refuse_closes_the_prompt(
    harness: Harness,
    hass: HomeAssistant,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
    feed_server: Any,
) -> None:
    from tests.integration.conftest import request_now
    from tests.protocol.factories import make_feed

    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    feed_server.serve(
        make_feed(
            [
                request_now(
                    revision=2,
                    incident={
                        "type": "protest",
                        "summary": "A march",
                        "case_number": "24-1187",
                        "reference_url": None,
                    },
                )
            ]
        )
    )
    await nr_entry.runtime_data.coordinator.async_refresh()
    await harness.wait(lambda: "no longer open in Home Assistant" in message["text"])
    assert "reply_markup" not in message


async def test_a_linked_resident_who_may_not_decide_reads_only_if_allowed(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    hass_read_only_user: User,
    nr_entry: ConfigEntry,
) -> None:
    """Linked by an admin but no decider: requests only when the owner allows it.

    Then the request comes without any button, saying who can act on it.
    """
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "neighborhood_requests/pairing/create",
            "user_id": hass_read_only_user.id,
        }
    )
    code = (await client.receive_json())["result"]["code"]
    await harness.say(ALICE, f"/link {code}", "Linked as")
    await harness.say(ALICE, "/pending", "No open requests")
    assert harness.messages(ALICE, "Case number") == []

    hass.config_entries.async_update_entry(
        nr_entry, options={**nr_entry.options, "residents_receive_requests": True}
    )
    await hass.config_entries.async_reload(nr_entry.entry_id)
    message = await harness.request_message(ALICE)
    assert "reply_markup" not in message
    assert message["text"].endswith(
        "For your information: only the people allowed to decide can preview "
        "or answer this request."
    )
    pending = await harness.say(ALICE, "/pending", "Open requests")
    assert "Wolcott Police Department - Burglary - 24-1187" in pending["text"]
    assert next(iter(nr_entry.runtime_data.coordinator.store)).state == "pending"
