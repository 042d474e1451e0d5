"""Taps on phone notifications, so an automation can decide as the person who tapped.

An automation (such as the actionable-notification blueprint) runs without a
user: on its own it may not decide anything. When it passes the context id of
the `mobile_app_notification_action` event that a tap fired, the decision is
made as the user that event belongs to (the Companion app's user, set by
`mobile_app` from the phone's registration), with that user's rights.

A tap lends only what it says: it must have been seen here (never older than
`TAP_TTL`), name the request among the `:`-separated parts of its action, serve
one decision, and a person calling `respond` may only use their own taps.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN

ACTION_EVENT = "mobile_app_notification_action"
TAP_TTL = timedelta(minutes=10)
MAX_TAPS = 256
TAPS: HassKey[Taps] = HassKey(f"{DOMAIN}_taps")


@dataclass(frozen=True, slots=True)
class Tap:
    """One tap: whose phone, which button, when."""

    user_id: str
    action: str
    at: datetime


def _refused(key: str, request_id: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"request_id": request_id},
    )


class Taps:
    """The recent taps by context id; bounded in number and in age."""

    def __init__(self, hass: HomeAssistant) -> None:
        self._hass = hass
        self._taps: OrderedDict[str, Tap] = OrderedDict()

    @callback
    def async_start(self) -> None:
        """Remember taps for as long as Home Assistant runs."""
        self._hass.bus.async_listen(ACTION_EVENT, self._seen)

    @callback
    def _seen(self, event: Event[dict[str, Any]]) -> None:
        user_id = event.context.user_id
        if user_id is None:
            return  # a tap nobody signed in to cannot lend anyone's rights
        self._taps[event.context.id] = Tap(
            user_id, str(event.data.get("action", "")), dt_util.utcnow()
        )
        while len(self._taps) > MAX_TAPS:
            self._taps.popitem(last=False)

    def user_of(self, context_id: str, request_id: str, caller: str | None) -> str:
        """The user a tap decides as; it is used up by this decision."""
        tap = self._taps.get(context_id)
        if tap is None or dt_util.utcnow() - tap.at > TAP_TTL:
            raise _refused("unknown_tap", request_id)
        if request_id not in tap.action.split(":"):
            raise _refused("tap_other_request", request_id)
        if caller is not None and caller != tap.user_id:
            raise _refused("tap_not_yours", request_id)
        del self._taps[context_id]
        return tap.user_id
