"""Who is who: the linked Telegram recipients and Home Assistant's users, cached.

Home Assistant only hands out users asynchronously, while coordinator updates
arrive in callbacks, and a chat needs both who decided (a name) and who may
see, preview and decide each request (a user's rights). So the users are cached
here and refreshed before each subscribe and each respond, and whenever Home
Assistant adds, changes or removes a user.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN
from .recipients import Recipients

if TYPE_CHECKING:
    from homeassistant.auth.models import User
    from homeassistant.core import HomeAssistant

    from ..requests.store import Decision

NAMES: HassKey[DeciderNames] = HassKey(f"{DOMAIN}_decider_names")
RECIPIENTS: HassKey[Recipients] = HassKey(f"{DOMAIN}_recipients")


class DeciderNames:
    """Users by id, for names (the Telegram name first) and for their rights."""

    def __init__(self, hass: HomeAssistant) -> None:
        self._hass = hass
        self._users: dict[str, User | None] = {}

    async def async_refresh(self, asked: Iterable[str] = ()) -> None:
        """Read every user; an `asked` id with no user stays unknown (None)."""
        users = await self._hass.auth.async_get_users()
        self._users = {user.id: user for user in users}
        for user_id in asked:
            self._users.setdefault(user_id, None)

    def user(self, user_id: str) -> User | None:
        """The cached user (Home Assistant keeps it current in place)."""
        return self._users.get(user_id)

    def knows(self, decision: Decision) -> bool:
        """Whether `name` can answer without asking Home Assistant again."""
        return (
            self._telegram_name(decision) is not None
            or decision.user_id is None
            or decision.user_id in self._users
        )

    def name(self, decision: Decision | None) -> str | None:
        if decision is None:
            return None
        if (telegram := self._telegram_name(decision)) is not None:
            return telegram
        if decision.user_id is None:
            return None
        user = self._users.get(decision.user_id)
        return user.name if user is not None else None

    def _telegram_name(self, decision: Decision) -> str | None:
        if decision.telegram_user is None:
            return None
        recipient = self._hass.data[RECIPIENTS].get(decision.telegram_user)
        return recipient.name if recipient is not None else None


def decider_names(hass: HomeAssistant) -> DeciderNames:
    """The shared cache (created on first use)."""
    if NAMES not in hass.data:
        hass.data[NAMES] = DeciderNames(hass)
    return hass.data[NAMES]
