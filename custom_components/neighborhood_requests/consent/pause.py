"""Pausing new requests: asked for by a person (or the owner's automation), audited.

The switch, the bot's `/pause` and any other client go through here, so who may
pause is the access model's answer everywhere, and the audit log shows who
stopped or restarted the prompts and when.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .access import Action, Surface, async_require

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from ..coordinator import FeedCoordinator


async def async_set_paused(
    hass: HomeAssistant,
    coordinator: FeedCoordinator,
    paused: bool,
    user_id: str | None,
    *,
    surface: Surface,
    telegram_user: str | None = None,
) -> None:
    """Pause or resume one entry's prompts, if `user_id` may (`Action.PAUSE`)."""
    await async_require(
        hass,
        coordinator,
        user_id,
        Action.PAUSE,
        surface=surface,
        telegram_user=telegram_user,
    )
    if coordinator.store.paused == paused:
        return
    coordinator.store.set_paused(paused)
    await coordinator.async_audit(
        {
            "type": "paused" if paused else "resumed",
            "user_id": user_id,
            "telegram_user": telegram_user,
            "surface": surface.value,
        }
    )
    coordinator.async_update_listeners()
