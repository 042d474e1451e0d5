"""The bot's websocket API: subscribe, respond, pairing and recipients."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
import pytest

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.recipients import MAX_FAILED_ATTEMPTS
from tests.protocol.factories import make_feed

from .conftest import FeedServer, request_now

type WsClient = Any
type ClientFactory = Callable[..., Awaitable[WsClient]]


async def command(client: WsClient, **msg: Any) -> dict[str, Any]:
    await client.send_json_auto_id(msg)
    response: dict[str, Any] = await client.receive_json()
    return response


async def pair(admin: WsClient, bot: WsClient, telegram_user_id: str) -> None:
    created = await command(admin, type=f"{DOMAIN}/pairing/create")
    assert created["success"]
    code = created["result"]["code"]
    assert len(code) == 6
    assert code.isdigit()
    done = await command(
        bot,
        type=f"{DOMAIN}/pairing/complete",
        code=code,
        telegram_user_id=telegram_user_id,
        name="Alex",
    )
    assert done["success"], done


async def test_subscribe_snapshot_then_changes(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_ws_client: ClientFactory,
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": f"{DOMAIN}/subscribe"})
    assert (await client.receive_json())["success"]
    snapshot = (await client.receive_json())["event"]["snapshot"]
    [request] = snapshot
    assert request["request_id"] == "wpd-2026-0412"
    assert request["publisher_name"] == "Wolcott Police Department"
    assert request["verified"] is True
    assert request["case_number"] == "24-1187"
    assert request["legal_basis"] == "voluntary"
    assert request["distance_m"] == 0
    assert request["cameras"] == ["camera.porch", "camera.hall"]
    assert "latitude" not in str(request)

    feed_server.serve(make_feed([request_now(), request_now(id="new-1")]))
    await entry.runtime_data.coordinator.async_refresh()
    change = (await client.receive_json())["event"]
    assert change["event"] == "received"
    assert change["request"]["request_id"] == "new-1"

    await client.send_json_auto_id({"type": "unsubscribe_events", "subscription": 1})
    assert (await client.receive_json())["success"]


async def test_subscribe_shows_nothing_to_non_deciders(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_read_only_access_token: str,
) -> None:
    client = await hass_ws_client(hass, hass_read_only_access_token)
    await client.send_json_auto_id({"type": f"{DOMAIN}/subscribe"})
    assert (await client.receive_json())["success"]
    assert (await client.receive_json())["event"]["snapshot"] == []


async def test_respond_over_websocket(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_admin_user: User,
) -> None:
    client = await hass_ws_client(hass)
    base = {
        "type": f"{DOMAIN}/respond",
        "config_entry_id": entry.entry_id,
        "request_id": "wpd-2026-0412",
    }
    refused = await command(client, **base, decision="share", cameras=["camera.x"])
    assert refused["error"]["code"] == "camera_not_linked"
    shared = await command(client, **base, decision="share")
    assert shared["error"]["code"] == "no_export_backend"
    again = await command(client, **base, decision="decline")
    assert again["error"]["code"] == "already_decided"
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.decision is not None
    assert record.decision.user_id == hass_admin_user.id


@pytest.mark.parametrize(
    "msg",
    [
        {"decision": "maybe"},
        {"decision": "share", "cameras": "camera.porch"},
        {"decision": "share", "include_audio": "loud"},
        {},
    ],
)
async def test_respond_rejects_bad_arguments(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    msg: dict[str, Any],
) -> None:
    client = await hass_ws_client(hass)
    response = await command(
        client,
        type=f"{DOMAIN}/respond",
        config_entry_id=entry.entry_id,
        request_id="wpd-2026-0412",
        **msg,
    )
    assert response["error"]["code"] == "invalid_format"
    assert next(iter(entry.runtime_data.coordinator.store)).state == "pending"


async def test_respond_to_an_unknown_feed(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: ClientFactory
) -> None:
    client = await hass_ws_client(hass)
    response = await command(
        client,
        type=f"{DOMAIN}/respond",
        config_entry_id="nope",
        request_id="wpd-2026-0412",
        decision="decline",
    )
    assert response["error"]["code"] == "not_found"


async def test_telegram_user_decides_as_the_paired_resident(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_admin_user: User,
    hass_read_only_access_token: str,
) -> None:
    """The decision is the resident's, with the Telegram user recorded beside it."""
    admin = await hass_ws_client(hass)
    bot = await hass_ws_client(hass, hass_read_only_access_token)
    await pair(admin, bot, "777")
    base = {
        "type": f"{DOMAIN}/respond",
        "config_entry_id": entry.entry_id,
        "request_id": "wpd-2026-0412",
        "decision": "decline",
    }
    stranger = await command(bot, **base, telegram_user_id="999")
    assert stranger["error"]["code"] == "unauthorized"
    # A non-admin cannot act for a resident other than itself.
    impostor = await command(bot, **base, telegram_user_id="777")
    assert impostor["error"]["code"] == "unauthorized"
    done = await command(admin, **base, telegram_user_id="777")
    assert done["result"] == {"state": "declined"}
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.decision is not None
    assert record.decision.user_id == hass_admin_user.id
    assert record.decision.telegram_user == "777"


