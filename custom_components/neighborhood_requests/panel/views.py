"""What the panel shows of a feed and its requests, as plain JSON.

Unlike a chat message (`requests.request_view.for_chat`), the panel runs inside
Home Assistant for the people who decide for this home, so it may show the
home's own location, exact distances and the area's full geometry: nothing here
leaves the house. Who sees which part is decided by `consent.access` before any
of this is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from homeassistant.auth.models import User
from homeassistant.core import HomeAssistant

from ..consent.access import Action, allows
from ..const import (
    CONF_CAMERA_POLICIES,
    CONF_KEYS,
    CONF_PUBLISHER_ID,
    CONF_PUBLISHER_KIND,
    CONF_PUBLISHER_NAME,
    CONF_URL,
    CONF_VIEW_ANGLE,
    CONF_VIEW_DIRECTION,
    CONF_VIEW_RADIUS,
    DEFAULT_VIEW_ANGLE,
    POLICY_ASK,
    POLICY_NEVER,
)
from ..protocol.errors import Problem
from ..protocol.geo import area_centre, distance_to_area_m, haversine_m
from ..protocol.jws import fingerprint
from ..protocol.model import Circle
from ..protocol.parse import format_timestamp
from ..requests.request_view import camera_footage
from ..requests.store import Decision, Delivery, RequestRecord
from ..texts import Texts

if TYPE_CHECKING:
    from ..consent.people import DeciderNames
    from ..coordinator import FeedCoordinator

# Metres: the panel is the home's own view, so distances need not be coarse,
# only free of false precision.
DISTANCE_STEP_M = 10


def permissions(coordinator: FeedCoordinator, user: User) -> dict[str, bool]:
    """Every action of `consent.access` for this user and feed, for the UI to follow.

    The panel hides what it may not offer; the server refuses it anyway.
    """
    return {
        action.value: allows(coordinator.settings, user, action) for action in Action
    }


def feed_view(
    hass: HomeAssistant, coordinator: FeedCoordinator, user: User, texts: Texts
) -> dict[str, Any]:
    """The feed, its publisher and, for those who may see requests, the map's parts."""
    entry = coordinator.config_entry
    settings = coordinator.settings
    allowed = permissions(coordinator, user)
    data: dict[str, Any] = {
        "entry_id": entry.entry_id,
        "title": entry.title,
        "publisher": {
            "id": entry.data[CONF_PUBLISHER_ID],
            "name": entry.data[CONF_PUBLISHER_NAME],
            "kind": entry.data[CONF_PUBLISHER_KIND],
            "feed_host": urlsplit(entry.data[CONF_URL]).hostname or "",
            "fingerprints": [fingerprint(key) for key in entry.data.get(CONF_KEYS, ())],
        },
        "permissions": allowed,
        "paused": coordinator.store.paused,
        "on_hold": coordinator.on_hold,
    }
    if not allowed[Action.VIEW.value]:
        return data
    policies = entry.options.get(CONF_CAMERA_POLICIES, {})
    cameras = []
    for camera in settings.cameras:
        own = policies.get(camera, {})
        location = own.get("location")
        state = hass.states.get(camera)
        cameras.append(
            {
                "entity_id": camera,
                "name": state.name if state is not None else camera,
                "policy": POLICY_NEVER
                if camera in settings.never_cameras
                else POLICY_ASK,
                "location": (
                    {
                        "latitude": float(location["latitude"]),
                        "longitude": float(location["longitude"]),
                    }
                    if location
                    else None
                ),
                "view_radius_m": float(own.get(CONF_VIEW_RADIUS, 0.0) or 0.0),
                # A cone on the map when the owner said where the camera looks.
                "view_direction": (
                    float(own[CONF_VIEW_DIRECTION])
                    if own.get(CONF_VIEW_DIRECTION) is not None
                    else None
                ),
                "view_angle": float(own.get(CONF_VIEW_ANGLE) or DEFAULT_VIEW_ANGLE),
            }
        )
    data |= {
        "home": {
            "latitude": settings.home_lat,
            "longitude": settings.home_lon,
            "radius_m": settings.home_radius_m,
        },
        "cameras": cameras,
        "requests": [
            request_view(coordinator, record, texts)
            for record in coordinator.data.pending
        ],
    }
    return data


def delivery_reason(texts: Texts, delivery: Delivery) -> str | None:
    """Why a clip waits or failed, in the reader's words."""
    if delivery.reason is None:
        return None
    return texts.reason(delivery.reason_code, delivery.reason_params, delivery.reason)


