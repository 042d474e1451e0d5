"""What a phone notification about a request says, in the home's language.

The built-in notifier and the actionable-notification blueprint (through the
`describe_request` action) say the same words, so a request reads the same
whichever sends it: who asks and why, the window, and for the second step the
cameras, the window and that audio stays off.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from ..const import CONF_PUBLISHER_NAME
from ..protocol.parse import format_timestamp
from ..requests.store import RequestRecord
from ..texts import Texts

if TYPE_CHECKING:
    from ..coordinator import FeedCoordinator


def camera_name(hass: HomeAssistant, camera: str) -> str:
    """A camera as the owner named it; its entity id only if it has no state."""
    state = hass.states.get(camera)
    return state.name if state is not None else camera


def phone_words(
    hass: HomeAssistant,
    coordinator: FeedCoordinator,
    record: RequestRecord,
    texts: Texts,
    cameras: Iterable[str],
) -> dict[str, Any]:
    """The request's facts in words, and the notification's title, texts, buttons."""
    request = record.request
    assert request is not None
    start, end = texts.window(request.window.start, request.window.end)
    entry = coordinator.config_entry
    publisher = str(entry.data.get(CONF_PUBLISHER_NAME, entry.title))
    values = {
        "publisher": publisher,
        "incident": texts.incident(request.incident.type),
        "summary": request.incident.summary,
        "case_number": request.incident.case_number or "-",
        "start": start,
        "end": end,
        "cameras": ", ".join(camera_name(hass, c) for c in cameras) or "-",
    }
    left = request.expires_at - dt_util.utcnow()
    return values | {
        "legal_basis": texts.legal_basis(
            request.legal.basis.value, request.legal.reference
        ),
        "verification": texts.verification(record.verified),
        "duration": texts.duration(request.window.duration),
        "audio": texts.audio(False),
        "expires": texts.moment(request.expires_at),
        "expires_at": format_timestamp(request.expires_at),
        "expires_in": max(0, int(left.total_seconds())),
        "title": texts["notify_title"].format(**values),
        "message": texts["notify_request"].format(**values),
        "confirm_message": texts["notify_confirm"].format(**values),
        "share": texts["notify_action_share"],
        "confirm": texts["notify_action_confirm"],
        "decline": texts["notify_action_decline"],
        "refused": texts["notify_refused"].format(**values),
    }
