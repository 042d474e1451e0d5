"""The phones that can get actionable notifications: Companion app registrations.

The options offer these instead of a free-form list of notify services, so the
owner picks "Alice's Pixel" rather than guessing `mobile_app_pixel_8`. Each phone
is a `mobile_app` config entry; its notify service is the one `mobile_app`
registers for it (`notify.mobile_app_<device name, slugified>`), which is what the
notifier calls and what the options store.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.core import HomeAssistant
from homeassistant.util import slugify

MOBILE_APP = "mobile_app"


@dataclass(frozen=True, slots=True)
class Phone:
    """One phone with the Companion app, as the owner recognises it."""

    service: str  # the notify service, without the `notify.` domain
    label: str


def _can_push(app_data: object) -> bool:
    """Only registrations with a push channel get notify services (as `mobile_app`)."""
    if not isinstance(app_data, dict):
        return False
    return (
        "push_token" in app_data and "push_url" in app_data
    ) or "push_websocket_channel" in app_data


async def async_phones(hass: HomeAssistant) -> list[Phone]:
    """Every Companion app that can be notified, named with its owner, by name."""
    phones: list[Phone] = []
    for entry in hass.config_entries.async_entries(MOBILE_APP):
        name = str(entry.data.get("device_name") or entry.title)
        if not name or not _can_push(entry.data.get("app_data")):
            continue
        label = name
        if (user_id := entry.data.get("user_id")) and (
            user := await hass.auth.async_get_user(str(user_id))
        ):
            label = f"{name} ({user.name})" if user.name else name
        phones.append(Phone(slugify(f"{MOBILE_APP}_{name}"), label))
    return sorted(phones, key=lambda phone: phone.label.casefold())
