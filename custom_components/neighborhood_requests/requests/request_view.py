"""What may be shown about a request outside the store: never the home's location.

Sensor attributes, event data and (later) the bot all describe a request the same
way, so the privacy rule is written once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..const import CONF_PUBLISHER_KIND, CONF_PUBLISHER_NAME
from ..export.result import Gap, gap_views
from ..footage.presence import FOOTAGE_UNKNOWN
from ..protocol import geo
from ..protocol.geo import distance_to_area_m, equivalent_radius_m
from ..protocol.parse import format_timestamp
from .store import Delivery, RequestRecord

if TYPE_CHECKING:
    from ..coordinator import FeedCoordinator
    from ..texts import Texts

# Four decimals of a degree are about 11 m: a map pin, and still the publisher's
# area (public in the feed), never the home.
CENTRE_DECIMALS = 4
DISTANCE_STEP_M = 50


def describe(record: RequestRecord) -> dict[str, Any]:
    """Public facts about a request: nothing here is about the home."""
    data: dict[str, Any] = {
        "request_id": record.request_id,
        "publisher_id": record.publisher_id,
        "revision": record.revision,
        "state": record.state,
        "verified": record.verified,
    }
    request = record.request
    if request is not None:
        data |= {
            "incident_type": request.incident.type,
            "summary": request.incident.summary,
            "case_number": request.incident.case_number,
            "legal_basis": request.legal.basis.value,
            "window_start": format_timestamp(request.window.start),
            "window_end": format_timestamp(request.window.end),
            "expires_at": format_timestamp(request.expires_at),
            "radius_m": round(equivalent_radius_m(request.area)),
            "audio_requested": request.requested.audio,
        }
    if record.reasons:
        data["reasons"] = [str(problem) for problem in record.reasons]
    return data


def for_chat(
    coordinator: FeedCoordinator,
    record: RequestRecord,
    *,
    decided_by: str | None = None,
) -> dict[str, Any]:
    """Everything a chat message needs, and still nothing that locates the home.

    The distance is rounded to 50 m: enough to judge relevance, too coarse to
    place the house on a map from the request's area. The area's centre is the
    publisher's (public) area, rounded for a map pin. `decided_by` is a display
    name the caller resolved (Telegram name or Home Assistant user); user ids
    stay inside Home Assistant.
    """
    entry = coordinator.config_entry
    settings = coordinator.settings
    data = describe(record) | {
        "config_entry_id": entry.entry_id,
        "publisher_name": entry.data[CONF_PUBLISHER_NAME],
        "publisher_kind": entry.data[CONF_PUBLISHER_KIND],
        "cameras": [c for c in settings.cameras if c not in settings.never_cameras],
    }
    data["camera_footage"] = camera_footage(coordinator, record, data["cameras"])
    if record.request is not None:
        metres = distance_to_area_m(
            record.request.area, settings.home_lat, settings.home_lon
        )
        data["distance_m"] = int(round(metres / DISTANCE_STEP_M) * DISTANCE_STEP_M)
        lat, lon = geo.area_centre(record.request.area)
        data["area_center"] = {
            "lat": round(lat, CENTRE_DECIMALS),
            "lon": round(lon, CENTRE_DECIMALS),
        }
    if (decision := record.decision) is not None:
        data |= {
            "decision": decision.decision,
            "decided_at": decision.at.isoformat(),
            "decided_by": decided_by,
            "shared_cameras": list(decision.cameras),
            "include_audio": decision.include_audio,
        }
    data["deliveries"] = deliveries_view(record.deliveries, coordinator.shipped_texts)
    return data


def camera_footage(
    coordinator: FeedCoordinator, record: RequestRecord, cameras: list[str]
) -> list[dict[str, Any]]:
    """Each camera that may share, by name, whether it has footage of the window
    and where that footage has holes (`gaps`: start/end, ISO 8601).

    `yes`/`no` come from the recorder's folder (cached, see `footage.presence`);
    `unknown` is a Frigate camera, or a recorded one not looked at yet.
    """
    presence = coordinator.presence
    request = record.request
    views = []
    for camera in cameras:
        state = coordinator.hass.states.get(camera)
        footage = FOOTAGE_UNKNOWN
        gaps: list[Gap] = []
        if presence is not None and request is not None:
            window = (camera, request.window.start, request.window.end)
            footage = presence.status(*window)
            gaps = presence.gaps(*window)
        views.append(
            {
                "entity_id": camera,
                "name": state.name if state is not None else camera,
                "footage": footage,
                "gaps": gap_views(gaps),
            }
        )
    return views


def deliveries_view(
    deliveries: Iterable[Delivery], words: Mapping[str, Texts]
) -> list[dict[str, Any]]:
    """Each clip's upload as the bot shows it: state, size, hash or the reason.

    `reason` is English; `reason_words` says it in each language we ship, since
    the bot writes to each chat in its own and never reads our translations.
    """
    views = []
    for delivery in deliveries:
        view: dict[str, Any] = {
            "camera": delivery.camera,
            "state": delivery.state,
            "sha256": delivery.sha256,
            "bytes": delivery.bytes,
            "reason": delivery.reason,
        }
        if delivery.reason is not None:
            view["reason_words"] = {
                language: texts.reason(
                    delivery.reason_code, delivery.reason_params, delivery.reason
                )
                for language, texts in words.items()
            }
        views.append(view)
    return views
