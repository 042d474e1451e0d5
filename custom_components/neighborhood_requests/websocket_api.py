"""Websocket commands about requests: subscribe, respond, preview.

A non-admin user cannot subscribe to custom events over the websocket, so the bot
gets its own `subscribe` (the per-connection part is `chat_subscription`). Who
acts is the caller, or the linked resident a Telegram user is (`consent.relay`),
and the access model decides for that person; nothing here decides anything.
Errors carry a message in the caller's `language` when one is given, since the
bot shows them to a resident. Telegram links are in `websocket_links`, the
owner's tools (pause, report, history) in `websocket_owner`.
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

from .consent.access import (
    AccessDenied,
    Action,
    Surface,
    async_require_anywhere,
)
from .consent.chat_subscription import ChatSubscription, chat_view, recent_decisions
from .consent.decisions import PreviewAsk, Response, preview, respond
from .consent.people import decider_names
from .consent.relay import RELAYS, ActorRefused, async_actor
from .consent.trail import loaded_coordinators
from .const import DECISION_DECLINE, DECISION_SHARE, DOMAIN, LOGGER
from .coordinator import FeedCoordinator
from .export.result import ExportError, format_views, gap_views
from .footage.excerpt import EXCERPT_SECONDS, async_excerpt
from .footage.preview import PREVIEWS
from .requests.store import record_key

TELEGRAM_USER = probatio.All(probatio.Coerce(str), probatio.Length(min=1, max=32))


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register the request commands; called once from `async_setup`."""
    for command in (ws_subscribe, ws_respond, ws_preview):
        async_register_command(hass, command)


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/subscribe",
        probatio.Optional("relay", default=False): bool,
    }
)
@async_response
async def ws_subscribe(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Pending (and recently decided) requests the caller may see, then changes.

    A person gets the feeds whose requests they may see (`Action.VIEW`). A
    relay (`relay: true`, the bot; an administrator, since it reads everyone's
    links) gets every request, each with the Telegram ids that may see, preview
    and decide it; from then on the connection acts only for a named Telegram
    user (`consent.relay`). Both follow entries that reload.
    """
    await decider_names(hass).async_refresh()
    relay: bool = msg["relay"]
    if relay:
        try:
            await async_require_anywhere(
                hass, connection.user.id, Action.MANAGE_LINKS, surface=Surface.WEBSOCKET
            )
        except AccessDenied as err:
            await send_error(hass, connection, msg, err)
            return

    @callback
    def send(data: dict[str, Any]) -> None:
        connection.send_message(event_message(msg["id"], data))

    coordinators = loaded_coordinators(hass)
    subscription = ChatSubscription(hass, send, connection.user, relay=relay)
    for coordinator in coordinators:
        if coordinator.presence is not None and subscription.accepts(coordinator):
            # The snapshot then says which cameras have footage, not "unknown".
            shown = [*coordinator.data.pending, *recent_decisions(coordinator)]
            await coordinator.presence.async_probe(
                r.request for r in shown if r.request is not None
            )
    # No await from here on: nothing can change between the snapshot and the
    # first change sent after it.
    first = subscription.start(coordinators)
    if relay:
        relays = hass.data.setdefault(RELAYS, set())
        relays.add(connection)

        @callback
        def stop() -> None:
            subscription.stop()
            relays.discard(connection)

        connection.subscriptions[msg["id"]] = stop
    else:
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


def refusal_error(key: str, **placeholders: str) -> HomeAssistantError:
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


async def send_error(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
    err: HomeAssistantError,
    code: str | None = None,
) -> None:
    """`err` as a websocket error, in the caller's language, with its own code."""
    if code is None and isinstance(err, ActorRefused):
        code = err.code
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
        probatio.Optional("telegram_user_id"): TELEGRAM_USER,
        probatio.Optional("language"): LANGUAGE,
    }
)
@async_response
async def ws_respond(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Decide on a request as the caller, or as the resident a Telegram user is.

    Acting for a linked Telegram user needs that user's own login or an admin
    (the bot's account), and the decision is then checked for that resident
    alone: the bot's rights never stand in. The answer says what now stands, so
    a chat can show it at once: the state, the request as a chat shows it (with
    who decided), the cameras handed to the outbox, or, when the consent was
    recorded but the export failed, that error beside `recorded: true`. Errors
    come in `language` when given.
    """
    coordinator = loaded_entry(hass, msg["config_entry_id"])
    if coordinator is None:
        error = refusal_error("unknown_feed")
        await send_error(hass, connection, msg, error, "not_found")
        return
    try:
        actor = await async_actor(hass, connection, msg, Action.DECIDE, [coordinator])
    except ActorRefused as err:
        await send_error(hass, connection, msg, err)
        return
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
                user_id=actor.user_id,
                surface=actor.surface,
                telegram_user=actor.telegram_user,
            ),
        )
    except HomeAssistantError as err:
        after = coordinator.store.get(key)
        if (
            after is None
            or after.decision is None
            or (before is not None and before.decision is not None)
        ):
            await send_error(hass, connection, msg, err)
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


def loaded_entry(hass: HomeAssistant, entry_id: str) -> FeedCoordinator | None:
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
        probatio.Optional("telegram_user_id"): TELEGRAM_USER,
        probatio.Optional("language"): LANGUAGE,
        probatio.Optional("max_bytes"): probatio.All(int, probatio.Range(min=1)),
    }
)
@async_response
async def ws_preview(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """A media-source id of the caller's preview; resolve it to download the clip.

    For a Telegram user, the clip is made for the linked resident (who must be
    allowed to preview) and only this connection may fetch it for them. With
    `max_bytes` (a chat's upload limit), a larger clip also comes with a
    low-resolution `excerpt` of its first seconds that fits, when ffmpeg can
    make one; without it the caller can only state the size.
    """
    coordinator = loaded_entry(hass, msg["config_entry_id"])
    if coordinator is None:
        error = refusal_error("unknown_feed")
        await send_error(hass, connection, msg, error, "not_found")
        return
    try:
        actor = await async_actor(hass, connection, msg, Action.PREVIEW, [coordinator])
        media_content_id, clip = await preview(
            hass,
            coordinator,
            PreviewAsk(
                request_id=msg["request_id"],
                camera=msg["camera"],
                user_id=actor.user_id,
                surface=actor.surface,
                telegram_user=actor.telegram_user,
                relay=actor.relay,
            ),
        )
    except HomeAssistantError as err:
        await send_error(hass, connection, msg, err)
        return
    result: dict[str, Any] = {
        "media_content_id": media_content_id,
        "bytes": clip.bytes,
        "gaps": gap_views(clip.missing),
        "formats": format_views(clip.formats),
    }
    limit = msg.get("max_bytes")
    if limit is not None and clip.bytes > limit:
        try:
            path, size = await async_excerpt(hass, clip.path)
        except ExportError as err:
            LOGGER.warning("No excerpt of the preview of %s: %s", msg["camera"], err)
        else:
            if size <= limit:
                token = hass.data[PREVIEWS].derived(
                    media_content_id.rpartition("/")[2],
                    path,
                    f"{msg['camera']} · {msg['request_id']} · {EXCERPT_SECONDS} s",
                )
                result["excerpt"] = {
                    "media_content_id": f"media-source://{DOMAIN}/{token}",
                    "bytes": size,
                    "seconds": EXCERPT_SECONDS,
                }
    connection.send_result(msg["id"], result)
