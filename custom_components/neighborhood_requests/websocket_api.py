"""Websocket commands for the companion bot (and any other client).

A non-admin user cannot subscribe to custom events over the websocket, so the bot
gets its own `subscribe` (the per-connection part is `chat_subscription`). Consent
rules are the same as for the `respond` action: every command goes through
`consent.respond`; nothing here decides anything. Errors carry a message in the
caller's `language` when one is given, since the bot shows them to a resident.
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
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.translation import async_get_translations
import probatio

from .consent.chat_subscription import (
    RECIPIENTS,
    ChatSubscription,
    chat_view,
    decider_names,
    recent_decisions,
)
from .consent.decisions import Response, preview, respond, user_may_decide
from .consent.recipients import KIND_USER, PairingError
from .const import DECISION_DECLINE, DECISION_SHARE, DOMAIN, LOGGER
from .coordinator import FeedCoordinator
from .export.result import ExportError, gap_views
from .footage.excerpt import EXCERPT_SECONDS, async_excerpt
from .footage.preview import PREVIEWS
from .requests.store import record_key

# RECIPIENTS lives beside the subscription (which reads names from it); setup
# imports it from here with the commands.
__all__ = ["RECIPIENTS", "async_setup_websocket", "error_text"]


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
@async_response
async def ws_subscribe(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Pending (and recently decided) requests the caller may decide on, then changes.

    Only feeds whose deciders include the caller are shown: who may see a
    request is who may answer it.
    """
    await decider_names(hass).async_refresh()
    coordinators = [
        c for c in _coordinators(hass) if user_may_decide(c.settings, connection.user)
    ]
    for coordinator in coordinators:
        if coordinator.presence is not None:
            # The snapshot then says which cameras have footage, not "unknown".
            shown = [*coordinator.data.pending, *recent_decisions(coordinator)]
            await coordinator.presence.async_probe(
                r.request for r in shown if r.request is not None
            )

    @callback
    def send(data: dict[str, Any]) -> None:
        connection.send_message(event_message(msg["id"], data))

    subscription = ChatSubscription(hass, send)
    # No await from here on: nothing can change between the snapshot and the
    # first change sent after it.
    first = subscription.start(coordinators)
    connection.subscriptions[msg["id"]] = subscription.stop
    connection.send_result(msg["id"])
    send(first)


LANGUAGE = probatio.All(str, probatio.Match(r"^[a-z]{2}(-[A-Za-z]{2,4})?$"))


async def error_text(
    hass: HomeAssistant, err: HomeAssistantError, language: str | None
) -> str:
    """The error in the caller's language when we have it, else Home Assistant's."""
    key = err.translation_key
    if language is None or key is None or err.translation_domain != DOMAIN:
        return str(err)
    translations = await async_get_translations(hass, language, "exceptions", {DOMAIN})
    template = translations.get(f"component.{DOMAIN}.exceptions.{key}.message")
    if not template:
        return str(err)
    try:
        return template.rstrip(".").format(**(err.translation_placeholders or {}))
    except KeyError, IndexError:
        return str(err)


def _refusal(key: str, **placeholders: str) -> HomeAssistantError:
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


