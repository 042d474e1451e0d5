"""Actionable mobile-app notifications: Share asks again before anything is sent.

Tapping Share on the first notification does not share: it sends a second one
stating the cameras, the window and that audio is off, and only its Confirm runs
`respond`. The decision is made as the Home Assistant user the phone belongs to
(the event's context), so the same consent rules apply as everywhere else: a tap
from the phone of someone who may not decide is refused and audited, and even
the confirmation is not sent for it.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError

from ..const import (
    DECISION_DECLINE,
    DECISION_SHARE,
    DOMAIN,
    EVENT_RECEIVED,
    LOGGER,
    STATE_PENDING,
)
from ..coordinator import FeedCoordinator
from ..requests.store import RequestRecord, record_key
from ..texts import async_texts
from .access import AccessDenied, Action, Surface, async_require
from .decisions import CHANNEL_PHONE, Response, respond
from .phone_words import phone_words

ACTION_EVENT = "mobile_app_notification_action"
PREFIX = "NEIGHBORHOOD_REQUESTS"
SHARE, CONFIRM, DECLINE = "SHARE", "CONFIRM", "DECLINE"


def action_id(kind: str, entry_id: str, request_id: str) -> str:
    """`PREFIX:kind:entry:request`; request ids cannot contain a colon."""
    return f"{PREFIX}:{kind}:{entry_id}:{request_id}"


class Notifier:
    """Sends the notifications of one entry and handles their buttons."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, coordinator: FeedCoordinator
    ) -> None:
        self._hass = hass
        self._entry = entry
        self._coordinator = coordinator

    @callback
    def async_start(self) -> None:
        """Listen for new requests and for taps; both stop with the entry."""
        if not self._coordinator.settings.notify_targets:
            return
        self._entry.async_on_unload(
            self._coordinator.async_add_event_listener(self._on_request_event)
        )
        self._entry.async_on_unload(
            self._hass.bus.async_listen(ACTION_EVENT, self._on_action)
        )

    @callback
    def _on_request_event(self, event_type: str, record: RequestRecord) -> None:
        if event_type == EVENT_RECEIVED and record.request_id is not None:
            self._entry.async_create_background_task(
                self._hass, self._ask(record, confirm=False), f"{DOMAIN} notify"
            )

    async def _ask(self, record: RequestRecord, *, confirm: bool) -> None:
        assert record.request_id is not None
        settings = self._coordinator.settings
        cameras = [c for c in settings.cameras if c not in settings.never_cameras]
        words = phone_words(
            self._hass,
            self._coordinator,
            record,
            await async_texts(self._hass),
            cameras,
        )
        entry_id = self._entry.entry_id
        buttons = [(CONFIRM, "confirm") if confirm else (SHARE, "share")]
        buttons.append((DECLINE, "decline"))
        data: dict[str, Any] = {
            "title": words["title"],
            "message": words["confirm_message" if confirm else "message"],
            "data": {
                "tag": f"{DOMAIN}-{entry_id}-{record.request_id}",
                "actions": [
                    {
                        "action": action_id(kind, entry_id, record.request_id),
                        "title": words[label],
                    }
                    for kind, label in buttons
                ],
            },
        }
        for target in settings.notify_targets:
            try:
                await self._hass.services.async_call(
                    "notify", target, data, blocking=True
                )
            except HomeAssistantError as err:
                LOGGER.warning("Could not notify %s: %s", target, err)

    async def _on_action(self, event: Event[dict[str, Any]]) -> None:
        parts = str(event.data.get("action", "")).split(":")
        if len(parts) != 4 or parts[0] != PREFIX:
            return
        _, kind, entry_id, request_id = parts
        if entry_id != self._entry.entry_id:
            return
        record = self._coordinator.store.get(
            record_key(self._coordinator.settings.publisher_id, request_id)
        )
        if record is None or record.state != STATE_PENDING:
            return
        if kind == SHARE:
            try:
                await async_require(
                    self._hass,
                    self._coordinator,
                    event.context.user_id,
                    Action.DECIDE,
                    surface=Surface.MOBILE_APP,
                    request_id=request_id,
                )
            except AccessDenied as err:
                LOGGER.warning("Notification share for %s refused: %s", request_id, err)
                return
            await self._ask(record, confirm=True)
            return
        decision = DECISION_SHARE if kind == CONFIRM else DECISION_DECLINE
        try:
            await respond(
                self._hass,
                self._coordinator,
                Response(
                    request_id=request_id,
                    decision=decision,
                    cameras=None,
                    include_audio=False,
                    user_id=event.context.user_id,
                    surface=Surface.MOBILE_APP,
                    channel=CHANNEL_PHONE,
                ),
            )
        except HomeAssistantError as err:
            LOGGER.warning("Notification %s for %s refused: %s", kind, request_id, err)
