"""What may be shown about a request outside the store: never the home's location.

Sensor attributes, event data and (later) the bot all describe a request the same
way, so the privacy rule is written once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .const import CONF_PUBLISHER_KIND, CONF_PUBLISHER_NAME
from .protocol.geo import distance_to_area_m, equivalent_radius_m
from .protocol.model import Circle, Request
from .protocol.parse import format_timestamp
from .store import RequestRecord

if TYPE_CHECKING:
    from .coordinator import FeedCoordinator


def area_centre(request: Request) -> tuple[float, float]:
    """Circle centre, or the mean of a polygon's distinct vertices (map pin only)."""
    area = request.area
    if isinstance(area, Circle):
        return area.lat, area.lon
    points = area.points[:-1]
    return (
        sum(lat for lat, _ in points) / len(points),
        sum(lon for _, lon in points) / len(points),
    )


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


def for_chat(coordinator: FeedCoordinator, record: RequestRecord) -> dict[str, Any]:
    """Everything a chat message needs, and still nothing that locates the home.

    The distance is rounded to 50 m: enough to judge relevance, too coarse to
    place the house on a map from the request's area.
    """
    entry = coordinator.config_entry
    settings = coordinator.settings
    data = describe(record) | {
        "config_entry_id": entry.entry_id,
        "publisher_name": entry.data[CONF_PUBLISHER_NAME],
        "publisher_kind": entry.data[CONF_PUBLISHER_KIND],
        "cameras": [c for c in settings.cameras if c not in settings.never_cameras],
    }
    if record.request is not None:
        metres = distance_to_area_m(
            record.request.area, settings.home_lat, settings.home_lon
        )
        data["distance_m"] = int(round(metres / 50) * 50)
    return data