async def _send_error(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
    err: HomeAssistantError,
    code: str | None = None,
) -> None:
    text = await error_text(hass, err, msg.get("language"))
    connection.send_error(
        msg["id"], code or err.translation_key or "unknown_error", text
    )


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/respond",
        probatio.Required("config_entry_id"): str,
        probatio.Required("request_id"): str,
        probatio.Required("decision"): probatio.In([DECISION_SHARE, DECISION_DECLINE]),
        probatio.Optional("cameras"): [str],
        probatio.Optional("include_audio", default=False): bool,
        probatio.Optional("telegram_user_id"): str,
        probatio.Optional("language"): LANGUAGE,
    }
)
@async_response
async def ws_respond(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Decide on a request as the caller, or as the resident a Telegram user is.

    Acting for a linked Telegram user needs that user's own login or an admin
    (the bot's account): otherwise anyone could answer in someone else's name.
    The answer says what now stands, so a chat can show it at once: the state,
    the request as a chat shows it (with who decided), the cameras handed to
    the outbox, or, when the consent was recorded but the export failed, that
    error beside `recorded: true`. Errors come in `language` when given.
    """
    coordinator = _loaded_entry(hass, msg["config_entry_id"])
    if coordinator is None:
        await _send_error(hass, connection, msg, _refusal("unknown_feed"), "not_found")
        return
    user_id = connection.user.id
    telegram_user = msg.get("telegram_user_id")
    if telegram_user is not None:
        recipient = hass.data[RECIPIENTS].get(telegram_user)
        # A linked group only receives requests: its members answer as themselves.
        if (
            recipient is None
            or recipient.kind != KIND_USER
            or not (connection.user.is_admin or recipient.user_id == connection.user.id)
        ):
            await _send_error(
                hass, connection, msg, _refusal("unknown_recipient"), "unauthorized"
            )
            return
        user_id = recipient.user_id
    await decider_names(hass).async_refresh()
    key = record_key(coordinator.settings.publisher_id, msg["request_id"])
    before = coordinator.store.get(key)
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
        after = coordinator.store.get(key)
        if (
            after is None
            or after.decision is None
            or (before is not None and before.decision is not None)
        ):
            await _send_error(hass, connection, msg, err)
            return
        # The consent is recorded (and stands); only what came after it failed.
        connection.send_result(
            msg["id"],
            {
                "state": after.state,
                "recorded": True,
                "queued": [],
                "request": chat_view(hass, coordinator, after),
                "error": {
                    "code": err.translation_key or "unknown_error",
                    "message": await error_text(hass, err, msg.get("language")),
                },
            },
        )
        return
    assert record.decision is not None
    connection.send_result(
        msg["id"],
        {
            "state": record.state,
            "recorded": True,
            "queued": list(record.decision.cameras),
            "request": chat_view(hass, coordinator, record),
        },
    )


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
        probatio.Optional("language"): LANGUAGE,
        probatio.Optional("max_bytes"): probatio.All(int, probatio.Range(min=1)),
    }
)
@async_response
async def ws_preview(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """A media-source id of the caller's preview; resolve it to download the clip.

    With `max_bytes` (a chat's upload limit), a larger clip also comes with a
    low-resolution `excerpt` of its first seconds that fits, when ffmpeg can
    make one; without it the caller can only state the size.
    """
    coordinator = _loaded_entry(hass, msg["config_entry_id"])
    if coordinator is None:
        await _send_error(hass, connection, msg, _refusal("unknown_feed"), "not_found")
        return
    try:
        media_content_id, clip = await preview(
            hass, coordinator, msg["request_id"], msg["camera"], connection.user.id
        )
    except HomeAssistantError as err:
        await _send_error(hass, connection, msg, err)
        return
    result: dict[str, Any] = {
        "media_content_id": media_content_id,
        "bytes": clip.bytes,
        "gaps": gap_views(clip.missing),
    }
    limit = msg.get("max_bytes")
    if limit is not None and clip.bytes > limit:
        try:
            path, size = await async_excerpt(hass, clip.path)
        except ExportError as err:
            LOGGER.warning("No excerpt of the preview of %s: %s", msg["camera"], err)
        else:
            if size <= limit:
                token = hass.data[PREVIEWS].add(path)
                result["excerpt"] = {
                    "media_content_id": f"media-source://{DOMAIN}/{token}",
                    "bytes": size,
                    "seconds": EXCERPT_SECONDS,
                }
    connection.send_result(msg["id"], result)


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/pairing/create",
        probatio.Optional("group", default=False): bool,
    }
)
@callback
def ws_pairing_create(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """A 6-digit single-use code, valid 10 minutes, bound to the caller.

    With `group`, the code links a Telegram group chat (sent there as
    `/link CODE`) instead of a person: groups are linked only on purpose.
    """
    code, expires_at = hass.data[RECIPIENTS].create_code(
        connection.user.id, group=msg["group"]
    )
    connection.send_result(
        msg["id"],
        {"code": code, "expires_at": expires_at.isoformat(), "group": msg["group"]},
    )


PAIRING_ERRORS = {
    "invalid_code": "Invalid or expired code",
    "group_code_in_private_chat": "This code links a group: send it in the group",
    "personal_code_in_group": (
        "A personal code was sent in a group, where others can read it: it is void now"
    ),
}


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/pairing/complete",
        probatio.Required("code"): probatio.All(str, probatio.Match(r"^\d{6}$")),
        probatio.Required("telegram_user_id"): probatio.All(
            probatio.Coerce(str), probatio.Length(min=1, max=32)
        ),
        probatio.Required("name"): probatio.All(str, probatio.Length(max=128)),
        probatio.Optional("group", default=False): bool,
    }
)
@async_response
async def ws_pairing_complete(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Link a Telegram user (or, with `group`, a group chat) to the code's resident.

    For a group, `telegram_user_id` is the group's chat id and `name` its title;
    only a code created with `group` links one.
    """
    try:
        recipient = await hass.data[RECIPIENTS].async_complete(
            msg["code"], msg["telegram_user_id"], msg["name"], group=msg["group"]
        )
    except PairingError as err:
        connection.send_error(msg["id"], err.reason, PAIRING_ERRORS[err.reason])
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
