"""Who acts in a websocket command: the caller, or the Telegram user it relays for.

The bot's Home Assistant account is an administrator (it must list everyone's
links), but its rights never stand in for a resident's. It names the Telegram
user in every command; Home Assistant resolves that to the linked Home Assistant
user and asks the access model about that user alone. A connection that
subscribed as a relay (`subscribe` with `relay: true`) can no longer act as
itself: a command on it that names no Telegram user is refused, so a slip in
the bot cannot turn into a decision made with the bot's own rights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import HomeAssistantError
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN
from .access import Action, Surface, is_admin, refusal
from .people import RECIPIENTS
from .recipients import KIND_USER

if TYPE_CHECKING:
    from homeassistant.components.websocket_api.connection import ActiveConnection
    from homeassistant.core import HomeAssistant

    from ..coordinator import FeedCoordinator

# Connections that relay for Telegram users; each leaves when its subscription ends.
RELAYS: HassKey[set[ActiveConnection]] = HassKey(f"{DOMAIN}_relays")


@dataclass(frozen=True, slots=True)
class Actor:
    """The person a command acts for, and how the request reached us."""

    user_id: str
    surface: Surface
    telegram_user: str | None = None
    relay: str | None = None  # the account that relays for `telegram_user`


class ActorRefused(HomeAssistantError):
    """The command names nobody it may act for; `code` is the websocket error code."""

    def __init__(self, key: str, code: str) -> None:
        super().__init__(translation_domain=DOMAIN, translation_key=key)
        self.code = code


async def async_actor(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
    action: Action,
    coordinators: list[FeedCoordinator],
) -> Actor:
    """Resolve `telegram_user_id` (if any) to the linked user, or refuse.

    Acting for a linked Telegram user needs that user's own login or an
    administrator's (the bot's); a linked group never acts (its members answer
    as themselves). A refusal is audited in `coordinators`' logs.
    """
    caller = connection.user
    telegram_user: str | None = msg.get("telegram_user_id")
    if telegram_user is None:
        if connection in hass.data.get(RELAYS, ()):
            await _audit(coordinators, caller.id, action, None)
            raise ActorRefused("relay_needs_telegram_user", "telegram_user_required")
        return Actor(caller.id, Surface.WEBSOCKET)
    recipient = hass.data[RECIPIENTS].get(telegram_user)
    if (
        recipient is None
        or recipient.kind != KIND_USER
        or not (is_admin(caller) or recipient.user_id == caller.id)
    ):
        await _audit(coordinators, caller.id, action, telegram_user)
        raise ActorRefused("unknown_recipient", "unauthorized")
    return Actor(recipient.user_id, Surface.TELEGRAM, telegram_user, caller.id)


async def _audit(
    coordinators: list[FeedCoordinator],
    caller: str,
    action: Action,
    telegram_user: str | None,
) -> None:
    line = refusal(caller, action, Surface.TELEGRAM, telegram_user=telegram_user)
    for coordinator in coordinators:
        await coordinator.async_audit(line)
