"""What changes after a request is shown: its area, revisions, who decided, uploads.

The running bot against the Bot API stand-in and a real Home Assistant; the
delivery code's part (recording each clip's upload and firing `shared`) is
played by writing the store exactly as it does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
import pytest

from custom_components.neighborhood_requests.requests.store import Delivery
from tests.bot.botapi_standin import BotApiStandIn
from tests.bot.harness import ALICE, BOB, Harness, button, link, running_bot
from tests.integration.conftest import request_now
from tests.protocol.factories import HOME_LAT, HOME_LON, make_feed

pytestmark = pytest.mark.timeout(30)

SUMMARY_2 = "Now looking for two people on bicycles."
SHA = "3fa4c1d2" + "0" * 56


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
    async with running_bot(
        nr_ha_url, hass_access_token, botapi, tmp_path / "state.json"
    ) as running:
        yield running


def venues(botapi: BotApiStandIn, chat_id: int) -> list[dict[str, Any]]:
    return [
        m
        for (chat, _), m in sorted(botapi.state.messages.items())
        if chat == chat_id and "venue" in m
    ]


def revision(number: int, **overrides: Any) -> dict[str, Any]:
    return request_now(
        revision=number,
        incident={
            "type": "burglary",
            "summary": SUMMARY_2,
            "case_number": "24-1187",
            "reference_url": None,
        },
        **overrides,
    )


async def test_the_area_follows_as_a_venue(
    hass: HomeAssistant,
    harness: Harness,
    botapi: BotApiStandIn,
    hass_ws_client: Callable[..., Any],
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    [pin] = await harness.wait(lambda: venues(botapi, ALICE))
    assert pin["venue"]["location"] == {"latitude": HOME_LAT, "longitude": HOME_LON}
    assert pin["venue"]["title"] == "Wolcott Police Department: Burglary"
    assert pin["venue"]["address"] == "Request area, radius about 300 m"
    # Under the request, and after it: the text is what arrives first.
    assert pin["reply_to_message"]["message_id"] == message["message_id"]
    assert pin["message_id"] > message["message_id"]


async def test_a_revision_edits_every_message_in_place(  # noqa: PLR0917 - fixtures
    hass: HomeAssistant,
    harness: Harness,
    botapi: BotApiStandIn,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
    feed_server: Any,
) -> None:
    coordinator = nr_entry.runtime_data.coordinator
    await link(harness, hass_ws_client, hass, ALICE)
    await link(harness, hass_ws_client, hass, BOB)
    alice = await harness.request_message(ALICE)
    bob = await harness.request_message(BOB)
    await harness.wait(lambda: venues(botapi, ALICE) and venues(botapi, BOB))
    await harness.tap(ALICE, alice, "Share")
    [confirm] = await harness.wait(lambda: harness.messages(ALICE, "Share this video"))

    feed_server.serve(make_feed([revision(2)]))
    await coordinator.async_refresh()
    for shown in (alice, bob):
        await harness.wait(lambda shown=shown: SUMMARY_2 in shown["text"])
        labels = [b["text"] for b in shown["reply_markup"]["inline_keyboard"][0]]
        assert labels == ["Preview", "Share", "Decline"]
    # The scope changed: the open confirmation is withdrawn, not confirmable.
    await harness.wait(lambda: confirm["text"] == "Not shared.")
    for user in (ALICE, BOB):
        assert len(harness.sent(user, "Case number")) == 1
        assert len(venues(botapi, user)) == 1  # the area did not move

    moved = {"circle": {"lat": 41.6010, "lon": -73.0005, "radius_m": 250.0}}
    feed_server.serve(make_feed([revision(3, area=moved)]))
    await coordinator.async_refresh()
    await harness.wait(lambda: len(venues(botapi, ALICE)) == 2)
    pin = venues(botapi, ALICE)[-1]
    assert pin["venue"]["location"] == {"latitude": 41.601, "longitude": -73.0005}
    assert pin["reply_to_message"]["message_id"] == alice["message_id"]
    assert len(harness.sent(ALICE, "Case number")) == 1
    answer = await harness.tap(BOB, bob, "Decline")  # the new buttons work
    assert answer["text"].startswith("❌ Declined by Bob")
    assert next(iter(coordinator.store)).revision == 3


async def test_every_member_sees_who_decided(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
) -> None:
    await link(harness, hass_ws_client, hass, ALICE)
    await link(harness, hass_ws_client, hass, BOB)
    alice = await harness.request_message(ALICE)
    bob = await harness.request_message(BOB)
    old_decline = button(bob, "Decline")
    answer = await harness.tap(ALICE, alice, "Decline")
    assert answer["text"].startswith("❌ Declined by Alice")
    await harness.wait(lambda: "❌ Declined by Alice" in bob["text"])
    assert "reply_markup" not in bob
    late = await harness.tap_data(BOB, BOB, bob["message_id"], old_decline)
    assert late == {"text": "Already decided by Alice.", "show_alert": True}
    decision = next(iter(nr_entry.runtime_data.coordinator.store)).decision
    assert (decision.decision, decision.telegram_user) == ("decline", str(ALICE))


async def test_a_share_shows_each_clips_upload(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
    tmp_path: Path,
) -> None:
    from tests.integration.test_share_handoff import DiskExporter, ListOutbox

    nr_entry.runtime_data.exporter = DiskExporter(tmp_path)
    nr_entry.runtime_data.outbox = ListOutbox()
    coordinator = nr_entry.runtime_data.coordinator
    await link(harness, hass_ws_client, hass, ALICE)
    await link(harness, hass_ws_client, hass, BOB)
    alice = await harness.request_message(ALICE)
    bob = await harness.request_message(BOB)
    await harness.tap(ALICE, alice, "Share")
    [confirm] = await harness.wait(lambda: harness.messages(ALICE, "Share this video"))
    answer = await harness.tap(ALICE, confirm, "Confirm share")
    assert answer["text"].startswith("✅ Shared by Alice")
    assert "Handed to the upload queue: camera.porch, camera.hall" in answer["text"]
    await harness.wait(lambda: "✅ Shared by Alice" in bob["text"])

    # The delivery code: one clip accepted by the inbox, one still uploading.
    now = datetime.now(UTC)
    record = next(iter(coordinator.store))
    record = record.with_delivery(
        Delivery("camera.porch", "delivered", SHA, 12_345_678, None, now)
    ).with_delivery(Delivery("camera.hall", "uploading", SHA, 2_000, None, now))
    coordinator.store.put(record)
    coordinator.fire("shared", record)
    for shown in (alice, bob):
        await harness.wait(
            lambda shown=shown: (
                "camera.porch: uploaded, 12.3 MB, SHA-256 3fa4c1…" in shown["text"]
            )
        )
        assert "camera.hall: uploading…" in shown["text"]
        assert "✅ Shared by Alice" in shown["text"]
        assert "reply_markup" not in shown

    # The inbox refuses the other clip: no event, and still every chat shows it.
    record = record.with_delivery(
        Delivery(
            "camera.hall",
            "failed",
            SHA,
            2_000,
            "413: clip too large",
            now,
            "inbox_refused",
            {"detail": "413: clip too large"},
        )
    )
    coordinator.store.put(record)
    coordinator.async_update_listeners()
    for shown in (alice, bob):
        await harness.wait(
            lambda shown=shown: (
                "camera.hall: not delivered: the inbox refused the clip: "
                "413: clip too large" in shown["text"]
            )
        )


async def test_errors_reach_the_resident_as_text_in_their_language(  # noqa: PLR0917
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    hass_read_only_access_token: str,
    hass_read_only_user: Any,
    nr_entry: ConfigEntry,
) -> None:
    """Home Assistant's refusal, in German; then, unlinked, the bot forgets it."""
    admin = await hass_ws_client(hass)
    await admin.send_json_auto_id(
        {
            "type": "neighborhood_requests/pairing/create",
            "user_id": hass_read_only_user.id,
        }
    )
    code = (await admin.receive_json())["result"]["code"]
    await harness.say(ALICE, f"/link {code}", "Linked as")
    await harness.say(ALICE, "/language de", "Deutsch")
    answer = await harness.say(ALICE, "/report", "Home Assistant meldet")
    assert answer["text"] == (
        "Home Assistant meldet: Nur die Personen, die entscheiden dürfen, und "
        "Administratoren können den Transparenzbericht und den Verlauf lesen"
    )
    # Unlinked in Home Assistant (by the resident): the bot says so and forgets it.
    client = await hass_ws_client(hass, hass_read_only_access_token)
    await client.send_json_auto_id(
        {"type": "neighborhood_requests/recipients", "unlink": str(ALICE)}
    )
    assert (await client.receive_json())["success"]
    again = await harness.say(ALICE, "/history", "Dieser Chat ist mit keinem")
    assert again["text"].startswith("Dieser Chat ist mit keinem")
    assert ALICE not in harness.bot.state.linked
    assert next(iter(nr_entry.runtime_data.coordinator.store)).state == "pending"


