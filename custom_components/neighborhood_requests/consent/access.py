"""Who may do what: the one access model every surface asks.

Websocket commands, actions, the media source, the preview view, the decision
flows, mobile notification actions, the pause switch and the bot (which always
acts as the linked resident, never with its own rights) all call `allows` or
`async_require` here, so a rule changes in one place and holds everywhere. A
refusal raises `AccessDenied`, which says in the caller's language what is
missing, and leaves a `refused` line in the audit log: who, what, where, which
request.

Roles, per config entry:
- a *decider* is a user listed in the entry's `deciders` option or, while none
  are listed, any active administrator; deciders see requests, watch footage and
  share or decline;
- an *administrator* manages Telegram links (codes for others and for groups,
  unlinking anyone), trusts a publisher's new keys, pauses, and reads the
  transparency report and the audit verification even when not a decider;
- a *resident* (any other active user) sees only entity states, unless the owner
  lets linked residents receive requests (`residents_receive_requests`): then
  they see a request's details, never its footage, and cannot decide.
An inactive or unknown user may do nothing.

A call without any user (an automation or script the owner wrote) may pause,
refresh, read the report and verify the log; it never sees footage, decides or
links anyone, since consent needs a person.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from homeassistant.components.http.const import KEY_HASS_USER
from homeassistant.components.websocket_api.connection import current_connection
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.http import current_request

from ..const import DOMAIN
from .trail import async_audit_everywhere, loaded_coordinators

if TYPE_CHECKING:
    from homeassistant.auth.models import User
    from homeassistant.core import HomeAssistant

    from ..coordinator import FeedCoordinator
    from ..settings import Settings


class Action(StrEnum):
    """Everything a person can do with this integration beyond reading states."""

    VIEW = "view"  # a request's details: who asks, why, window, distance
    PREVIEW = "preview"  # watch the footage a share would send
    DECIDE = "decide"  # share or decline
    PAUSE = "pause"  # pause or resume new requests
    REPORT = "report"  # transparency report and decision history
    AUDIT = "audit"  # verify the audit log
    REFRESH = "refresh"  # poll the feed now
    LINK_SELF = "link_self"  # a pairing code for one's own Telegram account
    MANAGE_LINKS = "manage_links"  # codes for others or groups; unlink anyone
    TRUST = "trust"  # pin a publisher's new signing keys


_DECIDERS_ONLY = frozenset({Action.PREVIEW, Action.DECIDE, Action.LINK_SELF})
_DECIDERS_AND_ADMINS = frozenset(
    {Action.PAUSE, Action.REPORT, Action.AUDIT, Action.REFRESH}
)
# What a call without a user (the owner's automation or script) may do.
UNATTENDED = _DECIDERS_AND_ADMINS


class Surface(StrEnum):
    """Where an action was asked for, as the audit log names it."""

    WEBSOCKET = "websocket"
    TELEGRAM = "telegram"  # the bot, for a linked Telegram user
    ACTION = "action"
    MEDIA_SOURCE = "media_source"
    PREVIEW_VIEW = "preview_view"
    REPAIRS = "repairs"
    MOBILE_APP = "mobile_app"
    SWITCH = "switch"


def is_decider(settings: Settings, user: User | None) -> bool:
    """Listed deciders, or, when none are listed, any active administrator."""
    if user is None or not user.is_active:
        return False
    return user.id in settings.deciders if settings.deciders else user.is_admin


def is_admin(user: User | None) -> bool:
    """An active administrator (Home Assistant keeps `is_admin` on inactive users)."""
    return user is not None and user.is_active and user.is_admin


def allows(settings: Settings, user: User | None, action: Action) -> bool:
    """Whether `user` may do `action` on the entry whose settings these are."""
    if user is None or not user.is_active:
        return False
    if action is Action.VIEW:
        return is_decider(settings, user) or settings.residents_receive_requests
    if action in _DECIDERS_ONLY:
        return is_decider(settings, user)
    if action in _DECIDERS_AND_ADMINS:
        return is_decider(settings, user) or is_admin(user)
    return is_admin(user)  # Action.MANAGE_LINKS, Action.TRUST


class AccessDenied(HomeAssistantError):
    """A refusal that says what is missing, in the caller's language.

    The translation key is `not_allowed_<action>`, so each refusal names what the
    person may not do ("only the people allowed to decide can preview footage").
    """

    def __init__(self, action: Action) -> None:
        super().__init__(
            translation_domain=DOMAIN, translation_key=f"not_allowed_{action.value}"
        )
        self.action = action


async def async_user(hass: HomeAssistant, user_id: str | None) -> User | None:
    """The user behind an id (a call's context, a linked recipient), if any."""
    return await hass.auth.async_get_user(user_id) if user_id else None


def current_user() -> User | None:
    """Who is asking in this task: the websocket's user, else the HTTP request's.

    Home Assistant hands neither the media source nor a repairs flow the user;
    both run inside the websocket message or HTTP request that asked.
    """
    if (connection := current_connection.get()) is not None:
        return connection.user
    if (request := current_request.get()) is not None:
        user: User | None = request.get(KEY_HASS_USER)
        return user
    return None


def allows_anywhere(hass: HomeAssistant, user: User | None, action: Action) -> bool:
    """`allows` on any loaded entry; administrators' actions need no entry at all."""
    if action in (Action.MANAGE_LINKS, Action.TRUST):
        return is_admin(user)
    return any(allows(c.settings, user, action) for c in loaded_coordinators(hass))


def refusal(
    user_id: str | None,
    action: Action,
    surface: Surface,
    *,
    request_id: str | None = None,
    telegram_user: str | None = None,
) -> dict[str, Any]:
    """The audit line of a refusal: who, what, where, and which request."""
    return {
        "type": "refused",
        "action": action.value,
        "surface": surface.value,
        "user_id": user_id,
        "telegram_user": telegram_user,
        "request_id": request_id,
    }


async def async_require(
    hass: HomeAssistant,
    coordinator: FeedCoordinator,
    user_id: str | None,
    action: Action,
    *,
    surface: Surface,
    request_id: str | None = None,
    telegram_user: str | None = None,
) -> User | None:
    """The user, if they may do `action` on this entry; else audit and refuse.

    Returns None only for a call without a user that `UNATTENDED` lets through.
    """
    if user_id is None and action in UNATTENDED:
        return None
    user = await async_user(hass, user_id)
    if allows(coordinator.settings, user, action):
        return user
    await coordinator.async_audit(
        refusal(
            user_id,
            action,
            surface,
            request_id=request_id,
            telegram_user=telegram_user,
        )
    )
    raise AccessDenied(action)


async def async_require_anywhere(
    hass: HomeAssistant,
    user_id: str | None,
    action: Action,
    *,
    surface: Surface,
    telegram_user: str | None = None,
) -> User:
    """`async_require` for what concerns no single entry (Telegram links).

    A refusal is written to every loaded entry's log (see `consent.trail`).
    """
    user = await async_user(hass, user_id)
    if user is not None and allows_anywhere(hass, user, action):
        return user
    await async_audit_everywhere(
        hass, refusal(user_id, action, surface, telegram_user=telegram_user)
    )
    raise AccessDenied(action)
