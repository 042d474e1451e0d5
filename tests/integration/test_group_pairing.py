"""Group chats: linked only with a group code, listed as groups, never deciders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from custom_components.neighborhood_requests.consent.recipients import Recipients
from custom_components.neighborhood_requests.const import DOMAIN

type ClientFactory = Callable[..., Awaitable[Any]]

GROUP_CHAT = "-1001234567890"


async def command(client: Any, **msg: Any) -> dict[str, Any]:
    await client.send_json_auto_id(msg)
    response: dict[str, Any] = await client.receive_json()
    return response


async def complete(client: Any, code: str, chat: str, *, group: bool) -> Any:
    return await command(
        client,
        type=f"{DOMAIN}/pairing/complete",
        code=code,
        telegram_user_id=chat,
        name="Elm Street" if group else "Alex",
        group=group,
    )


async def test_a_group_code_links_only_a_group(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_admin_user: User,
) -> None:
    client = await hass_ws_client(hass)
    created = await command(client, type=f"{DOMAIN}/pairing/create", group=True)
    assert created["result"]["group"] is True
    code = created["result"]["code"]
    # Sent in a private chat: refused, and still good for the group.
    private = await complete(client, code, "42", group=False)
    assert private["error"]["code"] == "group_code_in_private_chat"
    assert "send it in the group" in private["error"]["message"]
    linked = await complete(client, code, GROUP_CHAT, group=True)
    assert linked["success"], linked
    assert linked["result"]["kind"] == "group"
    assert linked["result"]["name"] == "Elm Street"
    assert linked["result"]["user_id"] == hass_admin_user.id
    # The list shows it as a group; a personal code made meanwhile stays apart.
    personal = await command(client, type=f"{DOMAIN}/pairing/create")
    assert personal["result"]["group"] is False
    assert (await complete(client, personal["result"]["code"], "42", group=False))[
        "success"
    ]
    listed = (await command(client, type=f"{DOMAIN}/recipients"))["result"]
    kinds = {r["telegram_user_id"]: r["kind"] for r in listed["recipients"]}
    assert kinds == {GROUP_CHAT: "group", "42": "user"}
    # Kept across a restart (the store), kind included.
    reloaded = Recipients(hass)
    await reloaded.async_load()
    group = reloaded.get(GROUP_CHAT)
    assert group is not None
    assert group.kind == "group"
    # A group never decides: its members answer as themselves.
    refused = await command(
        client,
        type=f"{DOMAIN}/respond",
        config_entry_id=entry.entry_id,
        request_id="wpd-2026-0412",
        decision="decline",
        telegram_user_id=GROUP_CHAT,
    )
    assert refused["error"]["code"] == "unauthorized"
    assert next(iter(entry.runtime_data.coordinator.store)).state == "pending"
    # Unlinking works for a group like for a person.
    after = await command(client, type=f"{DOMAIN}/recipients", unlink=GROUP_CHAT)
    assert [r["kind"] for r in after["result"]["recipients"]] == ["user"]


async def test_a_personal_code_sent_in_a_group_is_voided(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: ClientFactory
) -> None:
    client = await hass_ws_client(hass)
    code = (await command(client, type=f"{DOMAIN}/pairing/create"))["result"]["code"]
    in_group = await complete(client, code, GROUP_CHAT, group=True)
    assert in_group["error"]["code"] == "personal_code_in_group"
    assert "void" in in_group["error"]["message"]
    # Everyone in the group read it: it cannot link anyone any more.
    late = await complete(client, code, "42", group=False)
    assert late["error"]["code"] == "invalid_code"
    listed = (await command(client, type=f"{DOMAIN}/recipients"))["result"]
    assert listed["recipients"] == []
