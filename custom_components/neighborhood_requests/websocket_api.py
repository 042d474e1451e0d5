"""Websocket commands for the companion bot (and any other client).

A non-admin user cannot subscribe to custom events over the websocket, so the bot
gets its own `subscribe`. Consent rules are the same as for the `respond` action:
every command goes through `consent.respond`; nothing here decides anything.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import (
    async_response,
    websocket_command,
)
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util.hass_dict import HassKey
import probatio

from .consent import Response, preview, respond, user_may_decide
from .const import DECISION_DECLINE, DECISION_SHARE, DOMAIN
from .coordinator import FeedCoordinator
from .recipients import PairingError, Recipients
from .request_view import for_chat
from .store import RequestRecord

RECIPIENTS: HassKey[Recipients] = HassKey(f"{DOMAIN}_recipients")


def _coordinators(hass: HomeAssistant) -> list[FeedCoordinator]:
    return [
        entry.runtime_data.coordinator
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    ]


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register every command; called once from `async_setup`."""
    for command in (
        ws_subscribe,
        ws_respond,
        ws_preview,
        ws_pairing_create,
        ws_pairing_complete,
        ws_recipients,
    ):
        async_register_command(hass, command)


@websocket_command({probatio.Required("type"): f"{DOMAIN}/subscribe"})
@callback
def ws_subscribe(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Pending requests the caller may decide on now, then every change.

    Only feeds whose deciders include the caller are shown: who may see a
    request is who may answer it.
    """
    unsubs: list[CALLBACK_TYPE] = []
    snapshot: list[dict[str, Any]] = []
    for coordinator in _coordinators(hass):
        if not user_may_decide(coordinator.settings, connection.user):
            continue
        snapshot.extend(for_chat(coordinator, r) for r in coordinator.data.pending)

        @callback
        def forward(
            event_type: str,
            record: RequestRecord,
            coordinator: FeedCoordinator = coordinator,
        ) -> None:
            connection.send_message(
                event_message(
                    msg["id"],
                    {"event": event_type, "request": for_chat(coordinator, record)},
                )
            )

        unsubs.append(coordinator.async_add_event_listener(forward))

    @callback
    def unsubscribe() -> None:
        for unsub in unsubs:
            unsub()

    connection.subscriptions[msg["id"]] = unsubscribe
    connection.send_result(msg["id"])
    connection.send_message(event_message(msg["id"], {"snapshot": snapshot}))


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/respond",
        probatio.Required("config_entry_id"): str,
        probatio.Required("request_id"): str,
        probatio.Required("decision"): probatio.In([DECISION_SHARE, DECISION_DECLINE]),
        probatio.Optional("cameras"): [str],
        probatio.Optional("include_audio", default=False): bool,
        probatio.Optional("telegram_user_id"): str,
    }
)
@async_response
async def ws_respond(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Decide on a request as the caller, or as the resident a Telegram user is.

    Acting for a linked Telegram user needs that user's own login or an admin
    (the bot's account): otherwise anyone could answer in someone else's name.
    """
    coordinator = _loaded_entry(hass, msg["config_entry_id"])
    if coordinator is None:
        connection.send_error(msg["id"], "not_found", "Unknown feed")
        return
    user_id = connection.user.id
    telegram_user = msg.get("telegram_user_id")
    if telegram_user is not None:
        recipient = hass.data[RECIPIENTS].get(telegram_user)
        if recipient is None or not (
            connection.user.is_admin or recipient.user_id == connection.user.id
        ):
            connection.send_error(msg["id"], "unauthorized", "Unknown recipient")
            return
        user_id = recipient.user_id
    cameras = msg.get("cameras")
    try:
        record = await respond(
            hass,
            coordinator,
            Response(
                request_id=msg["request_id"],
                decision=msg["decision"],
                cameras=tuple(cameras) if cameras is not None else None,
                include_audio=msg["include_audio"],
                user_id=user_id,
                telegram_user=telegram_user,
            ),
        )
    except HomeAssistantError as err:
        connection.send_error(
            msg["id"], err.translation_key or "unknown_error", str(err)
        )
        return
    connection.send_result(msg["id"], {"state": record.state})


def _loaded_entry(hass: HomeAssistant, entry_id: str) -> FeedCoordinator | None:
    entry = hass.config_entries.async_get_entry(entry_id)
    if (
        entry is None
        or entry.domain != DOMAIN
        or entry.state is not ConfigEntryState.LOADED
    ):
        return None
    coordinator: FeedCoordinator = entry.runtime_data.coordinator
    return coordinator


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/preview",
        probatio.Required("config_entry_id"): str,
        probatio.Required("request_id"): str,
        probatio.Required("camera"): str,
    }
)
@async_response
async def ws_preview(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """A media-source id of the caller's preview; resolve it to download the clip."""
    coordinator = _loaded_entry(hass, msg["config_entry_id"])
    if coordinator is None:
        connection.send_error(msg["id"], "not_found", "Unknown feed")
        return
    try:
        media_content_id, clip = await preview(
            hass, coordinator, msg["request_id"], msg["camera"], connection.user.id
        )
    except HomeAssistantError as err:
        code = err.translation_key or "unknown_error"
        connection.send_error(msg["id"], code, str(err))
        return
    connection.send_result(
        msg["id"], {"media_content_id": media_content_id, "bytes": clip.bytes}
    )


@websocket_command({probatio.Required("type"): f"{DOMAIN}/pairing/create"})
@callback
def ws_pairing_create(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """A 6-digit single-use code, valid 10 minutes, bound to the caller."""
    code, expires_at = hass.data[RECIPIENTS].create_code(connection.user.id)
    connection.send_result(
        msg["id"], {"code": code, "expires_at": expires_at.isoformat()}
    )


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/pairing/complete",
        probatio.Required("code"): probatio.All(str, probatio.Match(r"^\d{6}$")),
        probatio.Required("telegram_user_id"): probatio.All(
            probatio.Coerce(str), probatio.Length(min=1, max=32)
        ),
        probatio.Required("name"): probatio.All(str, probatio.Length(max=128)),
    }
)
@async_response
async def ws_pairing_complete(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Link a Telegram user to the resident who created the code."""
    try:
        recipient = await hass.data[RECIPIENTS].async_complete(
            msg["code"], msg["telegram_user_id"], msg["name"]
        )
    except PairingError as err:
        connection.send_error(msg["id"], err.reason, "Invalid or expired code")
        return
    connection.send_result(msg["id"], recipient.as_dict())


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/recipients",
        probatio.Optional("unlink"): str,
    }
)
@async_response
async def ws_recipients(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """List linked recipients (all for an admin, own otherwise), or unlink one."""
    recipients = hass.data[RECIPIENTS]
    own = None if connection.user.is_admin else connection.user.id
    if (telegram_user := msg.get("unlink")) is not None:
        recipient = recipients.get(telegram_user)
        if recipient is None or own not in (None, recipient.user_id):
            connection.send_error(msg["id"], "not_found", "Unknown recipient")
            return
        await recipients.async_unlink(telegram_user)
    connection.send_result(
        msg["id"], {"recipients": [r.as_dict() for r in recipients.list(own)]}
    )