async def test_pairing_codes_are_single_use_and_expire(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    freezer: FrozenDateTimeFactory,
) -> None:
    client = await hass_ws_client(hass)
    code = (await command(client, type=f"{DOMAIN}/pairing/create"))["result"]["code"]
    complete = {
        "type": f"{DOMAIN}/pairing/complete",
        "telegram_user_id": 42,
        "name": "Sam",
    }
    assert (await command(client, **complete, code=code))["success"]
    reused = await command(client, **complete, code=code)
    assert reused["error"]["code"] == "invalid_code"

    code = (await command(client, type=f"{DOMAIN}/pairing/create"))["result"]["code"]
    freezer.tick(timedelta(minutes=11))
    expired = await command(client, **complete, code=code)
    assert expired["error"]["code"] == "invalid_code"

    bad = await command(client, **complete, code="12ab56")
    assert bad["error"]["code"] == "invalid_format"


async def test_guessing_codes_voids_them(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: ClientFactory
) -> None:
    client = await hass_ws_client(hass)
    code = (await command(client, type=f"{DOMAIN}/pairing/create"))["result"]["code"]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(MAX_FAILED_ATTEMPTS):
        await command(
            client,
            type=f"{DOMAIN}/pairing/complete",
            code=wrong,
            telegram_user_id="1",
            name="x",
        )
    late = await command(
        client,
        type=f"{DOMAIN}/pairing/complete",
        code=code,
        telegram_user_id="1",
        name="x",
    )
    assert late["error"]["code"] == "invalid_code"


async def test_recipients_list_and_unlink(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_read_only_access_token: str,
    hass_storage: dict[str, Any],
) -> None:
    admin = await hass_ws_client(hass)
    user = await hass_ws_client(hass, hass_read_only_access_token)
    await pair(admin, user, "100")
    await pair(user, user, "200")

    everyone = await command(admin, type=f"{DOMAIN}/recipients")
    assert {r["telegram_user_id"] for r in everyone["result"]["recipients"]} == {
        "100",
        "200",
    }
    own = await command(user, type=f"{DOMAIN}/recipients")
    assert [r["telegram_user_id"] for r in own["result"]["recipients"]] == ["200"]

    denied = await command(user, type=f"{DOMAIN}/recipients", unlink="100")
    assert denied["error"]["code"] == "not_found"
    unlinked = await command(user, type=f"{DOMAIN}/recipients", unlink="200")
    assert unlinked["result"]["recipients"] == []

    # Linked recipients outlive a restart of the integration.
    from custom_components.neighborhood_requests.recipients import Recipients

    recipients = Recipients(hass)
    await recipients.async_load()
    assert [r.telegram_user_id for r in recipients.list()] == ["100"]
