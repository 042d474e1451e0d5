"""The owner's prompt inside Home Assistant itself: a notification per open request.

Not every home runs the companion bot or the mobile app, but every owner has the
browser. Each request waiting for a decision gets a persistent notification
whose link opens it in the "Video requests" panel, where it is seen, previewed
and decided. Requests are not Repairs: nothing is broken when a neighbour asks.
The notification follows the coordinator's data, so it goes away as soon as the
request is decided (here, by the bot or by a phone), expires or is cancelled:
nobody is asked about something already settled.
"""

from __future__ import annotations

from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from ..const import CONF_PUBLISHER_NAME, DOMAIN, PANEL_URL_PATH
from ..coordinator import FeedCoordinator
from ..markdown import plain
from ..requests.store import RequestRecord
from ..texts import async_texts

PROMPT_PREFIX = "video_request_"


def prompt_id(entry_id: str, request_id: str) -> str:
    """Notification id: per entry, so two feeds never clear each other's."""
    return f"{PROMPT_PREFIX}{entry_id}_{request_id}"


def panel_path(entry_id: str, request_id: str) -> str:
    """Where the panel opens this request (request ids are URL-safe by the spec)."""
    return f"/{PANEL_URL_PATH}/request/{entry_id}/{request_id}"


class OwnerPrompt:
    """Keeps one entry's notifications in step with its open requests."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, coordinator: FeedCoordinator
    ) -> None:
        self._hass = hass
        self._entry = entry
        self._coordinator = coordinator
        self._shown: set[str] = set()

    @callback
    def async_start(self) -> None:
        """Follow every coordinator update; clear everything when the entry unloads.

        A reload shows the same notifications again at once (same ids), and an entry
        that is removed or disabled must not leave prompts nobody can act on.
        """
        self._entry.async_on_unload(self._coordinator.async_add_listener(self._sync))
        self._entry.async_on_unload(self._clear_all)
        self._sync()

    @callback
    def _sync(self) -> None:
        pending = {
            record.request_id: record
            for record in self._coordinator.data.pending
            if record.request_id is not None and record.request is not None
        }
        for request_id in self._shown - pending.keys():
            self._clear(request_id)
        new = [r for request_id, r in pending.items() if request_id not in self._shown]
        for record in new:
            assert record.request_id is not None
            self._shown.add(record.request_id)
        if new:
            self._entry.async_create_background_task(
                self._hass, self._notify(new), f"{DOMAIN} owner prompt"
            )

    def _publisher(self) -> str:
        return str(self._entry.data.get(CONF_PUBLISHER_NAME, self._entry.title))

    async def _notify(self, records: list[RequestRecord]) -> None:
        texts = await async_texts(self._hass)
        for record in records:
            request = record.request
            assert request is not None
            assert record.request_id is not None
            if record.request_id not in self._shown:
                continue  # decided while the texts were loading
            start, end = texts.window(request.window.start, request.window.end)
            values = {
                "publisher": self._publisher(),
                "case": request.incident.case_number or "-",
                "incident": texts.incident(request.incident.type),
                "start": start,
                "end": end,
                "link": panel_path(self._entry.entry_id, record.request_id),
            }
            # The message is Markdown, the title plain text. The link is ours
            # (an entry id and a spec-checked request id), so it stays a link.
            escaped = {
                key: value if key == "link" else plain(value)
                for key, value in values.items()
            }
            persistent_notification.async_create(
                self._hass,
                texts["request_notification_message"].format(**escaped),
                texts["request_notification_title"].format(**values),
                prompt_id(self._entry.entry_id, record.request_id),
            )

    @callback
    def _clear(self, request_id: str) -> None:
        self._shown.discard(request_id)
        key = prompt_id(self._entry.entry_id, request_id)
        persistent_notification.async_dismiss(self._hass, key)

    @callback
    def _clear_all(self) -> None:
        for request_id in tuple(self._shown):
            self._clear(request_id)