async def test_a_decision_the_bot_had_not_heard_of_yet(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
    hass_admin_user: Any,
) -> None:
    """HA refuses a tap on a request decided a moment ago; the name follows."""
    from custom_components.neighborhood_requests.requests.store import Decision

    coordinator = nr_entry.runtime_data.coordinator
    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    record = next(iter(coordinator.store))
    decided = record.evolve(
        state="declined",
        decision=Decision("decline", hass_admin_user.id, datetime.now(UTC)),
    )
    coordinator.store.put(decided)  # no event, no update yet: the bot is behind
    answer = await harness.tap(ALICE, message, "Decline")
    assert answer["text"] == "This request is no longer open."
    coordinator.async_update_listeners()
    await harness.wait(lambda: "❌ Declined by Mock User" in message["text"])
    assert "reply_markup" not in message


async def test_a_tap_on_a_request_that_just_expired(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Callable[..., Any],
    nr_entry: ConfigEntry,
) -> None:
    from dataclasses import replace
    from datetime import timedelta

    coordinator = nr_entry.runtime_data.coordinator
    await link(harness, hass_ws_client, hass, ALICE)
    message = await harness.request_message(ALICE)
    record = next(iter(coordinator.store))
    assert record.request is not None
    past = datetime.now(UTC) - timedelta(minutes=1)
    coordinator.store.put(
        record.evolve(request=replace(record.request, expires_at=past))
    )
    answer = await harness.tap(ALICE, message, "Decline")
    assert answer["text"] == "This request is no longer open."
    await harness.wait(lambda: "⌛ Expired without a decision." in message["text"])
    assert next(iter(coordinator.store)).decision is None
