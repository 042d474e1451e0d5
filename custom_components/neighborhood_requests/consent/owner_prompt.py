"""The owner's prompt inside Home Assistant itself: a repair issue per open request.

Not every home runs the companion bot or the mobile app, but every owner has the
browser. Each request waiting for a decision raises a fixable repair issue (its
fix flow is `decision_flow.DecisionFlow`) and a persistent notification pointing
at Settings → System → Repairs. Both follow the coordinator's data, so they go
away as soon as the request is decided (here, by the bot or by a phone),
expires or is cancelled: nobody is asked about something already settled.
"""

from __future__ import annotations

from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from ..const import CONF_PUBLISHER_NAME, DOMAIN
from ..coordinator import FeedCoordinator
from ..markdown import plain
from ..requests.store import RequestRecord
from ..texts import async_texts

ISSUE_PREFIX = "video_request_"
ISSUE_TRANSLATION_KEY = "video_request"


def prompt_id(entry_id: str, request_id: str) -> str:
    """Issue and notification id: per entry, so two feeds never clear each other's."""
    return f"{ISSUE_PREFIX}{entry_id}_{request_id}"


class OwnerPrompt:
    """Keeps one entry's issues and notifications in step with its open requests."""

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

        A reload raises the same issues again at once (same ids), and an entry
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
            self._raise_issue(record)
        if new:
            self._entry.async_create_background_task(
                self._hass, self._notify(new), f"{DOMAIN} owner prompt"
            )

    def _publisher(self) -> str:
        return str(self._entry.data.get(CONF_PUBLISHER_NAME, self._entry.title))

    def _raise_issue(self, record: RequestRecord) -> None:
        request = record.request
        assert request is not None
        assert record.request_id is not None
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            prompt_id(self._entry.entry_id, record.request_id),
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_TRANSLATION_KEY,
            translation_placeholders={
                "publisher": self._publisher(),
                "case": request.incident.case_number or "-",
            },
            data={"entry_id": self._entry.entry_id, "request_id": record.request_id},
        )

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
            }
            # The message is Markdown, the title plain text.
            escaped = {key: plain(value) for key, value in values.items()}
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
        ir.async_delete_issue(self._hass, DOMAIN, key)
        persistent_notification.async_dismiss(self._hass, key)

    @callback
    def _clear_all(self) -> None:
        for request_id in tuple(self._shown):
            self._clear(request_id)
