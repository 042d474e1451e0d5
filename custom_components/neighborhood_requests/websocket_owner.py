"""Websocket commands for the owner's tools: pause, transparency report, history.

The bot's `/pause`, `/resume`, `/report` and `/history` use these, always naming
the Telegram user, so each is answered for the linked resident alone: a linked
resident who may not pause, or may not read the report, is refused and the
refusal audited, whatever the bot's own account may do. Without a Telegram
user (and outside a relay) they act for the caller. Each covers every loaded
entry the person may act on, or just `config_entry_id`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import (
    async_response,
    websocket_command,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
import probatio

from .consent.access import AccessDenied, Action, async_require
from .consent.chat_subscription import chat_view
from .consent.pause import async_set_paused
from .consent.people import decider_names
from .consent.relay import Actor, async_actor
from .consent.trail import loaded_coordinators
from .const import CONF_PUBLISHER_NAME, DOMAIN
from .coordinator import FeedCoordinator
from .requests.intake import DECIDED
from .requests.transparency import transparency_report
from .websocket_api import (
    LANGUAGE,
    TELEGRAM_USER,
    loaded_entry,
    refusal_error,
    send_error,
)

HISTORY_LENGTH = 10

BASE: dict[Any, Any] = {
    probatio.Optional("config_entry_id"): str,
    probatio.Optional("telegram_user_id"): TELEGRAM_USER,
    probatio.Optional("language"): LANGUAGE,
}

type PerEntry = Callable[[FeedCoordinator, Actor], Awaitable[Any]]


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register the owner's commands; called once from `async_setup`."""
    for command in (ws_pause, ws_report, ws_history):
        async_register_command(hass, command)


async def _for_each_entry(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
    action: Action,
    run: PerEntry,
) -> list[tuple[FeedCoordinator, Any]] | None:
    """`run` on every entry the actor may do `action` on; None after an error.

    Entries the actor may not act on are refused one by one (each refusal is
    in that entry's log); only when every entry refused is it an error.
    """
    if "config_entry_id" in msg:
        coordinator = loaded_entry(hass, msg["config_entry_id"])
        if coordinator is None:
            error = refusal_error("unknown_feed")
            await send_error(hass, connection, msg, error, "not_found")
            return None
        coordinators = [coordinator]
    else:
        coordinators = loaded_coordinators(hass)
    try:
        actor = await async_actor(hass, connection, msg, action, coordinators)
    except HomeAssistantError as err:
        await send_error(hass, connection, msg, err)
        return None
    done: list[tuple[FeedCoordinator, Any]] = []
    refused: AccessDenied | None = None
    for coordinator in coordinators:
        try:
            await async_require(
                hass,
                coordinator,
                actor.user_id,
                action,
                surface=actor.surface,
                telegram_user=actor.telegram_user,
            )
        except AccessDenied as err:
            refused = err
            continue
        done.append((coordinator, await run(coordinator, actor)))
    if refused is not None and not done:
        await send_error(hass, connection, msg, refused)
        return None
    return done


def _entry(coordinator: FeedCoordinator) -> dict[str, str]:
    entry = coordinator.config_entry
    return {
        "config_entry_id": entry.entry_id,
        "title": str(entry.data.get(CONF_PUBLISHER_NAME, entry.title)),
    }


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/pause",
        probatio.Required("paused"): bool,
        **BASE,
    }
)
@async_response
async def ws_pause(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Pause (or resume) new requests on every entry the person may pause."""

    async def run(coordinator: FeedCoordinator, actor: Actor) -> bool:
        await async_set_paused(
            hass,
            coordinator,
            msg["paused"],
            actor.user_id,
            surface=actor.surface,
            telegram_user=actor.telegram_user,
        )
        return coordinator.store.paused

    done = await _for_each_entry(hass, connection, msg, Action.PAUSE, run)
    if done is not None:
        connection.send_result(
            msg["id"],
            {"entries": [_entry(c) | {"paused": paused} for c, paused in done]},
        )


@websocket_command({probatio.Required("type"): f"{DOMAIN}/report", **BASE})
@async_response
async def ws_report(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """The transparency report of every entry the person may read it for."""

    async def run(coordinator: FeedCoordinator, actor: Actor) -> dict[str, Any]:
        return transparency_report(coordinator.store, coordinator.rejections)

    done = await _for_each_entry(hass, connection, msg, Action.REPORT, run)
    if done is not None:
        connection.send_result(
            msg["id"], {"entries": [_entry(c) | report for c, report in done]}
        )


@websocket_command({probatio.Required("type"): f"{DOMAIN}/history", **BASE})
@async_response
async def ws_history(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """The last decisions, newest first, with who made them (a display name)."""
    await decider_names(hass).async_refresh()

    async def run(coordinator: FeedCoordinator, actor: Actor) -> list[Any]:
        return [
            (record.decision.at, chat_view(hass, coordinator, record))
            for record in coordinator.store
            if record.state in DECIDED and record.decision is not None
        ]

    done = await _for_each_entry(hass, connection, msg, Action.REPORT, run)
    if done is None:
        return
    decided = sorted(
        (item for _, items in done for item in items),
        key=lambda item: item[0],
        reverse=True,
    )
    connection.send_result(
        msg["id"],
        {
            "decisions": [
                {
                    key: view.get(key)
                    for key in (
                        "config_entry_id",
                        "request_id",
                        "publisher_name",
                        "case_number",
                        "state",
                        "decision",
                        "decided_by",
                        "decided_at",
                    )
                }
                for _, view in decided[:HISTORY_LENGTH]
            ]
        },
    )
