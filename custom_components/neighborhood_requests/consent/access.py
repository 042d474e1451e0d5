"""Who may do what: the one access model every surface asks.

Websocket commands, actions, the media source, the preview view, the decision
flows, mobile notification actions, the pause switch and the bot (which always
acts as the linked resident, never with its own rights) all call `allows` or
`async_require` here, so a rule changes in one place and holds everywhere.

Roles, per config entry:
- a *decider* is a user listed in the entry's `deciders` option or, while none
  are listed, any active administrator; deciders see requests, watch footage and
  share or decline;
- an *administrator* manages Telegram links (codes for others and for groups,
  unlinking anyone), pauses, and reads the transparency report and the audit
  verification even when not a decider;
- a *resident* (any other active user) sees only entity states, unless the owner
  lets linked residents receive requests (`residents_receive_requests`): then
  they see a request's details, never its footage, and cannot decide.
An inactive or unknown user may do nothing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from homeassistant.exceptions import HomeAssistantError

from ..const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.auth.models import User
    from homeassistant.core import HomeAssistant

    from ..settings import Settings


class Action(StrEnum):
    """Everything a person can do with this integration beyond reading states."""

    VIEW = "view"  # a request's details: who asks, why, window, distance
    PREVIEW = "preview"  # watch the footage a share would send
    DECIDE = "decide"  # share or decline
    PAUSE = "pause"  # pause or resume new requests
    REPORT = "report"  # transparency report and decision history
    AUDIT = "audit"  # verify the audit log
    LINK_SELF = "link_self"  # a pairing code for one's own Telegram account
    MANAGE_LINKS = "manage_links"  # codes for others or groups; unlink anyone


_DECIDERS_ONLY = frozenset({Action.PREVIEW, Action.DECIDE, Action.LINK_SELF})
_DECIDERS_AND_ADMINS = frozenset({Action.PAUSE, Action.REPORT, Action.AUDIT})


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
    return is_admin(user)  # Action.MANAGE_LINKS


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
