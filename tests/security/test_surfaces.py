"""Item 1: every surface asks the one access model, and every refusal is audited.

Each test is an attack by someone who may not decide (an ordinary user, a
read-only user, an administrator the owner did not list), through a real
surface: the websocket API, the actions, the pause switch, the repairs flow, a
phone's notification button. Each asserts what the attacker got (a refusal in
their language, nothing changed) and that the audit log names who tried what,
where, about which request.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant, ServiceCall
import pytest

from custom_components.neighborhood_requests.consent.access import AccessDenied
from custom_components.neighborhood_requests.consent.mobile_notify import (
    ACTION_EVENT,
    action_id,
)
from custom_components.neighborhood_requests.const import DOMAIN
from tests.integration.conftest import entity_id
from tests.integration.test_share_handoff import DiskExporter

from .conftest import REQUEST_ID, audit, command, person, refusals, state_of


async def test_a_resident_who_may_not_decide_gets_nothing_over_the_websocket(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: Any, tmp_path: Any
) -> None:
    """Eve, an ordinary user, subscribes, decides, previews and poses as the bot."""
    eve, token = await person(hass, "Eve")
    exporter = entry.runtime_data.exporter = DiskExporter(tmp_path)
    client = await hass_ws_client(hass, token)

    await client.send_json_auto_id({"type": f"{DOMAIN}/subscribe"})
    assert (await client.receive_json())["success"]
    first = (await client.receive_json())["event"]
    assert first == {"snapshot": [], "decided": []}

    relay = await command(client, type=f"{DOMAIN}/subscribe", relay=True)
    assert relay["error"]["code"] == "not_allowed_manage_links"

    base = {"config_entry_id": entry.entry_id, "request_id": REQUEST_ID}
    decided = await command(
        client, type=f"{DOMAIN}/respond", decision="share", language="de", **base
    )
    assert decided["error"] == {
        "code": "not_allowed_decide",
        "message": "Nur die Personen, die entscheiden dürfen, können eine "
        "Videoanfrage teilen oder ablehnen",
    }
    previewed = await command(
        client, type=f"{DOMAIN}/preview", camera="camera.porch", **base
    )
    assert previewed["error"]["code"] == "not_allowed_preview"
    assert previewed["error"]["message"] == (
        "Only the people allowed to decide can preview footage"
    )
    # Probing for request ids teaches her nothing: the same refusal.
    probe = await command(
        client,
        type=f"{DOMAIN}/respond",
        decision="decline",
        config_entry_id=entry.entry_id,
        request_id="does-not-exist",
    )
    assert probe["error"]["code"] == "not_allowed_decide"

    assert exporter.calls == []
    assert state_of(entry) == "pending"
    assert refusals(entry, user_id=eve.id, surface="websocket", action="decide") == [
        {
            "type": "refused",
            "action": "decide",
            "surface": "websocket",
            "user_id": eve.id,
            "telegram_user": None,
            "request_id": REQUEST_ID,
        },
        {
            "type": "refused",
            "action": "decide",
            "surface": "websocket",
            "user_id": eve.id,
            "telegram_user": None,
            "request_id": "does-not-exist",
        },
    ]
    assert len(refusals(entry, user_id=eve.id, action="preview")) == 1


async def test_the_actions_refuse_someone_who_may_not_act(
    hass: HomeAssistant, entry: ConfigEntry, hass_read_only_user: Any, tmp_path: Any
) -> None:
    """A read-only user calls every action; an automation may only report and poll."""
    exporter = entry.runtime_data.exporter = DiskExporter(tmp_path)
    target = {"config_entry_id": entry.entry_id}
    calls: list[tuple[str, dict[str, Any], str]] = [
        ("respond", {"request_id": REQUEST_ID, "decision": "share"}, "decide"),
        ("preview", {"request_id": REQUEST_ID, "camera": "camera.porch"}, "preview"),
        ("refresh", {}, "refresh"),
        ("transparency_report", {}, "report"),
        ("verify_audit_log", {}, "audit"),
    ]
    for service, data, action in calls:
        with pytest.raises(AccessDenied) as err:
            await hass.services.async_call(
                DOMAIN,
                service,
                target | data,
                blocking=True,
                return_response=service in {"preview", "transparency_report"}
                or service == "verify_audit_log",
                context=Context(user_id=hass_read_only_user.id),
            )
        assert err.value.translation_key == f"not_allowed_{action}"
        assert refusals(
            entry, user_id=hass_read_only_user.id, surface="action", action=action
        ), action
    assert exporter.calls == []
    assert state_of(entry) == "pending"

    # The owner's automation (no user) reports and polls, but never decides.
    report = await hass.services.async_call(
        DOMAIN, "transparency_report", target, blocking=True, return_response=True
    )
    assert report is not None
    assert report["publishers"]["wolcott-pd"]["received"] == 1
    with pytest.raises(AccessDenied):
        await hass.services.async_call(
            DOMAIN,
            "respond",
            target | {"request_id": REQUEST_ID, "decision": "share"},
            blocking=True,
        )
    assert state_of(entry) == "pending"


async def test_an_ordinary_user_cannot_pause_requests(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: Any
) -> None:
    """Eve may control entities in general, but not this switch."""
    eve, _ = await person(hass, "Eve")
    switch = entity_id(hass, "switch")
    with pytest.raises(AccessDenied) as err:
        await hass.services.async_call(
            "switch",
            "turn_on",
            {"entity_id": switch},
            blocking=True,
            context=Context(user_id=eve.id),
        )
    assert err.value.translation_key == "not_allowed_pause"
    assert hass.states.get(switch).state == "off"
    assert entry.runtime_data.coordinator.store.paused is False
    assert refusals(entry, user_id=eve.id, surface="switch", action="pause")

    await hass.services.async_call(
        "switch",
        "turn_on",
        {"entity_id": switch},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    assert hass.states.get(switch).state == "on"
    paused = [e for e in audit(entry) if e["type"] == "paused"]
    assert paused == [
        {
            "type": "paused",
            "user_id": hass_admin_user.id,
            "telegram_user": None,
            "surface": "switch",
        }
    ]


async def test_an_administrator_the_owner_did_not_list_cannot_decide_in_the_panel(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: Any,
    hass_admin_user: Any,
) -> None:
    """The panel is open to administrators; its decisions only to deciders."""
    dana, _ = await person(hass, "Dana", admin=True)
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "deciders": [dana.id]}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": f"{DOMAIN}/panel/respond",
            "entry_id": entry.entry_id,
            "request_id": REQUEST_ID,
            "decision": "share",
        }
    )
    reply = await client.receive_json()
    assert reply["error"]["code"] == "not_allowed_decide"
    assert state_of(entry) == "pending"
    assert refusals(
        entry,
        user_id=hass_admin_user.id,
        surface="websocket",
        action="decide",
        request_id=REQUEST_ID,
    )


async def test_the_phone_of_someone_who_may_not_decide_shares_nothing(
    hass: HomeAssistant, entry: ConfigEntry, tmp_path: Any
) -> None:
    """Eve's phone got the notification; its Share and Confirm buttons do nothing."""
    eve, _ = await person(hass, "Eve")
    sent: list[dict[str, Any]] = []

    async def phone(call: ServiceCall) -> None:
        sent.append(dict(call.data))

    hass.services.async_register("notify", "mobile_app_eves_phone", phone)
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "notify_targets": ["mobile_app_eves_phone"]}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    sent.clear()  # the request's own notification, which the owner chose to send
    exporter = entry.runtime_data.exporter = DiskExporter(tmp_path)
    for kind in ("SHARE", "CONFIRM", "DECLINE"):
        hass.bus.async_fire(
            ACTION_EVENT,
            {"action": action_id(kind, entry.entry_id, REQUEST_ID)},
            context=Context(user_id=eve.id),
        )
        await hass.async_block_till_done()
    assert sent == []  # not even the confirmation
    assert exporter.calls == []
    assert state_of(entry) == "pending"
    assert len(refusals(entry, user_id=eve.id, surface="mobile_app")) == 3
