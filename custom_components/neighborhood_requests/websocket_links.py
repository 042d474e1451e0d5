"""Websocket commands for Telegram links: pairing codes, completing them, unlinking.

The access model decides who may link whom: a decider links their own Telegram
account (`Action.LINK_SELF`); an administrator links anyone, themselves
included, and any group (`Action.MANAGE_LINKS`). Only an administrator's
connection completes a pairing, because only the bot, which saw the Telegram
user send the code, can vouch for that Telegram id; a code's own rules (expiry,
throttling, takeover) are in `consent.recipients`. Everyone may unlink their own
links; only administrators unlink other people's.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import (
    async_response,
    websocket_command,
)
from homeassistant.core import HomeAssistant, callback
import probatio

from .consent.access import (
    AccessDenied,
    Action,
    Surface,
    async_require_anywhere,
    async_user,
    is_admin,
)
from .consent.people import RECIPIENTS
from .consent.recipients import PairingError
from .const import DOMAIN
from .websocket_api import LANGUAGE, TELEGRAM_USER, refusal_error, send_error


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register the link commands; called once from `async_setup`."""
    for command in (ws_pairing_create, ws_pairing_complete, ws_recipients):
        async_register_command(hass, command)


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/pairing/create",
        probatio.Optional("group", default=False): bool,
        probatio.Optional("user_id"): str,
        probatio.Optional("language"): LANGUAGE,
    }
)
@async_response
async def ws_pairing_create(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """A 6-digit single-use code, valid 10 minutes, for the caller or `user_id`.

    With `group`, the code links a Telegram group chat (sent there as
    `/link CODE`) instead of a person: groups are linked only on purpose, and
    only by an administrator. A code for someone else also needs one.
    """
    caller = connection.user
    target_id: str = msg.get("user_id", caller.id)
    own = target_id == caller.id and not msg["group"]
    action = Action.LINK_SELF if own and not is_admin(caller) else Action.MANAGE_LINKS
    try:
        await async_require_anywhere(hass, caller.id, action, surface=Surface.WEBSOCKET)
    except AccessDenied as err:
        await send_error(hass, connection, msg, err)
        return
    target = await async_user(hass, target_id)
    if target is None or not target.is_active or target.system_generated:
        error = refusal_error("unknown_user", user_id=target_id)
        await send_error(hass, connection, msg, error, "not_found")
        return
    code, expires_at = hass.data[RECIPIENTS].create_code(
        target.id, created_by=caller.id, by_admin=is_admin(caller), group=msg["group"]
    )
    connection.send_result(
        msg["id"],
        {
            "code": code,
            "expires_at": expires_at.isoformat(),
            "group": msg["group"],
            "user_id": target.id,
        },
    )


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/pairing/complete",
        probatio.Required("code"): probatio.All(str, probatio.Match(r"^\d{6}$")),
        probatio.Required("telegram_user_id"): TELEGRAM_USER,
        probatio.Required("name"): probatio.All(str, probatio.Length(max=128)),
        probatio.Optional("group", default=False): bool,
        probatio.Optional("language"): LANGUAGE,
    }
)
@async_response
async def ws_pairing_complete(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Link a Telegram user (or, with `group`, a group chat) to the code's resident.

    For a group, `telegram_user_id` is the group's chat id and `name` its
    title; only a code created with `group` links one. Refusals are the error
    codes `invalid_code`, `group_code_in_private_chat`, `personal_code_in_group`,
    `already_linked` and `too_many_attempts`.
    """
    try:
        await async_require_anywhere(
            hass,
            connection.user.id,
            Action.MANAGE_LINKS,
            surface=Surface.WEBSOCKET,
            telegram_user=msg["telegram_user_id"],
        )
        recipient = await hass.data[RECIPIENTS].async_complete(
            msg["code"], msg["telegram_user_id"], msg["name"], group=msg["group"]
        )
    except AccessDenied as err:
        await send_error(hass, connection, msg, err)
        return
    except PairingError as err:
        error = refusal_error(f"pairing_{err.reason}")
        await send_error(hass, connection, msg, error, err.reason)
        return
    connection.send_result(msg["id"], recipient.as_dict())


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/recipients",
        probatio.Optional("unlink"): str,
        probatio.Optional("language"): LANGUAGE,
    }
)
@async_response
async def ws_recipients(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """List linked recipients (all for an admin, own otherwise), or unlink one.

    Someone who is not an administrator unlinking anything but their own link
    gets the same refusal whether or not that link exists.
    """
    recipients = hass.data[RECIPIENTS]
    caller = connection.user
    own = None if is_admin(caller) else caller.id
    if (telegram_user := msg.get("unlink")) is not None:
        recipient = recipients.get(telegram_user)
        if own is not None and (recipient is None or recipient.user_id != own):
            try:
                await async_require_anywhere(
                    hass,
                    caller.id,
                    Action.MANAGE_LINKS,
                    surface=Surface.WEBSOCKET,
                    telegram_user=telegram_user,
                )
            except AccessDenied as err:
                await send_error(hass, connection, msg, err)
                return
        if recipient is None:
            error = refusal_error("unknown_recipient")
            await send_error(hass, connection, msg, error, "not_found")
            return
        await recipients.async_unlink(telegram_user, by=caller.id)
    connection.send_result(
        msg["id"], {"recipients": [r.as_dict() for r in recipients.list(own)]}
    )