def reasons_in_words(
    texts: Texts, counts: Mapping[str, int], records: Iterable[RequestRecord]
) -> dict[str, int]:
    """The transparency report's reason counts, keyed by the reader's words.

    The report counts by the English text (what the action returns); a reason
    the home wrote itself is found again on a record, with its code. The rest
    are entries refused before they were requests, counted by rule
    (`path: reason`), shown as the kind of problem they are.
    """
    known = {p.reason: p for r in records for p in r.reasons if p.code}
    words: dict[str, int] = {}
    for key, count in counts.items():
        problem = known.get(key)
        if problem is None:
            path, sep, reason = key.partition(": ")
            problem = Problem(path, reason) if sep else Problem("", key)
        text = texts.problem(problem)
        words[text] = words.get(text, 0) + count
    return dict(sorted(words.items(), key=lambda item: -item[1]))


def _area(record: RequestRecord) -> dict[str, Any]:
    assert record.request is not None
    area = record.request.area
    if isinstance(area, Circle):
        return {
            "type": "circle",
            "latitude": area.lat,
            "longitude": area.lon,
            "radius_m": area.radius_m,
        }
    lat, lon = area_centre(area)
    return {
        "type": "polygon",
        "points": [[p_lat, p_lon] for p_lat, p_lon in area.points],
        "latitude": lat,
        "longitude": lon,
    }


def _rounded(metres: float) -> int:
    return int(round(metres / DISTANCE_STEP_M) * DISTANCE_STEP_M)


def decision_view(
    decision: Decision | None, names: DeciderNames | None
) -> dict[str, Any] | None:
    """Who decided, where (browser, phone, Telegram…), when and what was shared."""
    if decision is None:
        return None
    return {
        "decision": decision.decision,
        "by": names.name(decision) if names is not None else None,
        "channel": decision.channel,
        "at": decision.at.isoformat(),
        "cameras": list(decision.cameras),
        "include_audio": decision.include_audio,
    }


def request_view(
    coordinator: FeedCoordinator,
    record: RequestRecord,
    texts: Texts,
    names: DeciderNames | None = None,
) -> dict[str, Any]:
    """One request with everything the request view and the history show.

    Reasons come in the reader's words (`reason`), with their code and the
    English the audit log holds (`text`).
    """
    settings = coordinator.settings
    data: dict[str, Any] = {
        "entry_id": coordinator.config_entry.entry_id,
        "key": record.key,
        "request_id": record.request_id,
        "revision": record.revision,
        "state": record.state,
        "verified": record.verified,
        "first_seen": record.first_seen.isoformat(),
        "reasons": [
            {
                "path": problem.path,
                "reason": texts.problem(problem),
                "code": problem.code or None,
                "text": problem.reason,
            }
            for problem in record.reasons
        ],
        "decision": decision_view(record.decision, names),
        "deliveries": [
            {
                "camera": delivery.camera,
                "state": delivery.state,
                "sha256": delivery.sha256,
                "bytes": delivery.bytes,
                "reason": delivery_reason(texts, delivery),
                "reason_code": delivery.reason_code or None,
                "at": delivery.at.isoformat(),
            }
            for delivery in record.deliveries
        ],
    }
    request = record.request
    if request is None:
        return data
    centre_lat, centre_lon = area_centre(request.area)
    shareable = [c for c in settings.cameras if c not in settings.never_cameras]
    data |= {
        "status": request.status.value,
        "issued_at": format_timestamp(request.issued_at),
        "expires_at": format_timestamp(request.expires_at),
        "window": {
            "start": format_timestamp(request.window.start),
            "end": format_timestamp(request.window.end),
            "seconds": request.window.duration.total_seconds(),
        },
        "incident": {
            "type": request.incident.type,
            "summary": request.incident.summary,
            "case_number": request.incident.case_number,
            "reference_url": request.incident.reference_url,
        },
        "legal": {
            "basis": request.legal.basis.value,
            "reference": request.legal.reference,
        },
        "audio_requested": request.requested.audio,
        "contact": {
            "name": request.contact.name,
            "phone": request.contact.phone,
            "email": request.contact.email,
        },
        "public_url": request.public_url,
        "upload_host": urlsplit(request.upload_url).hostname or request.upload_url,
        "area": _area(record),
        "distance_to_area_m": _rounded(
            distance_to_area_m(request.area, settings.home_lat, settings.home_lon)
        ),
        "distance_to_centre_m": _rounded(
            haversine_m(settings.home_lat, settings.home_lon, centre_lat, centre_lon)
        ),
        "cameras": camera_footage(coordinator, record, shareable),
    }
    return data
